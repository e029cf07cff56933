package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/report"
	"github.com/regionctl/regionctl/internal/spec"
)

// Planner turns checked regions into manifests of planned resources.
type Planner interface {
	Plan(ctx context.Context, regions []*spec.Region) ([]manifest.Region, error)
}

// PlanOptions are the inputs of `regionctl plan`.
type PlanOptions struct {
	IO         *IOStreams
	Planner    Planner
	RegionsDir string
	JSON       bool
	All        bool
	Regions    []string
}

func newPlanCmd(ios *IOStreams, g *Globals, runF func(*PlanOptions) error, planner Planner) *cobra.Command {
	opts := &PlanOptions{IO: ios, Planner: planner}
	cmd := &cobra.Command{
		Use:   "plan REGION... | --all",
		Short: "Show every resource a region would have, offline",
		Long: "Run the region program under Pulumi mocks, with no cloud account and no engine,\n" +
			"and print the resource tree by component with the count of each type.\n" +
			"With --json, print every resource with its inputs (secrets shown as [secret]).",
		Example: "  regionctl plan eu-west-1\n  regionctl plan --all --json",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.RegionsDir, opts.JSON, opts.Regions = g.RegionsDir, g.JSON, args
			if err := needRegions(opts.All, args); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return planRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.All, "all", false, "plan every region in the regions folder")
	return cmd
}

// needRegions rejects a command line that names no region, or names some and --all.
func needRegions(all bool, args []string) error {
	switch {
	case all && len(args) > 0:
		return &exitError{code: ExitFailure, err: fmt.Errorf("name regions or use --all, not both")}
	case !all && len(args) == 0:
		return &exitError{code: ExitFailure, err: fmt.Errorf("name at least one region (regionctl plan eu-west-1) or use --all")}
	}
	return nil
}

func planRun(ctx context.Context, opts *PlanOptions) error {
	regions, err := spec.LoadDir(opts.RegionsDir, opts.Regions...)
	if err != nil {
		return invalidConfig(err)
	}
	manifests, planErr := opts.Planner.Plan(ctx, regions)
	// A failed region must not hide the others: print what planned, then fail.
	planned := make([]manifest.Region, 0, len(manifests))
	for _, m := range manifests {
		if m.Name != "" {
			planned = append(planned, m)
		}
	}
	if opts.JSON {
		err = report.PlanJSON(opts.IO.Out, planned)
	} else if len(planned) > 0 {
		err = report.PlanText(opts.IO.Out, planned)
	}
	if planErr != nil {
		return planErr
	}
	return err
}
