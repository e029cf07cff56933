package cli

import (
	"time"

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
