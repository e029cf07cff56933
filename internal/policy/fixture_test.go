package policy

import (
	"encoding/json"
	"flag"
	"strings"
	"testing"
	"time"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite golden files (testdata/*.golden, the README rule table)")

// testNow is the day the rule tests run on, so expiry dates in fixtures stay put.
var testNow = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

const (
	account = "100000000001"
	keyARN  = "arn:aws:kms:eu-west-1:" + account + ":key/1111-key"
	topic   = "arn:aws:sns:eu-west-1:" + account + ":regionctl-alarms"
	bucket  = "uploads-eu-west-1-" + account
	certARN = "arn:aws:acm:eu-west-1:" + account + ":certificate/5b1e0c3a-7d2f-4e8a-9c61-0f3b2a4d6e81"
)

// loadRegion loads the region file the fixture manifests belong to.
func loadRegion(t testing.TB, dir string) (*spec.Region, spec.Jurisdictions) {
	t.Helper()
	regions, err := spec.LoadDir(dir, "eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	j, err := spec.LoadJurisdictions(dir + "/" + spec.JurisdictionsFile)
	if err != nil {
		t.Fatal(err)
	}
	return regions[0], j
}

// builder assembles a manifest the way regionctl's program registers one: components
// with children, URNs carrying the parent type.
type builder struct {
	m     manifest.Region
	types map[string]string // URN -> type, for child URNs
	// file, when set, edits (a copy of) the region file the manifest is judged with.
	file func(*spec.Region)
}

func newBuilder() *builder {
	return &builder{m: manifest.Region{Name: "eu-west-1"}, types: map[string]string{}}
}

func (b *builder) urn(parent, typ, name string) string {
	qualified := typ
	if pt, ok := b.types[parent]; ok {
		qualified = pt + "$" + typ
	}
	return "urn:pulumi:eu-west-1::regionctl::" + qualified + "::" + name
}

// comp adds a regionctl component and returns its URN.
func (b *builder) comp(kind, name string) string {
	typ := manifest.ComponentPrefix + kind
	u := b.urn("", typ, name)
	b.types[u] = typ
	b.m.Resources = append(b.m.Resources, manifest.Resource{URN: u, Type: typ, Name: name, Inputs: map[string]any{}})
	return u
}

// add adds a cloud resource; inputs are JSON, so they have the manifest's plain shape.
func (b *builder) add(parent, typ, name, inputs string) *builder {
	var in map[string]any
	if err := json.Unmarshal([]byte(inputs), &in); err != nil {
		panic(name + ": " + err.Error())
	}
	b.m.Resources = append(b.m.Resources, manifest.Resource{
		URN: b.urn(parent, typ, name), Type: typ, Name: name, Parent: parent, Custom: true, Inputs: in,
	})
	return b
}

// stateful adds a resource with protect and retainOnDelete, as the components do.
func (b *builder) stateful(parent, typ, name, inputs string) *builder {
	b.add(parent, typ, name, inputs)
	r := &b.m.Resources[len(b.m.Resources)-1]
	r.Protect, r.RetainOnDelete = true, true
	return b
}

// res finds a resource by name.
func (b *builder) res(name string) *manifest.Resource {
	for i := range b.m.Resources {
		if b.m.Resources[i].Name == name {
			return &b.m.Resources[i]
		}
	}
	panic("no resource " + name)
}

// set replaces an input (a dotted path) with a JSON value; "-" removes it.
func (b *builder) set(name, path, value string) *builder {
	in := b.res(name).Inputs
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		next, ok := in[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			in[k] = next
		}
		in = next
	}
	last := keys[len(keys)-1]
	if value == "-" {
		delete(in, last)
		return b
	}
	var v any
	if err := json.Unmarshal([]byte(value), &v); err != nil {
		panic(path + ": " + err.Error())
	}
	in[last] = v
	return b
}

// remove drops a resource.
func (b *builder) remove(name string) *builder {
	out := b.m.Resources[:0]
	for _, r := range b.m.Resources {
		if r.Name != name {
			out = append(out, r)
		}
	}
	b.m.Resources = out
	return b
}

// compliant builds a small region that passes every rule: what regionctl's program
// plans for testdata/regions/eu-west-1.yaml, cut down to one or two of each thing.
func compliant() *builder {
	b := newBuilder()
	b.add("", "pulumi:providers:aws", "aws-eu-west-1", `{"region": "eu-west-1", "allowedAccountIds": ["`+account+`"]}`)

	k := b.comp("Key", "kms-eu-west-1")
	b.stateful(k, tKMSKey, "kms-eu-west-1-key", `{"multiRegion": false, "enableKeyRotation": true}`)
	b.add(k, tKMSAlias, "kms-eu-west-1-alias", `{"name": "alias/regionctl-eu-west-1", "targetKeyId": "1111-key"}`)

	n := b.comp("Network", "network-eu-west-1")
	for _, tier := range []string{"public", "private", "isolated"} {
		for _, az := range []string{"a", "b"} {
			b.add(n, tSubnet, "network-eu-west-1-"+tier+"-"+az, `{"availabilityZone": "eu-west-1`+az+`", "tags": {"tier": "`+tier+`"}}`)
		}
	}
	b.add(n, tNATGateway, "network-eu-west-1-nat-a", `{"subnetId": "subnet-pa"}`)
	b.add(n, tNATGateway, "network-eu-west-1-nat-b", `{"subnetId": "subnet-pb"}`)
	b.add(n, tVPCEndpoint, "network-eu-west-1-s3", `{"serviceName": "com.amazonaws.eu-west-1.s3", "vpcEndpointType": "Gateway",
		"policy": "{\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":{\"aws:ResourceAccount\":\"`+account+`\"}}}]}"}`)
	b.add(n, tLogGroup, "network-eu-west-1-flow-logs", `{"kmsKeyId": "`+keyARN+`", "retentionInDays": 90}`)

	f := b.comp("Fleet", "compute-web")
	b.add(f, tLaunchTemplate, "compute-web-lt", `{"metadataOptions": {"httpEndpoint": "enabled", "httpTokens": "required"},
		"blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {"encrypted": "true", "kmsKeyId": "`+keyARN+`"}}]}`)
	b.add(f, tASG, "compute-web-asg", `{"minSize": 2, "maxSize": 4, "vpcZoneIdentifiers": ["subnet-ra", "subnet-rb"]}`)
	b.add(f, tSecurityGroup, "compute-web-alb-sg", `{"description": "load balancer of fleet web"}`)
	b.add(f, tSecurityGroup, "compute-web-app", `{"description": "servers of fleet web"}`)
	b.add(f, tSGIngress, "compute-web-alb-in-443", `{"cidrIpv4": "0.0.0.0/0", "fromPort": 443, "toPort": 443, "ipProtocol": "tcp", "securityGroupId": "sg-alb"}`)
	b.add(f, tSGIngress, "compute-web-app-from-alb", `{"referencedSecurityGroupId": "sg-alb", "fromPort": 8080, "toPort": 8080, "ipProtocol": "tcp", "securityGroupId": "sg-app"}`)
	b.add(f, tLB, "compute-web-alb", `{"name": "web-alb", "loadBalancerType": "application", "internal": false, "securityGroups": ["sg-alb"], "enableDeletionProtection": true}`)
	b.add(f, "aws:lb/listener:Listener", "compute-web-https", `{"loadBalancerArn": "[unknown]", "port": 443, "protocol": "HTTPS", "certificateArn": "`+certARN+`",
		"sslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06", "defaultActions": [{"type": "forward", "targetGroupArn": "[unknown]"}]}`)
	b.add(f, "aws:lb/listener:Listener", "compute-web-http", `{"loadBalancerArn": "[unknown]", "port": 80, "protocol": "HTTP",
		"defaultActions": [{"type": "redirect", "redirect": {"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}]}`)
	b.add(f, tSGEgress, "compute-web-app-https", `{"cidrIpv4": "0.0.0.0/0", "fromPort": 443, "toPort": 443, "ipProtocol": "tcp", "securityGroupId": "sg-app"}`)
	b.add(f, tSGEgress, "compute-web-app-to-database-main", `{"referencedSecurityGroupId": "sg-db", "fromPort": 3306, "toPort": 3306, "ipProtocol": "tcp", "securityGroupId": "sg-app"}`)
	b.add(f, tRolePolicy, "compute-web-access", `{"role": "regionctl-eu-west-1-fleet-web", "policy": `+jsonString(webPolicy)+`}`)

	d := b.comp("Database", "database-main")
	b.stateful(d, tRDSCluster, "database-main-cluster", `{"clusterIdentifier": "main", "engine": "aurora-mysql", "storageEncrypted": true,
		"kmsKeyId": "`+keyARN+`", "deletionProtection": true, "manageMasterUserPassword": true, "masterUsername": "dbadmin"}`)
	for i, az := range []string{"a", "b"} {
		id := []string{"1", "2"}[i]
		b.stateful(d, tRDSClusterInst, "database-main-"+id, `{"clusterIdentifier": "main", "identifier": "main-`+id+`", "availabilityZone": "eu-west-1`+az+`",
			"publiclyAccessible": false, "performanceInsightsEnabled": true, "performanceInsightsKmsKeyId": "`+keyARN+`"}`)
	}

	c := b.comp("Cache", "cache-sessions")
	b.stateful(c, tCacheGroup, "cache-sessions-redis", `{"replicationGroupId": "sessions", "numCacheClusters": 2, "automaticFailoverEnabled": true,
		"multiAzEnabled": true, "atRestEncryptionEnabled": true, "transitEncryptionEnabled": true, "kmsKeyId": "`+keyARN+`",
		"preferredCacheClusterAzs": ["eu-west-1a", "eu-west-1b"], "userGroupIds": ["sessions-users"]}`)

	q := b.comp("Queue", "queue-events")
	b.stateful(q, tQueue, "queue-events-queue", `{"name": "events", "kmsMasterKeyId": "`+keyARN+`",
		"redrivePolicy": "{\"deadLetterTargetArn\":\"arn:aws:sqs:eu-west-1:`+account+`:events-dlq\",\"maxReceiveCount\":5}"}`)
	b.stateful(q, tQueue, "queue-events-dlq", `{"name": "events-dlq", "kmsMasterKeyId": "`+keyARN+`"}`)

	s := b.comp("Bucket", "storage-uploads")
	b.stateful(s, tBucketV2, "storage-uploads-bucket", `{"bucket": "`+bucket+`", "forceDestroy": false}`)
	b.add(s, tBucketSSEV2, "storage-uploads-encryption", `{"bucket": "`+bucket+`",
		"rules": [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": "`+keyARN+`"}, "bucketKeyEnabled": true}]}`)
	b.add(s, tBucketPAB, "storage-uploads-public-access", `{"bucket": "`+bucket+`", "blockPublicAcls": true, "blockPublicPolicy": true,
		"ignorePublicAcls": true, "restrictPublicBuckets": true}`)
	b.add(s, "aws:s3/bucketPolicy:BucketPolicy", "storage-uploads-policy", `{"bucket": "`+bucket+`",
		"policy": "{\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::`+bucket+`\"]}]}"}`)

	o := b.comp("Observability", "observability-eu-west-1")
	b.add(o, tTopic, "observability-eu-west-1-alarms", `{"name": "regionctl-alarms", "kmsMasterKeyId": "`+keyARN+`"}`)
	b.add(o, tSubscription, "observability-eu-west-1-alarms-email", `{"protocol": "email", "endpoint": "oncall@example.com", "topic": "`+topic+`"}`)
	b.add(o, tSubscription, "observability-eu-west-1-alarms-https-0", `{"protocol": "https", "endpoint": "[secret]", "endpointAutoConfirms": true, "topic": "`+topic+`"}`)
	alarm := func(name, namespace, dims string) {
		b.add(o, tAlarm, "observability-eu-west-1-"+name, `{"namespace": "`+namespace+`", "dimensions": `+dims+`, "alarmActions": ["`+topic+`"]}`)
	}
	alarm("database-main-cpu", "AWS/RDS", `{"DBClusterIdentifier": "main"}`)
	alarm("cache-sessions-001-memory", "AWS/ElastiCache", `{"CacheClusterId": "sessions-001"}`)
	alarm("queue-events-age", "AWS/SQS", `{"QueueName": "events"}`)
	alarm("queue-events-dlq", "AWS/SQS", `{"QueueName": "events-dlq"}`)
	alarm("fleet-web-elb-5xx", "AWS/ApplicationELB", `{"LoadBalancer": "app/web-alb/5e2fd266b296102a"}`)
	return b
}

// webPolicy is the access policy of fleet web, which uses every store of the region.
var webPolicy = `{"Version": "2012-10-17", "Statement": [
	{"Effect": "Allow", "Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
		"Resource": ["arn:aws:secretsmanager:eu-west-1:` + account + `:secret:rds!cluster-0f0f-AbCdEf"]},
	{"Effect": "Allow", "Action": ["elasticache:Connect"], "Resource": [
		"arn:aws:elasticache:eu-west-1:` + account + `:replicationgroup:sessions", "arn:aws:elasticache:eu-west-1:` + account + `:user:sessions-app"]},
	{"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"], "Resource": ["arn:aws:sqs:eu-west-1:` + account + `:events"]},
	{"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["arn:aws:s3:::` + bucket + `"]},
	{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": ["arn:aws:s3:::` + bucket + `/*"]},
	{"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": "` + keyARN + `",
		"Condition": {"StringEquals": {"kms:ViaService": ["sqs.eu-west-1.amazonaws.com", "s3.eu-west-1.amazonaws.com"]}}},
	{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "` + keyARN + `",
		"Condition": {"StringEquals": {"kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com"}}}
]}`

// jsonString quotes s as a JSON string.
func jsonString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// golden compares got with a golden file, or rewrites it with -update.
func golden(t *testing.T, file, got string) {
	t.Helper()
	testutil.Golden(t, file, []byte(got), *update)
}
