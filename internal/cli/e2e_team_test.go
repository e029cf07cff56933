package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/engine"
)

// End-to-end tests of the team flow: checkouts, a shared backend, interrupted runs,
// allowances, through the real Pulumi CLI and the rehearsal provider.

// shared points an e2e run at a self-managed backend outside every checkout, with its
// passphrase, the way a team's CI runners and laptops share one (rehearsal keeps its own
// state folder otherwise; the provider stays the rehearsal one).
func (e *e2e) shared(url, passphrase string) func(*Factory) {
	return func(f *Factory) {
		f.NewRunner = func(s engine.Settings) (app.Runner, error) {
			s.Backend.URL, s.Backend.Passphrase = url, passphrase
			return realRunner(s)
		}
	}
}

// runWith is run with the factory changed by with (nil: unchanged).
func (e *e2e) runWith(ctx context.Context, with func(*Factory), args ...string) (int, string, string) {
	ios, out, errOut := TestIO(false)
	f := NewFactory(ios)
	if with != nil {
		with(f)
	}
	g := &Globals{}
	root := NewRootCmdWith(f, g)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	return exitCode(ios, err, false), out.String(), errOut.String()
}

// mustRun runs regionctl and fails the test unless it exits with want.
func (e *e2e) mustRun(with func(*Factory), want int, args ...string) (string, string) {
	e.t.Helper()
	code, out, errOut := e.runWith(context.Background(), with, args...)
	if code != want {
		e.t.Fatalf("regionctl %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, out, errOut)
	}
	noDumps(e.t, out+errOut)
	return out, errOut
}

// noDumps fails when the Automation API's raw output reaches a user.
func noDumps(t *testing.T, s string) {
	t.Helper()
	for _, raw := range []string{"\ncode: ", "stdout: ", "stderr: ", "goroutine ", "panic:"} {
		if strings.Contains(s, raw) {
			t.Errorf("raw engine output (%q) reached the user:\n%s", raw, s)
		}
	}
}

// changesByRegion decodes an engine command's --json document: each region's changes.
func changesByRegion(t *testing.T, out string) map[string]engine.Changes {
	t.Helper()
	var doc struct {
		Regions []struct {
			Name    string         `json:"name"`
			Changes engine.Changes `json:"changes"`
		} `json:"regions"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	got := map[string]engine.Changes{}
	for _, r := range doc.Regions {
		got[r.Name] = r.Changes
	}
	return got
}

func changesOf(t *testing.T, out, region string) engine.Changes {
	t.Helper()
	c, ok := changesByRegion(t, out)[region]
	if !ok {
		t.Fatalf("no region %s in\n%s", region, out)
	}
	return c
}

// checkout makes another working copy (region files only, no .regionctl/) and moves there.
func (e *e2e) checkout(name string) string {
	e.t.Helper()
	dir := filepath.Join(e.t.TempDir(), name)
	if err := os.CopyFS(filepath.Join(dir, "regions"), os.DirFS(filepath.Join(e.dir, "regions"))); err != nil {
		e.t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		e.t.Fatal(err)
	}
	e.dir = dir
	return dir
}

// A stack one checkout created is previewed, refreshed, listed and destroyed from
// another checkout that shares only the backend URL and the passphrase; a second
// backend with another passphrase for the same region works side by side.
func TestE2EFreshCloneUsesSharedBackend(t *testing.T) {
	e := newE2E(t)
	backend := "file://" + t.TempDir()
	team := e.shared(backend, "team-passphrase")
	if c := changesOf(t, first(e.mustRun(team, ExitOK, "up", "eu-west-1", "--rehearse", "--yes", "--json")), "eu-west-1"); c.Create < 100 {
		t.Fatalf("first up: %+v", c)
	}

	e.checkout("clone-b")
	if c := changesOf(t, first(e.mustRun(team, ExitOK, "preview", "eu-west-1", "--rehearse", "--json", "--expect-no-changes")), "eu-west-1"); c.Same < 100 {
		t.Errorf("preview from a fresh clone: %+v, want the deployed region unchanged", c)
	}
	e.mustRun(team, ExitOK, "refresh", "eu-west-1", "--rehearse", "--yes")
	if out, _ := e.mustRun(team, ExitOK, "status", "eu-west-1", "--rehearse"); !strings.Contains(out, "eu-west-1  deployed") {
		t.Errorf("status from a fresh clone:\n%s", out)
	}
	// The work folder is a cache: deleting it changes nothing.
	if err := os.RemoveAll(filepath.Join(e.dir, engine.RehearsalDir, "work")); err != nil {
		t.Fatal(err)
	}
	e.mustRun(team, ExitOK, "preview", "eu-west-1", "--rehearse", "--expect-no-changes")

	// Another backend, another passphrase, the same region and checkout.
	other := e.shared("file://"+t.TempDir(), "another-passphrase")
	e.mustRun(other, ExitOK, "up", "eu-west-1", "--rehearse", "--yes")
	e.mustRun(team, ExitOK, "preview", "eu-west-1", "--rehearse", "--expect-no-changes")
	e.mustRun(other, ExitOK, "preview", "eu-west-1", "--rehearse", "--expect-no-changes")

	if c := changesOf(t, first(e.mustRun(team, ExitOK, "destroy", "eu-west-1", "--rehearse", "--yes", "--unprotect", "--json")), "eu-west-1"); c.Delete < 100 {
		t.Errorf("destroy from a fresh clone: %+v", c)
	}
	// The wrong passphrase is named as such, in one line.
	wrong := e.shared(backend, "not-it")
	e.mustRun(team, ExitOK, "up", "eu-west-1", "--rehearse", "--yes")
	_, errOut := e.mustRun(wrong, ExitFailure, "preview", "eu-west-1", "--rehearse")
	if !strings.Contains(errOut, "PULUMI_CONFIG_PASSPHRASE does not decrypt this stack's secrets") {
		t.Errorf("wrong passphrase:\n%s", errOut)
	}
}

func first(a, _ string) string { return a }

// stateFile is the rehearsal state file of a region in the e2e checkout.
func (e *e2e) stateFile(region string) string {
	return filepath.Join(e.dir, engine.RehearsalDir, "state", ".pulumi", "stacks", engine.Project, region+".json")
}

// editState rewrites the region's checkpoint (the self-managed backend's own file).
func (e *e2e) editState(region string, edit func(d *apitype.DeploymentV3)) {
	e.t.Helper()
	path := e.stateFile(region)
	b, err := os.ReadFile(path)
	if err != nil {
		e.t.Fatal(err)
	}
	var vc apitype.VersionedCheckpoint
	var cp apitype.CheckpointV3
	if err := json.Unmarshal(b, &vc); err != nil {
		e.t.Fatal(err)
	}
	if err := json.Unmarshal(vc.Checkpoint, &cp); err != nil {
		e.t.Fatal(err)
	}
	edit(cp.Latest)
	if vc.Checkpoint, err = json.Marshal(cp); err != nil {
		e.t.Fatal(err)
	}
	if b, err = json.Marshal(vc); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		e.t.Fatal(err)
	}
}

// protectedCount reads how many resources the state protects.
func (e *e2e) protectedCount(region string) int {
	e.t.Helper()
	return len(e.protectedURNs(region))
}

// protectedURNs reads which resources the state protects, and which it holds.
func (e *e2e) protectedURNs(region string) map[string]bool {
	e.t.Helper()
	held := map[string]bool{}
	e.editState(region, func(d *apitype.DeploymentV3) {
		for _, r := range d.Resources {
			if r.Protect {
				held[string(r.URN)] = true
			}
		}
	})
	return held
}

// heldURNs reads which resources the state holds.
func (e *e2e) heldURNs(region string) map[string]bool {
	e.t.Helper()
	held := map[string]bool{}
	e.editState(region, func(d *apitype.DeploymentV3) {
		for _, r := range d.Resources {
			held[string(r.URN)] = true
		}
	})
	return held
}

// A destroy --unprotect that died after lifting protection (SIGKILL: nothing could
// undo it) leaves the state unprotected: preview shows it as a change, a plain destroy
// still refuses (the program protects them), and up restores it.
func TestE2ELostProtectionIsRestored(t *testing.T) {
	e := newE2E(t)
	e.mustRun(nil, ExitOK, "up", "eu-west-1", "--rehearse", "--yes")
	want := e.protectedCount("eu-west-1")
	if want < 5 {
		t.Fatalf("%d protected resources after up", want)
	}
	e.editState("eu-west-1", func(d *apitype.DeploymentV3) {
		for i := range d.Resources {
			d.Resources[i].Protect = false
		}
	})
	out, _ := e.mustRun(nil, ExitChangesPending, "preview", "eu-west-1", "--rehearse", "--expect-no-changes", "--json")
	if c := changesOf(t, out, "eu-west-1"); c.Protect != want {
		t.Errorf("preview: %+v, want %d to re-protect", c, want)
	}
	if _, errOut := e.mustRun(nil, ExitFailure, "destroy", "eu-west-1", "--rehearse", "--yes"); !strings.Contains(errOut, "pass --unprotect") {
		t.Errorf("plain destroy of an unprotected state:\n%s", errOut)
	}
	e.mustRun(nil, ExitOK, "up", "eu-west-1", "--rehearse", "--yes")
	if got := e.protectedCount("eu-west-1"); got != want {
		t.Errorf("%d protected after up, want %d", got, want)
	}
	e.mustRun(nil, ExitOK, "preview", "eu-west-1", "--rehearse", "--expect-no-changes")
}

// Ctrl-C during destroy --unprotect: what is left is protected again.
func TestE2EInterruptedDestroyKeepsProtection(t *testing.T) {
	e := newE2E(t)
	e.mustRun(nil, ExitOK, "up", "eu-west-1", "--rehearse", "--yes")
	before := e.protectedURNs("eu-west-1")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var once sync.Once
	interrupt := func(f *Factory) {
		f.NewRunner = func(s engine.Settings) (app.Runner, error) {
			progress := s.Progress
			s.Progress = func(ev engine.RegionEvent) {
				// At the first delete to start: data stores, which everything else
				// depends on, go last, so the interrupt always finds some left.
				if p := ev.Event.ResourcePreEvent; p != nil && !p.Planning && p.Metadata.Op == apitype.OpDelete {
					once.Do(cancel)
				}
				progress(ev)
			}
			return realRunner(s)
		}
	}
	code, out, errOut := e.runWith(ctx, interrupt, "destroy", "eu-west-1", "--rehearse", "--yes", "--unprotect")
	if code != ExitCancelled {
		t.Fatalf("interrupted destroy: exit %d\n%s\n%s", code, out, errOut)
	}
	noDumps(t, out+errOut)
	// Whatever the destroy did not reach is still in the state, and protected again.
	held, protected := e.heldURNs("eu-west-1"), e.protectedURNs("eu-west-1")
	left := 0
	for urn := range before {
		if held[urn] {
			left++
			if !protected[urn] {
				t.Errorf("%s lost its protection to the interrupted destroy", urn)
			}
		}
	}
	if left == 0 {
		t.Fatal("the interrupt came too late: nothing protected was left to check")
	}
	e.mustRun(nil, ExitOK, "up", "eu-west-1", "--rehearse", "--yes")
	e.mustRun(nil, ExitOK, "preview", "eu-west-1", "--rehearse", "--expect-no-changes")
}

// The documented path: an allowed replacement and an allowed deletion of exactly the
// named data store are applied; everything else stays protected; without the
// allowance the same change is refused with exit 3 naming it.
func TestE2EAllowedReplacementAndDeletion(t *testing.T) {
	e := newE2E(t)
	e.mustRun(nil, ExitOK, "up", "eu-west-1", "--rehearse", "--yes")
	protected := e.protectedCount("eu-west-1")

	e.edit("eu-west-1", "engine: aurora-mysql\n    engineVersion: 8.0.mysql_aurora.3.10.3", "engine: aurora-postgresql\n    engineVersion: \"16.10\"")
	out, errOut := e.mustRun(nil, ExitPolicyViolation, "up", "eu-west-1", "--rehearse", "--yes")
	if !strings.Contains(out, "allow: [{replace: database/main") || !strings.Contains(out, "because engine changed") {
		t.Errorf("denied replacement must name the allowance and the engine's reason:\n%s\n%s", out, errOut)
	}
	if strings.Contains(out, "kmsKeyId") || strings.Contains(out, "vpcSecurityGroupIds") {
		t.Errorf("only the properties that changed may be named:\n%s", out)
	}
	// Every refused replacement is reported, not only the first the engine met.
	e.edit("eu-west-1", "  - name: events\n", "  - name: events\n    fifo: true\n")
	out, _ = e.mustRun(nil, ExitPolicyViolation, "preview", "eu-west-1", "--rehearse")
	if !strings.Contains(out, "allow: [{replace: database/main") || !strings.Contains(out, "allow: [{replace: queue/events") {
		t.Errorf("both refused replacements must be reported:\n%s", out)
	}
	e.edit("eu-west-1", "  - name: events\n    fifo: true\n", "  - name: events\n")
	e.appendRegion("eu-west-1", "allow:\n  - replace: database/main\n    reason: engine change, data migrated and checked (CHG-1300)\n    expires: 2026-12-31\n")
	// Allowed, but the old cluster is retained under "main": the new one needs an
	// identifier of its own, and the guardrail says so before anything is applied.
	out, _ = e.mustRun(nil, ExitPolicyViolation, "up", "eu-west-1", "--rehearse", "--yes")
	if !strings.Contains(out, "blast.same-identifier") || !strings.Contains(out, "identifier: main-2") {
		t.Errorf("a replacement under the same identifier must be refused with the fix:\n%s", out)
	}
	e.edit("eu-west-1", "engine: aurora-postgresql", "identifier: main-2\n    engine: aurora-postgresql")
	if c := changesOf(t, first(e.mustRun(nil, ExitOK, "up", "eu-west-1", "--rehearse", "--yes", "--json")), "eu-west-1"); c.Replace < 1 {
		t.Errorf("allowed replacement: %+v, want it applied", c)
	}
	if got := e.protectedCount("eu-west-1"); got != protected {
		t.Errorf("%d protected after the replacement, want %d: the new database is protected, nothing else lost it", got, protected)
	}

	// Deleting the queue: refused naming queue/events, then applied once allowed.
	e.edit("eu-west-1", "queues:\n  - name: events\n    visibilityTimeoutSeconds: 60\n    maxReceiveCount: 5\n", "")
	e.edit("eu-west-1", "uses: [queue/events, database/main]", "uses: [database/main]")
	out, _ = e.mustRun(nil, ExitPolicyViolation, "up", "eu-west-1", "--rehearse", "--yes")
	if !strings.Contains(out, "allow: [{delete: queue/events") {
		t.Errorf("denied deletion must name queue/events:\n%s", out)
	}
	e.appendRegion("eu-west-1", "  - delete: queue/events\n    reason: moved to the shared event bus (CHG-1301)\n    expires: 2026-12-31\n")
	if c := changesOf(t, first(e.mustRun(nil, ExitOK, "up", "eu-west-1", "--rehearse", "--yes", "--json")), "eu-west-1"); c.Delete < 1 {
		t.Errorf("allowed deletion: %+v, want it applied", c)
	}
	if got := e.protectedCount("eu-west-1"); got != protected-2 { // the queue and its dead-letter queue
		t.Errorf("%d protected after deleting the queue, want %d", got, protected-2)
	}
	e.mustRun(nil, ExitOK, "preview", "eu-west-1", "--rehearse", "--expect-no-changes")
}

func (e *e2e) appendRegion(region, text string) {
	e.t.Helper()
	f, err := os.OpenFile(filepath.Join(e.dir, "regions", region+".yaml"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		e.t.Fatal(err)
	}
}

// An interrupted create left in the state is shown by status, stops up with the way
// out, and is cleared by refresh with a note of what to look for.
func TestE2EPendingCreateReportedAndCleared(t *testing.T) {
	e := newE2E(t)
	e.mustRun(nil, ExitOK, "up", "eu-west-1", "--rehearse", "--yes")
	e.editState("eu-west-1", func(d *apitype.DeploymentV3) {
		var queue apitype.ResourceV3
		for _, r := range d.Resources {
			if strings.HasSuffix(string(r.URN), "::queue-events-queue") {
				queue = r
			}
		}
		queue.URN = queue.URN[:strings.LastIndex(string(queue.URN), "::")] + "::queue-extra-queue"
		queue.ID = ""
		d.PendingOperations = []apitype.OperationV2{{Resource: queue, Type: apitype.OperationTypeCreating}}
	})
	if out, _ := e.mustRun(nil, ExitOK, "status", "--rehearse"); !strings.Contains(out, "interrupted (1 pending)") ||
		!strings.Contains(out, "eu-west-1: interrupted while creating aws:sqs/queue:Queue queue-extra-queue") {
		t.Errorf("status:\n%s", out)
	}
	if _, errOut := e.mustRun(nil, ExitOK, "preview", "eu-west-1", "--rehearse"); !strings.Contains(errOut, "warning: region \"eu-west-1\": 1 operation was interrupted") {
		t.Errorf("preview with a pending create:\n%s", errOut)
	}
	if _, errOut := e.mustRun(nil, ExitFailure, "up", "eu-west-1", "--rehearse", "--yes"); !strings.Contains(errOut, "run `regionctl refresh eu-west-1`") {
		t.Errorf("up with a pending create:\n%s", errOut)
	}
	_, errOut := e.mustRun(nil, ExitOK, "refresh", "eu-west-1", "--rehearse", "--yes")
	if !strings.Contains(errOut, "eu-west-1: cleared 1 interrupted operation from the state; the interrupted create of aws:sqs/queue:Queue queue-extra-queue may have made a resource") {
		t.Errorf("refresh:\n%s", errOut)
	}
	if out, _ := e.mustRun(nil, ExitOK, "status", "--rehearse"); strings.Contains(out, "interrupted") {
		t.Errorf("status after refresh:\n%s", out)
	}
	e.mustRun(nil, ExitOK, "up", "eu-west-1", "--rehearse", "--yes", "--expect-no-changes")
}

// A corrupt state file is named as corrupt, never as a held lock, for a preview (which
// takes no lock) as for status.
func TestE2ECorruptStateIsNamed(t *testing.T) {
	e := newE2E(t)
	e.mustRun(nil, ExitOK, "up", "eu-west-1", "--rehearse", "--yes")
	if err := os.WriteFile(e.stateFile("eu-west-1"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"preview", "eu-west-1", "--rehearse"}, {"status", "--rehearse"}} {
		_, errOut := e.mustRun(nil, ExitFailure, args...)
		if !strings.Contains(errOut, "the state file "+e.stateFile("eu-west-1")+" is corrupt") || strings.Contains(errOut, "another run") {
			t.Errorf("%s:\n%s", args[0], errOut)
		}
	}
}

// Failures that used to dump the Automation API's output are one line each.
func TestE2EOneLineErrors(t *testing.T) {
	e := newE2E(t)
	_, errOut := e.mustRun(nil, ExitFailure, "outputs", "eu-west-1", "--rehearse")
	if !strings.Contains(errOut, `region "eu-west-1" is not deployed`) {
		t.Errorf("outputs of a region never deployed:\n%s", errOut)
	}
	// Two first-time ups of one region at once: one creates it, the other meets its
	// lock or finds it done; neither shows the engine's dump.
	var wg sync.WaitGroup
	codes := make([]int, 2)
	outs := make([]string, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, out, errOut := e.runWith(context.Background(), nil, "up", "eu-west-1", "--rehearse", "--yes")
			codes[i], outs[i] = code, out+errOut
		}()
	}
	wg.Wait()
	for i := range 2 {
		noDumps(t, outs[i])
	}
	if codes[0] != ExitOK && codes[1] != ExitOK {
		t.Errorf("neither concurrent first up succeeded:\n%s\n%s", outs[0], outs[1])
	}
	e.mustRun(nil, ExitOK, "up", "eu-west-1", "--rehearse", "--yes")
	e.mustRun(nil, ExitOK, "preview", "eu-west-1", "--rehearse", "--expect-no-changes")
}

// A region whose file was deleted stays visible and can be read and destroyed from
// its state.
func TestE2EDeletedRegionFile(t *testing.T) {
	e := newE2E(t)
	e.mustRun(nil, ExitOK, "up", "ap-southeast-2", "--rehearse", "--yes")
	if err := os.Remove(filepath.Join(e.dir, "regions", "ap-southeast-2.yaml")); err != nil {
		t.Fatal(err)
	}
	if out, _ := e.mustRun(nil, ExitOK, "status", "--rehearse"); !strings.Contains(out, "ap-southeast-2  deployed, no region file: destroy it or restore the file") {
		t.Errorf("status:\n%s", out)
	}
	if out, _ := e.mustRun(nil, ExitOK, "outputs", "ap-southeast-2", "--rehearse"); !strings.Contains(out, "vpcId: ") {
		t.Errorf("outputs from the state:\n%s", out)
	}
	e.mustRun(nil, ExitFailure, "destroy", "ap-southeast-2", "--rehearse", "--yes")
	if c := changesOf(t, first(e.mustRun(nil, ExitOK, "destroy", "ap-southeast-2", "--rehearse", "--yes", "--unprotect", "--json")), "ap-southeast-2"); c.Delete < 100 {
		t.Errorf("destroy from the state: %+v", c)
	}
	if out, _ := e.mustRun(nil, ExitOK, "status", "--rehearse"); strings.Contains(out, "ap-southeast-2") && !strings.Contains(out, "ap-southeast-2  not deployed") {
		t.Errorf("status after destroy:\n%s", out)
	}
}

// Changes that replace resources with fixed names go through on AWS's rules: a new port
// gives the target group a name of its own (the listener still uses the old one while
// the new one is created), and a load balancer turned internal is replaced once its
// deletion protection is lifted, which up does for what the confirmed preview replaces.
func TestE2EReplacementsOfNamedResources(t *testing.T) {
	e := newE2E(t)
	e.mustRun(nil, ExitOK, "up", "eu-west-1", "--rehearse", "--yes")
	e.edit("eu-west-1", "    loadBalancer: { public: true,", "    port: 9090\n    loadBalancer: { public: false,")
	out, errOut := e.mustRun(nil, ExitOK, "up", "eu-west-1", "--rehearse", "--yes", "--json")
	if c := changesOf(t, out, "eu-west-1"); c.Replace < 2 {
		t.Errorf("replacements: %+v, want the target group and the load balancer replaced\n%s", c, errOut)
	}
	e.mustRun(nil, ExitOK, "preview", "eu-west-1", "--rehearse", "--expect-no-changes")
}
