package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

// packageDir is where the tests start (go test runs them in the package folder);
// many of them move to a temporary working directory.
var packageDir, _ = os.Getwd()

// cliTestdata is the absolute path of internal/cli/testdata/name, whatever the
// working directory is now.
func cliTestdata(t *testing.T, name string) string {
	t.Helper()
	return filepath.Join(packageDir, "testdata", name)
}

func TestDeployCmdParsesArgs(t *testing.T) {
	tests := []struct {
		op      engine.Operation
		argv    string
		check   func(*DeployOptions) bool
		wantErr string
	}{
		{op: engine.Up, argv: "up eu-west-1 --rehearse --yes --parallel 2 --diff",
			check: func(o *DeployOptions) bool {
				r := o.Request
				return r.Rehearse && r.Yes && r.Parallel == 2 && r.Diff && o.Op == engine.Up && slices.Equal(r.Regions, []string{"eu-west-1"})
			}},
		{op: engine.Preview, argv: "preview --all --expect-no-changes --state s3://bucket --json",
			check: func(o *DeployOptions) bool {
				return o.All && o.Request.ExpectNoChanges && o.Request.StateURL == "s3://bucket" && o.JSON && len(o.Request.Regions) == 0
			}},
		{op: engine.Destroy, argv: "destroy eu-west-1 --unprotect --yes",
			check: func(o *DeployOptions) bool { return o.Request.Unprotect && o.Request.Yes }},
		{op: engine.Refresh, argv: "refresh eu-west-1 --yes", check: func(o *DeployOptions) bool { return o.Request.Yes }},
		{op: engine.Preview, argv: "preview eu-west-1 --yes", wantErr: "unknown flag: --yes"},
		{op: engine.Up, argv: "up eu-west-1 --unprotect", wantErr: "unknown flag: --unprotect"},
		{op: engine.Destroy, argv: "destroy eu-west-1 --expect-no-changes", wantErr: "unknown flag: --expect-no-changes"},
		{op: engine.Up, argv: "up", wantErr: "name at least one region (regionctl up eu-west-1) or use --all"},
		{op: engine.Up, argv: "up eu-west-1 --parallel -1",
			wantErr: `invalid argument "-1" for "--parallel" flag: "-1" is not a number of regions; give a whole number, 1 or more (0 or none: ` +
				itoa(engine.DefaultParallel()) + ` on this machine)`},
		{op: engine.Up, argv: "up eu-west-1 --stage network --rehearse --yes",
			check: func(o *DeployOptions) bool { return o.Request.Stage == app.StageNetwork && !o.Request.Staged }},
		{op: engine.Up, argv: "up --all --staged --yes",
			check: func(o *DeployOptions) bool { return o.All && o.Request.Staged && o.Request.Stage == "" }},
		{op: engine.Preview, argv: "preview eu-west-1 --stage data",
			check: func(o *DeployOptions) bool { return o.Request.Stage == app.StageData }},
		{op: engine.Up, argv: "up eu-west-1 --stage db", wantErr: `invalid argument "db" for "--stage" flag: "db" is not a stage; use one of network, data, app`},
		{op: engine.Up, argv: "up eu-west-1 --stage data --staged", wantErr: "use --stage data or --staged, not both (--staged runs every stage in turn)"},
		{op: engine.Preview, argv: "preview eu-west-1 --staged", wantErr: "unknown flag: --staged"},
		{op: engine.Destroy, argv: "destroy eu-west-1 --stage app", wantErr: "unknown flag: --stage"},
		{op: engine.Refresh, argv: "refresh eu-west-1 --staged", wantErr: "unknown flag: --staged"},
		{op: engine.Preview, argv: "preview eu-west-1 --parallel abc",
			wantErr: `invalid argument "abc" for "--parallel" flag: "abc" is not a number of regions; give a whole number, 1 or more (0 or none: ` +
				itoa(engine.DefaultParallel()) + ` on this machine)`},
	}
	for _, tt := range tests {
		t.Run(tt.argv, func(t *testing.T) {
			ios, _, errOut := TestIO(false)
			g := &Globals{}
			root := newBareRoot(ios, g)
			var got *DeployOptions
			root.AddCommand(newDeployCmd(testFactory(ios, deployDay, nil, nil), g, tt.op, func(o *DeployOptions) error { got = o; return nil }))
			root.SetArgs(strings.Fields(tt.argv))
			err := root.Execute()
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				if code := exitCode(ios, err, false); code != ExitFailure || strings.Contains(errOut.String(), "strconv") {
					t.Errorf("exit %d, stderr %q: want 1 and our own words", code, errOut.String())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(got) {
				t.Errorf("unexpected options %+v", *got)
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// fakeRunner returns canned results per operation and region, and records every call.
type fakeRunner struct {
	mu       sync.Mutex
	results  map[engine.Operation]map[string]engine.Result
	states   map[string]engine.State
	stacks   []engine.StackSummary
	history  map[string][]engine.Update
	calls    []string
	settings engine.Settings
	// onPrompt, when set, runs inside Run (to interrupt it, say).
	onRun func(op engine.Operation)
}

func (f *fakeRunner) record(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf(format, args...))
}

func (f *fakeRunner) Run(_ context.Context, op engine.Operation, regions []*spec.Region, targets engine.Targets) []engine.Result {
	if f.onRun != nil {
		f.onRun(op)
	}
	out := make([]engine.Result, len(regions))
	for i, r := range regions {
		if t, ok := targets[r.Region]; ok {
			f.record("%s %s (%d targets)", op, r.Region, len(t))
			res := f.results[op][r.Region]
			res.Region, res.Op = r.Region, op
			out[i] = res
			continue
		}
		f.record("%s %s", op, r.Region)
		res := f.results[op][r.Region]
		res.Region, res.Op = r.Region, op
		out[i] = res
	}
	return out
}

func (f *fakeRunner) State(_ context.Context, r *spec.Region) (engine.State, error) {
	st, ok := f.states[r.Region]
	if !ok {
		return engine.State{}, &engine.NotDeployedError{Region: r.Region, Backend: "file:///x"}
	}
	return st, nil
}

func (f *fakeRunner) SetProtect(_ context.Context, r *spec.Region, urns []string, protect bool) error {
	verb := "unprotect"
	if protect {
		verb = "protect"
	}
	f.record("%s %s %s", verb, r.Region, strings.Join(urns, " "))
	return nil
}

func (f *fakeRunner) SetDeletionProtection(_ context.Context, r *spec.Region, urns []string, on bool) error {
	if len(urns) == 0 {
		return nil
	}
	verb := "release"
	if on {
		verb = "guard"
	}
	f.record("%s %s %s", verb, r.Region, strings.Join(urns, " "))
	return nil
}

func (f *fakeRunner) Outputs(context.Context, *spec.Region) (map[string]any, error) {
	return map[string]any{"vpcId": "vpc-1"}, nil
}

func (f *fakeRunner) Stacks(context.Context) ([]engine.StackSummary, error) { return f.stacks, nil }

func (f *fakeRunner) Pending(_ context.Context, id string) ([]engine.PendingOperation, int, error) {
	st := f.states[id]
	return st.PendingOperations(), st.Managed(), nil
}

func (f *fakeRunner) History(_ context.Context, r *spec.Region) ([]engine.Update, error) {
	h, ok := f.history[r.Region]
	if !ok {
		return nil, &engine.NotDeployedError{Region: r.Region, Backend: "file:///x"}
	}
	return h, nil
}

func (f *fakeRunner) Close() {}

func (f *fakeRunner) called() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// deployOpts returns options over testdata/regions (copied into a temporary working
// directory, so state folders land there) with f as the engine.
func deployOpts(t *testing.T, ios *IOStreams, op engine.Operation, f *fakeRunner) *DeployOptions {
	t.Helper()
	dir := cliTestdata(t, "regions")
	t.Chdir(t.TempDir())
	fac := testFactory(ios, deployDay, nil, nil)
	fac.NewRunner = func(s engine.Settings) (app.Runner, error) { f.settings = s; return f, nil }
	return &DeployOptions{IO: ios, Op: op, All: true, Env: envFor(fac, dir)}
}

func TestUpNeedsYesOffTerminal(t *testing.T) {
	ios, out, _ := TestIO(false)
	f := &fakeRunner{}
	opts := deployOpts(t, ios, engine.Up, f)
	err := deployRun(context.Background(), opts)
	if err == nil || err.Error() != "up changes real resources: pass --yes to confirm when not on a terminal" {
		t.Fatalf("error = %v", err)
	}
	if len(f.called()) != 0 || out.Len() != 0 {
		t.Error("nothing may run without confirmation")
	}
}

// A question needs a person: stdout piped to a file is no terminal, even when stdin is.
func TestUpWithStdoutRedirectedNeedsYes(t *testing.T) {
	ios, _, _ := TestIO(true)
	ios.StdoutTTY = false
	f := &fakeRunner{}
	if err := deployRun(context.Background(), deployOpts(t, ios, engine.Up, f)); err == nil || !strings.Contains(err.Error(), "pass --yes") {
		t.Fatalf("error = %v, want --yes asked for", err)
	}
}

// queueUpdate is a preview that updates one queue of a region.
func queueUpdate(region string) engine.Result {
	return engine.Result{Changes: engine.Changes{Update: 1, Same: 10}, Steps: manifest.Region{Name: region, Resources: []manifest.Resource{{
		URN:  "urn:pulumi:" + region + "::regionctl::regionctl:stacks:Queue$aws:sqs/queue:Queue::queue-events-queue",
		Type: "aws:sqs/queue:Queue", Name: "queue-events-queue", Custom: true, Op: manifest.OpUpdate, Inputs: map[string]any{},
		Protect: true, RetainOnDelete: true,
	}}, Partial: true}}
}

// On a terminal, up shows what the preview found before it asks, and applies only
// after a yes; a no (or anything else) applies nothing and exits 2.
func TestUpOnTerminalShowsPreviewThenAsks(t *testing.T) {
	for _, tt := range []struct {
		answer string
		code   int
		ups    int
	}{{"y\n", ExitOK, 1}, {"n\n", ExitCancelled, 0}, {"\n", ExitCancelled, 0}} {
		t.Run(strings.TrimSpace(tt.answer), func(t *testing.T) {
			ios, _, errOut := TestIO(true)
			ios.In = strings.NewReader(tt.answer)
			f := &fakeRunner{results: map[engine.Operation]map[string]engine.Result{
				engine.Preview: {"eu-west-1": queueUpdate("eu-west-1"), "ap-southeast-2": {Changes: engine.Changes{Same: 5}}},
				engine.Up:      {"eu-west-1": {Changes: engine.Changes{Update: 1, Same: 10}}},
			}}
			opts := deployOpts(t, ios, engine.Up, f)
			err := deployRun(context.Background(), opts)
			if code := exitCode(ios, err, false); code != tt.code {
				t.Fatalf("exit %d, want %d (%v)", code, tt.code, err)
			}
			stderr := errOut.String()
			shown := strings.Index(stderr, "~  aws:sqs/queue:Queue queue-events-queue")
			asked := strings.Index(stderr, "Apply these changes to 1 region (eu-west-1)? [y/N] ")
			if shown < 0 || asked < 0 || shown > asked {
				t.Errorf("the changed resource must be shown before the question:\n%s", stderr)
			}
			ups := 0
			for _, c := range f.called() {
				if strings.HasPrefix(c, "up ") {
					ups++
				}
			}
			if ups != tt.ups {
				t.Errorf("calls %v: want %d up", f.called(), tt.ups)
			}
		})
	}
}

// Ctrl-C while the question waits cancels at once (exit 2), applying nothing.
func TestUpCtrlCAtThePromptCancels(t *testing.T) {
	ios, _, _ := TestIO(true)
	pr, pw := io.Pipe() // a terminal nobody types into
	defer pw.Close()
	ios.In = pr
	f := &fakeRunner{results: map[engine.Operation]map[string]engine.Result{engine.Preview: {"eu-west-1": queueUpdate("eu-west-1")}}}
	opts := deployOpts(t, ios, engine.Up, f)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	done := make(chan error, 1)
	go func() { done <- deployRun(ctx, opts) }()
	select {
	case err := <-done:
		if code := exitCode(ios, err, false); code != ExitCancelled {
			t.Fatalf("exit %d, want 2 (%v)", code, err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the prompt ignored Ctrl-C")
	}
	for _, c := range f.called() {
		if strings.HasPrefix(c, "up ") {
			t.Errorf("applied after Ctrl-C: %v", f.called())
		}
	}
}

func TestDestroyOnTerminalWantsRegionTyped(t *testing.T) {
	ios, _, errOut := TestIO(true)
	ios.In = strings.NewReader("ap-southeast-2\neu-west-2\n")
	f := &fakeRunner{states: map[string]engine.State{"ap-southeast-2": {}, "eu-west-1": {}}}
	opts := deployOpts(t, ios, engine.Destroy, f)
	err := deployRun(context.Background(), opts)
	if code := exitCode(ios, err, false); code != ExitCancelled {
		t.Fatalf("exit code %d, want %d (%v)", code, ExitCancelled, err)
	}
	for _, c := range f.called() {
		if strings.HasPrefix(c, "destroy") {
			t.Errorf("destroy ran without the second region being confirmed: %v", f.called())
		}
	}
	if !strings.Contains(errOut.String(), "Type the region id to confirm") {
		t.Errorf("no prompt in %q", errOut.String())
	}
}

func TestUpRehearseSummaryAndNotes(t *testing.T) {
	ios, out, errOut := TestIO(false)
	f := &fakeRunner{results: map[engine.Operation]map[string]engine.Result{
		engine.Preview: {"eu-west-1": {Changes: engine.Changes{Create: 124}}, "ap-southeast-2": {Changes: engine.Changes{Same: 124}, Duration: 900 * time.Millisecond}},
		engine.Up:      {"eu-west-1": {Changes: engine.Changes{Create: 124}, Duration: 2100 * time.Millisecond}},
	}}
	opts := deployOpts(t, ios, engine.Up, f)
	opts.Request.Rehearse, opts.Request.Yes = true, true
	if err := deployRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	want := "REGION          CREATE  UPDATE  REPLACE  DELETE  SAME  DURATION  RESULT\n" +
		"ap-southeast-2  0       0       0        0       124   900ms     ok\n" +
		"eu-west-1       124     0       0        0       0     2.1s      ok\n"
	if out.String() != want {
		t.Errorf("stdout =\n%s\nwant\n%s", out.String(), want)
	}
	for _, note := range []string{"no cloud resources are touched", "rehearsal: done; no cloud resources were touched"} {
		if !strings.Contains(errOut.String(), note) {
			t.Errorf("stderr lacks %q:\n%s", note, errOut.String())
		}
	}
	if !f.settings.Rehearse || !strings.Contains(f.settings.Backend.URL, filepath.Join(".regionctl", "rehearsal")) {
		t.Errorf("rehearsal must use its own state, got %+v", f.settings.Backend)
	}
	if want := []string{"preview ap-southeast-2", "preview eu-west-1", "up eu-west-1"}; !reflect.DeepEqual(f.called(), want) {
		t.Errorf("calls %v, want %v (a region without changes is not updated)", f.called(), want)
	}
}

func TestFailedRegionDoesNotHideOthers(t *testing.T) {
	ios, out, errOut := TestIO(false)
	f := &fakeRunner{results: map[engine.Operation]map[string]engine.Result{engine.Preview: {
		"eu-west-1":      {Err: errors.New(`region "eu-west-1": boom`)},
		"ap-southeast-2": {Changes: engine.Changes{Create: 3}},
	}}}
	opts := deployOpts(t, ios, engine.Preview, f)
	opts.JSON = true
	err := deployRun(context.Background(), opts)
	if code := exitCode(ios, err, false); code != ExitFailure {
		t.Fatalf("exit code %d, want 1", code)
	}
	var doc struct {
		Regions []struct {
			Name    string         `json:"name"`
			Changes engine.Changes `json:"changes"`
			Error   string         `json:"error"`
		} `json:"regions"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	if len(doc.Regions) != 2 || doc.Regions[0].Changes.Create != 3 || doc.Regions[1].Error == "" {
		t.Errorf("unexpected document %+v", doc)
	}
	if !strings.Contains(errOut.String(), `error: region "eu-west-1": boom`) {
		t.Errorf("stderr = %q", errOut.String())
	}
}

func TestExpectNoChanges(t *testing.T) {
	for _, tt := range []struct {
		name    string
		changes engine.Changes
		code    int
	}{
		{"pending", engine.Changes{Update: 1, Same: 10}, ExitChangesPending},
		// Protection the state lost is a change to apply, not "no changes".
		{"protection lost", engine.Changes{Same: 11, Protect: 2}, ExitChangesPending},
		{"clean", engine.Changes{Same: 11}, ExitOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _ := TestIO(false)
			f := &fakeRunner{results: map[engine.Operation]map[string]engine.Result{engine.Preview: {
				"eu-west-1": {Changes: tt.changes}, "ap-southeast-2": {Changes: engine.Changes{Same: 3}}}}}
			opts := deployOpts(t, ios, engine.Preview, f)
			opts.Request.ExpectNoChanges = true
			if code := exitCode(ios, deployRun(context.Background(), opts), false); code != tt.code {
				t.Errorf("exit code %d, want %d", code, tt.code)
			}
		})
	}
}

func TestPassphraseRequiredForLocalState(t *testing.T) {
	ios, _, _ := TestIO(false)
	f := &fakeRunner{}
	opts := deployOpts(t, ios, engine.Preview, f)
	fac := testFactory(ios, deployDay, nil, f)
	fac.Getenv = func(string) string { return "" }
	opts.Env = envFor(fac, cliTestdata(t, "regions"))
	err := deployRun(context.Background(), opts)
	if err == nil || !strings.HasPrefix(err.Error(), "PULUMI_CONFIG_PASSPHRASE is not set: the state backend file://") {
		t.Fatalf("error = %v", err)
	}
	opts.Request.Rehearse = true // rehearsal works with no set-up at all
	if err := deployRun(context.Background(), opts); err != nil {
		t.Fatalf("rehearsal should not need a passphrase: %v", err)
	}
}

func TestGarbageStateURL(t *testing.T) {
	ios, _, errOut := TestIO(false)
	opts := deployOpts(t, ios, engine.Preview, &fakeRunner{})
	opts.Request.StateURL = "garbage"
	code := exitCode(ios, deployRun(context.Background(), opts), false)
	if code != ExitFailure || errOut.String() != "error: garbage is not a state backend URL; use file://DIR, s3://BUCKET, gs://BUCKET, azblob://CONTAINER or https://api.pulumi.com\n" {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}

const clusterURN = "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Database$aws:rds/cluster:Cluster::database-main-cluster"
const instanceURN = "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Database$aws:rds/clusterInstance:ClusterInstance::database-main-1"
const bucketURN = "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Bucket$aws:s3/bucketV2:BucketV2::storage-uploads-bucket"
const queueURN = "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Queue$aws:sqs/queue:Queue::queue-events-queue"

func step(urn string, op manifest.Op, protect bool, keys ...string) manifest.Resource {
	u := resource.URN(urn)
	parent := ""
	for _, typ := range strings.Split(strings.Split(urn, "::")[2], "$") {
		if strings.HasPrefix(typ, "regionctl:stacks:") {
			names := map[string]string{"Database": "database-main", "Bucket": "storage-uploads", "Queue": "queue-events", "Cache": "cache-sessions"}
			parent = "urn:pulumi:eu-west-1::regionctl::" + typ + "::" + names[strings.TrimPrefix(typ, "regionctl:stacks:")]
		}
	}
	return manifest.Resource{URN: urn, Type: string(u.Type()), Name: u.Name(), Parent: parent, Custom: true, Op: op,
		Protect: protect, RetainOnDelete: protect, ReplaceKeys: keys, Inputs: map[string]any{}}
}

// An allowed replacement is applied: exactly the allowed data store's resources lose
// their protection, right before the update, and nothing else does.
func TestUpAllowedReplacementUnprotectsExactlyThatDataStore(t *testing.T) {
	ios, _, _ := TestIO(false)
	// A preview the engine stopped (it refused the protected replacement): only the
	// blast rules judge it, as they judge the real one.
	steps := manifest.Region{Name: "eu-west-1", Partial: true, Resources: []manifest.Resource{
		step(clusterURN, manifest.OpReplace, true, "clusterIdentifier", "engine"),
		step(instanceURN, manifest.OpReplace, true, "engine", "identifier"),
		step(bucketURN, manifest.OpSame, true),
		step(queueURN, manifest.OpUpdate, true),
	}}
	f := &fakeRunner{results: map[engine.Operation]map[string]engine.Result{
		engine.Preview: {"eu-west-1": {Changes: engine.Changes{Replace: 2, Update: 1}, Steps: steps, Refused: []string{clusterURN, instanceURN}}},
		engine.Up:      {"eu-west-1": {Changes: engine.Changes{Replace: 2, Update: 1}}},
	}}
	opts := deployOpts(t, ios, engine.Up, f)
	opts.All, opts.Request.Yes, opts.Request.Regions = false, true, []string{"eu-west-1"}
	opts.Env = allowEnv(t, opts, "  - replace: database/main\n    reason: engine change, data migrated (CHG-1)\n    expires: 2026-12-31\n")
	if err := deployRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	want := []string{"preview eu-west-1", "unprotect eu-west-1 " + clusterURN + " " + instanceURN, "up eu-west-1"}
	if !reflect.DeepEqual(f.called(), want) {
		t.Errorf("calls\n%v\nwant\n%v", f.called(), want)
	}
}

// A failed update puts the protection it lifted back on what is still there.
func TestUpAllowedReplacementReprotectsWhenUpFails(t *testing.T) {
	ios, _, _ := TestIO(false)
	// A preview the engine stopped (it refused the protected replacement): only the
	// blast rules judge it, as they judge the real one.
	steps := manifest.Region{Name: "eu-west-1", Partial: true, Resources: []manifest.Resource{step(clusterURN, manifest.OpReplace, true, "clusterIdentifier", "engine")}}
	f := &fakeRunner{
		results: map[engine.Operation]map[string]engine.Result{
			engine.Preview: {"eu-west-1": {Changes: engine.Changes{Replace: 1}, Steps: steps, Refused: []string{clusterURN}}},
			engine.Up:      {"eu-west-1": {Err: errors.New(`region "eu-west-1": boom`)}},
		},
		states: map[string]engine.State{"eu-west-1": {Resources: []apitype.ResourceV3{{URN: resource.URN(clusterURN), Type: "aws:rds/cluster:Cluster", Custom: true}}}},
	}
	opts := deployOpts(t, ios, engine.Up, f)
	opts.All, opts.Request.Yes, opts.Request.Regions = false, true, []string{"eu-west-1"}
	opts.Env = allowEnv(t, opts, "  - replace: database/main\n    reason: engine change (CHG-1)\n    expires: 2026-12-31\n")
	if code := exitCode(ios, deployRun(context.Background(), opts), false); code != ExitFailure {
		t.Fatalf("exit %d, want 1", code)
	}
	if got := f.called(); got[len(got)-1] != "protect eu-west-1 "+clusterURN {
		t.Errorf("calls %v: want protection restored last", got)
	}
}

// A replacement no allowance names is refused with exit 3 before anything is lifted
// or applied, and the finding names the allowance that would accept it.
func TestUpDeniedReplacementAppliesNothing(t *testing.T) {
	ios, out, errOut := TestIO(false)
	// A preview the engine stopped (it refused the protected replacement): only the
	// blast rules judge it, as they judge the real one.
	steps := manifest.Region{Name: "eu-west-1", Partial: true, Resources: []manifest.Resource{step(clusterURN, manifest.OpReplace, true, "clusterIdentifier", "engine")}}
	f := &fakeRunner{results: map[engine.Operation]map[string]engine.Result{
		engine.Preview: {"eu-west-1": {Changes: engine.Changes{Replace: 1}, Steps: steps, Refused: []string{clusterURN},
			Err: errors.New(`region "eu-west-1": unable to replace resource`)}},
	}}
	opts := deployOpts(t, ios, engine.Up, f)
	opts.All, opts.Request.Yes, opts.Request.Regions = false, true, []string{"eu-west-1"}
	if code := exitCode(ios, deployRun(context.Background(), opts), false); code != ExitPolicyViolation {
		t.Fatalf("exit %d, want 3\n%s\n%s", code, out.String(), errOut.String())
	}
	if !reflect.DeepEqual(f.called(), []string{"preview eu-west-1"}) {
		t.Errorf("calls %v: nothing may be unprotected or applied", f.called())
	}
	if !strings.Contains(out.String(), "allow: [{replace: database/main, reason: ..., expires: ...}]") {
		t.Errorf("the finding must name the allowance:\n%s", out.String())
	}
	if strings.Contains(errOut.String(), "waive") || !strings.Contains(errOut.String(), "allow it by name") {
		t.Errorf("an unwaivable denial must point at allow:, not waivers:\n%s", errOut.String())
	}
}

// Deleting a queue whose entry left the region file is reported against queue/NAME,
// suggests allow: [{delete: queue/NAME}], and with that allowance it is applied.
func TestUpDeletedEntryNamesItsAllowance(t *testing.T) {
	ios, out, _ := TestIO(false)
	// A preview the engine stopped (it refused the protected replacement): only the
	// blast rules judge it, as they judge the real one.
	steps := manifest.Region{Name: "eu-west-1", Partial: true, Resources: []manifest.Resource{step(queueURN, manifest.OpDelete, true)}}
	f := &fakeRunner{results: map[engine.Operation]map[string]engine.Result{
		engine.Preview: {"eu-west-1": {Changes: engine.Changes{Delete: 1}, Steps: steps}},
	}}
	opts := deployOpts(t, ios, engine.Up, f)
	opts.All, opts.Request.Yes, opts.Request.Regions = false, true, []string{"eu-west-1"}
	if code := exitCode(ios, deployRun(context.Background(), opts), false); code != ExitPolicyViolation {
		t.Fatalf("exit %d, want 3", code)
	}
	if !strings.Contains(out.String(), "allow: [{delete: queue/events, reason: ..., expires: ...}]") {
		t.Errorf("want the queue's own allowance suggested:\n%s", out.String())
	}
	opts.Env = allowEnv(t, opts, "  - delete: queue/events\n    reason: moved to the shared bus (CHG-2)\n    expires: 2026-12-31\n")
	f.calls = nil
	if err := deployRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if want := []string{"preview eu-west-1", "unprotect eu-west-1 " + queueURN, "up eu-west-1"}; !reflect.DeepEqual(f.called(), want) {
		t.Errorf("calls %v, want %v", f.called(), want)
	}
}

// allowEnv is opts' environment over a copy of testdata/regions whose eu-west-1 file
// carries the allow entries given.
func allowEnv(t *testing.T, opts *DeployOptions, allow string) func() *app.Env {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"eu-west-1.yaml", "ap-southeast-2.yaml", "jurisdictions.yaml"} {
		b, err := os.ReadFile(filepath.Join(cliTestdata(t, "regions"), name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "eu-west-1.yaml" {
			b = append(b, "allow:\n"+allow...)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := opts.Env()
	return func() *app.Env { e := *env; e.RegionsDir = dir; return &e }
}

// A region whose state holds interrupted operations is not applied: the error says
// what was interrupted and to run refresh.
func TestUpRefusesPendingOperations(t *testing.T) {
	ios, _, errOut := TestIO(false)
	pending := apitype.OperationV2{Type: "creating", Resource: apitype.ResourceV3{URN: resource.URN(queueURN), Type: "aws:sqs/queue:Queue"}}
	f := &fakeRunner{states: map[string]engine.State{"eu-west-1": {Pending: []apitype.OperationV2{pending}}}}
	opts := deployOpts(t, ios, engine.Up, f)
	opts.All, opts.Request.Yes, opts.Request.Regions = false, true, []string{"eu-west-1"}
	if code := exitCode(ios, deployRun(context.Background(), opts), false); code != ExitFailure {
		t.Fatalf("exit %d, want 1", code)
	}
	want := "error: region \"eu-west-1\": 1 operation was interrupted (creating aws:sqs/queue:Queue queue-events-queue) by an earlier run; " +
		"run `regionctl refresh eu-west-1` to check it against the cloud and clear it, then run this again\n"
	if !strings.Contains(errOut.String(), want) {
		t.Errorf("stderr:\n%s\nwant\n%s", errOut.String(), want)
	}
	if len(f.called()) != 0 {
		t.Errorf("calls %v: nothing may run", f.called())
	}
}

// A destroy counts what the program protects, so protection lost in the state to an
// interrupted destroy --unprotect still stops a plain destroy.
func TestDestroyRefusesWhatTheProgramProtects(t *testing.T) {
	ios, _, errOut := TestIO(false)
	f := &fakeRunner{states: map[string]engine.State{"eu-west-1": {Resources: []apitype.ResourceV3{
		{URN: resource.URN(queueURN), Type: "aws:sqs/queue:Queue", Custom: true}, // protect lost
	}}}}
	opts := deployOpts(t, ios, engine.Destroy, f)
	opts.All, opts.Request.Yes, opts.Request.Regions = false, true, []string{"eu-west-1"}
	if code := exitCode(ios, deployRun(context.Background(), opts), false); code != ExitFailure || !strings.Contains(errOut.String(), "pass --unprotect") {
		t.Fatalf("exit %d, stderr %s", code, errOut.String())
	}
	if len(f.called()) != 0 {
		t.Errorf("calls %v", f.called())
	}
}

// destroy --unprotect lifts protection right before the destroy and, when the destroy
// does not finish (Ctrl-C), puts it back on what is left.
func TestDestroyInterruptedPutsProtectionBack(t *testing.T) {
	ios, _, _ := TestIO(false)
	state := engine.State{Resources: []apitype.ResourceV3{{URN: resource.URN(queueURN), Type: "aws:sqs/queue:Queue", Custom: true, Protect: true}}}
	f := &fakeRunner{
		states:  map[string]engine.State{"eu-west-1": state},
		results: map[engine.Operation]map[string]engine.Result{engine.Destroy: {"eu-west-1": {Err: &engine.CancelledError{Region: "eu-west-1", Op: engine.Destroy}}}},
	}
	opts := deployOpts(t, ios, engine.Destroy, f)
	opts.All, opts.Request.Yes, opts.Request.Unprotect, opts.Request.Regions = false, true, true, []string{"eu-west-1"}
	if code := exitCode(ios, deployRun(context.Background(), opts), false); code != ExitCancelled {
		t.Fatalf("exit %d, want 2", code)
	}
	want := []string{"unprotect eu-west-1 " + queueURN, "destroy eu-west-1", "protect eu-west-1 " + queueURN}
	if !reflect.DeepEqual(f.called(), want) {
		t.Errorf("calls %v, want %v", f.called(), want)
	}
}

// A load balancer's AWS deletion protection counts as protection: a plain destroy is
// refused, and destroy --unprotect turns it off right before the destroy and back on
// when the destroy does not finish.
func TestDestroyReleasesLoadBalancerDeletionProtection(t *testing.T) {
	const albURN = "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Fleet$aws:lb/loadBalancer:LoadBalancer::compute-web-alb"
	alb := apitype.ResourceV3{URN: resource.URN(albURN), Type: "aws:lb/loadBalancer:LoadBalancer", Custom: true,
		Outputs: map[string]any{"enableDeletionProtection": true}}
	state := engine.State{Resources: []apitype.ResourceV3{alb}}

	ios, _, errOut := TestIO(false)
	f := &fakeRunner{states: map[string]engine.State{"eu-west-1": state}}
	opts := deployOpts(t, ios, engine.Destroy, f)
	opts.All, opts.Request.Yes, opts.Request.Regions = false, true, []string{"eu-west-1"}
	if code := exitCode(ios, deployRun(context.Background(), opts), false); code != ExitFailure ||
		!strings.Contains(errOut.String(), "aws:lb/loadBalancer:LoadBalancer compute-web-alb") || !strings.Contains(errOut.String(), "pass --unprotect") {
		t.Fatalf("plain destroy: exit %d, stderr %s", code, errOut.String())
	}
	if len(f.called()) != 0 {
		t.Errorf("plain destroy: calls %v", f.called())
	}

	ios, _, _ = TestIO(false)
	f = &fakeRunner{
		states:  map[string]engine.State{"eu-west-1": state},
		results: map[engine.Operation]map[string]engine.Result{engine.Destroy: {"eu-west-1": {Err: &engine.CancelledError{Region: "eu-west-1", Op: engine.Destroy}}}},
	}
	opts = deployOpts(t, ios, engine.Destroy, f)
	opts.All, opts.Request.Yes, opts.Request.Unprotect, opts.Request.Regions = false, true, true, []string{"eu-west-1"}
	if code := exitCode(ios, deployRun(context.Background(), opts), false); code != ExitCancelled {
		t.Fatalf("destroy --unprotect: exit %d, want 2", code)
	}
	want := []string{"unprotect eu-west-1 ", "release eu-west-1 " + albURN, "destroy eu-west-1", "guard eu-west-1 " + albURN}
	if !reflect.DeepEqual(f.called(), want) {
		t.Errorf("calls %v, want %v", f.called(), want)
	}
}

// destroy lists what it left in the cloud with type, name and id, never as deleted.
func TestDestroyListsRetained(t *testing.T) {
	ios, out, _ := TestIO(false)
	f := &fakeRunner{
		states: map[string]engine.State{"eu-west-1": {}},
		results: map[engine.Operation]map[string]engine.Result{engine.Destroy: {"eu-west-1": {Changes: engine.Changes{Delete: 3},
			Retained: []engine.StateResource{{Type: "aws:sqs/queue:Queue", Name: "queue-events-queue", ID: "https://sqs.eu-west-1.amazonaws.com/1/events", Billed: "messages kept (requests only)"}}}}},
	}
	opts := deployOpts(t, ios, engine.Destroy, f)
	opts.All, opts.Request.Yes, opts.Request.Regions = false, true, []string{"eu-west-1"}
	if err := deployRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	want := "\neu-west-1: retained in the cloud, not deleted (delete them in AWS when their data is no longer needed):\n" +
		"  aws:sqs/queue:Queue  queue-events-queue  https://sqs.eu-west-1.amazonaws.com/1/events\n" +
		"  still billed until deleted: queue-events-queue: messages kept (requests only); the network pieces kept for them (VPC, subnets, security groups, subnet and parameter groups) cost nothing\n"
	if !strings.HasSuffix(out.String(), want) || !strings.Contains(out.String(), "ok, 1 retained") {
		t.Errorf("stdout:\n%s", out.String())
	}
}

// A region deployed from a file that is gone shows in status and can be destroyed
// and read from its state.
func TestOrphanStack(t *testing.T) {
	ios, out, _ := TestIO(false)
	f := &fakeRunner{stacks: []engine.StackSummary{{Region: "eu-west-2", Resources: 12}},
		states: map[string]engine.State{"eu-west-2": {Resources: []apitype.ResourceV3{{URN: resource.URN(queueURN), Type: "aws:sqs/queue:Queue", Custom: true}}}}}
	opts := deployOpts(t, ios, engine.Destroy, f)
	sopts := &StatusOptions{IO: ios, Env: opts.Env}
	if err := statusRun(context.Background(), sopts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "eu-west-2       deployed, no region file: destroy it or restore the file  1") {
		t.Errorf("status:\n%s", out.String())
	}
	opts.All, opts.Request.Yes, opts.Request.Regions = false, true, []string{"eu-west-2"}
	if err := deployRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(f.called(), "destroy eu-west-2") {
		t.Errorf("calls %v", f.called())
	}
}

// up lifts the deletion protection of a load balancer its confirmed preview replaces
// (AWS would refuse to delete the old one), and puts it back when the update fails.
func TestUpReleasesReplacedLoadBalancer(t *testing.T) {
	const albURN = "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Fleet$aws:lb/loadBalancer:LoadBalancer::compute-web-alb"
	state := engine.State{Resources: []apitype.ResourceV3{{URN: resource.URN(albURN), Type: "aws:lb/loadBalancer:LoadBalancer", Custom: true,
		Outputs: map[string]any{"enableDeletionProtection": true}}}}
	alb := step(albURN, manifest.OpReplace, false, "internal")
	alb.Inputs = map[string]any{"internal": true, "enableDeletionProtection": true, "loadBalancerType": "application"}
	steps := manifest.Region{Name: "eu-west-1", Partial: true, Resources: []manifest.Resource{alb}} // only blast rules judge a partial preview
	ios, out, _ := TestIO(false)
	f := &fakeRunner{
		states: map[string]engine.State{"eu-west-1": state},
		results: map[engine.Operation]map[string]engine.Result{
			engine.Preview: {"eu-west-1": {Changes: engine.Changes{Replace: 1}, Steps: steps}},
			engine.Up:      {"eu-west-1": {Err: errors.New("update failed")}},
		},
	}
	opts := deployOpts(t, ios, engine.Up, f)
	opts.All, opts.Request.Yes, opts.Request.Regions = false, true, []string{"eu-west-1"}
	if code := exitCode(ios, deployRun(context.Background(), opts), false); code != ExitFailure {
		t.Fatalf("exit %d, want 1\n%s", code, out.String())
	}
	want := []string{"preview eu-west-1", "release eu-west-1 " + albURN, "up eu-west-1", "guard eu-west-1 " + albURN}
	if !reflect.DeepEqual(f.called(), want) {
		t.Errorf("calls\n%v\nwant\n%v", f.called(), want)
	}
}
