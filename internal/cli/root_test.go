package cli

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/regionctl/regionctl/internal/engine"
)

func TestVersion(t *testing.T) {
	ios, out, _ := TestIO(false)
	root := NewRootCmdWith(testFactory(ios, deployDay, nil, nil), &Globals{})
	root.SetArgs([]string{"--version"})
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if want := "regionctl " + Version + " (Pulumi engine " + engine.PulumiVersion.String() + ")\n"; out.String() != want {
		t.Errorf("--version = %q, want %q", out.String(), want)
	}
}

// Shell completion offers the region ids of the regions folder not yet on the line.
func TestCompletionOfRegionNames(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", "--regions-dir", cliTestdata(t, "regions"), "preview", ""}, []string{"ap-southeast-2", "eu-west-1"}},
		{[]string{"__complete", "--regions-dir", cliTestdata(t, "regions"), "up", "eu-west-1", ""}, []string{"ap-southeast-2"}},
		{[]string{"__complete", "--regions-dir", cliTestdata(t, "regions"), "status", "ap"}, []string{"ap-southeast-2", "eu-west-1"}},
	} {
		ios, out, _ := TestIO(false)
		root := NewRootCmdWith(testFactory(ios, deployDay, nil, nil), &Globals{})
		root.SetArgs(tt.args)
		if err := root.Execute(); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		got := lines[:len(lines)-1] // the last line is cobra's directive
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%v: %v, want %v", tt.args, got, tt.want)
		}
	}
}

// status reads only names, counts and dates: it needs no passphrase.
func TestStatusWithoutPassphrase(t *testing.T) {
	ios, out, _ := TestIO(false)
	f := &fakeRunner{stacks: []engine.StackSummary{{Region: "eu-west-1", Resources: 124, LastUpdate: "2026-11-22T10:00:00Z"}},
		states: map[string]engine.State{"eu-west-1": {Resources: []apitype.ResourceV3{{URN: queueURN, Type: "aws:sqs/queue:Queue", Custom: true}}}},
		history: map[string][]engine.Update{"eu-west-1": {
			{Version: 3, Kind: "refresh", Result: "succeeded", StartTime: "2026-11-22T10:00:00Z"},
			{Version: 2, Kind: "update", Result: "succeeded", StartTime: "2026-11-22T09:00:00Z",
				Message: "regionctl up: commit=0123456789abcdef0123456789abcdef01234567 file=sha256:00ff by=Jane Doe <jane@example.com>"},
		}}}
	t.Chdir(t.TempDir())
	fac := testFactory(ios, deployDay, nil, f)
	fac.Getenv = func(string) string { return "" }
	if err := statusRun(context.Background(), &StatusOptions{IO: ios, Env: envFor(fac, cliTestdata(t, "regions"))}); err != nil {
		t.Fatal(err)
	}
	want := "REGION          STATE         RESOURCES  LAST UPDATE           LAST UP BY                                           COMMIT        REGION FILE           DRIFT  WAIVERS  ALARMS\n" +
		"ap-southeast-2  not deployed  0          -                     -                                                    -             -                     -      -        -\n" +
		"eu-west-1       deployed      1          2026-11-22T10:00:00Z  Jane Doe <jane@example.com> at 2026-11-22T09:00:00Z  0123456789ab  differs from applied  -      -        none\n" +
		"eu-west-1: alarms reach nobody: no subscription; add alarms.https (a paging endpoint that confirms itself)\n"
	if out.String() != want {
		t.Errorf("status =\n%s\nwant\n%s", out.String(), want)
	}
}

// The engine's own output stays out of errors, and shows with --verbose.
func TestVerboseShowsEngineOutput(t *testing.T) {
	dump := errors.New("failed to run update: exit status 255\ncode: 255\nstdout: Updating\nstderr: error: the stack is broken\n")
	err := &engine.EngineError{Region: "eu-west-1", Err: dump}
	for _, verbose := range []bool{false, true} {
		ios, _, errOut := TestIO(false)
		if code := exitCode(ios, err, verbose); code != ExitFailure {
			t.Errorf("exit %d", code)
		}
		got := errOut.String()
		if !strings.HasPrefix(got, "error: region \"eu-west-1\": the stack is broken\n") {
			t.Errorf("verbose=%v: %q", verbose, got)
		}
		if strings.Contains(got, "stdout: Updating") != verbose {
			t.Errorf("verbose=%v: engine output shown=%v:\n%s", verbose, !verbose, got)
		}
	}
}
