package awsmodel

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/regionctl/regionctl/internal/manifest"
)

// replaceRule names the inputs of a type whose change replaces the resource.
type replaceRule struct {
	// keys always force a replacement.
	keys []string
	// when returns the inputs whose change forces a replacement only in this change
	// (the provider's CustomizeDiff or ModifyPlan), given the old and new inputs and
	// the old state (outputs included). Optional.
	when func(olds, news, state resource.PropertyMap) []string
}

// forceNew is, per type regionctl uses, what replaces a resource on the real provider.
// pulumi-aws v6.83 bridges terraform-provider-aws v5: the keys are the fields marked
// ForceNew (RequiresReplace for framework resources) in that resource's Terraform
// schema, under their Pulumi names, and the when rules are the ForceNew calls of its
// CustomizeDiff. File names are under internal/service/ in terraform-provider-aws.
var forceNew = map[string]replaceRule{
	// Stateful types: a replacement here loses data, so these tables matter most.

	// rds/cluster.go
	"aws:rds/cluster:Cluster": {
		keys: []string{
			"availabilityZones", "clusterIdentifier", "clusterIdentifierPrefix", "clusterScalabilityType",
			"databaseName", "dbSubnetGroupName", "dbSystemId", "engine", "engineMode", "kmsKeyId",
			"masterUsername", "restoreToPointInTime", "s3Import", "snapshotIdentifier", "sourceRegion",
			"storageEncrypted",
		},
		// Only Aurora changes its storage type in place.
		when: func(_, news, _ resource.PropertyMap) []string {
			if engine, _ := KnownString(news, "engine"); !strings.HasPrefix(engine, "aurora") {
				return []string{"storageType"}
			}
			return nil
		},
	},
	// rds/cluster_instance.go
	"aws:rds/clusterInstance:ClusterInstance": {
		keys: []string{
			"availabilityZone", "clusterIdentifier", "customIamInstanceProfile", "dbSubnetGroupName",
			"engine", "identifier", "identifierPrefix",
		},
	},
	// elasticache/replication_group.go
	"aws:elasticache/replicationGroup:ReplicationGroup": {
		keys: []string{
			"atRestEncryptionEnabled", "dataTieringEnabled", "globalReplicationGroupId", "kmsKeyId",
			"networkType", "port", "replicationGroupId", "securityGroupNames", "snapshotArns",
			"snapshotName", "subnetGroupName",
		},
		when: replicationGroupReplaces,
	},
	// sqs/queue.go
	"aws:sqs/queue:Queue": {keys: []string{"fifoQueue", "name", "namePrefix"}},
	// s3/bucket.go (BucketV2 is the same Terraform resource); the deprecated
	// object_lock_configuration block's own object_lock_enabled is ForceNew too
	"aws:s3/bucketV2:BucketV2": {keys: []string{"bucket", "bucketPrefix", "objectLockEnabled"}, when: bucketObjectLockReplaces},
	"aws:s3/bucket:Bucket":     {keys: []string{"bucket", "bucketPrefix", "objectLockEnabled"}},
	// kms/key.go
	"aws:kms/key:Key": {
		keys: []string{"customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId"},
	},
	// logs/group.go
	"aws:cloudwatch/logGroup:LogGroup": {keys: []string{"logGroupClass", "name", "namePrefix"}},
	// sns/topic.go
	"aws:sns/topic:Topic": {keys: []string{"fifoTopic", "name", "namePrefix"}},

	// Network.

	// ec2/vpc_.go: cidrBlock through CustomizeDiff (unless IPAM assigned it);
	// instanceTenancy unless going from dedicated to default.
	"aws:ec2/vpc:Vpc": {
		keys: []string{"ipv4IpamPoolId", "ipv4NetmaskLength"},
		when: func(olds, news, _ resource.PropertyMap) []string {
			out := []string{}
			if Absent(news, "ipv4NetmaskLength") {
				out = append(out, "cidrBlock")
			}
			oldT, _ := KnownString(olds, "instanceTenancy")
			newT, _ := KnownString(news, "instanceTenancy")
			if oldT != "dedicated" || newT != "default" {
				out = append(out, "instanceTenancy")
			}
			return out
		},
	},
	// ec2/vpc_subnet.go
	"aws:ec2/subnet:Subnet": {
		keys: []string{"availabilityZone", "availabilityZoneId", "cidrBlock", "ipv6Native", "outpostArn", "vpcId"},
	},
	// ec2/vpc_security_group.go
	"aws:ec2/securityGroup:SecurityGroup": {keys: []string{"description", "name", "namePrefix", "vpcId"}},
	// ec2/vpc_default_security_group.go
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {keys: []string{"vpcId"}},
	// ec2/vpc_security_group_ingress_rule.go, _egress_rule.go (framework: RequiresReplace;
	// ModifyPlan replaces a rule whose source changes kind)
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {keys: []string{"securityGroupId"}, when: ruleSourceReplaces},
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":   {keys: []string{"securityGroupId"}, when: ruleSourceReplaces},
	// ec2/vpc_route_table.go
	"aws:ec2/routeTable:RouteTable": {keys: []string{"vpcId"}},
	// ec2/vpc_route.go
	"aws:ec2/route:Route": {
		keys: []string{"destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId", "routeTableId"},
	},
	// ec2/vpc_route_table_association.go
	"aws:ec2/routeTableAssociation:RouteTableAssociation": {keys: []string{"gatewayId", "subnetId"}},
	// ec2/ec2_eip.go
	"aws:ec2/eip:Eip": {
		keys: []string{"address", "domain", "ipamPoolId", "networkBorderGroup", "publicIpv4Pool", "vpc"},
	},
	// ec2/vpc_nat_gateway.go
	"aws:ec2/natGateway:NatGateway": {
		keys: []string{"allocationId", "connectivityType", "privateIp", "secondaryPrivateIpAddressCount", "subnetId"},
	},
	// ec2/vpc_endpoint.go
	"aws:ec2/vpcEndpoint:VpcEndpoint": {
		keys: []string{"resourceConfigurationArn", "serviceName", "serviceNetworkArn", "serviceRegion", "vpcEndpointType", "vpcId"},
	},
	// ec2/vpc_flow_log.go: nothing of a flow log changes in place
	"aws:ec2/flowLog:FlowLog": {
		keys: []string{
			"deliverCrossAccountRole", "destinationOptions", "eniId", "iamRoleArn", "logDestination",
			"logDestinationType", "logFormat", "logGroupName", "maxAggregationInterval", "subnetId",
			"trafficType", "transitGatewayAttachmentId", "transitGatewayId", "vpcId",
		},
	},
	// elbv2/load_balancer.go: CustomizeDiff replaces a network load balancer whose
	// subnets change without growing, or that gains its first or loses its last
	// security group, and any load balancer whose subnet mappings change other than by
	// adding or removing mappings (a network one: other than by adding).
	"aws:lb/loadBalancer:LoadBalancer": {
		keys: []string{"customerOwnedIpv4Pool", "internal", "loadBalancerType", "name", "namePrefix"},
		when: loadBalancerReplaces,
	},
	// elbv2/target_group.go
	"aws:lb/targetGroup:TargetGroup": {
		keys: []string{"ipAddressType", "name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId"},
	},
	// elbv2/listener.go
	"aws:lb/listener:Listener": {keys: []string{"loadBalancerArn"}},

	// Servers and IAM.

	// ec2/ec2_launch_template.go
	"aws:ec2/launchTemplate:LaunchTemplate": {keys: []string{"name", "namePrefix"}},
	// autoscaling/group.go, policy.go (initial_lifecycle_hook is ForceNew as a whole)
	"aws:autoscaling/group:Group":   {keys: []string{"initialLifecycleHooks", "name", "namePrefix"}},
	"aws:autoscaling/policy:Policy": {keys: []string{"autoscalingGroupName", "name"}},
	// iam/role.go
	"aws:iam/role:Role": {keys: []string{"name", "namePrefix", "path"}},
	// iam/instance_profile.go
	"aws:iam/instanceProfile:InstanceProfile": {keys: []string{"name", "namePrefix", "path"}},
	// iam/role_policy.go, role_policy_attachment.go
	"aws:iam/rolePolicy:RolePolicy":                     {keys: []string{"name", "namePrefix", "role"}},
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": {keys: []string{"policyArn", "role"}},

	// Satellites of the data stores.

	// kms/alias.go
	"aws:kms/alias:Alias": {keys: []string{"name", "namePrefix"}},
	// rds/subnet_group.go, cluster_parameter_group.go
	"aws:rds/subnetGroup:SubnetGroup":                     {keys: []string{"name", "namePrefix"}},
	"aws:rds/clusterParameterGroup:ClusterParameterGroup": {keys: []string{"description", "family", "name", "namePrefix"}},
	// elasticache/subnet_group.go
	"aws:elasticache/subnetGroup:SubnetGroup": {keys: []string{"name"}},
	// elasticache/user.go: AWS keeps a user's id and name; engine and access change in place
	"aws:elasticache/user:User": {keys: []string{"userId", "userName"}},
	// elasticache/user_group.go: the group's id is ForceNew; its user ids change in place
	"aws:elasticache/userGroup:UserGroup": {keys: []string{"userGroupId"}},
	// sqs/queue_redrive_allow_policy.go
	"aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": {keys: []string{"queueUrl"}},
	// s3/bucket_*.go: each belongs to its bucket
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     {keys: []string{"bucket"}},
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     {keys: []string{"bucket"}},
	"aws:s3/bucketPolicy:BucketPolicy":                                                           {keys: []string{"bucket"}},
	"aws:s3/bucketVersioningV2:BucketVersioningV2":                                               {keys: []string{"bucket", "expectedBucketOwner"}},
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": {keys: []string{"bucket", "expectedBucketOwner"}},
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       {keys: []string{"bucket", "expectedBucketOwner"}},
	// sns/topic_subscription.go
	"aws:sns/topicSubscription:TopicSubscription": {keys: []string{"endpoint", "protocol", "topic"}},
	// cloudwatch/metric_alarm.go (alarm_name in Terraform)
	"aws:cloudwatch/metricAlarm:MetricAlarm": {keys: []string{"name"}},
}

// Replaces returns which of the changed top-level inputs of a resource of type typ
// force the real provider to replace it, sorted; nil when the change is an update.
// olds and news are the old and new inputs, state the old outputs (nil offline).
// The offline diff and the rehearsal provider both decide replacements here.
func Replaces(typ string, changed []string, olds, news, state resource.PropertyMap) []string {
	rule, ok := forceNew[typ]
	if !ok || len(changed) == 0 {
		return nil
	}
	replaceable := rule.keys
	if rule.when != nil {
		replaceable = append(slices.Clone(replaceable), rule.when(olds, news, state)...)
	}
	var out []string
	for _, c := range changed {
		if slices.Contains(replaceable, c) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// ReplacedTypes lists the types whose replacement rules are known, sorted.
func ReplacedTypes() []string {
	out := make([]string, 0, len(forceNew))
	for t := range forceNew {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// ruleSourceReplaces is the ModifyPlan of aws_vpc_security_group_{ingress,egress}_rule:
// AWS modifies a rule in place but cannot change the kind of its source, so a rule
// whose source moves to another kind (an IPv4 range to a security group, say) is
// replaced, the old kind's input and the new one's both marked. A new value of the
// same kind is an update.
func ruleSourceReplaces(olds, news, _ resource.PropertyMap) []string {
	oldKind, newKind := ruleSourceKind(olds), ruleSourceKind(news)
	if oldKind == newKind {
		return nil
	}
	var out []string
	for _, k := range []string{oldKind, newKind} {
		if k != "" {
			out = append(out, k)
		}
	}
	return out
}

// ruleSourceKind is the input that holds a rule's source, in the provider's order of
// looking; a value not known yet still names its kind.
func ruleSourceKind(m resource.PropertyMap) string {
	for _, k := range []string{"cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"} {
		if !Absent(m, k) {
			return k
		}
	}
	return ""
}

// bucketObjectLockReplaces: object lock is chosen when a bucket is created, so a new
// objectLockConfiguration.objectLockEnabled (the deprecated block's flag, ForceNew in
// the schema) replaces the bucket; a change to the block's rule alone is an update. A
// flag not known yet replaces, as an unknown ForceNew value does in a Terraform plan.
// The block is Optional and Computed: dropping it from the inputs keeps what AWS has.
func bucketObjectLockReplaces(olds, news, _ resource.PropertyMap) []string {
	if Absent(news, "objectLockConfiguration") {
		return nil
	}
	lockFlag := func(m resource.PropertyMap) resource.PropertyValue {
		v := Unsecret(m["objectLockConfiguration"])
		if v.IsComputed() {
			return v
		}
		if !v.IsObject() {
			return resource.NewNullProperty()
		}
		return Unsecret(v.ObjectValue()["objectLockEnabled"])
	}
	o, n := lockFlag(olds), lockFlag(news)
	if n.ContainsUnknowns() || !o.DeepEquals(n) {
		return []string{"objectLockConfiguration"}
	}
	return nil
}

// replicationGroupReplaces is the CustomizeDiff of aws_elasticache_replication_group:
// in-transit encryption changes in place only from Redis 7.0.5 (of the version
// running); moving to an older engine version, or from Valkey back to Redis, means a
// new group.
func replicationGroupReplaces(olds, news, state resource.PropertyMap) []string {
	var out []string
	oldVersion, _ := KnownString(olds, "engineVersion")
	newVersion, _ := KnownString(news, "engineVersion")
	actual, _ := KnownString(state, "engineVersionActual")
	running := actual
	if running == "" {
		running = oldVersion
	}
	if v, ok := parseEngineVersion(running); ok && slices.Compare(v, []int{7, 0, 5}) < 0 {
		out = append(out, "transitEncryptionEnabled")
	}
	if oldVersion != "" && newVersion != "" && oldVersion != newVersion && engineDowngrade(oldVersion, newVersion, actual) {
		out = append(out, "engineVersion")
	}
	oldEngine, _ := KnownString(olds, "engine")
	newEngine, _ := KnownString(news, "engine")
	if strings.EqualFold(oldEngine, "valkey") && strings.EqualFold(newEngine, "redis") {
		out = append(out, "engine")
	}
	return out
}

// engineDowngrade is the provider's engineVersionIsDowngrade (elasticache/
// engine_version.go). A configured "6.x" or "7.x" runs some minor of that major: the
// new version is compared, major then minor, with the version running
// (engineVersionActual). Without it only the major can be compared. Otherwise the
// versions are compared in full, "6.x" counting as the newest 6 ("6.<max>"). A version
// that does not parse replaces nothing (the provider refuses the plan instead).
func engineDowngrade(oldVersion, newVersion, actual string) bool {
	n, ok := parseEngineVersion(newVersion)
	if !ok {
		return false
	}
	if oldVersion == "6.x" || oldVersion == "7.x" {
		if a, ok := parseEngineVersion(actual); ok {
			return slices.Compare(n[:2], a[:2]) < 0
		}
		o, _ := parseEngineVersion(oldVersion)
		return n[0] < o[0]
	}
	o, ok := parseEngineVersion(oldVersion)
	return ok && slices.Compare(n, o) < 0
}

// parseEngineVersion reads "7.1", "5.0.6" or "6.x" into three numbers (missing parts
// are 0, as hashicorp/go-version pads them; "x" is the largest minor).
func parseEngineVersion(s string) ([]int, bool) {
	parts := strings.Split(s, ".")
	if s == "" || len(parts) > 3 {
		return nil, false
	}
	out := make([]int, 3)
	for i, p := range parts {
		if p == "x" && i == 1 && len(parts) == 2 {
			out[i] = math.MaxInt
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil, false
		}
		out[i] = n
	}
	return out, true
}

// loadBalancerReplaces is the CustomizeDiff of aws_lb (customizeDiffLoadBalancerNLB
// and customizeDiffLoadBalancerALB). A list not wholly known yet replaces nothing, as
// there.
func loadBalancerReplaces(olds, news, _ resource.PropertyMap) []string {
	kind, ok := KnownString(news, "loadBalancerType")
	if !ok {
		kind = "application"
	}
	var out []string
	oldMaps, newMaps, known := lists(olds, news, "subnetMapping")
	if known && !elementsEqual(oldMaps, newMaps) {
		added := len(newMaps) > len(oldMaps) && containsAll(newMaps, oldMaps)
		removed := len(newMaps) < len(oldMaps) && containsAll(oldMaps, newMaps)
		if (kind == "network" && !added) || (kind == "application" && !added && !removed) {
			out = append(out, "subnetMapping")
		}
	}
	if kind != "network" {
		return out
	}
	if oldSubnets, newSubnets, known := lists(olds, news, "subnets"); known && !elementsEqual(oldSubnets, newSubnets) && len(newSubnets) <= len(oldSubnets) {
		out = append(out, "subnets")
	}
	if oldSGs, newSGs, known := lists(olds, news, "securityGroups"); known && (len(oldSGs) == 0) != (len(newSGs) == 0) {
		out = append(out, "securityGroups")
	}
	return out
}

// lists returns a list input's old and new elements, and whether the new list is
// wholly known.
func lists(olds, news resource.PropertyMap, key string) (o, n []resource.PropertyValue, known bool) {
	get := func(m resource.PropertyMap) []resource.PropertyValue {
		if v := Unsecret(m[resource.PropertyKey(key)]); v.IsArray() {
			return v.ArrayValue()
		}
		return nil
	}
	n = get(news)
	if v := news[resource.PropertyKey(key)]; v.ContainsUnknowns() {
		return get(olds), n, false
	}
	return get(olds), n, true
}

// containsAll is true when every element of sub is in set (the lists are sets).
func containsAll(set, sub []resource.PropertyValue) bool {
	for _, e := range sub {
		if !slices.ContainsFunc(set, e.DeepEquals) {
			return false
		}
	}
	return true
}

// elementsEqual compares two lists as sets.
func elementsEqual(a, b []resource.PropertyValue) bool {
	return len(a) == len(b) && containsAll(a, b) && containsAll(b, a)
}

// ReplacesPlain is Replaces over plain inputs (a plan's manifest), where a value not
// known yet is manifest.UnknownMask and a secret manifest.SecretMask; offline there is no
// state, so rules that read it see none.
func ReplacesPlain(typ string, changed []string, olds, news map[string]any) []string {
	return Replaces(typ, changed, fromPlain(olds), fromPlain(news), nil)
}

func fromPlain(m map[string]any) resource.PropertyMap {
	out := make(resource.PropertyMap, len(m))
	for k, v := range m {
		out[resource.PropertyKey(k)] = fromPlainValue(v)
	}
	return out
}

func fromPlainValue(v any) resource.PropertyValue {
	switch x := v.(type) {
	case nil:
		return resource.NewNullProperty()
	case string:
		switch x {
		case manifest.UnknownMask:
			return resource.MakeComputed(resource.NewStringProperty(""))
		case manifest.SecretMask:
			return resource.MakeSecret(resource.NewStringProperty(""))
		}
		return resource.NewStringProperty(x)
	case bool:
		return resource.NewBoolProperty(x)
	case float64:
		return resource.NewNumberProperty(x)
	case []any:
		arr := make([]resource.PropertyValue, len(x))
		for i, e := range x {
			arr[i] = fromPlainValue(e)
		}
		return resource.NewArrayProperty(arr)
	case map[string]any:
		return resource.NewObjectProperty(fromPlain(x))
	}
	return resource.NewStringProperty(fmt.Sprint(v))
}
