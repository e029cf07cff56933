package cli

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/awsmodel"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/review"
	"github.com/regionctl/regionctl/internal/testutil"
)

// diff runs `regionctl diff --base main` in the repository with outs, returning the
// review (from --result), stdout and the error.
func (r *testRepo) diff(outs ReviewOutputs, regions ...string) (*review.Review, string, error) {
	r.t.Helper()
	ios, out, _ := TestIO(false)
	f := testFactory(ios, time.Now, nil, nil)
	if outs.Result == "" {
		outs.Result = filepath.Join(r.t.TempDir(), "result.json")
	}
	opts := &DiffOptions{IO: ios, Env: envFor(f, filepath.Join(r.dir, "regions")), Out: outs}
	opts.Request = app.DiffRequest{Base: "main", Regions: regions, CacheDir: filepath.Join(r.dir, ".cache")}
	err := diffRun(context.Background(), opts)
	var rv review.Review
	if data, rerr := os.ReadFile(outs.Result); rerr == nil {
		if jerr := json.Unmarshal(data, &rv); jerr != nil {
			r.t.Fatalf("--result: %v", jerr)
		}
	}
	return &rv, out.String(), err
}

func changedOf(rv *review.Review, region string) []manifest.Resource {
	for _, r := range rv.Regions {
		if r.Name == region {
			return r.Resources
		}
	}
	return nil
}

func TestDiffAQueueTweakUpdatesOneProperty(t *testing.T) {
	r := newTestRepo(t)
	r.edit("regions/eu-west-1.yaml", "visibilityTimeoutSeconds: 60", "visibilityTimeoutSeconds: 90")
	rv, out, err := r.diff(ReviewOutputs{FailOn: []string{"replace", "delete", "policy"}})
	if err != nil {
		t.Fatalf("diff: %v\n%s", err, out)
	}
	if len(rv.Regions) != 1 || rv.Regions[0].Name != "eu-west-1" || rv.Skipped != 2 {
		t.Fatalf("regions = %+v, skipped %d; want eu-west-1 only, 2 skipped", rv.Regions, rv.Skipped)
	}
	if c := rv.Regions[0].Changes; c.Update != 1 || c.Create+c.Replace+c.Delete != 0 {
		t.Errorf("changes = %+v, want one update", c)
	}
	res := changedOf(rv, "eu-west-1")
	if len(res) != 1 || res[0].Type != "aws:sqs/queue:Queue" || res[0].Entry != "queue/events" {
		t.Fatalf("changed = %+v", res)
	}
	if want := []manifest.PropertyChange{{Path: "visibilityTimeoutSeconds", Old: 60.0, New: 90.0}}; !slices.Equal(res[0].Changed, want) {
		t.Errorf("changed inputs = %+v, want %+v", res[0].Changed, want)
	}
	if !strings.Contains(out, "visibilityTimeoutSeconds: 60 → 90") || !strings.Contains(out, "2 regions not touched, skipped") {
		t.Errorf("output:\n%s", out)
	}
	if rv.BaseBuild != "this binary (only region files changed)" {
		t.Errorf("base build = %q", rv.BaseBuild)
	}
}

// An engine change replaces the database: highlighted, naming engine, and refused by
// --fail-on replace; with an allowance (and a new identifier, as AWS needs) it passes.
func TestDiffADatabaseEngineChangeIsAGatedReplace(t *testing.T) {
	r := newTestRepo(t)
	r.edit("regions/eu-west-1.yaml", "engine: aurora-mysql", "engine: aurora-postgresql")
	r.edit("regions/eu-west-1.yaml", "engineVersion: 8.0.mysql_aurora.3.10.3", `engineVersion: "16.10"`)
	md := filepath.Join(t.TempDir(), "comment.md")
	rv, out, err := r.diff(ReviewOutputs{Markdown: md, FailOn: []string{"replace"}})
	var gate *app.GateError
	if !errors.As(err, &gate) || app.ExitCode(err) != app.ExitGate {
		t.Fatalf("err = %v (exit %d), want the replace gate (exit %d)\n%s", err, app.ExitCode(err), app.ExitGate, out)
	}
	cluster := slices.IndexFunc(changedOf(rv, "eu-west-1"), func(res manifest.Resource) bool { return res.Type == "aws:rds/cluster:Cluster" })
	if cluster < 0 || changedOf(rv, "eu-west-1")[cluster].Op != manifest.OpReplace || !slices.Contains(changedOf(rv, "eu-west-1")[cluster].ReplaceKeys, "engine") {
		t.Fatalf("the cluster is not replaced because of engine: %+v", changedOf(rv, "eu-west-1"))
	}
	comment, _ := os.ReadFile(md)
	for _, want := range []string{"### Data stores replaced or deleted", "[!CAUTION]", "`engine`: `\"aurora-mysql\"` → `\"aurora-postgresql\"` (forces the replacement)", "allow: [{replace: database/main"} {
		if !strings.Contains(string(comment), want) {
			t.Errorf("comment lacks %q:\n%s", want, comment)
		}
	}

	r.edit("regions/eu-west-1.yaml", "  - name: main\n", "  - name: main\n    identifier: main-2\n")
	r.append("regions/eu-west-1.yaml", "allow:\n  - replace: database/main\n    reason: moving to PostgreSQL, data migrated by DMS\n    expires: "+time.Now().AddDate(0, 0, 20).Format("2006-01-02")+"\n")
	rv, out, err = r.diff(ReviewOutputs{FailOn: []string{"replace", "policy"}})
	if err != nil {
		t.Fatalf("with an allowance: %v\n%s", err, out)
	}
	if rv.Regions[0].Changes.Replace == 0 {
		t.Errorf("the allowed change no longer replaces: %+v", rv.Regions[0].Changes)
	}
}

func TestDiffListsADeletedRegionForTeardown(t *testing.T) {
	r := newTestRepo(t)
	r.git("rm", "-q", "regions/us-east-1.yaml")
	rv, out, err := r.diff(ReviewOutputs{FailOn: []string{"delete"}})
	if err != nil {
		t.Fatalf("diff: %v\n%s", err, out)
	}
	if !slices.Equal(rv.Teardown, []string{"us-east-1"}) || len(rv.Regions) != 0 {
		t.Errorf("teardown = %v, regions = %+v", rv.Teardown, rv.Regions)
	}
	if !strings.Contains(out, "teardown: us-east-1") {
		t.Errorf("output:\n%s", out)
	}
	if _, _, err := r.diff(ReviewOutputs{}, "us-east-1"); err == nil || !strings.Contains(err.Error(), "listed for teardown") {
		t.Errorf("diffing the deleted region: %v", err)
	}
}

// A change under stacks/ selects every region and plans the base with the base's own
// code: a program change shows as the change it makes, built once per base commit.
// The working tree is planned by the running binary (CI builds it from the pull
// request): here the test's own code, so the base is the one that differs.
func TestDiffAProgramChangeUsesTheBaseCode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the base")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go")
	}
	r := &testRepo{t: t, dir: t.TempDir()}
	r.copyModule(testutil.RepoRoot(t))
	const line = "MessageRetentionSeconds: pulumi.Int(dlqRetentionSeconds),"
	r.edit("stacks/queue/queue.go", line, "MessageRetentionSeconds: pulumi.Int(dlqRetentionSeconds - 86400),")
	r.git("init", "-q", "-b", "main")
	r.commit("the fleet, dead letters kept a day less")
	r.git("checkout", "-q", "-b", "change")
	r.edit("stacks/queue/queue.go", "MessageRetentionSeconds: pulumi.Int(dlqRetentionSeconds - 86400),", line)

	rv, out, err := r.diff(ReviewOutputs{})
	if err != nil {
		t.Fatalf("diff: %v\n%s", err, out)
	}
	if len(rv.Regions) != 3 || !strings.HasSuffix(rv.BaseBuild, "(built)") {
		t.Fatalf("regions %d, base build %q; want all 3, built from the base", len(rv.Regions), rv.BaseBuild)
	}
	for _, reg := range rv.Regions {
		res := reg.Resources
		if reg.Error != "" || len(res) == 0 || reg.Changes.Update != len(res) ||
			!slices.Equal(res[0].Changed, []manifest.PropertyChange{{Path: "messageRetentionSeconds", Old: 1_123_200.0, New: 1_209_600.0}}) {
			t.Errorf("%s: %s %+v", reg.Name, reg.Error, res)
		}
	}
	rv, _, err = r.diff(ReviewOutputs{}, "eu-west-1")
	if err != nil || !strings.HasSuffix(rv.BaseBuild, "(cached build)") {
		t.Errorf("second diff: %v, base build %q; want the cached build", err, rv.BaseBuild)
	}
}

func TestDiffAndMergeCmdsParseArgs(t *testing.T) {
	tests := []struct {
		argv    string
		wantErr string
		check   func(t *testing.T, d *DiffOptions, c *CommentOptions)
	}{
		{argv: "diff --base origin/main eu-west-1 --markdown c.md --full f.md --result r.json --fail-on replace,delete,policy", check: func(t *testing.T, d *DiffOptions, _ *CommentOptions) {
			want := ReviewOutputs{Markdown: "c.md", Full: "f.md", Result: "r.json", FailOn: []string{"replace", "delete", "policy"}}
			if d.Request.Base != "origin/main" || !slices.Equal(d.Request.Regions, []string{"eu-west-1"}) || !reflectEqual(d.Out, want) {
				t.Errorf("parsed %+v", d)
			}
		}},
		{argv: "diff --fail-on replace,destroy", wantErr: `--fail-on "destroy": choose from replace, delete, policy (comma-separated)`},
		{argv: "comment merge a.json b.json --regions regions.json --markdown c.md", check: func(t *testing.T, _ *DiffOptions, c *CommentOptions) {
			if !slices.Equal(c.Results, []string{"a.json", "b.json"}) || c.Regions != "regions.json" || c.Out.Markdown != "c.md" {
				t.Errorf("parsed %+v", c)
			}
		}},
		{argv: "comment merge", wantErr: "name the shard results (diff --result FILE), or --regions FILE when no region was touched"},
		{argv: "comment merge a.json --result r.json", wantErr: "unknown flag: --result"},
	}
	for _, tt := range tests {
		t.Run(tt.argv, func(t *testing.T) {
			ios, _, _ := TestIO(false)
			var d *DiffOptions
			var c *CommentOptions
			g := &Globals{}
			root := newBareRoot(ios, g)
			f := testFactory(ios, time.Now, nil, nil)
			comment := &cobra.Command{Use: "comment"}
			comment.AddCommand(newCommentMergeCmd(f, func(o *CommentOptions) error { c = o; return nil }))
			root.AddCommand(newDiffCmd(f, g, func(o *DiffOptions) error { d = o; return nil }), comment)
			root.SetArgs(strings.Fields(tt.argv))
			err := root.Execute()
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, d, c)
		})
	}
}

func reflectEqual(a, b any) bool { return reflect.DeepEqual(a, b) }

// Shards' results join into one comment; results of another change, or the same
// region twice, are refused; a run that touched nothing still gets its comment.
func TestCommentMerge(t *testing.T) {
	r := newTestRepo(t)
	r.edit("regions/eu-west-1.yaml", "visibilityTimeoutSeconds: 60", "visibilityTimeoutSeconds: 90")
	r.edit("regions/us-east-1.yaml", "engine: aurora-mysql", "engine: aurora-postgresql")
	r.edit("regions/us-east-1.yaml", "engineVersion: 8.0.mysql_aurora.3.10.3", `engineVersion: "16.10"`)
	dir := t.TempDir()
	one, two := filepath.Join(dir, "1.json"), filepath.Join(dir, "2.json")
	if _, _, err := r.diff(ReviewOutputs{Result: one}, "eu-west-1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.diff(ReviewOutputs{Result: two}, "us-east-1"); err != nil {
		t.Fatal(err)
	}
	merge := func(args ...string) (string, error) {
		ios, _, _ := TestIO(false)
		md := filepath.Join(dir, "comment.md")
		opts := &CommentOptions{IO: ios, Results: args, Out: ReviewOutputs{Markdown: md, FailOn: []string{"replace"}}}
		err := commentMergeRun(opts)
		data, _ := os.ReadFile(md)
		return string(data), err
	}
	comment, err := merge(one, two)
	if app.ExitCode(err) != app.ExitGate {
		t.Fatalf("merge: %v, want the replace gate over both shards", err)
	}
	for _, want := range []string{"| `us-east-1` |", "| `eu-west-1` |", "**queue-events-queue**", "### Data stores replaced or deleted"} {
		if !strings.Contains(comment, want) {
			t.Errorf("merged comment lacks %q:\n%s", want, comment)
		}
	}
	if strings.Index(comment, "| `us-east-1` |") > strings.Index(comment, "| `eu-west-1` |") {
		t.Error("the blocked region is not first")
	}
	if _, err := merge(one, one); err == nil || !strings.Contains(err.Error(), `region "eu-west-1" is in two results`) {
		t.Errorf("merging a shard twice: %v", err)
	}
	var other review.Review
	data, _ := os.ReadFile(two)
	_ = json.Unmarshal(data, &other)
	other.BaseCommit = "0000000000000000000000000000000000000000"
	data, _ = json.Marshal(other)
	stale := filepath.Join(dir, "stale.json")
	if err := os.WriteFile(stale, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := merge(one, stale); err == nil || !strings.Contains(err.Error(), "do not review the same change") {
		t.Errorf("merging results of two changes: %v", err)
	}

	regions := filepath.Join(dir, "regions.json")
	if err := os.WriteFile(regions, []byte(r.mustRun(true, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	ios, _, _ := TestIO(false)
	md := filepath.Join(dir, "none.md")
	if err := commentMergeRun(&CommentOptions{IO: ios, Regions: regions, Out: ReviewOutputs{Markdown: md}}); err != nil {
		t.Fatal(err)
	}
	if none, _ := os.ReadFile(md); !strings.Contains(string(none), "no region touched") {
		t.Errorf("no results:\n%s", none)
	}
}

// One more web server is one more m6i.large a month: the review carries the cost of
// both sides and the comment's summary shows the change.
func TestDiffShowsTheMonthlyCostChange(t *testing.T) {
	r := newTestRepo(t)
	r.edit("regions/eu-west-1.yaml", "    min: 3\n", "    min: 4\n")
	rv, out, err := r.diff(ReviewOutputs{})
	if err != nil {
		t.Fatalf("diff: %v\n%s", err, out)
	}
	c := rv.Regions[0].Cost
	p, _ := awsmodel.PricesFor("eu-west-1")
	want := math.Round(p.EC2["m6i.large"]*awsmodel.HoursPerMonth*100) / 100
	if c == nil || c.Delta != want || math.Abs(c.Head-c.Base-c.Delta) > 0.005 {
		t.Fatalf("cost %+v, want a delta of $%v (one m6i.large)", c, want)
	}
	if !strings.Contains(out, "; monthly +$78 (") {
		t.Errorf("output:\n%s", out)
	}
}
