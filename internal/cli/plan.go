package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/policy"
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
	// Guardrails checks the planned resources (policy); nil leaves them unchecked.
	Guardrails Guardrails
}

func newPlanCmd(ios *IOStreams, g *Globals, runF func(*PlanOptions) error, planner Planner) *cobra.Command {
	opts := &PlanOptions{IO: ios, Planner: planner, Guardrails: evaluateGuardrails(time.Now)}
	cmd := &cobra.Command{
		Use:   "plan REGION... | --all",
		Short: "Show every resource a region would have, offline",
		Long: "Run the region program under Pulumi mocks, with no cloud account and no engine,\n" +
			"and print the resource tree by component with the count of each type, then the\n" +
			"guardrail findings (regionctl policy); a denied finding exits 3.\n" +
			"With --json, print every resource with its inputs (secrets shown as [secret])\n" +
			"and each region's findings and waivers.",
		Example: "  regionctl plan eu-west-1\n  regionctl plan --all --json",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.RegionsDir, opts.JSON, opts.Regions = g.RegionsDir, g.JSON, args
			if err := needRegions(cmd.Name(), opts.All, args); err != nil {
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
func needRegions(command string, all bool, args []string) error {
	switch {
	case all && len(args) > 0:
		return &exitError{code: ExitFailure, err: fmt.Errorf("name regions or use --all, not both")}
	case !all && len(args) == 0:
		return &exitError{code: ExitFailure, err: fmt.Errorf("name at least one region (regionctl %s eu-west-1) or use --all", command)}
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
	var reports []policy.Report
	if opts.Guardrails != nil {
		if reports, err = opts.Guardrails(opts.RegionsDir, regions, planned); err != nil {
			return err
		}
	}
	switch {
	case opts.JSON && opts.Guardrails != nil:
		err = report.PlanPolicyJSON(opts.IO.Out, planned, reports)
	case opts.JSON:
		err = report.PlanJSON(opts.IO.Out, planned)
	case len(planned) > 0:
		err = report.PlanText(opts.IO.Out, planned)
		if err == nil && opts.Guardrails != nil {
			fmt.Fprintln(opts.IO.Out)
			err = report.PolicyText(opts.IO.Out, reports)
		}
	}
	if planErr != nil {
		return planErr
	}
	if err != nil {
		return err
	}
	return guardrailsDenied(reports)
}
