package rehearsal

import (
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// replaceRule names the inputs of a type whose change replaces the resource.
type replaceRule struct {
	// keys always force a replacement.
	keys []string
	// when returns the inputs whose change forces a replacement only in this change
	// (the provider's CustomizeDiff), given the old and new inputs. Optional.
	when func(olds, news resource.PropertyMap) []string
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
		when: func(_, news resource.PropertyMap) []string {
			if engine, _ := knownString(news, "engine"); !strings.HasPrefix(engine, "aurora") {
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
	// s3/bucket.go (BucketV2 is the same Terraform resource)
	"aws:s3/bucketV2:BucketV2": {keys: []string{"bucket", "bucketPrefix", "objectLockEnabled"}},
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
		when: func(olds, news resource.PropertyMap) []string {
			out := []string{}
			if absent(news, "ipv4NetmaskLength") {
				out = append(out, "cidrBlock")
			}
			oldT, _ := knownString(olds, "instanceTenancy")
			newT, _ := knownString(news, "instanceTenancy")
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
	// ec2/vpc_security_group_ingress_rule.go, _egress_rule.go (framework: RequiresReplace)
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {keys: []string{"securityGroupId"}},
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":   {keys: []string{"securityGroupId"}},
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
		keys: []string{"address", "customerOwnedIpv4Pool", "domain", "ipamPoolId", "networkBorderGroup", "publicIpv4Pool", "vpc"},
	},
	// ec2/vpc_nat_gateway.go
	"aws:ec2/natGateway:NatGateway": {keys: []string{"allocationId", "connectivityType", "privateIp", "subnetId"}},
	// ec2/vpc_endpoint.go
	"aws:ec2/vpcEndpoint:VpcEndpoint": {keys: []string{"serviceName", "serviceRegion", "vpcEndpointType", "vpcId"}},
	// ec2/vpc_flow_log.go: nothing of a flow log changes in place
	"aws:ec2/flowLog:FlowLog": {
		keys: []string{
			"deliverCrossAccountRole", "destinationOptions", "eniId", "iamRoleArn", "logDestination",
			"logDestinationType", "logFormat", "logGroupName", "maxAggregationInterval", "subnetId",
			"trafficType", "transitGatewayAttachmentId", "transitGatewayId", "vpcId",
		},
	},
	// elbv2/load_balancer.go: a network load balancer is replaced when it loses a
	// subnet (CustomizeDiff)
	"aws:lb/loadBalancer:LoadBalancer": {
		keys: []string{"customerOwnedIpv4Pool", "internal", "loadBalancerType", "name", "namePrefix"},
		when: func(olds, news resource.PropertyMap) []string {
			if kind, _ := knownString(news, "loadBalancerType"); kind == "network" && losesElement(olds, news, "subnets") {
				return []string{"subnets"}
			}
			return nil
		},
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
	// autoscaling/group.go, policy.go
	"aws:autoscaling/group:Group":   {keys: []string{"name", "namePrefix"}},
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

// replicationGroupReplaces is the CustomizeDiff of aws_elasticache_replication_group:
// in-transit encryption changes in place only from Redis 7.0.5; moving to an older
// engine version, or from Valkey back to Redis, means a new group.
func replicationGroupReplaces(olds, news resource.PropertyMap) []string {
	var out []string
	oldVersion, _ := knownString(olds, "engineVersion")
	newVersion, _ := knownString(news, "engineVersion")
	if oldVersion != "" && compareVersions(oldVersion, "7.0.5") < 0 {
		out = append(out, "transitEncryptionEnabled")
	}
	if oldVersion != "" && newVersion != "" && compareVersions(newVersion, oldVersion) < 0 {
		out = append(out, "engineVersion")
	}
	oldEngine, _ := knownString(olds, "engine")
	newEngine, _ := knownString(news, "engine")
	if strings.EqualFold(oldEngine, "valkey") && strings.EqualFold(newEngine, "redis") {
		out = append(out, "engine")
	}
	return out
}

// compareVersions compares dotted versions ("7.1", "6.x") numerically, part by part;
// a part that is not a number counts as 0.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := range max(len(as), len(bs)) {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}

// losesElement is true when a list input had an element the new list lacks.
func losesElement(olds, news resource.PropertyMap, key string) bool {
	oldList, _ := stringList(olds[resource.PropertyKey(key)])
	newList, _ := stringList(news[resource.PropertyKey(key)])
	for _, s := range oldList {
		if !slices.Contains(newList, s) {
			return true
		}
	}
	return false
}
