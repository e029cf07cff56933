package scaffold

import (
	"fmt"
	"net/netip"
)

// privateRanges are the RFC 1918 blocks a VPC may use, in search order.
var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// NextFreeCIDR is the first block of start's size, at start or above it (then wrapping
// to the bottom of start's private range), that overlaps none of taken. The search is
// deterministic: the same folder always gets the same block.
func NextFreeCIDR(start netip.Prefix, taken []netip.Prefix) (netip.Prefix, error) {
	start = start.Masked()
	space := netip.Prefix{}
	for _, r := range privateRanges {
		if r.Contains(start.Addr()) && r.Bits() <= start.Bits() {
			space = r
		}
	}
	if !space.IsValid() {
		return netip.Prefix{}, fmt.Errorf("%s is not in a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16)", start)
	}
	bits := start.Bits()
	size := uint32(1) << (32 - bits)
	first := addrUint(space.Addr())
	count := uint32(1) << (bits - space.Bits()) // blocks of this size in the space
	offset := (addrUint(start.Addr()) - first) / size
	for i := uint32(0); i < count; i++ {
		n := (offset + i) % count
		p := netip.PrefixFrom(uintAddr(first+n*size), bits)
		if !overlapsAny(p, taken) {
			return p, nil
		}
	}
	return netip.Prefix{}, fmt.Errorf("every /%d block of %s overlaps a region's network.cidr; free one, or use a smaller block", bits, space)
}

func overlapsAny(p netip.Prefix, taken []netip.Prefix) bool {
	for _, t := range taken {
		if t.IsValid() && p.Overlaps(t) {
			return true
		}
	}
	return false
}

func addrUint(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func uintAddr(u uint32) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(u >> 24), byte(u >> 16), byte(u >> 8), byte(u)})
}
