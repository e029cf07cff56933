package awsmodel

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Naming says which input holds a type's physical name and how the real provider
// fills it in when the program leaves it out.
type Naming struct {
	Prop   string // the input holding the physical name
	Prefix string // the input asking for a generated name with a given prefix; "" if none
	Lower  bool   // AWS keeps these names in lower case, so generated ones are lowered
	Fifo   string // the bool input making the resource FIFO, whose name ends in ".fifo"
	Alias  bool   // a KMS alias: every name starts with "alias/"
}

// Namings covers the named types regionctl uses. A type missing here has no physical
// name (a VPC, a subnet: AWS assigns an id) or one the program must always give.
var Namings = map[string]Naming{
	"aws:autoscaling/group:Group":                         {Prop: "name", Prefix: "namePrefix"},
	"aws:cloudwatch/logGroup:LogGroup":                    {Prop: "name", Prefix: "namePrefix"},
	"aws:cloudwatch/metricAlarm:MetricAlarm":              {Prop: "name"},
	"aws:ec2/launchTemplate:LaunchTemplate":               {Prop: "name", Prefix: "namePrefix"},
	"aws:ec2/securityGroup:SecurityGroup":                 {Prop: "name", Prefix: "namePrefix"},
	"aws:elasticache/replicationGroup:ReplicationGroup":   {Prop: "replicationGroupId", Lower: true},
	"aws:elasticache/subnetGroup:SubnetGroup":             {Prop: "name", Lower: true},
	"aws:iam/instanceProfile:InstanceProfile":             {Prop: "name", Prefix: "namePrefix"},
	"aws:iam/role:Role":                                   {Prop: "name", Prefix: "namePrefix"},
	"aws:iam/rolePolicy:RolePolicy":                       {Prop: "name", Prefix: "namePrefix"},
	"aws:kms/alias:Alias":                                 {Prop: "name", Prefix: "namePrefix", Alias: true},
	"aws:lb/loadBalancer:LoadBalancer":                    {Prop: "name", Prefix: "namePrefix"},
	"aws:lb/targetGroup:TargetGroup":                      {Prop: "name", Prefix: "namePrefix"},
	"aws:rds/cluster:Cluster":                             {Prop: "clusterIdentifier", Prefix: "clusterIdentifierPrefix", Lower: true},
	"aws:rds/clusterInstance:ClusterInstance":             {Prop: "identifier", Prefix: "identifierPrefix", Lower: true},
	"aws:rds/clusterParameterGroup:ClusterParameterGroup": {Prop: "name", Prefix: "namePrefix", Lower: true},
	"aws:rds/subnetGroup:SubnetGroup":                     {Prop: "name", Prefix: "namePrefix", Lower: true},
	"aws:s3/bucket:Bucket":                                {Prop: "bucket", Prefix: "bucketPrefix", Lower: true},
	"aws:s3/bucketV2:BucketV2":                            {Prop: "bucket", Prefix: "bucketPrefix", Lower: true},
	"aws:sns/topic:Topic":                                 {Prop: "name", Prefix: "namePrefix", Fifo: "fifoTopic"},
	"aws:sqs/queue:Queue":                                 {Prop: "name", Prefix: "namePrefix", Fifo: "fifoQueue"},
}

// generatedName is the name the provider gives a resource whose program left the name
// out: like the real provider, the logical name, a hyphen and 7 hex characters — or,
// when a prefix is asked for, the prefix and 26 digits, as Terraform's generator does.
// Unlike the real provider's random suffix, the characters derive from the URN, so a
// rehearsal names a resource the same on every run.
func GeneratedName(urn resource.URN, n Naming, inputs resource.PropertyMap) string {
	sum := sha256.Sum256([]byte(urn))
	var name string
	if prefix, ok := KnownString(inputs, n.Prefix); ok && n.Prefix != "" {
		var digits [26]byte
		for i := range digits {
			digits[i] = '0' + sum[i]%10
		}
		name = prefix + string(digits[:])
	} else {
		name = urn.Name() + "-" + hex.EncodeToString(sum[:4])[:7]
		if n.Alias {
			name = "alias/" + name
		}
	}
	if n.Lower {
		name = strings.ToLower(name)
	}
	if n.Fifo != "" && Flag(inputs, n.Fifo) && !strings.HasSuffix(name, ".fifo") {
		name += ".fifo"
	}
	return name
}

// autoname fills in the physical name of a resource whose program left it out. It
// returns the property it filled and the prefix property the name came from, if any;
// "" when the name was given (or the type has none).
func Autoname(typ string, urn resource.URN, inputs resource.PropertyMap) (prop, from string) {
	n, ok := Namings[typ]
	if !ok || !Absent(inputs, n.Prop) || !urn.IsValid() {
		return "", ""
	}
	if n.Prefix != "" && !Absent(inputs, n.Prefix) {
		from = n.Prefix
		if _, known := KnownString(inputs, n.Prefix); !known {
			// The prefix is not known yet (a preview): neither is the name.
			inputs[resource.PropertyKey(n.Prop)] = resource.MakeComputed(resource.NewStringProperty(""))
			return n.Prop, from
		}
	}
	inputs[resource.PropertyKey(n.Prop)] = resource.NewStringProperty(GeneratedName(urn, n, inputs))
	return n.Prop, from
}

// fixedName is true when a replacement keeps the resource's physical name as the
// program set it: the new resource could not exist next to the old one, so the old one
// must go first.
func FixedName(typ string, urn resource.URN, olds, news resource.PropertyMap) bool {
	n, ok := Namings[typ]
	if !ok || !urn.IsValid() {
		return false
	}
	oldName, ok1 := KnownString(olds, n.Prop)
	newName, ok2 := KnownString(news, n.Prop)
	return ok1 && ok2 && oldName == newName &&
		newName != GeneratedName(urn, n, news) && newName != GeneratedName(urn, n, olds)
}
