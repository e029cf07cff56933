package mockaws

import (
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// byType holds the fakes of the resource types regionctl registers. Each sets the
// attributes AWS computes that a component (or a reader of the plan) uses, in the
// format AWS gives them, and returns the id AWS would assign.
var byType = map[string]attributes{
	// KMS
	"aws:kms/key:Key": func(f *fake) string {
		id := f.uuid()
		f.set("keyId", id)
		f.set("arn", f.arn("kms", "key/"+id))
		return id
	},
	"aws:kms/alias:Alias": func(f *fake) string {
		name := f.physical("name")
		if !strings.HasPrefix(name, "alias/") {
			name = "alias/" + name
		}
		f.set("name", name)
		f.set("arn", f.arn("kms", name))
		if target := f.str("targetKeyId"); strings.HasPrefix(target, "arn:") {
			f.set("targetKeyArn", target)
		} else if target != "" {
			f.set("targetKeyArn", f.arn("kms", "key/"+target))
		}
		return name
	},

	// EC2 networking
	"aws:ec2/vpc:Vpc": func(f *fake) string {
		id := "vpc-" + f.hex(0, 17)
		f.set("arn", f.arn("ec2", "vpc/"+id))
		f.set("defaultSecurityGroupId", "sg-"+f.hex(1, 17))
		f.set("defaultRouteTableId", "rtb-"+f.hex(2, 17))
		f.set("mainRouteTableId", "rtb-"+f.hex(2, 17))
		f.set("defaultNetworkAclId", "acl-"+f.hex(3, 17))
		f.set("ownerId", f.r.accountID)
		return id
	},
	"aws:ec2/subnet:Subnet":                   ec2("subnet", "subnet"),
	"aws:ec2/internetGateway:InternetGateway": ec2("igw", "internet-gateway"),
	"aws:ec2/routeTable:RouteTable":           ec2("rtb", "route-table"),
	"aws:ec2/routeTableAssociation:RouteTableAssociation": func(f *fake) string {
		return "rtbassoc-" + f.hex(0, 17)
	},
	"aws:ec2/route:Route": func(f *fake) string {
		return "r-" + f.str("routeTableId") + f.digits(0, 10)
	},
	"aws:ec2/eip:Eip": func(f *fake) string {
		id := "eipalloc-" + f.hex(0, 17)
		f.set("allocationId", id)
		f.set("arn", f.arn("ec2", "elastic-ip/"+id))
		// 198.18.0.0/15 is reserved for benchmarking: plausible, never routable.
		b, _ := hex.DecodeString(f.hex(1, 6))
		ip := fmt.Sprintf("198.%d.%d.%d", 18+b[0]%2, b[1], max(b[2], 1))
		f.set("publicIp", ip)
		f.set("publicDns", "ec2-"+strings.ReplaceAll(ip, ".", "-")+"."+f.r.region+".compute."+f.r.dnsSuffix)
		return id
	},
	"aws:ec2/natGateway:NatGateway": func(f *fake) string {
		id := "nat-" + f.hex(0, 17)
		f.set("networkInterfaceId", "eni-"+f.hex(1, 17))
		return id
	},
	"aws:ec2/flowLog:FlowLog": func(f *fake) string {
		id := "fl-" + f.hex(0, 17)
		f.set("arn", f.arn("ec2", "vpc-flow-log/"+id))
		return id
	},
	"aws:ec2/vpcEndpoint:VpcEndpoint": vpcEndpoint,
	"aws:ec2/securityGroup:SecurityGroup": func(f *fake) string {
		id := "sg-" + f.hex(0, 17)
		f.set("arn", f.arn("ec2", "security-group/"+id))
		f.set("name", f.physical("name"))
		f.set("ownerId", f.r.accountID)
		return id
	},
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": func(f *fake) string {
		id := "sg-" + f.hex(0, 17)
		f.set("arn", f.arn("ec2", "security-group/"+id))
		f.set("name", "default")
		f.set("ownerId", f.r.accountID)
		return id
	},
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": securityGroupRule,
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":   securityGroupRule,
	"aws:ec2/launchTemplate:LaunchTemplate": func(f *fake) string {
		id := "lt-" + f.hex(0, 17)
		f.set("arn", f.arn("ec2", "launch-template/"+id))
		f.set("name", f.physical("name"))
		f.setNum("latestVersion", 1)
		f.setNum("defaultVersion", 1)
		return id
	},

	// IAM (global: no region in the ARN)
	"aws:iam/role:Role": func(f *fake) string {
		name := f.physical("name")
		f.set("name", name)
		f.set("arn", f.globalARN("iam", f.r.accountID, "role"+iamPath(f.str("path"))+name))
		f.set("uniqueId", "AROA"+strings.ToUpper(f.hex(1, 17)))
		return name
	},
	"aws:iam/instanceProfile:InstanceProfile": func(f *fake) string {
		name := f.physical("name")
		f.set("name", name)
		f.set("arn", f.globalARN("iam", f.r.accountID, "instance-profile"+iamPath(f.str("path"))+name))
		f.set("uniqueId", "AIPA"+strings.ToUpper(f.hex(1, 17)))
		return name
	},
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": func(f *fake) string {
		return f.str("role") + "-" + f.digits(0, 18)
	},
	"aws:iam/rolePolicy:RolePolicy": func(f *fake) string {
		name := f.physical("name")
		f.set("name", name)
		return f.str("role") + ":" + name
	},

	// Auto Scaling and load balancing
	"aws:autoscaling/group:Group": func(f *fake) string {
		name := f.physical("name")
		f.set("name", name)
		f.set("arn", f.arn("autoscaling", "autoScalingGroup:"+f.uuid()+":autoScalingGroupName/"+name))
		return name
	},
	"aws:autoscaling/policy:Policy": func(f *fake) string {
		name := f.physical("name")
		f.set("name", name)
		f.set("arn", f.arn("autoscaling", "scalingPolicy:"+f.uuid()+
			":autoScalingGroupName/"+f.str("autoscalingGroupName")+":policyName/"+name))
		return name
	},
	"aws:lb/loadBalancer:LoadBalancer": func(f *fake) string {
		name := f.physical("name")
		kind := "app"
		if f.str("loadBalancerType") == "network" {
			kind = "net"
		}
		suffix := kind + "/" + name + "/" + f.hex(0, 16)
		arn := f.arn("elasticloadbalancing", "loadbalancer/"+suffix)
		f.set("name", name)
		f.set("arn", arn)
		f.set("arnSuffix", suffix)
		host := name + "-" + f.digits(1, 10) + "." + f.r.region + ".elb." + f.r.dnsSuffix
		if f.flag("internal") {
			host = "internal-" + host
		}
		f.set("dnsName", host)
		f.set("zoneId", "Z"+strings.ToUpper(f.hex(2, 13)))
		return arn
	},
	"aws:lb/targetGroup:TargetGroup": func(f *fake) string {
		name := f.physical("name")
		suffix := "targetgroup/" + name + "/" + f.hex(0, 16)
		arn := f.arn("elasticloadbalancing", suffix)
		f.set("name", name)
		f.set("arn", arn)
		f.set("arnSuffix", suffix)
		return arn
	},
	"aws:lb/listener:Listener": func(f *fake) string {
		arn := f.arn("elasticloadbalancing", "listener/app/"+f.name+"/"+f.hex(0, 16))
		if lb := f.str("loadBalancerArn"); strings.Contains(lb, ":loadbalancer/") {
			arn = strings.Replace(lb, ":loadbalancer/", ":listener/", 1) + "/" + f.hex(0, 16)
		}
		f.set("arn", arn)
		return arn
	},

	// RDS
	"aws:rds/subnetGroup:SubnetGroup": func(f *fake) string {
		name := strings.ToLower(f.physical("name"))
		f.set("name", name)
		f.set("arn", f.arn("rds", "subgrp:"+name))
		return name
	},
	"aws:rds/clusterParameterGroup:ClusterParameterGroup": func(f *fake) string {
		name := strings.ToLower(f.physical("name"))
		f.set("name", name)
		f.set("arn", f.arn("rds", "cluster-pg:"+name))
		return name
	},
	"aws:rds/cluster:Cluster": func(f *fake) string {
		id := strings.ToLower(f.physical("clusterIdentifier"))
		host := f.hex(0, 12)
		f.set("clusterIdentifier", id)
		f.set("arn", f.arn("rds", "cluster:"+id))
		f.set("endpoint", id+".cluster-"+host+"."+f.r.region+".rds."+f.r.dnsSuffix)
		f.set("readerEndpoint", id+".cluster-ro-"+host+"."+f.r.region+".rds."+f.r.dnsSuffix)
		f.set("clusterResourceId", "cluster-"+strings.ToUpper(f.hex(1, 26)))
		f.setNum("port", f.num("port", enginePort(f.str("engine"))))
		if f.flag("manageMasterUserPassword") {
			secret := resource.PropertyMap{
				"secretArn":    resource.NewStringProperty(f.arn("secretsmanager", "secret:rds!cluster-"+f.uuid()+"-"+f.hex(2, 6))),
				"secretStatus": resource.NewStringProperty("active"),
				"kmsKeyId":     resource.NewStringProperty(f.str("masterUserSecretKmsKeyId")),
			}
			f.out["masterUserSecrets"] = resource.NewArrayProperty([]resource.PropertyValue{resource.NewObjectProperty(secret)})
		}
		return id
	},
	"aws:rds/clusterInstance:ClusterInstance": func(f *fake) string {
		id := strings.ToLower(f.physical("identifier"))
		f.set("identifier", id)
		f.set("arn", f.arn("rds", "db:"+id))
		f.set("endpoint", id+"."+f.hex(0, 12)+"."+f.r.region+".rds."+f.r.dnsSuffix)
		f.set("dbiResourceId", "db-"+strings.ToUpper(f.hex(1, 26)))
		f.setNum("port", enginePort(f.str("engine")))
		return id
	},

	// ElastiCache
	"aws:elasticache/subnetGroup:SubnetGroup": func(f *fake) string {
		name := strings.ToLower(f.physical("name"))
		f.set("name", name)
		f.set("arn", f.arn("elasticache", "subnetgroup:"+name))
		return name
	},
	"aws:elasticache/replicationGroup:ReplicationGroup": func(f *fake) string {
		id := strings.ToLower(f.physical("replicationGroupId"))
		host := id + "." + f.hex(0, 6) + "." + regionCode(f.r.region) + ".cache." + f.r.dnsSuffix
		f.set("replicationGroupId", id)
		f.set("arn", f.arn("elasticache", "replicationgroup:"+id))
		f.set("primaryEndpointAddress", "master."+host)
		f.set("readerEndpointAddress", "replica."+host)
		f.setNum("port", f.num("port", 6379))
		nodes := f.num("numCacheClusters", 0)
		if nodes == 0 {
			nodes = 1 + f.num("replicasPerNodeGroup", 0)
		}
		members := make([]resource.PropertyValue, nodes)
		for i := range members {
			// AWS names the nodes of a replication group <id>-001, <id>-002, ...
			members[i] = resource.NewStringProperty(fmt.Sprintf("%s-%03d", id, i+1))
		}
		f.out["memberClusters"] = resource.NewArrayProperty(members)
		return id
	},
	"aws:elasticache/user:User": func(f *fake) string {
		id := f.str("userId")
		f.set("arn", f.arn("elasticache", "user:"+id))
		return id
	},
	"aws:elasticache/userGroup:UserGroup": func(f *fake) string {
		id := f.str("userGroupId")
		f.set("arn", f.arn("elasticache", "usergroup:"+id))
		return id
	},

	// SQS
	"aws:sqs/queue:Queue": func(f *fake) string {
		name := f.physical("name")
		if f.flag("fifoQueue") && !strings.HasSuffix(name, ".fifo") {
			name += ".fifo"
		}
		url := "https://sqs." + f.r.region + "." + f.r.dnsSuffix + "/" + f.r.accountID + "/" + name
		f.set("name", name)
		f.set("arn", f.arn("sqs", name))
		f.set("url", url)
		return url
	},
	"aws:sqs/redriveAllowPolicy:RedriveAllowPolicy": func(f *fake) string { return f.str("queueUrl") },

	// S3: the bucket and its separately managed settings, which AWS identifies by bucket
	"aws:s3/bucketV2:BucketV2": func(f *fake) string {
		name := f.physical("bucket")
		f.set("bucket", name)
		f.set("arn", f.globalARN("s3", "", name))
		f.set("bucketDomainName", name+".s3."+f.r.dnsSuffix)
		f.set("bucketRegionalDomainName", name+".s3."+f.r.region+"."+f.r.dnsSuffix)
		f.set("region", f.r.region)
		f.set("hostedZoneId", "Z"+strings.ToUpper(f.hex(1, 13)))
		return name
	},
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     byBucket,
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     byBucket,
	"aws:s3/bucketVersioningV2:BucketVersioningV2":                                               byBucket,
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": byBucket,
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       byBucket,
	"aws:s3/bucketPolicy:BucketPolicy":                                                           byBucket,

	// SNS and CloudWatch
	"aws:sns/topic:Topic": func(f *fake) string {
		name := f.physical("name")
		arn := f.arn("sns", name)
		f.set("name", name)
		f.set("arn", arn)
		f.set("owner", f.r.accountID)
		return arn
	},
	"aws:sns/topicSubscription:TopicSubscription": func(f *fake) string {
		arn := f.str("topic") + ":" + f.uuid()
		f.set("arn", arn)
		f.set("ownerId", f.r.accountID)
		pending := SubscriptionPending(f.str("protocol"), f.flag("endpointAutoConfirms"))
		f.out["pendingConfirmation"] = resource.NewBoolProperty(pending)
		f.out["confirmationWasAuthenticated"] = resource.NewBoolProperty(!pending)
		return arn
	},
	"aws:cloudwatch/logGroup:LogGroup": func(f *fake) string {
		name := f.physical("name")
		f.set("name", name)
		// The provider strips the ":*" the API appends.
		f.set("arn", f.arn("logs", "log-group:"+name))
		return name
	},
	"aws:cloudwatch/metricAlarm:MetricAlarm": func(f *fake) string {
		name := f.physical("name")
		f.set("name", name)
		f.set("arn", f.arn("cloudwatch", "alarm:"+name))
		return name
	},
}

// ec2 fakes an EC2 resource whose id is prefix-<17 hex> and whose ARN is <kind>/<id>.
func ec2(prefix, kind string) attributes {
	return func(f *fake) string {
		id := prefix + "-" + f.hex(0, 17)
		f.set("arn", f.arn("ec2", kind+"/"+id))
		f.set("ownerId", f.r.accountID)
		return id
	}
}

func securityGroupRule(f *fake) string {
	id := "sgr-" + f.hex(0, 17)
	f.set("arn", f.arn("ec2", "security-group-rule/"+id))
	f.set("securityGroupRuleId", id)
	return id
}

func byBucket(f *fake) string { return f.str("bucket") }

// vpcEndpoint fakes a gateway endpoint (a prefix list for route tables) or an
// interface endpoint (a network interface per subnet and the DNS names AWS gives it).
func vpcEndpoint(f *fake) string {
	id := "vpce-" + f.hex(0, 17)
	f.set("arn", f.arn("ec2", "vpc-endpoint/"+id))
	f.set("state", "available")
	f.set("ownerId", f.r.accountID)
	if f.str("vpcEndpointType") != "Interface" {
		f.set("prefixListId", "pl-"+f.hex(1, 8))
		return id
	}
	var enis []resource.PropertyValue
	if subnets, ok := f.in["subnetIds"]; ok && subnets.IsArray() {
		for i := range subnets.ArrayValue() {
			enis = append(enis, resource.NewStringProperty("eni-"+f.hex(10+i, 17)))
		}
	}
	f.out["networkInterfaceIds"] = resource.NewArrayProperty(enis)
	// com.amazonaws.eu-west-1.ssm → vpce-...-xxxxxxxx.ssm.eu-west-1.vpce.amazonaws.com
	service := strings.TrimPrefix(f.str("serviceName"), "com.amazonaws."+f.r.region+".")
	host := id + "-" + f.hex(2, 8) + "." + service + "." + f.r.region + ".vpce." + f.r.dnsSuffix
	entry := resource.PropertyMap{
		"dnsName":      resource.NewStringProperty(host),
		"hostedZoneId": resource.NewStringProperty("Z" + strings.ToUpper(f.hex(3, 13))),
	}
	f.out["dnsEntries"] = resource.NewArrayProperty([]resource.PropertyValue{resource.NewObjectProperty(entry)})
	return id
}

// SubscriptionPending is whether AWS leaves a new SNS subscription pending until its
// endpoint's owner confirms it: always for email, for HTTP/S unless the endpoint
// confirms by itself (the provider then waits for it); never for AWS endpoints of the
// same account (SQS, Lambda, Firehose).
func SubscriptionPending(protocol string, endpointAutoConfirms bool) bool {
	switch protocol {
	case "email", "email-json":
		return true
	case "http", "https":
		return !endpointAutoConfirms
	}
	return false
}

// iamPath normalises an IAM path for an ARN: "" → "/", always slash-delimited.
func iamPath(p string) string {
	if p == "" {
		return "/"
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// enginePort is the default port of an RDS engine.
func enginePort(engine string) int {
	if strings.Contains(engine, "postgres") {
		return 5432
	}
	return 3306
}
