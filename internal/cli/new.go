package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/estimate"
	"github.com/regionctl/regionctl/internal/report"
)

// NewOptions are the inputs of `regionctl new`.
type NewOptions struct {
	IO      *IOStreams
	Env     func() *app.Env
	JSON    bool
	Request app.NewRequest
}

func newNewCmd(f *Factory, g *Globals, runF func(*NewOptions) error) *cobra.Command {
	opts := &NewOptions{IO: f.IO, Env: func() *app.Env { return f.Env(g) }}
	cmd := &cobra.Command{
		Use:   "new REGION --jurisdiction J [--from REGION] [--account ID]",
		Short: "Write the region file of a new region",
		Long: "new writes regions/REGION.yaml: from an existing region's file (--from; its comments\n" +
			"and layout kept) or from the template, with a VPC block no region uses, the zones and\n" +
			"classes the region offers, and nothing that belongs to the source region (its ACM\n" +
			"certificates, AMIs, waivers and allowances). A load balancer stays internal until the\n" +
			"new region has its own certificate. The file is checked (it loads and plans without a\n" +
			"denied guardrail) before it is written, and appears whole or not at all.",
		Example: "  regionctl new ap-northeast-1 --jurisdiction jp --from eu-west-1\n" +
			"  regionctl new eu-central-1 --jurisdiction eu --account 123456789012",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = g.JSON
			opts.Request.Region = args[0]
			if opts.Request.Jurisdiction == "" {
				return usagef("--jurisdiction is required: the residency zone of %s (a key of %s/jurisdictions.yaml)", args[0], g.RegionsDir)
			}
			if runF != nil {
				return runF(opts)
			}
			return newRun(cmd, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Request.Jurisdiction, "jurisdiction", "", "the residency zone the region's data stays in (a key of jurisdictions.yaml)")
	cmd.Flags().StringVar(&opts.Request.From, "from", "", "an existing region to start from (default: the template)")
	cmd.Flags().StringVar(&opts.Request.AccountID, "account", "", "the new region's AWS account id (default: the --from region's)")
	cmd.Flags().StringVar(&opts.Request.AlarmEmail, "alarm-email", "", "the on-call address the region's alarms mail (required without --from)")
	cmd.Flags().StringVar(&opts.Request.AlarmHTTPS, "alarm-https", "", "a paging endpoint (https URL) the alarms post to, which confirms itself (required without --from)")
	_ = cmd.RegisterFlagCompletionFunc("from", completeRegions(g))
	return cmd
}

func newRun(cmd *cobra.Command, opts *NewOptions) error {
	res, err := opts.Env().New(cmd.Context(), opts.Request)
	if err != nil {
		return err
	}
	for _, n := range res.Notes {
		fmt.Fprintf(opts.IO.ErrOut, "note: %s\n", n)
	}
	if opts.JSON {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	out := opts.IO.Out
	from := "the template"
	if res.From != "" {
		from = res.From
	}
	fmt.Fprintf(out, "wrote %s (from %s)\n", res.Path, from)
	for _, c := range res.Changes {
		fmt.Fprintf(out, "  %s\n", c)
	}
	if res.Estimate != nil {
		if err := report.EstimateText(out, []estimate.Estimate{*res.Estimate}); err != nil {
			return err
		}
	}
	fmt.Fprintf(opts.IO.ErrOut, "next: review it, then `regionctl plan %s` and `regionctl up %s --rehearse`\n", res.Region, res.Region)
	return nil
}
