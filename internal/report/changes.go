package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/policy"
)

// ChangesJSON writes the result document of the CLI contract:
// {"regions":[{"name":..,"changes":{"create":N,"update":N,"replace":N,"delete":N,"same":N}}]},
// with each region's guardrail findings and waivers when reports has one for it.
func ChangesJSON(w io.Writer, results []engine.Result, reports []policy.Report) error {
	byRegion := map[string]policy.Report{}
	for _, r := range reports {
		byRegion[r.Region] = r
	}
	type regionJSON struct {
		Name            string         `json:"name"`
		Operation       string         `json:"operation"`
		Changes         engine.Changes `json:"changes"`
		Retained        int            `json:"retained,omitempty"`
		DurationSeconds float64        `json:"durationSeconds"`
		Outputs         map[string]any `json:"outputs,omitempty"`
		Error           string         `json:"error,omitempty"`
		*RegionPolicy
	}
	doc := struct {
		Regions []regionJSON `json:"regions"`
	}{Regions: []regionJSON{}}
	for _, r := range results {
		row := regionJSON{Name: r.Region, Operation: string(r.Op), Changes: r.Changes, Retained: r.Retained,
			DurationSeconds: r.Duration.Round(10 * time.Millisecond).Seconds(), Outputs: r.Outputs}
		if r.Err != nil {
			row.Error = r.Err.Error()
		}
		if rep, ok := byRegion[r.Region]; ok {
			fields := PolicyFields(rep)
			row.RegionPolicy = &fields
		}
		doc.Regions = append(doc.Regions, row)
	}
	return writeJSON(w, doc)
}

// ChangesTable writes one row per region: what changed (or would) and how long it took.
func ChangesTable(w io.Writer, results []engine.Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REGION\tCREATE\tUPDATE\tREPLACE\tDELETE\tSAME\tDURATION\tRESULT")
	for _, r := range results {
		status := "ok"
		switch {
		case errors.Is(r.Err, context.Canceled):
			status = "cancelled"
		case r.Err != nil:
			status = "failed"
		case r.Retained > 0:
			status = fmt.Sprintf("ok, %d retained", r.Retained)
		}
		c := r.Changes
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\n", r.Region, c.Create, c.Update, c.Replace, c.Delete, c.Same,
			r.Duration.Round(100*time.Millisecond), status)
	}
	return tw.Flush()
}
