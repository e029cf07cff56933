package rollout

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/regionctl/regionctl/internal/manifest"
)

// fakeStage records the calls a rollout makes, in order.
type fakeStage struct {
	calls      []string
	pending    map[string]manifest.Changes
	previewErr error
	applyErr   map[string]error
	unhealthy  map[string]bool
}

func (f *fakeStage) Preview(_ context.Context, regions []string) (map[string]manifest.Changes, error) {
	f.calls = append(f.calls, "preview "+strings.Join(regions, " "))
	return f.pending, f.previewErr
}

func (f *fakeStage) Apply(_ context.Context, regions []string) []Applied {
	f.calls = append(f.calls, "apply "+strings.Join(regions, " "))
	var out []Applied
	for _, id := range regions {
		out = append(out, Applied{Region: id, Changes: f.pending[id], Err: f.applyErr[id]})
	}
	return out
}

func (f *fakeStage) Health(_ context.Context, a Applied) (Verdict, error) {
	f.calls = append(f.calls, "health "+a.Region)
	if f.unhealthy[a.Region] {
		return Verdict{Problems: []string{"alarms: 1 of 9 in ALARM (regionctl-queue-events-age)"}}, nil
	}
	return Verdict{Checked: []string{"alarms OK (9)"}}, nil
}

var update1 = manifest.Changes{Update: 1, Same: 120}

func threeWaves() Plan {
	return Plan{Bake: 10 * time.Minute, Waves: []Wave{
		{Name: "canary", Regions: []string{"ap-southeast-2"}},
		{Name: "rest", Regions: []string{"eu-west-1", "us-east-1"}},
		{Name: "last", Regions: []string{"ca-central-1"}},
	}}
}

func allPending() map[string]manifest.Changes {
	return map[string]manifest.Changes{"ap-southeast-2": update1, "eu-west-1": update1, "us-east-1": update1, "ca-central-1": update1}
}

// run rolls plan out on a clock that only records what it was asked to wait.
func run(t *testing.T, plan Plan, f *fakeStage) (*Outcome, []time.Duration, []string, error) {
	t.Helper()
	var slept []time.Duration
	var log []string
	o, err := Run(context.Background(), plan, f, Options{
		Sleep: func(_ context.Context, d time.Duration) error {
			slept = append(slept, d)
			f.calls = append(f.calls, "bake")
			return nil
		},
		Log: func(l string) { log = append(log, l) },
	})
	return o, slept, log, err
}

func statuses(o *Outcome) map[string]string {
	m := map[string]string{}
	for _, r := range o.Regions {
		m[r.Region] = r.Status
	}
	return m
}

func TestRolloutWavesInOrder(t *testing.T) {
	f := &fakeStage{pending: allPending()}
	o, slept, log, err := run(t, threeWaves(), f)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"preview ap-southeast-2 eu-west-1 us-east-1 ca-central-1",
		"apply ap-southeast-2", "bake", "health ap-southeast-2",
		"apply eu-west-1 us-east-1", "bake", "health eu-west-1", "health us-east-1",
		"apply ca-central-1", "bake", "health ca-central-1",
	}
	if !reflect.DeepEqual(f.calls, want) {
		t.Errorf("calls:\n%s\nwant:\n%s", strings.Join(f.calls, "\n"), strings.Join(want, "\n"))
	}
	if !reflect.DeepEqual(slept, []time.Duration{10 * time.Minute, 10 * time.Minute, 10 * time.Minute}) {
		t.Errorf("baked %v, want 10m after each wave", slept)
	}
	for id, s := range statuses(o) {
		if s != StatusApplied {
			t.Errorf("%s: %s, want applied", id, s)
		}
	}
	if o.RollbackCommand() != "" || o.Stopped != "" {
		t.Errorf("a healthy rollout: stopped %q, rollback %q", o.Stopped, o.RollbackCommand())
	}
	for _, l := range []string{"wave canary: applying ap-southeast-2", "wave canary: baking 10m0s", "health: ap-southeast-2 alarms OK (9)"} {
		if !contains(log, l) {
			t.Errorf("progress lacks %q:\n%s", l, strings.Join(log, "\n"))
		}
	}
}

func contains(lines []string, l string) bool {
	for _, x := range lines {
		if x == l {
			return true
		}
	}
	return false
}

// TestRolloutDenialInLastWaveMovesNothing: the preview of every region comes first; its
// error (a denial in the last wave) is returned as is, and nothing is applied.
func TestRolloutDenialInLastWaveMovesNothing(t *testing.T) {
	denied := errors.New(`region "ca-central-1": refused by the guardrails (nothing applied)`)
	f := &fakeStage{pending: allPending(), previewErr: denied}
	o, slept, _, err := run(t, threeWaves(), f)
	if o != nil || !errors.Is(err, denied) {
		t.Fatalf("outcome %+v, err %v; want no outcome and the preview's error", o, err)
	}
	if len(f.calls) != 1 || !strings.HasPrefix(f.calls[0], "preview ") || len(slept) > 0 {
		t.Errorf("calls %v, slept %v; want the one preview only", f.calls, slept)
	}
}

func TestRolloutUnhealthyCanaryStops(t *testing.T) {
	f := &fakeStage{pending: allPending(), unhealthy: map[string]bool{"ap-southeast-2": true}}
	o, _, log, err := run(t, threeWaves(), f)
	var stopped *StoppedError
	if !errors.As(err, &stopped) || stopped.Wave != "canary" {
		t.Fatalf("err %v, want a StoppedError after canary", err)
	}
	var unhealthy *UnhealthyError
	if !errors.As(err, &unhealthy) || unhealthy.Region != "ap-southeast-2" {
		t.Errorf("err %v, want the canary's UnhealthyError in it", err)
	}
	want := map[string]string{"ap-southeast-2": StatusUnhealthy, "eu-west-1": StatusNotStarted, "us-east-1": StatusNotStarted, "ca-central-1": StatusNotStarted}
	if got := statuses(o); !reflect.DeepEqual(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	if got := o.RollbackCommand(); got != "regionctl rollback ap-southeast-2" {
		t.Errorf("rollback %q", got)
	}
	if len(f.calls) != 4 { // preview, apply, bake, health
		t.Errorf("calls %v: nothing after the canary's health", f.calls)
	}
	if !contains(log, "health: ap-southeast-2 alarms: 1 of 9 in ALARM (regionctl-queue-events-age)") {
		t.Errorf("progress:\n%s", strings.Join(log, "\n"))
	}
}

// TestRolloutTolerance: one failed region of a wave is tolerated with failureTolerance
// 1 (the next wave runs); two are not.
func TestRolloutTolerance(t *testing.T) {
	plan := threeWaves()
	plan.Tolerance = 1
	f := &fakeStage{pending: allPending(), applyErr: map[string]error{"eu-west-1": errors.New("boom")}}
	o, _, _, err := run(t, plan, f)
	var stopped *StoppedError
	if !errors.As(err, &stopped) || stopped.Wave != "" || !reflect.DeepEqual(stopped.Failed, []string{"eu-west-1"}) {
		t.Fatalf("err %v, want a rollout that went through with eu-west-1 failed", err)
	}
	if s := statuses(o); s["ca-central-1"] != StatusApplied || s["us-east-1"] != StatusApplied || s["eu-west-1"] != StatusFailed {
		t.Errorf("statuses %v", s)
	}
	if got := o.RollbackCommand(); got != "regionctl rollback eu-west-1" {
		t.Errorf("rollback %q, want the failed region that changed", got)
	}

	f = &fakeStage{pending: allPending(), applyErr: map[string]error{"eu-west-1": errors.New("boom")}, unhealthy: map[string]bool{"us-east-1": true}}
	o, _, _, err = run(t, plan, f)
	if !errors.As(err, &stopped) || stopped.Wave != "rest" {
		t.Fatalf("err %v, want stopped after rest", err)
	}
	if s := statuses(o); s["ca-central-1"] != StatusNotStarted {
		t.Errorf("statuses %v: the last wave must not start", s)
	}
	if got := o.RollbackCommand(); got != "regionctl rollback ap-southeast-2 eu-west-1 us-east-1" {
		t.Errorf("rollback %q, want every changed region", got)
	}
}

// TestRolloutApplyFailureSkipsBake: a wave past its tolerance stops at once, without
// baking; a region with nothing to change is not applied, nor a wave of such regions.
func TestRolloutApplyFailureSkipsBake(t *testing.T) {
	p := allPending()
	p["us-east-1"] = manifest.Changes{Same: 121}
	p["ca-central-1"] = manifest.Changes{Same: 121}
	plan := threeWaves()
	plan.Unwaved = []string{"sa-east-1"}
	f := &fakeStage{pending: p, applyErr: map[string]error{"eu-west-1": errors.New("boom")}}
	o, slept, _, err := run(t, plan, f)
	if err == nil || len(slept) != 1 {
		t.Fatalf("err %v, slept %v; want a failure and only the canary baked", err, slept)
	}
	if f.calls[len(f.calls)-1] != "apply eu-west-1" {
		t.Errorf("calls %v: us-east-1 has nothing to apply", f.calls)
	}
	want := map[string]string{"ap-southeast-2": StatusApplied, "eu-west-1": StatusFailed, "us-east-1": StatusUnchanged, "ca-central-1": StatusNotStarted, "sa-east-1": StatusNotInWave}
	if got := statuses(o); !reflect.DeepEqual(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
}
