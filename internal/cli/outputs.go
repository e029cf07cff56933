package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/manifest"
)

// OutputsOptions are the inputs of `regionctl outputs`.
type OutputsOptions struct {
	IO      *IOStreams
	Env     func() *app.Env
	JSON    bool
	Request app.EngineRequest
}

func newOutputsCmd(f *Factory, g *Globals, runF func(*OutputsOptions) error) *cobra.Command {
	opts := &OutputsOptions{IO: f.IO, Env: func() *app.Env { return f.Env(g) }}
	cmd := &cobra.Command{
		Use:               "outputs REGION",
		Short:             "Print a deployed region's stack outputs",
		Example:           "  regionctl outputs eu-west-1\n  regionctl outputs eu-west-1 --json",
		ValidArgsFunction: completeRegions(g),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("name one region (regionctl outputs eu-west-1)")
			}
			opts.JSON, opts.Request.StateURL, opts.Request.Regions = g.JSON, g.StateURL, args
			if runF != nil {
				return runF(opts)
			}
			return outputsRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Request.Rehearse, "rehearse", false, "read the rehearsal state instead of the real one")
	return cmd
}

func outputsRun(ctx context.Context, opts *OutputsOptions) error {
	out, err := opts.Env().Outputs(ctx, opts.Request)
	if err != nil {
		return err
	}
	if opts.JSON {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	for _, k := range manifest.SortedKeys(out) {
		fmt.Fprintf(opts.IO.Out, "%s: %s\n", k, compactJSON(out[k]))
	}
	return nil
}

// compactJSON shows strings bare and everything else as one-line JSON.
func compactJSON(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSpace(string(b))
}
