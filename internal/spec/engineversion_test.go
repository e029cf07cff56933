package spec

import (
	"strings"
	"testing"
	"time"

	"github.com/regionctl/regionctl/internal/awsmodel"
)

// The spec tests judge engine versions on the day the catalog was checked, so that the
// fixtures' verdicts do not change with the calendar; TestEngineVersionByDay moves it.
func init() { today = func() time.Time { return awsmodel.EngineVersionsChecked } }

// TestEngineVersionByDay: end of standard support passes with time. A cache pinned to
// Redis OSS 6.2 is still offered while standard support lasts (refused then only for
// IAM authentication, which needs 7) and past support, naming the version to move to,
// from the day it ends.
func TestEngineVersionByDay(t *testing.T) {
	j := testJurisdictions(t)
	file := `region: eu-west-1
jurisdiction: eu
accountId: "100000000003"
network:
  cidr: 10.20.0.0/16
caches:
  - name: sessions
    engine: redis
    engineVersion: "6.2"
    nodeType: cache.r6g.large
    replicas: 1
alarms:
  email: oncall@example.com
`
	tests := []struct {
		day  string
		want string // "" when valid
	}{
		{"2026-12-01", `regions/eu-west-1.yaml:9:20: caches[0].engineVersion: "6.2" is too old: regionctl's caches authenticate clients with IAM, which needs Redis OSS 7 or later; use 7.1`},
		{"2027-01-30", `regions/eu-west-1.yaml:9:20: caches[0].engineVersion: "6.2" is too old: regionctl's caches authenticate clients with IAM, which needs Redis OSS 7 or later; use 7.1`},
		{"2027-01-31", `regions/eu-west-1.yaml:9:20: caches[0].engineVersion: "6.2" is past AWS's end of standard support (2027-01-31; AWS charges Extended Support for it and upgrades it itself later; catalog checked 2026-12-01): use "7.0"`},
	}
	defer func(saved func() time.Time) { today = saved }(today)
	for _, tt := range tests {
		at, _ := time.Parse(DateLayout, tt.day)
		today = func() time.Time { return at }
		_, err := Load("regions/eu-west-1.yaml", []byte(file), j)
		got := ""
		if err != nil {
			got = strings.TrimSpace(err.Error())
		}
		if got != tt.want {
			t.Errorf("on %s:\n got %q\nwant %q", tt.day, got, tt.want)
		}
	}
}
