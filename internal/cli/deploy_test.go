package cli

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/spec"
)

func TestDeployCmdParsesArgs(t *testing.T) {
	tests := []struct {
		op      engine.Operation
		argv    string
		check   func(*DeployOptions) bool
		wantErr string
	}{
		{op: engine.Up, argv: "up eu-west-1 --rehearse --yes --parallel 2 --diff",
			check: func(o *DeployOptions) bool {
				return o.Rehearse && o.Yes && o.Parallel == 2 && o.Diff && o.Op == engine.Up
			}},
		{op: engine.Preview, argv: "preview --all --expect-no-changes --state s3://bucket --json",
			check: func(o *DeployOptions) bool {
				return o.All && o.ExpectNoChanges && o.StateURL == "s3://bucket" && o.JSON
			}},
		{op: engine.Destroy, argv: "destroy eu-west-1 --unprotect --yes",
			check: func(o *DeployOptions) bool { return o.Unprotect && o.Yes }},
		{op: engine.Preview, argv: "preview eu-west-1 --yes", wantErr: "unknown flag: --yes"},
		{op: engine.Up, argv: "up eu-west-1 --unprotect", wantErr: "unknown flag: --unprotect"},
		{op: engine.Destroy, argv: "destroy eu-west-1 --expect-no-changes", wantErr: "unknown flag: --expect-no-changes"},
		{op: engine.Up, argv: "up", wantErr: "name at least one region (regionctl up eu-west-1) or use --all"},
		{op: engine.Up, argv: "up eu-west-1 --parallel -1", wantErr: "--parallel must be 0 (all at once) or more"},
	}
	for _, tt := range tests {
		t.Run(tt.argv, func(t *testing.T) {
			ios, _, _ := TestIO(false)
			g := &Globals{}
			root := newBareRoot(ios, g)
			var got *DeployOptions
			root.AddCommand(newDeployCmd(ios, g, tt.op, func(o *DeployOptions) error { got = o; return nil }))
			root.SetArgs(strings.Fields(tt.argv))
			err := root.Execute()
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
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

// fakeRunner returns canned results per region and records what it was asked.
type fakeRunner struct {
	results  map[string]engine.Result
	settings engine.Settings
	ops      []engine.Operation
}

func (f *fakeRunner) Run(_ context.Context, op engine.Operation, regions []*spec.Region) []engine.Result {
	f.ops = append(f.ops, op)
	out := make([]engine.Result, len(regions))
	for i, r := range regions {
		res := f.results[r.Region]
		res.Region, res.Op = r.Region, op
		out[i] = res
	}
	return out
}

// deployOpts returns options over testdata/regions, running in a temporary working
// directory so state folders land there.
func deployOpts(t *testing.T, ios *IOStreams, op engine.Operation, f *fakeRunner) *DeployOptions {
	t.Helper()
	dir, err := filepath.Abs("testdata/regions")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	fixed := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	return &DeployOptions{
		IO: ios, Op: op, RegionsDir: dir, All: true,
		NewRunner: func(s engine.Settings) (Runner, error) { f.settings = s; return f, nil },
		Getenv:    func(k string) string { return map[string]string{"PULUMI_CONFIG_PASSPHRASE": "pw"}[k] },
		Now:       func() time.Time { return fixed },
	}
}

func TestUpNeedsYesOffTerminal(t *testing.T) {
	ios, out, _ := TestIO(false)
	f := &fakeRunner{}
	opts := deployOpts(t, ios, engine.Up, f)
	err := deployRun(context.Background(), opts)
	if err == nil || err.Error() != "up changes real resources: pass --yes to confirm when not on a terminal" {
		t.Fatalf("error = %v", err)
	}
	if len(f.ops) != 0 || out.Len() != 0 {
		t.Error("nothing may run without confirmation")
	}
}

func TestDestroyOnTerminalWantsRegionTyped(t *testing.T) {
	ios, _, errOut := TestIO(true)
	ios.In = strings.NewReader("ap-southeast-2\neu-west-2\n")
	f := &fakeRunner{}
	opts := deployOpts(t, ios, engine.Destroy, f)
	err := deployRun(context.Background(), opts)
	if code := exitCode(ios, err, false); code != ExitCancelled {
		t.Fatalf("exit code %d, want %d (%v)", code, ExitCancelled, err)
	}
	if len(f.ops) != 0 {
		t.Error("destroy ran without the second region being confirmed")
	}
	if !strings.Contains(errOut.String(), "Type the region id to confirm") {
		t.Errorf("no prompt in %q", errOut.String())
	}
}

func TestUpRehearseSummaryAndNotes(t *testing.T) {
	ios, out, errOut := TestIO(false)
	f := &fakeRunner{results: map[string]engine.Result{
		"eu-west-1":      {Changes: engine.Changes{Create: 124}, Duration: 2100 * time.Millisecond},
		"ap-southeast-2": {Changes: engine.Changes{Same: 124}, Duration: 900 * time.Millisecond},
	}}
	opts := deployOpts(t, ios, engine.Up, f)
	opts.Rehearse, opts.Yes = true, true
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
}

func TestFailedRegionDoesNotHideOthers(t *testing.T) {
	ios, out, errOut := TestIO(false)
	f := &fakeRunner{results: map[string]engine.Result{
		"eu-west-1":      {Err: errors.New(`region "eu-west-1": boom`)},
		"ap-southeast-2": {Changes: engine.Changes{Create: 3}},
	}}
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
		{"clean", engine.Changes{Same: 11}, ExitOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _ := TestIO(false)
			f := &fakeRunner{results: map[string]engine.Result{"eu-west-1": {Changes: tt.changes}, "ap-southeast-2": {Changes: engine.Changes{Same: 3}}}}
			opts := deployOpts(t, ios, engine.Preview, f)
			opts.ExpectNoChanges = true
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
	opts.Getenv = func(string) string { return "" }
	err := deployRun(context.Background(), opts)
	if err == nil || !strings.HasPrefix(err.Error(), "PULUMI_CONFIG_PASSPHRASE is not set: the state backend file://") {
		t.Fatalf("error = %v", err)
	}
	opts.Rehearse = true // rehearsal works with no set-up at all
	if err := deployRun(context.Background(), opts); err != nil {
		t.Fatalf("rehearsal should not need a passphrase: %v", err)
	}
}

func TestPolicyAndCancelExitCodes(t *testing.T) {
	if got := worstCode(ExitFailure, codeOf(&policyDenied{region: "x", msg: "m"})); got != ExitPolicyViolation {
		t.Errorf("policy: %d", got)
	}
	if got := worstCode(ExitPolicyViolation, codeOf(context.Canceled)); got != ExitCancelled {
		t.Errorf("cancel: %d", got)
	}
	if got := worstCode(ExitChangesPending, codeOf(errors.New("x"))); got != ExitFailure {
		t.Errorf("failure over pending: %d", got)
	}
}
