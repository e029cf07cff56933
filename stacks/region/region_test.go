package region_test

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/awsmodel/mockaws"
	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/internal/stackstest"
	"github.com/regionctl/regionctl/stacks/region"
)

// run runs the whole region program under a fresh recorder, as `regionctl plan` does.
func run(t testing.TB, r *spec.Region) stackstest.Registrations {
	t.Helper()
	rec := mockaws.New(r.Region, r.AccountID)
	if err := pulumi.RunErr(region.Program(r), pulumi.WithMocks(stackstest.Project, r.Region, rec)); err != nil {
		t.Fatalf("region program failed: %v", err)
	}
	return stackstest.Registrations(rec.Registrations())
}

func TestReferenceRegion(t *testing.T) {
	regs := run(t, stackstest.Region())
	stackstest.CheckInvariants(t, regs)

	// The ARCHITECTURE.md example: 3 AZs with a NAT each, two fleets (one behind a
	// public ALB without certificate), one 2-instance MySQL cluster, one Redis with a
	// replica, one queue, one bucket.
	want := map[string]int{
		"pulumi:providers:aws":           1,
		"regionctl:stacks:Key":           1,
		"regionctl:stacks:Network":       1,
		"regionctl:stacks:Fleet":         2,
		"regionctl:stacks:Database":      1,
		"regionctl:stacks:Cache":         1,
		"regionctl:stacks:Queue":         1,
		"regionctl:stacks:Bucket":        1,
		"regionctl:stacks:Observability": 1,

		"aws:kms/key:Key":     1,
		"aws:kms/alias:Alias": 1,

		"aws:ec2/vpc:Vpc": 1,
		"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":   1,
		"aws:ec2/subnet:Subnet":                               9,
		"aws:ec2/internetGateway:InternetGateway":             1,
		"aws:ec2/eip:Eip":                                     3,
		"aws:ec2/natGateway:NatGateway":                       3,
		"aws:ec2/routeTable:RouteTable":                       5,
		"aws:ec2/route:Route":                                 4,
		"aws:ec2/routeTableAssociation:RouteTableAssociation": 9,
		"aws:ec2/vpcEndpoint:VpcEndpoint":                     9, // S3 gateway, 8 interface
		"aws:ec2/flowLog:FlowLog":                             1,
		"aws:iam/rolePolicy:RolePolicy":                       3, // flow logs, web and worker access

		"aws:ec2/securityGroup:SecurityGroup":                       6, // web app+alb, worker app, database, cache, interface endpoints
		"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": 6, // alb:80, app<-alb, db<-web/worker, cache<-web, endpoints<-VPC:443
		"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":   6, // alb->app, web/worker 443, web->db/cache, worker->db
		"aws:ec2/launchTemplate:LaunchTemplate":                     2,
		"aws:autoscaling/group:Group":                               2,
		"aws:autoscaling/policy:Policy":                             2,
		"aws:iam/instanceProfile:InstanceProfile":                   2,
		"aws:iam/role:Role":                                         4, // flow logs, 2 fleets, RDS monitoring
		"aws:iam/rolePolicyAttachment:RolePolicyAttachment":         5, // 2 per fleet, RDS monitoring
		"aws:lb/loadBalancer:LoadBalancer":                          1,
		"aws:lb/targetGroup:TargetGroup":                            1,
		"aws:lb/listener:Listener":                                  1,

		"aws:rds/subnetGroup:SubnetGroup":                     1,
		"aws:rds/clusterParameterGroup:ClusterParameterGroup": 1,
		"aws:rds/cluster:Cluster":                             1,
		"aws:rds/clusterInstance:ClusterInstance":             2,
		"aws:cloudwatch/logGroup:LogGroup":                    7, // flow logs, 4 MySQL exports, 2 fleets

		"aws:elasticache/subnetGroup:SubnetGroup":           1,
		"aws:elasticache/replicationGroup:ReplicationGroup": 1,
		"aws:elasticache/user:User":                         2, // disabled default, IAM-authenticated servers
		"aws:elasticache/userGroup:UserGroup":               1,

		"aws:sqs/queue:Queue":                           2,
		"aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": 1,

		"aws:s3/bucketV2:BucketV2":                                                                   1,
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     1,
		"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     1,
		"aws:s3/bucketVersioningV2:BucketVersioningV2":                                               1,
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": 1,
		"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       1,
		"aws:s3/bucketPolicy:BucketPolicy":                                                           1,

		"aws:sns/topic:Topic":                         1,
		"aws:sns/topicSubscription:TopicSubscription": 1,
		// web: 3 ALB; main: cpu, memory, lag; sessions: 2 nodes x 2; events: age, dlq
		"aws:cloudwatch/metricAlarm:MetricAlarm": 12,
	}
	got := regs.CountByType()
	if !reflect.DeepEqual(got, want) {
		var diff []string
		for typ := range merge(got, want) {
			if got[typ] != want[typ] {
				diff = append(diff, fmt.Sprintf("%s: got %d, want %d", typ, got[typ], want[typ]))
			}
		}
		sort.Strings(diff)
		t.Errorf("resource counts differ:\n  %s", strings.Join(diff, "\n  "))
	}
	t.Logf("%d registrations (%d AWS resources)", len(regs), len(regs)-10)
}

func TestProvider(t *testing.T) {
	r := stackstest.Region(func(r *spec.Region) { r.Tags["managed-by"] = "someone-else" })
	regs := run(t, r)
	p := regs.Named(t, "pulumi:providers:aws", "aws-eu-west-1")
	if got := stackstest.Str(p, "region"); got != "eu-west-1" {
		t.Errorf("provider region %q", got)
	}
	if got := stackstest.Strs(p, "allowedAccountIds"); !reflect.DeepEqual(got, []string{"123456789012"}) {
		t.Errorf("allowedAccountIds %v", got)
	}
	wantTags := map[string]string{
		"region": "eu-west-1", "jurisdiction": "eu", "managed-by": "regionctl", "costCenter": "hosting-eu",
	}
	for k, v := range wantTags {
		if got := stackstest.Str(p, "defaultTags.tags."+k); got != v {
			t.Errorf("default tag %s = %q, want %q", k, got, v)
		}
	}
	for _, skip := range []string{"skipCredentialsValidation", "skipRequestingAccountId", "skipRegionValidation"} {
		if stackstest.Bool(p, skip) {
			t.Errorf("%s is on", skip)
		}
	}
}

// TestEncryptedWithRegionKey checks that every resource that takes a KMS key gets
// the region's key and nothing else.
func TestEncryptedWithRegionKey(t *testing.T) {
	r := stackstest.Region()
	rec := mockaws.New(r.Region, r.AccountID)
	var key func() string
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		reg, err := region.New(ctx, r)
		if err != nil {
			return err
		}
		key = stackstest.Capture[string](reg.Key.KeyARN)
		return nil
	}, pulumi.WithMocks(stackstest.Project, r.Region, rec))
	if err != nil {
		t.Fatal(err)
	}
	regs := stackstest.Registrations(rec.Registrations())
	if !strings.HasPrefix(key(), "arn:aws:kms:eu-west-1:123456789012:key/") {
		t.Fatalf("key ARN %q", key())
	}
	paths := map[string][]string{
		"aws:cloudwatch/logGroup:LogGroup":                  {"kmsKeyId"},
		"aws:rds/cluster:Cluster":                           {"kmsKeyId", "masterUserSecretKmsKeyId"},
		"aws:rds/clusterInstance:ClusterInstance":           {"performanceInsightsKmsKeyId"},
		"aws:elasticache/replicationGroup:ReplicationGroup": {"kmsKeyId"},
		"aws:sqs/queue:Queue":                               {"kmsMasterKeyId"},
		"aws:sns/topic:Topic":                               {"kmsMasterKeyId"},
		"aws:ec2/launchTemplate:LaunchTemplate":             {"blockDeviceMappings[0].ebs.kmsKeyId"},
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": {
			"rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId",
		},
	}
	for typ, ps := range paths {
		rs := regs.OfType(typ)
		if len(rs) == 0 {
			t.Errorf("no %s in the region", typ)
		}
		for _, r := range rs {
			for _, p := range ps {
				if got := stackstest.Str(r, p); got != key() {
					t.Errorf("%s %s: %s = %q, want the region key %s", typ, r.Name, p, got, key())
				}
			}
		}
	}
}

func TestDataStoresInIsolatedSubnets(t *testing.T) {
	regs := run(t, stackstest.Region())
	isolated := map[string]bool{}
	for _, s := range regs.OfType("aws:ec2/subnet:Subnet") {
		if stackstest.Str(s, "tags.tier") == "isolated" {
			isolated[subnetID(t, regs, s)] = true
		}
	}
	for _, typ := range []string{"aws:rds/subnetGroup:SubnetGroup", "aws:elasticache/subnetGroup:SubnetGroup"} {
		for _, g := range regs.OfType(typ) {
			ids := stackstest.Strs(g, "subnetIds")
			if len(ids) != 3 {
				t.Errorf("%s spans %d subnets, want 3", g.Name, len(ids))
			}
			for _, id := range ids {
				if !isolated[id] {
					t.Errorf("%s uses %s, not an isolated subnet", g.Name, id)
				}
			}
		}
	}
}

// subnetID recovers a subnet's fake id through a route table association naming it.
func subnetID(t *testing.T, regs stackstest.Registrations, subnet mockaws.Registration) string {
	t.Helper()
	a := regs.Named(t, "aws:ec2/routeTableAssociation:RouteTableAssociation", subnet.Name)
	return stackstest.Str(a, "subnetId")
}

func TestDeterministic(t *testing.T) {
	first := run(t, stackstest.Region())
	second := run(t, stackstest.Region())
	if !reflect.DeepEqual(first, second) {
		for i := range first {
			if i < len(second) && !reflect.DeepEqual(first[i], second[i]) {
				t.Fatalf("registration %d differs:\n%+v\n%+v", i, first[i], second[i])
			}
		}
		t.Fatalf("two runs registered %d and %d resources", len(first), len(second))
	}
}

func TestSingleNATAndTwoAZs(t *testing.T) {
	r := stackstest.Region(func(r *spec.Region) {
		r.Network.AZs = spec.AZs{Names: []string{"eu-west-1b", "eu-west-1c"}}
		r.Network.NATGateways = spec.NATSingle
	})
	regs := run(t, r)
	stackstest.CheckInvariants(t, regs)
	count := regs.CountByType()
	if count["aws:ec2/subnet:Subnet"] != 6 || count["aws:ec2/natGateway:NatGateway"] != 1 {
		t.Errorf("%d subnets and %d NAT gateways, want 6 and 1", count["aws:ec2/subnet:Subnet"], count["aws:ec2/natGateway:NatGateway"])
	}
	for _, i := range regs.OfType("aws:rds/clusterInstance:ClusterInstance") {
		if az := stackstest.Str(i, "availabilityZone"); az != "eu-west-1b" && az != "eu-west-1c" {
			t.Errorf("%s in %s", i.Name, az)
		}
	}
}

func TestDefaultsRequired(t *testing.T) {
	r := &spec.Region{Region: "eu-west-1", AccountID: "123456789012"}
	err := pulumi.RunErr(region.Program(r), pulumi.WithMocks(stackstest.Project, r.Region, mockaws.New(r.Region, r.AccountID)))
	if err == nil || !strings.Contains(err.Error(), "defaults are not applied") {
		t.Fatalf("err = %v, want defaults not applied", err)
	}
}

// BenchmarkRegionProgram is one full region under mocks, as `regionctl plan` runs it.
func BenchmarkRegionProgram(b *testing.B) {
	r := stackstest.Region()
	b.ReportAllocs()
	for b.Loop() {
		rec := mockaws.New(r.Region, r.AccountID)
		if err := pulumi.RunErr(region.Program(r), pulumi.WithMocks(stackstest.Project, r.Region, rec)); err != nil {
			b.Fatal(err)
		}
	}
}

func merge(a, b map[string]int) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}
