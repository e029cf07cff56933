package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/engine/rehearsal"
	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/region"
)

// openStack is a region's stack with its workspace, kept open for the runner's life so
// the preview and the update of one command share one `stack select`.
type openStack struct {
	stack   auto.Stack
	program pulumi.RunFunc
	// env is the workspace's environment (provider attachment, passphrase).
	env   map[string]string
	close func()
	// missing is set when opening found that the backend holds no such stack yet.
	missing bool
}

// WorkDir is the cache folder of one region's workspace for one backend. It is only a
// cache: everything in it is rebuilt from the backend when missing. Keying it by the
// backend keeps two backends (each with its own passphrase salt) from sharing files.
func (b Backend) WorkDir(regionID string) string {
	sum := sha256.Sum256([]byte(b.URL))
	return filepath.Join(b.Root, "work", hex.EncodeToString(sum[:6]), regionID)
}

// stack opens the region's stack in its own work folder and
// PULUMI_HOME, so concurrent regions never share files (pulumi/pulumi#8186).
func (a *Automation) stack(ctx context.Context, r *spec.Region) (*openStack, error) {
	a.mu.Lock()
	if st, ok := a.open[r.Region]; ok {
		a.mu.Unlock()
		return st, nil
	}
	a.mu.Unlock()
	st, err := a.openStack(ctx, r)
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.open == nil {
		a.open = map[string]*openStack{}
	}
	a.open[r.Region] = st
	return st, nil
}

// Close stops what the runner started (rehearsal providers).
func (a *Automation) Close() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for id, st := range a.open {
		st.close()
		delete(a.open, id)
	}
}

func (a *Automation) openStack(ctx context.Context, r *spec.Region) (*openStack, error) {
	workDir := a.Backend.WorkDir(r.Region)
	home := filepath.Join(workDir, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		return nil, fmt.Errorf("creating work folder: %w", err)
	}
	env := map[string]string{
		"PULUMI_SKIP_UPDATE_CHECK":  "true",
		"PULUMI_BACKEND_URL":        a.Backend.URL,
		"PULUMI_SKIP_CONFIRMATIONS": "true",
	}
	if a.Backend.Passphrase != "" {
		env["PULUMI_CONFIG_PASSPHRASE"] = a.Backend.Passphrase
	}
	closeFn := func() {}
	if a.Rehearse {
		srv, err := rehearsal.StartWith(rehearsal.Options{LatencyScale: a.LatencyScale,
			OutOfBand: rehearsal.OutOfBandFile(a.Backend.Root, r.Region)})
		if err != nil {
			return nil, fmt.Errorf("starting the rehearsal provider: %w", err)
		}
		// The stand-in account holds what earlier runs left in it.
		srv.Seed(r.Region, r.AccountID, a.rehearsalSeed(r.Region))
		closeFn = func() { _ = srv.Close() }
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
	opts = append(opts, auto.Program(program))
	ws, err := auto.NewLocalWorkspace(ctx, opts...)
	if err != nil {
		closeFn()
		return nil, err
	}
	// Every stack command names its stack (--stack), so selecting it first would only
	// cost a CLI start (a third of a no-op preview); a stack that does not exist makes
	// the operation itself fail with the engine's "no stack named" (see create).
	lws, _ := ws.(*auto.LocalWorkspace)
	stack, err := auto.SelectStack(ctx, r.Region, preselected{lws})
	if err != nil {
		closeFn()
		return nil, err
	}
	err = ensureStackSettings(ctx, stack, a.Backend.Passphrase != "")
	if err != nil && !isNoStack(err) {
		closeFn()
		return nil, err
	}
	return &openStack{stack: stack, program: program, env: env, close: closeFn, missing: err != nil}, nil
}

// rehearsalSeed is the region's state as the rehearsal provider's starting account. A
// rehearsal's backend is always a local folder, read directly; a stack never deployed
// seeds nothing.
func (a *Automation) rehearsalSeed(regionID string) []rehearsal.SeedResource {
	dir, ok := localDir(a.Backend.URL)
	if !ok {
		return nil
	}
	st, err := readCheckpointFile(filepath.Join(dir, filepath.FromSlash(checkpointPath(regionID))))
	if err != nil {
		return nil
	}
	out := make([]rehearsal.SeedResource, 0, len(st.Resources))
	for _, r := range st.Resources {
		if r.Custom && r.ID != "" {
			out = append(out, rehearsal.SeedResource{
				Type: string(r.Type), URN: string(r.URN), ID: string(r.ID), Inputs: r.Inputs, Outputs: r.Outputs,
			})
		}
	}
	return out
}

// preselected is a workspace whose stack needs no `stack select`.
type preselected struct{ *auto.LocalWorkspace }

func (preselected) SelectStack(context.Context, string) error { return nil }

// create creates the region's stack; losing a race with another first run of the same
// region is fine: its stack is the one to use, and its lock tells the truth.
func (st *openStack) create(ctx context.Context, passphrase bool) error {
	err := st.stack.Workspace().CreateStack(ctx, st.stack.Name())
	if err != nil && !auto.IsCreateStack409Error(err) {
		return err
	}
	st.missing = false
	return ensureStackSettings(ctx, st.stack, passphrase)
}

// ensureStackSettings makes the workspace's stack settings right whatever the work
// folder held: a fresh checkout (or a deleted cache) has no Pulumi.<stack>.yaml, so it
// is rebuilt from the backend — the passphrase salt the stack was created with lives in
// its state too — and default providers are turned off: a default provider would read
// aws:region from the environment and could create resources outside the jurisdiction.
// An existing file is edited in place so its encryption salt is kept.
func ensureStackSettings(ctx context.Context, stack auto.Stack, passphrase bool) error {
	ws := stack.Workspace()
	settings, err := ws.StackSettings(ctx, stack.Name())
	if err != nil {
		settings = &workspace.ProjectStack{}
	}
	if settings.Config == nil {
		settings.Config = config.Map{}
	}
	key := config.MustMakeKey("pulumi", "disable-default-providers")
	want := config.NewObjectValue(`["*"]`)
	needSalt := passphrase && settings.EncryptionSalt == ""
	if settings.Config[key] == want && !needSalt {
		return nil
	}
	settings.Config[key] = want
	if needSalt {
		if settings.EncryptionSalt, err = saltFromBackend(ctx, stack); err != nil {
			return err
		}
	}
	return ws.SaveStackSettings(ctx, stack.Name(), settings)
}

// saltFromBackend reads the passphrase salt a stack's secrets are encrypted with from
// its state; empty for a stack that has none yet (or another secrets provider).
func saltFromBackend(ctx context.Context, stack auto.Stack) (string, error) {
	dep, err := stack.Export(ctx)
	if err != nil {
		return "", fmt.Errorf("reading the stack's secrets settings: %w", err)
	}
	if len(dep.Deployment) == 0 {
		return "", nil
	}
	var d apitype.DeploymentV3
	if err := json.Unmarshal(dep.Deployment, &d); err != nil || d.SecretsProviders == nil || d.SecretsProviders.Type != "passphrase" {
		return "", nil
	}
	var st struct {
		Salt string `json:"salt"`
	}
	_ = json.Unmarshal(d.SecretsProviders.State, &st)
	return st.Salt, nil
}
