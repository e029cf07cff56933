// Package network is a region's VPC: public, private and isolated subnets in every
// availability zone, the internet and NAT gateways, route tables, VPC flow logs and
// the S3 gateway endpoint.
//
// The three tiers keep each kind of resource one hop further from the internet: load
// balancers and NAT gateways in public subnets, servers in private subnets that reach
// out only through NAT, data stores in isolated subnets with no route out at all.
package network

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/stacks/internal/entry"

	"github.com/regionctl/regionctl/internal/spec"
)

// NetworkArgs configures a region's VPC.
type NetworkArgs struct {
	// Region and AccountID scope the S3 endpoint and the flow log role.
	Region    string
	AccountID string
	// CIDR is the VPC block; subnets are cut from it by spec.SubnetCIDR.
	CIDR string
	// AZNames are the availability zones; every tier gets one subnet in each.
	AZNames []string
	// NATGateways is spec.NATPerAZ or spec.NATSingle.
	NATGateways string
	// FlowLogs sends VPC flow logs to an encrypted CloudWatch log group.
	FlowLogs bool
	// LogRetentionDays is the flow log group's retention.
	LogRetentionDays int
	// KMSKeyARN encrypts the flow log group.
	KMSKeyARN pulumi.StringInput
	// RetainData keeps the VPC and the isolated subnets when the stack is destroyed:
	// the region's data stores outlive a destroy (retainOnDelete) and keep their
	// network interfaces there, so AWS would refuse to delete either (DependencyViolation).
	RetainData bool
	// PrivateLink adds interface endpoints for InterfaceServices (endpoints.go).
	PrivateLink bool
}

// Network is a region's VPC and everything routing in it.
type Network struct {
	pulumi.ResourceState

	VpcID   pulumi.StringOutput
	VpcCIDR pulumi.StringOutput
	// Subnet ids per tier, in the order of AZNames.
	PublicSubnetIDs   pulumi.StringArrayOutput
	PrivateSubnetIDs  pulumi.StringArrayOutput
	IsolatedSubnetIDs pulumi.StringArrayOutput
	// PrivateRouteTableIDs (one per AZ) and IsolatedRouteTableID, for later gateway
	// endpoints or peering routes.
	PrivateRouteTableIDs pulumi.StringArrayOutput
	IsolatedRouteTableID pulumi.StringOutput
	// NATPublicIPs are the region's egress addresses, for partners' allow-lists.
	NATPublicIPs pulumi.StringArrayOutput
	// FlowLogGroupName is "" when flow logs are off.
	FlowLogGroupName pulumi.StringOutput
}

// NewNetwork creates the VPC of a region.
func NewNetwork(ctx *pulumi.Context, name string, args *NetworkArgs, opts ...pulumi.ResourceOption) (*Network, error) {
	if err := args.check(); err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}
	vpcBlock, err := netip.ParsePrefix(args.CIDR)
	if err != nil || !vpcBlock.Addr().Is4() {
		return nil, fmt.Errorf("network %s: cidr %q is not an IPv4 block like 10.20.0.0/16", name, args.CIDR)
	}

	n := &Network{}
	if err := entry.Register(ctx, "regionctl:stacks:Network", name, spec.Ref{Kind: spec.KindNetwork}, n, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(n)

	dataOpts := []pulumi.ResourceOption{parent, pulumi.RetainOnDelete(args.RetainData)}
	vpc, err := ec2.NewVpc(ctx, name+"-vpc", &ec2.VpcArgs{
		CidrBlock: pulumi.String(vpcBlock.Masked().String()),
		// Both are needed for private DNS of interface endpoints and RDS/ElastiCache names.
		EnableDnsSupport:   pulumi.Bool(true),
		EnableDnsHostnames: pulumi.Bool(true),
		Tags:               nameTag(name + "-vpc"),
	}, dataOpts...)
	if err != nil {
		return nil, err
	}
	// Adopt the default security group and strip its rules, so nothing attached to it
	// by accident can talk to anything (CIS AWS Foundations 5.4).
	if _, err := ec2.NewDefaultSecurityGroup(ctx, name+"-default-sg", &ec2.DefaultSecurityGroupArgs{
		VpcId: vpc.ID(),
		Tags:  nameTag(name + "-default-sg-unused"),
	}, parent); err != nil {
		return nil, err
	}

	subnets := make(map[spec.Tier][]*ec2.Subnet, len(spec.Tiers))
	for _, tier := range spec.Tiers {
		for i, az := range args.AZNames {
			block, err := spec.SubnetCIDR(vpcBlock, tier, i)
			if err != nil {
				return nil, fmt.Errorf("network %s: %s subnet in %s: %w", name, tier, az, err)
			}
			sn := fmt.Sprintf("%s-%s-%s", name, tier, azSuffix(args.Region, az))
			opts := []pulumi.ResourceOption{parent}
			if tier == spec.TierIsolated {
				opts = dataOpts
			}
			s, err := ec2.NewSubnet(ctx, sn, &ec2.SubnetArgs{
				VpcId:            vpc.ID(),
				CidrBlock:        pulumi.String(block.String()),
				AvailabilityZone: pulumi.String(az),
				// Nothing launched into a public subnet gets a public address by itself:
				// only the ALB and the NAT gateways (with their EIPs) live there.
				MapPublicIpOnLaunch: pulumi.Bool(false),
				Tags: pulumi.StringMap{
					"Name": pulumi.String(sn),
					"tier": pulumi.String(tier.String()),
				},
			}, opts...)
			if err != nil {
				return nil, err
			}
			subnets[tier] = append(subnets[tier], s)
		}
	}

	igw, err := ec2.NewInternetGateway(ctx, name+"-igw", &ec2.InternetGatewayArgs{
		VpcId: vpc.ID(),
		Tags:  nameTag(name + "-igw"),
	}, parent)
	if err != nil {
		return nil, err
	}

	// Public: one route table, default route to the internet gateway.
	publicRT, err := routeTable(ctx, name+"-public", vpc, parent)
	if err != nil {
		return nil, err
	}
	publicDefault, err := ec2.NewRoute(ctx, name+"-public-default", &ec2.RouteArgs{
		RouteTableId:         publicRT.ID(),
		DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
		GatewayId:            igw.ID(),
	}, parent)
	if err != nil {
		return nil, err
	}
	publicAssocs, err := associate(ctx, name, spec.TierPublic, args, subnets, func(int) *ec2.RouteTable { return publicRT }, parent)
	if err != nil {
		return nil, err
	}

	// NAT gateways in the public subnets: one per AZ, so losing an AZ does not cut the
	// others off, or a single one in the first AZ where cost matters more.
	natCount := len(args.AZNames)
	if args.NATGateways == spec.NATSingle {
		natCount = 1
	}
	nats := make([]*ec2.NatGateway, natCount)
	natIPs := make(pulumi.StringArray, natCount)
	for i := range nats {
		suffix := azSuffix(args.Region, args.AZNames[i])
		eip, err := ec2.NewEip(ctx, name+"-nat-"+suffix, &ec2.EipArgs{
			Domain: pulumi.String("vpc"),
			Tags:   nameTag(name + "-nat-" + suffix),
		}, parent)
		if err != nil {
			return nil, err
		}
		nats[i], err = ec2.NewNatGateway(ctx, name+"-nat-"+suffix, &ec2.NatGatewayArgs{
			AllocationId: eip.ID(),
			SubnetId:     subnets[spec.TierPublic][i].ID(),
			Tags:         nameTag(name + "-nat-" + suffix),
		}, parent, pulumi.DependsOn([]pulumi.Resource{igw}))
		if err != nil {
			return nil, err
		}
		natIPs[i] = eip.PublicIp
	}

	// Private: a route table per AZ, default route through that AZ's NAT gateway (or
	// the single one). Per-AZ tables also make a later switch to perAz a route change.
	privateRTs := make([]*ec2.RouteTable, len(args.AZNames))
	privateRTIDs := make(pulumi.StringArray, len(args.AZNames))
	var privateDefaults []pulumi.Resource
	for i, az := range args.AZNames {
		suffix := azSuffix(args.Region, az)
		rt, err := routeTable(ctx, name+"-private-"+suffix, vpc, parent)
		if err != nil {
			return nil, err
		}
		route, err := ec2.NewRoute(ctx, name+"-private-"+suffix+"-default", &ec2.RouteArgs{
			RouteTableId:         rt.ID(),
			DestinationCidrBlock: pulumi.String("0.0.0.0/0"),
			NatGatewayId:         nats[min(i, natCount-1)].ID(),
		}, parent)
		if err != nil {
			return nil, err
		}
		privateRTs[i] = rt
		privateRTIDs[i] = rt.ID().ToStringOutput()
		privateDefaults = append(privateDefaults, route)
	}
	privateAssocs, err := associate(ctx, name, spec.TierPrivate, args, subnets, func(i int) *ec2.RouteTable { return privateRTs[i] }, parent)
	if err != nil {
		return nil, err
	}

	// Isolated: one route table with only the local route (and the S3 endpoint).
	isolatedRT, err := routeTable(ctx, name+"-isolated", vpc, parent)
	if err != nil {
		return nil, err
	}
	if _, err := associate(ctx, name, spec.TierIsolated, args, subnets, func(int) *ec2.RouteTable { return isolatedRT }, parent); err != nil {
		return nil, err
	}

	// S3 through a gateway endpoint: free, keeps S3 traffic off the NAT gateways and
	// lets the isolated tier reach S3 (backups, artefacts) without a route out.
	s3Policy, err := S3EndpointPolicy(args.Region, args.AccountID)
	if err != nil {
		return nil, fmt.Errorf("network %s: %w", name, err)
	}
	if _, err := ec2.NewVpcEndpoint(ctx, name+"-s3", &ec2.VpcEndpointArgs{
		VpcId:           vpc.ID(),
		Policy:          pulumi.String(s3Policy),
		ServiceName:     pulumi.String("com.amazonaws." + args.Region + ".s3"),
		VpcEndpointType: pulumi.String("Gateway"),
		RouteTableIds:   append(append(pulumi.StringArray{}, privateRTIDs...), isolatedRT.ID().ToStringOutput()),
		Tags:            nameTag(name + "-s3"),
	}, parent); err != nil {
		return nil, err
	}

	if args.PrivateLink {
		if err := interfaceEndpoints(ctx, name, args, vpc, subnets[spec.TierPrivate], parent); err != nil {
			return nil, err
		}
	}

	flowLogGroup := pulumi.String("").ToStringOutput()
	if args.FlowLogs {
		if flowLogGroup, err = flowLogs(ctx, name, vpc, args, parent); err != nil {
			return nil, err
		}
	}

	n.VpcID = vpc.ID().ToStringOutput()
	n.VpcCIDR = vpc.CidrBlock
	// A public subnet is usable once its route to the internet gateway is in place (an
	// internet-facing load balancer in a VPC without an attached gateway fails with
	// InvalidSubnet), and a private one once its route out through NAT is (servers
	// booting earlier cannot fetch packages or reach SSM). The subnet ids are published
	// only then, so whatever uses them waits for their routes.
	n.PublicSubnetIDs = usable(ids(subnets[spec.TierPublic]), append([]pulumi.Resource{igw, publicDefault}, publicAssocs...))
	n.PrivateSubnetIDs = usable(ids(subnets[spec.TierPrivate]), append(privateDefaults, privateAssocs...))
	n.IsolatedSubnetIDs = ids(subnets[spec.TierIsolated])
	n.PrivateRouteTableIDs = privateRTIDs.ToStringArrayOutput()
	n.IsolatedRouteTableID = isolatedRT.ID().ToStringOutput()
	n.NATPublicIPs = natIPs.ToStringArrayOutput()
	n.FlowLogGroupName = flowLogGroup
	return n, ctx.RegisterResourceOutputs(n, pulumi.Map{
		"vpcId":             n.VpcID,
		"vpcCidr":           n.VpcCIDR,
		"publicSubnetIds":   n.PublicSubnetIDs,
		"privateSubnetIds":  n.PrivateSubnetIDs,
		"isolatedSubnetIds": n.IsolatedSubnetIDs,
		"natPublicIps":      n.NATPublicIPs,
		"flowLogGroupName":  n.FlowLogGroupName,
	})
}

func (a *NetworkArgs) check() error {
	switch {
	case a == nil:
		return errors.New("arguments are required")
	case a.Region == "" || a.AccountID == "":
		return errors.New("region and account id are required")
	case len(a.AZNames) == 0:
		return errors.New("at least one availability zone is required")
	case a.NATGateways != spec.NATPerAZ && a.NATGateways != spec.NATSingle:
		return fmt.Errorf("natGateways %q is neither %s nor %s", a.NATGateways, spec.NATPerAZ, spec.NATSingle)
	case a.FlowLogs && (a.KMSKeyARN == nil || a.LogRetentionDays <= 0):
		return errors.New("flow logs need a KMS key and a log retention")
	}
	return nil
}

func routeTable(ctx *pulumi.Context, name string, vpc *ec2.Vpc, parent pulumi.ResourceOption) (*ec2.RouteTable, error) {
	return ec2.NewRouteTable(ctx, name, &ec2.RouteTableArgs{
		VpcId: vpc.ID(),
		Tags:  nameTag(name),
	}, parent)
}

// associate attaches every subnet of a tier to the route table tableFor(az index).
func associate(ctx *pulumi.Context, name string, tier spec.Tier, args *NetworkArgs,
	subnets map[spec.Tier][]*ec2.Subnet, tableFor func(int) *ec2.RouteTable, parent pulumi.ResourceOption,
) ([]pulumi.Resource, error) {
	out := make([]pulumi.Resource, 0, len(subnets[tier]))
	for i, s := range subnets[tier] {
		an := fmt.Sprintf("%s-%s-%s", name, tier, azSuffix(args.Region, args.AZNames[i]))
		a, err := ec2.NewRouteTableAssociation(ctx, an, &ec2.RouteTableAssociationArgs{
			SubnetId:     s.ID(),
			RouteTableId: tableFor(i).ID(),
		}, parent)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// usable is subnet ids that resolve only once every one of ready exists: a resource
// given them depends on ready too.
func usable(subnetIDs pulumi.StringArrayOutput, ready []pulumi.Resource) pulumi.StringArrayOutput {
	waits := make([]any, 0, len(ready)+1)
	waits = append(waits, subnetIDs)
	for _, r := range ready {
		if c, ok := r.(pulumi.CustomResource); ok {
			waits = append(waits, c.ID())
		}
	}
	return pulumi.All(waits...).ApplyT(func(vs []any) []string { return vs[0].([]string) }).(pulumi.StringArrayOutput)
}

// azSuffix shortens an AZ name for resource names: eu-west-1a → a. Names that do not
// start with the region (zone ids like euw1-az1) are kept whole.
func azSuffix(region, az string) string {
	if s, ok := strings.CutPrefix(az, region); ok && s != "" {
		return s
	}
	return az
}

func ids(subnets []*ec2.Subnet) pulumi.StringArrayOutput {
	out := make(pulumi.StringArray, len(subnets))
	for i, s := range subnets {
		out[i] = s.ID().ToStringOutput()
	}
	return out.ToStringArrayOutput()
}

func nameTag(name string) pulumi.StringMap {
	return pulumi.StringMap{"Name": pulumi.String(name)}
}
