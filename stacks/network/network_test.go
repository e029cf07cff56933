package network_test

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/internal/stackstest"
	"github.com/regionctl/regionctl/stacks/network"
)

const (
	subnetType = "aws:ec2/subnet:Subnet"
	natType    = "aws:ec2/natGateway:NatGateway"
	eipType    = "aws:ec2/eip:Eip"
	rtType     = "aws:ec2/routeTable:RouteTable"
	routeType  = "aws:ec2/route:Route"
	assocType  = "aws:ec2/routeTableAssociation:RouteTableAssociation"
)

type result struct {
	regs                        stackstest.Registrations
	public, private, isolated   func() []string
	privateRTs                  func() []string
	isolatedRT, vpcID, flowLogs func() string
}

func run(t *testing.T, r *spec.Region) result {
	t.Helper()
	var res result
	res.regs = stackstest.Run(t, r, func(ctx *pulumi.Context, p pulumi.ResourceOption) error {
		n, err := network.NewNetwork(ctx, "network-"+r.Region, args(r), p)
		if err != nil {
			return err
		}
		res.public, res.private, res.isolated = stackstest.Capture[[]string](n.PublicSubnetIDs), stackstest.Capture[[]string](n.PrivateSubnetIDs), stackstest.Capture[[]string](n.IsolatedSubnetIDs)
		res.privateRTs = stackstest.Capture[[]string](n.PrivateRouteTableIDs)
		res.isolatedRT = stackstest.Capture[string](n.IsolatedRouteTableID)
		res.vpcID = stackstest.Capture[string](n.VpcID)
		res.flowLogs = stackstest.Capture[string](n.FlowLogGroupName)
		return nil
	})
	stackstest.CheckInvariants(t, res.regs)
	return res
}

func args(r *spec.Region) *network.NetworkArgs {
	return &network.NetworkArgs{
		Region:           r.Region,
		AccountID:        r.AccountID,
		CIDR:             r.Network.CIDR,
		AZNames:          r.AZNames,
		NATGateways:      r.Network.NATGateways,
		FlowLogs:         *r.Network.FlowLogs,
		LogRetentionDays: r.Logs.RetentionDays,
		KMSKeyARN:        pulumi.String(stackstest.KeyARN),
		PrivateLink:      *r.Network.InterfaceEndpoints,
	}
}

func TestPerAZLayout(t *testing.T) {
	tests := []struct {
		azs  int
		nat  string
		nats int
	}{
		{2, spec.NATPerAZ, 2},
		{3, spec.NATPerAZ, 3},
		{6, spec.NATPerAZ, 6},
		{3, spec.NATSingle, 1},
		{2, spec.NATSingle, 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%daz-%s", tt.azs, tt.nat), func(t *testing.T) {
			r := stackstest.Region(func(r *spec.Region) {
				r.Network.AZs = spec.AZs{Count: tt.azs}
				r.Network.NATGateways = tt.nat
			})
			res := run(t, r)
			count := res.regs.CountByType()

			if got, want := count[subnetType], len(spec.Tiers)*tt.azs; got != want {
				t.Errorf("%d subnets, want %d (3 tiers x %d AZs)", got, want, tt.azs)
			}
			for _, ids := range []func() []string{res.public, res.private, res.isolated} {
				if len(ids()) != tt.azs {
					t.Errorf("subnet id output has %d ids, want %d", len(ids()), tt.azs)
				}
			}
			if count[natType] != tt.nats || count[eipType] != tt.nats {
				t.Errorf("%d NAT gateways and %d EIPs, want %d", count[natType], count[eipType], tt.nats)
			}
			// public + one private per AZ + isolated
			if got, want := count[rtType], tt.azs+2; got != want {
				t.Errorf("%d route tables, want %d", got, want)
			}
			// the public default route and one per private table: isolated has none
			if got, want := count[routeType], tt.azs+1; got != want {
				t.Errorf("%d routes, want %d", got, want)
			}
			if got, want := count[assocType], len(spec.Tiers)*tt.azs; got != want {
				t.Errorf("%d route table associations, want %d", got, want)
			}
			if len(res.privateRTs()) != tt.azs {
				t.Errorf("%d private route table ids, want %d", len(res.privateRTs()), tt.azs)
			}
		})
	}
}

func TestSubnetAddressPlan(t *testing.T) {
	r := stackstest.Region()
	res := run(t, r)
	vpc := netip.MustParsePrefix(r.Network.CIDR)
	for _, tier := range spec.Tiers {
		for i, az := range r.AZNames {
			name := fmt.Sprintf("network-eu-west-1-%s-%s", tier, strings.TrimPrefix(az, r.Region))
			s := res.regs.Named(t, subnetType, name)
			want, err := spec.SubnetCIDR(vpc, tier, i)
			if err != nil {
				t.Fatal(err)
			}
			if got := stackstest.Str(s, "cidrBlock"); got != want.String() {
				t.Errorf("%s: cidr %s, want %s", name, got, want)
			}
			if got := stackstest.Str(s, "availabilityZone"); got != az {
				t.Errorf("%s: AZ %s, want %s", name, got, az)
			}
			if got := stackstest.Str(s, "vpcId"); got != res.vpcID() {
				t.Errorf("%s: VPC %s, want %s", name, got, res.vpcID())
			}
			if stackstest.Bool(s, "mapPublicIpOnLaunch") {
				t.Errorf("%s maps public IPs on launch", name)
			}
			if got := stackstest.Str(s, "tags.tier"); got != tier.String() {
				t.Errorf("%s: tier tag %q", name, got)
			}
		}
	}
	vpcReg := res.regs.Named(t, "aws:ec2/vpc:Vpc", "network-eu-west-1-vpc")
	if !stackstest.Bool(vpcReg, "enableDnsSupport") || !stackstest.Bool(vpcReg, "enableDnsHostnames") {
		t.Error("VPC DNS support and hostnames must be on")
	}
}

func TestRouting(t *testing.T) {
	for _, nat := range []string{spec.NATPerAZ, spec.NATSingle} {
		t.Run(nat, func(t *testing.T) {
			r := stackstest.Region(func(r *spec.Region) { r.Network.NATGateways = nat })
			res := run(t, r)

			public := res.regs.Named(t, routeType, "network-eu-west-1-public-default")
			if !strings.HasPrefix(stackstest.Str(public, "gatewayId"), "igw-") {
				t.Errorf("public default route goes to %q, want the internet gateway", stackstest.Str(public, "gatewayId"))
			}
			nats := map[string]bool{}
			for _, az := range []string{"a", "b", "c"} {
				route := res.regs.Named(t, routeType, "network-eu-west-1-private-"+az+"-default")
				if stackstest.Str(route, "destinationCidrBlock") != "0.0.0.0/0" {
					t.Errorf("private-%s: destination %s", az, stackstest.Str(route, "destinationCidrBlock"))
				}
				if stackstest.Str(route, "gatewayId") != "" {
					t.Errorf("private-%s routes to an internet gateway", az)
				}
				nats[stackstest.Str(route, "natGatewayId")] = true
			}
			want := 3
			if nat == spec.NATSingle {
				want = 1
			}
			if len(nats) != want {
				t.Errorf("private routes use %d NAT gateways, want %d", len(nats), want)
			}
			for _, route := range res.regs.OfType(routeType) {
				if stackstest.Str(route, "routeTableId") == res.isolatedRT() {
					t.Errorf("isolated route table has route %s", route.Name)
				}
			}
			for _, n := range res.regs.OfType(natType) {
				if !slices.Contains(res.public(), stackstest.Str(n, "subnetId")) {
					t.Errorf("NAT %s is not in a public subnet", n.Name)
				}
			}
		})
	}
}

func TestS3GatewayEndpoint(t *testing.T) {
	res := run(t, stackstest.Region())
	ep := res.regs.Named(t, "aws:ec2/vpcEndpoint:VpcEndpoint", "network-eu-west-1-s3")
	if got := stackstest.Str(ep, "serviceName"); got != "com.amazonaws.eu-west-1.s3" {
		t.Errorf("service %s", got)
	}
	if got := stackstest.Str(ep, "vpcEndpointType"); got != "Gateway" {
		t.Errorf("type %s", got)
	}
	want := append(slices.Clone(res.privateRTs()), res.isolatedRT())
	if got := stackstest.Strs(ep, "routeTableIds"); !slices.Equal(got, want) {
		t.Errorf("route tables %v, want private %v and isolated", got, want)
	}
}

func TestFlowLogs(t *testing.T) {
	t.Run("on", func(t *testing.T) {
		r := stackstest.Region(func(r *spec.Region) { r.Logs.RetentionDays = 365 })
		res := run(t, r)
		group := res.regs.Named(t, "aws:cloudwatch/logGroup:LogGroup", "network-eu-west-1-flow-logs")
		if stackstest.Str(group, "kmsKeyId") != stackstest.KeyARN {
			t.Errorf("flow log group key %q, want the region key", stackstest.Str(group, "kmsKeyId"))
		}
		if stackstest.Num(group, "retentionInDays") != 365 {
			t.Errorf("retention %v, want 365", stackstest.Num(group, "retentionInDays"))
		}
		fl := res.regs.Named(t, "aws:ec2/flowLog:FlowLog", "network-eu-west-1-flow-logs")
		if stackstest.Str(fl, "vpcId") != res.vpcID() || stackstest.Str(fl, "trafficType") != "ALL" {
			t.Errorf("flow log on %s of %s traffic", stackstest.Str(fl, "vpcId"), stackstest.Str(fl, "trafficType"))
		}
		if !strings.HasPrefix(stackstest.Str(fl, "logDestination"), "arn:aws:logs:eu-west-1:123456789012:log-group:") {
			t.Errorf("flow log destination %q", stackstest.Str(fl, "logDestination"))
		}
		if !strings.HasPrefix(stackstest.Str(fl, "iamRoleArn"), "arn:aws:iam::123456789012:role/regionctl-eu-west-1-") {
			t.Errorf("flow log role %q", stackstest.Str(fl, "iamRoleArn"))
		}
		if res.flowLogs() == "" {
			t.Error("FlowLogGroupName is empty")
		}
	})
	t.Run("off", func(t *testing.T) {
		off := false
		res := run(t, stackstest.Region(func(r *spec.Region) { r.Network.FlowLogs = &off }))
		count := res.regs.CountByType()
		if count["aws:ec2/flowLog:FlowLog"]+count["aws:cloudwatch/logGroup:LogGroup"]+count["aws:iam/role:Role"] != 0 {
			t.Errorf("flow logs are off but registered %v", count)
		}
		if res.flowLogs() != "" {
			t.Errorf("FlowLogGroupName = %q with flow logs off", res.flowLogs())
		}
	})
}

func TestDefaultSecurityGroupIsEmptied(t *testing.T) {
	res := run(t, stackstest.Region())
	sg := res.regs.Named(t, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", "network-eu-west-1-default-sg")
	if _, ok := stackstest.Get(sg, "ingress"); ok {
		t.Error("default security group has ingress rules")
	}
	if _, ok := stackstest.Get(sg, "egress"); ok {
		t.Error("default security group has egress rules")
	}
}

func TestBadArguments(t *testing.T) {
	tests := map[string]func(a *network.NetworkArgs){
		"no AZs":           func(a *network.NetworkArgs) { a.AZNames = nil },
		"bad NAT mode":     func(a *network.NetworkArgs) { a.NATGateways = "twice" },
		"bad CIDR":         func(a *network.NetworkArgs) { a.CIDR = "10.20.0.0" },
		"flow logs no key": func(a *network.NetworkArgs) { a.KMSKeyARN = nil },
	}
	for name, edit := range tests {
		t.Run(name, func(t *testing.T) {
			r := stackstest.Region()
			_, err := stackstest.RunErr(r, func(ctx *pulumi.Context, p pulumi.ResourceOption) error {
				a := args(r)
				edit(a)
				_, err := network.NewNetwork(ctx, "network", a, p)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "network network: ") {
				t.Errorf("err = %v, want a network argument error", err)
			}
		})
	}
}
