package rehearsal_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// TestCheckLimits: what AWS would refuse, refused before anything is created, with
// the exact reason.
func TestCheckLimits(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct {
		name   string
		typ    string
		inputs resource.PropertyMap
		want   []string // "property: reason"; nil when valid
	}{
		// SQS
		{"queue ok", "aws:sqs/queue:Queue", resource.PropertyMap{"name": str("events_v2-dlq")}, nil},
		{"queue at 80", "aws:sqs/queue:Queue", resource.PropertyMap{"name": str(long(80))}, nil},
		{"queue too long", "aws:sqs/queue:Queue", resource.PropertyMap{"name": str(long(81))},
			[]string{`name: SQS queue name "` + long(81) + `" is 81 characters long; at most 80 are allowed`}},
		{"fifo queue counts its suffix", "aws:sqs/queue:Queue", resource.PropertyMap{"name": str(long(76) + ".fifo"), "fifoQueue": yes(true)},
			[]string{`name: SQS queue name "` + long(76) + `.fifo" is 81 characters long; at most 80 are allowed`}},
		{"queue charset", "aws:sqs/queue:Queue", resource.PropertyMap{"name": str("events.v2")},
			[]string{`name: SQS queue name "events.v2" may contain only letters, digits, hyphens and underscores`}},
		{"fifo queue without suffix", "aws:sqs/queue:Queue", resource.PropertyMap{"name": str("orders"), "fifoQueue": yes(true)},
			[]string{`name: SQS queue name "orders" must end with ".fifo" because fifoQueue is set`}},
		{"standard queue with suffix", "aws:sqs/queue:Queue", resource.PropertyMap{"name": str("orders.fifo"), "fifoQueue": yes(false)},
			[]string{`name: SQS queue name "orders.fifo" ends with ".fifo", which only a FIFO name may: set fifoQueue`}},
		{"queue ranges", "aws:sqs/queue:Queue", resource.PropertyMap{
			"name": str("q"), "visibilityTimeoutSeconds": num(43201), "messageRetentionSeconds": num(30),
			"receiveWaitTimeSeconds": num(20), "kmsDataKeyReusePeriodSeconds": num(300), "delaySeconds": num(1.5),
		}, []string{
			"delaySeconds: delaySeconds is 1.5; it must be a whole number from 0 to 900",
			"messageRetentionSeconds: messageRetentionSeconds is 30; it must be a whole number from 60 to 1209600",
			"visibilityTimeoutSeconds: visibilityTimeoutSeconds is 43201; it must be a whole number from 0 to 43200",
		}},
		{"queue name not known yet", "aws:sqs/queue:Queue", resource.PropertyMap{"name": unknown(), "fifoQueue": yes(true)}, nil},
		{"secret queue name", "aws:sqs/queue:Queue", resource.PropertyMap{"name": resource.MakeSecret(str("a b"))},
			[]string{`name: SQS queue name "a b" may contain only letters, digits, hyphens and underscores`}},

		// SNS
		{"fifo topic", "aws:sns/topic:Topic", resource.PropertyMap{"name": str("alarms.fifo"), "fifoTopic": yes(true)}, nil},
		{"topic too long", "aws:sns/topic:Topic", resource.PropertyMap{"name": str(long(257))},
			[]string{`name: SNS topic name "` + long(257) + `" is 257 characters long; at most 256 are allowed`}},

		// S3
		{"bucket ok", "aws:s3/bucketV2:BucketV2", resource.PropertyMap{"bucket": str("uploads-eu-west-1-210987654321")}, nil},
		{"bucket too short", "aws:s3/bucketV2:BucketV2", resource.PropertyMap{"bucket": str("ab")},
			[]string{`bucket: S3 bucket name "ab" is 2 characters long; at least 3 are required`}},
		{"bucket too long", "aws:s3/bucketV2:BucketV2", resource.PropertyMap{"bucket": str(long(64))},
			[]string{`bucket: S3 bucket name "` + long(64) + `" is 64 characters long; at most 63 are allowed`}},
		{"bucket upper case", "aws:s3/bucketV2:BucketV2", resource.PropertyMap{"bucket": str("Uploads")},
			[]string{`bucket: S3 bucket name "Uploads" may contain only lowercase letters, digits, periods and hyphens`}},
		{"bucket hyphen last", "aws:s3/bucketV2:BucketV2", resource.PropertyMap{"bucket": str("uploads-")},
			[]string{`bucket: S3 bucket name "uploads-" must begin and end with a letter or digit`}},
		{"bucket double period", "aws:s3/bucketV2:BucketV2", resource.PropertyMap{"bucket": str("up..loads")},
			[]string{`bucket: S3 bucket name "up..loads" must not contain two adjacent periods`}},
		{"bucket like an IP", "aws:s3/bucketV2:BucketV2", resource.PropertyMap{"bucket": str("192.168.5.4")},
			[]string{`bucket: S3 bucket name "192.168.5.4" must not be formatted as an IP address`}},
		{"bucket reserved prefix", "aws:s3/bucketV2:BucketV2", resource.PropertyMap{"bucket": str("xn--uploads")},
			[]string{`bucket: S3 bucket name "xn--uploads" must not begin with "xn--", which AWS reserves`}},
		{"bucket reserved suffix", "aws:s3/bucketV2:BucketV2", resource.PropertyMap{"bucket": str("uploads-s3alias")},
			[]string{`bucket: S3 bucket name "uploads-s3alias" must not end with "-s3alias", which AWS reserves`}},
		{"bucket prefix too long", "aws:s3/bucketV2:BucketV2", resource.PropertyMap{"bucketPrefix": str(long(38))},
			[]string{`bucketPrefix: S3 bucket prefix "` + long(38) + `" is 38 characters long; at most 37 are allowed`}},
		{"queue prefix too long", "aws:sqs/queue:Queue", resource.PropertyMap{"namePrefix": str(long(55))},
			[]string{`name: SQS queue name "` + long(55) + `00103330198048202166459451" is 81 characters long; at most 80 are allowed (generated from namePrefix: shorten it)`}},

		// Load balancing
		{"alb at 32", "aws:lb/loadBalancer:LoadBalancer", resource.PropertyMap{"name": str(long(28) + "-alb")}, nil},
		{"alb too long", "aws:lb/loadBalancer:LoadBalancer", resource.PropertyMap{"name": str(long(29) + "-alb")},
			[]string{`name: load balancer name "` + long(29) + `-alb" is 33 characters long; at most 32 are allowed`}},
		{"alb underscore", "aws:lb/loadBalancer:LoadBalancer", resource.PropertyMap{"name": str("web_alb")},
			[]string{`name: load balancer name "web_alb" may contain only letters, digits and hyphens`}},
		{"alb leading hyphen", "aws:lb/loadBalancer:LoadBalancer", resource.PropertyMap{"name": str("-web")},
			[]string{`name: load balancer name "-web" must not begin or end with a hyphen`}},
		{"alb internal prefix", "aws:lb/loadBalancer:LoadBalancer", resource.PropertyMap{"name": str("internal-web")},
			[]string{`name: load balancer name "internal-web" must not begin with "internal-"`}},
		{"alb name prefix", "aws:lb/loadBalancer:LoadBalancer", resource.PropertyMap{"namePrefix": str("webalb-")},
			[]string{`namePrefix: load balancer name prefix "webalb-" is 7 characters long; at most 6 are allowed`}},
		{"target group too long", "aws:lb/targetGroup:TargetGroup", resource.PropertyMap{"name": str(long(30) + "-tg"), "port": num(80)},
			[]string{`name: target group name "` + long(30) + `-tg" is 33 characters long; at most 32 are allowed`}},
		{"target group port", "aws:lb/targetGroup:TargetGroup", resource.PropertyMap{"name": str("web-tg"), "port": num(70000)},
			[]string{"port: port is 70000; it must be a whole number from 1 to 65535"}},

		// ElastiCache
		{"replication group ok", "aws:elasticache/replicationGroup:ReplicationGroup", resource.PropertyMap{
			"replicationGroupId": str("sessions"), "description": str("sessions"), "numCacheClusters": num(2),
			"automaticFailoverEnabled": yes(true), "multiAzEnabled": yes(true),
		}, nil},
		{"replication group id at 40", "aws:elasticache/replicationGroup:ReplicationGroup", resource.PropertyMap{"replicationGroupId": str(long(40))}, nil},
		{"replication group id too long", "aws:elasticache/replicationGroup:ReplicationGroup", resource.PropertyMap{"replicationGroupId": str(long(41))},
			[]string{`replicationGroupId: replication group id "` + long(41) + `" is 41 characters long; at most 40 are allowed`}},
		{"replication group id first letter", "aws:elasticache/replicationGroup:ReplicationGroup", resource.PropertyMap{"replicationGroupId": str("1sessions")},
			[]string{`replicationGroupId: replication group id "1sessions" must begin with a letter`}},
		{"replication group id double hyphen", "aws:elasticache/replicationGroup:ReplicationGroup", resource.PropertyMap{"replicationGroupId": str("web--sessions")},
			[]string{`replicationGroupId: replication group id "web--sessions" must not contain two consecutive hyphens`}},
		{"replication group id trailing hyphen", "aws:elasticache/replicationGroup:ReplicationGroup", resource.PropertyMap{"replicationGroupId": str("sessions-")},
			[]string{`replicationGroupId: replication group id "sessions-" must not end with a hyphen`}},
		{"failover without replicas", "aws:elasticache/replicationGroup:ReplicationGroup", resource.PropertyMap{
			"replicationGroupId": str("sessions"), "numCacheClusters": num(1), "automaticFailoverEnabled": yes(true),
		}, []string{"automaticFailoverEnabled: automaticFailoverEnabled needs numCacheClusters of at least 2, not 1"}},
		{"multi-AZ without failover", "aws:elasticache/replicationGroup:ReplicationGroup", resource.PropertyMap{
			"replicationGroupId": str("sessions"), "numCacheClusters": num(7), "multiAzEnabled": yes(true),
		}, []string{
			"numCacheClusters: numCacheClusters is 7; it must be a whole number from 1 to 6",
			"multiAzEnabled: multiAzEnabled needs automaticFailoverEnabled",
		}},

		// RDS
		{"cluster ok", "aws:rds/cluster:Cluster", resource.PropertyMap{
			"clusterIdentifier": str("main"), "engine": str("aurora-mysql"), "masterUsername": str("dbadmin"),
			"finalSnapshotIdentifier": str("main-final"), "backupRetentionPeriod": num(14),
		}, nil},
		{"cluster identifier at 63", "aws:rds/cluster:Cluster", resource.PropertyMap{"clusterIdentifier": str(long(63))}, nil},
		{"cluster identifier too long", "aws:rds/cluster:Cluster", resource.PropertyMap{"clusterIdentifier": str(long(64))},
			[]string{`clusterIdentifier: Aurora cluster identifier "` + long(64) + `" is 64 characters long; at most 63 are allowed`}},
		{"cluster identifier upper case", "aws:rds/cluster:Cluster", resource.PropertyMap{"clusterIdentifier": str("Main")},
			[]string{`clusterIdentifier: Aurora cluster identifier "Main" may contain only lowercase letters, digits and hyphens`}},
		{"cluster identifier digit first", "aws:rds/cluster:Cluster", resource.PropertyMap{"clusterIdentifier": str("1main")},
			[]string{`clusterIdentifier: Aurora cluster identifier "1main" must begin with a letter`}},
		{"cluster identifier double hyphen", "aws:rds/cluster:Cluster", resource.PropertyMap{"clusterIdentifier": str("main--db")},
			[]string{`clusterIdentifier: Aurora cluster identifier "main--db" must not contain two consecutive hyphens`}},
		{"cluster identifier trailing hyphen", "aws:rds/cluster:Cluster", resource.PropertyMap{"clusterIdentifier": str("main-")},
			[]string{`clusterIdentifier: Aurora cluster identifier "main-" must not end with a hyphen`}},
		{"cluster settings", "aws:rds/cluster:Cluster", resource.PropertyMap{
			"clusterIdentifier": str("main"), "engine": str("aurora-mysql"), "masterUsername": str("administrator_main"),
			"finalSnapshotIdentifier": str("main_final"), "backupRetentionPeriod": num(36),
		}, []string{
			`finalSnapshotIdentifier: final snapshot identifier "main_final" may contain only letters, digits and hyphens`,
			`masterUsername: master username "administrator_main" is 18 characters long; at most 16 are allowed`,
			"backupRetentionPeriod: backupRetentionPeriod is 36; it must be a whole number from 1 to 35",
		}},
		{"postgres master username", "aws:rds/cluster:Cluster", resource.PropertyMap{
			"clusterIdentifier": str("main"), "engine": str("aurora-postgresql"), "masterUsername": str("administrator_main"),
		}, nil},
		{"instance identifier too long", "aws:rds/clusterInstance:ClusterInstance", resource.PropertyMap{"identifier": str(long(62) + "-1")},
			[]string{`identifier: DB instance identifier "` + long(62) + `-1" is 64 characters long; at most 63 are allowed`}},
		{"promotion tier", "aws:rds/clusterInstance:ClusterInstance", resource.PropertyMap{"identifier": str("main-1"), "promotionTier": num(16)},
			[]string{"promotionTier: promotionTier is 16; it must be a whole number from 0 to 15"}},
		{"subnet group default", "aws:rds/subnetGroup:SubnetGroup", resource.PropertyMap{"name": str("default")},
			[]string{`name: DB subnet group name must not be "default", which AWS reserves`}},
		{"subnet group upper case", "aws:rds/subnetGroup:SubnetGroup", resource.PropertyMap{"name": str("Main-subnets")},
			[]string{`name: DB subnet group name "Main-subnets" may contain only lowercase letters, digits, spaces, periods, underscores and hyphens`}},
		{"parameter group", "aws:rds/clusterParameterGroup:ClusterParameterGroup", resource.PropertyMap{"name": str("main-params-")},
			[]string{`name: DB cluster parameter group name "main-params-" must not end with a hyphen`}},

		// IAM
		{"role at 64", "aws:iam/role:Role", resource.PropertyMap{"name": str(long(64)), "path": str("/regionctl/")}, nil},
		{"role too long", "aws:iam/role:Role", resource.PropertyMap{"name": str(long(65))},
			[]string{`name: IAM role name "` + long(65) + `" is 65 characters long; at most 64 are allowed`}},
		{"role charset", "aws:iam/role:Role", resource.PropertyMap{"name": str("web/instance")},
			[]string{`name: IAM role name "web/instance" may contain only letters, digits and +=,.@_-`}},
		{"role path", "aws:iam/role:Role", resource.PropertyMap{"name": str("web"), "path": str("regionctl")},
			[]string{`path: IAM path "regionctl" must begin and end with "/"`}},
		{"role session", "aws:iam/role:Role", resource.PropertyMap{"name": str("web"), "maxSessionDuration": num(60)},
			[]string{"maxSessionDuration: maxSessionDuration is 60; it must be a whole number from 3600 to 43200"}},
		{"instance profile too long", "aws:iam/instanceProfile:InstanceProfile", resource.PropertyMap{"name": str(long(129))},
			[]string{`name: instance profile name "` + long(129) + `" is 129 characters long; at most 128 are allowed`}},

		// CloudWatch
		{"log group ok", "aws:cloudwatch/logGroup:LogGroup", resource.PropertyMap{"name": str("/aws/rds/cluster/main/audit"), "retentionInDays": num(90)}, nil},
		{"log group charset", "aws:cloudwatch/logGroup:LogGroup", resource.PropertyMap{"name": str("/regionctl/app web")},
			[]string{`name: log group name "/regionctl/app web" may contain only letters, digits and ._-/#`}},
		{"log retention", "aws:cloudwatch/logGroup:LogGroup", resource.PropertyMap{"name": str("app"), "retentionInDays": num(100)},
			[]string{"retentionInDays: retentionInDays is 100; it must be one of 0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"}},
		{"alarm name", "aws:cloudwatch/metricAlarm:MetricAlarm", resource.PropertyMap{"name": str(long(256))},
			[]string{`name: alarm name "` + long(256) + `" is 256 characters long; at most 255 are allowed`}},

		// EC2
		{"security group sg- prefix", "aws:ec2/securityGroup:SecurityGroup", resource.PropertyMap{"name": str("sg-web")},
			[]string{`name: security group name "sg-web" must not begin with "sg-"`}},
		{"security group description", "aws:ec2/securityGroup:SecurityGroup", resource.PropertyMap{"name": str("web"), "description": str("web servers – HTTPS")},
			[]string{`description: security group description "web servers – HTTPS" may contain only letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*`}},
		{"launch template", "aws:ec2/launchTemplate:LaunchTemplate", resource.PropertyMap{"name": str("lt")},
			[]string{`name: launch template name "lt" is 2 characters long; at least 3 are required`}},
		{"vpc ok", "aws:ec2/vpc:Vpc", resource.PropertyMap{"cidrBlock": str("10.20.0.0/16")}, nil},
		{"vpc too big", "aws:ec2/vpc:Vpc", resource.PropertyMap{"cidrBlock": str("10.0.0.0/8")},
			[]string{`cidrBlock: VPC CIDR block "10.0.0.0/8" is a /8; AWS allows /16 to /28`}},
		{"vpc host bits", "aws:ec2/vpc:Vpc", resource.PropertyMap{"cidrBlock": str("10.20.1.0/16")},
			[]string{`cidrBlock: VPC CIDR block "10.20.1.0/16" has host bits set: the network is 10.20.0.0/16`}},
		{"subnet not a CIDR", "aws:ec2/subnet:Subnet", resource.PropertyMap{"cidrBlock": str("10.20.0.0")},
			[]string{`cidrBlock: subnet CIDR block "10.20.0.0" is not an IPv4 CIDR block`}},

		// KMS
		{"key deletion window", "aws:kms/key:Key", resource.PropertyMap{"deletionWindowInDays": num(3)},
			[]string{"deletionWindowInDays: deletionWindowInDays is 3; it must be a whole number from 7 to 30"}},
		{"alias without prefix", "aws:kms/alias:Alias", resource.PropertyMap{"name": str("regionctl")},
			[]string{`name: KMS alias "regionctl" must begin with "alias/"`}},
		{"alias reserved", "aws:kms/alias:Alias", resource.PropertyMap{"name": str("alias/aws/regionctl")},
			[]string{`name: KMS alias "alias/aws/regionctl" must not begin with "alias/aws/", which AWS reserves`}},

		// Tags, on any taggable type
		{"tags", "aws:ec2/vpc:Vpc", resource.PropertyMap{"cidrBlock": str("10.20.0.0/16"), "tags": resource.NewObjectProperty(resource.PropertyMap{
			"aws:owner": str("me"), resource.PropertyKey(long(129)): str("x"), "note": str(long(257)),
		})}, []string{
			`tags: tag key "` + long(129) + `" is 129 characters long; at most 128 are allowed`,
			`tags: tag key "aws:owner" must not begin with "aws:", which AWS reserves`,
			`tags: tag "note" has a value 257 characters long; at most 256 are allowed`,
		}},
	}
	client := configured(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, failures := check(t, client, tt.typ, "thing", tt.inputs)
			if got := failureLines(failures); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("failures\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestCheckTooManyTags(t *testing.T) {
	client := configured(t) // two default tags
	tags := resource.PropertyMap{}
	for i := range 49 {
		tags[resource.PropertyKey("t"+strings.Repeat("x", i))] = str("v")
	}
	_, failures := check(t, client, "aws:sqs/queue:Queue", "q", resource.PropertyMap{"name": str("q"), "tags": resource.NewObjectProperty(tags)})
	want := "tags: 51 tags including the provider's default tags; AWS allows at most 50"
	if got := failureLines(failures); len(got) != 1 || got[0] != want {
		t.Errorf("failures %q, want %q", got, want)
	}
}

// TestAutonaming: a resource whose program leaves its name out gets the real
// provider's kind of name, derived from the URN so it is the same on every run.
func TestAutonaming(t *testing.T) {
	tests := []struct {
		typ, name string
		inputs    resource.PropertyMap
		prop      string
		want      string // regexp
	}{
		{"aws:sqs/queue:Queue", "events", nil, "name", `^events-[0-9a-f]{7}$`},
		{"aws:sqs/queue:Queue", "orders", resource.PropertyMap{"fifoQueue": yes(true)}, "name", `^orders-[0-9a-f]{7}\.fifo$`},
		{"aws:ec2/securityGroup:SecurityGroup", "network-eu-west-1-app", nil, "name", `^network-eu-west-1-app-[0-9a-f]{7}$`},
		{"aws:rds/cluster:Cluster", "Main-DB", nil, "clusterIdentifier", `^main-db-[0-9a-f]{7}$`},
		{"aws:s3/bucketV2:BucketV2", "Uploads", nil, "bucket", `^uploads-[0-9a-f]{7}$`},
		{"aws:kms/alias:Alias", "key", nil, "name", `^alias/key-[0-9a-f]{7}$`},
		{"aws:lb/targetGroup:TargetGroup", "tg", resource.PropertyMap{"namePrefix": str("web-")}, "name", `^web-[0-9]{26}$`},
		{"aws:iam/role:Role", "role", resource.PropertyMap{"name": str("regionctl-web")}, "name", `^regionctl-web$`},
	}
	client := configured(t)
	other := configured(t)
	for _, tt := range tests {
		t.Run(tt.typ+" "+tt.name, func(t *testing.T) {
			if tt.inputs == nil {
				tt.inputs = resource.PropertyMap{}
			}
			first, failures := check(t, client, tt.typ, tt.name, tt.inputs.Copy())
			if len(failures) > 0 {
				t.Fatalf("failures: %v", failureLines(failures))
			}
			name := first[resource.PropertyKey(tt.prop)].StringValue()
			if !regexp.MustCompile(tt.want).MatchString(name) {
				t.Errorf("%s = %q, want %s", tt.prop, name, tt.want)
			}
			again, _ := check(t, other, tt.typ, tt.name, tt.inputs.Copy())
			if got := again[resource.PropertyKey(tt.prop)].StringValue(); got != name {
				t.Errorf("another provider named it %q, the first %q", got, name)
			}
			if _, given := tt.inputs[resource.PropertyKey(tt.prop)]; given {
				return
			}
			renamed, _ := check(t, client, tt.typ, tt.name+"2", tt.inputs.Copy())
			if got := renamed[resource.PropertyKey(tt.prop)].StringValue(); got == name {
				t.Errorf("two resources both named %q", got)
			}
		})
	}
	// A VPC has no name to fill in.
	if inputs, _ := check(t, client, "aws:ec2/vpc:Vpc", "vpc", resource.PropertyMap{"cidrBlock": str("10.0.0.0/16")}); !inputs["name"].IsNull() {
		t.Errorf("a VPC got a name: %v", inputs["name"])
	}
}

func TestAutonameTooLong(t *testing.T) {
	client := configured(t)
	_, failures := check(t, client, "aws:lb/loadBalancer:LoadBalancer", "compute-checkout-alb", resource.PropertyMap{})
	got := failureLines(failures)
	want := `^name: load balancer name "compute-checkout-alb-[0-9a-f]{7}" is 28 characters long; at most 32 are allowed$`
	if len(got) != 0 {
		t.Errorf("a 28-character autoname refused: %q (want none, for %s)", got, want)
	}
	_, failures = check(t, client, "aws:lb/loadBalancer:LoadBalancer", "compute-checkout-eu-alb", resource.PropertyMap{})
	got = failureLines(failures)
	want = `^name: load balancer name "compute-checkout-eu-alb-[0-9a-f]{7}" is 31 characters long; at most 32 are allowed`
	if len(got) != 0 {
		t.Errorf("a 31-character autoname refused: %q", got)
	}
	_, failures = check(t, client, "aws:lb/loadBalancer:LoadBalancer", "compute-checkout-euw1-alb", resource.PropertyMap{})
	got = failureLines(failures)
	want = `^name: load balancer name "compute-checkout-euw1-alb-[0-9a-f]{7}" is 33 characters long; at most 32 are allowed ` +
		`\(generated from the resource name "compute-checkout-euw1-alb": set name, or shorten the resource name\)$`
	if len(got) != 1 || !regexp.MustCompile(want).MatchString(got[0]) {
		t.Errorf("failures %q, want one matching %s", got, want)
	}
}

// TestTagsAll: tagsAll is the provider's default tags with the resource's own on top,
// on taggable types only.
func TestTagsAll(t *testing.T) {
	client := configured(t) // default tags managed-by=regionctl, region=eu-west-1
	inputs, _ := check(t, client, "aws:sqs/queue:Queue", "q", resource.PropertyMap{
		"name": str("q"), "tags": resource.NewObjectProperty(resource.PropertyMap{"region": str("override"), "team": str("payments")}),
	})
	want := resource.NewObjectProperty(resource.PropertyMap{"managed-by": str("regionctl"), "region": str("override"), "team": str("payments")})
	if !inputs["tagsAll"].DeepEquals(want) {
		t.Errorf("tagsAll = %v, want %v", inputs["tagsAll"], want)
	}
	if inputs, _ := check(t, client, "aws:kms/key:Key", "key", resource.PropertyMap{}); !inputs["tagsAll"].IsObject() ||
		len(inputs["tagsAll"].ObjectValue()) != 2 {
		t.Errorf("an untagged key's tagsAll = %v, want the default tags", inputs["tagsAll"])
	}
	if inputs, _ := check(t, client, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "a", resource.PropertyMap{"role": str("r")}); !inputs["tagsAll"].IsNull() {
		t.Errorf("an attachment, which AWS cannot tag, got tagsAll %v", inputs["tagsAll"])
	}
	if inputs, _ := check(t, client, "aws:sqs/queue:Queue", "q", resource.PropertyMap{"name": str("q"), "tags": unknown()}); !inputs["tagsAll"].IsComputed() {
		t.Errorf("tags not known yet: tagsAll = %v, want unknown", inputs["tagsAll"])
	}
}
