package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
)

// RegionsOptions are the inputs of `regionctl regions`.
type RegionsOptions struct {
	IO      *IOStreams
	Env     func() *app.Env
	JSON    bool
	Shards  int
	Request app.AffectedRequest
}

func newRegionsCmd(f *Factory, g *Globals, runF func(*RegionsOptions) error) *cobra.Command {
	opts := &RegionsOptions{IO: f.IO, Env: func() *app.Env { return f.Env(g) }}
	cmd := &cobra.Command{
		Use:   "regions",
		Short: "List the regions a change touches (for CI to preview)",
		Long: "regions compares the working tree with a base commit and lists the regions a change\n" +
			"touches: a changed region file selects its region; a change to the program (stacks/,\n" +
			"internal/, cmd/, tools/, go.mod) or to jurisdictions.yaml selects every region; a\n" +
			"deleted region file is listed for teardown, never acted on. With --json it prints a\n" +
			"GitHub Actions matrix of --shards jobs.",
		Example: "  regionctl regions\n  regionctl regions --changed-since origin/main --shards 4 --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.JSON = g.JSON
			if opts.Shards < 1 {
				return usagef("--shards must be 1 or more")
			}
			if runF != nil {
				return runF(opts)
			}
			return regionsRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Request.Since, "changed-since", "", "base ref to compare with (default: the merge base with the default branch)")
	cmd.Flags().IntVar(&opts.Shards, "shards", 1, "with --json: split the selected regions over this many matrix jobs")
	return cmd
}

// regionsMatrix is the JSON form: the selection and a GitHub Actions matrix
// (`strategy.matrix: ${{ fromJSON(needs.regions.outputs.matrix) }}`).
type regionsMatrix struct {
	*app.Affected
	Matrix struct {
		Include []app.Shard `json:"include"`
	} `json:"matrix"`
}

func regionsRun(opts *RegionsOptions) error {
	a, err := opts.Env().Affected(opts.Request)
	if err != nil {
		return err
	}
	if opts.JSON {
		m := regionsMatrix{Affected: a}
		if m.Matrix.Include, err = a.Shards(opts.Shards); err != nil {
			return &app.UsageError{Msg: err.Error()}
		}
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	}
	out := opts.IO.Out
	for _, id := range a.Regions {
		fmt.Fprintf(out, "%s\t%s\n", id, a.Why[id])
	}
	for _, id := range a.Teardown {
		fmt.Fprintf(out, "teardown: %s\t%s (CI never tears a region down: after review, `regionctl destroy %s`)\n", id, a.Why[id], id)
	}
	switch {
	case len(a.Regions) == 0 && len(a.Teardown) == 0:
		fmt.Fprintf(out, "no region touched since %s (%d skipped)\n", short(a.Base), a.Skipped)
	case a.Skipped > 0:
		fmt.Fprintf(out, "%d %s not touched, skipped\n", a.Skipped, plural(a.Skipped, "region", "regions"))
	}
	return nil
}

func short(commit string) string { return commit[:min(len(commit), 12)] }
