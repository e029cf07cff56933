package awsmodel

import (
	"testing"
	"time"
)

// TestCatalogFresh fails once the catalog is older than MaxCatalogAge on the real clock:
// AWS withdraws releases every quarter, and a stale catalog lets validate pass versions
// that CreateDBCluster refuses.
func TestCatalogFresh(t *testing.T) {
	if age := time.Since(EngineVersionsChecked); age > MaxCatalogAge {
		t.Fatalf("the engine version catalog was checked on %s, %d days ago (at most %d allowed): refresh internal/awsmodel/engineversions.go from its sources (see the package doc) and set EngineVersionsChecked",
			EngineVersionsChecked.Format("2006-01-02"), int(age.Hours()/24), int(MaxCatalogAge.Hours()/24))
	}
}

// TestCatalogWellFormed: every entry has a source, a parsable version and date, a
// known major, and each engine has one recommended release that is offered.
func TestCatalogWellFormed(t *testing.T) {
	for _, m := range majors {
		if m.Source == "" {
			t.Errorf("%s %s: no source", m.Engine, m.Major)
		}
		if m.EndOfStandardSupport != "" {
			day(m.EndOfStandardSupport)
		}
	}
	recommended := map[string]int{}
	for _, r := range releases {
		major, ok := majorOf(r.Engine, r.Version)
		if !ok {
			t.Errorf("%s %s: no major", r.Engine, r.Version)
			continue
		}
		if _, ok := findMajor(r.Engine, major); !ok {
			t.Errorf("%s %s: major %s is not in the catalog", r.Engine, r.Version, major)
		}
		if r.Source == "" {
			t.Errorf("%s %s: no source", r.Engine, r.Version)
		}
		if r.Recommended {
			recommended[r.Engine]++
			if got := EngineVersion(r.Engine, r.Version, EngineVersionsChecked); got.Status != VersionOffered {
				t.Errorf("recommended %s %s has status %d on the check day, want offered", r.Engine, r.Version, got.Status)
			}
		}
	}
	for _, e := range []string{AuroraMySQL, AuroraPostgreSQL, Redis, Valkey} {
		if recommended[e] != 1 {
			t.Errorf("%s has %d recommended releases, want 1", e, recommended[e])
		}
	}
}

func TestEngineVersion(t *testing.T) {
	checked := day("2026-12-01")
	tests := []struct {
		engine, version string
		at              time.Time
		status          Status
		nearest         string
	}{
		{AuroraMySQL, "8.0.mysql_aurora.3.10.3", checked, VersionOffered, ""},
		{AuroraMySQL, "8.0.mysql_aurora.3.05.2", checked, Deprecated, "8.0.mysql_aurora.3.08.2"},
		{AuroraMySQL, "8.0.mysql_aurora.3.07.1", checked, Deprecated, "8.0.mysql_aurora.3.08.2"},
		{AuroraMySQL, "8.0.mysql_aurora.3.02.0", checked, NotOffered, "8.0.mysql_aurora.3.04.4"},
		{AuroraMySQL, "8.0.mysql_aurora.3.08.7", checked, NotOffered, "8.0.mysql_aurora.3.08.2"},
		{AuroraMySQL, "8.0.mysql_aurora.3.13.0", checked, Unknown, ""}, // newer than the catalog
		{AuroraMySQL, "5.7.mysql_aurora.2.12.5", checked, PastStandardSupport, "8.0.mysql_aurora.3.04.4"},
		{AuroraMySQL, "5.6.mysql_aurora.1.23.4", checked, NotOffered, "8.0.mysql_aurora.3.04.4"},
		{AuroraPostgreSQL, "16.10", checked, VersionOffered, ""},
		{AuroraPostgreSQL, "16.12", checked, Unknown, ""}, // majors not complete: AWS decides
		{AuroraPostgreSQL, "12.22", checked, PastStandardSupport, "14.19"},
		{Redis, "7.1", checked, VersionOffered, ""},
		{Redis, "6.2", day("2026-06-01"), VersionOffered, ""},
		{Redis, "6.2", checked, Ending, "7.0"},
		{Redis, "6.x", checked, Ending, "7.0"},
		{Redis, "6.2", day("2027-01-31"), PastStandardSupport, "7.0"},
		{Redis, "5.0.6", checked, PastStandardSupport, "7.0"},
		{Redis, "5.0.5", checked, Deprecated, "7.0"},
		{Redis, "7.2", checked, NotOffered, "7.1"}, // Redis OSS stops at 7.1; 7.2 is Valkey
		{Redis, "3.2.10", checked, NotOffered, "7.0"},
		{Valkey, "8.0", checked, VersionOffered, ""},
		{"mysql", "8.0.35", checked, Unknown, ""},
		{AuroraMySQL, "garbage", checked, Unknown, ""},
	}
	for _, tt := range tests {
		got := EngineVersion(tt.engine, tt.version, tt.at)
		if got.Status != tt.status || got.Nearest != tt.nearest {
			t.Errorf("EngineVersion(%s, %s, %s) = status %d nearest %q; want %d %q", tt.engine, tt.version, tt.at.Format("2006-01-02"), got.Status, got.Nearest, tt.status, tt.nearest)
		}
	}
}

func TestDowngrade(t *testing.T) {
	tests := []struct {
		engine, old, new string
		want             bool
	}{
		{AuroraMySQL, "8.0.mysql_aurora.3.10.3", "8.0.mysql_aurora.3.08.2", true},
		{AuroraMySQL, "8.0.mysql_aurora.3.08.2", "8.0.mysql_aurora.3.10.3", false},
		{AuroraMySQL, "8.0.mysql_aurora.3.10.3", "8.0.mysql_aurora.3.10.3", false},
		{AuroraPostgreSQL, "16.10", "16.9", true},
		{AuroraPostgreSQL, "16.9", "16.10", false},
		{AuroraPostgreSQL, "", "16.10", false},
		{Redis, "7.1", "6.2", true},
	}
	for _, tt := range tests {
		if got := Downgrade(tt.engine, tt.old, tt.new); got != tt.want {
			t.Errorf("Downgrade(%s, %s, %s) = %v, want %v", tt.engine, tt.old, tt.new, got, tt.want)
		}
	}
}
