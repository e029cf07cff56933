// Package app is the pipeline under regionctl's commands: load the region files, plan
// offline, check the guardrails, preview, confirm, apply, destroy, refresh, and read
// state. Commands parse flags, call one function here and render what it returns;
// every later feature (PR diffs, the playbook, rollouts) calls the same functions.
package app

import (
	"context"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/policy"
	"github.com/regionctl/regionctl/internal/rollout"
	"github.com/regionctl/regionctl/internal/spec"
)

// Planner turns checked regions into manifests of planned resources, offline.
type Planner interface {
	Plan(ctx context.Context, regions []*spec.Region) ([]manifest.Region, error)
}

// Runner is the real engine as the pipeline drives it; tests use a fake.
type Runner interface {
	// Run applies op to regions; targets limits an up of a region to some of its
	// resources (a stage), nil runs them whole.
	Run(ctx context.Context, op engine.Operation, regions []*spec.Region, targets engine.Targets) []engine.Result
	State(ctx context.Context, r *spec.Region) (engine.State, error)
	SetProtect(ctx context.Context, r *spec.Region, urns []string, protect bool) error
	// SetDeletionProtection turns AWS's own deletion protection of the resources urns
	// (load balancers) off or on.
	SetDeletionProtection(ctx context.Context, r *spec.Region, urns []string, on bool) error
	Outputs(ctx context.Context, r *spec.Region) (map[string]any, error)
	Stacks(ctx context.Context) ([]engine.StackSummary, error)
	// Pending reads a deployed region's interrupted operations and cloud resource count.
	Pending(ctx context.Context, regionID string) ([]engine.PendingOperation, int, error)
	// History reads a deployed region's update history (the ledger), newest first.
	History(ctx context.Context, r *spec.Region) ([]engine.Update, error)
	Close()
}

// Progress shows engine events as they happen (report.Progress).
type Progress interface {
	Phase(region, phase string, total int)
	Handle(region string, ev apitype.EngineEvent)
	Finish(region string, failed bool)
	Note(msg string)
	Stop()
}

// Prompter asks the person at the terminal.
type Prompter interface {
	// CanPrompt reports whether there is a person to ask: stdin and stdout are terminals.
	CanPrompt() bool
	// Ask shows question and returns the answer line; a cancelled ctx (Ctrl-C) returns
	// its error at once.
	Ask(ctx context.Context, question string) (string, error)
}

// Env is everything the pipeline takes from outside, built once per command.
type Env struct {
	RegionsDir string
	// Now is the one clock: waiver expiry, guardrails and progress read it.
	Now    func() time.Time
	Getenv func(string) string
	// Planner plans offline (engine.Offline).
	Planner Planner
	// NewRunner builds the engine runner once the backend is known.
	NewRunner func(engine.Settings) (Runner, error)
	// NewProgress starts a progress display for the regions; nil shows none.
	NewProgress func(regions []string) Progress
	Prompt      Prompter
	// LiveSource asks the account what it offers a region (preflight --live); nil
	// when the build has none.
	LiveSource func(ctx context.Context, region string) (RegionSource, error)
	// LiveAlarms reads CloudWatch alarm states for a rollout's health gate; nil when
	// the build has none. A rehearsal reads its own (rehearsal.AlarmFile).
	LiveAlarms rollout.AlarmReader
	// Sleep waits out a rollout's bake time (or until ctx ends); nil waits on a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// EngineRequest is what an engine command asks for.
type EngineRequest struct {
	// Regions are the region ids; empty means every region file.
	Regions  []string
	StateURL string
	Rehearse bool
	// LatencyScale slows the rehearsal provider's creates down like AWS's, scaled
	// (rehearsal.Options); 0 answers at once.
	LatencyScale float64
	// Parallel bounds how many regions run at once; 0 means engine.DefaultParallel.
	Parallel        int
	Diff            bool
	ExpectNoChanges bool
	// Yes confirms without asking (required off a terminal).
	Yes       bool
	Unprotect bool
	// Stage limits an up to the resources of the stages up to and including it, and a
	// preview to showing them (empty: the whole region). The guardrails always judge
	// the preview of the whole region.
	Stage Stage
	// Staged makes up apply the stages one after the other, each checked and applied
	// on its own, stopping at the first that fails.
	Staged bool
	// Review is shown the preview before the question that confirms applying it.
	Review func(*Outcome) error
	// StageDone is told, in a staged up, how each stage ended for each region.
	StageDone func(StageResult)
}

// Outcome is what an engine command did to each region, with the guardrail reports.
type Outcome struct {
	Op       engine.Operation
	Rehearse bool
	Results  []engine.Result
	Reports  []policy.Report
	// Cleared are the interrupted operations a refresh cleared, per region.
	Cleared map[string][]engine.PendingOperation
	// Warnings are things to know that stopped nothing (interrupted operations a
	// preview found).
	Warnings []string
}
