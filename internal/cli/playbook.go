package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/estimate"
	"github.com/regionctl/regionctl/internal/playbook"
	reportpkg "github.com/regionctl/regionctl/internal/report"
)

// PlaybookOptions are the inputs of `regionctl playbook`.
type PlaybookOptions struct {
	IO      *IOStreams
	Env     func() *app.Env
	JSON    bool
	Request app.SignOffRequest
}

func newPlaybookCmd(f *Factory, g *Globals, runF func(*PlaybookOptions) error) *cobra.Command {
	opts := &PlaybookOptions{IO: f.IO, Env: func() *app.Env { return f.Env(g) }}
	cmd := &cobra.Command{
		Use:   "playbook REGION",
		Short: "Walk the new-region checklist with the region's real state",
		Long: "playbook runs the checks of every step of the new-region runbook (playbook/steps.yaml)\n" +
			"against the region: its file, the preflight, the guardrails, then (with the state\n" +
			"backend, or --rehearse) the engine's preview, the deployed stack and its outputs. Each\n" +
			"step is done, pending or failed, with why. Steps a person judges are signed off with\n" +
			"--sign STEP (recorded in playbook/signoffs/REGION.yaml, to commit). Run it again at\n" +
			"any time: it resumes where the region stands.",
		Example: "  regionctl playbook ap-northeast-1 --offline\n" +
			"  regionctl playbook ap-northeast-1 --state s3://regionctl-state\n" +
			"  regionctl playbook ap-northeast-1 --sign config --note \"reviewed in #1234\"",
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: completeRegions(g),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON = g.JSON
			p := &opts.Request.Playbook
			p.Region, p.Engine.StateURL = args[0], g.StateURL
			if p.Offline && p.Engine.Rehearse {
				return usagef("--offline skips the engine's steps; --rehearse walks them in a rehearsal: choose one")
			}
			if opts.Request.Step == "" && (opts.Request.Note != "" || opts.Request.By != "") {
				return usagef("--note and --by go with --sign STEP")
			}
			if runF != nil {
				return runF(opts)
			}
			return playbookRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.Request.Playbook.Offline, "offline", false, "skip the steps that need the state backend (they stay pending)")
	fl.BoolVar(&opts.Request.Playbook.Engine.Rehearse, "rehearse", false, "walk the engine's steps against the rehearsal (no cloud)")
	fl.BoolVar(&opts.Request.Playbook.Live, "live", false, "the preflight asks the account (credentials), as preflight --live")
	fl.StringVar(&opts.Request.Step, "sign", "", "record `STEP` as done by you (once its check passes and the steps before it are done)")
	fl.StringVar(&opts.Request.Note, "note", "", "with --sign: what was decided or checked (who reviewed, the features off at launch, the rollback time)")
	fl.StringVar(&opts.Request.By, "by", "", "with --sign: who signs (default: the git identity of the checkout)")
	return cmd
}

func playbookRun(ctx context.Context, opts *PlaybookOptions) error {
	env := opts.Env()
	env.NewProgress = nil // the steps' engine runs are checks, not changes to follow
	var report *app.PlaybookReport
	var err error
	if opts.Request.Step != "" {
		report, err = env.SignOff(ctx, opts.Request)
	} else {
		report, err = env.Playbook(ctx, opts.Request.Playbook)
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	return playbookText(opts.IO, report)
}

var stepMark = map[playbook.Status]string{playbook.Done: "✓ done   ", playbook.Pending: "· pending", playbook.Failed: "✗ failed "}

func playbookText(ios *IOStreams, report *app.PlaybookReport) error {
	var b strings.Builder
	fmt.Fprintf(&b, "playbook %s (sign-offs: %s)\n", report.Region, report.Signoffs)
	for i, r := range report.Results {
		fmt.Fprintf(&b, "%2d. %s  %s", i+1, stepMark[r.Status], r.Step.Title)
		if r.Detail != "" {
			b.WriteString(": " + r.Detail)
		}
		if s := r.Signoff; s != nil {
			fmt.Fprintf(&b, "; signed off by %s on %s", s.By, s.At.Format("2006-01-02 15:04 MST"))
			if s.Note != "" {
				fmt.Fprintf(&b, " (%s)", s.Note)
			}
		}
		b.WriteString("\n")
		if r.Status != playbook.Done && r.Fix != "" {
			fmt.Fprintf(&b, "      next: %s\n", strings.ReplaceAll(r.Fix, "REGION", report.Region))
		}
	}
	if report.Estimate != nil {
		if err := reportpkg.EstimateText(&b, []estimate.Estimate{*report.Estimate}); err != nil {
			return err
		}
	}
	if n := playbook.Next(report.Results); n != nil {
		fmt.Fprintf(&b, "next step: %s (%s)\n", n.Step.Title, n.Step.ID)
	} else {
		b.WriteString("every step is done: the region is launched\n")
	}
	_, err := fmt.Fprint(ios.Out, b.String())
	return err
}
