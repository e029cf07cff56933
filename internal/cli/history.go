package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
)

// HistoryOptions are the inputs of `regionctl history`.
type HistoryOptions struct {
	IO      *IOStreams
	Env     func() *app.Env
	JSON    bool
	Request app.EngineRequest
}

func newHistoryCmd(f *Factory, g *Globals, runF func(*HistoryOptions) error) *cobra.Command {
	opts := &HistoryOptions{IO: f.IO, Env: func() *app.Env { return f.Env(g) }}
	cmd := &cobra.Command{
		Use:   "history REGION...",
		Short: "List the updates of a region from the ledger the backend keeps, newest first",
		Long: "List every update of a region as its state backend records it, newest first: when,\n" +
			"who, the commit and region file it applied (regionctl's ledger line), how it ended,\n" +
			"what it changed, and whether the region file in the working tree is the one it\n" +
			"applied. Updates regionctl did not make are listed as such. Works for a region\n" +
			"whose file is gone, and from any checkout that has the backend URL and passphrase.",
		Example:           "  regionctl history eu-west-1\n  regionctl history eu-west-1 --rehearse --json",
		Args:              cobra.MinimumNArgs(1),
		ValidArgsFunction: completeRegions(g),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON, opts.Request.StateURL, opts.Request.Regions = g.JSON, g.StateURL, args
			if runF != nil {
				return runF(opts)
			}
			return historyRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Request.Rehearse, "rehearse", false, "read the rehearsal state instead of the real one")
	return cmd
}

func historyRun(ctx context.Context, opts *HistoryOptions) error {
	histories, err := opts.Env().History(ctx, opts.Request)
	if opts.JSON {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(map[string]any{"regions": histories}); jerr != nil {
			return jerr
		}
		return err
	}
	for i, h := range histories {
		if len(histories) > 1 {
			if i > 0 {
				fmt.Fprintln(opts.IO.Out)
			}
			fmt.Fprintf(opts.IO.Out, "── %s ──\n", h.Region)
		}
		if werr := historyTable(opts.IO.Out, h); werr != nil {
			return werr
		}
	}
	return err
}

// historyTable is one region's ledger, one update a line.
func historyTable(w io.Writer, h app.RegionHistory) error {
	if len(h.Updates) == 0 {
		_, err := fmt.Fprintf(w, "%s: no updates recorded\n", h.Region)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tWHO\tOP\tCOMMIT\tFILE\tRESULT\tCHANGES (C/U/R/D)\tWORKING TREE")
	for _, u := range h.Updates {
		who, op, commit, file, tree := "-", u.Kind, "-", "-", "-"
		switch {
		case strings.HasPrefix(u.Message, "regionctl: "): // its bookkeeping (deletion protection)
			op = u.Message
		case u.Kind == "update":
			op = "update (not by regionctl: no ledger line)"
		}
		if l := u.Ledger; l != nil {
			who, op, commit, file, tree = l.By, l.Op, app.ShortCommit(l.Commit), shortHash(l.File), u.WorkingTree
			if l.Dirty {
				commit += " (dirty)"
			}
			if l.From != "" {
				op += " from " + app.ShortCommit(l.From)
			}
		}
		c := u.Changes
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d/%d/%d/%d\t%s\n", u.Start, who, op, commit, file, u.Result,
			c.Create, c.Update, c.Replace, c.Delete, tree)
	}
	if !h.HasFile {
		fmt.Fprintf(tw, "(%s has no region file in the working tree: `regionctl rollback %s --to REF` restores a commit's, `regionctl destroy %s` removes it)\n", h.Region, h.Region, h.Region)
	}
	return tw.Flush()
}

// shortHash is a ledger file hash as tables show it: its first 12 hex digits.
func shortHash(h string) string {
	hex := strings.TrimPrefix(h, "sha256:")
	return hex[:min(len(hex), 12)]
}
