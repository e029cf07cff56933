package report

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/policy"
)

// ChangesJSON writes the result document of the CLI contract:
// {"regions":[{"name":..,"changes":{"create":N,"update":N,"replace":N,"delete":N,"same":N}}]},
// with each region's guardrail findings and waivers when reports has one for it, what
// a destroy retained in the cloud, and operations left pending in the state.
func ChangesJSON(w io.Writer, results []manifest.Result, reports []policy.Report, cleared map[string][]manifest.PendingOperation) error {
	byRegion := map[string]policy.Report{}
	for _, r := range reports {
		byRegion[r.Region] = r
	}
	type regionJSON struct {
		Name            string                      `json:"name"`
		Operation       string                      `json:"operation"`
		Changes         manifest.Changes            `json:"changes"`
		Retained        []manifest.StateResource    `json:"retained,omitempty"`
		Pending         []manifest.PendingOperation `json:"pending,omitempty"`
		Cleared         []manifest.PendingOperation `json:"cleared,omitempty"`
		DurationSeconds float64                     `json:"durationSeconds"`
		Outputs         map[string]any              `json:"outputs,omitempty"`
		Error           string                      `json:"error,omitempty"`
		*RegionPolicy
	}
	doc := struct {
		Regions []regionJSON `json:"regions"`
	}{Regions: []regionJSON{}}
	for _, r := range results {
		row := regionJSON{Name: r.Region, Operation: string(r.Op), Changes: r.Changes, Retained: r.Retained, Pending: r.Pending,
			Cleared: cleared[r.Region], DurationSeconds: r.Duration.Round(10 * time.Millisecond).Seconds(), Outputs: r.Outputs}
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
func ChangesTable(w io.Writer, results []manifest.Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REGION\tCREATE\tUPDATE\tREPLACE\tDELETE\tSAME\tDURATION\tRESULT")
	for _, r := range results {
		status := "ok"
		switch {
		case errors.Is(r.Err, context.Canceled):
			status = "cancelled"
		case r.Err != nil:
			status = "failed"
		case len(r.Retained) > 0:
			status = fmt.Sprintf("ok, %d retained", len(r.Retained))
		case r.Changes.Protect > 0 && r.Op == "preview":
			status = fmt.Sprintf("ok, %d to re-protect", r.Changes.Protect)
		case r.Changes.Protect > 0:
			status = fmt.Sprintf("ok, %d re-protected", r.Changes.Protect)
		}
		c := r.Changes
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\n", r.Region, c.Create, c.Update, c.Replace, c.Delete, c.Same,
			r.Duration.Round(100*time.Millisecond), status)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return retainedText(w, results)
}

// retainedText lists what a destroy took out of the state but left in the cloud, with
// the ids to find it by: it is not deleted, and costs money until someone deletes it.
func retainedText(w io.Writer, results []manifest.Result) error {
	for _, r := range results {
		if len(r.Retained) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s: retained in the cloud, not deleted (delete them in AWS when their data is no longer needed):\n", r.Region)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		var billed []string
		for _, res := range r.Retained {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", res.Type, res.Name, res.ID)
			if res.Billed != "" {
				billed = append(billed, res.Name+": "+res.Billed)
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if len(billed) > 0 {
			fmt.Fprintf(w, "  still billed until deleted: %s; the network pieces kept for them (VPC, subnets, security groups, subnet and parameter groups) cost nothing\n",
				strings.Join(billed, "; "))
		}
	}
	return nil
}

// StepsText lists each region's changed resources, destructive first, the way a person
// reviews a preview before confirming it.
func StepsText(w io.Writer, results []manifest.Result) error {
	order := []struct {
		op   manifest.Op
		mark string
	}{{manifest.OpDelete, "-"}, {manifest.OpReplace, "+-"}, {manifest.OpUpdate, "~"}, {manifest.OpCreate, "+"}}
	for _, r := range results {
		if !r.Changes.Pending() {
			continue
		}
		fmt.Fprintf(w, "%s: %s\n", r.Region, summary(r.Changes))
		for _, o := range order {
			for _, res := range r.Steps.Resources {
				if res.Op != o.op || !res.Custom && o.op != manifest.OpDelete {
					continue
				}
				why := ""
				if o.op == manifest.OpReplace && len(res.ReplaceKeys) > 0 {
					why = fmt.Sprintf(" (%s)", joinComma(res.ReplaceKeys))
				}
				fmt.Fprintf(w, "  %-2s %s %s%s\n", o.mark, res.Type, res.Name, why)
			}
		}
		for _, res := range r.Steps.Resources {
			if res.Unprotected {
				fmt.Fprintf(w, "  !  %s %s (protection lost; restored)\n", res.Type, res.Name)
			}
		}
	}
	return nil
}

func summary(c manifest.Changes) string {
	s := fmt.Sprintf("%d to create, %d to update, %d to replace, %d to delete", c.Create, c.Update, c.Replace, c.Delete)
	if c.Protect > 0 {
		s += fmt.Sprintf(", %d to re-protect", c.Protect)
	}
	return s
}

func joinComma(items []string) string {
	s := ""
	for i, it := range items {
		if i > 0 {
			s += ", "
		}
		s += it
	}
	return s
}
