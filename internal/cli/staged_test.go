package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

// wholeRegionCreate is the preview of a region never deployed: every planned resource
// to create.
func wholeRegionCreate(t *testing.T, dir, region string) engine.Result {
	t.Helper()
	regions, err := spec.LoadDir(dir, region)
	if err != nil {
		t.Fatal(err)
	}
	m, err := engine.PlanRegion(regions[0])
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.Resources {
		m.Resources[i].Op = manifest.OpCreate
	}
	return engine.Result{Changes: engine.Changes{Create: len(m.Resources)}, Steps: m}
}

// On a terminal, a staged up asks before each stage, naming it, and shows how each
// ended; a no stops it there, with the stages before it applied and none after.
func TestUpStagedAsksPerStage(t *testing.T) {
	ios, _, errOut := TestIO(true)
	ios.In = strings.NewReader("y\nn\n")
	preview := wholeRegionCreate(t, cliTestdata(t, "regions"), "eu-west-1")
	f := &fakeRunner{results: map[engine.Operation]map[string]engine.Result{
		engine.Preview: {"eu-west-1": preview},
		engine.Up:      {"eu-west-1": {Changes: engine.Changes{Create: 57, Skipped: 80}}},
	}}
	opts := deployOpts(t, ios, engine.Up, f)
	opts.All, opts.Request.Regions, opts.Request.Staged = false, []string{"eu-west-1"}, true
	err := deployRun(context.Background(), opts)
	if code := exitCode(ios, err, false); code != ExitCancelled {
		t.Fatalf("exit %d, want 2 (%v)", code, err)
	}
	stderr := errOut.String()
	for _, want := range []string{
		"Apply stage network (the region key and the network) to 1 region (eu-west-1)? [y/N] ",
		"eu-west-1: stage network: 57 created ✓",
		"Apply stage data (databases, caches, queues and buckets) to 1 region (eu-west-1)? [y/N] ",
		"eu-west-1: stage data: not confirmed, stopped here",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "stage app") {
		t.Errorf("a declined stage must end the staged up:\n%s", stderr)
	}
	calls := f.called()
	ups := slices.DeleteFunc(slices.Clone(calls), func(c string) bool { return !strings.HasPrefix(c, "up ") })
	if len(ups) != 1 || !strings.HasPrefix(ups[0], "up eu-west-1 (") {
		t.Errorf("calls %v: want one targeted up (the network stage)", calls)
	}
}

// Off a terminal, up --stage data applies one targeted up of the stages up to data,
// after a preview of the whole region the guardrails judge.
func TestUpStageTargetsThroughData(t *testing.T) {
	ios, _, errOut := TestIO(false)
	preview := wholeRegionCreate(t, cliTestdata(t, "regions"), "eu-west-1")
	f := &fakeRunner{results: map[engine.Operation]map[string]engine.Result{
		engine.Preview: {"eu-west-1": preview},
		engine.Up:      {"eu-west-1": {Changes: engine.Changes{Create: 90}}},
	}}
	opts := deployOpts(t, ios, engine.Up, f)
	opts.All, opts.Request.Regions, opts.Request.Stage, opts.Request.Yes = false, []string{"eu-west-1"}, app.StageData, true
	if err := deployRun(context.Background(), opts); err != nil {
		t.Fatalf("up --stage data: %v\n%s", err, errOut)
	}
	regions, err := spec.LoadDir(cliTestdata(t, "regions"), "eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	m, err := engine.PlanRegion(regions[0])
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"preview eu-west-1", fmt.Sprintf("up eu-west-1 (%d targets)", len(app.StageTargets(m, app.StageData)))}
	if got := f.called(); !slices.Equal(got, want) {
		t.Errorf("calls %v, want %v", got, want)
	}
}
