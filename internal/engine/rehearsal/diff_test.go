package rehearsal_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func diff(t *testing.T, client pulumirpc.ResourceProviderClient, typ, name string, olds, news resource.PropertyMap, ignore ...string) *pulumirpc.DiffResponse {
	t.Helper()
	resp, err := client.Diff(context.Background(), &pulumirpc.DiffRequest{
		Id: "id", Urn: urn(typ, name), Type: typ, Name: name,
		Olds: props(t, olds), OldInputs: props(t, olds), News: props(t, news), IgnoreChanges: ignore,
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// with returns a copy of m with the given keys set (a nil value deletes the key).
func with(m resource.PropertyMap, kv ...any) resource.PropertyMap {
	out := m.Copy()
	for i := 0; i < len(kv); i += 2 {
		k := resource.PropertyKey(kv[i].(string))
		if v, ok := kv[i+1].(resource.PropertyValue); ok {
			out[k] = v
		} else {
			delete(out, k)
		}
	}
	return out
}

// TestDiffReplaces: a change to an input the real provider cannot update in place
// replaces the resource; other changes update it.
func TestDiffReplaces(t *testing.T) {
	cluster := resource.PropertyMap{
		"clusterIdentifier": str("main"), "engine": str("aurora-mysql"), "engineVersion": str("8.0.mysql_aurora.3.10.3"),
		"storageEncrypted": yes(true), "kmsKeyId": str("arn:aws:kms:eu-west-1:210987654321:key/1"),
		"dbSubnetGroupName": str("main-subnets"), "masterUsername": str("dbadmin"), "backupRetentionPeriod": num(14),
		"availabilityZones": strs("eu-west-1a", "eu-west-1b"), "deletionProtection": yes(true),
	}
	instance := resource.PropertyMap{
		"identifier": str("main-1"), "clusterIdentifier": str("main"), "engine": str("aurora-mysql"),
		"instanceClass": str("db.r6g.xlarge"), "availabilityZone": str("eu-west-1a"), "dbSubnetGroupName": str("main-subnets"),
	}
	redis := resource.PropertyMap{
		"replicationGroupId": str("sessions"), "engine": str("redis"), "engineVersion": str("7.1"),
		"atRestEncryptionEnabled": yes(true), "transitEncryptionEnabled": yes(true), "kmsKeyId": str("arn:k"),
		"subnetGroupName": str("sessions-subnets"), "nodeType": str("cache.r6g.large"), "numCacheClusters": num(2), "port": num(6379),
	}
	queue := resource.PropertyMap{"name": str("events"), "fifoQueue": yes(false), "visibilityTimeoutSeconds": num(60)}
	bucket := resource.PropertyMap{"bucket": str("uploads-eu-west-1"), "forceDestroy": yes(false)}
	objectLock := func(enabled string, days float64) resource.PropertyValue {
		block := resource.PropertyMap{"objectLockEnabled": str(enabled)}
		if days > 0 {
			block["rule"] = resource.NewObjectProperty(resource.PropertyMap{"defaultRetention": resource.NewObjectProperty(
				resource.PropertyMap{"mode": str("GOVERNANCE"), "days": num(days)})})
		}
		return resource.NewObjectProperty(block)
	}
	userGroup := resource.PropertyMap{"userGroupId": str("sessions-users"), "engine": str("redis"), "userIds": strs("default", "app")}
	key := resource.PropertyMap{"multiRegion": yes(false), "keyUsage": str("ENCRYPT_DECRYPT"), "customerMasterKeySpec": str("SYMMETRIC_DEFAULT"), "enableKeyRotation": yes(true)}
	vpc := resource.PropertyMap{"cidrBlock": str("10.20.0.0/16"), "enableDnsHostnames": yes(true)}
	subnet := resource.PropertyMap{"cidrBlock": str("10.20.0.0/20"), "availabilityZone": str("eu-west-1a"), "vpcId": str("vpc-1"), "mapPublicIpOnLaunch": yes(false)}
	sg := resource.PropertyMap{"name": str("web-app"), "vpcId": str("vpc-1"), "description": str("servers of fleet web")}
	alb := resource.PropertyMap{"name": str("web-alb"), "internal": yes(false), "loadBalancerType": str("application"), "idleTimeout": num(60)}
	tg := resource.PropertyMap{"name": str("web-tg"), "port": num(8080), "protocol": str("HTTP"), "vpcId": str("vpc-1"), "deregistrationDelay": num(30)}
	role := resource.PropertyMap{"name": str("regionctl-eu-west-1-web"), "path": str("/"), "description": str("servers")}
	logs := resource.PropertyMap{"name": str("/regionctl/app/web"), "retentionInDays": num(30)}
	topic := resource.PropertyMap{"name": str("regionctl-alarms"), "displayName": str("alarms")}
	nlb := with(alb, "loadBalancerType", str("network"))
	mappings := func(subnets ...string) resource.PropertyValue {
		var out []resource.PropertyValue
		for _, s := range subnets {
			out = append(out, resource.NewObjectProperty(resource.PropertyMap{"subnetId": str(s)}))
		}
		return resource.NewArrayProperty(out)
	}
	eip := resource.PropertyMap{"domain": str("vpc")}
	ingress := resource.PropertyMap{"securityGroupId": str("sg-1"), "ipProtocol": str("tcp"), "fromPort": num(443), "toPort": num(443), "cidrIpv4": str("0.0.0.0/0")}
	egress := resource.PropertyMap{"securityGroupId": str("sg-1"), "ipProtocol": str("-1"), "cidrIpv4": str("0.0.0.0/0")}

	tests := []struct {
		name        string
		typ         string
		olds, news  resource.PropertyMap
		diffs       []string
		replaces    []string
		deleteFirst bool
	}{
		{"cluster unchanged", "aws:rds/cluster:Cluster", cluster, cluster, nil, nil, false},
		{"cluster engine", "aws:rds/cluster:Cluster", cluster, with(cluster, "engine", str("aurora-postgresql")), []string{"engine"}, []string{"engine"}, true},
		{"cluster identifier", "aws:rds/cluster:Cluster", cluster, with(cluster, "clusterIdentifier", str("main2")), []string{"clusterIdentifier"}, []string{"clusterIdentifier"}, false},
		{"cluster encryption", "aws:rds/cluster:Cluster", cluster, with(cluster, "storageEncrypted", yes(false), "kmsKeyId", nil),
			[]string{"kmsKeyId", "storageEncrypted"}, []string{"kmsKeyId", "storageEncrypted"}, true},
		{"cluster subnet group", "aws:rds/cluster:Cluster", cluster, with(cluster, "dbSubnetGroupName", str("other")), []string{"dbSubnetGroupName"}, []string{"dbSubnetGroupName"}, true},
		{"cluster master user", "aws:rds/cluster:Cluster", cluster, with(cluster, "masterUsername", str("root")), []string{"masterUsername"}, []string{"masterUsername"}, true},
		{"cluster database name", "aws:rds/cluster:Cluster", cluster, with(cluster, "databaseName", str("app")), []string{"databaseName"}, []string{"databaseName"}, true},
		{"cluster zones", "aws:rds/cluster:Cluster", cluster, with(cluster, "availabilityZones", strs("eu-west-1a")), []string{"availabilityZones"}, []string{"availabilityZones"}, true},
		{"cluster engine version", "aws:rds/cluster:Cluster", cluster, with(cluster, "engineVersion", str("8.0.mysql_aurora.3.08.0")), []string{"engineVersion"}, nil, false},
		{"cluster backups", "aws:rds/cluster:Cluster", cluster, with(cluster, "backupRetentionPeriod", num(7)), []string{"backupRetentionPeriod"}, nil, false},
		{"cluster storage type, aurora", "aws:rds/cluster:Cluster", cluster, with(cluster, "storageType", str("aurora-iopt1")), []string{"storageType"}, nil, false},
		{"cluster engine not known yet", "aws:rds/cluster:Cluster", cluster, with(cluster, "engine", unknown()), []string{"engine"}, []string{"engine"}, true},

		{"instance identifier", "aws:rds/clusterInstance:ClusterInstance", instance, with(instance, "identifier", str("main-one")), []string{"identifier"}, []string{"identifier"}, false},
		{"instance engine", "aws:rds/clusterInstance:ClusterInstance", instance, with(instance, "engine", str("aurora-postgresql")), []string{"engine"}, []string{"engine"}, true},
		{"instance cluster", "aws:rds/clusterInstance:ClusterInstance", instance, with(instance, "clusterIdentifier", str("other")), []string{"clusterIdentifier"}, []string{"clusterIdentifier"}, true},
		{"instance zone", "aws:rds/clusterInstance:ClusterInstance", instance, with(instance, "availabilityZone", str("eu-west-1b")), []string{"availabilityZone"}, []string{"availabilityZone"}, true},
		{"instance class", "aws:rds/clusterInstance:ClusterInstance", instance, with(instance, "instanceClass", str("db.r6g.2xlarge")), []string{"instanceClass"}, nil, false},

		{"redis id", "aws:elasticache/replicationGroup:ReplicationGroup", redis, with(redis, "replicationGroupId", str("sessions2")), []string{"replicationGroupId"}, []string{"replicationGroupId"}, false},
		{"redis at rest", "aws:elasticache/replicationGroup:ReplicationGroup", redis, with(redis, "atRestEncryptionEnabled", yes(false)), []string{"atRestEncryptionEnabled"}, []string{"atRestEncryptionEnabled"}, true},
		{"redis key", "aws:elasticache/replicationGroup:ReplicationGroup", redis, with(redis, "kmsKeyId", str("arn:k2")), []string{"kmsKeyId"}, []string{"kmsKeyId"}, true},
		{"redis subnets", "aws:elasticache/replicationGroup:ReplicationGroup", redis, with(redis, "subnetGroupName", str("x")), []string{"subnetGroupName"}, []string{"subnetGroupName"}, true},
		{"redis port", "aws:elasticache/replicationGroup:ReplicationGroup", redis, with(redis, "port", num(6380)), []string{"port"}, []string{"port"}, true},
		{"redis node type", "aws:elasticache/replicationGroup:ReplicationGroup", redis, with(redis, "nodeType", str("cache.r6g.xlarge")), []string{"nodeType"}, nil, false},
		{"redis 7.1 in transit", "aws:elasticache/replicationGroup:ReplicationGroup", redis, with(redis, "transitEncryptionEnabled", yes(false)), []string{"transitEncryptionEnabled"}, nil, false},
		{"redis 6.2 in transit", "aws:elasticache/replicationGroup:ReplicationGroup", with(redis, "engineVersion", str("6.2")), with(redis, "engineVersion", str("6.2"), "transitEncryptionEnabled", yes(false)),
			[]string{"transitEncryptionEnabled"}, []string{"transitEncryptionEnabled"}, true},
		{"redis downgrade", "aws:elasticache/replicationGroup:ReplicationGroup", redis, with(redis, "engineVersion", str("6.2")), []string{"engineVersion"}, []string{"engineVersion"}, true},
		{"redis upgrade", "aws:elasticache/replicationGroup:ReplicationGroup", redis, with(redis, "engineVersion", str("7.2")), []string{"engineVersion"}, nil, false},
		{"valkey back to redis", "aws:elasticache/replicationGroup:ReplicationGroup", with(redis, "engine", str("valkey")), redis, []string{"engine"}, []string{"engine"}, true},
		{"redis to valkey", "aws:elasticache/replicationGroup:ReplicationGroup", redis, with(redis, "engine", str("valkey")), []string{"engine"}, nil, false},

		{"redis 6.x to a 6 minor", "aws:elasticache/replicationGroup:ReplicationGroup", with(redis, "engineVersion", str("6.x")), with(redis, "engineVersion", str("6.2")), []string{"engineVersion"}, nil, false},
		{"redis 6.2 to 6.x", "aws:elasticache/replicationGroup:ReplicationGroup", with(redis, "engineVersion", str("6.2")), with(redis, "engineVersion", str("6.x")), []string{"engineVersion"}, nil, false},
		{"redis 7.1 to 6.x", "aws:elasticache/replicationGroup:ReplicationGroup", redis, with(redis, "engineVersion", str("6.x")), []string{"engineVersion"}, []string{"engineVersion"}, true},
		{"redis 6.x to 5", "aws:elasticache/replicationGroup:ReplicationGroup", with(redis, "engineVersion", str("6.x")), with(redis, "engineVersion", str("5.0.6")),
			[]string{"engineVersion"}, []string{"engineVersion"}, true},
		{"redis minor downgrade", "aws:elasticache/replicationGroup:ReplicationGroup", redis, with(redis, "engineVersion", str("7.0")), []string{"engineVersion"}, []string{"engineVersion"}, true},
		{"redis 5 patch upgrade", "aws:elasticache/replicationGroup:ReplicationGroup", with(redis, "engineVersion", str("5.0.4")), with(redis, "engineVersion", str("5.0.6")), []string{"engineVersion"}, nil, false},

		{"eip customer-owned pool", "aws:ec2/eip:Eip", eip, with(eip, "customerOwnedIpv4Pool", str("ipv4pool-coip-1")), []string{"customerOwnedIpv4Pool"}, nil, false},
		{"eip public pool", "aws:ec2/eip:Eip", eip, with(eip, "publicIpv4Pool", str("ipv4pool-ec2-1")), []string{"publicIpv4Pool"}, []string{"publicIpv4Pool"}, false},
		{"nat secondary address count", "aws:ec2/natGateway:NatGateway", resource.PropertyMap{"subnetId": str("subnet-1"), "connectivityType": str("private")},
			resource.PropertyMap{"subnetId": str("subnet-1"), "connectivityType": str("private"), "secondaryPrivateIpAddressCount": num(2)},
			[]string{"secondaryPrivateIpAddressCount"}, []string{"secondaryPrivateIpAddressCount"}, false},
		{"nat secondary allocations", "aws:ec2/natGateway:NatGateway", resource.PropertyMap{"subnetId": str("subnet-1"), "allocationId": str("eipalloc-1")},
			resource.PropertyMap{"subnetId": str("subnet-1"), "allocationId": str("eipalloc-1"), "secondaryAllocationIds": strs("eipalloc-2")},
			[]string{"secondaryAllocationIds"}, nil, false},
		{"group lifecycle hook", "aws:autoscaling/group:Group", resource.PropertyMap{"name": str("web"), "maxSize": num(12)},
			resource.PropertyMap{"name": str("web"), "maxSize": num(12), "initialLifecycleHooks": resource.NewArrayProperty([]resource.PropertyValue{
				resource.NewObjectProperty(resource.PropertyMap{"name": str("boot"), "lifecycleTransition": str("autoscaling:EC2_INSTANCE_LAUNCHING")})})},
			[]string{"initialLifecycleHooks"}, []string{"initialLifecycleHooks"}, true},
		{"group max size", "aws:autoscaling/group:Group", resource.PropertyMap{"name": str("web"), "maxSize": num(12)}, resource.PropertyMap{"name": str("web"), "maxSize": num(20)},
			[]string{"maxSize"}, nil, false},
		{"cache user name", "aws:elasticache/user:User", resource.PropertyMap{"userId": str("app"), "userName": str("app"), "accessString": str("on ~* +@all")},
			resource.PropertyMap{"userId": str("app"), "userName": str("app2"), "accessString": str("on ~* +@all")}, []string{"userName"}, []string{"userName"}, false},
		{"cache user access", "aws:elasticache/user:User", resource.PropertyMap{"userId": str("app"), "userName": str("app"), "accessString": str("on ~* +@all")},
			resource.PropertyMap{"userId": str("app"), "userName": str("app"), "accessString": str("on ~app:* +@read")}, []string{"accessString"}, nil, false},
		{"ingress new range", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", ingress, with(ingress, "cidrIpv4", str("10.20.0.0/16")), []string{"cidrIpv4"}, nil, false},
		{"ingress new port", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", ingress, with(ingress, "fromPort", num(80), "toPort", num(80)), []string{"fromPort", "toPort"}, nil, false},
		{"ingress range to group", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", ingress, with(ingress, "cidrIpv4", nil, "referencedSecurityGroupId", str("sg-2")),
			[]string{"cidrIpv4", "referencedSecurityGroupId"}, []string{"cidrIpv4", "referencedSecurityGroupId"}, false},
		{"ingress group to group not known yet", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", with(ingress, "cidrIpv4", nil, "referencedSecurityGroupId", str("sg-2")),
			with(ingress, "cidrIpv4", nil, "referencedSecurityGroupId", unknown()), []string{"referencedSecurityGroupId"}, nil, false},
		{"ingress group", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", ingress, with(ingress, "securityGroupId", str("sg-3")), []string{"securityGroupId"}, []string{"securityGroupId"}, false},
		{"egress ipv4 to ipv6", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", egress, with(egress, "cidrIpv4", nil, "cidrIpv6", str("::/0")),
			[]string{"cidrIpv4", "cidrIpv6"}, []string{"cidrIpv4", "cidrIpv6"}, false},
		{"egress group to prefix list", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", with(egress, "cidrIpv4", nil, "referencedSecurityGroupId", str("sg-2")),
			with(egress, "cidrIpv4", nil, "prefixListId", str("pl-1")), []string{"prefixListId", "referencedSecurityGroupId"}, []string{"prefixListId", "referencedSecurityGroupId"}, false},

		{"endpoint service network", "aws:ec2/vpcEndpoint:VpcEndpoint", resource.PropertyMap{"vpcId": str("vpc-1"), "vpcEndpointType": str("ServiceNetwork")},
			resource.PropertyMap{"vpcId": str("vpc-1"), "vpcEndpointType": str("ServiceNetwork"), "serviceNetworkArn": str("arn:sn")}, []string{"serviceNetworkArn"}, []string{"serviceNetworkArn"}, false},
		{"endpoint route tables", "aws:ec2/vpcEndpoint:VpcEndpoint", resource.PropertyMap{"vpcId": str("vpc-1"), "routeTableIds": strs("rtb-1")},
			resource.PropertyMap{"vpcId": str("vpc-1"), "routeTableIds": strs("rtb-1", "rtb-2")}, []string{"routeTableIds"}, nil, false},

		{"queue fifo", "aws:sqs/queue:Queue", queue, with(queue, "name", str("events.fifo"), "fifoQueue", yes(true)), []string{"fifoQueue", "name"}, []string{"fifoQueue", "name"}, false},
		{"queue visibility", "aws:sqs/queue:Queue", queue, with(queue, "visibilityTimeoutSeconds", num(120)), []string{"visibilityTimeoutSeconds"}, nil, false},
		{"bucket name", "aws:s3/bucketV2:BucketV2", bucket, with(bucket, "bucket", str("uploads-2")), []string{"bucket"}, []string{"bucket"}, false},
		{"bucket force destroy", "aws:s3/bucketV2:BucketV2", bucket, with(bucket, "forceDestroy", yes(true)), []string{"forceDestroy"}, nil, false},
		{"bucket object lock block", "aws:s3/bucketV2:BucketV2", bucket, with(bucket, "objectLockConfiguration", objectLock("Enabled", 0)),
			[]string{"objectLockConfiguration"}, []string{"objectLockConfiguration"}, true},
		{"bucket object lock rule", "aws:s3/bucketV2:BucketV2", with(bucket, "objectLockConfiguration", objectLock("Enabled", 30)),
			with(bucket, "objectLockConfiguration", objectLock("Enabled", 90)), []string{"objectLockConfiguration"}, nil, false},
		{"bucket object lock block dropped", "aws:s3/bucketV2:BucketV2", with(bucket, "objectLockConfiguration", objectLock("Enabled", 30)), bucket,
			[]string{"objectLockConfiguration"}, nil, false},
		{"cache user group id", "aws:elasticache/userGroup:UserGroup", userGroup, with(userGroup, "userGroupId", str("sessions-users-2")),
			[]string{"userGroupId"}, []string{"userGroupId"}, false},
		{"cache user group users", "aws:elasticache/userGroup:UserGroup", userGroup, with(userGroup, "userIds", strs("default", "app", "reader")),
			[]string{"userIds"}, nil, false},
		{"key multi-region", "aws:kms/key:Key", key, with(key, "multiRegion", yes(true)), []string{"multiRegion"}, []string{"multiRegion"}, false},
		{"key usage", "aws:kms/key:Key", key, with(key, "keyUsage", str("SIGN_VERIFY"), "customerMasterKeySpec", str("RSA_2048")),
			[]string{"customerMasterKeySpec", "keyUsage"}, []string{"customerMasterKeySpec", "keyUsage"}, false},
		{"key rotation", "aws:kms/key:Key", key, with(key, "enableKeyRotation", yes(false)), []string{"enableKeyRotation"}, nil, false},

		{"vpc cidr", "aws:ec2/vpc:Vpc", vpc, with(vpc, "cidrBlock", str("10.30.0.0/16")), []string{"cidrBlock"}, []string{"cidrBlock"}, false},
		{"vpc dns", "aws:ec2/vpc:Vpc", vpc, with(vpc, "enableDnsHostnames", yes(false)), []string{"enableDnsHostnames"}, nil, false},
		{"vpc tenancy to dedicated", "aws:ec2/vpc:Vpc", vpc, with(vpc, "instanceTenancy", str("dedicated")), []string{"instanceTenancy"}, []string{"instanceTenancy"}, false},
		{"vpc tenancy back to default", "aws:ec2/vpc:Vpc", with(vpc, "instanceTenancy", str("dedicated")), with(vpc, "instanceTenancy", str("default")), []string{"instanceTenancy"}, nil, false},
		{"subnet cidr", "aws:ec2/subnet:Subnet", subnet, with(subnet, "cidrBlock", str("10.20.16.0/20")), []string{"cidrBlock"}, []string{"cidrBlock"}, false},
		{"subnet zone and vpc", "aws:ec2/subnet:Subnet", subnet, with(subnet, "availabilityZone", str("eu-west-1b"), "vpcId", str("vpc-2")),
			[]string{"availabilityZone", "vpcId"}, []string{"availabilityZone", "vpcId"}, false},
		{"subnet public ips", "aws:ec2/subnet:Subnet", subnet, with(subnet, "mapPublicIpOnLaunch", yes(true)), []string{"mapPublicIpOnLaunch"}, nil, false},
		{"security group description", "aws:ec2/securityGroup:SecurityGroup", sg, with(sg, "description", str("web")), []string{"description"}, []string{"description"}, true},
		{"security group vpc", "aws:ec2/securityGroup:SecurityGroup", sg, with(sg, "vpcId", str("vpc-2")), []string{"vpcId"}, []string{"vpcId"}, true},
		{"alb internal", "aws:lb/loadBalancer:LoadBalancer", alb, with(alb, "internal", yes(true)), []string{"internal"}, []string{"internal"}, true},
		{"alb type", "aws:lb/loadBalancer:LoadBalancer", alb, with(alb, "loadBalancerType", str("network")), []string{"loadBalancerType"}, []string{"loadBalancerType"}, true},
		{"alb idle timeout", "aws:lb/loadBalancer:LoadBalancer", alb, with(alb, "idleTimeout", num(120)), []string{"idleTimeout"}, nil, false},
		{"nlb loses a subnet", "aws:lb/loadBalancer:LoadBalancer", with(alb, "loadBalancerType", str("network"), "subnets", strs("a", "b")),
			with(alb, "loadBalancerType", str("network"), "subnets", strs("a")), []string{"subnets"}, []string{"subnets"}, true},
		{"alb loses a subnet", "aws:lb/loadBalancer:LoadBalancer", with(alb, "subnets", strs("a", "b")), with(alb, "subnets", strs("a")), []string{"subnets"}, nil, false},
		{"nlb swaps a subnet", "aws:lb/loadBalancer:LoadBalancer", with(nlb, "subnets", strs("a", "b")), with(nlb, "subnets", strs("a", "c")), []string{"subnets"}, []string{"subnets"}, true},
		{"nlb grows and swaps subnets", "aws:lb/loadBalancer:LoadBalancer", with(nlb, "subnets", strs("a", "b")), with(nlb, "subnets", strs("a", "c", "d")), []string{"subnets"}, nil, false},
		{"nlb subnets not known yet", "aws:lb/loadBalancer:LoadBalancer", with(nlb, "subnets", strs("a", "b")), with(nlb, "subnets", unknown()), []string{"subnets"}, nil, false},
		{"nlb first security group", "aws:lb/loadBalancer:LoadBalancer", nlb, with(nlb, "securityGroups", strs("sg-1")), []string{"securityGroups"}, []string{"securityGroups"}, true},
		{"nlb last security group", "aws:lb/loadBalancer:LoadBalancer", with(nlb, "securityGroups", strs("sg-1")), with(nlb, "securityGroups", strs()), []string{"securityGroups"}, []string{"securityGroups"}, true},
		{"nlb other security group", "aws:lb/loadBalancer:LoadBalancer", with(nlb, "securityGroups", strs("sg-1")), with(nlb, "securityGroups", strs("sg-2")), []string{"securityGroups"}, nil, false},
		{"alb first security group", "aws:lb/loadBalancer:LoadBalancer", alb, with(alb, "securityGroups", strs("sg-1")), []string{"securityGroups"}, nil, false},
		{"alb mapping changed", "aws:lb/loadBalancer:LoadBalancer", with(alb, "subnetMapping", mappings("a")), with(alb, "subnetMapping", mappings("b")), []string{"subnetMapping"}, []string{"subnetMapping"}, true},
		{"alb mapping added", "aws:lb/loadBalancer:LoadBalancer", with(alb, "subnetMapping", mappings("a")), with(alb, "subnetMapping", mappings("a", "b")), []string{"subnetMapping"}, nil, false},
		{"alb mapping removed", "aws:lb/loadBalancer:LoadBalancer", with(alb, "subnetMapping", mappings("a", "b")), with(alb, "subnetMapping", mappings("b")), []string{"subnetMapping"}, nil, false},
		{"nlb mapping added", "aws:lb/loadBalancer:LoadBalancer", with(nlb, "subnetMapping", mappings("a")), with(nlb, "subnetMapping", mappings("a", "b")), []string{"subnetMapping"}, nil, false},
		{"nlb mapping removed", "aws:lb/loadBalancer:LoadBalancer", with(nlb, "subnetMapping", mappings("a", "b")), with(nlb, "subnetMapping", mappings("b")),
			[]string{"subnetMapping"}, []string{"subnetMapping"}, true},
		{"target group port", "aws:lb/targetGroup:TargetGroup", tg, with(tg, "port", num(80)), []string{"port"}, []string{"port"}, true},
		{"target group protocol and vpc", "aws:lb/targetGroup:TargetGroup", tg, with(tg, "protocol", str("HTTPS"), "vpcId", str("vpc-2")),
			[]string{"protocol", "vpcId"}, []string{"protocol", "vpcId"}, true},
		{"target group delay", "aws:lb/targetGroup:TargetGroup", tg, with(tg, "deregistrationDelay", num(10)), []string{"deregistrationDelay"}, nil, false},
		{"role path", "aws:iam/role:Role", role, with(role, "path", str("/regionctl/")), []string{"path"}, []string{"path"}, true},
		{"role description", "aws:iam/role:Role", role, with(role, "description", str("web servers")), []string{"description"}, nil, false},
		{"log group name", "aws:cloudwatch/logGroup:LogGroup", logs, with(logs, "name", str("/regionctl/app/web2")), []string{"name"}, []string{"name"}, false},
		{"log group retention", "aws:cloudwatch/logGroup:LogGroup", logs, with(logs, "retentionInDays", num(90)), []string{"retentionInDays"}, nil, false},
		{"topic name", "aws:sns/topic:Topic", topic, with(topic, "name", str("alarms")), []string{"name"}, []string{"name"}, false},
		{"topic display name", "aws:sns/topic:Topic", topic, with(topic, "displayName", str("Alarms")), []string{"displayName"}, nil, false},

		{"ignored change", "aws:rds/cluster:Cluster", cluster, with(cluster, "engine", str("aurora-postgresql")), nil, nil, false},
	}
	client := configured(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ignore []string
			if tt.name == "ignored change" {
				ignore = []string{"engine"}
			}
			resp := diff(t, client, tt.typ, "thing", tt.olds, tt.news, ignore...)
			wantChanges := pulumirpc.DiffResponse_DIFF_SOME
			if len(tt.diffs) == 0 {
				wantChanges = pulumirpc.DiffResponse_DIFF_NONE
			}
			if resp.GetChanges() != wantChanges || !slices.Equal(resp.GetDiffs(), tt.diffs) ||
				!slices.Equal(resp.GetReplaces(), tt.replaces) || resp.GetDeleteBeforeReplace() != tt.deleteFirst {
				t.Errorf("diff = %s diffs %v replaces %v deleteBeforeReplace %v\nwant %s diffs %v replaces %v deleteBeforeReplace %v",
					resp.GetChanges(), resp.GetDiffs(), resp.GetReplaces(), resp.GetDeleteBeforeReplace(),
					wantChanges, tt.diffs, tt.replaces, tt.deleteFirst)
			}
		})
	}
}

// TestDiffEngineVersionRunning: a replication group configured as "6.x" runs some 6
// minor; the provider compares a new version with the one running, not with "6.x".
func TestDiffEngineVersionRunning(t *testing.T) {
	const typ = "aws:elasticache/replicationGroup:ReplicationGroup"
	client := configured(t)
	inputs := resource.PropertyMap{"replicationGroupId": str("sessions"), "engine": str("redis"), "engineVersion": str("6.x"), "transitEncryptionEnabled": yes(true)}
	state := with(inputs, "engineVersionActual", str("6.2.6"))
	tests := []struct {
		news     resource.PropertyMap
		replaces []string
	}{
		{with(inputs, "engineVersion", str("6.2")), nil},
		{with(inputs, "engineVersion", str("7.1")), nil},
		{with(inputs, "engineVersion", str("6.0")), []string{"engineVersion"}},
		{with(inputs, "transitEncryptionEnabled", yes(false)), []string{"transitEncryptionEnabled"}},
	}
	for _, tt := range tests {
		resp, err := client.Diff(context.Background(), &pulumirpc.DiffRequest{
			Id: "id", Urn: urn(typ, "sessions"), Type: typ, Name: "sessions",
			Olds: props(t, state), OldInputs: props(t, inputs), News: props(t, tt.news),
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(resp.GetReplaces(), tt.replaces) {
			t.Errorf("running 6.2.6, %v: replaces %v, want %v", tt.news, resp.GetReplaces(), tt.replaces)
		}
	}
	// Running 7.1 (configured "7.x"), in-transit encryption changes in place.
	inputs = with(inputs, "engineVersion", str("7.x"))
	state = with(inputs, "engineVersionActual", str("7.1.0"))
	resp, err := client.Diff(context.Background(), &pulumirpc.DiffRequest{
		Id: "id", Urn: urn(typ, "sessions"), Type: typ, Name: "sessions",
		Olds: props(t, state), OldInputs: props(t, inputs), News: props(t, with(inputs, "transitEncryptionEnabled", yes(false))),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.GetReplaces()) != 0 {
		t.Errorf("running 7.1.0, in-transit encryption off: replaces %v, want none", resp.GetReplaces())
	}
}

// TestDiffDeleteBeforeReplace: only a name the program fixed forces the old resource
// out first; a generated one does not.
func TestDiffDeleteBeforeReplace(t *testing.T) {
	client := configured(t)
	generated, _ := check(t, client, "aws:sqs/queue:Queue", "events", resource.PropertyMap{"fifoQueue": yes(false)})
	fifo, _ := check(t, client, "aws:sqs/queue:Queue", "events", resource.PropertyMap{"fifoQueue": yes(true)})
	resp := diff(t, client, "aws:sqs/queue:Queue", "events", generated, fifo)
	if !slices.Equal(resp.GetReplaces(), []string{"fifoQueue", "name"}) || resp.GetDeleteBeforeReplace() {
		t.Errorf("generated name: replaces %v deleteBeforeReplace %v, want fifoQueue and name, false", resp.GetReplaces(), resp.GetDeleteBeforeReplace())
	}
	resp = diff(t, client, "aws:sqs/queue:Queue", "events", generated, with(generated, "fifoQueue", yes(true)))
	if resp.GetDeleteBeforeReplace() {
		t.Error("a generated name kept through a replacement: want no deleteBeforeReplace")
	}
	fixed := resource.PropertyMap{"name": str("events"), "fifoQueue": yes(false)}
	resp = diff(t, client, "aws:sqs/queue:Queue", "events", fixed, with(fixed, "fifoQueue", yes(true)))
	if !resp.GetDeleteBeforeReplace() {
		t.Error("fixed name kept through a replacement: want deleteBeforeReplace")
	}
}

func TestDiffDetailed(t *testing.T) {
	client := configured(t)
	olds := resource.PropertyMap{
		"name": str("main"), "engine": str("aurora-mysql"),
		"tags":                resource.NewObjectProperty(resource.PropertyMap{"team": str("a"), "old": str("x")}),
		"vpcSecurityGroupIds": strs("sg-1"),
		"password":            resource.MakeSecret(str("same")),
	}
	news := resource.PropertyMap{
		"name": str("main"), "engine": str("aurora-postgresql"),
		"tags":                resource.NewObjectProperty(resource.PropertyMap{"team": str("b"), "new": str("y")}),
		"vpcSecurityGroupIds": strs("sg-1", "sg-2"),
		"password":            str("same"),
		"port":                num(5432),
	}
	resp := diff(t, client, "aws:rds/cluster:Cluster", "db", olds, news)
	got := map[string]string{}
	for path, d := range resp.GetDetailedDiff() {
		if !d.GetInputDiff() {
			t.Errorf("%s: not marked as an input diff", path)
		}
		got[path] = d.GetKind().String()
	}
	want := map[string]string{
		"engine":                 "UPDATE_REPLACE",
		"tags.new":               "ADD",
		"tags.old":               "DELETE",
		"tags.team":              "UPDATE",
		"vpcSecurityGroupIds[1]": "ADD",
		"port":                   "ADD",
	}
	if !maps.Equal(got, want) {
		t.Errorf("detailed diff\n got %v\nwant %v", got, want)
	}
	if !resp.GetHasDetailedDiff() || strings.Join(resp.GetDiffs(), ",") != "engine,port,tags,vpcSecurityGroupIds" {
		t.Errorf("diffs %v", resp.GetDiffs())
	}
}
