package engine

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

// Operation is what the engine is asked to do to a region.
type Operation = manifest.Operation

// The operations of the real engine.
const (
	Preview Operation = "preview"
	Up      Operation = "up"
	Destroy Operation = "destroy"
	Refresh Operation = "refresh"
)

// Changes counts what an operation did (or a preview would do) per kind.
type Changes = manifest.Changes

// RegionEvent is one engine event of one region, for progress displays.
type RegionEvent struct {
	Region string
	Event  apitype.EngineEvent
}

// DefaultParallel is how many regions run at once unless told otherwise: each region
// is a Pulumi CLI process, a program and a provider, CPU-bound and about 150 MB; more
// than one per core only queues them for the CPU and multiplies the memory.
func DefaultParallel() int { return max(2, runtime.NumCPU()) }

// Settings configure the Automation API runner.
type Settings struct {
	Backend  Backend
	Pulumi   auto.PulumiCommand
	Rehearse bool
	// LatencyScale slows the rehearsal provider's creates down like AWS's, scaled
	// (rehearsal.Options); 0 answers at once.
	LatencyScale float64
	// Parallel bounds how many regions run at once; 0 means DefaultParallel.
	Parallel int
	// Diff captures the engine's own property-level diff display per region.
	Diff bool
	// ClearPendingCreates lets refresh drop interrupted creates from the state.
	ClearPendingCreates bool
	// Progress receives every engine event; it is called from several goroutines.
	Progress func(RegionEvent)
	// Started is told when a region's operation starts (it may wait for a free slot).
	Started func(region string)
	// Message, when set, gives each region's up its update message, which the backend
	// keeps in the stack's history (the ledger, app.LedgerEntry).
	Message func(region string) string
}

// Result is the outcome of one operation on one region.
type Result = manifest.Result

// Targets limits an up to some resources (URNs) of each region: the engine applies
// only those (and providers, which it always includes), and leaves every other
// resource as it is, uncreated if it does not exist yet. It refuses to create a target
// whose parent or dependency is neither a target nor in the state. A region not in the
// map, or nil, runs whole; other operations always do.
type Targets map[string][]string

// Automation runs region programs through the real Pulumi engine. Close it when done.
type Automation struct {
	Settings

	mu   sync.Mutex
	open map[string]*openStack
}

// Run applies op to every region, Parallel at a time, and returns one result per
// region in the order given. A failing region never stops or hides the others.
// targets limits an up of a region to some of its resources.
func (a *Automation) Run(ctx context.Context, op Operation, regions []*spec.Region, targets Targets) []Result {
	limit := a.Parallel
	if limit <= 0 {
		limit = DefaultParallel()
	}
	results := make([]Result, len(regions))
	EachRegion(ctx, len(regions), limit, func(i int) {
		if a.Started != nil {
			a.Started(regions[i].Region)
		}
		start := time.Now()
		results[i] = a.runRegion(ctx, op, regions[i], targets[regions[i].Region])
		results[i].Duration = time.Since(start)
	}, func(i int) {
		results[i] = Result{Region: regions[i].Region, Op: op, Err: &CancelledError{Region: regions[i].Region, Op: op}}
	})
	return results
}

func (a *Automation) runRegion(ctx context.Context, op Operation, r *spec.Region, targets []string) Result {
	res := Result{Region: r.Region, Op: op}
	st, err := a.stack(ctx, r)
	if err != nil {
		res.Err = a.explain(r.Region, op, err)
		return res
	}
	if st.missing && (op == Preview || op == Up) {
		// A region's first preview or up creates its stack.
		err = st.create(ctx, a.Backend.Passphrase != "")
	}
	if err == nil {
		err = a.do(ctx, op, st, r, targets, &res)
	}
	if isNoStack(err) && (op == Preview || op == Up) {
		// A region's first preview or up creates its stack.
		if err = st.create(ctx, a.Backend.Passphrase != ""); err == nil {
			res = Result{Region: r.Region, Op: op}
			err = a.do(ctx, op, st, r, targets, &res)
		}
	}
	if op != Preview && err != nil {
		// A run that stopped part-way (interrupted, killed, failed) can leave operations
		// the engine never saw finish; say so rather than call the state consistent.
		if state, serr := readState(context.WithoutCancel(ctx), st.stack); serr == nil {
			res.Pending = state.PendingOperations()
		}
	}
	if err != nil && ctx.Err() != nil {
		// The engine was interrupted (the Automation API sends it SIGINT) and stopped.
		err = &CancelledError{Region: r.Region, Op: op, Pending: res.Pending}
	}
	res.Err = a.explain(r.Region, op, err)
	return res
}

func (a *Automation) do(ctx context.Context, op Operation, st *openStack, r *spec.Region, targets []string, res *Result) error {
	switch op {
	case Preview:
		return a.preview(ctx, st, r, res)
	case Up:
		return a.up(ctx, st, r, targets, res)
	case Destroy:
		return a.destroy(ctx, st, r, res)
	case Refresh:
		return a.refresh(ctx, st, r, res)
	}
	return fmt.Errorf("unknown operation %q", op)
}

func (a *Automation) preview(ctx context.Context, st *openStack, r *spec.Region, res *Result) error {
	for attempt := 1; ; attempt++ {
		err := a.previewOnce(ctx, st, r, res)
		if !isTornState(err) {
			return err
		}
		if attempt == tornStateRetries {
			return a.tornState(r.Region)
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(tornStateWait):
		}
	}
}

func (a *Automation) previewOnce(ctx context.Context, st *openStack, r *spec.Region, res *Result) error {
	c := a.collector(r.Region, a.Progress)
	opts := []optpreview.Option{optpreview.EventStreams(c.events)}
	var diff strings.Builder
	if a.Diff {
		opts = append(opts, optpreview.Diff(), optpreview.ProgressStreams(&diff))
	}
	_, err := st.stack.Preview(ctx, opts...)
	c.wait()
	res.Changes, res.Steps, res.Diff = c.counts(), c.steps(), diff.String()
	res.Steps.Partial = err != nil
	if refused := c.protectedReplacements(); len(refused) > 0 && ctx.Err() == nil {
		res.Refused = refused
		if steps, changes, ok := a.previewUnprotected(ctx, st, r); ok {
			res.Steps, res.Changes = steps, changes
		} else {
			// No scratch copy (secrets only their own backend decrypts): the refusal
			// still names the resources, so the guardrails can refuse them by name.
			c.mu.Lock()
			deletes := slices.Clone(c.refusedDeletes)
			c.mu.Unlock()
			res.Steps.Resources = append(res.Steps.Resources, refusedSteps(refused, deletes)...)
			res.Steps.Sort()
		}
	}
	return c.failure(err)
}

func (a *Automation) up(ctx context.Context, st *openStack, r *spec.Region, targets []string, res *Result) error {
	c := a.collector(r.Region, a.Progress)
	opts := []optup.Option{optup.EventStreams(c.events)}
	if a.Message != nil {
		opts = append(opts, optup.Message(a.Message(r.Region)))
	}
	if len(targets) > 0 {
		opts = append(opts, optup.Target(targets))
	}
	var diff strings.Builder
	if a.Diff {
		opts = append(opts, optup.Diff(), optup.ProgressStreams(&diff))
	}
	out, err := st.stack.Up(ctx, opts...)
	c.wait()
	if len(targets) > 0 {
		if state, serr := readState(context.WithoutCancel(ctx), st.stack); serr == nil {
			c.skip(state)
		}
	}
	res.Changes, res.Steps, res.Diff = c.counts(), c.steps(), diff.String()
	if err == nil {
		res.Outputs = plainOutputs(out.Outputs)
	}
	return c.failure(err)
}

func (a *Automation) destroy(ctx context.Context, st *openStack, r *spec.Region, res *Result) error {
	before, err := readState(ctx, st.stack)
	if err != nil {
		return err
	}
	c := a.collector(r.Region, a.Progress)
	opts := []optdestroy.Option{optdestroy.EventStreams(c.events)}
	var diff strings.Builder
	if a.Diff {
		opts = append(opts, optdestroy.Diff(), optdestroy.ProgressStreams(&diff))
	}
	_, err = st.stack.Destroy(ctx, opts...)
	c.wait()
	res.Changes, res.Diff = c.counts(), diff.String()
	// What left the state but stays in the cloud: retained resources no longer listed.
	after, aerr := readState(context.WithoutCancel(ctx), st.stack)
	for _, rr := range before.Retained() {
		if aerr == nil && !after.Has(rr.URN) {
			res.Retained = append(res.Retained, rr)
		}
	}
	return c.failure(err)
}

func (a *Automation) refresh(ctx context.Context, st *openStack, r *spec.Region, res *Result) error {
	c := a.collector(r.Region, a.Progress)
	opts := []optrefresh.Option{optrefresh.EventStreams(c.events)}
	if a.ClearPendingCreates {
		opts = append(opts, optrefresh.ClearPendingCreates())
	}
	var diff strings.Builder
	if a.Diff {
		opts = append(opts, optrefresh.Diff(), optrefresh.ProgressStreams(&diff))
	}
	_, err := st.stack.Refresh(ctx, opts...)
	c.wait()
	res.Changes, res.Diff = c.counts(), diff.String()
	return c.failure(err)
}

// State reads one region's state from the backend.
func (a *Automation) State(ctx context.Context, r *spec.Region) (State, error) {
	st, err := a.stack(ctx, r)
	if err != nil {
		return State{}, a.explain(r.Region, "", err)
	}
	if st.missing {
		return State{}, &NotDeployedError{Region: r.Region, Backend: a.Backend.URL}
	}
	state, err := readState(ctx, st.stack)
	return state, a.explain(r.Region, "", err)
}

// SetProtect protects (or unprotects) exactly the resources urns of one region.
func (a *Automation) SetProtect(ctx context.Context, r *spec.Region, urns []string, protect bool) error {
	st, err := a.stack(ctx, r)
	if err != nil {
		return a.explain(r.Region, "", err)
	}
	return a.explain(r.Region, "", setProtect(ctx, st.stack, urns, protect))
}

// SetDeletionProtection turns the AWS deletion protection of exactly the load balancers
// urns of one region off (before a destroy or a replacement) or back on (after one that
// did not finish), by an up targeted at them whose program is the state's own
// configuration of them (releaseProgram): the change is made the way every change is,
// the state says what AWS has, and no region file is needed.
func (a *Automation) SetDeletionProtection(ctx context.Context, r *spec.Region, urns []string, on bool) error {
	if len(urns) == 0 {
		return nil
	}
	st, err := a.stack(ctx, r)
	if err != nil {
		return a.explain(r.Region, "", err)
	}
	state, err := readState(ctx, st.stack)
	if err != nil {
		return a.explain(r.Region, "", err)
	}
	program, err := releaseProgram(state, urns, on)
	if err != nil {
		return a.explain(r.Region, "", err)
	}
	ws := st.stack.Workspace()
	ws.SetProgram(program)
	defer ws.SetProgram(st.program)
	verb := "turning off"
	if on {
		verb = "turning back on"
	}
	// Its own line in the history: regionctl's bookkeeping, not a ledger entry.
	msg := optup.Message("regionctl: " + verb + " the deletion protection of load balancers")
	if _, err := st.stack.Up(ctx, optup.Target(urns), msg); err != nil {
		return a.explain(r.Region, "", fmt.Errorf("%s the deletion protection of its load balancers: %w", verb, err))
	}
	return nil
}

// Outputs returns a deployed region's stack outputs; secrets are masked.
func (a *Automation) Outputs(ctx context.Context, r *spec.Region) (map[string]any, error) {
	st, err := a.stack(ctx, r)
	if err != nil {
		return nil, a.explain(r.Region, "", err)
	}
	out, err := st.stack.Outputs(ctx)
	if err != nil {
		return nil, a.explain(r.Region, "", err)
	}
	return plainOutputs(out), nil
}

// plainOutputs turns stack outputs into JSON values, masking secrets.
func plainOutputs(out auto.OutputMap) map[string]any {
	m := make(map[string]any, len(out))
	for k, v := range out {
		if v.Secret {
			m[k] = manifest.SecretMask
		} else {
			m[k] = v.Value
		}
	}
	return m
}
