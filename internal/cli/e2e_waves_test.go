package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/engine/rehearsal"
)

// twoWaves is the fleet file of the waves tests: us-east-1 is in no wave.
const twoWaves = `waves:
  - name: canary
    regions: [ap-southeast-2]
  - name: rest
    regions: [eu-west-1]
bakeTime: 1s
`

type rolloutDoc struct {
	Regions []struct {
		Name    string         `json:"name"`
		Wave    string         `json:"wave"`
		Status  string         `json:"status"`
		Changes engine.Changes `json:"changes"`
		Health  []string       `json:"health"`
	} `json:"regions"`
	Stopped  string `json:"stopped"`
	Rollback string `json:"rollback"`
}

func (e *e2e) write(rel, content string) {
	e.t.Helper()
	path := filepath.Join(e.dir, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

// rollout runs up --all --waves in rehearsal and returns its JSON and stderr.
func (e *e2e) rollout(wantCode int) (rolloutDoc, string) {
	e.t.Helper()
	code, out, errOut := e.run(context.Background(), "up", "--all", "--waves", "--rehearse", "--latency-scale", "0", "--yes", "--json")
	if code != wantCode {
		e.t.Fatalf("up --all --waves: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, wantCode, out, errOut)
	}
	var doc rolloutDoc
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		e.t.Fatalf("up --all --waves --json: %v\n%s", err, out)
	}
	return doc, errOut
}

func statusOf(doc rolloutDoc) map[string]string {
	m := map[string]string{}
	for _, r := range doc.Regions {
		m[r.Name] = r.Wave + " " + r.Status
	}
	return m
}

// TestE2EWavesHealthy: a first rollout creates both regions, canary first, and checks
// their alarms and outputs; a second one has nothing to change.
func TestE2EWavesHealthy(t *testing.T) {
	e := newE2E(t)
	e.write("regions/fleet.yaml", twoWaves)
	doc, errOut := e.rollout(ExitOK)
	want := map[string]string{"ap-southeast-2": "canary applied", "eu-west-1": "rest applied", "us-east-1": " not in a wave"}
	if got := statusOf(doc); !equalMaps(got, want) {
		t.Fatalf("statuses %v, want %v\n%s", got, want, errOut)
	}
	for _, l := range []string{"wave canary: applying ap-southeast-2", "wave canary: baking 1s", "health: ap-southeast-2 alarms OK", "outputs OK", "wave rest: applying eu-west-1"} {
		if !strings.Contains(errOut, l) {
			t.Errorf("stderr lacks %q:\n%s", l, errOut)
		}
	}
	if strings.Index(errOut, "health: ap-southeast-2") > strings.Index(errOut, "wave rest: applying") {
		t.Errorf("the rest wave started before the canary's health was checked:\n%s", errOut)
	}
	if doc.Rollback != "" {
		t.Errorf("rollback %q after a healthy rollout", doc.Rollback)
	}
	doc, _ = e.rollout(ExitOK)
	if got := statusOf(doc); got["ap-southeast-2"] != "canary unchanged" || got["eu-west-1"] != "rest unchanged" {
		t.Errorf("second rollout: %v, want both unchanged", got)
	}
}

// TestE2EWavesCanaryAlarmStops: the canary's queue alarm fires during the rollout of a
// queue setting; the rollout stops after the canary, eu-west-1 keeps its old setting,
// and the output names the rollback of the canary.
func TestE2EWavesCanaryAlarmStops(t *testing.T) {
	e := newE2E(t)
	e.changes(ExitOK, "up", "ap-southeast-2", "eu-west-1", "--rehearse", "--latency-scale", "0", "--yes")
	e.write("regions/fleet.yaml", twoWaves)
	for _, id := range []string{"ap-southeast-2", "eu-west-1"} {
		e.edit(id, "visibilityTimeoutSeconds: 60", "visibilityTimeoutSeconds: 90")
	}
	e.write(filepath.Join(engine.RehearsalDir, rehearsal.AlarmsFile), "ap-southeast-2:\n  regionctl-queue-events-age: ALARM\n")

	doc, errOut := e.rollout(ExitFailure)
	want := map[string]string{"ap-southeast-2": "canary unhealthy", "eu-west-1": "rest not started", "us-east-1": " not in a wave"}
	if got := statusOf(doc); !equalMaps(got, want) {
		t.Fatalf("statuses %v, want %v\n%s", got, want, errOut)
	}
	if doc.Stopped != "canary" || doc.Rollback != "regionctl rollback ap-southeast-2" {
		t.Errorf("stopped %q, rollback %q; want canary and regionctl rollback ap-southeast-2", doc.Stopped, doc.Rollback)
	}
	for _, l := range []string{"health: ap-southeast-2 alarms: 1 of", "regionctl-queue-events-age", "regionctl rollback ap-southeast-2"} {
		if !strings.Contains(errOut, l) {
			t.Errorf("stderr lacks %q:\n%s", l, errOut)
		}
	}
	if strings.Contains(errOut, "wave rest: applying") {
		t.Errorf("the rest wave was applied:\n%s", errOut)
	}
	// eu-west-1 was never touched: its queue change is still pending, the canary's is not.
	if got := e.changes(ExitChangesPending, "preview", "eu-west-1", "--rehearse", "--expect-no-changes")["eu-west-1"]; got.Update != 1 {
		t.Errorf("eu-west-1 after the stopped rollout: %+v, want its one update still pending", got)
	}
	e.changes(ExitOK, "preview", "ap-southeast-2", "--rehearse", "--expect-no-changes")

	// Run again while the alarm still fires: the canary has nothing left to change but
	// is still judged, so eu-west-1 is still not started; the table says so.
	code, out, _ := e.run(context.Background(), "up", "--all", "--waves", "--rehearse", "--latency-scale", "0", "--yes")
	if code != ExitFailure || !strings.Contains(out, "stopped after wave canary") || !regexpMatch(`eu-west-1\s+rest\s+not started\s+1 update \(pending\)`, out) {
		t.Errorf("second run with the alarm firing: exit %d\n%s", code, out)
	}
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }
