package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/awsmodel"
	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/review"
	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/internal/testutil"
)

// End-to-end tests: the real Pulumi CLI (bin/pulumi, built by `make tools`) driving the
// region programs against the rehearsal provider. No cloud, no credentials.

// e2e is a working directory holding a copy of the shipped region files.
type e2e struct {
	t   *testing.T
	dir string
}

func newE2E(t *testing.T) *e2e {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end tests need the Pulumi CLI; skipped with -short")
	}
	root := testutil.RepoRoot(t)
	bin := filepath.Join(root, "bin")
	if _, err := os.Stat(filepath.Join(bin, "pulumi")); err != nil {
		t.Fatalf("bin/pulumi is missing: run `make tools` (make test does it for you)")
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	dir := t.TempDir()
	testutil.CopyRegions(t, dir)
	t.Chdir(dir)
	return &e2e{t: t, dir: dir}
}

// run executes regionctl with args and returns its exit code and output.
func (e *e2e) run(ctx context.Context, args ...string) (int, string, string) {
	ios, out, errOut := TestIO(false)
	root := NewRootCmd(ios)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	return exitCode(ios, err, false), out.String(), errOut.String()
}

// changes runs a --json engine command and returns each region's change counts.
func (e *e2e) changes(wantCode int, args ...string) map[string]engine.Changes {
	e.t.Helper()
	code, out, errOut := e.run(context.Background(), append(args, "--json")...)
	if code != wantCode {
		e.t.Fatalf("regionctl %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, wantCode, out, errOut)
	}
	return changesByRegion(e.t, out)
}

// edit rewrites a region file, replacing old with new exactly once.
func (e *e2e) edit(region, old, new string) {
	e.t.Helper()
	path := filepath.Join(e.dir, "regions", region+".yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		e.t.Fatal(err)
	}
	if strings.Count(string(b), old) != 1 {
		e.t.Fatalf("%s: %q does not occur exactly once", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

func TestE2ERegionLifecycle(t *testing.T) {
	e := newE2E(t)

	created := e.changes(ExitOK, "up", "eu-west-1", "--rehearse", "--yes")["eu-west-1"]
	if created.Create < 100 || created.Update+created.Replace+created.Delete != 0 {
		t.Fatalf("first up: %+v, want the whole region created", created)
	}
	if again := e.changes(ExitOK, "up", "eu-west-1", "--rehearse", "--yes")["eu-west-1"]; again.Pending() || again.Same != created.Create {
		t.Fatalf("second up: %+v, want no changes and %d unchanged", again, created.Create)
	}
	e.changes(ExitOK, "preview", "eu-west-1", "--rehearse", "--expect-no-changes")

	// One queue setting: exactly one update, and --expect-no-changes says so with exit 5.
	e.edit("eu-west-1", "visibilityTimeoutSeconds: 60", "visibilityTimeoutSeconds: 90")
	if got := e.changes(ExitChangesPending, "preview", "eu-west-1", "--rehearse", "--expect-no-changes")["eu-west-1"]; got != (engine.Changes{Update: 1, Same: created.Create - 1}) {
		t.Fatalf("preview after editing the queue: %+v, want exactly one update", got)
	}
	code, out, _ := e.run(context.Background(), "preview", "eu-west-1", "--rehearse", "--diff", "--markdown", "comment.md")
	if code != ExitOK || !strings.Contains(out, "visibilityTimeoutSeconds: 60 => 90") {
		t.Fatalf("preview --diff: exit %d, want the engine's property diff:\n%s", code, out)
	}
	if comment := e.read("comment.md"); !strings.Contains(comment, "**queue-events-queue**") || !strings.Contains(comment, "`visibilityTimeoutSeconds`: `60` → `90`") {
		t.Errorf("preview --markdown: the comment lacks the queue's update:\n%s", comment)
	}
	if got := e.changes(ExitOK, "up", "eu-west-1", "--rehearse", "--yes")["eu-west-1"]; got.Update != 1 || got.Create+got.Replace+got.Delete != 0 {
		t.Fatalf("up after editing the queue: %+v, want exactly one update", got)
	}

	// A new database engine replaces the cluster: shown by preview, refused by up, nothing applied.
	before := loadRegions(t, "eu-west-1")[0]
	e.edit("eu-west-1", "engine: aurora-mysql\n    engineVersion: 8.0.mysql_aurora.3.10.3", "engine: aurora-postgresql\n    engineVersion: \"16.10\"")
	code, out, _ = e.run(context.Background(), "preview", "eu-west-1", "--rehearse", "--result", "preview.json", "--markdown", "comment.md", "--fail-on", "replace")
	if code != ExitPolicyViolation || !strings.Contains(out, "blast.replace") || !strings.Contains(out, "engine") {
		t.Fatalf("preview of an engine change: exit %d, want 3 naming blast.replace and the engine property:\n%s", code, out)
	}
	if comment := e.read("comment.md"); !strings.Contains(comment, "`engine`: `\"aurora-mysql\"` → `\"aurora-postgresql\"` (forces the replacement)") {
		t.Errorf("preview --markdown: the comment does not name engine as forcing the replacement:\n%s", comment)
	}
	// The offline diff decides what the engine decides, resource by resource.
	after := loadRegions(t, "eu-west-1")[0]
	if want, got := offlineOps(t, before, after), previewOps(t, e.read("preview.json")); !maps.Equal(want, got) {
		for _, urn := range slices.Sorted(maps.Keys(mergeMaps(want, got))) {
			if want[urn] != got[urn] {
				t.Errorf("offline diff and engine preview disagree on %s: offline %q, engine %q", urn, want[urn], got[urn])
			}
		}
	}
	code, out, errOut := e.run(context.Background(), "up", "eu-west-1", "--rehearse", "--yes")
	if code != ExitPolicyViolation || !strings.Contains(errOut, "refused by the guardrails (nothing applied)") {
		t.Fatalf("up of an engine change: exit %d, want 3:\n%s\n%s", code, out, errOut)
	}
	e.edit("eu-west-1", "engine: aurora-postgresql\n    engineVersion: \"16.10\"", "engine: aurora-mysql\n    engineVersion: 8.0.mysql_aurora.3.10.3")
	e.changes(ExitOK, "preview", "eu-west-1", "--rehearse", "--expect-no-changes")

	// Destroy: refused while protected, then everything goes with --unprotect.
	code, _, errOut = e.run(context.Background(), "destroy", "eu-west-1", "--rehearse", "--yes")
	if code != ExitFailure || !strings.Contains(errOut, "pass --unprotect") {
		t.Fatalf("destroy of a protected region: exit %d, want 1 asking for --unprotect:\n%s", code, errOut)
	}
	if got := e.changes(ExitOK, "destroy", "eu-west-1", "--rehearse", "--yes", "--unprotect")["eu-west-1"]; got.Delete != created.Create {
		t.Fatalf("destroy: %+v, want %d deleted", got, created.Create)
	}
	code, out, _ = e.run(context.Background(), "status", "eu-west-1", "--rehearse")
	if code != ExitOK || !strings.Contains(out, "not deployed") {
		t.Fatalf("status after destroy: exit %d\n%s", code, out)
	}
}

// read returns a file of the working directory.
func (e *e2e) read(rel string) string {
	e.t.Helper()
	b, err := os.ReadFile(filepath.Join(e.dir, rel))
	if err != nil {
		e.t.Fatal(err)
	}
	return string(b)
}

// offlineOps is what the offline diff does to each cloud resource going from before
// to after (same left out).
func offlineOps(t *testing.T, before, after *spec.Region) map[string]manifest.Op {
	t.Helper()
	b, err := engine.PlanRegion(before)
	if err != nil {
		t.Fatal(err)
	}
	a, err := engine.PlanRegion(after)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]manifest.Op{}
	for _, res := range manifest.Diff(b, a, awsmodel.ReplacesPlain).Resources {
		if res.Custom && res.Op != manifest.OpSame {
			out[res.URN] = res.Op
		}
	}
	return out
}

func mergeMaps[V any](a, b map[string]V) map[string]V {
	out := maps.Clone(a)
	maps.Copy(out, b)
	return out
}

// previewOps is the same from a preview's --result.
func previewOps(t *testing.T, result string) map[string]manifest.Op {
	t.Helper()
	var rv review.Review
	if err := json.Unmarshal([]byte(result), &rv); err != nil {
		t.Fatal(err)
	}
	out := map[string]manifest.Op{}
	for _, r := range rv.Regions {
		for _, res := range r.Resources {
			if res.Custom {
				out[res.URN] = res.Op
			}
		}
	}
	return out
}

func TestE2ETwoRegionsInParallel(t *testing.T) {
	e := newE2E(t)
	got := e.changes(ExitOK, "up", "eu-west-1", "ap-southeast-2", "--rehearse", "--yes")
	for _, id := range []string{"eu-west-1", "ap-southeast-2"} {
		if got[id].Create < 100 {
			t.Errorf("%s: %+v, want the whole region created", id, got[id])
		}
	}
	code, out, _ := e.run(context.Background(), "outputs", "ap-southeast-2", "--rehearse")
	if code != ExitOK || !strings.Contains(out, "vpcId: ") {
		t.Errorf("outputs: exit %d\n%s", code, out)
	}
}

// TestE2EConcurrentUpHitsLock holds the region's lock the way a concurrent run does
// (a lock file of another process in the state backend): up is refused in one line
// that says why and how to release a stale lock, nothing is applied, and once the lock
// is gone the same up goes through.
func TestE2EConcurrentUpHitsLock(t *testing.T) {
	e := newE2E(t)
	e.changes(ExitOK, "up", "eu-west-1", "--rehearse", "--yes")
	e.edit("eu-west-1", "visibilityTimeoutSeconds: 60", "visibilityTimeoutSeconds: 90")

	lockDir := filepath.Join(e.dir, engine.RehearsalDir, "state", ".pulumi", "locks", "organization", engine.Project, "eu-west-1")
	if err := os.MkdirAll(lockDir, 0o755); err != nil {
		t.Fatal(err)
	}
	lock := filepath.Join(lockDir, "8f0c0a6e-other-run.json")
	content := fmt.Sprintf(`{"pid":%d,"username":"ci","hostname":"runner-2","timestamp":%q}`, os.Getpid()+1, time.Now().Format(time.RFC3339))
	if err := os.WriteFile(lock, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := e.run(context.Background(), "up", "eu-west-1", "--rehearse", "--yes")
	if code != ExitFailure || !strings.Contains(errOut, `error: region "eu-west-1" is being changed by another run`) {
		t.Fatalf("up while locked: exit %d, want 1 with the lock explained:\n%s\n%s", code, out, errOut)
	}
	if strings.Contains(errOut, "stdout:") || strings.Count(lastLine(errOut), "\n") > 0 {
		t.Errorf("the lock error should be one line, not the engine's output:\n%s", errOut)
	}
	if err := os.Remove(lock); err != nil {
		t.Fatal(err)
	}
	if got := e.changes(ExitOK, "up", "eu-west-1", "--rehearse", "--yes")["eu-west-1"]; got.Update != 1 {
		t.Fatalf("up after the lock is released: %+v, want the pending update applied", got)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// TestE2ECancelThenResume cancels an up mid-way (the engine's own cancel) and checks
// the state stays consistent: the next up completes the region, the one after is a no-op.
func TestE2ECancelThenResume(t *testing.T) {
	e := newE2E(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	backend, err := engine.ResolveBackend("", true, os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	runner := &engine.Automation{Settings: engine.Settings{Backend: backend, Rehearse: true, Pulumi: pulumiCLI(t),
		Progress: func(ev engine.RegionEvent) {
			if o := ev.Event.ResOutputsEvent; o != nil && !o.Planning && o.Metadata.Op == apitype.OpCreate {
				once.Do(cancel)
			}
		}}}
	res := runner.Run(ctx, engine.Up, loadRegions(t, "eu-west-1"), nil)[0]
	if res.Err == nil || app.ExitCode(res.Err) != ExitCancelled {
		t.Fatalf("cancelled up: err %v, want a cancellation", res.Err)
	}
	resumed := e.changes(ExitOK, "up", "eu-west-1", "--rehearse", "--yes")["eu-west-1"]
	if resumed.Create == 0 || resumed.Replace+resumed.Delete != 0 {
		t.Fatalf("up after cancel: %+v, want the rest created", resumed)
	}
	if again := e.changes(ExitOK, "up", "eu-west-1", "--rehearse", "--yes")["eu-west-1"]; again.Pending() {
		t.Fatalf("up after resuming: %+v, want no changes", again)
	}
}

func pulumiCLI(t *testing.T) auto.PulumiCommand {
	t.Helper()
	cmd, err := engine.FindPulumi()
	if err != nil {
		t.Fatal(err)
	}
	return cmd
}

func loadRegions(t *testing.T, ids ...string) []*spec.Region {
	t.Helper()
	regions, err := spec.LoadDir("regions", ids...)
	if err != nil {
		t.Fatal(err)
	}
	return regions
}
