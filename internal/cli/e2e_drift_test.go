package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestE2EDrift rehearses a drift incident: the same console change to a queue in two
// regions is one drift row with exit 7, status shows it from the stack tags, preview
// (which reads nothing) still sees no change, and after refresh --yes drift is clean.
func TestE2EDrift(t *testing.T) {
	e := newE2E(t)
	regions := []string{"eu-west-1", "ap-southeast-2"}
	e.mustRun(nil, ExitOK, append([]string{"up", "--rehearse", "--yes", "--latency-scale", "0"}, regions...)...)
	e.mustRun(nil, ExitOK, "drift", "eu-west-1", "ap-southeast-2", "--rehearse", "--latency-scale", "0")

	for _, r := range regions {
		out, _ := e.mustRun(nil, ExitOK, "rehearse", "change", r, "aws:sqs/queue:Queue", "queue-events-queue", "visibilityTimeoutSeconds=120")
		if !strings.Contains(out, "visibilityTimeoutSeconds 60 → 120") {
			t.Errorf("rehearse change: %s", out)
		}
	}
	out, _ := e.mustRun(nil, ExitDrift, "drift", "eu-west-1", "ap-southeast-2", "--rehearse", "--latency-scale", "0", "--json")
	var doc driftDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("drift --json: %v\n%s", err, out)
	}
	if len(doc.Drift) != 1 || doc.Drifted != 2 {
		t.Fatalf("drift rows %+v (drifted %d), want one row for both regions", doc.Drift, doc.Drifted)
	}
	row := doc.Drift[0]
	if row.Type != "aws:sqs/queue:Queue" || row.Name != "queue-events-queue" || row.Property != "visibilityTimeoutSeconds" ||
		row.State != float64(60) || row.Cloud != float64(120) || strings.Join(row.Regions, ",") != "eu-west-1,ap-southeast-2" {
		t.Errorf("drift row %+v", row)
	}
	out, _ = e.mustRun(nil, ExitDrift, "drift", "--all", "--rehearse", "--latency-scale", "0")
	if !strings.Contains(out, "aws:sqs/queue:Queue queue-events-queue  visibilityTimeoutSeconds  60 → 120       ap-southeast-2, eu-west-1") {
		t.Errorf("drift --all:\n%s", out)
	}

	out, _ = e.mustRun(nil, ExitOK, "status", "--rehearse")
	for _, r := range regions {
		if !lineWith(out, r, "1 drifted (") {
			t.Errorf("status does not show %s's drift:\n%s", r, out)
		}
	}
	e.mustRun(nil, ExitOK, append([]string{"preview", "--rehearse", "--expect-no-changes"}, regions...)...)

	e.mustRun(nil, ExitOK, append([]string{"refresh", "--rehearse", "--yes"}, regions...)...)
	out, _ = e.mustRun(nil, ExitOK, append([]string{"drift", "--rehearse", "--latency-scale", "0"}, regions...)...)
	if !strings.Contains(out, "No drift") {
		t.Errorf("drift after refresh:\n%s", out)
	}
	out, _ = e.mustRun(nil, ExitOK, "status", "--rehearse")
	if !lineWith(out, "eu-west-1", "none (") {
		t.Errorf("status after a clean drift:\n%s", out)
	}
}

// lineWith reports whether a line of out starts with first and contains want.
func lineWith(out, first, want string) bool {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, first+" ") && strings.Contains(l, want) {
			return true
		}
	}
	return false
}
