package policy

import (
	"strings"

	"github.com/regionctl/regionctl/internal/spec"
)

// Rule is one guardrail.
type Rule struct {
	// ID is family.name: residency.*, ha.*, security.*, blast.*, policy.*.
	ID       string
	Severity Severity
	// Summary says what the rule checks, Why what it protects, Fix how to satisfy it.
	// The README's rule table is generated from them.
	Summary, Why, Fix string
	// Kinds are the region-file entries the rule reports on (fleet, database...); a
	// waiver naming another entry is refused. Empty: any entry.
	Kinds []string
	// Unwaivable, when set, says that no waiver can cover the rule and what to do instead.
	Unwaivable string
	// Check finds the rule's violations; nil for the rules about waivers and allowances
	// themselves, which Evaluate applies.
	Check func(*Context) []Finding
}

// Family is the part of the id before the dot.
func (r Rule) Family() string {
	family, _, _ := strings.Cut(r.ID, ".")
	return family
}

// Rules lists every rule, in the order of the README table.
func Rules() []Rule {
	return append([]Rule(nil), registry...)
}

// Lookup finds a rule by id.
func Lookup(id string) (Rule, bool) {
	for _, r := range registry {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// Rule ids that other code refers to.
const (
	RuleBlastReplace   = "blast.replace"
	RuleBlastDelete    = "blast.delete"
	RulePolicyWaiver   = "policy.waiver"
	RulePolicyAllow    = "policy.allow"
	RuleWaiverUnused   = "policy.waiver-unused"
	ruleProviderRegion = "residency.provider-region"
)

var (
	dataStores = []string{spec.KindDatabase, spec.KindCache, spec.KindQueue, spec.KindBucket, spec.KindKey}
	noWaiver   = "it is about waivers and allowances themselves: fix the region file"
)

// registry is every rule. Checks are in residency.go, ha.go, security.go and blast.go.
var registry = []Rule{
	{
		ID: ruleProviderRegion, Severity: Deny,
		Summary: "every AWS provider deploys to a region of the region file's jurisdiction, and to the file's own region",
		Why:     "a provider pointed elsewhere puts every resource it creates, and their data, in that region",
		Fix:     "set the provider's region to the file's region; the region itself must be listed under its jurisdiction in jurisdictions.yaml",
		Kinds:   []string{spec.KindRegion},
		Check:   checkProviderRegion,
	},
	{
		ID: "residency.s3-replication", Severity: Deny,
		Summary: "S3 replication rules only copy to buckets in the jurisdiction (told by the <name>-<region>-<account> bucket name)",
		Why:     "replication copies every object to the destination bucket's region",
		Fix:     "replicate to a bucket of a region in the jurisdiction, named <name>-<region>-<account>, or remove the rule",
		Kinds:   []string{spec.KindBucket},
		Check:   checkS3Replication,
	},
	{
		ID: "residency.database-replication", Severity: Deny,
		Summary: "no Aurora global database, no cluster or read replica replicating from or to a region outside the jurisdiction",
		Why:     "a global database or cross-region replica keeps a full copy of the data in another region",
		Fix:     "remove globalClusterIdentifier and global clusters; replicate only between regions of the jurisdiction",
		Kinds:   []string{spec.KindDatabase, spec.KindRegion},
		Check:   checkDatabaseReplication,
	},
	{
		ID: "residency.cache-global", Severity: Deny,
		Summary: "no ElastiCache global datastore",
		Why:     "a global datastore replicates the cache to secondary clusters in other regions",
		Fix:     "remove globalReplicationGroupId and the global replication group",
		Kinds:   []string{spec.KindCache, spec.KindRegion},
		Check:   checkCacheGlobal,
	},
	{
		ID: "residency.dynamodb-replicas", Severity: Deny,
		Summary: "DynamoDB tables and global tables have replicas only in regions of the jurisdiction",
		Why:     "a global table keeps a full, writable copy of the table in every replica region",
		Fix:     "remove the replicas outside the jurisdiction",
		Check:   checkDynamoDBReplicas,
	},
	{
		ID: "residency.backup-copy", Severity: Deny,
		Summary: "AWS Backup copy actions only copy to vaults in the jurisdiction",
		Why:     "a copy action stores a full backup in the destination vault's region",
		Fix:     "copy to a vault in a region of the jurisdiction, or remove the copy action",
		Check:   checkBackupCopy,
	},
	{
		ID: "residency.kms-multi-region", Severity: Deny,
		Summary: "KMS keys are single-region: no multi-region keys, no replica keys",
		Why:     "a multi-region key can be replicated to any region, where it decrypts data copied there",
		Fix:     "set multiRegion to false (changing it replaces the key: plan the data's re-encryption) and remove replica keys",
		Kinds:   []string{spec.KindKey, spec.KindRegion},
		Check:   checkKMSMultiRegion,
	},
	{
		ID: "residency.log-subscriptions", Severity: Deny,
		Summary: "CloudWatch Logs subscription filters only deliver to destinations in the jurisdiction",
		Why:     "a subscription streams every log event, which can hold customer data, to its destination",
		Fix:     "deliver to a Kinesis stream, Firehose or Lambda function of a region in the jurisdiction",
		Check:   checkLogSubscriptions,
	},
	{
		ID: "residency.messaging-targets", Severity: Deny,
		Summary: "SNS subscriptions, EventBridge targets and SQS dead-letter queues are in the jurisdiction",
		Why:     "messages carry customer data to wherever they are delivered",
		Fix:     "deliver to queues, functions, streams and endpoints of a region in the jurisdiction",
		Check:   checkMessagingTargets,
	},
	{
		ID: "residency.arn-region", Severity: Deny,
		Summary: "no ARN anywhere in the inputs (policies included) names a region outside the jurisdiction; global ARNs (IAM, S3, Route 53) have no region and pass",
		Why:     "a reference to a resource in another region is a path for data to reach it",
		Fix:     "refer to resources of regions in the jurisdiction",
		Check:   checkARNRegions,
	},
	{
		ID: "ha.database-multi-az", Severity: Deny,
		Summary: "each Aurora cluster has at least 2 instances in at least 2 availability zones; other RDS instances are multi-AZ",
		Why:     "with one instance, or all in one zone, a zone failure takes the database down",
		Fix:     "set instances: 2 or more on the database",
		Kinds:   []string{spec.KindDatabase},
		Check:   checkDatabaseMultiAZ,
	},
	{
		ID: "ha.cache-failover", Severity: Deny,
		Summary: "each ElastiCache replication group has a replica, automatic failover and multi-AZ on",
		Why:     "without a replica in another zone, a node or zone failure loses the cache",
		Fix:     "set replicas: 1 or more on the cache",
		Kinds:   []string{spec.KindCache},
		Check:   checkCacheFailover,
	},
	{
		ID: "ha.fleet-spread", Severity: Deny,
		Summary: "each Auto Scaling group keeps at least 2 servers, in subnets of at least 2 availability zones",
		Why:     "a fleet of one server, or in one zone, goes down with it",
		Fix:     "set min: 2 or more on the fleet",
		Kinds:   []string{spec.KindFleet},
		Check:   checkFleetSpread,
	},
	{
		ID: "ha.subnets-multi-az", Severity: Deny,
		Summary: "each subnet tier (public, private, isolated) spans at least 2 availability zones",
		Why:     "everything placed in a tier of one zone fails with that zone",
		Fix:     "set network.azs to 2 or more",
		Kinds:   []string{spec.KindNetwork},
		Check:   checkSubnetsMultiAZ,
	},
	{
		ID: "ha.nat-per-az", Severity: Warn,
		Summary: "there is a NAT gateway in every availability zone with private subnets",
		Why:     "with a single NAT gateway, losing its zone cuts every server's outbound traffic",
		Fix:     "set network.natGateways: perAz, or waive it for a region where the saving is worth the risk",
		Kinds:   []string{spec.KindNetwork},
		Check:   checkNATPerAZ,
	},
	{
		ID: "ha.alarms", Severity: Deny,
		Summary: "every database, cache, queue and load balancer has a CloudWatch alarm that notifies someone",
		Why:     "a failure nobody is told about lasts until a customer notices",
		Fix:     "regionctl's observability component creates them; keep alarms.email set and the component in the program",
		Kinds:   []string{spec.KindDatabase, spec.KindCache, spec.KindQueue, spec.KindFleet},
		Check:   checkAlarms,
	},
	{
		ID: "ha.alarm-endpoint", Severity: Deny,
		Summary: "alarms notify at least one subscription that confirms without a person (an https paging endpoint that confirms itself, or an AWS endpoint of the account)",
		Why:     "AWS leaves an email subscription pending until someone follows the link it mails, so until then alarms reach nobody, and a plan cannot see whether anyone did",
		Fix:     "add alarms.https: [https://events.pagerduty.com/integration/KEY/enqueue] (PagerDuty, Opsgenie) next to alarms.email",
		Kinds:   []string{spec.KindAlarms},
		Check:   checkAlarmEndpoint,
	},
	{
		ID: "security.encryption", Severity: Deny,
		Summary: "databases, caches, queues, buckets, log groups, SNS topics, DynamoDB tables and server volumes are encrypted with the region's own KMS key (caches in transit too)",
		Why:     "the region's key keeps the data unreadable outside the region and its account, and its use auditable",
		Fix:     "encrypt with the region's key (regionctl's components pass it everywhere)",
		Check:   checkEncryption,
	},
	{
		ID: "security.public-access", Severity: Deny,
		Summary: "no database instance is publicly accessible",
		Why:     "a public endpoint exposes the database to the internet's password guessing",
		Fix:     "set publiclyAccessible to false; servers reach databases inside the VPC",
		Kinds:   []string{spec.KindDatabase, spec.KindCache},
		Check:   checkPublicAccess,
	},
	{
		ID: "security.open-ingress", Severity: Deny,
		Summary: "no security group accepts 0.0.0.0/0 or ::/0, except a load balancer's on ports 80 and 443",
		Why:     "anything else open to the internet is an entry point for attacks",
		Fix:     "reach servers through the load balancer (and SSM Session Manager for shells); allow other sources by security group",
		Check:   checkOpenIngress,
	},
	{
		ID: "security.public-https", Severity: Deny,
		Summary: "every internet-facing load balancer has an HTTPS listener with a certificate, and its HTTP listeners only redirect to HTTPS",
		Why:     "plain HTTP carries sessions, passwords and customer data across the internet in clear text",
		Fix:     "set loadBalancer.certificateArn to an ACM certificate of the region (regionctl then serves HTTPS and redirects port 80 to it)",
		Kinds:   []string{spec.KindFleet},
		Check:   checkPublicHTTPS,
	},
	{
		ID: "security.imdsv2", Severity: Deny,
		Summary: "launch templates and instances require IMDSv2 (httpTokens: required)",
		Why:     "IMDSv1 lets a server-side request forgery read the instance role's credentials",
		Fix:     "set metadataOptions.httpTokens to required (regionctl's fleets do)",
		Kinds:   []string{spec.KindFleet},
		Check:   checkIMDSv2,
	},
	{
		ID: "security.bucket-public-access", Severity: Deny,
		Summary: "every S3 bucket has a public access block with all four settings on",
		Why:     "one public ACL or policy would publish the bucket's objects",
		Fix:     "add a public access block with blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets true (regionctl's buckets have one)",
		Kinds:   []string{spec.KindBucket},
		Check:   checkBucketPublicAccess,
	},
	{
		ID: "security.s3-endpoint-policy", Severity: Deny,
		Summary: "every S3 gateway endpoint has a policy that does not allow every bucket unconditionally",
		Why:     "without one, anything in the VPC can copy data to a bucket of any account through the endpoint",
		Fix:     "allow the account's own buckets (aws:ResourceAccount) and the AWS-owned buckets servers read (regionctl's network does)",
		Kinds:   []string{spec.KindNetwork},
		Check:   checkS3EndpointPolicy,
	},
	{
		ID: "security.plaintext-secrets", Severity: Deny,
		Summary: "no password, token or secret key is written in plain text in the inputs; each is absent or a secret",
		Why:     "plain inputs end up in the state file, plan output and CI logs",
		Fix:     "let AWS manage the password (manageMasterUserPassword) or pass it as a Pulumi secret",
		Check:   checkPlaintextSecrets,
	},
	{
		ID: "security.deletion-protection", Severity: Deny,
		Summary: "databases and load balancers have deletion protection on",
		Why:     "deletion protection stops a mistaken delete in the console, the CLI or a program",
		Fix:     "set deletionProtection (databases) or enableDeletionProtection (load balancers) to true",
		Kinds:   []string{spec.KindDatabase, spec.KindFleet},
		Check:   checkDeletionProtection,
	},
	{
		ID: "security.least-privilege", Severity: Deny,
		Summary: "a fleet's role policies grant only what its uses imply: the listed actions on the ARNs of the data stores it names, the region key only through their services (kms:ViaService), no wildcards",
		Why:     "every extra action or resource is reachable by anyone who takes over one server",
		Fix:     "add the store to servers[].uses, or remove the grant (regionctl's fleets grant exactly their uses)",
		Kinds:   []string{spec.KindFleet},
		Check:   checkLeastPrivilege,
	},
	{
		ID: "security.unused-data-store", Severity: Warn,
		Summary: "every database, cache, queue and bucket is used by a fleet (servers[].uses)",
		Why:     "no server can reach a store nobody uses: it is forgotten, or a fleet is missing its uses",
		Fix:     "add the store to the uses of the fleets that need it, or remove it",
		Kinds:   []string{spec.KindDatabase, spec.KindCache, spec.KindQueue, spec.KindBucket},
		Check:   checkUnusedDataStores,
	},
	{
		ID: "security.server-egress", Severity: Deny,
		Summary: "servers' security groups send to 0.0.0.0/0 or ::/0 only on TCP 443; data stores are reached by security group",
		Why:     "open egress lets a compromised server send data anywhere on any port",
		Fix:     "allow HTTPS (443) out and each used store's port to its security group (regionctl's fleets do)",
		Kinds:   []string{spec.KindFleet},
		Check:   checkServerEgress,
	},
	{
		ID: "security.cache-auth", Severity: Deny,
		Summary: "every ElastiCache replication group authenticates clients: a user group (role-based access) or an AUTH token",
		Why:     "without authentication anything that reaches the port reads and writes the cache",
		Fix:     "give the replication group a user group of IAM-authenticated users (regionctl's caches have one)",
		Kinds:   []string{spec.KindCache},
		Check:   checkCacheAuth,
	},
	{
		ID: "blast.protected", Severity: Deny,
		Summary: "every stateful resource (database cluster and instances, cache, bucket, key, queue, table) is protected and retained on delete",
		Why:     "protect makes Pulumi refuse to delete it; retainOnDelete keeps it in AWS when it leaves the program",
		Fix:     "set the protect and retainOnDelete resource options (regionctl's components do)",
		Kinds:   dataStores,
		Check:   checkProtected,
	},
	{
		ID: RuleBlastReplace, Severity: Deny,
		Summary:    "a preview does not replace a stateful resource, unless the region file allows it by name",
		Why:        "replacing a database, cache, bucket, key or queue creates an empty one and deletes the old one with its data",
		Fix:        "undo the change that forces the replacement (the message names the properties); if the data is safe, add allow: [{replace: database/NAME, reason, expires}]",
		Kinds:      dataStores,
		Check:      checkReplace,
		Unwaivable: "allow the replacement by name instead: allow: [{replace: database/NAME, reason: ..., expires: ...}]",
	},
	{
		ID: "blast.same-identifier", Severity: Deny,
		Summary:    "a retained data store is never replaced under the identifier it already has",
		Why:        "the old one stays in AWS (retainOnDelete) under that identifier, so AWS refuses to create the new one and the replacement cannot finish, allowed or not",
		Fix:        "give the entry a new identifier (identifier: NAME-2) next to the allowance to replace it; the old store stays until deleted by hand",
		Kinds:      dataStores,
		Check:      checkSameIdentifier,
		Unwaivable: "no waiver or allowance can give two stores one identifier: set a new identifier in the entry instead",
	},
	{
		ID: RuleBlastDelete, Severity: Deny,
		Summary:    "a preview does not delete a stateful resource, unless the region file allows it by name",
		Why:        "deleting a data store deletes its data",
		Fix:        "put the entry back in the region file; if the data is safe, add allow: [{delete: database/NAME, reason, expires}]",
		Kinds:      dataStores,
		Check:      checkDelete,
		Unwaivable: "allow the deletion by name instead: allow: [{delete: database/NAME, reason: ..., expires: ...}]",
	},
	{
		ID: RulePolicyWaiver, Severity: Deny,
		Summary:    "every waiver names a rule and an entry it can apply to, and has not expired (nor expires more than a year ahead)",
		Why:        "a waiver is a temporary, reviewed exception; an expired one means the review is due",
		Fix:        "fix the finding and remove the waiver, or renew it with a new reason and expiry",
		Unwaivable: noWaiver,
	},
	{
		ID: RuleWaiverUnused, Severity: Warn,
		Summary:    "every waiver accepts at least one finding",
		Why:        "a waiver that matches nothing would silently cover a future finding",
		Fix:        "remove the waiver",
		Unwaivable: noWaiver,
	},
	{
		ID: RulePolicyAllow, Severity: Deny,
		Summary:    "every allowance to replace or delete a data store has not expired (nor expires more than a year ahead)",
		Why:        "a forgotten allowance would let a later change destroy the data store without review",
		Fix:        "remove the allowance once the change is applied, or renew it with a new reason and expiry",
		Unwaivable: noWaiver,
	},
}
