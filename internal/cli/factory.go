package cli

import (
	"context"
	"os"
	"time"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/awslive"
	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/report"
	"github.com/regionctl/regionctl/internal/rollout"
)

// Factory holds what commands need from outside, in one place, so tests can swap any
// of it: streams, the one clock, the environment, the offline planner and the engine.
type Factory struct {
	IO        *IOStreams
	Now       func() time.Time
	Getenv    func(string) string
	Planner   app.Planner
	NewRunner func(engine.Settings) (app.Runner, error)
	// LiveSource asks an AWS account what it offers a region (preflight --live).
	LiveSource func(ctx context.Context, region string) (app.RegionSource, error)
	// LiveAlarms reads CloudWatch alarm states (the health gate of up --waves).
	LiveAlarms rollout.AlarmReader
}

// NewFactory is the factory of a real run.
func NewFactory(ios *IOStreams) *Factory {
	return &Factory{IO: ios, Now: time.Now, Getenv: os.Getenv, Planner: engine.Offline{}, NewRunner: realRunner, LiveSource: awslive.New, LiveAlarms: awslive.NewAlarms()}
}

// realRunner finds the Pulumi CLI and builds the Automation API runner.
func realRunner(s engine.Settings) (app.Runner, error) {
	cmd, err := engine.FindPulumi()
	if err != nil {
		return nil, err
	}
	s.Pulumi = cmd
	return &engine.Automation{Settings: s}, nil
}

// Env is the pipeline's environment for the regions folder of g.
func (f *Factory) Env(g *Globals) *app.Env {
	return &app.Env{
		RegionsDir: g.RegionsDir,
		Now:        f.Now,
		Getenv:     f.Getenv,
		Planner:    f.Planner,
		NewRunner:  f.NewRunner,
		NewProgress: func(ids []string) app.Progress {
			p := report.NewProgressWidth(f.IO.ErrOut, f.IO.IsTTY, f.IO.width, ids, f.Now)
			f.IO.setNotice(p.Note)
			return stopping{p, f.IO}
		},
		Prompt:     f.IO,
		LiveSource: f.LiveSource,
		LiveAlarms: f.LiveAlarms,
	}
}

// stopping hands the cancelling note back to the plain stream once the view is gone.
type stopping struct {
	*report.Progress
	ios *IOStreams
}

func (s stopping) Stop() {
	s.Progress.Stop()
	s.ios.setNotice(nil)
}
