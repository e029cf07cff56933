package app

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/regionctl/regionctl/internal/estimate"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/policy"
	"github.com/regionctl/regionctl/internal/spec"
)

// Validate loads and checks the named region files (all when none), and what the
// guardrails can tell from the files alone (waivers and allowances), on Env's clock.
// Problems come back as spec.Problems, sorted.
func (e *Env) Validate(ids []string) ([]*spec.Region, error) {
	regions, err := e.Load(ids)
	if err != nil {
		return nil, joinProblems(err, e.validateFleet())
	}
	ps := problemsOf(e.validateFleet())
	for _, r := range regions {
		ps = append(ps, policy.CheckFile(r, e.Now())...)
	}
	if len(ps) > 0 {
		ps.Sort()
		return regions, ps
	}
	return regions, nil
}

// Check evaluates the guardrails of planned or previewed regions, each manifest matched
// to its region by name. Manifests without a name (a region whose program failed), or
// of a region not given, are skipped.
func (e *Env) Check(regions []*spec.Region, manifests []manifest.Region) ([]policy.Report, error) {
	j, err := spec.LoadJurisdictions(filepath.Join(e.RegionsDir, spec.JurisdictionsFile))
	if err != nil {
		return nil, err
	}
	byName := map[string]*spec.Region{}
	for _, r := range regions {
		byName[r.Region] = r
	}
	now := e.Now()
	var reports []policy.Report
	for _, m := range manifests {
		if r, ok := byName[m.Name]; ok && m.Name != "" {
			reports = append(reports, policy.Evaluate(r, j, m, now))
		}
	}
	return reports, nil
}

// Planned is an offline plan with its guardrail reports and, per manifest, its
// estimate.
type Planned struct {
	Manifests []manifest.Region
	Reports   []policy.Report
	Estimates []estimate.Estimate
}

// Plan plans the named regions offline and checks them. A region whose program
// failed does not hide the others: what planned comes back with the error. A denied
// guardrail is a PolicyDeniedError per region.
func (e *Env) Plan(ctx context.Context, ids []string) (*Planned, error) {
	regions, err := e.Load(ids)
	if err != nil {
		return nil, err
	}
	manifests, planErr := e.Planner.Plan(ctx, regions)
	out := &Planned{}
	for _, m := range manifests {
		if m.Name != "" {
			out.Manifests = append(out.Manifests, m)
		}
	}
	var estErrs []error
	for _, m := range out.Manifests {
		est, err := Estimate(m)
		if err != nil {
			estErrs = append(estErrs, err)
			continue
		}
		out.Estimates = append(out.Estimates, est)
	}
	if out.Reports, err = e.Check(regions, out.Manifests); err != nil {
		return out, err
	}
	return out, errors.Join(planErr, errors.Join(estErrs...), denials(out.Reports))
}

// denials joins the PolicyDeniedError of every report that blocks.
func denials(reports []policy.Report) error {
	var errs []error
	for _, rep := range reports {
		if err := deniedBy(rep); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
