package rehearsal

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// naming says which input holds a type's physical name and how the real provider
// fills it in when the program leaves it out.
type naming struct {
	prop   string // the input holding the physical name
	prefix string // the input asking for a generated name with a given prefix; "" if none
	lower  bool   // AWS keeps these names in lower case, so generated ones are lowered
	fifo   string // the bool input making the resource FIFO, whose name ends in ".fifo"
	alias  bool   // a KMS alias: every name starts with "alias/"
}

// namings covers the named types regionctl uses. A type missing here has no physical
// name (a VPC, a subnet: AWS assigns an id) or one the program must always give.
var namings = map[string]naming{
	"aws:autoscaling/group:Group":                         {prop: "name", prefix: "namePrefix"},
	"aws:cloudwatch/logGroup:LogGroup":                    {prop: "name", prefix: "namePrefix"},
	"aws:cloudwatch/metricAlarm:MetricAlarm":              {prop: "name"},
	"aws:ec2/launchTemplate:LaunchTemplate":               {prop: "name", prefix: "namePrefix"},
	"aws:ec2/securityGroup:SecurityGroup":                 {prop: "name", prefix: "namePrefix"},
	"aws:elasticache/replicationGroup:ReplicationGroup":   {prop: "replicationGroupId", lower: true},
	"aws:elasticache/subnetGroup:SubnetGroup":             {prop: "name", lower: true},
	"aws:iam/instanceProfile:InstanceProfile":             {prop: "name", prefix: "namePrefix"},
	"aws:iam/role:Role":                                   {prop: "name", prefix: "namePrefix"},
	"aws:iam/rolePolicy:RolePolicy":                       {prop: "name", prefix: "namePrefix"},
	"aws:kms/alias:Alias":                                 {prop: "name", prefix: "namePrefix", alias: true},
	"aws:lb/loadBalancer:LoadBalancer":                    {prop: "name", prefix: "namePrefix"},
	"aws:lb/targetGroup:TargetGroup":                      {prop: "name", prefix: "namePrefix"},
	"aws:rds/cluster:Cluster":                             {prop: "clusterIdentifier", prefix: "clusterIdentifierPrefix", lower: true},
	"aws:rds/clusterInstance:ClusterInstance":             {prop: "identifier", prefix: "identifierPrefix", lower: true},
	"aws:rds/clusterParameterGroup:ClusterParameterGroup": {prop: "name", prefix: "namePrefix", lower: true},
	"aws:rds/subnetGroup:SubnetGroup":                     {prop: "name", prefix: "namePrefix", lower: true},
	"aws:s3/bucket:Bucket":                                {prop: "bucket", prefix: "bucketPrefix", lower: true},
	"aws:s3/bucketV2:BucketV2":                            {prop: "bucket", prefix: "bucketPrefix", lower: true},
	"aws:sns/topic:Topic":                                 {prop: "name", prefix: "namePrefix", fifo: "fifoTopic"},
	"aws:sqs/queue:Queue":                                 {prop: "name", prefix: "namePrefix", fifo: "fifoQueue"},
}

// generatedName is the name the provider gives a resource whose program left the name
// out: like the real provider, the logical name, a hyphen and 7 hex characters — or,
// when a prefix is asked for, the prefix and 26 digits, as Terraform's generator does.
// Unlike the real provider's random suffix, the characters derive from the URN, so a
// rehearsal names a resource the same on every run.
func generatedName(urn resource.URN, n naming, inputs resource.PropertyMap) string {
	sum := sha256.Sum256([]byte(urn))
	var name string
	if prefix, ok := knownString(inputs, n.prefix); ok && n.prefix != "" {
		var digits [26]byte
		for i := range digits {
			digits[i] = '0' + sum[i]%10
		}
		name = prefix + string(digits[:])
	} else {
		name = urn.Name() + "-" + hex.EncodeToString(sum[:4])[:7]
		if n.alias {
			name = "alias/" + name
		}
	}
	if n.lower {
		name = strings.ToLower(name)
	}
	if n.fifo != "" && flag(inputs, n.fifo) && !strings.HasSuffix(name, ".fifo") {
		name += ".fifo"
	}
	return name
}

// autoname fills in the physical name of a resource whose program left it out. It
// returns the property it filled and the prefix property the name came from, if any;
// "" when the name was given (or the type has none).
func autoname(typ string, urn resource.URN, inputs resource.PropertyMap) (prop, from string) {
	n, ok := namings[typ]
	if !ok || !absent(inputs, n.prop) || !urn.IsValid() {
		return "", ""
	}
	if n.prefix != "" && !absent(inputs, n.prefix) {
		from = n.prefix
		if _, known := knownString(inputs, n.prefix); !known {
			// The prefix is not known yet (a preview): neither is the name.
			inputs[resource.PropertyKey(n.prop)] = resource.MakeComputed(resource.NewStringProperty(""))
			return n.prop, from
		}
	}
	inputs[resource.PropertyKey(n.prop)] = resource.NewStringProperty(generatedName(urn, n, inputs))
	return n.prop, from
}

// fixedName is true when a replacement keeps the resource's physical name as the
// program set it: the new resource could not exist next to the old one, so the old one
// must go first.
func fixedName(typ string, urn resource.URN, olds, news resource.PropertyMap) bool {
	n, ok := namings[typ]
	if !ok || !urn.IsValid() {
		return false
	}
	oldName, ok1 := knownString(olds, n.prop)
	newName, ok2 := knownString(news, n.prop)
	return ok1 && ok2 && oldName == newName &&
		newName != generatedName(urn, n, news) && newName != generatedName(urn, n, olds)
}
