package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/engine/rehearsal"
)

// RollbackOptions are the inputs of `regionctl rollback`.
type RollbackOptions struct {
	IO      *IOStreams
	Env     func() *app.Env
	Request app.RollbackRequest
}

func newRollbackCmd(f *Factory, g *Globals, runF func(*RollbackOptions) error) *cobra.Command {
	opts := &RollbackOptions{IO: f.IO, Env: func() *app.Env { return f.Env(g) }}
	cmd := &cobra.Command{
		Use:   "rollback REGION... [--to REF]",
		Short: "Re-apply the last good commit's configuration (or REF's) with that commit's own code",
		Long: "Re-apply an earlier commit to the named regions only: the commit's region files,\n" +
			"exported from git, with regionctl built from that commit (cached by commit), against\n" +
			"the same backend. Without --to, each region goes back to its last good commit: the\n" +
			"newest successful up before the deployed one (the newest up regionctl made, even a\n" +
			"failed one) whose commit or region file differs from it and that git can reproduce\n" +
			"(a clean checkout). It previews and checks the guardrails first, like any up: the\n" +
			"replacement or deletion of a data store is refused unless that commit's file allows\n" +
			"it. The rollback is recorded in the ledger (`regionctl history`).",
		Example:           "  regionctl rollback eu-west-1\n  regionctl rollback eu-west-1 ap-southeast-2 --to v1.4.0 --yes",
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: completeRegions(g),
		RunE: func(cmd *cobra.Command, args []string) error {
			r := &opts.Request
			r.JSON, r.StateURL, r.Regions = g.JSON, g.StateURL, args
			r.LatencySet = cmd.Flags().Changed("latency-scale")
			if r.LatencySet && (!r.Rehearse || r.LatencyScale < 0) {
				return usagef("--latency-scale needs --rehearse and a value of 0 or more")
			}
			if runF != nil {
				return runF(opts)
			}
			return rollbackRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Request.To, "to", "", "the commit, branch or tag to re-apply (default: each region's last good commit from the ledger)")
	fl.BoolVar(&opts.Request.Yes, "yes", false, "do not ask for confirmation (required when not on a terminal)")
	fl.BoolVar(&opts.Request.Rehearse, "rehearse", false, "use the local rehearsal provider instead of AWS (no cloud resources are touched)")
	fl.Float64Var(&opts.Request.LatencyScale, "latency-scale", rehearsal.DefaultLatencyScale,
		"with --rehearse: how slowly the stand-in provider creates, as a fraction of AWS's typical times (0 = instant)")
	fl.Var(parallelFlag{&opts.Request.Parallel}, "parallel", "regions at once (default: one per CPU, at least 2)")
	return cmd
}

func rollbackRun(ctx context.Context, opts *RollbackOptions) error {
	r := &opts.Request
	r.Stdin, r.Stdout, r.Stderr = opts.IO.In, opts.IO.Out, opts.IO.ErrOut
	r.Planned = func(p app.RollbackPlan) {
		for _, id := range p.Regions {
			fmt.Fprintln(opts.IO.ErrOut, rollbackLine(id, p))
		}
	}
	return opts.Env().Rollback(ctx, *r)
}

// rollbackLine says what one region goes back to, from what, and with which code.
func rollbackLine(region string, p app.RollbackPlan) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: rolling back to %s", region, app.ShortCommit(p.Commit))
	if t := p.Target[region]; t != nil {
		fmt.Fprintf(&b, " (up by %s at %s)", t.Ledger.By, t.Start)
	}
	fmt.Fprintf(&b, " from %s", app.ShortCommit(p.From))
	if d := p.Deployed[region]; d != nil {
		fmt.Fprintf(&b, " (%s, %s by %s at %s)", d.Result, d.Ledger.Op, d.Ledger.By, d.Start)
	}
	fmt.Fprintf(&b, ", with %s", p.Build)
	return b.String()
}
