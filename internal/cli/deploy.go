package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/engine/rehearsal"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/report"
)

// DeployOptions are the inputs of preview, up, destroy and refresh.
type DeployOptions struct {
	IO      *IOStreams
	Env     func() *app.Env
	Op      engine.Operation
	JSON    bool
	All     bool
	Request app.EngineRequest
	// Review writes the preview as the pull-request comment (preview only).
	Review ReviewOutputs
	// Waves rolls out in the waves of regions/fleet.yaml (up --all only).
	Waves bool
}

// parallelFlag is --parallel: a whole number of regions at once, with our own message.
type parallelFlag struct{ n *int }

func (p parallelFlag) String() string { return strconv.Itoa(*p.n) }
func (p parallelFlag) Type() string   { return "int" }
func (p parallelFlag) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return fmt.Errorf("%q is not a number of regions; give a whole number, 1 or more (0 or none: %d on this machine)", s, engine.DefaultParallel())
	}
	*p.n = n
	return nil
}

var _ pflag.Value = parallelFlag{}

// stageFlag is --stage: one of the stages of a bring-up, with our own message.
type stageFlag struct{ s *app.Stage }

func (f stageFlag) String() string { return string(*f.s) }
func (f stageFlag) Type() string   { return "stage" }
func (f stageFlag) Set(v string) error {
	st, err := app.ParseStage(v)
	if err != nil {
		return err
	}
	*f.s = st
	return nil
}

var _ pflag.Value = stageFlag{}

// newDeployCmd builds one of the engine commands; the flags each takes differ.
func newDeployCmd(f *Factory, g *Globals, op engine.Operation, runF func(*DeployOptions) error) *cobra.Command {
	opts := &DeployOptions{IO: f.IO, Op: op, Env: func() *app.Env { return f.Env(g) }}
	cmd := &cobra.Command{
		Use:               string(op) + " REGION... | --all",
		Short:             deployShort[op],
		Long:              deployLong[op],
		Example:           fmt.Sprintf("  regionctl %s eu-west-1 --rehearse\n  regionctl %s --all --parallel 2", op, op),
		ValidArgsFunction: completeRegions(g),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON, opts.Request.StateURL, opts.Request.Regions = g.JSON, g.StateURL, args
			if err := needRegions(cmd.Name(), opts.All, args); err != nil {
				return err
			}
			if err := checkEngineFlags(cmd, &opts.Request); err != nil {
				return err
			}
			if err := opts.Review.check(); err != nil {
				return err
			}
			if opts.Request.Staged && opts.Request.Stage != "" {
				return usagef("use --stage %s or --staged, not both (--staged runs every stage in turn)", opts.Request.Stage)
			}
			if err := checkWaves(opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return deployRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	engineFlags(cmd, &opts.All, &opts.Request, "use the local rehearsal provider instead of AWS (no cloud resources are touched)")
	fl.BoolVar(&opts.Request.Diff, "diff", false, "show the engine's property-level diff per region")
	if op != engine.Destroy && op != engine.Refresh {
		fl.BoolVar(&opts.Request.ExpectNoChanges, "expect-no-changes", false, "exit 5 when anything would change")
	}
	if op == engine.Preview {
		opts.Review.flags(cmd, true)
	}
	if op != engine.Preview {
		fl.BoolVar(&opts.Request.Yes, "yes", false, "do not ask for confirmation (required when not on a terminal)")
	}
	if op == engine.Preview || op == engine.Up {
		fl.Var(stageFlag{&opts.Request.Stage}, "stage", "only the resources of the stages up to this one: network (the key and the network), data (data stores, queues, buckets) or app (the rest: the whole region)")
	}
	if op == engine.Up {
		fl.BoolVar(&opts.Request.Staged, "staged", false, "bring the region up stage by stage (network, data, app), each checked and applied on its own; run again to resume after a failure")
		fl.BoolVar(&opts.Waves, "waves", false, "with --all: roll out in the waves of regions/fleet.yaml, baking and checking health between waves")
	}
	if op == engine.Destroy {
		fl.BoolVar(&opts.Request.Unprotect, "unprotect", false, "remove protection from stateful resources so they can be destroyed")
	}
	return cmd
}

var deployShort = map[engine.Operation]string{
	engine.Preview: "Show what up would change, through the real engine",
	engine.Up:      "Create or update regions",
	engine.Destroy: "Delete every resource of regions",
	engine.Refresh: "Read the real state of regions' resources into the state backend",
}

var deployLong = map[engine.Operation]string{
	engine.Preview: "Run the region program through the Pulumi engine and report what would be created,\n" +
		"updated, replaced or deleted, without changing anything, then check the guardrails.",
	engine.Up: "Preview each region and check it; on a terminal, show the changes and ask; then\n" +
		"apply them. Regions run in parallel; a failed region does not stop the others.",
	engine.Destroy: "Delete every resource of the named regions (also a region whose file is gone).\n" +
		"Protected resources (databases, caches, buckets, keys, queues) are refused unless\n" +
		"--unprotect is given; retained ones stay in the cloud and are listed.",
	engine.Refresh: "Compare the state backend with the real resources and record any drift. Operations\n" +
		"an interrupted run left pending are cleared, and the ones that may have created a\n" +
		"resource are listed so you can find it.",
}

// engineFlags are the flags of every command that runs the engine over regions:
// --all, --rehearse (its help says what it does for this command), --latency-scale and
// --parallel.
func engineFlags(cmd *cobra.Command, all *bool, req *app.EngineRequest, rehearseHelp string) {
	fl := cmd.Flags()
	fl.BoolVar(all, "all", false, "every region in the regions folder")
	fl.BoolVar(&req.Rehearse, "rehearse", false, rehearseHelp)
	fl.Float64Var(&req.LatencyScale, "latency-scale", rehearsal.DefaultLatencyScale,
		"with --rehearse: how slowly the stand-in provider creates, as a fraction of AWS's typical times (sqrt-compressed; 0 = instant)")
	fl.Var(parallelFlag{&req.Parallel}, "parallel", fmt.Sprintf("regions at once (default: one per CPU, at least 2; %d here)", engine.DefaultParallel()))
}

// checkEngineFlags rejects engine flags that do not go together.
func checkEngineFlags(cmd *cobra.Command, req *app.EngineRequest) error {
	if cmd.Flags().Changed("latency-scale") && (!req.Rehearse || req.LatencyScale < 0) {
		return usagef("--latency-scale needs --rehearse and a value of 0 or more")
	}
	return nil
}

// needRegions rejects a command line that names no region, or names some and --all.
func needRegions(command string, all bool, args []string) error {
	switch {
	case all && len(args) > 0:
		return usagef("name regions or use --all, not both")
	case !all && len(args) == 0:
		return usagef("name at least one region (regionctl %s eu-west-1) or use --all", command)
	}
	return nil
}

func deployRun(ctx context.Context, opts *DeployOptions) error {
	env := opts.Env()
	errOut := opts.IO.ErrOut
	if opts.Request.Rehearse {
		fmt.Fprintf(errOut, "rehearsal: AWS is replaced by a local stand-in provider; no cloud resources are touched (state in %s)\n", engine.RehearsalDir)
	}
	opts.Request.Review = func(o *app.Outcome) error { return showPreview(opts.IO, o) }
	opts.Request.StageDone = func(r app.StageResult) { fmt.Fprintln(errOut, stageLine(r)) }
	var out *app.Outcome
	var err error
	switch opts.Op {
	case engine.Preview:
		out, err = env.Preview(ctx, opts.Request)
	case engine.Up:
		if opts.Waves {
			return rolloutRun(ctx, opts, env)
		}
		out, err = env.Apply(ctx, opts.Request)
	case engine.Destroy:
		out, err = env.Destroy(ctx, opts.Request)
	case engine.Refresh:
		out, err = env.Refresh(ctx, opts.Request)
	}
	if out == nil {
		return err
	}
	if rerr := render(opts, out); rerr != nil {
		return rerr
	}
	if opts.Op == engine.Preview {
		if gerr := opts.Review.write(app.ReviewOf(out)); gerr != nil {
			err = errors.Join(err, gerr)
		}
	}
	if opts.Request.Rehearse && err == nil {
		fmt.Fprintln(errOut, "rehearsal: done; no cloud resources were touched")
	}
	return err
}

// showPreview shows a preview on stderr before the question that confirms it.
func showPreview(ios *IOStreams, o *app.Outcome) error {
	if err := report.StepsText(ios.ErrOut, o.Results); err != nil {
		return err
	}
	if len(o.Reports) > 0 {
		fmt.Fprintln(ios.ErrOut)
		return report.PolicyText(ios.ErrOut, o.Reports)
	}
	return nil
}

// render writes the outcome: the JSON document, or the engine's diffs, the table and
// the guardrail findings; what a refresh cleared goes to stderr as notes.
func render(opts *DeployOptions, o *app.Outcome) error {
	w := opts.IO.Out
	for _, warning := range o.Warnings {
		fmt.Fprintf(opts.IO.ErrOut, "warning: %s\n", warning)
	}
	for region, ops := range o.Cleared {
		fmt.Fprintf(opts.IO.ErrOut, "%s: cleared %s\n", region, clearedText(ops))
	}
	if opts.JSON {
		return report.ChangesJSON(w, o.Results, o.Reports, o.Cleared)
	}
	for _, r := range o.Results {
		if opts.Request.Diff && r.Diff != "" {
			fmt.Fprintf(w, "── %s ──\n%s\n", r.Region, strings.TrimRight(r.Diff, "\n"))
		}
	}
	if err := report.ChangesTable(w, o.Results); err != nil {
		return err
	}
	if len(o.Reports) > 0 {
		fmt.Fprintln(w)
		return report.PolicyText(w, o.Reports)
	}
	return nil
}

// clearedText says which interrupted operations a refresh dropped and what to check.
func clearedText(ops []manifest.PendingOperation) string {
	var creates []string
	for _, op := range ops {
		if op.Op == "creating" {
			creates = append(creates, op.Type+" "+op.Name)
		}
	}
	s := fmt.Sprintf("%d interrupted %s from the state", len(ops), plural(len(ops), "operation", "operations"))
	if len(creates) > 0 {
		s += fmt.Sprintf("; the interrupted create of %s may have made a resource the state does not track: "+
			"look for it in AWS (tagged managed-by: regionctl) and delete it, or import it", strings.Join(creates, ", "))
	}
	return s
}

// stageLine is the progress line of one stage of a staged up of one region.
func stageLine(r app.StageResult) string {
	head := fmt.Sprintf("%s: stage %s: ", r.Region, r.Stage)
	var declined *app.NotConfirmedError
	switch {
	case errors.As(r.Err, &declined):
		return head + "not confirmed, stopped here"
	case r.Err != nil:
		return head + "failed ✗"
	}
	c := r.Changes
	var done []string
	for _, n := range []struct {
		n    int
		verb string
	}{{c.Create, "created"}, {c.Update, "updated"}, {c.Replace, "replaced"}, {c.Delete, "deleted"}, {c.Protect, "protected again"}} {
		if n.n > 0 {
			done = append(done, fmt.Sprintf("%d %s", n.n, n.verb))
		}
	}
	if len(done) == 0 {
		return head + "nothing to change ✓"
	}
	return head + strings.Join(done, ", ") + " ✓"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
