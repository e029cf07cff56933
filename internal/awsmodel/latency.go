package awsmodel

import (
	"math"
	"time"
)

// CreationTimesChecked is when the creation times below were last compared with their
// sources; TestCreationTimesAreFresh fails when that is too long ago.
var CreationTimesChecked = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// CreationTime is how long AWS typically takes to create one resource of a type, as the
// provider sees it: the API call and the waiter that polls until the resource is
// usable. These are typical figures, not guarantees; the provider's default timeouts
// (its resource docs' "Timeouts" sections) are the upper bounds.
type CreationTime struct {
	Typical time.Duration
	Source  string
}

// quick is an API call the provider does not wait on.
const quick = 2 * time.Second

// creationTimes are per pulumi-aws type. A type missing here takes Quick.
var creationTimes = map[string]CreationTime{
	// The gateway is created, then attached, and the provider waits for the attachment
	// to show "available" (terraform-provider-aws internal/service/ec2 wait.go,
	// WaitInternetGatewayAttached, polled).
	"aws:ec2/internetGateway:InternetGateway": {15 * time.Second, "terraform-provider-aws internal/service/ec2/wait.go (attachment waiter)"},
	// "It takes a few minutes for the NAT gateway to become available" (typically 1-3).
	"aws:ec2/natGateway:NatGateway": {2 * time.Minute, "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-working-with.html"},
	"aws:ec2/vpcEndpoint:VpcEndpoint": {
		90 * time.Second, "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html (pending → available)",
	},
	// An ALB is "provisioning" for a few minutes before it is "active".
	"aws:lb/loadBalancer:LoadBalancer": {3 * time.Minute, "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/create-application-load-balancer.html"},
	// The group is created at once; with waitForElbCapacity the provider waits until
	// that many targets pass the health check (grace period, then healthy threshold).
	"aws:autoscaling/group:Group": {90 * time.Second, "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/autoscaling_group#waiting-for-capacity"},
	// Aurora: the cluster (storage) in minutes, each instance ~10 minutes.
	"aws:rds/cluster:Cluster":                 {4 * time.Minute, "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.CreateInstance.html"},
	"aws:rds/clusterInstance:ClusterInstance": {10 * time.Minute, "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.CreateInstance.html"},
	// A Multi-AZ replication group takes 10-15 minutes to become available.
	"aws:elasticache/replicationGroup:ReplicationGroup": {12 * time.Minute, "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.Create.html"},
	// IAM is eventually consistent: the provider retries while a new role propagates.
	"aws:iam/role:Role":                       {5 * time.Second, "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency"},
	"aws:iam/instanceProfile:InstanceProfile": {10 * time.Second, "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_general.html#troubleshoot_general_eventual-consistency"},
	"aws:kms/key:Key":                         {5 * time.Second, "https://docs.aws.amazon.com/kms/latest/developerguide/create-keys.html"},
}

// Creation is the typical time to create a resource of typ.
func Creation(typ string) CreationTime {
	if c, ok := creationTimes[typ]; ok {
		return c
	}
	return CreationTime{Typical: quick, Source: "a single API call"}
}

// Scaled is how long a rehearsal waits for a create that takes real in AWS, at scale
// (a fraction of a millisecond per real second; 0 turns waiting off). The wait grows
// with the square root of the real time: long creates (databases) still take longest
// without dominating a rehearsal, and short ones stay far enough apart that an order
// which depends on them is the same on every run.
func Scaled(real time.Duration, scale float64) time.Duration {
	if scale <= 0 || real <= 0 {
		return 0
	}
	return time.Duration(scale * math.Sqrt(real.Seconds()) * float64(time.Second))
}
