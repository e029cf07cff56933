package mockaws_test

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/regionctl/regionctl/internal/awsmodel/mockaws"
)

const (
	region    = "eu-west-1"
	account   = "123456789012"
	stackURN  = "urn:pulumi:eu-west-1::regionctl::pulumi:pulumi:Stack::regionctl-eu-west-1"
	component = "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Database::database-main"
)

func register(typ, name, parent string, inputs resource.PropertyMap, edit ...func(*pulumirpc.RegisterResourceRequest)) pulumi.MockResourceArgs {
	rpc := &pulumirpc.RegisterResourceRequest{Type: typ, Name: name, Parent: parent, Custom: true}
	for _, e := range edit {
		e(rpc)
	}
	return pulumi.MockResourceArgs{
		TypeToken: typ, Name: name, Inputs: inputs, Custom: rpc.Custom,
		Provider: "urn:pulumi:eu-west-1::regionctl::pulumi:providers:aws::aws::0000", RegisterRPC: rpc,
	}
}

func str(s string) resource.PropertyValue { return resource.NewStringProperty(s) }

func TestFakeAttributes(t *testing.T) {
	tests := []struct {
		typ, name string
		inputs    resource.PropertyMap
		id        string            // regexp
		outputs   map[string]string // output → regexp
	}{
		{"aws:kms/key:Key", "kms-key", nil, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$`,
			map[string]string{"arn": `^arn:aws:kms:eu-west-1:123456789012:key/[0-9a-f-]{36}$`}},
		{"aws:ec2/vpc:Vpc", "vpc", nil, `^vpc-[0-9a-f]{17}$`,
			map[string]string{"arn": `^arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-[0-9a-f]{17}$`, "defaultSecurityGroupId": `^sg-`}},
		{"aws:ec2/subnet:Subnet", "subnet", nil, `^subnet-[0-9a-f]{17}$`, nil},
		{"aws:ec2/eip:Eip", "eip", nil, `^eipalloc-`, map[string]string{"publicIp": `^198\.1[89]\.\d+\.\d+$`}},
		{"aws:ec2/securityGroup:SecurityGroup", "app", nil, `^sg-[0-9a-f]{17}$`, map[string]string{"name": `^app$`}},
		{"aws:iam/role:Role", "role", resource.PropertyMap{"name": str("regionctl-eu-west-1-web")}, `^regionctl-eu-west-1-web$`,
			map[string]string{"arn": `^arn:aws:iam::123456789012:role/regionctl-eu-west-1-web$`}},
		{"aws:lb/loadBalancer:LoadBalancer", "alb", resource.PropertyMap{"name": str("web-alb"), "internal": resource.NewBoolProperty(true)},
			`^arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web-alb/[0-9a-f]{16}$`,
			map[string]string{"arnSuffix": `^app/web-alb/[0-9a-f]{16}$`, "dnsName": `^internal-web-alb-\d{10}\.eu-west-1\.elb\.amazonaws\.com$`}},
		{"aws:lb/targetGroup:TargetGroup", "tg", resource.PropertyMap{"name": str("web-tg")}, `:targetgroup/web-tg/`,
			map[string]string{"arnSuffix": `^targetgroup/web-tg/[0-9a-f]{16}$`}},
		{"aws:rds/cluster:Cluster", "db", resource.PropertyMap{
			"clusterIdentifier": str("main"), "engine": str("aurora-postgresql"), "manageMasterUserPassword": resource.NewBoolProperty(true),
		}, `^main$`, map[string]string{
			"arn":            `^arn:aws:rds:eu-west-1:123456789012:cluster:main$`,
			"endpoint":       `^main\.cluster-[0-9a-f]{12}\.eu-west-1\.rds\.amazonaws\.com$`,
			"readerEndpoint": `^main\.cluster-ro-[0-9a-f]{12}\.eu-west-1\.rds\.amazonaws\.com$`,
		}},
		{"aws:elasticache/replicationGroup:ReplicationGroup", "redis", resource.PropertyMap{
			"replicationGroupId": str("sessions"), "numCacheClusters": resource.NewNumberProperty(2),
		}, `^sessions$`, map[string]string{"primaryEndpointAddress": `^master\.sessions\.[0-9a-f]{6}\.euw1\.cache\.amazonaws\.com$`}},
		{"aws:sqs/queue:Queue", "q", resource.PropertyMap{"name": str("orders"), "fifoQueue": resource.NewBoolProperty(true)},
			`^https://sqs\.eu-west-1\.amazonaws\.com/123456789012/orders\.fifo$`,
			map[string]string{"arn": `^arn:aws:sqs:eu-west-1:123456789012:orders\.fifo$`}},
		{"aws:s3/bucketV2:BucketV2", "b", resource.PropertyMap{"bucket": str("uploads-eu-west-1-123456789012")}, `^uploads-eu-west-1-123456789012$`,
			map[string]string{"arn": `^arn:aws:s3:::uploads-eu-west-1-123456789012$`, "bucketRegionalDomainName": `\.s3\.eu-west-1\.amazonaws\.com$`}},
		{"aws:sns/topic:Topic", "t", resource.PropertyMap{"name": str("regionctl-alarms")}, `^arn:aws:sns:eu-west-1:123456789012:regionctl-alarms$`, nil},
		{"aws:ec2/vpcEndpoint:VpcEndpoint", "s3", resource.PropertyMap{"vpcEndpointType": str("Gateway"), "serviceName": str("com.amazonaws.eu-west-1.s3")},
			`^vpce-[0-9a-f]{17}$`, map[string]string{"prefixListId": `^pl-[0-9a-f]{8}$`}},
		{"aws:ec2/vpcEndpoint:VpcEndpoint", "ssm", resource.PropertyMap{"vpcEndpointType": str("Interface"), "serviceName": str("com.amazonaws.eu-west-1.ssm"),
			"subnetIds": resource.NewArrayProperty([]resource.PropertyValue{str("subnet-1"), str("subnet-2")})},
			`^vpce-[0-9a-f]{17}$`, map[string]string{"dnsEntries[0].dnsName": `^vpce-[0-9a-f]{17}-[0-9a-f]{8}\.ssm\.eu-west-1\.vpce\.amazonaws\.com$`,
				"networkInterfaceIds[1]": `^eni-[0-9a-f]{17}$`}},
		{"aws:cloudwatch/logGroup:LogGroup", "lg", resource.PropertyMap{"name": str("/regionctl/app/web")}, `^/regionctl/app/web$`,
			map[string]string{"arn": `^arn:aws:logs:eu-west-1:123456789012:log-group:/regionctl/app/web$`}},
		{"aws:acm/certificate:Certificate", "cert", nil, `^cert-id$`, map[string]string{"arn": `^arn:aws:acm:eu-west-1:123456789012:cert$`}},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			rec := mockaws.New(region, account)
			id, out, err := rec.NewResource(register(tt.typ, tt.name, stackURN, tt.inputs))
			if err != nil {
				t.Fatal(err)
			}
			if !regexp.MustCompile(tt.id).MatchString(id) {
				t.Errorf("id %q does not match %s", id, tt.id)
			}
			if got := out["id"].StringValue(); got != id {
				t.Errorf("outputs id %q, returned %q", got, id)
			}
			for k, v := range tt.inputs {
				if !out[k].DeepEquals(v) && k != "name" {
					t.Errorf("input %s not passed through: %v", k, out[k])
				}
			}
			for k, re := range tt.outputs {
				path, err := resource.ParsePropertyPath(k)
				if err != nil {
					t.Fatal(err)
				}
				v, ok := path.Get(resource.NewObjectProperty(out))
				if !ok || !v.IsString() || !regexp.MustCompile(re).MatchString(v.StringValue()) {
					t.Errorf("output %s = %v, want %s", k, v, re)
				}
			}
		})
	}
}

func TestSameInputSameOutput(t *testing.T) {
	args := register("aws:rds/cluster:Cluster", "database-main-cluster", component, resource.PropertyMap{
		"clusterIdentifier": str("main"), "manageMasterUserPassword": resource.NewBoolProperty(true),
	})
	id1, out1, _ := mockaws.New(region, account).NewResource(args)
	id2, out2, _ := mockaws.New(region, account).NewResource(args)
	if id1 != id2 || !reflect.DeepEqual(out1, out2) {
		t.Errorf("two recorders answered differently:\n%s %v\n%s %v", id1, out1, id2, out2)
	}
	_, other, _ := mockaws.New("ap-southeast-2", account).NewResource(args)
	if reflect.DeepEqual(out1["endpoint"], other["endpoint"]) {
		t.Error("two regions got the same endpoint")
	}
}

func TestRegistration(t *testing.T) {
	rec := mockaws.New(region, account)
	if _, _, err := rec.NewResource(register("regionctl:stacks:Database", "database-main", stackURN, nil,
		func(r *pulumirpc.RegisterResourceRequest) { r.Custom = false })); err != nil {
		t.Fatal(err)
	}
	yes := true
	if _, _, err := rec.NewResource(register("aws:rds/cluster:Cluster", "database-main-cluster", component,
		resource.PropertyMap{"engine": str("aurora-mysql")},
		func(r *pulumirpc.RegisterResourceRequest) {
			r.Protect, r.RetainOnDelete = &yes, &yes
			r.DeleteBeforeReplace = true
			r.IgnoreChanges = []string{"engineVersion"}
		})); err != nil {
		t.Fatal(err)
	}
	got := rec.Registrations()
	want := []mockaws.Registration{
		{
			URN:  "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Database$aws:rds/cluster:Cluster::database-main-cluster",
			Type: "aws:rds/cluster:Cluster", Name: "database-main-cluster", Parent: component, Custom: true,
			Provider: "urn:pulumi:eu-west-1::regionctl::pulumi:providers:aws::aws::0000",
			Protect:  true, RetainOnDelete: true, DeleteBeforeReplace: true, IgnoreChanges: []string{"engineVersion"},
			Inputs: resource.PropertyMap{"engine": str("aurora-mysql")},
			// What the fake AWS computed, for a diff to follow a replacement.
			ID: "database-main-cluster",
			Computed: map[string]string{
				"arn":               "arn:aws:rds:eu-west-1:123456789012:cluster:database-main-cluster",
				"clusterIdentifier": "database-main-cluster",
				"clusterResourceId": "cluster-A40A302CEF53865D966D39087B",
				"endpoint":          "database-main-cluster.cluster-c0db79d8ce2e.eu-west-1.rds.amazonaws.com",
				"id":                "database-main-cluster",
				"readerEndpoint":    "database-main-cluster.cluster-ro-c0db79d8ce2e.eu-west-1.rds.amazonaws.com",
			},
		},
		{
			URN:  component,
			Type: "regionctl:stacks:Database", Name: "database-main", Parent: stackURN,
			Provider: "urn:pulumi:eu-west-1::regionctl::pulumi:providers:aws::aws::0000",
			Computed: map[string]string{},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("registrations\n got %+v\nwant %+v", got, want)
	}

	if _, _, err := rec.NewResource(register("regionctl:stacks:Database", "database-main", stackURN, nil)); err == nil ||
		!strings.Contains(err.Error(), "duplicate resource URN") {
		t.Errorf("registering a URN twice: err = %v", err)
	}
}

func TestConcurrentRegistrations(t *testing.T) {
	rec := mockaws.New(region, account)
	const n = 200
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if _, _, err := rec.NewResource(register("aws:sqs/queue:Queue", fmt.Sprintf("q-%03d", i), stackURN, nil)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	regs := rec.Registrations()
	if len(regs) != n {
		t.Fatalf("%d registrations, want %d", len(regs), n)
	}
	if !slices.IsSortedFunc(regs, func(a, b mockaws.Registration) int { return strings.Compare(a.URN, b.URN) }) {
		t.Error("registrations are not sorted by URN")
	}
}

func TestCall(t *testing.T) {
	rec := mockaws.New(region, account)
	out, err := rec.Call(pulumi.MockCallArgs{Token: "aws:index/getCallerIdentity:getCallerIdentity"})
	if err != nil || out["accountId"].StringValue() != account {
		t.Errorf("getCallerIdentity = %v, %v", out, err)
	}
	out, err = rec.Call(pulumi.MockCallArgs{Token: "aws:index/getRegion:getRegion"})
	if err != nil || out["name"].StringValue() != region {
		t.Errorf("getRegion = %v, %v", out, err)
	}
	_, err = rec.Call(pulumi.MockCallArgs{Token: "aws:ec2/getAmi:getAmi"})
	if err == nil || !strings.Contains(err.Error(), `"aws:ec2/getAmi:getAmi"`) {
		t.Errorf("unknown invoke: err = %v", err)
	}
}

// TestUnderPulumi runs a small program through the SDK's mock monitor: URNs match the
// engine's, outputs reach dependent resources, the provider is recorded.
func TestUnderPulumi(t *testing.T) {
	rec := mockaws.New(region, account)
	var url string
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws", &aws.ProviderArgs{Region: pulumi.String(region)})
		if err != nil {
			return err
		}
		q, err := sqs.NewQueue(ctx, "q", &sqs.QueueArgs{Name: pulumi.String("events")}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		q.Url.ApplyT(func(s string) string { url = s; return s })
		ctx.Export("url", q.Url)
		_, err = sqs.NewQueue(ctx, "dlq", &sqs.QueueArgs{RedrivePolicy: q.Arn}, pulumi.Provider(p))
		return err
	}, pulumi.WithMocks("regionctl", region, rec))
	if err != nil {
		t.Fatal(err)
	}
	if url != "https://sqs.eu-west-1.amazonaws.com/123456789012/events" {
		t.Errorf("url %q", url)
	}
	regs := rec.Registrations()
	var urns []string
	for _, r := range regs {
		urns = append(urns, r.URN)
	}
	want := []string{
		"urn:pulumi:eu-west-1::regionctl::aws:sqs/queue:Queue::dlq",
		"urn:pulumi:eu-west-1::regionctl::aws:sqs/queue:Queue::q",
		"urn:pulumi:eu-west-1::regionctl::pulumi:providers:aws::aws",
	}
	if !slices.Equal(urns, want) {
		t.Errorf("URNs %v, want %v", urns, want)
	}
	if got := regs[0].Inputs["redrivePolicy"].StringValue(); got != "arn:aws:sqs:eu-west-1:123456789012:events" {
		t.Errorf("dependent input %q, want the queue's ARN", got)
	}
}

func BenchmarkNewResource(b *testing.B) {
	inputs := resource.PropertyMap{"clusterIdentifier": str("main"), "engine": str("aurora-mysql")}
	b.ReportAllocs()
	i := 0
	rec := mockaws.New(region, account)
	for b.Loop() {
		i++
		if _, _, err := rec.NewResource(register("aws:rds/cluster:Cluster", fmt.Sprint("c", i), component, inputs)); err != nil {
			b.Fatal(err)
		}
	}
}

// An email subscription stays pending until a person confirms it; an https endpoint
// that confirms itself, and an SQS queue of the account, do not.
func TestSubscriptionPending(t *testing.T) {
	for _, tt := range []struct {
		protocol     string
		autoConfirms bool
		pending      bool
	}{
		{"email", false, true},
		{"email", true, true}, // the flag means nothing to a mailbox
		{"https", false, true},
		{"https", true, false},
		{"sqs", false, false},
	} {
		in := resource.PropertyMap{"protocol": str(tt.protocol), "endpointAutoConfirms": resource.NewBoolProperty(tt.autoConfirms),
			"topic": str("arn:aws:sns:eu-west-1:123456789012:regionctl-alarms")}
		_, out := mockaws.Attributes(region, account, "aws:sns/topicSubscription:TopicSubscription", "sub", in)
		if got := out["pendingConfirmation"]; !got.IsBool() || got.BoolValue() != tt.pending {
			t.Errorf("%s (auto-confirms %v): pendingConfirmation %v, want %v", tt.protocol, tt.autoConfirms, got, tt.pending)
		}
	}
}
