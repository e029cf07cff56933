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

// DataStoreGroup creates a data store's security group (<name>-sg). It admits no one
// until Admit lets in the fleets that use the store.
func DataStoreGroup(ctx *pulumi.Context, name string, vpcID pulumi.StringInput, desc string, opts ...pulumi.ResourceOption) (*ec2.SecurityGroup, error) {
	return ec2.NewSecurityGroup(ctx, name+"-sg", &ec2.SecurityGroupArgs{
		VpcId:       vpcID,
		Description: pulumi.String(desc),
		Tags:        pulumi.StringMap{"Name": pulumi.String(name + "-sg")},
		// A data store outlives a destroy (retainOnDelete) and keeps using its security
		// group: AWS refuses to delete a group still in use (DependencyViolation).
	}, append(slices.Clone(opts), pulumi.RetainOnDelete(true))...)
}

// Admit lets the servers of each fleet in appGroups (their security group ids) reach
// a data store's group on port: the chain app → data, nothing else. name is the
// store's component name; the rules are <name>-from-<fleet>. Fleets are created after
// the stores they use (their role policies name the stores' ARNs), so the rules are
// added to a store once its fleets exist.
func Admit(ctx *pulumi.Context, name string, group pulumi.StringInput, appGroups map[string]pulumi.StringInput, port int, opts ...pulumi.ResourceOption) error {
	for _, fleet := range slices.Sorted(maps.Keys(appGroups)) {
		if _, err := Ingress(ctx, name+"-from-"+fleet, group, "servers of fleet "+fleet,
			Peer{Group: appGroups[fleet].ToStringOutput()}, port, opts...); err != nil {
			return err
		}
	}
	return nil
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
