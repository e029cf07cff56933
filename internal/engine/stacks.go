package engine

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"github.com/regionctl/regionctl/internal/spec"
)

// StackSummary is what the backend's stack list says of one region's stack.
type StackSummary struct {
	Region           string
	LastUpdate       string
	UpdateInProgress bool
	// Resources counts everything in the state (the stack, providers, components).
	Resources int
	// Err is set when the stack's state cannot be read (a corrupt state file).
	Err error
	// State is the stack's state when listing it read it anyway (a file:// backend),
	// so status need not read it again.
	State *State
}

// Stacks lists every region stack the backend holds, in one engine call: status reads
// names, counts and dates from it without opening (or decrypting) any stack.
func (a *Automation) Stacks(ctx context.Context) ([]StackSummary, error) {
	if dir, ok := localDir(a.Backend.URL); ok {
		return localStacks(dir)
	}
	dir := filepath.Join(a.Backend.WorkDir("_"), "list")
	if err := os.MkdirAll(filepath.Join(dir, "home"), 0o755); err != nil {
		return nil, fmt.Errorf("creating work folder: %w", err)
	}
	ws, err := auto.NewLocalWorkspace(ctx,
		auto.WorkDir(dir),
		auto.PulumiHome(filepath.Join(dir, "home")),
		auto.Project(workspace.Project{
			Name:    tokens.PackageName(Project),
			Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: a.Backend.URL},
		}),
		auto.EnvVars(map[string]string{"PULUMI_SKIP_UPDATE_CHECK": "true", "PULUMI_BACKEND_URL": a.Backend.URL}),
		auto.Pulumi(a.Pulumi),
	)
	if err != nil {
		return nil, a.explain("", "", err)
	}
	list, err := ws.ListStacks(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing the stacks of %s: %s", redact(a.Backend.URL), oneLine(err))
	}
	out := make([]StackSummary, 0, len(list))
	for _, s := range list {
		sum := StackSummary{Region: stackRegion(s.Name), LastUpdate: s.LastUpdate, UpdateInProgress: s.UpdateInProgress}
		if s.ResourceCount != nil {
			sum.Resources = *s.ResourceCount
		}
		out = append(out, sum)
	}
	return out, nil
}

// stackRegion is the region of a stack name as the CLI lists it: "eu-west-1", or
// "organization/regionctl/eu-west-1" on some backends.
func stackRegion(name string) string {
	for i := len(name) - 1; i >= 0; i-- {
		if name[i] == '/' {
			return name[i+1:]
		}
	}
	return name
}

// Pending reads the interrupted operations and the number of cloud resources of a
// deployed region's state. A file:// backend's state file is read directly (status of
// a fleet must not start an engine per region); other backends are asked through the
// engine's export, which needs no passphrase for this.
func (a *Automation) Pending(ctx context.Context, regionID string) ([]PendingOperation, int, error) {
	var state State
	if dir, ok := localDir(a.Backend.URL); ok {
		st, err := readCheckpointFile(filepath.Join(dir, filepath.FromSlash(checkpointPath(regionID))))
		if err != nil {
			return nil, 0, &CorruptStateError{Region: regionID, File: filepath.Join(dir, filepath.FromSlash(checkpointPath(regionID)))}
		}
		state = st
	} else {
		st, err := a.State(ctx, &spec.Region{Region: regionID})
		if err != nil {
			return nil, 0, err
		}
		state = st
	}
	return state.PendingOperations(), state.Managed(), nil
}

// readCheckpointFile reads a self-managed backend's state file (plain or gzipped).
func readCheckpointFile(path string) (State, error) {
	cp, err := readCheckpoint(path)
	if err != nil || cp.Latest == nil {
		return State{}, err
	}
	return State{Resources: cp.Latest.Resources, Pending: cp.Latest.PendingOperations}, nil
}

func readCheckpoint(path string) (apitype.CheckpointV3, error) {
	var cp apitype.CheckpointV3
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		if b, err = os.ReadFile(path + ".gz"); err == nil {
			b, err = gunzip(b)
		}
	}
	if err != nil {
		return cp, err
	}
	var vc apitype.VersionedCheckpoint
	if err := json.Unmarshal(b, &vc); err != nil {
		return cp, err
	}
	err = json.Unmarshal(vc.Checkpoint, &cp)
	return cp, err
}

func gunzip(b []byte) ([]byte, error) {
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}

// localStacks lists the stacks of a file:// backend from its folder, without the CLI:
// one unreadable state file then spoils only its own row.
func localStacks(dir string) ([]StackSummary, error) {
	stacks := filepath.Join(dir, ".pulumi", "stacks", Project)
	entries, err := os.ReadDir(stacks)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing the stacks in %s: %w", stacks, err)
	}
	var out []StackSummary
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok {
			if name, ok = strings.CutSuffix(e.Name(), ".json.gz"); !ok {
				continue
			}
		}
		sum := StackSummary{Region: name}
		path := filepath.Join(stacks, name+".json")
		cp, err := readCheckpoint(path)
		if err != nil {
			sum.Err = &CorruptStateError{Region: name, File: path}
		} else if cp.Latest != nil {
			sum.State = &State{Resources: cp.Latest.Resources, Pending: cp.Latest.PendingOperations}
			sum.Resources = len(cp.Latest.Resources)
			if !cp.Latest.Manifest.Time.IsZero() {
				sum.LastUpdate = cp.Latest.Manifest.Time.UTC().Format(time.RFC3339)
			}
		}
		locks, _ := os.ReadDir(filepath.Join(dir, ".pulumi", "locks", "organization", Project, name))
		sum.UpdateInProgress = len(locks) > 0
		out = append(out, sum)
	}
	return out, nil
}
