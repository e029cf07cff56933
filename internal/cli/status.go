package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
)

// StatusOptions are the inputs of `regionctl status`.
type StatusOptions struct {
	IO      *IOStreams
	Env     func() *app.Env
	JSON    bool
	Request app.EngineRequest
}

func newStatusCmd(f *Factory, g *Globals, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{IO: f.IO, Env: func() *app.Env { return f.Env(g) }}
	cmd := &cobra.Command{
		Use:   "status [REGION...]",
		Short: "Show each region's deployed state (all regions when none is named)",
		Long: "List every region: the region files, deployed or not, and stacks the backend holds\n" +
			"whose region file is gone. Reads the backend's stack list once; needs no passphrase.\n" +
			"Operations an interrupted run left unfinished are shown (clear them with refresh).",
		Example:           "  regionctl status\n  regionctl status eu-west-1 --rehearse",
		ValidArgsFunction: completeRegions(g),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON, opts.Request.StateURL, opts.Request.Regions = g.JSON, g.StateURL, args
			if runF != nil {
				return runF(opts)
			}
			return statusRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Request.Rehearse, "rehearse", false, "read the rehearsal state instead of the real one")
	return cmd
}

func statusRun(ctx context.Context, opts *StatusOptions) error {
	statuses, err := opts.Env().Status(ctx, opts.Request)
	if err != nil {
		return err
	}
	var failed []error
	for _, s := range statuses {
		if s.Err != nil {
			failed = append(failed, s.Err)
		}
	}
	if opts.JSON {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"regions": statuses}); err != nil {
			return err
		}
		return errors.Join(failed...)
	}
	tw := tabwriter.NewWriter(opts.IO.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REGION\tSTATE\tRESOURCES\tLAST UPDATE\tLAST UP BY\tCOMMIT\tREGION FILE\tDRIFT\tWAIVERS\tALARMS")
	for _, s := range statuses {
		last := s.LastUpdate
		if last == "" {
			last = "-"
		}
		by, commit, file := ledgerText(s.LastUp)
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.Region, stateText(s), s.Resources, last, by, commit, file, driftText(s.Drift), exceptionsText(s.Exceptions), alarmText(s.Alarms))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range statuses {
		if a := s.Alarms; a != nil && !a.Reaches() {
			why := "no subscription"
			if len(a.Pending) > 0 {
				why = "only " + strings.Join(a.Pending, ", ") + ", pending until someone follows the link AWS mailed (then run `regionctl refresh " + s.Region + "`)"
			}
			fmt.Fprintf(opts.IO.Out, "%s: alarms reach nobody: %s; add alarms.https (a paging endpoint that confirms itself)\n", s.Region, why)
		}
		for _, op := range s.Pending {
			fmt.Fprintf(opts.IO.Out, "%s: interrupted while %s %s %s; run `regionctl refresh %s` to check and clear it\n",
				s.Region, op.Op, op.Type, op.Name, s.Region)
		}
	}
	return errors.Join(failed...)
}

// alarmText says whom a region's alarms reach, as of the last up or refresh.
func alarmText(a *app.AlarmReach) string {
	switch {
	case a == nil:
		return "-"
	case len(a.Confirmed)+len(a.Pending) == 0:
		return "none"
	}
	var parts []string
	if len(a.Confirmed) > 0 {
		parts = append(parts, "confirmed: "+strings.Join(a.Confirmed, ", "))
	}
	if len(a.Pending) > 0 {
		parts = append(parts, "pending: "+strings.Join(a.Pending, ", "))
	}
	return strings.Join(parts, "; ")
}

func stateText(s app.RegionStatus) string {
	switch {
	case s.Err != nil:
		return "unreadable"
	case s.UpdateInProgress:
		return "updating"
	case len(s.Pending) > 0:
		return fmt.Sprintf("interrupted (%d pending)", len(s.Pending))
	case !s.HasFile && s.Deployed:
		return "deployed, no region file: destroy it or restore the file"
	case s.Deployed:
		return "deployed"
	}
	return "not deployed"
}

// ledgerText is the last up regionctl recorded: who and when, which commit (and how it
// ended, when not well), and whether the working tree's region file is the one applied.
// exceptionsText is the WAIVERS column: how many waivers and allowances, and when
// the next expires.
func exceptionsText(x *app.Exceptions) string {
	if x == nil {
		return "-"
	}
	var parts []string
	if x.Waivers > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", x.Waivers, plural(x.Waivers, "waiver", "waivers")))
	}
	if x.Allowances > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", x.Allowances, plural(x.Allowances, "allowance", "allowances")))
	}
	s := strings.Join(parts, ", ")
	if x.Expired > 0 {
		s += fmt.Sprintf(" (%d expired)", x.Expired)
	}
	if x.NextExpiry != "" {
		s += " (next expires " + x.NextExpiry + ")"
	}
	return s
}

func ledgerText(h *app.HistoryEntry) (by, commit, file string) {
	if h == nil {
		return "-", "-", "-"
	}
	l := h.Ledger
	by, commit = l.By+" at "+h.Start, app.ShortCommit(l.Commit)
	if l.Dirty {
		commit += " (dirty)"
	}
	if l.Op == app.LedgerRollback {
		commit += " (rollback)"
	}
	if h.Result != "succeeded" {
		commit += " (" + h.Result + ")"
	}
	file = "applied"
	switch h.WorkingTree {
	case app.FileDiffers:
		file = "differs from applied"
	case app.FileMissing:
		file = "gone"
	}
	return by, commit, file
}
