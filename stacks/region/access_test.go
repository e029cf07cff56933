package region_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/internal/stackstest"
)

const (
	rolePolicyType = "aws:iam/rolePolicy:RolePolicy"
	ingressType    = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	egressType     = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
)

type statement struct {
	Sid       string
	Effect    string
	Action    []string
	Resource  any
	Condition map[string]map[string]string
}

// grants flattens a policy to "action resource [via service]" lines, sorted.
func grants(t *testing.T, doc string) []string {
	t.Helper()
	var d struct{ Statement []statement }
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		t.Fatalf("policy is not JSON: %v\n%s", err, doc)
	}
	var out []string
	for _, s := range d.Statement {
		if s.Effect != "Allow" {
			t.Errorf("statement %s: effect %s", s.Sid, s.Effect)
		}
		var res []string
		switch r := s.Resource.(type) {
		case string:
			res = []string{r}
		case []any:
			for _, v := range r {
				res = append(res, v.(string))
			}
		}
		via := ""
		if v := s.Condition["StringEquals"]["kms:ViaService"]; v != "" {
			via = " via " + v
		}
		for _, a := range s.Action {
			for _, r := range res {
				out = append(out, a+" "+r+via)
			}
		}
	}
	sort.Strings(out)
	return out
}

func TestFleetAccessIsExactlyWhatItUses(t *testing.T) {
	regs := run(t, stackstest.Region())
	const (
		acct = "123456789012"
		key  = "arn:aws:kms:eu-west-1:" + acct + ":key/"
	)

	web := grants(t, stackstest.Str(regs.Named(t, rolePolicyType, "compute-web-access"), "policy"))
	worker := grants(t, stackstest.Str(regs.Named(t, rolePolicyType, "compute-worker-access"), "policy"))

	// The ARNs are the stores' own outputs (mock values): look them up by the shape
	// each service gives them.
	find := func(lines []string, prefix string) []string {
		var out []string
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				out = append(out, strings.TrimPrefix(l, prefix))
			}
		}
		return out
	}
	bucket := "arn:aws:s3:::uploads-eu-west-1-" + acct
	if got, want := find(web, "s3:"), []string{
		"DeleteObject " + bucket + "/*", "GetObject " + bucket + "/*", "ListBucket " + bucket, "PutObject " + bucket + "/*",
	}; !reflect.DeepEqual(got, want) {
		t.Errorf("web s3 grants\n got %q\nwant %q", got, want)
	}
	if got := find(web, "elasticache:Connect "); !reflect.DeepEqual(got, []string{
		"arn:aws:elasticache:eu-west-1:" + acct + ":replicationgroup:sessions",
		"arn:aws:elasticache:eu-west-1:" + acct + ":user:sessions-app",
	}) {
		t.Errorf("web cache grants %q", got)
	}
	for name, lines := range map[string][]string{"web": web, "worker": worker} {
		secrets := find(lines, "secretsmanager:")
		if len(secrets) != 2 || !strings.HasPrefix(secrets[0], "DescribeSecret arn:aws:secretsmanager:eu-west-1:"+acct+":secret:rds!cluster-") ||
			!strings.HasPrefix(secrets[1], "GetSecretValue arn:aws:secretsmanager:eu-west-1:"+acct+":secret:rds!cluster-") {
			t.Errorf("%s secret grants %q, want the cluster's master secret only", name, secrets)
		}
		for _, l := range lines {
			if strings.Contains(l, " * ") || strings.HasSuffix(l, " *") || strings.Contains(l, ":*") {
				t.Errorf("%s: wildcard grant %q", name, l)
			}
		}
	}
	if got := find(worker, "sqs:"); !reflect.DeepEqual(got, []string{
		"ChangeMessageVisibility arn:aws:sqs:eu-west-1:" + acct + ":events",
		"DeleteMessage arn:aws:sqs:eu-west-1:" + acct + ":events",
		"GetQueueAttributes arn:aws:sqs:eu-west-1:" + acct + ":events",
		"GetQueueUrl arn:aws:sqs:eu-west-1:" + acct + ":events",
		"ReceiveMessage arn:aws:sqs:eu-west-1:" + acct + ":events",
		"SendMessage arn:aws:sqs:eu-west-1:" + acct + ":events",
	}) {
		t.Errorf("worker queue grants %q (the dead-letter queue must not be among them)", got)
	}
	if len(find(web, "sqs:")) != 0 || len(find(worker, "s3:")) != 0 || len(find(worker, "elasticache:")) != 0 {
		t.Errorf("a fleet is granted a store it does not use:\nweb %q\nworker %q", web, worker)
	}

	kms := func(lines []string) []string {
		var out []string
		for _, l := range find(lines, "kms:") {
			action, rest, _ := strings.Cut(l, " ")
			res, via, _ := strings.Cut(rest, " via ")
			if !strings.HasPrefix(res, key) {
				t.Errorf("key grant on %s, not the region key", res)
			}
			if via == "" {
				t.Errorf("key grant %q without kms:ViaService", l)
			}
			out = append(out, action+" via "+via)
		}
		return out
	}
	if got, want := kms(web), []string{
		"Decrypt via s3.eu-west-1.amazonaws.com", "Decrypt via secretsmanager.eu-west-1.amazonaws.com",
		"GenerateDataKey via s3.eu-west-1.amazonaws.com",
	}; !reflect.DeepEqual(got, want) {
		t.Errorf("web key grants\n got %q\nwant %q", got, want)
	}
	if got, want := kms(worker), []string{
		"Decrypt via secretsmanager.eu-west-1.amazonaws.com", "Decrypt via sqs.eu-west-1.amazonaws.com",
		"GenerateDataKey via sqs.eu-west-1.amazonaws.com",
	}; !reflect.DeepEqual(got, want) {
		t.Errorf("worker key grants\n got %q\nwant %q", got, want)
	}
}

func TestFleetWithoutUsesHasNoAccessPolicy(t *testing.T) {
	regs := run(t, stackstest.Region(func(r *spec.Region) { r.Servers[1].Uses = nil }))
	for _, p := range regs.OfType(rolePolicyType) {
		if p.Name == "compute-worker-access" {
			t.Errorf("worker uses nothing but has an access policy: %s", stackstest.Str(p, "policy"))
		}
	}
	for _, e := range regs.OfType(egressType) {
		if strings.HasPrefix(e.Name, "compute-worker-app-to-") {
			t.Errorf("worker uses nothing but may connect to %s", e.Name)
		}
	}
	if slices.Contains(regs.OfType(ingressType).Names(), "database-main-from-worker") {
		t.Error("the database admits worker, which no longer uses it")
	}
}

func TestServersStartAfterTheirPolicies(t *testing.T) {
	regs := run(t, stackstest.Region())
	for _, fleet := range []string{"web", "worker"} {
		asg := regs.Named(t, "aws:autoscaling/group:Group", "compute-"+fleet+"-asg")
		for _, want := range []struct{ typ, name string }{
			{rolePolicyType, "compute-" + fleet + "-access"},
			{"aws:iam/rolePolicyAttachment:RolePolicyAttachment", "compute-" + fleet + "-instance-ssm"},
			{"aws:iam/rolePolicyAttachment:RolePolicyAttachment", "compute-" + fleet + "-instance-cloudwatch-agent"},
		} {
			if urn := regs.Named(t, want.typ, want.name).URN; !slices.Contains(asg.Dependencies, urn) {
				t.Errorf("%s does not wait for %s", asg.Name, want.name)
			}
		}
	}
}

func TestDataStoresAdmitOnlyTheirUsers(t *testing.T) {
	regs := run(t, stackstest.Region())
	var ingress []string
	for _, r := range regs.OfType(ingressType) {
		if !strings.HasPrefix(r.Name, "compute-") && !strings.HasPrefix(r.Name, "network-") {
			ingress = append(ingress, r.Name)
		}
	}
	if want := []string{"cache-sessions-from-web", "database-main-from-web", "database-main-from-worker"}; !reflect.DeepEqual(ingress, want) {
		t.Errorf("data store ingress %q, want %q", ingress, want)
	}
}

func TestServerEgress(t *testing.T) {
	regs := run(t, stackstest.Region())
	got := map[string]string{}
	for _, e := range regs.OfType(egressType) {
		if !strings.Contains(e.Name, "-app-") {
			continue // the load balancer's
		}
		to := stackstest.Str(e, "cidrIpv4")
		if to == "" {
			to = "sg"
		}
		got[e.Name] = stackstest.Str(e, "ipProtocol") + "/" + jsonNum(stackstest.Num(e, "fromPort")) + " to " + to
	}
	want := map[string]string{
		"compute-web-app-https":               "tcp/443 to 0.0.0.0/0",
		"compute-web-app-to-database-main":    "tcp/3306 to sg",
		"compute-web-app-to-cache-sessions":   "tcp/6379 to sg",
		"compute-worker-app-https":            "tcp/443 to 0.0.0.0/0",
		"compute-worker-app-to-database-main": "tcp/3306 to sg",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("server egress\n got %v\nwant %v", got, want)
	}
}

func jsonNum(f float64) string {
	b, _ := json.Marshal(f)
	return string(b)
}

// An internet-facing load balancer waits for the internet gateway and the public
// default route (AWS refuses it in a VPC without an attached gateway), and servers wait
// for their subnets' routes out through NAT: the dependencies are in the program, not
// left to which create happens to finish first.
func TestTrafficWaitsForItsRoutes(t *testing.T) {
	regs := run(t, stackstest.Region())
	alb := regs.Named(t, "aws:lb/loadBalancer:LoadBalancer", "compute-web-alb")
	net := "network-" + stackstest.Region().Region
	for _, want := range []struct{ typ, name string }{
		{"aws:ec2/internetGateway:InternetGateway", net + "-igw"},
		{"aws:ec2/route:Route", net + "-public-default"},
	} {
		if urn := regs.Named(t, want.typ, want.name).URN; !slices.Contains(alb.Dependencies, urn) {
			t.Errorf("the load balancer does not wait for %s", want.name)
		}
	}
	routes := 0
	for _, r := range regs.OfType("aws:ec2/route:Route") {
		if !strings.HasPrefix(r.Name, net+"-private-") {
			continue
		}
		routes++
		for _, fleet := range []string{"web", "worker"} {
			if asg := regs.Named(t, "aws:autoscaling/group:Group", "compute-"+fleet+"-asg"); !slices.Contains(asg.Dependencies, r.URN) {
				t.Errorf("%s does not wait for the route %s", asg.Name, r.Name)
			}
		}
	}
	if routes == 0 {
		t.Fatal("no private default routes planned")
	}
}

// A rolling refresh of a load-balanced fleet stops when its health alarms fire, and
// rolls back where AWS can: with an AMI id, not with an image from an SSM parameter.
func TestInstanceRefreshStopsOnTheFleetsAlarms(t *testing.T) {
	for _, tt := range []struct {
		image    string
		rollback bool
	}{{"", false}, {"ssm:/images/web:42", false}, {"ami-0123456789abcdef0", true}} {
		regs := run(t, stackstest.Region(func(r *spec.Region) { r.Servers[0].Image = tt.image }))
		alarms := map[string]bool{}
		for _, a := range regs.OfType("aws:cloudwatch/metricAlarm:MetricAlarm") {
			alarms[stackstest.Str(a, "name")] = true
		}
		web := regs.Named(t, "aws:autoscaling/group:Group", "compute-web-asg")
		names := stackstest.Strs(web, "instanceRefresh.preferences.alarmSpecification.alarms")
		if len(names) != 2 {
			t.Fatalf("image %q: refresh alarms %v, want the fleet's unhealthy and 5xx alarms", tt.image, names)
		}
		for _, n := range names {
			if !alarms[n] {
				t.Errorf("image %q: the refresh names alarm %s, which the region does not create", tt.image, n)
			}
		}
		if got := stackstest.Bool(web, "instanceRefresh.preferences.autoRollback"); got != tt.rollback {
			t.Errorf("image %q: autoRollback %v, want %v", tt.image, got, tt.rollback)
		}
		worker := regs.Named(t, "aws:autoscaling/group:Group", "compute-worker-asg")
		if got := stackstest.Strs(worker, "instanceRefresh.preferences.alarmSpecification.alarms"); len(got) != 0 {
			t.Errorf("a fleet without a load balancer has no health alarms to stop on, got %v", got)
		}
	}
}

// Every component records the region-file entry it builds, as data the offline plan
// and the engine both see (policy reads it instead of guessing from names).
func TestComponentsRecordTheirEntry(t *testing.T) {
	regs := run(t, stackstest.Region())
	want := map[string]string{
		"database-main": "database/main", "cache-sessions": "cache/sessions", "queue-events": "queue/events",
		"storage-uploads": "bucket/uploads", "compute-web": "fleet/web", "compute-worker": "fleet/worker",
	}
	seen := 0
	for _, r := range regs {
		if !strings.HasPrefix(r.Type, "regionctl:stacks:") {
			continue
		}
		got := stackstest.Str(r, spec.EntryInput)
		if got == "" {
			t.Errorf("component %s records no entry", r.Name)
		}
		if w, ok := want[r.Name]; ok {
			seen++
			if got != w {
				t.Errorf("component %s records %q, want %q", r.Name, got, w)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d components", seen, len(want))
	}
}
