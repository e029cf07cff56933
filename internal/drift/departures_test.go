package drift_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/drift"
	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/policy"
	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/internal/testutil"
)

func side(t *testing.T, r *spec.Region) drift.Side {
	t.Helper()
	m, err := engine.PlanRegion(r)
	if err != nil {
		t.Fatal(err)
	}
	return drift.Side{Plan: m, Entries: policy.Entries(m), Names: drift.Normalizer{Region: r.Region, AccountID: r.AccountID, Jurisdiction: r.Jurisdiction}}
}

// A region made from eu-west-1 as a copy departs from it only where someone changed a
// setting: its own region, account, CIDR, zones, ARNs and tags are not departures.
func TestDepartures(t *testing.T) {
	regions, err := spec.LoadDir(testutil.RepoRoot(t) + "/regions")
	if err != nil {
		t.Fatal(err)
	}
	var src *spec.Region
	for _, r := range regions {
		if r.Region == "eu-west-1" {
			src = r
		}
	}
	// The same file in another region and account: nothing departs.
	twin := *src
	twin.Region, twin.AccountID, twin.Jurisdiction, twin.MadeFrom = "eu-central-1", "111122223333", "de", "eu-west-1"
	twin.Network.CIDR = "10.21.0.0/16"
	twin.AZNames = []string{"eu-central-1a", "eu-central-1b", "eu-central-1c"}
	twin.Tags = map[string]string{"costCenter": "hosting-de"}
	twin.Alarms.Email = "oncall-de@example.com"
	if deps := drift.Departures(side(t, src), side(t, &twin)); len(deps) > 0 {
		var lines []string
		for _, d := range deps {
			lines = append(lines, d.String())
		}
		t.Fatalf("a copy departs:\n%s", strings.Join(lines, "\n"))
	}

	// A different backup retention and instance class are departures.
	changed := twin
	changed.Databases = slices.Clone(src.Databases)
	changed.Databases[0].BackupRetentionDays = 7
	changed.Databases[0].InstanceClass = "db.r6g.large"
	var got []string
	for _, d := range drift.Departures(side(t, src), side(t, &changed)) {
		got = append(got, d.String())
	}
	for _, want := range []string{
		"eu-central-1 departs from eu-west-1: database/main aws:rds/cluster:Cluster database-main-cluster backupRetentionPeriod 14 → 7",
		"instanceClass db.r6g.xlarge → db.r6g.large",
	} {
		if !slices.ContainsFunc(got, func(s string) bool { return strings.Contains(s, want) }) {
			t.Errorf("departures lack %q:\n%s", want, strings.Join(got, "\n"))
		}
	}
}
