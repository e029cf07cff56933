package scaffold

import (
	"net/netip"
	"strings"
	"testing"
)

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

func TestNextFreeCIDR(t *testing.T) {
	tests := []struct {
		name, start string
		taken       []netip.Prefix
		want        string
		err         string
	}{
		{"next above the source", "10.20.0.0/16", prefixes("10.10.0.0/16", "10.20.0.0/16", "10.30.0.0/16"), "10.21.0.0/16", ""},
		{"skips a taken run", "10.20.0.0/16", prefixes("10.20.0.0/16", "10.21.0.0/16", "10.22.0.0/16", "10.23.0.0/16"), "10.24.0.0/16", ""},
		{"a smaller block inside a /16 taken", "10.20.0.0/16", prefixes("10.20.0.0/16", "10.21.128.0/20"), "10.22.0.0/16", ""},
		{"a larger block covering several", "10.20.0.0/16", prefixes("10.16.0.0/12"), "10.32.0.0/16", ""},
		{"keeps the source's prefix length", "10.20.16.0/20", prefixes("10.20.16.0/20", "10.20.32.0/20"), "10.20.48.0/20", ""},
		{"the start itself when free (template)", "10.0.0.0/16", prefixes("10.10.0.0/16"), "10.0.0.0/16", ""},
		{"wraps to the bottom of the range", "10.255.0.0/16", prefixes("10.255.0.0/16"), "10.0.0.0/16", ""},
		{"other private ranges", "172.16.0.0/16", prefixes("172.16.0.0/16"), "172.17.0.0/16", ""},
		{"host bits are masked", "10.20.1.0/16", prefixes("10.20.0.0/16"), "10.21.0.0/16", ""},
		{"all taken", "192.168.0.0/16", prefixes("192.168.0.0/16"), "", "every /16 block of 192.168.0.0/16 overlaps"},
		{"public start", "8.8.0.0/16", nil, "", "not in a private range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NextFreeCIDR(netip.MustParsePrefix(tt.start), tt.taken)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil || got.String() != tt.want {
				t.Fatalf("NextFreeCIDR(%s) = %v, %v; want %s", tt.start, got, err, tt.want)
			}
			for _, p := range tt.taken {
				if got.Overlaps(p) {
					t.Errorf("%s overlaps taken %s", got, p)
				}
			}
		})
	}
}
