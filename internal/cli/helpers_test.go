package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/engine"
)

// deployDay is the day the engine-command tests run on.
func deployDay() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC) }

// testFactory is a Factory over ios with the clock now, a passphrase in the
// environment, the given offline planner and engine runner (either may be nil).
func testFactory(ios *IOStreams, now func() time.Time, planner app.Planner, runner app.Runner) *Factory {
	f := NewFactory(ios)
	f.Now = now
	f.Getenv = func(k string) string { return map[string]string{"PULUMI_CONFIG_PASSPHRASE": "pw"}[k] }
	if planner != nil {
		f.Planner = planner
	}
	if runner != nil {
		f.NewRunner = func(engine.Settings) (app.Runner, error) { return runner, nil }
	}
	return f
}

// envFor returns the Env function commands hold, for regions folder dir.
func envFor(f *Factory, dir string) func() *app.Env {
	return func() *app.Env { return f.Env(&Globals{RegionsDir: dir}) }
}

// execArgs runs argv through a bare root holding the command build makes (with the
// test factory), as a command-line test does; it returns the error and its exit code.
func execArgs(t *testing.T, argv string, build func(f *Factory, g *Globals) *cobra.Command) (int, error) {
	t.Helper()
	ios, _, _ := TestIO(false)
	g := &Globals{}
	root := newBareRoot(ios, g)
	root.AddCommand(build(testFactory(ios, policyDay, nil, nil), g))
	root.SetArgs(strings.Fields(argv))
	err := root.Execute()
	return exitCode(ios, err, false), err
}

// argsFailed checks a command-line case's error: when wantErr is set, err must be
// exactly it (and the exit code wantCode, unless 0); it reports whether the case
// ended in an error, so the caller stops there.
func argsFailed(t *testing.T, code int, err error, wantErr string, wantCode int) bool {
	t.Helper()
	switch {
	case wantErr != "":
		if err == nil || err.Error() != wantErr {
			t.Fatalf("error = %v, want %q", err, wantErr)
		}
		if wantCode != 0 && code != wantCode {
			t.Errorf("exit code %d, want %d", code, wantCode)
		}
		return true
	case err != nil:
		t.Fatal(err)
	}
	return false
}
