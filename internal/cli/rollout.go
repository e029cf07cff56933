package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/rollout"
)

// checkWaves rejects the flags --waves cannot go with: it rolls out every region of
// the fleet file, and applies.
func checkWaves(opts *DeployOptions) error {
	switch {
	case !opts.Waves:
		return nil
	case !opts.All:
		return usagef("--waves rolls out every region of %s/fleet.yaml: use it with --all, not with region names", "regions")
	case opts.Request.ExpectNoChanges:
		return usagef("--waves applies changes; --expect-no-changes is for preview and up without --waves")
	case opts.Request.Staged || opts.Request.Stage != "":
		return usagef("--waves rolls a change out to deployed regions; --stage and --staged bring up a new region: use one or the other")
	}
	return nil
}

// rolloutRun is up --all --waves: progress on stderr, the table (or JSON) on stdout.
func rolloutRun(ctx context.Context, opts *DeployOptions, env *app.Env) error {
	errOut := opts.IO.ErrOut
	req := app.RolloutRequest{EngineRequest: opts.Request, Log: func(line string) { fmt.Fprintln(errOut, line) }}
	o, err := env.Rollout(ctx, req)
	if o == nil {
		return err
	}
	if o.Outcome == nil {
		// The preview of every region stopped it: nothing moved; show it as a preview.
		if o.Preview != nil && o.Preview.Results != nil {
			if rerr := render(opts, o.Preview); rerr != nil {
				return rerr
			}
		}
		return err
	}
	if opts.JSON {
		if jerr := rolloutJSON(opts, o.Outcome); jerr != nil {
			return jerr
		}
	} else if terr := rolloutTable(opts, o.Outcome); terr != nil {
		return terr
	}
	if opts.Request.Rehearse && err == nil {
		fmt.Fprintln(errOut, "rehearsal: done; no cloud resources were touched")
	}
	return err
}

func rolloutTable(opts *DeployOptions, o *rollout.Outcome) error {
	tw := tabwriter.NewWriter(opts.IO.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "REGION\tWAVE\tSTATUS\tCHANGES\tHEALTH")
	for _, r := range o.Regions {
		wave := r.Wave
		if wave == "" {
			wave = "-"
		}
		health := strings.Join(append(append([]string(nil), r.Health.Checked...), r.Health.Problems...), "; ")
		if health == "" {
			health = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.Region, wave, r.Status, changesText(r), health)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if o.Stopped != "" {
		fmt.Fprintf(opts.IO.Out, "\nstopped after wave %s; later waves were not started\n", o.Stopped)
	}
	if cmd := o.RollbackCommand(); cmd != "" {
		fmt.Fprintf(opts.IO.Out, "roll back what changed: %s\n", cmd)
	}
	return nil
}

// changesText is what a region's up did, or what its preview planned when nothing ran.
func changesText(r rollout.RegionResult) string {
	c := r.Changes
	if r.Status == rollout.StatusNotInWave {
		return "-"
	}
	var parts []string
	for _, p := range []struct {
		n    int
		verb string
	}{{c.Create, "create"}, {c.Update, "update"}, {c.Replace, "replace"}, {c.Delete, "delete"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.verb))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	s := strings.Join(parts, ", ")
	if r.Status == rollout.StatusNotStarted {
		s += " (pending)"
	}
	return s
}

type rolloutRegionJSON struct {
	Name    string           `json:"name"`
	Wave    string           `json:"wave"`
	Status  string           `json:"status"`
	Changes manifest.Changes `json:"changes"`
	Health  []string         `json:"health"`
	Error   string           `json:"error,omitempty"`
}

func rolloutJSON(opts *DeployOptions, o *rollout.Outcome) error {
	doc := struct {
		Regions  []rolloutRegionJSON `json:"regions"`
		Stopped  string              `json:"stopped,omitempty"`
		Rollback string              `json:"rollback,omitempty"`
	}{Regions: []rolloutRegionJSON{}, Stopped: o.Stopped, Rollback: o.RollbackCommand()}
	for _, r := range o.Regions {
		row := rolloutRegionJSON{Name: r.Region, Wave: r.Wave, Status: r.Status, Changes: r.Changes,
			Health: append(append([]string{}, r.Health.Checked...), r.Health.Problems...)}
		if r.Err != nil {
			row.Error = r.Err.Error()
		}
		doc.Regions = append(doc.Regions, row)
	}
	enc := json.NewEncoder(opts.IO.Out)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
