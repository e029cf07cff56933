package spec

import (
	"fmt"
	"net/netip"
	"strings"
)

// privateRanges are the RFC 1918 blocks; a VPC outside them would shadow public
// addresses its servers need to reach.
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// vpcPrefix parses network.cidr as a VPC block; ok is false when it is no IPv4 prefix at all.
func vpcPrefix(cidr string) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is4() {
		return netip.Prefix{}, false
	}
	return p, true
}

func (c *checker) network() {
	n := c.r.Network
	c.cidr(n.CIDR)
	c.azs(n.AZs)
	if n.NATGateways != NATPerAZ && n.NATGateways != NATSingle {
		c.errf("network.natGateways", "%s is not perAz or single%s", quote(n.NATGateways), didYouMean(n.NATGateways, []string{NATPerAZ, NATSingle}))
	}
}

func (c *checker) cidr(cidr string) {
	const field = "network.cidr"
	p, ok := vpcPrefix(cidr)
	if !ok {
		c.errf(field, "%s is not an IPv4 CIDR block; want one like 10.20.0.0/16", quote(cidr))
		return
	}
	if p.Bits() < MinVPCPrefix || p.Bits() > MaxVPCPrefix {
		c.errf(field, "/%d is out of range; VPC blocks here are /%d to /%d (AWS allows /16 at most, and /%d keeps every subnet at /25 or larger)", p.Bits(), MinVPCPrefix, MaxVPCPrefix, MaxVPCPrefix)
	}
	private := false
	for _, r := range privateRanges {
		if r.Contains(p.Addr()) && r.Bits() <= p.Bits() {
			private = true
		}
	}
	if !private {
		c.errf(field, "%s is not a private range; use a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (RFC 1918)", cidr)
	}
	if m := p.Masked(); m != p {
		c.errf(field, "%s has host bits set; did you mean %s?", cidr, m)
	}
}

func (c *checker) azs(azs AZs) {
	const field = "network.azs"
	region := c.r.Region
	if len(azs.Names) == 0 {
		count := c.num(field, azs.Count)
		if count < 2 || count > MaxAZs {
			c.errf(field, "%s", azCountProblem(count))
		}
		return
	}
	if n := len(azs.Names); n < 2 || n > MaxAZs {
		c.errf(field, "%s", azCountProblem(n))
	}
	first := map[string]int{}
	for i, name := range azs.Names {
		item := fmt.Sprintf("%s[%d]", field, i)
		if j, dup := first[name]; dup {
			c.errf(item, "%s is listed twice (first as %s[%d])", name, field, j)
			continue
		}
		first[name] = i
		if region == "" || regionProblem(region) != "" {
			continue // the region is reported already
		}
		rest, ok := strings.CutPrefix(name, region)
		switch {
		case ok && len(rest) == 1 && 'a' <= rest[0] && rest[0] <= 'z':
		case ok && strings.HasPrefix(rest, "-"):
			c.errf(item, "%s is a Local or Wavelength Zone; use availability zones of %s (%sa, %sb, ...)", quote(name), region, region, region)
		default:
			c.errf(item, "%s is not an availability zone of %s; want %s followed by a letter, like %sa", quote(name), region, region, region)
		}
	}
}

func azCountProblem(n int) string {
	return fmt.Sprintf("%d availability zones is out of range (want 2 to %d; 2 is the least for multi-AZ)", n, MaxAZs)
}
