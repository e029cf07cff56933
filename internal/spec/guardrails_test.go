package spec

import (
	"os"
	"strings"
	"testing"
)

// TestWaiversAndAllowancesLoad: dates load quoted or not, and every entry kind resolves
// to its place in the file.
func TestWaiversAndAllowancesLoad(t *testing.T) {
	data, err := os.ReadFile("testdata/good/us-east-1.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, []byte(`
waivers:
  - rule: ha.nat-per-az
    resource: network
    reason: one NAT gateway is enough here (CHG-1)
    expires: 2027-01-31
  - rule: security.encryption
    resource: "*"
    reason: quoted date
    expires: "2027-02-01"
allow:
  - replace: key
    reason: rotate to a new key (CHG-2)
    expires: 2026-09-01
  - delete: bucket/gone
    reason: no longer in the file (CHG-3)
    expires: 2026-09-01
`)...)
	r, err := Load("regions/us-east-1.yaml", data, testJurisdictions(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Waivers) != 2 || r.Waivers[0].Expires != "2027-01-31" || r.Waivers[1].Expires != "2027-02-01" {
		t.Errorf("waivers %+v", r.Waivers)
	}
	if d, err := r.Waivers[0].Expires.Time(); err != nil || d.Format(DateLayout) != "2027-01-31" {
		t.Errorf("date %v, %v", d, err)
	}
	if len(r.Allow) != 2 || r.Allow[0].Replace != "key" || r.Allow[1].Delete != "bucket/gone" {
		t.Errorf("allow %+v", r.Allow)
	}
	if p := r.Source.At("waivers[1].expires"); p.Line == 0 {
		t.Error("no position for waivers[1].expires")
	}
	// A field that is not written falls back to its entry.
	if got, want := r.Source.At("databases[0].nothing"), r.Source.Positions["databases[0]"]; got != want {
		t.Errorf("At fell back to %v, want %v", got, want)
	}
}

func TestParseRef(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"database/main", "database/main", ""},
		{"network", "network", ""},
		{"key", "key", ""},
		{"fleet", "", "name the fleet: fleet/NAME"},
		{"network/main", "", "a region has one network; write network without a name"},
		{"databse/main", "", `"databse/main" does not name an entry of the region file; write fleet/NAME, database/NAME, cache/NAME, queue/NAME, bucket/NAME, network, key, alarms or region; did you mean "database"?`},
		{"", "", "empty; name an entry like database/main, fleet/web or network"},
	}
	for _, tt := range tests {
		ref, err := ParseRef(tt.in)
		switch {
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("ParseRef(%q) error = %v, want %q", tt.in, err, tt.err)
		case tt.err == "" && (err != nil || ref.String() != tt.want):
			t.Errorf("ParseRef(%q) = %v, %v, want %s", tt.in, ref, err, tt.want)
		}
	}
}

func TestRegionField(t *testing.T) {
	regions, err := LoadDir("testdata/good", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	r := regions[0]
	for ref, want := range map[Ref]string{
		{Kind: KindDatabase, Name: r.Databases[0].Name}: "databases[0]",
		{Kind: KindNetwork}:                             "network",
		{Kind: KindKey}:                                 "region",
		{Kind: KindAlarms}:                              "alarms",
	} {
		if got, ok := r.Field(ref); !ok || got != want {
			t.Errorf("Field(%s) = %q, %v, want %q", ref, got, ok, want)
		}
	}
	if got, ok := r.Field(Ref{Kind: KindCache, Name: "nope"}); ok || !strings.HasPrefix(got, "caches") {
		t.Errorf("Field(cache/nope) = %q, %v", got, ok)
	}
}
