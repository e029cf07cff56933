// Package rollout applies a change to the fleet of regions in waves: it previews every
// region of every wave first (nothing moves unless all of them pass), then applies one
// wave at a time, waits the bake time, checks the wave's health, and only then starts
// the next. A failure beyond the tolerance stops it, and the outcome says which regions
// changed and the command that rolls them back.
package rollout

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/regionctl/regionctl/internal/manifest"
)

// Wave is one step of a rollout.
type Wave struct {
	Name    string
	Regions []string
}

// Plan is what to roll out, in which order.
type Plan struct {
	Waves []Wave
	Bake  time.Duration
	// Tolerance is how many regions of one wave may fail with the rollout going on.
	Tolerance int
	// Unwaved are region files no wave lists; they are reported, never touched.
	Unwaved []string
}

// Applied is what an up did to one region.
type Applied struct {
	Region  string
	Changes manifest.Changes
	Outputs map[string]any
	Err     error
}

// Verdict is a region's health after the bake: Problems empty means healthy; Checked
// says what was looked at ("alarms OK").
type Verdict struct {
	Checked  []string
	Problems []string
}

// Stage is the engine as a rollout drives it.
type Stage interface {
	// Preview previews and checks every region, confirms (or is told to), and returns
	// what each region would change. Any error means nothing may be applied.
	Preview(ctx context.Context, regions []string) (map[string]manifest.Changes, error)
	// Apply applies the previewed changes of regions, in parallel, one result each.
	Apply(ctx context.Context, regions []string) []Applied
	// Health judges a region the rollout applied, after the bake time.
	Health(ctx context.Context, a Applied) (Verdict, error)
}

// Options are the rollout's clock and progress.
type Options struct {
	// Sleep waits d or until ctx ends; nil waits on a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Log gets one progress line at a time ("wave canary: applying ap-southeast-2").
	Log func(line string)
}

// Statuses of a region in a rollout.
const (
	StatusApplied    = "applied"
	StatusUnchanged  = "unchanged"
	StatusUnhealthy  = "unhealthy"
	StatusFailed     = "failed"
	StatusNotStarted = "not started"
	StatusNotInWave  = "not in a wave"
)

// RegionResult is what the rollout did to one region.
type RegionResult struct {
	Region string
	Wave   string // "" for a region in no wave
	Status string
	// Changes are what the up did (applied, failed, unhealthy), else what the preview
	// planned.
	Changes manifest.Changes
	Health  Verdict
	// Applied is whether this rollout ran an up on the region.
	Applied bool
	Err     error
}

// Changed reports whether the rollout changed the region's resources (an up that
// failed part-way counts when it changed something).
func (r RegionResult) Changed() bool {
	switch r.Status {
	case StatusApplied:
		return true
	case StatusUnhealthy:
		return r.Applied
	case StatusFailed:
		return r.Changes.Pending()
	}
	return false
}

// Outcome is the whole rollout, regions in wave order, then those in no wave.
type Outcome struct {
	Regions []RegionResult
	// Stopped is the wave the rollout stopped after, "" when it went through.
	Stopped string
	// Rollback are the regions the rollback command names.
	Rollback []string
}

// RollbackCommand is the command that rolls back what the rollout changed, "" when
// there is nothing to roll back.
func (o *Outcome) RollbackCommand() string {
	if len(o.Rollback) == 0 {
		return ""
	}
	return "regionctl rollback " + strings.Join(o.Rollback, " ")
}

// StoppedError is a rollout that stopped after a wave whose failures were beyond the
// tolerance, or went through with tolerated failures (Wave "").
type StoppedError struct {
	Wave     string
	Failed   []string
	Rollback string
}

func (e *StoppedError) Error() string {
	how := ""
	if e.Rollback != "" {
		how = "; to undo what changed: " + e.Rollback
	}
	if e.Wave == "" {
		return fmt.Sprintf("rollout finished with %d failed %s (%s), within the failure tolerance%s",
			len(e.Failed), plural(len(e.Failed), "region", "regions"), strings.Join(e.Failed, ", "), how)
	}
	return fmt.Sprintf("rollout stopped after wave %s: %d failed %s (%s); later waves were not started%s",
		e.Wave, len(e.Failed), plural(len(e.Failed), "region", "regions"), strings.Join(e.Failed, ", "), how)
}

// UnhealthyError is a region whose health gate failed after its bake.
type UnhealthyError struct {
	Region   string
	Problems []string
}

func (e *UnhealthyError) Error() string {
	return fmt.Sprintf("region %q: unhealthy after the bake: %s", e.Region, strings.Join(e.Problems, "; "))
}

// Run rolls the plan out through stage. The error joins the regions' own errors and a
// StoppedError; a preview that fails returns its error and no outcome (nothing moved).
func Run(ctx context.Context, plan Plan, stage Stage, opts Options) (*Outcome, error) {
	if opts.Log == nil {
		opts.Log = func(string) {}
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	var all []string
	for _, w := range plan.Waves {
		all = append(all, w.Regions...)
	}
	opts.Log(fmt.Sprintf("previewing every region of %d %s first: %s", len(plan.Waves), plural(len(plan.Waves), "wave", "waves"), strings.Join(all, ", ")))
	pending, err := stage.Preview(ctx, all)
	if err != nil {
		return nil, err
	}

	out := &Outcome{}
	index := map[string]int{}
	for _, w := range plan.Waves {
		for _, id := range w.Regions {
			index[id] = len(out.Regions)
			out.Regions = append(out.Regions, RegionResult{Region: id, Wave: w.Name, Status: StatusNotStarted, Changes: pending[id]})
		}
	}
	for _, id := range plan.Unwaved {
		out.Regions = append(out.Regions, RegionResult{Region: id, Status: StatusNotInWave})
	}

	var failedAll []string
	var regionErrs []error
	for _, w := range plan.Waves {
		var apply []string
		for _, id := range w.Regions {
			if pending[id].Pending() {
				apply = append(apply, id)
			} else {
				out.Regions[index[id]].Status = StatusUnchanged
			}
		}
		// Every region of the wave is judged, changed or not: a region already unwell
		// (an earlier rollout's canary) stops the next wave too.
		var failed []string
		var healthy []Applied
		for _, id := range w.Regions {
			if !pending[id].Pending() {
				healthy = append(healthy, Applied{Region: id, Changes: pending[id]})
			}
		}
		var applied []Applied
		if len(apply) == 0 {
			opts.Log(fmt.Sprintf("wave %s: nothing to change", w.Name))
		} else {
			opts.Log(fmt.Sprintf("wave %s: applying %s", w.Name, strings.Join(apply, ", ")))
			applied = stage.Apply(ctx, apply)
		}
		for _, a := range applied {
			r := &out.Regions[index[a.Region]]
			r.Changes, r.Err = a.Changes, a.Err
			if a.Err != nil {
				r.Status = StatusFailed
				failed = append(failed, a.Region)
				regionErrs = append(regionErrs, a.Err)
				continue
			}
			r.Status, r.Applied = StatusApplied, true
			healthy = append(healthy, a)
		}
		if ctx.Err() != nil {
			return stop(out, w.Name, failed, append(regionErrs, ctx.Err()))
		}
		if len(failed) <= plan.Tolerance && len(healthy) > 0 {
			if len(applied) > len(failed) {
				opts.Log(fmt.Sprintf("wave %s: baking %s", w.Name, plan.Bake))
				if err := opts.Sleep(ctx, plan.Bake); err != nil {
					return stop(out, w.Name, failed, append(regionErrs, err))
				}
			}
			for _, a := range healthy {
				r := &out.Regions[index[a.Region]]
				v, err := stage.Health(ctx, a)
				switch {
				case err != nil:
					v.Problems = append(v.Problems, "health could not be read: "+err.Error())
					fallthrough
				case len(v.Problems) > 0:
					r.Health = v
					r.Status = StatusUnhealthy
					r.Err = &UnhealthyError{Region: a.Region, Problems: v.Problems}
					regionErrs = append(regionErrs, r.Err)
					failed = append(failed, a.Region)
					opts.Log(fmt.Sprintf("health: %s %s", a.Region, strings.Join(v.Problems, "; ")))
				default:
					r.Health = v
					opts.Log(fmt.Sprintf("health: %s %s", a.Region, strings.Join(v.Checked, ", ")))
				}
			}
		}
		failedAll = append(failedAll, failed...)
		if len(failed) > plan.Tolerance {
			opts.Log(fmt.Sprintf("wave %s: %d failed (tolerance %d): stopping", w.Name, len(failed), plan.Tolerance))
			return stop(out, w.Name, failed, regionErrs)
		}
	}
	if len(failedAll) == 0 {
		return out, nil
	}
	for _, r := range out.Regions {
		if r.Changed() && r.Err != nil {
			out.Rollback = append(out.Rollback, r.Region)
		}
	}
	return out, join(regionErrs, &StoppedError{Failed: failedAll, Rollback: out.RollbackCommand()})
}

// stop ends the rollout after wave: every region it changed is to be rolled back.
func stop(out *Outcome, wave string, failed []string, regionErrs []error) (*Outcome, error) {
	out.Stopped = wave
	var all []string
	for _, r := range out.Regions {
		if r.Changed() {
			out.Rollback = append(out.Rollback, r.Region)
		}
		if r.Status == StatusFailed || r.Status == StatusUnhealthy {
			all = append(all, r.Region)
		}
	}
	if len(all) == 0 {
		all = failed
	}
	return out, join(regionErrs, &StoppedError{Wave: wave, Failed: all, Rollback: out.RollbackCommand()})
}

func join(errs []error, last error) error {
	return errors.Join(append(errs, last)...)
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
