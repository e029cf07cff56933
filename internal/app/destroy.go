package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/spec"
)

// Destroy deletes every resource of the named regions (a region whose file is gone is
// destroyed from its state). A region with protected resources is refused unless
// Unprotect: what is protected is what the state says and what the program says, so
// protection lost to an earlier interrupted destroy still counts. With Unprotect the
// protection is lifted just for the destroy and put back on whatever is left when the
// destroy does not finish. AWS's own deletion protection (load balancers) counts as
// protection too: Unprotect turns it off by an update right before the destroy.
func (e *Env) Destroy(ctx context.Context, req EngineRequest) (*Outcome, error) {
	if !req.Yes && !e.canPrompt() {
		return nil, &UsageError{Msg: "destroy changes real resources: pass --yes to confirm when not on a terminal"}
	}
	s, rl, err := e.engineSession(ctx, req, false, true, false)
	if err != nil {
		return nil, err
	}
	defer s.close()

	out := &Outcome{Op: engine.Destroy, Rehearse: req.Rehearse, Results: make([]engine.Result, len(s.regions))}
	errs := make([]error, len(s.regions))
	lifted, released := map[string][]string{}, map[string][]string{}
	var run []*spec.Region
	index := map[string]int{}
	for i, r := range s.regions {
		index[r.Region] = i
		out.Results[i] = engine.Result{Region: r.Region, Op: engine.Destroy}
		state, err := s.runner.State(ctx, r)
		var nd *engine.NotDeployedError
		switch {
		case errors.As(err, &nd):
			continue // nothing to destroy
		case err != nil:
			errs[i] = err
			continue
		case len(state.Pending) > 0:
			errs[i] = &engine.PendingError{Region: r.Region, Pending: state.PendingOperations()}
			continue
		}
		protected := e.protected(r, s.orphans[r.Region], state)
		guarded := state.DeletionProtected()
		if len(protected)+len(guarded) > 0 && !req.Unprotect {
			errs[i] = &ProtectedError{Region: r.Region, Resources: labels(append(protected, guarded...))}
			continue
		}
		if !req.Yes {
			a, err := e.Prompt.Ask(ctx, fmt.Sprintf("Destroy every resource of %s? Type the region id to confirm: ", r.Region))
			if err != nil || a != r.Region {
				return out, &NotConfirmedError{What: "destroy of " + r.Region}
			}
		}
		var urns []string
		for _, p := range protected {
			urns = append(urns, p.URN)
		}
		lifted[r.Region] = urns
		for _, g := range guarded {
			released[r.Region] = append(released[r.Region], g.URN)
		}
		run = append(run, r)
	}
	// Protection comes off only once every region is confirmed, right before the destroy.
	var ready []*spec.Region
	for _, r := range run {
		i := index[r.Region]
		if err := s.runner.SetProtect(ctx, r, lifted[r.Region], false); err != nil {
			errs[i] = err
			continue
		}
		if err := s.runner.SetDeletionProtection(ctx, r, released[r.Region], false); err != nil {
			errs[i] = errors.Join(err, e.reprotect(ctx, s, r, lifted[r.Region]))
			continue
		}
		ready = append(ready, r)
	}
	for _, res := range e.phase(ctx, s, rl, engine.Destroy, string(engine.Destroy), ready, nil, nil) {
		i := index[res.Region]
		out.Results[i], errs[i] = res, res.Err
		if res.Err != nil {
			errs[i] = errors.Join(errs[i], e.reprotect(ctx, s, s.regions[i], lifted[res.Region]),
				e.reguard(ctx, s, s.regions[i], released[res.Region]))
		}
	}
	return out, errors.Join(errs...)
}

// protected lists the region's resources in the state that are protected, by the
// state or by the program (whose protect flags the offline plan knows).
func (e *Env) protected(r *spec.Region, orphan bool, state engine.State) []engine.StateResource {
	byProgram := map[string]bool{}
	if !orphan {
		if m, err := engine.PlanRegion(r); err == nil {
			for _, res := range m.Resources {
				if res.Protect {
					byProgram[res.URN] = true
				}
			}
		}
	}
	var out []engine.StateResource
	for _, res := range state.Resources {
		if res.Protect || byProgram[string(res.URN)] {
			out = append(out, engine.StateResource{URN: string(res.URN), Type: string(res.Type), Name: res.URN.Name(), ID: string(res.ID)})
		}
	}
	return out
}

func labels(rs []engine.StateResource) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Type + " " + r.Name
	}
	return out
}

// Refresh reads the real state of regions' resources into the backend, and clears the
// operations an interrupted run left pending: an interrupted create may have made a
// cloud resource the state never learnt of, so each cleared create is listed for a
// person to look for (and import or delete).
func (e *Env) Refresh(ctx context.Context, req EngineRequest) (*Outcome, error) {
	if !req.Yes && !e.canPrompt() {
		return nil, &UsageError{Msg: "refresh changes the state: pass --yes to confirm when not on a terminal"}
	}
	s, rl, err := e.engineSession(ctx, req, false, false, true)
	if err != nil {
		return nil, err
	}
	defer s.close()
	before := map[string][]engine.PendingOperation{}
	for _, r := range s.regions {
		if state, err := s.runner.State(ctx, r); err == nil && len(state.Pending) > 0 {
			before[r.Region] = state.PendingOperations()
		}
	}
	if !req.Yes {
		a, err := e.Prompt.Ask(ctx, fmt.Sprintf("Refresh %d %s (%s)? [y/N] ", len(s.regions), plural(len(s.regions), "region", "regions"), joinIDs(s.regions)))
		if err != nil || (a != "y" && a != "yes") {
			return nil, &NotConfirmedError{What: "refresh"}
		}
	}
	out := &Outcome{Op: engine.Refresh, Rehearse: req.Rehearse, Cleared: map[string][]engine.PendingOperation{}}
	out.Results = e.phase(ctx, s, rl, engine.Refresh, string(engine.Refresh), s.regions, nil, nil)
	var errs []error
	for _, res := range out.Results {
		errs = append(errs, res.Err)
		if res.Err == nil && len(before[res.Region]) > 0 {
			out.Cleared[res.Region] = before[res.Region]
		}
	}
	return out, errors.Join(errs...)
}

// reguard turns deletion protection back on for the load balancers a run that did not
// finish left standing.
func (e *Env) reguard(ctx context.Context, s *session, r *spec.Region, urns []string) error {
	return e.restore(ctx, s, r, urns, "deletion protection", "the next up turns it back on", s.runner.SetDeletionProtection)
}
