package engine

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

// previewUnprotected previews the region again after the engine refused to plan the
// replacement of protected resources, so guardrails and reports can say what would be
// replaced and which properties force it, from the engine and the provider themselves.
//
// The engine checks protection against the state (a dependent replaced with its
// parent is refused for its own flag), so the program alone cannot lift it. The
// preview runs instead against a scratch copy of the state, without protection, in a
// temporary local backend: the region's real stack is only read. Each step then gets
// back the protection the real state gives it. ok is false when the copy cannot be
// made (a stack whose secrets only its own backend can decrypt) or its preview fails.
func (a *Automation) previewUnprotected(ctx context.Context, st *openStack, r *spec.Region) (manifest.Region, Changes, bool) {
	dep, err := st.stack.Export(ctx)
	if err != nil {
		return manifest.Region{}, Changes{}, false
	}
	var d apitype.DeploymentV3
	if err := json.Unmarshal(dep.Deployment, &d); err != nil {
		return manifest.Region{}, Changes{}, false
	}
	protected, held := map[string]bool{}, map[string]bool{}
	for i := range d.Resources {
		protected[string(d.Resources[i].URN)] = d.Resources[i].Protect
		held[string(d.Resources[i].URN)] = true
		d.Resources[i].Protect = false
	}
	d.PendingOperations = nil
	if dep.Deployment, err = json.Marshal(d); err != nil {
		return manifest.Region{}, Changes{}, false
	}

	tmp, err := os.MkdirTemp("", "regionctl-diff-")
	if err != nil {
		return manifest.Region{}, Changes{}, false
	}
	defer os.RemoveAll(tmp)
	backend := "file://" + filepath.Join(tmp, "state")
	env := maps.Clone(st.env)
	env["PULUMI_BACKEND_URL"] = backend
	if err := os.MkdirAll(filepath.Join(tmp, "state"), 0o755); err != nil {
		return manifest.Region{}, Changes{}, false
	}
	opts := []auto.LocalWorkspaceOption{
		auto.WorkDir(tmp),
		auto.PulumiHome(st.stack.Workspace().PulumiHome()),
		auto.Project(workspace.Project{Name: tokens.PackageName(Project), Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: backend}}),
		auto.EnvVars(env),
		auto.Pulumi(a.Pulumi),
		auto.Program(st.program),
	}
	if a.Backend.Passphrase != "" {
		opts = append(opts, auto.SecretsProvider("passphrase"))
	}
	scratch, err := auto.NewStackInlineSource(ctx, r.Region, Project, st.program, opts...)
	if err != nil {
		return manifest.Region{}, Changes{}, false
	}
	if err := ensureStackSettings(ctx, scratch, false); err != nil {
		return manifest.Region{}, Changes{}, false
	}
	if err := scratch.Import(ctx, dep); err != nil {
		return manifest.Region{}, Changes{}, false
	}
	c := a.collector(r.Region, nil)
	_, err = scratch.Preview(ctx, optpreview.EventStreams(c.events))
	c.wait()
	if err != nil {
		return manifest.Region{}, Changes{}, false
	}
	steps, changes := c.steps(), c.counts()
	changes.Protect = 0
	for i := range steps.Resources {
		res := &steps.Resources[i]
		// Against the real state: lost protection is what the goal protects and the
		// real state does not (the scratch copy has none at all).
		res.Unprotected = res.Protect && held[res.URN] && !protected[res.URN] && res.Op != manifest.OpDelete
		if res.Unprotected {
			changes.Protect++
		}
		if protected[res.URN] {
			res.Protect = true
		}
	}
	return steps, changes, true
}

// refusedSteps are the steps the engine refused, as far as its refusal tells: which
// protected resources it would replace or delete, not which properties force it.
func refusedSteps(urns, deletes []string) []manifest.Resource {
	var out []manifest.Resource
	seen := map[string]bool{}
	for _, urn := range urns {
		if seen[urn] {
			continue
		}
		seen[urn] = true
		u := resource.URN(urn)
		op := manifest.OpReplace
		if slices.Contains(deletes, urn) {
			op = manifest.OpDelete
		}
		out = append(out, manifest.Resource{URN: urn, Type: string(u.Type()), Name: u.Name(), Custom: true,
			Protect: true, RetainOnDelete: true, Op: op, Inputs: map[string]any{}})
	}
	return out
}
