package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/policy"
	"github.com/regionctl/regionctl/internal/spec"
)

// Stage is one layer of a region's staged bring-up: network (the region key and the
// network), data (data stores, queues, buckets) and app (fleets, load balancers,
// observability: everything else). Each stage needs the ones before it.
type Stage string

// The stages, in the order a staged bring-up applies them.
const (
	StageNetwork Stage = "network"
	StageData    Stage = "data"
	StageApp     Stage = "app"
)

// Stages are the stages in order.
var Stages = []Stage{StageNetwork, StageData, StageApp}

// ParseStage reads a stage name.
func ParseStage(s string) (Stage, error) {
	for _, st := range Stages {
		if string(st) == s {
			return st, nil
		}
	}
	names := make([]string, len(Stages))
	for i, st := range Stages {
		names[i] = string(st)
	}
	return "", fmt.Errorf("%q is not a stage; use one of %s", s, strings.Join(names, ", "))
}

func (s Stage) index() int { return slices.Index(Stages, s) }

// last reports whether the stage is the last one: it is the whole region, so it runs
// untargeted (and also deletes what the region file no longer has).
func (s Stage) last() bool { return s == Stages[len(Stages)-1] }

// entryStage is the stage of each kind of region-file entry. The provider and
// anything outside a component (spec.KindRegion) come first: every stage needs them.
var entryStage = map[string]Stage{
	spec.KindRegion:   StageNetwork,
	spec.KindKey:      StageNetwork,
	spec.KindNetwork:  StageNetwork,
	spec.KindDatabase: StageData,
	spec.KindCache:    StageData,
	spec.KindQueue:    StageData,
	spec.KindBucket:   StageData,
	spec.KindFleet:    StageApp,
	spec.KindAlarms:   StageApp,
}

// StageOf assigns every resource of an offline plan to the stage that creates it: the
// stage of its region-file entry (policy.Entries), or a later one when it depends on
// (or is the child of) a resource of a later stage. The engine refuses to create a
// targeted resource whose parent or dependency it was not targeted at and does not
// exist yet, so a stage holds only what the stages up to it can create: a database's
// ingress rule from a fleet's security group, say, waits for the app stage.
func StageOf(m manifest.Region) map[string]Stage {
	entries := policy.Entries(m)
	byURN := make(map[string]*manifest.Resource, len(m.Resources))
	for i := range m.Resources {
		byURN[m.Resources[i].URN] = &m.Resources[i]
	}
	out := make(map[string]Stage, len(m.Resources))
	visiting := map[string]bool{}
	var stageOf func(urn string) Stage
	stageOf = func(urn string) Stage {
		if st, ok := out[urn]; ok {
			return st
		}
		res, ok := byURN[urn]
		if !ok || visiting[urn] {
			return StageNetwork // outside the plan (the stack) or a cycle the engine refuses anyway
		}
		visiting[urn] = true
		ref, err := spec.ParseRef(entries[urn])
		st, known := entryStage[ref.Kind]
		if err != nil || !known {
			st = StageApp // an entry this table does not know: last, with everything
		}
		for _, dep := range needs(res) {
			if d := stageOf(dep); d.index() > st.index() {
				st = d
			}
		}
		delete(visiting, urn)
		out[urn] = st
		return st
	}
	for _, res := range m.Resources {
		stageOf(res.URN)
	}
	return out
}

// needs are the resources the engine must have before it creates res: its parent,
// its dependencies and the resources its inputs come from.
func needs(res *manifest.Resource) []string {
	out := slices.Clone(res.DependsOn)
	if res.Parent != "" {
		out = append(out, res.Parent)
	}
	for _, deps := range res.InputDeps {
		out = append(out, deps...)
	}
	return out
}

// StageTargets are the URNs of the resources the stages up to and including stage
// create, sorted; nil for the last stage, which is the whole region.
func StageTargets(m manifest.Region, stage Stage) []string {
	if stage.last() {
		return nil
	}
	var out []string
	for urn, st := range StageOf(m) {
		if st.index() <= stage.index() {
			out = append(out, urn)
		}
	}
	slices.Sort(out)
	return out
}

// holds says what a stage brings up, for questions and messages.
func (s Stage) holds() string {
	switch s {
	case StageNetwork:
		return "the region key and the network"
	case StageData:
		return "databases, caches, queues and buckets"
	}
	return "fleets, load balancers, alarms: the rest of the region"
}

// stageTargets are the resources of each region the stages up to stage create, from
// the offline plan (its URNs are the engine's); nil, everything, for no stage or the
// last one.
func (e *Env) stageTargets(ctx context.Context, stage Stage, regions []*spec.Region) (engine.Targets, error) {
	if stage == "" || stage.last() || len(regions) == 0 {
		return nil, nil
	}
	plans, err := e.Planner.Plan(ctx, regions)
	if err != nil {
		return nil, err
	}
	out := make(engine.Targets, len(plans))
	for _, m := range plans {
		out[m.Name] = StageTargets(m, stage)
	}
	return out, nil
}

// stageView is the part of a region's whole preview that a stage applies: the steps of
// its targets (and of the providers, which the engine always includes), counted; the
// creates it leaves to later stages are counted as skipped. A region without targets
// is seen whole.
func stageView(res engine.Result, targets engine.Targets) engine.Result {
	urns, ok := targets[res.Region]
	if !ok {
		return res
	}
	in := make(map[string]bool, len(urns))
	for _, u := range urns {
		in[u] = true
	}
	steps := res.Steps
	steps.Resources = nil
	var c engine.Changes
	for _, step := range res.Steps.Resources {
		if !in[step.URN] && !strings.HasPrefix(step.Type, "pulumi:providers:") && step.Type != manifest.StackType {
			if step.Op == manifest.OpCreate {
				c.Skipped++
			}
			continue
		}
		steps.Resources = append(steps.Resources, step)
		switch step.Op {
		case manifest.OpCreate:
			c.Create++
		case manifest.OpUpdate:
			c.Update++
		case manifest.OpReplace:
			c.Replace++
		case manifest.OpDelete:
			c.Delete++
		case manifest.OpSame:
			c.Same++
		}
		if step.Unprotected {
			c.Protect++
		}
	}
	res.Steps, res.Changes = steps, c
	return res
}

// StageResult is how one stage of a staged up ended for one region: Changes are what
// it applied (or, when nothing needed applying, what its preview found).
type StageResult struct {
	Region  string
	Stage   Stage
	Changes engine.Changes
	Err     error
}

// StageError is a staged up that stopped at a stage: the stages before it are
// applied (the state is their checkpoint), the stage itself may be in part.
type StageError struct {
	Region string
	Stage  Stage
	// Resume is the command that picks the bring-up up again.
	Resume string
	Err    error
}

func (e *StageError) Error() string {
	done := "no stage before it was applied"
	if i := e.Stage.index(); i > 0 {
		var names []string
		for _, st := range Stages[:i] {
			names = append(names, string(st))
		}
		done = "stage " + strings.Join(names, " and ") + " applied"
	}
	return fmt.Sprintf("stage %s of region %q failed (%s): %v; fix the cause, then resume with: %s", e.Stage, e.Region, done, e.Err, e.Resume)
}

func (e *StageError) Unwrap() error { return e.Err }

// applyStaged brings regions up stage by stage: each stage is a preview of the whole
// region, checked by the guardrails, then the stage's part of it shown, confirmed and
// applied by an up targeted at the stage's resources; its end state is the checkpoint the next stage starts from. A region whose
// stage fails goes no further, the others carry on; a stage with nothing to change is
// passed over, so running it again resumes where it stopped.
func (e *Env) applyStaged(ctx context.Context, s *session, rl *relay, req EngineRequest) (*Outcome, error) {
	out := &Outcome{Op: engine.Up, Rehearse: req.Rehearse, Results: make([]engine.Result, len(s.regions))}
	index := map[string]int{}
	for i, r := range s.regions {
		index[r.Region] = i
		out.Results[i] = engine.Result{Region: r.Region, Op: engine.Up}
	}
	errs := make([]error, len(s.regions))
	reports := map[string]policy.Report{}
	remaining := s.regions
	for _, stage := range Stages {
		if len(remaining) == 0 {
			break
		}
		sub := *s
		sub.regions = remaining
		targets, err := e.stageTargets(ctx, stage, remaining)
		if err != nil {
			return out, err
		}
		o, stageErrs, err := e.apply(ctx, &sub, rl, req, stage, targets)
		for _, rep := range o.Reports {
			reports[rep.Region] = rep // every stage judges the whole program: the last says it all
		}
		var next []*spec.Region
		for j, r := range remaining {
			i := index[r.Region]
			var res engine.Result
			if j < len(o.Results) { // none when the guardrails could not run
				res = o.Results[j]
			}
			merged := &out.Results[i]
			merged.Changes = addChanges(merged.Changes, res.Changes)
			merged.Steps, merged.Outputs, merged.Diff, merged.Pending = res.Steps, res.Outputs, res.Diff, res.Pending
			merged.Refused, merged.Retained = res.Refused, res.Retained
			merged.Duration += res.Duration
			failed := stageErrs[j]
			if req.StageDone != nil {
				done := failed
				if done == nil {
					done = err
				}
				req.StageDone(StageResult{Region: r.Region, Stage: stage, Changes: res.Changes, Err: done})
			}
			if failed != nil {
				merged.Err = res.Err
				errs[i] = &StageError{Region: r.Region, Stage: stage, Resume: e.resumeCommand(req, r.Region), Err: failed}
				continue
			}
			next = append(next, r)
		}
		if err != nil {
			// Not confirmed, cancelled before applying, the guardrails could not run:
			// no region goes on to a later stage.
			errs = append(errs, err)
			break
		}
		remaining = next
	}
	for _, r := range s.regions {
		if rep, ok := reports[r.Region]; ok {
			out.Reports = append(out.Reports, rep)
		}
	}
	return out, errors.Join(errs...)
}

// addChanges adds what a stage did to what the stages before it did: the changes add
// up; what is unchanged or left for later is the latest stage's count.
func addChanges(a, b engine.Changes) engine.Changes {
	return engine.Changes{
		Create: a.Create + b.Create, Update: a.Update + b.Update, Replace: a.Replace + b.Replace,
		Delete: a.Delete + b.Delete, Protect: a.Protect + b.Protect, Same: b.Same, Skipped: b.Skipped,
	}
}

// resumeCommand is the command line that runs a staged up of region again, with the
// flags that choose the same regions folder, backend and provider.
func (e *Env) resumeCommand(req EngineRequest, region string) string {
	cmd := "regionctl up " + region + " --staged"
	if e.RegionsDir != "" && filepath.Clean(e.RegionsDir) != "regions" {
		cmd += " --regions-dir " + e.RegionsDir
	}
	if req.StateURL != "" {
		cmd += " --state " + req.StateURL
	}
	if req.Rehearse {
		cmd += " --rehearse"
	}
	return cmd
}
