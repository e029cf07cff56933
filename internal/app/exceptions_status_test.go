package app

import (
	"reflect"
	"testing"
	"time"

	"github.com/regionctl/regionctl/internal/spec"
)

// Status counts a region file's waivers and allowances, the expired ones, and the
// next day one expires.
func TestStatusExceptions(t *testing.T) {
	day := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	r := &spec.Region{
		Waivers: []spec.Waiver{{Rule: "ha.alarm-endpoint", Expires: "2026-12-20"}, {Rule: "security.imdsv2", Expires: "2026-11-30"}},
		Allow:   []spec.Allowance{{Replace: "database/main", Expires: "2026-12-10"}},
	}
	want := &Exceptions{Waivers: 2, Allowances: 1, Expired: 1, NextExpiry: "2026-12-10"}
	if got := exceptionsOf(r, day); !reflect.DeepEqual(got, want) {
		t.Errorf("exceptionsOf = %+v, want %+v", got, want)
	}
	if got := exceptionsOf(&spec.Region{}, day); got != nil {
		t.Errorf("no exceptions: %+v", got)
	}
}
