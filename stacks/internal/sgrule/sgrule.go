// Package sgrule creates security group rules as separate resources, one rule each.
//
// Separate rule resources (rather than rules inline in the group) let a data store
// admit a new fleet without replacing or rewriting its group, and make every opening
// visible by name in a plan.
package sgrule

import (
	"maps"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DataStoreGroup creates a data store's security group (<name>-sg) that admits only
// the servers of each fleet in appGroups, on port: the chain app → data, nothing else.
func DataStoreGroup(ctx *pulumi.Context, name string, vpcID pulumi.StringInput, desc string,
	appGroups map[string]pulumi.StringInput, port int, opts ...pulumi.ResourceOption) (*ec2.SecurityGroup, error) {
	sg, err := ec2.NewSecurityGroup(ctx, name+"-sg", &ec2.SecurityGroupArgs{
		VpcId:       vpcID,
		Description: pulumi.String(desc),
		Tags:        pulumi.StringMap{"Name": pulumi.String(name + "-sg")},
		// A data store outlives a destroy (retainOnDelete) and keeps using its security
		// group: AWS refuses to delete a group still in use (DependencyViolation).
	}, append(slices.Clone(opts), pulumi.RetainOnDelete(true))...)
	if err != nil {
		return nil, err
	}
	for _, fleet := range slices.Sorted(maps.Keys(appGroups)) {
		if _, err := Ingress(ctx, name+"-from-"+fleet, sg.ID().ToStringOutput(), "servers of fleet "+fleet,
			Peer{Group: appGroups[fleet].ToStringOutput()}, port, opts...); err != nil {
			return nil, err
		}
	}
	return sg, nil
}

// Peer is the other side of a rule: exactly one of CIDR and Group (a security
// group id).
type Peer struct {
	CIDR  pulumi.StringPtrInput
	Group pulumi.StringPtrInput
}

// AllPorts as a port opens every protocol and port (egress only).
const AllPorts = -1

// Ingress admits peer to group on TCP port.
func Ingress(ctx *pulumi.Context, name string, group pulumi.StringInput, desc string, peer Peer, port int, opts ...pulumi.ResourceOption) (*vpc.SecurityGroupIngressRule, error) {
	a := &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           group,
		Description:               pulumi.String(desc),
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(port),
		ToPort:                    pulumi.Int(port),
		CidrIpv4:                  peer.CIDR,
		ReferencedSecurityGroupId: peer.Group,
	}
	return vpc.NewSecurityGroupIngressRule(ctx, name, a, opts...)
}

// Egress lets group reach peer on TCP port, or on everything with AllPorts.
func Egress(ctx *pulumi.Context, name string, group pulumi.StringInput, desc string, peer Peer, port int, opts ...pulumi.ResourceOption) (*vpc.SecurityGroupEgressRule, error) {
	a := &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId:           group,
		Description:               pulumi.String(desc),
		IpProtocol:                pulumi.String("-1"),
		CidrIpv4:                  peer.CIDR,
		ReferencedSecurityGroupId: peer.Group,
	}
	if port != AllPorts {
		a.IpProtocol = pulumi.String("tcp")
		a.FromPort = pulumi.Int(port)
		a.ToPort = pulumi.Int(port)
	}
	return vpc.NewSecurityGroupEgressRule(ctx, name, a, opts...)
}
