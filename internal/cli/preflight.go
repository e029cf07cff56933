package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
)

// PreflightOptions are the inputs of `regionctl preflight`.
type PreflightOptions struct {
	IO     *IOStreams
	Env    func() *app.Env
	JSON   bool
	Live   bool
	Region string
}

func newPreflightCmd(f *Factory, g *Globals, runF func(*PreflightOptions) error) *cobra.Command {
	opts := &PreflightOptions{IO: f.IO, Env: func() *app.Env { return f.Env(g) }}
	cmd := &cobra.Command{
		Use:   "preflight REGION",
		Short: "Check that AWS offers what a region file names, before any apply",
		Long: "preflight checks a region file against what AWS offers the region: opt-in status,\n" +
			"the availability zones, every instance type, DB instance class and cache node type,\n" +
			"the engine versions, and the quota headroom for what the offline plan creates\n" +
			"(VPCs, Elastic IPs, NAT gateways, internet gateways, load balancers, vCPUs at\n" +
			"desired and at max capacity). Offline it answers from regionctl's dated facts\n" +
			"tables and AWS's default quotas; --live asks the account (AWS credentials from the\n" +
			"usual places: environment, profile, SSO). A failed check exits 4.",
		Example:           "  regionctl preflight ap-northeast-1\n  regionctl preflight eu-south-2 --live --json",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeRegions(g),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON, opts.Region = g.JSON, args[0]
			if runF != nil {
				return runF(opts)
			}
			return preflightRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Live, "live", false, "ask the AWS account (needs credentials) instead of the facts tables")
	return cmd
}

var checkMarks = map[app.CheckStatus]string{app.CheckOK: "✓", app.CheckWarn: "!", app.CheckFail: "✗"}

func preflightRun(ctx context.Context, opts *PreflightOptions) error {
	p, err := opts.Env().Preflight(ctx, opts.Region, opts.Live)
	if p == nil {
		return err
	}
	if opts.JSON {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(p); jerr != nil {
			return jerr
		}
		return err
	}
	out := opts.IO.Out
	fmt.Fprintf(out, "preflight %s (%s)\n", p.Region, p.Source)
	for _, c := range p.Checks {
		where := ""
		if c.Path != "" && c.Status != app.CheckOK {
			where = c.Path
			if c.Line > 0 {
				where += fmt.Sprintf(":%d:%d", c.Line, c.Col)
			}
			where += ": "
		}
		fmt.Fprintf(out, "%s %s: %s%s", checkMarks[c.Status], c.Name, where, c.Detail)
		if c.Fix != "" {
			fmt.Fprintf(out, "; fix: %s", c.Fix)
		}
		fmt.Fprintln(out)
	}
	return err
}
