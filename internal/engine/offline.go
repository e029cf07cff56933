package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/awsmodel/mockaws"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/region"
)

// Project is the Pulumi project name every region stack belongs to.
const Project = "regionctl"

// Offline plans regions by running their programs under mocks.
type Offline struct {
	// Parallel bounds how many regions run at once; 0 means one per CPU.
	Parallel int
}

// RegionError is the failure of one region's program.
type RegionError struct {
	Region string
	Err    error
}

func (e *RegionError) Error() string { return fmt.Sprintf("planning region %q: %v", e.Region, e.Err) }
func (e *RegionError) Unwrap() error { return e.Err }

// Plan runs every region's program and returns their manifests in the order given.
// A failing region does not stop the others; the error joins every failure.
func (o Offline) Plan(ctx context.Context, regions []*spec.Region) ([]manifest.Region, error) {
	limit := o.Parallel
	if limit <= 0 {
		limit = runtime.GOMAXPROCS(0)
	}
	out := make([]manifest.Region, len(regions))
	errs := make([]error, len(regions))
	EachRegion(ctx, len(regions), limit, func(i int) {
		out[i], errs[i] = PlanRegion(regions[i])
	}, func(i int) {
		errs[i] = &RegionError{Region: regions[i].Region, Err: ctx.Err()}
	})
	return out, errors.Join(errs...)
}

// PlanRegion runs one region's program under mocks and returns its manifest.
func PlanRegion(r *spec.Region) (manifest.Region, error) {
	rec := mockaws.New(r.Region, r.AccountID)
	err := pulumi.RunErr(region.Program(r), pulumi.WithMocks(Project, r.Region, rec))
	if err != nil {
		return manifest.Region{}, &RegionError{Region: r.Region, Err: err}
	}
	m := manifest.Region{Name: r.Region}
	for _, reg := range rec.Registrations() {
		m.Resources = append(m.Resources, manifest.Resource{
			URN:            reg.URN,
			Type:           reg.Type,
			Name:           reg.Name,
			Parent:         reg.Parent,
			Custom:         reg.Custom,
			Protect:        reg.Protect,
			RetainOnDelete: reg.RetainOnDelete,
			Inputs:         manifest.Plain(reg.Inputs),
			ID:             reg.ID,
			DependsOn:      reg.Dependencies,
			InputDeps:      reg.InputDependencies,
			Computed:       reg.Computed,
		})
	}
	m.Sort()
	return m, nil
}
