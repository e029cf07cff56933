package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/policy"
	"github.com/regionctl/regionctl/internal/report"
	"github.com/regionctl/regionctl/internal/spec"
)

// Runner drives the real engine; tests use a fake.
type Runner interface {
	Run(ctx context.Context, op engine.Operation, regions []*spec.Region) []engine.Result
}

// DeployOptions are the inputs of preview, up, destroy and refresh.
type DeployOptions struct {
	IO              *IOStreams
	Op              engine.Operation
	RegionsDir      string
	StateURL        string
	JSON            bool
	All             bool
	Rehearse        bool
	Diff            bool
	ExpectNoChanges bool
	Yes             bool
	Unprotect       bool
	Parallel        int
	Regions         []string

	// Guardrails checks previewed resources before up applies them; nil leaves them unchecked.
	Guardrails Guardrails
	// NewRunner builds the engine runner once the flags are known.
	NewRunner func(engine.Settings) (Runner, error)
	Getenv    func(string) string
	Now       func() time.Time
}

// newDeployCmd builds one of the engine commands; the flags each takes differ.
func newDeployCmd(ios *IOStreams, g *Globals, op engine.Operation, runF func(*DeployOptions) error) *cobra.Command {
	opts := &DeployOptions{IO: ios, Op: op, NewRunner: realRunner, Getenv: os.Getenv, Now: time.Now,
		Guardrails: evaluateGuardrails(time.Now)}
	cmd := &cobra.Command{
		Use:     string(op) + " REGION... | --all",
		Short:   deployShort[op],
		Long:    deployLong[op],
		Example: fmt.Sprintf("  regionctl %s eu-west-1 --rehearse\n  regionctl %s --all --parallel 2", op, op),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.RegionsDir, opts.JSON, opts.StateURL, opts.Regions = g.RegionsDir, g.JSON, g.StateURL, args
			if err := needRegions(cmd.Name(), opts.All, args); err != nil {
				return err
			}
			if opts.Parallel < 0 {
				return &exitError{code: ExitFailure, err: errors.New("--parallel must be 0 (all at once) or more")}
			}
			if runF != nil {
				return runF(opts)
			}
			return deployRun(cmd.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.All, "all", false, "every region in the regions folder")
	f.BoolVar(&opts.Rehearse, "rehearse", false, "use the local rehearsal provider instead of AWS (no cloud resources are touched)")
	f.IntVar(&opts.Parallel, "parallel", 0, "regions at once (0: all)")
	f.BoolVar(&opts.Diff, "diff", false, "show the engine's property-level diff per region")
	if op != engine.Destroy {
		f.BoolVar(&opts.ExpectNoChanges, "expect-no-changes", false, "exit 5 when anything would change")
	}
	if op == engine.Up || op == engine.Destroy || op == engine.Refresh {
		f.BoolVar(&opts.Yes, "yes", false, "do not ask for confirmation (required when not on a terminal)")
	}
	if op == engine.Destroy {
		f.BoolVar(&opts.Unprotect, "unprotect", false, "remove protection from stateful resources so they can be destroyed")
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
		"updated, replaced or deleted, without changing anything.",
	engine.Up: "Preview each region, check it, then apply the changes. Regions run in parallel;\n" +
		"a failed region does not stop the others.",
	engine.Destroy: "Delete every resource of the named regions. Protected resources (databases, caches,\n" +
		"buckets, keys, queues) are refused unless --unprotect is given; retained ones stay in the cloud.",
	engine.Refresh: "Compare the state backend with the real resources and record any drift.",
}

// realRunner finds the Pulumi CLI and builds the Automation API runner.
func realRunner(s engine.Settings) (Runner, error) {
	cmd, err := engine.FindPulumi()
	if err != nil {
		return nil, err
	}
	s.Pulumi = cmd
	return &engine.Automation{Settings: s}, nil
}

func deployRun(ctx context.Context, opts *DeployOptions) error {
	regions, err := spec.LoadDir(opts.RegionsDir, opts.Regions...)
	if err != nil {
		return invalidConfig(err)
	}
	backend, err := engine.ResolveBackend(opts.StateURL, opts.Rehearse, opts.Getenv)
	if err != nil {
		return err
	}
	if err := confirm(opts, regions); err != nil {
		return err
	}
	errOut := opts.IO.ErrOut
	if opts.Rehearse {
		fmt.Fprintf(errOut, "rehearsal: AWS is replaced by a local stand-in provider; no cloud resources are touched (state in %s)\n", engine.RehearsalDir)
	}

	ids := make([]string, len(regions))
	for i, r := range regions {
		ids[i] = r.Region
	}
	progress := report.NewProgress(errOut, opts.IO.IsTTY, ids, opts.Now)
	progress.Width = opts.IO.Width
	gate := &guard{opts: opts, progress: progress, regions: regions}
	settings := engine.Settings{
		Backend:   backend,
		Rehearse:  opts.Rehearse,
		Parallel:  opts.Parallel,
		Diff:      opts.Diff,
		Unprotect: opts.Unprotect,
		Progress:  func(ev engine.RegionEvent) { progress.Handle(ev.Region, ev.Event) },
		Gate:      gate.check,
	}
	runner, err := opts.NewRunner(settings)
	if err != nil {
		progress.Stop()
		return err
	}
	for _, id := range ids {
		phase := string(opts.Op)
		if opts.Op == engine.Up {
			phase = report.PhasePlanning
		}
		progress.Phase(id, phase, 0)
	}
	results := runner.Run(ctx, opts.Op, regions)
	for _, r := range results {
		progress.Finish(r.Region, r.Err != nil)
	}
	progress.Stop()

	for _, r := range results {
		if opts.Diff && r.Diff != "" && !opts.JSON {
			fmt.Fprintf(opts.IO.Out, "── %s ──\n%s\n", r.Region, strings.TrimRight(r.Diff, "\n"))
		}
	}
	reports, err := gate.reports(results)
	if err != nil {
		return err
	}
	if opts.JSON {
		err = report.ChangesJSON(opts.IO.Out, results, reports)
	} else {
		err = report.ChangesTable(opts.IO.Out, results)
		if err == nil && len(reports) > 0 {
			fmt.Fprintln(opts.IO.Out)
			err = report.PolicyText(opts.IO.Out, reports)
		}
	}
	if err != nil {
		return err
	}
	if opts.Rehearse {
		fmt.Fprintln(errOut, "rehearsal: done; no cloud resources were touched")
	}
	failed := resultsError(opts, results)
	if denied := guardrailsDenied(reports); denied != nil && opts.Op == engine.Preview && codeOf(failed) != ExitCancelled {
		return denied // the deny explains an engine refusal (a protected replacement) best
	}
	return failed
}

// resultsError reports every failed region and picks the exit code: cancelled (2)
// over policy (3) over failure (1); changes pending (5) when nothing failed.
func resultsError(opts *DeployOptions, results []engine.Result) error {
	var failed []error
	code := ExitOK
	pending := false
	for _, r := range results {
		if r.Changes.Pending() {
			pending = true
		}
		if r.Err == nil {
			continue
		}
		failed = append(failed, r.Err)
		code = worstCode(code, codeOf(r.Err))
	}
	if len(failed) > 0 {
		for _, err := range failed {
			fmt.Fprintf(opts.IO.ErrOut, "error: %v\n", err)
		}
		return &exitError{code: code, err: errors.Join(failed...), silent: true}
	}
	if opts.ExpectNoChanges && pending && opts.Op != engine.Destroy {
		return &exitError{code: ExitChangesPending, err: errors.New("changes are pending and --expect-no-changes was given")}
	}
	return nil
}

// codeOf maps one region's failure to its exit code.
func codeOf(err error) int {
	var pe *policyDenied
	var cp *changesPending
	switch {
	case errors.Is(err, context.Canceled):
		return ExitCancelled
	case errors.As(err, &pe):
		return ExitPolicyViolation
	case errors.As(err, &cp):
		return ExitChangesPending
	}
	return ExitFailure
}

// worstCode keeps the code that says most: cancelled, then policy, then failure,
// then changes pending.
func worstCode(a, b int) int {
	rank := map[int]int{ExitOK: 0, ExitChangesPending: 1, ExitFailure: 2, ExitPolicyViolation: 3, ExitCancelled: 4}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// changesPending stops `up --expect-no-changes` when the preview found changes.
type changesPending struct{ region string }

func (e *changesPending) Error() string {
	return fmt.Sprintf("region %q: changes are pending and --expect-no-changes was given; nothing applied", e.region)
}

// confirm asks before changing anything: on a terminal a question (destroy wants the
// region id typed), elsewhere --yes is required. Preview never asks.
func confirm(opts *DeployOptions, regions []*spec.Region) error {
	if opts.Op == engine.Preview || opts.Yes {
		return nil
	}
	if !opts.IO.IsTTY {
		return &exitError{code: ExitFailure, err: fmt.Errorf("%s changes real resources: pass --yes to confirm when not on a terminal", opts.Op)}
	}
	in := bufio.NewReader(opts.IO.In)
	for _, r := range regions {
		if opts.Op == engine.Destroy {
			fmt.Fprintf(opts.IO.ErrOut, "Destroy every resource of %s? Type the region id to confirm: ", r.Region)
			if answer(in) != r.Region {
				return &exitError{code: ExitCancelled, err: fmt.Errorf("destroy of %s not confirmed; nothing was changed", r.Region)}
			}
			continue
		}
	}
	if opts.Op != engine.Destroy {
		fmt.Fprintf(opts.IO.ErrOut, "%s %d region(s) (%s)? [y/N] ", opts.Op, len(regions), regionList(regions))
		if a := strings.ToLower(answer(in)); a != "y" && a != "yes" {
			return &exitError{code: ExitCancelled, err: fmt.Errorf("%s not confirmed; nothing was changed", opts.Op)}
		}
	}
	return nil
}

func answer(in *bufio.Reader) string {
	line, _ := in.ReadString('\n')
	return strings.TrimSpace(line)
}

func regionList(regions []*spec.Region) string {
	ids := make([]string, len(regions))
	for i, r := range regions {
		ids[i] = r.Region
	}
	return strings.Join(ids, ", ")
}

// policyDenied is a region stopped by the guardrails before anything was applied.
type policyDenied struct {
	region string
	msg    string
}

func (e *policyDenied) Error() string {
	return fmt.Sprintf("region %q: refused by policy, nothing applied: %s", e.region, e.msg)
}

// guard runs the guardrails on previews. For up it is the gate between preview and
// update: a deny stops that region before anything is applied.
type guard struct {
	opts     *DeployOptions
	progress *report.Progress
	regions  []*spec.Region
	mu       sync.Mutex
	checked  map[string]policy.Report
}

func (g *guard) check(r *spec.Region, steps manifest.Region, changes engine.Changes) error {
	if g.opts.ExpectNoChanges && changes.Pending() {
		return &changesPending{region: r.Region}
	}
	if g.opts.Guardrails != nil {
		reports, err := g.opts.Guardrails(g.opts.RegionsDir, []*spec.Region{r}, []manifest.Region{steps})
		if err != nil {
			return err
		}
		for _, rep := range reports {
			g.keep(rep)
			if c := rep.Counts(); c.Denied > 0 {
				return &policyDenied{region: r.Region, msg: fmt.Sprintf("%d %s (listed below)", c.Denied, plural(c.Denied, "finding", "findings"))}
			}
		}
	}
	g.progress.Phase(r.Region, string(engine.Up), changes.Create+changes.Update+changes.Replace+changes.Delete)
	return nil
}

func (g *guard) keep(rep policy.Report) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.checked == nil {
		g.checked = map[string]policy.Report{}
	}
	g.checked[rep.Region] = rep
}

// reports returns the guardrail reports to show: for up those the gate made, for
// preview a check of every previewed region now.
func (g *guard) reports(results []engine.Result) ([]policy.Report, error) {
	if g.opts.Guardrails == nil {
		return nil, nil
	}
	if g.opts.Op == engine.Preview {
		var regions []*spec.Region
		var steps []manifest.Region
		byName := map[string]*spec.Region{}
		for _, r := range g.regions {
			byName[r.Region] = r
		}
		for _, res := range results {
			if len(res.Steps.Resources) > 0 && byName[res.Region] != nil {
				regions = append(regions, byName[res.Region])
				steps = append(steps, res.Steps)
			}
		}
		return g.opts.Guardrails(g.opts.RegionsDir, regions, steps)
	}
	var out []policy.Report
	for _, res := range results {
		if rep, ok := g.checked[res.Region]; ok {
			out = append(out, rep)
		}
	}
	return out, nil
}
