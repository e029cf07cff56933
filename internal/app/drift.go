package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/regionctl/regionctl/internal/drift"
	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/policy"
	"github.com/regionctl/regionctl/internal/spec"
)

// PhaseDrift is the progress display's phase of a drift check.
const PhaseDrift = "drift"

// Drifter is a runner that can refresh-preview regions (engine.Automation); it is
// asked for apart from Runner so the runners that cannot (fakes) need not pretend.
type Drifter interface {
	Drift(ctx context.Context, regions []*spec.Region, now func() time.Time) []engine.DriftResult
}

// driftTagReader reads a region's last drift summary from its stack tag.
type driftTagReader interface {
	DriftTag(ctx context.Context, regionID string) (string, error)
}

// DriftOutcome is what a drift check found.
type DriftOutcome struct {
	Rehearse bool
	Regions  []engine.DriftResult
	// Rows are the drifts grouped across regions.
	Rows []drift.Row
	// Departures are the settings where a region departs from the one it was made from.
	Departures []drift.Departure
	// Warnings stopped nothing (a summary not recorded, a source region without file).
	Warnings []string
}

// Drifted counts the drifted resources of every region.
func (o *DriftOutcome) Drifted() int {
	n := 0
	for _, r := range o.Regions {
		n += len(r.Resources)
	}
	return n
}

// DriftFoundError is a drift check that found the cloud departing from the state.
type DriftFoundError struct {
	Regions   []string
	Resources int
}

func (e *DriftFoundError) Error() string {
	return fmt.Sprintf("drift found: %d %s in %s (%s) differ from the state; "+
		"`regionctl up` puts back what the region files say, `regionctl refresh --yes` accepts the cloud's values into the state",
		e.Resources, plural(e.Resources, "resource", "resources"), plural(len(e.Regions), "region", "regions"), strings.Join(e.Regions, ", "))
}

// Drift refresh-previews regions (the state is not changed), groups what the cloud has
// that the state does not say across regions, records each region's summary on its
// stack for status, and compares each region made from another (madeFrom) with it.
// Drift found is a DriftFoundError; a region that cannot be checked, its own error.
func (e *Env) Drift(ctx context.Context, req EngineRequest) (*DriftOutcome, error) {
	s, rl, err := e.engineSession(ctx, req, false, false, false)
	if err != nil {
		return nil, err
	}
	defer s.close()
	d, ok := s.runner.(Drifter)
	if !ok {
		return nil, errors.New("this engine cannot check drift")
	}
	out := &DriftOutcome{Rehearse: req.Rehearse}
	out.Departures, out.Warnings = e.departures(ctx, s.regions)

	p := e.newProgress(regionIDs(s.regions))
	rl.set(p, PhaseDrift, nil)
	out.Regions = d.Drift(ctx, s.regions, e.Now)
	for _, r := range out.Regions {
		p.Finish(r.Name, r.Err != nil)
	}
	p.Stop()
	rl.set(nil, "", nil)

	var errs []error
	var checked []drift.Region
	found := &DriftFoundError{}
	for _, r := range out.Regions {
		switch {
		case r.Err != nil:
			errs = append(errs, r.Err)
			continue
		case r.NotDeployed:
			continue
		}
		if r.TagErr != nil {
			out.Warnings = append(out.Warnings, fmt.Sprintf("region %q: the drift summary was not recorded for status: %v", r.Name, r.TagErr))
		}
		checked = append(checked, r.Region)
		if len(r.Resources) > 0 {
			found.Regions = append(found.Regions, r.Name)
			found.Resources += len(r.Resources)
		}
	}
	out.Rows = drift.Group(checked)
	if found.Resources > 0 {
		errs = append(errs, found)
	}
	return out, errors.Join(errs...)
}

// departures compares every region that names the region it was made from with that
// region's file, offline.
func (e *Env) departures(ctx context.Context, regions []*spec.Region) ([]drift.Departure, []string) {
	var out []drift.Departure
	var warnings []string
	for _, r := range regions {
		if r.MadeFrom == "" {
			continue
		}
		have, err := spec.RegionIDs(e.RegionsDir)
		if err != nil || !slices.Contains(have, r.MadeFrom) {
			warnings = append(warnings, fmt.Sprintf("region %q was made from %s, which has no region file: not compared", r.Region, r.MadeFrom))
			continue
		}
		src, err := e.Load([]string{r.MadeFrom})
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("region %q: its source %s does not load: not compared (%v)", r.Region, r.MadeFrom, err))
			continue
		}
		deps, err := e.Departures(ctx, src[0], r)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("region %q: not compared with %s: %v", r.Region, r.MadeFrom, err))
			continue
		}
		out = append(out, deps...)
	}
	return out, warnings
}

// Departures compares region's offline plan with source's.
func (e *Env) Departures(ctx context.Context, source, region *spec.Region) ([]drift.Departure, error) {
	plans, err := e.Planner.Plan(ctx, []*spec.Region{source, region})
	if err != nil {
		return nil, err
	}
	side := func(i int, r *spec.Region) drift.Side {
		return drift.Side{Plan: plans[i], Entries: policy.Entries(plans[i]),
			Names: drift.Normalizer{Region: r.Region, AccountID: r.AccountID, Jurisdiction: r.Jurisdiction}}
	}
	return drift.Departures(side(0, source), side(1, region)), nil
}

// driftOf is a region's last drift check as its stack tag records it; nil when never
// checked, or when the runner cannot read tags.
func driftOf(ctx context.Context, runner Runner, regionID string) *drift.Last {
	tr, ok := runner.(driftTagReader)
	if !ok {
		return nil
	}
	v, err := tr.DriftTag(ctx, regionID)
	if err != nil {
		return nil
	}
	if last, ok := drift.ParseSummary(v); ok {
		return &last
	}
	return nil
}
