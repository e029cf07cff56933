package app

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/engine/rehearsal"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/rollout"
	"github.com/regionctl/regionctl/internal/spec"
)

// RolloutRequest is `up --all --waves`: the engine request (Regions is ignored: the
// fleet file names them) and where progress lines go.
type RolloutRequest struct {
	EngineRequest
	// Log gets the rollout's progress lines ("wave canary: applying ap-southeast-2").
	Log func(line string)
}

// RolloutOutcome is a rollout's result: per region what it did, and the preview of
// every region with its guardrail reports.
type RolloutOutcome struct {
	*rollout.Outcome
	Fleet   *spec.Fleet
	Preview *Outcome
}

// Rollout applies a change to every region of regions/fleet.yaml in its waves: it
// previews every region and checks the guardrails over all of them before anything
// moves (any failure or denial: nothing is applied, and the error is the preview's),
// asks once (unless Yes), then applies wave after wave, waiting the bake time and
// checking each wave's health before the next.
func (e *Env) Rollout(ctx context.Context, req RolloutRequest) (*RolloutOutcome, error) {
	if !req.Yes && !e.canPrompt() {
		return nil, &UsageError{Msg: "up changes real resources: pass --yes to confirm when not on a terminal"}
	}
	fleet, err := spec.LoadFleet(e.RegionsDir)
	var ps spec.Problems
	if err != nil && !errors.As(err, &ps) {
		return nil, &ConfigError{Err: err}
	}
	if err != nil {
		return nil, err
	}
	req.Regions = fleet.Regions()
	s, rl, err := e.engineSession(ctx, req.EngineRequest, false, false, false)
	if err != nil {
		return nil, err
	}
	defer s.close()
	alarms := e.LiveAlarms
	if req.Rehearse {
		alarms = rehearsal.AlarmFile{Path: filepath.Join(s.backend.Root, rehearsal.AlarmsFile)}
	}
	st := &stage{e: e, s: s, rl: rl, req: req.EngineRequest, fleet: fleet, alarms: alarms,
		out: &Outcome{Op: engine.Up, Rehearse: req.Rehearse}, index: map[string]int{}}
	for i, r := range s.regions {
		st.index[r.Region] = i
	}
	plan := rollout.Plan{Bake: fleet.Bake, Tolerance: fleet.FailureTolerance, Unwaved: fleet.Unwaved}
	for _, w := range fleet.Waves {
		plan.Waves = append(plan.Waves, rollout.Wave{Name: w.Name, Regions: w.Regions})
	}
	o, err := rollout.Run(ctx, plan, st, rollout.Options{Sleep: e.Sleep, Log: req.Log})
	if o == nil {
		return &RolloutOutcome{Fleet: fleet, Preview: st.out}, err
	}
	return &RolloutOutcome{Outcome: o, Fleet: fleet, Preview: st.out}, err
}

// stage is the engine session a rollout drives: one preview of every region, then an
// up per wave of exactly what that preview confirmed.
type stage struct {
	e      *Env
	s      *session
	rl     *relay
	req    EngineRequest
	fleet  *spec.Fleet
	alarms rollout.AlarmReader
	out    *Outcome
	index  map[string]int
	// planned is the checked preview of every region, set by Preview.
	planned *toApply
}

func (st *stage) Preview(ctx context.Context, _ []string) (map[string]manifest.Changes, error) {
	p, err := st.e.previewToApply(ctx, st.s, st.rl, st.req, nil)
	st.planned = p
	*st.out = *p.out
	if err != nil {
		return nil, err
	}
	if err := errors.Join(append(p.errs, ctx.Err())...); err != nil {
		return nil, err
	}
	pending := map[string]manifest.Changes{}
	for _, res := range p.out.Results {
		pending[res.Region] = res.Changes
	}
	if len(p.apply) > 0 && !st.req.Yes {
		if err := st.e.confirmApply(ctx, p.out, st.req, "", p.apply); err != nil {
			return nil, err
		}
	}
	return pending, nil
}

func (st *stage) Apply(ctx context.Context, ids []string) []rollout.Applied {
	p := st.planned
	var apply []*spec.Region
	for _, id := range ids {
		apply = append(apply, st.s.regions[st.index[id]])
	}
	ran := map[string]engine.Result{}
	for _, res := range st.e.applyConfirmed(ctx, st.s, st.rl, p, apply, nil) {
		ran[res.Region] = res
	}
	*st.out = *p.out
	out := make([]rollout.Applied, 0, len(ids))
	for _, id := range ids {
		a := rollout.Applied{Region: id, Err: p.errs[st.index[id]]}
		if res, ok := ran[id]; ok { // else its protection could not be lifted or released: not applied
			a.Changes, a.Outputs = res.Changes, res.Outputs
		}
		out = append(out, a)
	}
	return out
}

const metricAlarmType = "aws:cloudwatch/metricAlarm:MetricAlarm"

func (st *stage) Health(ctx context.Context, a rollout.Applied) (rollout.Verdict, error) {
	r := st.s.regions[st.index[a.Region]]
	var v rollout.Verdict
	add := func(checked string, problems []string) {
		if checked != "" {
			v.Checked = append(v.Checked, checked)
		}
		v.Problems = append(v.Problems, problems...)
	}
	if st.fleet.GateAlarms() {
		if st.alarms == nil {
			return v, errors.New("this build reads no CloudWatch alarms; set health.alarms: false in the fleet file")
		}
		state, err := st.s.runner.State(ctx, r)
		if err != nil {
			return v, err
		}
		names := alarmNames(state)
		states, err := st.alarms.AlarmStates(ctx, r.Region, names)
		if err != nil {
			return v, err
		}
		add(rollout.AlarmVerdict(names, states))
	}
	if st.fleet.GateOutputs() {
		outputs := a.Outputs
		if outputs == nil { // not applied by this rollout: what the stack has
			var err error
			if outputs, err = st.s.runner.Outputs(ctx, r); err != nil {
				return v, err
			}
		}
		add(rollout.OutputsVerdict(r, outputs))
	}
	return v, nil
}

// alarmNames are the CloudWatch names of the alarms the region's stack manages.
func alarmNames(st engine.State) []string {
	var out []string
	for _, r := range st.Resources {
		if string(r.Type) != metricAlarmType || r.Delete {
			continue
		}
		if n, _ := r.Outputs["name"].(string); n != "" {
			out = append(out, n)
		}
	}
	return out
}
