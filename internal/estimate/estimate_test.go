package estimate

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/regionctl/regionctl/internal/awsmodel"
	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/internal/testutil"
)

func plan(t *testing.T, id string) manifest.Region {
	t.Helper()
	regions, err := spec.LoadDir(filepath.Join(testutil.RepoRoot(t), "regions"), id)
	if err != nil {
		t.Fatal(err)
	}
	m, err := engine.PlanRegion(regions[0])
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// The shipped eu-west-1's first up is as long as its Aurora chain: the cluster, then
// its instances; nothing else takes longer.
func TestCriticalPathOfEuWest1(t *testing.T) {
	m := plan(t, "eu-west-1")
	f, err := TimeOf(m)
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	var sum time.Duration
	for _, s := range f.Path {
		types = append(types, s.Type)
		sum += time.Duration(s.Takes)
	}
	n := len(types)
	if n < 2 || types[n-2] != "aws:rds/cluster:Cluster" || types[n-1] != "aws:rds/clusterInstance:ClusterInstance" {
		t.Fatalf("critical path ends %v, want the Aurora cluster then a cluster instance: %s", types, f.Chain())
	}
	if sum != time.Duration(f.Total) {
		t.Errorf("the path's steps add up to %v, the total is %v", sum, time.Duration(f.Total))
	}
	aurora := awsmodel.Creation("aws:rds/cluster:Cluster").Typical + awsmodel.Creation("aws:rds/clusterInstance:ClusterInstance").Typical
	if got := time.Duration(f.Total); got < aurora || got > aurora+time.Minute {
		t.Errorf("first up %v, want the Aurora chain's %v and the little before it", got, aurora)
	}
	if g, _ := TimeOf(m); !reflect.DeepEqual(g, f) {
		t.Error("the estimate differs between two runs")
	}
	if len(f.Serialised) != 1 || f.Serialised[0].Resource != "database-main-cluster" {
		t.Errorf("explicit-only edges on the path: %+v, want the cluster waiting for its log groups", f.Serialised)
	}
}

// Nothing is done after the Aurora chain: without the database instances the first up
// is shorter.
func TestNothingOutlastsThePath(t *testing.T) {
	m := plan(t, "eu-west-1")
	f, err := TimeOf(m)
	if err != nil {
		t.Fatal(err)
	}
	var rest []manifest.Resource
	for _, r := range m.Resources {
		if r.Type != "aws:rds/clusterInstance:ClusterInstance" {
			rest = append(rest, r)
		}
	}
	g, err := TimeOf(manifest.Region{Name: m.Name, Resources: rest})
	if err != nil {
		t.Fatal(err)
	}
	if g.Total >= f.Total {
		t.Errorf("without the database instances the first up is %v, not shorter than %v: something else is as long", time.Duration(g.Total), time.Duration(f.Total))
	}
}

const stack = "urn:pulumi:r::regionctl::pulumi:pulumi:Stack::regionctl-r"

func urn(typ, name string) string { return "urn:pulumi:r::regionctl::" + typ + "::" + name }

// A resource that waits for another only because the program says so is listed.
func TestSerialisedByAnExplicitDependsOn(t *testing.T) {
	comp := urn("regionctl:stacks:Thing", "thing")
	nat := urn("aws:ec2/natGateway:NatGateway", "nat")
	lb := urn("aws:lb/loadBalancer:LoadBalancer", "alb")
	listener := urn("aws:lb/listener:Listener", "https")
	m := manifest.Region{Name: "xx-test-1", Resources: []manifest.Resource{
		{URN: stack, Type: manifest.StackType},
		{URN: comp, Type: "regionctl:stacks:Thing", Name: "thing", Parent: stack},
		{URN: nat, Type: "aws:ec2/natGateway:NatGateway", Name: "nat", Parent: comp, Custom: true},
		// The load balancer needs nothing of the NAT gateway, but waits for it.
		{URN: lb, Type: "aws:lb/loadBalancer:LoadBalancer", Name: "alb", Parent: comp, Custom: true, DependsOn: []string{nat}},
		{URN: listener, Type: "aws:lb/listener:Listener", Name: "https", Parent: comp, Custom: true,
			DependsOn: []string{lb}, InputDeps: map[string][]string{"loadBalancerArn": {lb}}},
	}}
	f, err := TimeOf(m)
	if err != nil {
		t.Fatal(err)
	}
	want := awsmodel.Creation("aws:ec2/natGateway:NatGateway").Typical + awsmodel.Creation("aws:lb/loadBalancer:LoadBalancer").Typical + awsmodel.Creation("aws:lb/listener:Listener").Typical
	if time.Duration(f.Total) != want {
		t.Errorf("total %v, want %v", time.Duration(f.Total), want)
	}
	if got := f.Chain(); got != "ec2.NatGateway nat (2m) → lb.LoadBalancer alb (3m) → lb.Listener https (2s)" {
		t.Errorf("chain %q", got)
	}
	if want := []Edge{{Resource: "alb", WaitsFor: "nat"}}; !reflect.DeepEqual(f.Serialised, want) {
		t.Errorf("serialised %+v, want %+v", f.Serialised, want)
	}

	// Waiting for a component is waiting for everything in it.
	other := urn("aws:sqs/queue:Queue", "q")
	m.Resources = append(m.Resources, manifest.Resource{URN: other, Type: "aws:sqs/queue:Queue", Name: "q", Parent: stack, Custom: true, DependsOn: []string{comp}})
	f, err = TimeOf(m)
	if err != nil {
		t.Fatal(err)
	}
	if last := f.Path[len(f.Path)-1]; last.Name != "q" || !last.Explicit {
		t.Errorf("path %s: the queue waits for the whole component", f.Chain())
	}
	if e := f.Serialised[len(f.Serialised)-1]; e != (Edge{Resource: "q", WaitsFor: "https", Via: "thing"}) {
		t.Errorf("edge %+v", e)
	}
}

func TestCycleIsAnError(t *testing.T) {
	a, b := urn("aws:sqs/queue:Queue", "a"), urn("aws:sqs/queue:Queue", "b")
	_, err := TimeOf(manifest.Region{Resources: []manifest.Resource{
		{URN: a, Type: "aws:sqs/queue:Queue", Custom: true, DependsOn: []string{b}},
		{URN: b, Type: "aws:sqs/queue:Queue", Custom: true, DependsOn: []string{a}},
	}})
	if err == nil || !strings.Contains(err.Error(), "cycle") {
		t.Errorf("err = %v", err)
	}
}

// A hand-made region with known counts costs exactly what the table says.
func TestMonthlyOfKnownCounts(t *testing.T) {
	lt := manifest.Resource{URN: urn("aws:ec2/launchTemplate:LaunchTemplate", "lt"), Type: "aws:ec2/launchTemplate:LaunchTemplate", Name: "lt", Custom: true, ID: "lt-1",
		Inputs: map[string]any{"instanceType": "m6i.large"}}
	res := []manifest.Resource{
		lt,
		{URN: urn("aws:autoscaling/group:Group", "asg"), Type: "aws:autoscaling/group:Group", Name: "asg", Custom: true,
			Inputs: map[string]any{"minSize": 3.0, "maxSize": 12.0, "desiredCapacity": 3.0, "launchTemplate": map[string]any{"id": "lt-1"}}},
		{URN: urn("aws:rds/clusterInstance:ClusterInstance", "db-1"), Type: "aws:rds/clusterInstance:ClusterInstance", Custom: true, Inputs: map[string]any{"instanceClass": "db.r6g.large"}},
		{URN: urn("aws:rds/clusterInstance:ClusterInstance", "db-2"), Type: "aws:rds/clusterInstance:ClusterInstance", Custom: true, Inputs: map[string]any{"instanceClass": "db.r6g.large"}},
		{URN: urn("aws:elasticache/replicationGroup:ReplicationGroup", "c"), Type: "aws:elasticache/replicationGroup:ReplicationGroup", Custom: true,
			Inputs: map[string]any{"nodeType": "cache.r6g.large", "numCacheClusters": 2.0}},
		{URN: urn("aws:ec2/natGateway:NatGateway", "n"), Type: "aws:ec2/natGateway:NatGateway", Custom: true},
		{URN: urn("aws:ec2/eip:Eip", "e"), Type: "aws:ec2/eip:Eip", Custom: true},
		{URN: urn("aws:lb/loadBalancer:LoadBalancer", "l"), Type: "aws:lb/loadBalancer:LoadBalancer", Custom: true,
			Inputs: map[string]any{"internal": false, "loadBalancerType": "application", "subnets": []any{"a", "b"}}},
		{URN: urn("aws:kms/key:Key", "k"), Type: "aws:kms/key:Key", Custom: true},
		{URN: urn("aws:cloudwatch/metricAlarm:MetricAlarm", "a1"), Type: "aws:cloudwatch/metricAlarm:MetricAlarm", Custom: true},
		{URN: urn("aws:cloudwatch/metricAlarm:MetricAlarm", "a2"), Type: "aws:cloudwatch/metricAlarm:MetricAlarm", Custom: true},
		{URN: urn("aws:ec2/vpcEndpoint:VpcEndpoint", "s3"), Type: "aws:ec2/vpcEndpoint:VpcEndpoint", Custom: true, Inputs: map[string]any{"vpcEndpointType": "Gateway"}},
		{URN: urn("aws:ec2/vpcEndpoint:VpcEndpoint", "kms"), Type: "aws:ec2/vpcEndpoint:VpcEndpoint", Custom: true,
			Inputs: map[string]any{"vpcEndpointType": "Interface", "subnetIds": []any{"a", "b", "c"}}},
	}
	c, err := CostOf(manifest.Region{Name: "us-east-1", Resources: res})
	if err != nil {
		t.Fatal(err)
	}
	// us-east-1: m6i.large $0.096, db.r6g.large $0.26, cache.r6g.large $0.206, NAT
	// $0.045, ALB $0.0225, IPv4 $0.005 (1 EIP + 2 ALB nodes), endpoint $0.01 × 3 AZs,
	// KMS $1, alarms $0.10; 730 h.
	want := map[string][2]float64{
		"EC2 m6i.large":               {3 * 0.096 * 730, 12 * 0.096 * 730},
		"Aurora db.r6g.large":         {2 * 0.26 * 730, 2 * 0.26 * 730},
		"ElastiCache cache.r6g.large": {2 * 0.206 * 730, 2 * 0.206 * 730},
		"NAT gateway":                 {0.045 * 730, 0.045 * 730},
		"public IPv4 address":         {3 * 0.005 * 730, 3 * 0.005 * 730},
		"Application Load Balancer":   {0.0225 * 730, 0.0225 * 730},
		"interface endpoint × AZ":     {3 * 0.01 * 730, 3 * 0.01 * 730},
		"KMS key":                     {1, 1},
		"CloudWatch alarm":            {0.2, 0.2},
	}
	var desired, maxed float64
	for _, l := range c.Lines {
		w, ok := want[l.Item]
		if !ok {
			t.Errorf("unexpected line %+v", l)
			continue
		}
		if l.Desired != cents(w[0]) || l.Max != cents(w[1]) {
			t.Errorf("%s: $%v / $%v, want $%v / $%v", l.Item, l.Desired, l.Max, cents(w[0]), cents(w[1]))
		}
		desired += cents(w[0])
		maxed += cents(w[1])
		delete(want, l.Item)
	}
	if len(want) > 0 {
		t.Errorf("missing lines: %v", want)
	}
	if c.Desired != cents(desired) || c.Max != cents(maxed) {
		t.Errorf("totals $%v / $%v, want $%v / $%v", c.Desired, c.Max, cents(desired), cents(maxed))
	}
	if c.Desired != 973.93 || c.Max != 1604.65 {
		t.Errorf("totals $%v / $%v, want $973.93 / $1604.65", c.Desired, c.Max)
	}
	if len(c.Unpriced) != 0 {
		t.Errorf("unpriced: %v", c.Unpriced)
	}
}

func TestNoPricesForARegion(t *testing.T) {
	m := manifest.Region{Name: "xx-nowhere-1", Resources: []manifest.Resource{
		{URN: urn("aws:kms/key:Key", "k"), Type: "aws:kms/key:Key", Custom: true},
	}}
	e, err := Of(m)
	if err != nil {
		t.Fatal(err)
	}
	if e.Monthly != nil || e.NoPrices != "no prices for xx-nowhere-1" {
		t.Errorf("monthly %+v, note %q", e.Monthly, e.NoPrices)
	}
	if e.FirstUp.Total == 0 {
		t.Error("a region without prices lost its time estimate")
	}
}

func TestUnlistedClassIsUnpricedNotFree(t *testing.T) {
	c, err := CostOf(manifest.Region{Name: "eu-west-1", Resources: []manifest.Resource{
		{URN: urn("aws:rds/clusterInstance:ClusterInstance", "db"), Type: "aws:rds/clusterInstance:ClusterInstance", Name: "db", Custom: true, Inputs: map[string]any{"instanceClass": "db.x2g.16xlarge"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Desired != 0 || len(c.Unpriced) != 1 || !strings.Contains(c.Unpriced[0], "db.x2g.16xlarge") {
		t.Errorf("cost %+v", c)
	}
}

func TestDollars(t *testing.T) {
	for in, want := range map[float64]string{0: "$0", 412.4: "$412", -35.2: "−$35", 4210.5: "$4,211", 1234567: "$1,234,567", -0.2: "$0"} {
		if got := Dollars(in); got != want {
			t.Errorf("Dollars(%v) = %q, want %q", in, got, want)
		}
	}
}
