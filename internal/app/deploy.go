package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/policy"
	"github.com/regionctl/regionctl/internal/spec"
)

// Phases the progress display shows.
const (
	PhasePreview  = "preview"
	PhasePlanning = "planning"
)

// relay forwards engine events to the progress display of the phase running now, and
// starts a region's phase when the engine starts it (not while it waits for a slot).
type relay struct {
	mu     sync.Mutex
	p      Progress
	phase  string
	totals map[string]int
}

func (r *relay) started(region string) {
	r.mu.Lock()
	p, phase, total := r.p, r.phase, r.totals[region]
	r.mu.Unlock()
	if p != nil {
		p.Phase(region, phase, total)
	}
}

func (r *relay) handle(ev engine.RegionEvent) {
	r.mu.Lock()
	p := r.p
	r.mu.Unlock()
	if p != nil {
		p.Handle(ev.Region, ev.Event)
	}
}

func (r *relay) set(p Progress, phase string, totals map[string]int) {
	r.mu.Lock()
	r.p, r.phase, r.totals = p, phase, totals
	r.mu.Unlock()
}

// engineSession opens the backend and runner for an engine command.
func (e *Env) engineSession(ctx context.Context, req EngineRequest, readOnly, withOrphans bool, clearPending bool) (*session, *relay, error) {
	rl := &relay{}
	settings := engine.Settings{Parallel: req.Parallel, LatencyScale: req.LatencyScale, Diff: req.Diff, Progress: rl.handle, Started: rl.started, ClearPendingCreates: clearPending}
	settings.Message = e.newLedger().message // read by up only: the ledger line
	s, err := e.open(ctx, req, settings, readOnly, withOrphans)
	return s, rl, err
}

// phase runs op on regions with a progress display of its own; targets limits it to
// some resources of each region (a stage).
func (e *Env) phase(ctx context.Context, s *session, rl *relay, op engine.Operation, phase string, regions []*spec.Region, totals map[string]int, targets engine.Targets) []engine.Result {
	p := e.newProgress(regionIDs(regions))
	rl.set(p, phase, totals)
	results := s.runner.Run(ctx, op, regions, targets)
	for _, r := range results {
		p.Finish(r.Region, r.Err != nil)
	}
	p.Stop()
	rl.set(nil, "", nil)
	return results
}

func (e *Env) newProgress(ids []string) Progress {
	if e.NewProgress == nil {
		return quiet{}
	}
	return e.NewProgress(ids)
}

// quiet is the progress display of a caller that wants none.
type quiet struct{}

func (quiet) Phase(string, string, int)          {}
func (quiet) Handle(string, apitype.EngineEvent) {}
func (quiet) Finish(string, bool)                {}
func (quiet) Note(string)                        {}
func (quiet) Stop()                              {}

// Preview previews regions through the engine and checks what they would do. Every
// region's failure, denial or pending change is in the returned error (joined).
func (e *Env) Preview(ctx context.Context, req EngineRequest) (*Outcome, error) {
	s, rl, err := e.engineSession(ctx, req, false, false, false)
	if err != nil {
		return nil, err
	}
	defer s.close()
	targets, err := e.stageTargets(ctx, req.Stage, s.regions)
	if err != nil {
		return nil, err
	}
	results := e.phase(ctx, s, rl, engine.Preview, PhasePreview, s.regions, nil, nil)
	out := &Outcome{Op: engine.Preview, Rehearse: req.Rehearse, Results: results, Warnings: e.interrupted(ctx, s)}
	if out.Reports, err = e.checkResults(s.regions, results); err != nil {
		return out, err
	}
	for i := range out.Results {
		out.Results[i] = stageView(out.Results[i], targets)
	}
	var errs []error
	for i := range out.Results {
		errs = append(errs, e.verdict(out, s.regions[i], &out.Results[i], req))
	}
	return out, errors.Join(errs...)
}

// interrupted warns of the operations an earlier run left pending, where the backend
// can say so without an engine run (a file:// folder: one file read per region); up,
// destroy and status check every backend.
func (e *Env) interrupted(ctx context.Context, s *session) []string {
	if !strings.HasPrefix(s.backend.URL, "file://") {
		return nil
	}
	var out []string
	for _, r := range s.regions {
		if pending, _, err := s.runner.Pending(ctx, r.Region); err == nil && len(pending) > 0 {
			out = append(out, (&engine.PendingError{Region: r.Region, Pending: pending}).Error())
		}
	}
	return out
}

// checkResults runs the guardrails on every preview that planned something.
func (e *Env) checkResults(regions []*spec.Region, results []engine.Result) ([]policy.Report, error) {
	var steps []manifest.Region
	for _, res := range results {
		if len(res.Steps.Resources) > 0 {
			steps = append(steps, res.Steps)
		}
	}
	return e.Check(regions, steps)
}

// verdict is the error one region's preview ends in: its guardrail denial (which
// explains an engine refusal to replace a protected resource better than the engine),
// its engine failure, or its pending changes under --expect-no-changes.
func (e *Env) verdict(out *Outcome, r *spec.Region, res *engine.Result, req EngineRequest) error {
	var denied error
	for _, rep := range out.Reports {
		if rep.Region == res.Region {
			denied = deniedBy(rep)
		}
	}
	switch {
	case res.Err != nil && errors.Is(res.Err, context.Canceled):
		return res.Err
	case denied != nil && (res.Err == nil || len(res.Refused) > 0):
		return denied
	case res.Err != nil && e.allowed(r, res):
		// The engine refused only what an allowance accepts: up lifts exactly that
		// protection for the update, so the refusal is not a failure.
		res.Err = nil
		return nil
	case res.Err != nil:
		return errors.Join(denied, res.Err)
	case req.ExpectNoChanges && res.Changes.Pending():
		return &ChangesPendingError{Region: res.Region}
	}
	return nil
}

// allowed reports whether every protected resource the engine refused to replace is
// one an active allowance lifts, and the engine planned the rest (the scratch preview).
func (e *Env) allowed(r *spec.Region, res *engine.Result) bool {
	if len(res.Refused) == 0 || res.Steps.Partial {
		return false
	}
	lift := policy.Unprotect(r, res.Steps, e.Now())
	for _, urn := range res.Refused {
		if !slices.Contains(lift, urn) {
			return false
		}
	}
	return true
}

// Apply previews regions, checks them, shows the preview and asks (unless Yes), then
// applies what passed. A region with interrupted operations in its state, a failed
// preview or a denial is not applied; the others are. An allowed replacement or
// deletion of a data store lifts the protection of exactly that data store for the
// update, and puts it back if the update does not finish.
//
// req.Stage limits the preview and the update to the resources of the stages up to it;
// req.Staged applies the stages one after the other (applyStaged).
func (e *Env) Apply(ctx context.Context, req EngineRequest) (*Outcome, error) {
	if !req.Yes && !e.canPrompt() {
		return nil, &UsageError{Msg: "up changes real resources: pass --yes to confirm when not on a terminal"}
	}
	s, rl, err := e.engineSession(ctx, req, false, false, false)
	if err != nil {
		return nil, err
	}
	defer s.close()
	if req.Staged {
		return e.applyStaged(ctx, s, rl, req)
	}
	targets, err := e.stageTargets(ctx, req.Stage, s.regions)
	if err != nil {
		return nil, err
	}
	out, errs, err := e.apply(ctx, s, rl, req, req.Stage, targets)
	return out, errors.Join(append(errs, err)...)
}

// apply is Apply in an open session, limited to targets (a stage, named for the
// question, or everything). It returns each region's error (in the order of s.regions)
// and what stopped the whole run (a failed check, no confirmation, a cancellation).
func (e *Env) apply(ctx context.Context, s *session, rl *relay, req EngineRequest, stage Stage, targets engine.Targets) (*Outcome, []error, error) {
	p, err := e.previewToApply(ctx, s, rl, req, targets)
	if err != nil || len(p.apply) == 0 || ctx.Err() != nil {
		return p.out, p.errs, errors.Join(err, ctx.Err())
	}
	if !req.Yes {
		if err := e.confirmApply(ctx, p.out, req, stage, p.apply); err != nil {
			return p.out, p.errs, err
		}
	}
	e.applyConfirmed(ctx, s, rl, p, p.apply, targets)
	return p.out, p.errs, nil
}

// toApply is a checked preview of a session's regions, before anything is applied.
type toApply struct {
	out   *Outcome
	errs  []error        // per region of the session, in its order
	index map[string]int // region id → position in the session
	// apply are the regions whose preview passed and changes something; totals their
	// change counts, for progress.
	apply  []*spec.Region
	totals map[string]int
}

// previewToApply previews every region of the session that has no interrupted
// operation and judges the previews; targets limit what each result counts (a stage).
func (e *Env) previewToApply(ctx context.Context, s *session, rl *relay, req EngineRequest, targets engine.Targets) (*toApply, error) {
	p := &toApply{out: &Outcome{Op: engine.Up, Rehearse: req.Rehearse}, errs: make([]error, len(s.regions)), index: map[string]int{}, totals: map[string]int{}}
	ready := e.withoutPending(ctx, s, p.errs)
	// The preview is of the whole region, whatever the stage: the guardrails judge the
	// region as the file describes it (a database's alarms are in a later stage, yet
	// part of it) and every change the file makes; the stage is a view of it.
	previews := e.phase(ctx, s, rl, engine.Preview, PhasePlanning, ready, nil, nil)
	var err error
	if p.out.Reports, err = e.checkResults(s.regions, previews); err != nil {
		return p, err
	}
	p.out.Results = make([]engine.Result, len(s.regions))
	for i, r := range s.regions {
		p.index[r.Region] = i
		p.out.Results[i] = engine.Result{Region: r.Region, Op: engine.Up, Err: p.errs[i]}
	}
	for _, res := range previews {
		i := p.index[res.Region]
		res = stageView(res, targets)
		p.errs[i] = e.verdict(p.out, s.regions[i], &res, req)
		res.Op = engine.Up // what the command did to the region: its preview, until applied
		p.out.Results[i] = res
		if p.errs[i] == nil && res.Changes.Pending() {
			p.apply = append(p.apply, s.regions[i])
			p.totals[res.Region] = res.Changes.Total()
		}
	}
	return p, nil
}

// applyConfirmed applies the confirmed preview of the regions apply (of p): it lifts
// the protection of the data stores an allowance lets change and the deletion
// protection of the load balancers the preview replaces or deletes, runs the up
// (limited to targets), and puts both back where the up fails. Results and errors go
// into p; it returns the results of the regions it ran the up of.
func (e *Env) applyConfirmed(ctx context.Context, s *session, rl *relay, p *toApply, apply []*spec.Region, targets engine.Targets) []engine.Result {
	lifted := map[string][]string{}
	for _, r := range apply {
		i := p.index[r.Region]
		urns := policy.Unprotect(r, p.out.Results[i].Steps, e.Now())
		if len(urns) == 0 {
			continue
		}
		if err := s.runner.SetProtect(ctx, r, urns, false); err != nil {
			p.errs[i] = err
			continue
		}
		lifted[r.Region] = urns
	}
	released, apply := e.releaseReplaced(ctx, s, apply, p.out, p.index, p.errs)
	results := e.phase(ctx, s, rl, engine.Up, string(engine.Up), apply, p.totals, targets)
	for _, res := range results {
		i := p.index[res.Region]
		p.out.Results[i], p.errs[i] = res, res.Err
		if urns := lifted[res.Region]; len(urns) > 0 && res.Err != nil {
			p.errs[i] = errors.Join(p.errs[i], e.reprotect(ctx, s, s.regions[i], urns))
		}
		if urns := released[res.Region]; len(urns) > 0 && res.Err != nil {
			p.errs[i] = errors.Join(p.errs[i], e.reguard(ctx, s, s.regions[i], urns))
		}
	}
	return results
}

// withoutPending returns the regions whose state holds no interrupted operation; the
// others get a PendingError in errs and are left alone.
func (e *Env) withoutPending(ctx context.Context, s *session, errs []error) []*spec.Region {
	engine.EachRegion(ctx, len(s.regions), engine.DefaultParallel(), func(i int) {
		r := s.regions[i]
		state, err := s.runner.State(ctx, r)
		var nd *engine.NotDeployedError
		switch {
		case errors.As(err, &nd):
		case err != nil:
			errs[i] = err
		case len(state.Pending) > 0:
			errs[i] = &engine.PendingError{Region: r.Region, Pending: state.PendingOperations()}
		}
	}, nil)
	var ready []*spec.Region
	for i, r := range s.regions {
		if errs[i] == nil {
			ready = append(ready, r)
		}
	}
	return ready
}

// reprotect puts protection back on the resources of urns that are still in the
// state after an update that did not finish, even when the run was interrupted.
func (e *Env) reprotect(ctx context.Context, s *session, r *spec.Region, urns []string) error {
	return e.restore(ctx, s, r, urns, "protection", "the next preview or up restores it", s.runner.SetProtect)
}

// restore turns what set changes (protection, deletion protection) back on for the
// resources of urns still in the state after a run that did not finish, even when the
// run was interrupted; later says what fixes it if this fails too.
func (e *Env) restore(ctx context.Context, s *session, r *spec.Region, urns []string, what, later string,
	set func(context.Context, *spec.Region, []string, bool) error,
) error {
	if len(urns) == 0 {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	state, err := s.runner.State(ctx, r)
	if err != nil {
		return fmt.Errorf("region %q: %s could not be checked after the interrupted run (%v); %s", r.Region, what, err, later)
	}
	var still []string
	for _, u := range urns {
		if state.Has(u) {
			still = append(still, u)
		}
	}
	if err := set(ctx, r, still, true); err != nil {
		return fmt.Errorf("region %q: %v; %s", r.Region, err, later)
	}
	return nil
}

func (e *Env) canPrompt() bool { return e.Prompt != nil && e.Prompt.CanPrompt() }

// confirmApply shows the preview and asks before anything is applied.
func (e *Env) confirmApply(ctx context.Context, out *Outcome, req EngineRequest, stage Stage, apply []*spec.Region) error {
	if req.Review != nil {
		if err := req.Review(out); err != nil {
			return err
		}
	}
	what := "these changes"
	if stage != "" {
		what = fmt.Sprintf("stage %s (%s)", stage, stage.holds())
	}
	q := fmt.Sprintf("Apply %s to %d %s (%s)? [y/N] ", what, len(apply), plural(len(apply), "region", "regions"), joinIDs(apply))
	a, err := e.Prompt.Ask(ctx, q)
	if err != nil {
		return &NotConfirmedError{What: "up"}
	}
	if a = strings.ToLower(strings.TrimSpace(a)); a != "y" && a != "yes" {
		return &NotConfirmedError{What: "up"}
	}
	return nil
}

// releaseReplaced turns off the deletion protection of the load balancers the confirmed
// preview replaces or deletes: AWS refuses to delete the old one while it is on, so
// the update would stop half-way. It returns what it released, per region, and the
// regions still to apply (a region whose release failed has its error in errs).
func (e *Env) releaseReplaced(ctx context.Context, s *session, apply []*spec.Region, out *Outcome, index map[string]int, errs []error) (map[string][]string, []*spec.Region) {
	released := map[string][]string{}
	var ready []*spec.Region
	for _, r := range apply {
		i := index[r.Region]
		if errs[i] != nil {
			continue // its protection could not be lifted: it is not applied
		}
		going := map[string]bool{}
		for _, step := range out.Results[i].Steps.Resources {
			if (step.Op == manifest.OpReplace || step.Op == manifest.OpDelete) && step.Type == "aws:lb/loadBalancer:LoadBalancer" {
				going[step.URN] = true
			}
		}
		if len(going) == 0 {
			ready = append(ready, r)
			continue
		}
		state, err := s.runner.State(ctx, r)
		if err != nil {
			errs[i] = err
			continue
		}
		var urns []string
		for _, lb := range state.DeletionProtected() {
			if going[lb.URN] {
				urns = append(urns, lb.URN)
			}
		}
		if err := s.runner.SetDeletionProtection(ctx, r, urns, false); err != nil {
			errs[i] = err
			continue
		}
		if len(urns) > 0 {
			released[r.Region] = urns
		}
		ready = append(ready, r)
	}
	return released, ready
}
