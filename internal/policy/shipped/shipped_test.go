package shipped_test

import (
	"testing"
	"time"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/policy"
	"github.com/regionctl/regionctl/internal/spec"
)

// TestShippedRegionsPass plans every shipped region with the real program under mocks:
// the guardrails find nothing, and no region needs a waiver to get there.
func TestShippedRegionsPass(t *testing.T) {
	regions, err := spec.LoadDir("../../../regions")
	if err != nil {
		t.Fatal(err)
	}
	j, err := spec.LoadJurisdictions("../../../regions/" + spec.JurisdictionsFile)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for _, r := range regions {
		t.Run(r.Region, func(t *testing.T) {
			if len(r.Waivers) > 0 || len(r.Allow) > 0 {
				t.Errorf("shipped regions carry no waivers or allowances; %s has %d and %d", r.Region, len(r.Waivers), len(r.Allow))
			}
			if ps := policy.CheckFile(r, now); len(ps) > 0 {
				t.Errorf("file checks:\n%v", ps)
			}
			m, err := engine.PlanRegion(r)
			if err != nil {
				t.Fatal(err)
			}
			rep := policy.Evaluate(r, j, m, now)
			for _, f := range rep.Findings {
				t.Errorf("%s %s %s: %s (%s:%d:%d)", f.Severity, f.Rule, f.Resource, f.Message, f.Path, f.Line, f.Col)
			}
			if rep.Denied() {
				t.Error("denied")
			}
		})
	}
}
