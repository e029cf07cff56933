package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"github.com/regionctl/regionctl/internal/engine/rehearsal"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/region"
)

// Operation is what the engine is asked to do to a region.
type Operation string

// The operations of the real engine.
const (
	Preview Operation = "preview"
	Up      Operation = "up"
	Destroy Operation = "destroy"
	Refresh Operation = "refresh"
)

// Changes counts what an operation did (or a preview would do) per kind.
type Changes struct {
	Create  int `json:"create"`
	Update  int `json:"update"`
	Replace int `json:"replace"`
	Delete  int `json:"delete"`
	Same    int `json:"same"`
}

// Pending reports whether anything would change.
func (c Changes) Pending() bool { return c.Create+c.Update+c.Replace+c.Delete > 0 }

// RegionEvent is one engine event of one region, for progress displays.
type RegionEvent struct {
	Region string
	Event  apitype.EngineEvent
}

// Settings configure the Automation API runner.
type Settings struct {
	Backend  Backend
	Pulumi   auto.PulumiCommand
	Rehearse bool
	// Parallel bounds how many regions run at once; 0 runs them all at once.
	Parallel int
	// Diff captures the engine's own property-level diff display per region.
	Diff bool
	// Unprotect lets destroy remove protection from stateful resources first.
	Unprotect bool
	// Progress receives every engine event; it is called from several goroutines.
	Progress func(RegionEvent)
	// Gate runs between the preview and the update of `up`; an error stops that
	// region before anything is applied (guardrails, confirmation).
	Gate func(r *spec.Region, preview manifest.Region, changes Changes) error
}

// Result is the outcome of one operation on one region.
type Result struct {
	Region  string
	Op      Operation
	Changes Changes
	// Steps are the resources of the preview with their planned operation.
	Steps manifest.Region
	// Diff is the engine's diff display, when Settings.Diff.
	Diff string
	// Retained counts resources destroy left in the cloud (retainOnDelete).
	Retained int
	// Outputs are the stack outputs after up.
	Outputs  map[string]any
	Duration time.Duration
	Err      error
}

// Automation runs region programs through the real Pulumi engine.
type Automation struct{ Settings }

// Run applies op to every region, Parallel at a time, and returns one result per
// region in the order given. A failing region never stops or hides the others.
func (a *Automation) Run(ctx context.Context, op Operation, regions []*spec.Region) []Result {
	limit := a.Parallel
	if limit <= 0 {
		limit = len(regions)
	}
	results := make([]Result, len(regions))
	eachRegion(ctx, len(regions), limit, func(i int) {
		start := time.Now()
		results[i] = a.runRegion(ctx, op, regions[i])
		results[i].Duration = time.Since(start)
	}, func(i int) {
		results[i] = Result{Region: regions[i].Region, Op: op, Err: &CancelledError{Region: regions[i].Region, Op: op}}
	})
	return results
}

func (a *Automation) runRegion(ctx context.Context, op Operation, r *spec.Region) Result {
	res := Result{Region: r.Region, Op: op}
	stack, done, err := a.stack(ctx, r, true)
	if err != nil {
		res.Err = explain(r.Region, a.Backend.URL, err)
		return res
	}
	defer done()
	switch op {
	case Preview:
		err = a.preview(ctx, stack, r, &res)
	case Up:
		err = a.up(ctx, stack, r, &res)
	case Destroy:
		err = a.destroy(ctx, stack, r, &res)
	case Refresh:
		err = a.refresh(ctx, stack, r, &res)
	default:
		err = fmt.Errorf("unknown operation %q", op)
	}
	if err != nil && ctx.Err() != nil {
		// The engine was interrupted (the Automation API sends it SIGINT) and stopped
		// cleanly: what finished is in the state, and the next run completes the rest.
		err = &CancelledError{Region: r.Region, Op: op}
	}
	res.Err = explain(r.Region, a.Backend.URL, err)
	return res
}

// A self-managed backend lets a preview read the state without the lock, so a preview
// racing another run's write can read a half-written checkpoint. That is another run
// at work: wait and read again, and call it a held lock if it persists.
const (
	tornStateRetries = 3
	tornStateWait    = time.Second
)

func isTornState(err error) bool {
	return err != nil && strings.Contains(err.Error(), "failed to load checkpoint")
}

func (a *Automation) preview(ctx context.Context, stack auto.Stack, r *spec.Region, res *Result) error {
	for attempt := 1; ; attempt++ {
		err := a.previewOnce(ctx, stack, r, res)
		if !isTornState(err) {
			return err
		}
		if attempt == tornStateRetries {
			return &LockedError{Region: r.Region, Backend: a.Backend.URL}
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(tornStateWait):
		}
	}
}

func (a *Automation) previewOnce(ctx context.Context, stack auto.Stack, r *spec.Region, res *Result) error {
	c := a.collector(r.Region, Preview)
	opts := []optpreview.Option{optpreview.EventStreams(c.events)}
	var diff strings.Builder
	if a.Diff {
		opts = append(opts, optpreview.Diff(), optpreview.ProgressStreams(&diff))
	}
	_, err := stack.Preview(ctx, opts...)
	c.wait()
	res.Changes, res.Steps, res.Diff = c.counts(), c.steps(), diff.String()
	res.Steps.Partial = err != nil
	if refused := c.protectedReplacements(); len(refused) > 0 {
		res.Steps.Resources = append(res.Steps.Resources, refusedReplacements(ctx, stack, r, refused)...)
		res.Steps.Sort()
	}
	return c.failure(err)
}

func (a *Automation) up(ctx context.Context, stack auto.Stack, r *spec.Region, res *Result) error {
	previewErr := a.preview(ctx, stack, r, res)
	// The gate also sees a preview the engine refused part-way (a protected resource
	// to replace): its verdict names the cause and the fix better than the engine's.
	if a.Gate != nil && (previewErr == nil || len(res.Steps.Resources) > 0) {
		if err := a.Gate(r, res.Steps, res.Changes); err != nil {
			return err
		}
	}
	if previewErr != nil {
		return previewErr
	}
	if !res.Changes.Pending() {
		// Nothing to apply: skipping the update saves a whole engine run.
		return nil
	}
	c := a.collector(r.Region, Up)
	opts := []optup.Option{optup.EventStreams(c.events)}
	var diff strings.Builder
	if a.Diff {
		opts = append(opts, optup.Diff(), optup.ProgressStreams(&diff))
		res.Diff = ""
	}
	out, err := stack.Up(ctx, opts...)
	c.wait()
	res.Changes, res.Diff = c.counts(), diff.String()
	if err == nil {
		res.Outputs = plainOutputs(out.Outputs)
	}
	return c.failure(err)
}

func (a *Automation) destroy(ctx context.Context, stack auto.Stack, r *spec.Region, res *Result) error {
	state, err := readState(ctx, stack)
	if err != nil {
		return err
	}
	if protected := state.protected(); len(protected) > 0 {
		if !a.Unprotect {
			return &ProtectedError{Region: r.Region, Resources: protected}
		}
		if err := unprotectAll(ctx, stack); err != nil {
			return err
		}
	}
	res.Retained = state.retained()
	c := a.collector(r.Region, Destroy)
	opts := []optdestroy.Option{optdestroy.EventStreams(c.events)}
	var diff strings.Builder
	if a.Diff {
		opts = append(opts, optdestroy.Diff(), optdestroy.ProgressStreams(&diff))
	}
	_, err = stack.Destroy(ctx, opts...)
	c.wait()
	res.Changes, res.Diff = c.counts(), diff.String()
	return c.failure(err)
}

func (a *Automation) refresh(ctx context.Context, stack auto.Stack, r *spec.Region, res *Result) error {
	c := a.collector(r.Region, Refresh)
	opts := []optrefresh.Option{optrefresh.EventStreams(c.events)}
	var diff strings.Builder
	if a.Diff {
		opts = append(opts, optrefresh.Diff(), optrefresh.ProgressStreams(&diff))
	}
	_, err := stack.Refresh(ctx, opts...)
	c.wait()
	res.Changes, res.Diff = c.counts(), diff.String()
	return c.failure(err)
}

// Outputs returns a deployed region's stack outputs; secrets are masked.
func (a *Automation) Outputs(ctx context.Context, r *spec.Region) (map[string]any, error) {
	stack, done, err := a.stack(ctx, r, false)
	if err != nil {
		return nil, explain(r.Region, a.Backend.URL, err)
	}
	defer done()
	out, err := stack.Outputs(ctx)
	if err != nil {
		return nil, explain(r.Region, a.Backend.URL, err)
	}
	return plainOutputs(out), nil
}

// Status is the state overview of one region.
type Status struct {
	Region           string `json:"name"`
	Deployed         bool   `json:"deployed"`
	LastUpdate       string `json:"lastUpdate,omitempty"`
	UpdateInProgress bool   `json:"updateInProgress"`
	Resources        int    `json:"resources"`
	Err              error  `json:"-"`
}

// Status reads every region's stack summary without creating missing stacks.
func (a *Automation) Status(ctx context.Context, regions []*spec.Region) []Status {
	out := make([]Status, len(regions))
	var wg sync.WaitGroup
	for i, r := range regions {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = a.status(ctx, r)
		}()
	}
	wg.Wait()
	return out
}

func (a *Automation) status(ctx context.Context, r *spec.Region) Status {
	st := Status{Region: r.Region}
	stack, done, err := a.stack(ctx, r, false)
	if auto.IsSelectStack404Error(err) {
		return st
	}
	if err != nil {
		st.Err = explain(r.Region, a.Backend.URL, err)
		return st
	}
	defer done()
	info, err := stack.Info(ctx)
	if err != nil {
		st.Err = explain(r.Region, a.Backend.URL, err)
		return st
	}
	st.LastUpdate, st.UpdateInProgress = info.LastUpdate, info.UpdateInProgress
	if info.ResourceCount != nil {
		st.Resources = *info.ResourceCount
	}
	st.Deployed = st.Resources > 0
	return st
}

// stack opens the region's stack in its own work folder and PULUMI_HOME, so
// concurrent regions never share files (pulumi/pulumi#8186). create=false selects an
// existing stack only. done stops the rehearsal provider, if one was started.
func (a *Automation) stack(ctx context.Context, r *spec.Region, create bool) (auto.Stack, func(), error) {
	done := func() {}
	workDir := filepath.Join(a.Backend.Root, "work", r.Region)
	home := filepath.Join(workDir, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return auto.Stack{}, done, fmt.Errorf("creating work folder: %w", err)
	}
	env := map[string]string{
		"PULUMI_SKIP_UPDATE_CHECK":  "true",
		"PULUMI_BACKEND_URL":        a.Backend.URL,
		"PULUMI_SKIP_CONFIRMATIONS": "true",
	}
	if a.Backend.Passphrase != "" {
		env["PULUMI_CONFIG_PASSPHRASE"] = a.Backend.Passphrase
	}
	if a.Rehearse {
		srv, err := rehearsal.Start()
		if err != nil {
			return auto.Stack{}, done, fmt.Errorf("starting the rehearsal provider: %w", err)
		}
		done = func() { _ = srv.Close() }
		env["PULUMI_DEBUG_PROVIDERS"] = fmt.Sprintf("aws:%d", srv.Port())
		env["PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION"] = "true"
		// The engine rewrites the whole state after every step so a crash loses no real
		// resource; rehearsal state is fake, and saving it once at the end makes an up
		// about a third faster (real runs keep every checkpoint).
		env["PULUMI_SKIP_CHECKPOINTS"] = "true"
	}
	project := workspace.Project{
		Name:    tokens.PackageName(Project),
		Runtime: workspace.NewProjectRuntimeInfo("go", nil),
		Backend: &workspace.ProjectBackend{URL: a.Backend.URL},
	}
	opts := []auto.LocalWorkspaceOption{
		auto.WorkDir(workDir),
		auto.PulumiHome(home),
		auto.Project(project),
		auto.EnvVars(env),
		auto.Pulumi(a.Pulumi),
	}
	if a.Backend.Passphrase != "" {
		opts = append(opts, auto.SecretsProvider("passphrase"))
	}
	program := region.Program(r)
	var stack auto.Stack
	var err error
	if create {
		stack, err = auto.UpsertStackInlineSource(ctx, r.Region, Project, program, opts...)
	} else {
		stack, err = auto.SelectStackInlineSource(ctx, r.Region, Project, program, opts...)
	}
	if err != nil {
		done()
		return auto.Stack{}, func() {}, err
	}
	if err := disableDefaultProviders(ctx, stack); err != nil {
		done()
		return auto.Stack{}, func() {}, err
	}
	return stack, done, nil
}

// disableDefaultProviders makes the engine refuse any resource that does not name the
// region's explicit provider: a default provider would read aws:region from the
// environment and could create resources outside the jurisdiction. The stack settings
// file is edited in place so its encryption salt is kept.
func disableDefaultProviders(ctx context.Context, stack auto.Stack) error {
	ws := stack.Workspace()
	settings, err := ws.StackSettings(ctx, stack.Name())
	if err != nil {
		return fmt.Errorf("reading stack settings: %w", err)
	}
	if settings.Config == nil {
		settings.Config = config.Map{}
	}
	key := config.MustMakeKey("pulumi", "disable-default-providers")
	want := config.NewObjectValue(`["*"]`)
	if settings.Config[key] == want {
		return nil
	}
	settings.Config[key] = want
	return ws.SaveStackSettings(ctx, stack.Name(), settings)
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

// CancelledError is an operation interrupted by the user (Ctrl-C).
type CancelledError struct {
	Region string
	Op     Operation
}

func (e *CancelledError) Error() string {
	return fmt.Sprintf("region %q: %s cancelled; the engine stopped cleanly and the state is consistent: run it again to finish", e.Region, e.Op)
}

// Unwrap makes errors.Is(err, context.Canceled) hold.
func (e *CancelledError) Unwrap() error { return context.Canceled }

// ProtectedError is a destroy refused because protected resources would go.
type ProtectedError struct {
	Region    string
	Resources []string
}

func (e *ProtectedError) Error() string {
	names := e.Resources
	more := ""
	if len(names) > 5 {
		names, more = names[:5], fmt.Sprintf(" and %d more", len(e.Resources)-5)
	}
	return fmt.Sprintf("region %q: destroy refused: %d protected resources (%s%s) would be deleted; "+
		"pass --unprotect to remove their protection first", e.Region, len(e.Resources), strings.Join(names, ", "), more)
}

// LockedError is an operation refused because another update holds the region's lock.
type LockedError struct {
	Region  string
	Backend string
}

func (e *LockedError) Error() string {
	fix := "`pulumi cancel` on that stack"
	if !IsCloudBackend(e.Backend) {
		fix = fmt.Sprintf("deleting its lock under %s/.pulumi/locks/organization/%s/%s/", redact(e.Backend), Project, e.Region)
	}
	return fmt.Sprintf("region %q is being changed by another run (the state backend holds its lock); "+
		"wait for that run to finish, or if it died, release the lock by %s", e.Region, fix)
}

// explain turns engine failures into one line a user can act on.
func explain(regionID, backendURL string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.Canceled):
		var ce *CancelledError
		if errors.As(err, &ce) {
			return err
		}
		return &CancelledError{Region: regionID, Op: "operation"}
	case auto.IsConcurrentUpdateError(err):
		return &LockedError{Region: regionID, Backend: backendURL}
	}
	if strings.HasPrefix(err.Error(), fmt.Sprintf("region %q", regionID)) {
		return err // already says which region
	}
	return fmt.Errorf("region %q: %w", regionID, err)
}
