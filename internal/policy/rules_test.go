package policy

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

// ruleCase is one passing or failing case of a rule: a change to the compliant region,
// and how many findings of the rule it must give (0 for a passing case).
type ruleCase struct {
	rule   string
	name   string
	change func(b *builder)
	want   int
	// contains is a part of the message every finding must have.
	contains string
}

var ruleCases = []ruleCase{
	// residency.provider-region
	{"residency.provider-region", "provider in the file's region", func(b *builder) {}, 0, ""},
	{"residency.provider-region", "provider outside the jurisdiction", func(b *builder) {
		b.set("aws-eu-west-1", "region", `"us-east-1"`)
	}, 1, "deploys to us-east-1, outside jurisdiction eu (eu-west-1, eu-central-1)"},
	{"residency.provider-region", "provider in another region of the jurisdiction", func(b *builder) {
		b.set("aws-eu-west-1", "region", `"eu-central-1"`)
	}, 1, "not to the file's region eu-west-1"},
	{"residency.provider-region", "provider without a region", func(b *builder) {
		b.set("aws-eu-west-1", "region", "-")
	}, 1, "has no region"},

	// residency.s3-replication
	{"residency.s3-replication", "replication within the jurisdiction", func(b *builder) {
		b.add(b.res("storage-uploads-bucket").Parent, tBucketRepl, "storage-uploads-replication",
			`{"bucket": "`+bucket+`", "rules": [{"status": "Enabled", "destination": {"bucket": "arn:aws:s3:::uploads-eu-central-1-`+account+`"}}]}`)
	}, 0, ""},
	{"residency.s3-replication", "replication to another jurisdiction", func(b *builder) {
		b.add(b.res("storage-uploads-bucket").Parent, tBucketRepl, "storage-uploads-replication",
			`{"bucket": "`+bucket+`", "rules": [{"status": "Enabled", "destination": {"bucket": "arn:aws:s3:::uploads-us-east-1-`+account+`"}}]}`)
	}, 1, "replicates every object to bucket arn:aws:s3:::uploads-us-east-1-100000000001 in us-east-1, outside jurisdiction eu"},
	{"residency.s3-replication", "replication to a bucket of unknown region", func(b *builder) {
		b.set("storage-uploads-bucket", "replicationConfiguration", `{"rules": [{"destination": {"bucket": "arn:aws:s3:::backups"}}]}`)
	}, 1, "whose region cannot be told"},

	// residency.database-replication
	{"residency.database-replication", "replica of a cluster in the jurisdiction", func(b *builder) {
		b.set("database-main-cluster", "replicationSourceIdentifier", `"arn:aws:rds:eu-central-1:`+account+`:cluster:main"`)
	}, 0, ""},
	{"residency.database-replication", "global database", func(b *builder) {
		b.set("database-main-cluster", "globalClusterIdentifier", `"main-global"`)
		b.add("", tRDSGlobal, "main-global", `{"globalClusterIdentifier": "main-global"}`)
	}, 2, "global database"},
	{"residency.database-replication", "cross-region replica", func(b *builder) {
		b.set("database-main-cluster", "replicationSourceIdentifier", `"arn:aws:rds:us-east-1:`+account+`:cluster:main"`)
	}, 1, "replicates from arn:aws:rds:us-east-1:100000000001:cluster:main in us-east-1, outside jurisdiction eu"},
	{"residency.database-replication", "cross-region read replica", func(b *builder) {
		b.add("", tRDSInstance, "reporting", `{"replicateSourceDb": "arn:aws:rds:us-east-1:`+account+`:db:main"}`)
	}, 1, "is a read replica of arn:aws:rds:us-east-1"},

	// residency.cache-global
	{"residency.cache-global", "global datastore", func(b *builder) {
		b.set("cache-sessions-redis", "globalReplicationGroupId", `"ldgnf-sessions"`)
	}, 1, "joins global datastore ldgnf-sessions"},
	{"residency.cache-global", "global replication group", func(b *builder) {
		b.add("", tCacheGlobal, "sessions-global", `{"globalReplicationGroupIdSuffix": "sessions"}`)
	}, 1, "is an ElastiCache global datastore"},

	// residency.dynamodb-replicas
	{"residency.dynamodb-replicas", "replicas in the jurisdiction", func(b *builder) {
		b.add("", tDynamoTable, "table", `{"replicas": [{"regionName": "eu-central-1"}]}`)
	}, 0, ""},
	{"residency.dynamodb-replicas", "replica outside", func(b *builder) {
		b.add("", tDynamoTable, "table", `{"replicas": [{"regionName": "eu-central-1"}, {"regionName": "us-east-1"}]}`)
	}, 1, "has a replica in us-east-1, outside jurisdiction eu"},

	// residency.backup-copy
	{"residency.backup-copy", "copy within the jurisdiction", func(b *builder) {
		b.add("", tBackupPlan, "plan", `{"rules": [{"ruleName": "daily", "copyActions": [{"destinationVaultArn": "arn:aws:backup:eu-central-1:`+account+`:backup-vault:dr"}]}]}`)
	}, 0, ""},
	{"residency.backup-copy", "copy outside", func(b *builder) {
		b.add("", tBackupPlan, "plan", `{"rules": [{"ruleName": "daily", "copyActions": [{"destinationVaultArn": "arn:aws:backup:us-east-1:`+account+`:backup-vault:dr"}]}]}`)
	}, 1, "copies backups to vault arn:aws:backup:us-east-1"},

	// residency.kms-multi-region
	{"residency.kms-multi-region", "multi-region key", func(b *builder) {
		b.set("kms-eu-west-1-key", "multiRegion", `true`)
	}, 1, "is a multi-region key"},
	{"residency.kms-multi-region", "replica key", func(b *builder) {
		b.add(b.res("kms-eu-west-1-key").Parent, tKMSReplicaKey, "kms-replica", `{"primaryKeyArn": "arn:aws:kms:eu-central-1:`+account+`:key/mrk-1"}`)
	}, 1, "is a replica of a multi-region key"},

	// residency.log-subscriptions
	{"residency.log-subscriptions", "subscription in the region", func(b *builder) {
		b.add("", tLogSubscriber, "flow-logs-out", `{"destinationArn": "arn:aws:firehose:eu-west-1:`+account+`:deliverystream/logs"}`)
	}, 0, ""},
	{"residency.log-subscriptions", "subscription to another jurisdiction", func(b *builder) {
		b.add("", tLogSubscriber, "flow-logs-out", `{"destinationArn": "arn:aws:firehose:us-east-1:`+account+`:deliverystream/logs"}`)
	}, 1, "streams log events to arn:aws:firehose:us-east-1"},

	// residency.messaging-targets
	{"residency.messaging-targets", "email subscription", func(b *builder) {}, 0, ""},
	{"residency.messaging-targets", "queue in another jurisdiction", func(b *builder) {
		b.add("", tSubscription, "to-us", `{"protocol": "sqs", "endpoint": "arn:aws:sqs:us-east-1:`+account+`:events", "topic": "`+topic+`"}`)
	}, 1, "delivers messages to arn:aws:sqs:us-east-1"},
	{"residency.messaging-targets", "https endpoint of another region", func(b *builder) {
		b.add("", tSubscription, "to-us", `{"protocol": "https", "endpoint": "https://sqs.us-east-1.amazonaws.com/`+account+`/events", "topic": "`+topic+`"}`)
	}, 1, "delivers messages to https://sqs.us-east-1.amazonaws.com"},
	{"residency.messaging-targets", "event target and dead-letter queue elsewhere", func(b *builder) {
		b.add("", tEventTarget, "rule-target", `{"arn": "arn:aws:lambda:us-east-1:`+account+`:function:f"}`)
		b.set("queue-events-queue", "redrivePolicy", `"{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:`+account+`:events-dlq\"}"`)
	}, 2, "us-east-1, outside jurisdiction eu"},

	// residency.arn-region
	{"residency.arn-region", "global and wildcard ARNs", func(b *builder) {
		b.add("", "aws:iam/rolePolicy:RolePolicy", "role-policy", `{"policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"logs:*\",\"Resource\":[\"arn:aws:logs:*:`+account+`:log-group:*\",\"arn:aws:iam::`+account+`:role/x\",\"arn:aws:s3:::b\"]}]}"}`)
	}, 0, ""},
	{"residency.arn-region", "key of another region", func(b *builder) {
		b.set("network-eu-west-1-flow-logs", "kmsKeyId", `"arn:aws:kms:us-east-1:`+account+`:key/2222"`)
	}, 1, "refers to arn:aws:kms:us-east-1:100000000001:key/2222 (in kmsKeyId)"},
	{"residency.arn-region", "ARN inside a policy document", func(b *builder) {
		b.set("storage-uploads-policy", "policy", `"{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::`+account+`:root\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::`+bucket+`/*\",\"Condition\":{\"ArnEquals\":{\"aws:SourceArn\":\"arn:aws:lambda:ap-southeast-2:`+account+`:function:f\"}}}]}"`)
	}, 1, "(in policy.Statement[0].Condition.ArnEquals.aws:SourceArn)"},

	// ha.database-multi-az
	{"ha.database-multi-az", "one instance", func(b *builder) { b.remove("database-main-2") }, 1, "has 1 instance"},
	{"ha.database-multi-az", "instances in one zone", func(b *builder) {
		b.set("database-main-2", "availabilityZone", `"eu-west-1a"`)
	}, 1, "has every instance in eu-west-1a"},
	{"ha.database-multi-az", "zones known after apply", func(b *builder) {
		b.set("database-main-1", "availabilityZone", `"[unknown]"`)
		b.set("database-main-2", "availabilityZone", `"[unknown]"`)
	}, 0, ""},
	{"ha.database-multi-az", "single-zone instance", func(b *builder) {
		b.add("", tRDSInstance, "legacy", `{"multiAz": false}`)
	}, 1, "is a single-zone instance"},

	// ha.cache-failover
	{"ha.cache-failover", "no replica, no failover", func(b *builder) {
		b.set("cache-sessions-redis", "numCacheClusters", `1`).set("cache-sessions-redis", "automaticFailoverEnabled", `false`)
	}, 1, "has no replica and automatic failover off"},
	{"ha.cache-failover", "nodes in one zone, multi-AZ off", func(b *builder) {
		b.set("cache-sessions-redis", "preferredCacheClusterAzs", `["eu-west-1a", "eu-west-1a"]`).set("cache-sessions-redis", "multiAzEnabled", "-")
	}, 1, "has multi-AZ off and every node in eu-west-1a"},
	{"ha.cache-failover", "cluster mode with replicas", func(b *builder) {
		b.set("cache-sessions-redis", "numCacheClusters", "-").set("cache-sessions-redis", "replicasPerNodeGroup", `1`)
	}, 0, ""},

	// ha.fleet-spread
	{"ha.fleet-spread", "one server", func(b *builder) { b.set("compute-web-asg", "minSize", `1`) }, 1, "keeps 1 server (minSize)"},
	{"ha.fleet-spread", "one subnet", func(b *builder) {
		b.set("compute-web-asg", "vpcZoneIdentifiers", `["subnet-ra"]`)
	}, 1, "runs in 1 subnet"},
	{"ha.fleet-spread", "subnets known after apply", func(b *builder) {
		b.set("compute-web-asg", "vpcZoneIdentifiers", `"[unknown]"`)
	}, 0, ""},

	// ha.subnets-multi-az
	{"ha.subnets-multi-az", "isolated tier in one zone", func(b *builder) {
		b.set("network-eu-west-1-isolated-b", "availabilityZone", `"eu-west-1a"`)
	}, 1, "the isolated subnets of the network are in only eu-west-1a"},

	// ha.nat-per-az
	{"ha.nat-per-az", "single NAT gateway", func(b *builder) { b.remove("network-eu-west-1-nat-b") }, 1,
		"the network has 1 NAT gateway for private subnets in 2 availability zones (eu-west-1a, eu-west-1b)"},
	{"ha.nat-per-az", "no NAT gateway at all", func(b *builder) {
		b.remove("network-eu-west-1-nat-a").remove("network-eu-west-1-nat-b")
	}, 0, ""},

	// ha.alarms
	{"ha.alarms", "database without alarm", func(b *builder) { b.remove("observability-eu-west-1-database-main-cpu") }, 1,
		`database "main" (aws:rds/cluster:Cluster database-main-cluster) has no CloudWatch alarm`},
	{"ha.alarms", "alarms that notify nobody", func(b *builder) {
		b.set("observability-eu-west-1-queue-events-dlq", "alarmActions", `[]`)
		b.set("observability-eu-west-1-cache-sessions-001-memory", "alarmActions", `[]`)
	}, 2, "that notifies anyone"},
	{"ha.alarms", "load balancer without alarm", func(b *builder) {
		b.set("observability-eu-west-1-fleet-web-elb-5xx", "dimensions", `{"LoadBalancer": "app/other-alb/1"}`)
	}, 1, `fleet "web" (aws:lb/loadBalancer:LoadBalancer compute-web-alb) has no CloudWatch alarm on its responses`},
	// ha.alarm-endpoint
	{"ha.alarm-endpoint", "only email", func(b *builder) { b.remove("observability-eu-west-1-alarms-https-0") }, 1,
		"go only to email, which AWS leaves pending"},
	{"ha.alarm-endpoint", "https that waits for a person", func(b *builder) {
		b.set("observability-eu-west-1-alarms-https-0", "endpointAutoConfirms", `false`)
	}, 1, "go only to email and https"},
	{"ha.alarm-endpoint", "no subscription", func(b *builder) {
		b.remove("observability-eu-west-1-alarms-https-0").remove("observability-eu-west-1-alarms-email")
	}, 1, "notify no subscription"},
	{"ha.alarm-endpoint", "a queue of the account", func(b *builder) {
		b.remove("observability-eu-west-1-alarms-https-0")
		b.add("", tSubscription, "to-queue", `{"protocol": "sqs", "endpoint": "arn:aws:sqs:eu-west-1:`+account+`:pages", "topic": "`+topic+`"}`)
	}, 0, ""},
	{"ha.alarm-endpoint", "protocol known after apply", func(b *builder) {
		b.set("observability-eu-west-1-alarms-https-0", "endpointAutoConfirms", `"[unknown]"`)
	}, 0, ""},
	{"ha.alarms", "dimension known after apply", func(b *builder) {
		b.set("observability-eu-west-1-fleet-web-elb-5xx", "dimensions", `{"LoadBalancer": "[unknown]"}`)
	}, 0, ""},

	// security.encryption
	{"security.encryption", "queue without the region key", func(b *builder) {
		b.set("queue-events-dlq", "kmsMasterKeyId", "-").set("queue-events-dlq", "sqsManagedSseEnabled", `true`)
	}, 1, "kmsMasterKeyId: no key is set, so an AWS managed key is used"},
	{"security.encryption", "log group with an AWS managed key", func(b *builder) {
		b.set("network-eu-west-1-flow-logs", "kmsKeyId", `"alias/aws/logs"`)
	}, 1, "alias/aws/logs is an AWS managed key"},
	{"security.encryption", "bucket encrypted with S3 keys", func(b *builder) {
		b.set("storage-uploads-encryption", "rules", `[{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]`)
	}, 1, `default encryption is "AES256", not aws:kms`},
	{"security.encryption", "bucket without encryption configuration", func(b *builder) {
		b.remove("storage-uploads-encryption")
	}, 1, "it has no default encryption configuration"},
	{"security.encryption", "cache without transit encryption, key of another account", func(b *builder) {
		b.set("cache-sessions-redis", "transitEncryptionEnabled", `false`)
		b.set("cache-sessions-redis", "kmsKeyId", `"arn:aws:kms:eu-west-1:999999999999:key/1111-key"`)
	}, 1, "transitEncryptionEnabled is off; kmsKeyId: arn:aws:kms:eu-west-1:999999999999:key/1111-key is a key of account 999999999999"},
	{"security.encryption", "database storage not encrypted", func(b *builder) {
		b.set("database-main-cluster", "storageEncrypted", `false`)
	}, 1, "storageEncrypted is off"},
	{"security.encryption", "unencrypted server volume", func(b *builder) {
		b.set("compute-web-lt", "blockDeviceMappings", `[{"ebs": {"encrypted": "false"}}]`)
	}, 1, "blockDeviceMappings[0].ebs.encrypted is off"},
	{"security.encryption", "topic encrypted with another key", func(b *builder) {
		b.set("observability-eu-west-1-alarms", "kmsMasterKeyId", `"arn:aws:kms:eu-west-1:`+account+`:key/9999"`)
	}, 1, "is not the region's key"},
	{"security.encryption", "keys known after apply", func(b *builder) {
		b.set("queue-events-queue", "kmsMasterKeyId", `"[unknown]"`)
		b.set("cache-sessions-redis", "kmsKeyId", `"[unknown]"`)
	}, 0, ""},
	{"security.encryption", "key id only known from the key's ARN", func(b *builder) { b.remove("kms-eu-west-1-alias") }, 0, ""},
	{"security.encryption", "no key in the region", func(b *builder) {
		b.remove("kms-eu-west-1-alias").remove("kms-eu-west-1-key")
		b.set("observability-eu-west-1-alarms", "kmsMasterKeyId", `"[unknown]"`)
	}, 10, "the region has no key of its own"},
	{"security.encryption", "alias of the region key", func(b *builder) {
		b.set("queue-events-queue", "kmsMasterKeyId", `"alias/regionctl-eu-west-1"`)
	}, 0, ""},

	// security.public-access
	{"security.public-access", "public database instance", func(b *builder) {
		b.set("database-main-2", "publiclyAccessible", `true`)
	}, 1, "is publicly accessible from the internet"},

	// security.open-ingress
	{"security.open-ingress", "ssh from anywhere", func(b *builder) {
		b.add(b.res("compute-web-asg").Parent, tSGIngress, "compute-web-ssh", `{"cidrIpv4": "0.0.0.0/0", "fromPort": 22, "toPort": 22, "ipProtocol": "tcp", "securityGroupId": "sg-app"}`)
	}, 1, "accepts tcp 22 from 0.0.0.0/0; only a load balancer may accept the internet"},
	{"security.open-ingress", "web port on the servers", func(b *builder) {
		b.add(b.res("compute-web-asg").Parent, tSGIngress, "compute-web-http", `{"cidrIpv6": "::/0", "fromPort": 80, "toPort": 80, "ipProtocol": "tcp", "securityGroupId": "sg-app"}`)
	}, 1, "accepts tcp 80 from ::/0; no load balancer uses this security group"},
	{"security.open-ingress", "inline rule and security group rule", func(b *builder) {
		b.set("compute-web-app", "ingress", `[{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}]`)
		b.add("", tSGRule, "db-open", `{"type": "ingress", "protocol": "tcp", "fromPort": 3306, "toPort": 3306, "cidrBlocks": ["10.0.0.0/8", "0.0.0.0/0"], "securityGroupId": "sg-db"}`)
	}, 2, "from 0.0.0.0/0"},
	{"security.open-ingress", "load balancer group known after apply", func(b *builder) {
		b.set("compute-web-alb-in-443", "securityGroupId", `"[unknown]"`)
		b.set("compute-web-alb", "securityGroups", `"[unknown]"`)
	}, 0, ""},

	// security.public-https
	{"security.public-https", "internal load balancer on HTTP", func(b *builder) {
		b.set("compute-web-alb", "internal", `true`)
		b.remove("compute-web-https")
		b.set("compute-web-http", "defaultActions", `[{"type": "forward", "targetGroupArn": "[unknown]"}]`)
	}, 0, ""},
	{"security.public-https", "certificate known after apply", func(b *builder) {
		b.set("compute-web-https", "certificateArn", `"[unknown]"`)
	}, 0, ""},
	{"security.public-https", "plain HTTP only", func(b *builder) {
		b.remove("compute-web-https")
		b.set("compute-web-http", "defaultActions", `[{"type": "forward", "targetGroupArn": "[unknown]"}]`)
	}, 2, "set loadBalancer.certificateArn to an ACM certificate of eu-west-1"},
	{"security.public-https", "HTTPS listener without a certificate", func(b *builder) {
		b.set("compute-web-https", "certificateArn", "-")
	}, 1, "is internet-facing without an HTTPS listener, so its traffic crosses the internet in clear text"},
	{"security.public-https", "port 80 forwards next to HTTPS", func(b *builder) {
		b.set("compute-web-http", "defaultActions", `[{"type": "forward", "targetGroupArn": "[unknown]"}]`)
	}, 1, "serves plain HTTP to the internet instead of redirecting to HTTPS"},
	{"security.public-https", "port 80 redirects to plain HTTP", func(b *builder) {
		b.set("compute-web-http", "defaultActions", `[{"type": "redirect", "redirect": {"protocol": "HTTP", "port": "8080"}}]`)
	}, 1, "instead of redirecting to HTTPS"},

	// security.imdsv2
	{"security.imdsv2", "IMDSv1 allowed", func(b *builder) {
		b.set("compute-web-lt", "metadataOptions.httpTokens", `"optional"`)
	}, 1, `sets metadataOptions.httpTokens to "optional", so IMDSv1 is allowed`},
	{"security.imdsv2", "metadata options left out", func(b *builder) {
		b.set("compute-web-lt", "metadataOptions", "-")
	}, 1, "does not set metadataOptions.httpTokens"},
	{"security.imdsv2", "metadata service off", func(b *builder) {
		b.set("compute-web-lt", "metadataOptions", `{"httpEndpoint": "disabled"}`)
	}, 0, ""},

	// security.bucket-public-access
	{"security.bucket-public-access", "a setting off", func(b *builder) {
		b.set("storage-uploads-public-access", "restrictPublicBuckets", `false`)
	}, 1, "has a public access block with restrictPublicBuckets off"},
	// security.s3-endpoint-policy
	{"security.s3-endpoint-policy", "no policy", func(b *builder) { b.set("network-eu-west-1-s3", "policy", `""`) }, 1,
		"has no policy, so it admits every bucket of every account"},
	{"security.s3-endpoint-policy", "allow everything", func(b *builder) {
		b.set("network-eu-west-1-s3", "policy", `"{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"*\",\"Resource\":\"*\"}}"`)
	}, 1, "allows every bucket without a condition"},
	{"security.s3-endpoint-policy", "policy known after apply", func(b *builder) { b.set("network-eu-west-1-s3", "policy", `"[unknown]"`) }, 0, ""},
	{"security.s3-endpoint-policy", "interface endpoint of another service", func(b *builder) {
		b.add("", tVPCEndpoint, "ssm", `{"serviceName": "com.amazonaws.eu-west-1.ssm", "vpcEndpointType": "Interface"}`)
	}, 0, ""},
	{"security.bucket-public-access", "no block", func(b *builder) { b.remove("storage-uploads-public-access") }, 1, "has no public access block"},

	// security.plaintext-secrets
	{"security.plaintext-secrets", "secret inputs", func(b *builder) {
		b.set("database-main-cluster", "masterPassword", `"[secret]"`)
	}, 0, ""},
	{"security.plaintext-secrets", "plain password", func(b *builder) {
		b.set("database-main-cluster", "masterPassword", `"hunter22"`)
	}, 1, "has a plain-text secret in masterPassword"},
	{"security.plaintext-secrets", "token and environment variable", func(b *builder) {
		b.set("cache-sessions-redis", "authToken", `"s3cr3t-t0ken"`)
		b.add("", "aws:ecs/taskDefinition:TaskDefinition", "task", `{"containerDefinitions": "[{\"environment\":[{\"name\":\"DB_PASSWORD\",\"value\":\"x\"}]}]"}`)
	}, 2, "has a plain-text secret in"},

	// security.deletion-protection
	{"security.deletion-protection", "database", func(b *builder) {
		b.set("database-main-cluster", "deletionProtection", `false`)
	}, 1, "has deletion protection off"},
	{"security.deletion-protection", "load balancer", func(b *builder) {
		b.set("compute-web-alb", "enableDeletionProtection", "-")
	}, 1, "set enableDeletionProtection to true"},

	// security.least-privilege
	{"security.least-privilege", "policy only known at apply", func(b *builder) {
		b.set("compute-web-access", "policy", `"[unknown]"`)
	}, 0, ""},
	{"security.least-privilege", "a store the fleet does not use", func(b *builder) {
		b.set("compute-web-access", "policy", jsonString(`{"Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage",
			"Resource": "arn:aws:sqs:eu-west-1:`+account+`:other"}]}`))
	}, 1, "sqs:SendMessage on arn:aws:sqs:eu-west-1:" + account + ":other: no store the fleet uses needs it"},
	{"security.least-privilege", "every resource and a wildcard action", func(b *builder) {
		b.set("compute-web-access", "policy", jsonString(`{"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "sqs:*"], "Resource": "*"}]}`))
	}, 1, "s3:GetObject on *: every resource; sqs:* on *: wildcard action"},
	{"security.least-privilege", "an action uses do not imply", func(b *builder) {
		b.set("compute-web-access", "policy", jsonString(`{"Statement": [{"Effect": "Allow", "Action": "s3:DeleteBucket",
			"Resource": "arn:aws:s3:::`+bucket+`"}]}`))
	}, 1, "s3:DeleteBucket on arn:aws:s3:::" + bucket + ": no store the fleet uses needs it"},
	{"security.least-privilege", "the key without kms:ViaService", func(b *builder) {
		b.set("compute-web-access", "policy", jsonString(`{"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "`+keyARN+`"}]}`))
	}, 1, "without kms:ViaService the key is usable directly"},
	{"security.least-privilege", "the key through a service no store needs", func(b *builder) {
		b.set("compute-web-access", "policy", jsonString(`{"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "`+keyARN+`",
			"Condition": {"StringEquals": {"kms:ViaService": "dynamodb.eu-west-1.amazonaws.com"}}}]}`))
	}, 1, "through dynamodb.eu-west-1.amazonaws.com: no store the fleet uses needs it"},
	{"security.least-privilege", "the policy of a role outside the fleets", func(b *builder) {
		b.add("", tRolePolicy, "other-access", `{"policy": `+jsonString(`{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}`)+`}`)
	}, 0, ""},

	// security.unused-data-store: the fixture region's fleet uses every store
	{"security.unused-data-store", "every store used", func(b *builder) {}, 0, ""},
	{"security.unused-data-store", "a queue and a bucket nobody uses", func(b *builder) {
		b.file = func(r *spec.Region) { r.Servers[0].Uses = []string{"database/main", "cache/sessions"} }
	}, 2, "so no server can reach it; add"},

	// security.server-egress
	{"security.server-egress", "all traffic anywhere", func(b *builder) {
		b.add(b.res("compute-web-asg").Parent, tSGEgress, "compute-web-app-out", `{"cidrIpv4": "0.0.0.0/0", "ipProtocol": "-1", "securityGroupId": "sg-app"}`)
	}, 1, "lets servers send all traffic to 0.0.0.0/0"},
	{"security.server-egress", "inline egress and a rule on another port", func(b *builder) {
		b.set("compute-web-app", "egress", `[{"protocol": "tcp", "fromPort": 80, "toPort": 80, "ipv6CidrBlocks": ["::/0"]}]`)
		b.add(b.res("compute-web-asg").Parent, tSGRule, "compute-web-smtp", `{"type": "egress", "protocol": "tcp", "fromPort": 25, "toPort": 25, "cidrBlocks": ["0.0.0.0/0"]}`)
	}, 2, "servers reach only HTTPS (443) anywhere"},
	{"security.server-egress", "outside a fleet", func(b *builder) {
		b.add("", tSGEgress, "other-out", `{"cidrIpv4": "0.0.0.0/0", "ipProtocol": "-1", "securityGroupId": "sg-other"}`)
	}, 0, ""},

	// security.cache-auth
	{"security.cache-auth", "no user group, no token", func(b *builder) {
		b.set("cache-sessions-redis", "userGroupIds", "-")
	}, 1, "it has no user group (role-based access) and no AUTH token"},
	{"security.cache-auth", "an AUTH token as a secret", func(b *builder) {
		b.set("cache-sessions-redis", "userGroupIds", "-")
		b.set("cache-sessions-redis", "authToken", `"[secret]"`)
	}, 0, ""},

	// blast.protected
	{"blast.protected", "queue neither protected nor retained", func(b *builder) {
		r := b.res("queue-events-dlq")
		r.Protect, r.RetainOnDelete = false, false
	}, 1, "does not set protect and retainOnDelete"},
	{"blast.protected", "key not retained", func(b *builder) { b.res("kms-eu-west-1-key").RetainOnDelete = false }, 1, "does not set retainOnDelete"},

	// blast.replace
	{"blast.replace", "update in place", func(b *builder) { b.res("database-main-cluster").Op = manifest.OpUpdate }, 0, ""},
	{"blast.replace", "database replaced", func(b *builder) {
		r := b.res("database-main-cluster")
		r.Op, r.ReplaceKeys = manifest.OpReplace, []string{"engine"}
	}, 1, `database "main" (aws:rds/cluster:Cluster database-main-cluster) would be replaced because engine changed`},
	{"blast.replace", "bucket replaced for two reasons", func(b *builder) {
		r := b.res("storage-uploads-bucket")
		r.Op, r.ReplaceKeys = manifest.OpReplace, []string{"bucket", "objectLockEnabled"}
	}, 1, "because bucket and objectLockEnabled changed"},
	{"blast.replace", "cluster instance replaced", func(b *builder) { b.res("database-main-2").Op = manifest.OpReplace }, 0, ""},

	// blast.same-identifier
	{"blast.same-identifier", "database replaced under a new identifier", func(b *builder) {
		r := b.res("database-main-cluster")
		r.Op, r.ReplaceKeys = manifest.OpReplace, []string{"clusterIdentifier", "engine"}
	}, 0, ""},
	{"blast.same-identifier", "database replaced under its identifier", func(b *builder) {
		r := b.res("database-main-cluster")
		r.Op, r.ReplaceKeys = manifest.OpReplace, []string{"engine"}
	}, 1, `would be replaced because engine changed under the same identifier "main": the old one is retained`},
	{"blast.same-identifier", "cache instance replaced", func(b *builder) {
		r := b.res("cache-sessions-redis")
		r.Op, r.ReplaceKeys = manifest.OpReplace, []string{"kmsKeyId"}
	}, 1, `under the same identifier "sessions"`},

	// blast.delete
	{"blast.delete", "queue deleted", func(b *builder) { b.res("queue-events-dlq").Op = manifest.OpDelete }, 1,
		`queue "events" (aws:sqs/queue:Queue queue-events-dlq) would be deleted with its data`},
}

func TestRules(t *testing.T) {
	r, j := loadRegion(t, "testdata/regions")
	var lines strings.Builder
	covered := map[string][2]bool{} // rule -> has a passing case, has a failing case
	for _, tc := range ruleCases {
		if _, ok := Lookup(tc.rule); !ok {
			t.Fatalf("case %q: no rule %s", tc.name, tc.rule)
		}
		cov := covered[tc.rule]
		cov[min(tc.want, 1)] = true
		covered[tc.rule] = cov
		t.Run(tc.rule+"/"+tc.name, func(t *testing.T) {
			b := compliant()
			tc.change(b)
			rr := r
			if b.file != nil {
				c := *r
				c.Servers = slices.Clone(r.Servers)
				b.file(&c)
				rr = &c
			}
			rep := Evaluate(rr, j, b.m, testNow)
			var got []Finding
			for _, f := range rep.Findings {
				if f.Rule == tc.rule {
					got = append(got, f)
				}
			}
			if len(got) != tc.want {
				t.Fatalf("%d findings of %s, want %d:\n%s", len(got), tc.rule, tc.want, render(got))
			}
			for _, f := range got {
				checkFinding(t, f)
				if !strings.Contains(f.Message, tc.contains) {
					t.Errorf("message %q does not say %q", f.Message, tc.contains)
				}
			}
			if tc.want > 0 {
				fmt.Fprintf(&lines, "# %s: %s\n%s", tc.rule, tc.name, render(got))
			}
		})
	}
	golden(t, "testdata/rules.golden", lines.String())

	// Every rule that judges resources has a passing and a failing case: the compliant
	// region passes them all, so a case with no findings counts as passing.
	for _, rule := range Rules() {
		if rule.Check == nil {
			continue
		}
		if cov := covered[rule.ID]; !cov[1] {
			t.Errorf("rule %s has no failing case", rule.ID)
		}
	}
}

// TestCompliantRegionPasses is the passing case of every rule at once.
func TestCompliantRegionPasses(t *testing.T) {
	r, j := loadRegion(t, "testdata/regions")
	rep := Evaluate(r, j, compliant().m, testNow)
	if len(rep.Findings) > 0 {
		t.Errorf("the compliant region has findings:\n%s", render(rep.Findings))
	}
}

// TestWithoutParents judges a manifest whose resources carry no parents (as a preview
// may give them): the URN's type chain and the names still find the region-file entry.
func TestWithoutParents(t *testing.T) {
	r, j := loadRegion(t, "testdata/regions")
	b := compliant()
	b.set("database-main-cluster", "deletionProtection", `false`)
	for i := range b.m.Resources {
		b.m.Resources[i].Parent = ""
	}
	rep := Evaluate(r, j, b.m, testNow)
	if len(rep.Findings) != 1 {
		t.Fatalf("want 1 finding:\n%s", render(rep.Findings))
	}
	if f := rep.Findings[0]; f.Resource != "database/main" || f.Line != 17 {
		t.Errorf("finding about %s at line %d, want database/main at line 17 (databases[0])", f.Resource, f.Line)
	}
}

// checkFinding holds every finding to the message style: lowercase, no trailing
// period, no Go names, a place in the region file.
func checkFinding(t *testing.T, f Finding) {
	t.Helper()
	m := f.Message
	if m == "" || strings.ToLower(m[:1]) != m[:1] || strings.HasSuffix(m, ".") {
		t.Errorf("message must start lowercase and have no trailing period: %q", m)
	}
	for _, goName := range []string{"map[", "[]interface", "[]string", "%!", "<nil>", "*manifest", "float64"} {
		if strings.Contains(m, goName) {
			t.Errorf("message shows %q: %q", goName, m)
		}
	}
	if f.Path == "" || f.Line < 1 || f.Col < 1 {
		t.Errorf("finding without a place in the region file: %+v", f)
	}
	if f.Severity != Deny && f.Severity != Warn {
		t.Errorf("severity %q", f.Severity)
	}
	if !slices.ContainsFunc(registry, func(r Rule) bool { return r.ID == f.Rule }) {
		t.Errorf("finding of unknown rule %q", f.Rule)
	}
}

func render(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s %s %s: %s (%s:%d:%d)\n", strings.ToUpper(string(f.Severity)), f.Rule, f.Resource, f.Message, f.Path, f.Line, f.Col)
	}
	return b.String()
}

// The entry a component records is the one findings name: a component whose name no
// longer starts with its entry's (renamed between refs, say) still maps to it.
func TestComponentsRecordTheirEntry(t *testing.T) {
	r, j := loadRegion(t, "testdata/regions")
	b := compliant()
	b.set("database-main-cluster", "deletionProtection", `false`)
	for i := range b.m.Resources {
		res := &b.m.Resources[i]
		if res.Type == manifest.ComponentPrefix+"Database" {
			res.Name, res.Inputs = "legacy-store", map[string]any{spec.EntryInput: "database/main"}
		}
		res.Name = strings.Replace(res.Name, "database-main", "legacy-store", 1)
	}
	rep := Evaluate(r, j, b.m, testNow)
	if len(rep.Findings) != 1 || rep.Findings[0].Resource != "database/main" || rep.Findings[0].Line != 17 {
		t.Fatalf("want one finding about database/main at line 17:\n%s", render(rep.Findings))
	}
}
