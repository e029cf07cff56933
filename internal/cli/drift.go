package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/drift"
	"github.com/regionctl/regionctl/internal/engine"
)

// DriftOptions are the inputs of `regionctl drift`.
type DriftOptions struct {
	IO      *IOStreams
	Env     func() *app.Env
	JSON    bool
	All     bool
	Request app.EngineRequest
}

func newDriftCmd(f *Factory, g *Globals, runF func(*DriftOptions) error) *cobra.Command {
	opts := &DriftOptions{IO: f.IO, Env: func() *app.Env { return f.Env(g) }}
	cmd := &cobra.Command{
		Use:   "drift REGION... | --all",
		Short: "Find what changed in the cloud behind regionctl's back, without changing the state",
		Long: "Refresh-preview each region: read every resource from the cloud and compare it with\n" +
			"the state, without writing the state. The same drift in several regions is one row.\n" +
			"Each region's result is recorded on its stack (status shows it). A region made from\n" +
			"another (madeFrom:) is also compared with it, setting by setting, offline.\n" +
			"Exit 0: no drift; 7: drift found; 1: a region could not be checked.",
		Example:           "  regionctl drift --all\n  regionctl drift eu-west-1 --rehearse --json",
		ValidArgsFunction: completeRegions(g),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON, opts.Request.StateURL, opts.Request.Regions = g.JSON, g.StateURL, args
			if err := needRegions(cmd.Name(), opts.All, args); err != nil {
				return err
			}
			if err := checkEngineFlags(cmd, &opts.Request); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return driftRun(cmd.Context(), opts)
		},
	}
	engineFlags(cmd, &opts.All, &opts.Request, "check the rehearsal state against the stand-in provider (out-of-band changes: `regionctl rehearse change`)")
	return cmd
}

func driftRun(ctx context.Context, opts *DriftOptions) error {
	if opts.Request.Rehearse {
		fmt.Fprintf(opts.IO.ErrOut, "rehearsal: AWS is replaced by a local stand-in provider; no cloud resources are touched (state in %s)\n", engine.RehearsalDir)
	}
	out, err := opts.Env().Drift(ctx, opts.Request)
	if out == nil {
		return err
	}
	for _, w := range out.Warnings {
		fmt.Fprintf(opts.IO.ErrOut, "warning: %s\n", w)
	}
	var rerr error
	if opts.JSON {
		rerr = driftJSON(opts.IO.Out, out)
	} else {
		rerr = driftReport(opts.IO.Out, out)
	}
	return errors.Join(err, rerr)
}

// driftReport prints each region's count, the drift rows (state → cloud) with the
// regions each happened in, and the departures from source regions.
func driftReport(w io.Writer, o *app.DriftOutcome) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REGION\tDRIFTED\tCHECKED")
	for _, r := range o.Regions {
		switch {
		case r.Err != nil:
			fmt.Fprintf(tw, "%s\tnot checked\t-\n", r.Name)
		case r.NotDeployed:
			fmt.Fprintf(tw, "%s\tnot deployed\t-\n", r.Name)
		default:
			fmt.Fprintf(tw, "%s\t%d\t%s\n", r.Name, len(r.Resources), r.Checked.UTC().Format(time.RFC3339))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(o.Rows) > 0 {
		fmt.Fprintln(w, "\nDrift (what the state says → what the cloud has):")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "RESOURCE\tPROPERTY\tSTATE → CLOUD\tREGIONS")
		for _, row := range o.Rows {
			fmt.Fprintf(tw, "%s %s\t%s\t%s\t%s\n", row.Type, row.Name, dash(row.Property), changeText(row), strings.Join(row.Regions, ", "))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	} else if o.Drifted() == 0 {
		fmt.Fprintln(w, "\nNo drift: the cloud matches the state.")
	}
	if len(o.Departures) > 0 {
		fmt.Fprintln(w, "\nDepartures from the region each was made from (madeFrom; not drift, shown for review):")
		for _, d := range o.Departures {
			fmt.Fprintln(w, d.String())
		}
	}
	return nil
}

func changeText(r drift.Row) string {
	switch r.Kind {
	case drift.KindGone:
		return "exists → gone"
	case drift.KindAdded:
		return "(none) → " + drift.Value(r.Cloud)
	case drift.KindRemoved:
		return drift.Value(r.State) + " → (none)"
	}
	return drift.Value(r.State) + " → " + drift.Value(r.Cloud)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// driftDoc is the --json document of a drift check.
type driftDoc struct {
	Regions    []driftRegionDoc  `json:"regions"`
	Drift      []drift.Row       `json:"drift"`
	Departures []drift.Departure `json:"departures"`
	Drifted    int               `json:"drifted"`
}

type driftRegionDoc struct {
	Name        string           `json:"name"`
	Checked     string           `json:"checked,omitempty"`
	NotDeployed bool             `json:"notDeployed,omitempty"`
	Drifted     int              `json:"drifted"`
	Resources   []drift.Resource `json:"resources"`
	Error       string           `json:"error,omitempty"`
}

func driftJSON(w io.Writer, o *app.DriftOutcome) error {
	doc := driftDoc{Regions: []driftRegionDoc{}, Drift: o.Rows, Departures: o.Departures, Drifted: o.Drifted()}
	if doc.Drift == nil {
		doc.Drift = []drift.Row{}
	}
	if doc.Departures == nil {
		doc.Departures = []drift.Departure{}
	}
	for _, r := range o.Regions {
		rd := driftRegionDoc{Name: r.Name, NotDeployed: r.NotDeployed, Drifted: len(r.Resources), Resources: r.Resources}
		if rd.Resources == nil {
			rd.Resources = []drift.Resource{}
		}
		if !r.Checked.IsZero() {
			rd.Checked = r.Checked.UTC().Format(time.RFC3339)
		}
		if r.Err != nil {
			rd.Error = r.Err.Error()
		}
		doc.Regions = append(doc.Regions, rd)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// driftText is status's DRIFT column: the last drift check, from the stack's tag.
func driftText(d *drift.Last) string {
	switch {
	case d == nil:
		return "-"
	case d.Drifted == 0:
		return "none (" + d.Checked + ")"
	}
	return fmt.Sprintf("%d drifted (%s)", d.Drifted, d.Checked)
}
