package spec

import (
	"fmt"
	"net/netip"
)

// Tier is one layer of subnets; every AZ gets one subnet of each tier.
type Tier int

// The three tiers of the reference network, in the order their address slots are laid out.
const (
	TierPublic   Tier = iota // load balancers and NAT gateways
	TierPrivate              // servers; egress through NAT
	TierIsolated             // databases and caches; no route out
)

// String is the tier name used in resource names.
func (t Tier) String() string {
	return [...]string{"public", "private", "isolated"}[t]
}

// Tiers lists every tier in layout order.
var Tiers = []Tier{TierPublic, TierPrivate, TierIsolated}

// Subnet address plan: the VPC block is cut into 32 equal slots (prefix + 5 bits);
// tier t, AZ i takes slot t*8+i. Up to 8 AZs per tier, and the last 8 slots stay free
// for later tiers. A /16 VPC gives /21 subnets (2043 usable addresses each).
const (
	subnetExtraBits = 5
	slotsPerTier    = 8
	MinVPCPrefix    = 16 // AWS's largest VPC block
	MaxVPCPrefix    = 20 // keeps every subnet at /25 or larger
	MaxAZs          = 6
)

// SubnetCIDR returns the CIDR of the subnet of tier t in the i-th AZ of the VPC block vpc.
func SubnetCIDR(vpc netip.Prefix, t Tier, i int) (netip.Prefix, error) {
	if i < 0 || i >= slotsPerTier {
		return netip.Prefix{}, fmt.Errorf("AZ index %d out of range", i)
	}
	bits := vpc.Bits() + subnetExtraBits
	if !vpc.Addr().Is4() || bits > 32 {
		return netip.Prefix{}, fmt.Errorf("%s is too small to split into subnets", vpc)
	}
	slot := uint32(int(t)*slotsPerTier + i)
	base := vpc.Masked().Addr().As4()
	v := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	v += slot << (32 - bits)
	addr := netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	return netip.PrefixFrom(addr, bits), nil
}
