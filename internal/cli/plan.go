package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/report"
)

// PlanOptions are the inputs of `regionctl plan`.
type PlanOptions struct {
	IO      *IOStreams
	Env     func() *app.Env
	JSON    bool
	All     bool
	Regions []string
}

func newPlanCmd(f *Factory, g *Globals, runF func(*PlanOptions) error) *cobra.Command {
	opts := &PlanOptions{IO: f.IO, Env: func() *app.Env { return f.Env(g) }}
	cmd := &cobra.Command{
		Use:   "plan REGION... | --all",
		Short: "Show every resource a region would have, offline",
		Long: "Run the region program under Pulumi mocks, with no cloud account and no engine,\n" +
			"and print the resource tree by component with the count of each type, then the\n" +
			"guardrail findings (regionctl policy); a denied finding exits 3; then an estimate:\n" +
			"how long a first up takes (its critical path) and the monthly cost at desired\n" +
			"and max capacity at on-demand list prices.\n" +
			"With --json, print every resource with its inputs (secrets shown as [secret])\n" +
			"and each region's findings, waivers and estimate.",
		Example:           "  regionctl plan eu-west-1\n  regionctl plan --all --json",
		ValidArgsFunction: completeRegions(g),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON, opts.Regions = g.JSON, args
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

func planRun(ctx context.Context, opts *PlanOptions) error {
	planned, err := opts.Env().Plan(ctx, opts.Regions)
	if planned == nil {
		return err
	}
	// A failed region must not hide the others: print what planned, then fail.
	var rerr error
	switch {
	case opts.JSON:
		rerr = report.PlanPolicyJSON(opts.IO.Out, planned.Manifests, planned.Reports, planned.Estimates)
	case len(planned.Manifests) > 0:
		rerr = report.PlanText(opts.IO.Out, planned.Manifests)
		if rerr == nil {
			fmt.Fprintln(opts.IO.Out)
			rerr = report.PolicyText(opts.IO.Out, planned.Reports)
		}
		if rerr == nil && len(planned.Estimates) > 0 {
			fmt.Fprintln(opts.IO.Out)
			rerr = report.EstimateText(opts.IO.Out, planned.Estimates)
		}
	}
	return errors.Join(err, rerr)
}
