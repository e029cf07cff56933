package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/testutil"
)

// testRepo is a git repository built by a test: the shipped regions on main, then a
// branch the test changes.
type testRepo struct {
	t   testing.TB
	dir string
}

func newTestRepo(t *testing.T) *testRepo {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	r := &testRepo{t: t, dir: t.TempDir()}
	testutil.CopyRegions(t, r.dir)
	r.write("stacks/region/region.go", "package region\n")
	r.write("README.md", "# test\n")
	r.git("init", "-q", "-b", "main")
	r.commit("the fleet")
	r.git("checkout", "-q", "-b", "change")
	return r
}

func (r *testRepo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = r.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (r *testRepo) write(rel, text string) {
	r.t.Helper()
	p := filepath.Join(r.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *testRepo) commit(msg string) {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "-m", msg)
}

// run runs `regionctl regions` in the repository against since ("" for the default
// base), returning stdout and the error.
func (r *testRepo) run(json bool, shards int, since string) (string, error) {
	r.t.Helper()
	ios, out, _ := TestIO(false)
	f := testFactory(ios, time.Now, nil, nil)
	opts := &RegionsOptions{IO: ios, Env: envFor(f, filepath.Join(r.dir, "regions")), JSON: json, Shards: shards}
	opts.Request.Since = since
	err := regionsRun(opts)
	return out.String(), err
}

// regions runs `regionctl regions --json` in the repository.
func (r *testRepo) regions(since ...string) regionsMatrix {
	r.t.Helper()
	out, err := r.run(true, 1, strings.Join(since, ""))
	if err != nil {
		r.t.Fatalf("regions: %v", err)
	}
	var m regionsMatrix
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		r.t.Fatalf("regions --json: %v\n%s", err, out)
	}
	return m
}

func TestRegionsAChangeTouches(t *testing.T) {
	for _, tt := range []struct {
		name     string
		change   func(r *testRepo)
		regions  []string
		teardown []string
		skipped  int
		all      bool
	}{
		{"nothing changed", func(*testRepo) {}, []string{}, []string{}, 3, false},
		{"a queue tweak in one region file", func(r *testRepo) {
			r.edit("regions/eu-west-1.yaml", "visibilityTimeoutSeconds: 60", "visibilityTimeoutSeconds: 90")
		}, []string{"eu-west-1"}, []string{}, 2, false},
		{"docs only", func(r *testRepo) { r.write("README.md", "# changed\n") }, []string{}, []string{}, 3, false},
		{"the program", func(r *testRepo) { r.write("stacks/region/region.go", "package region // changed\n") },
			[]string{"ap-southeast-2", "eu-west-1", "us-east-1"}, []string{}, 0, true},
		{"the jurisdictions", func(r *testRepo) { r.append("regions/jurisdictions.yaml", "\n# reviewed\n") },
			[]string{"ap-southeast-2", "eu-west-1", "us-east-1"}, []string{}, 0, true},
		{"a deleted region file, committed", func(r *testRepo) {
			r.git("rm", "-q", "regions/ap-southeast-2.yaml")
			r.commit("retire sydney")
		}, []string{}, []string{"ap-southeast-2"}, 2, false},
		{"a new region file, not yet added", func(r *testRepo) {
			r.copy("regions/eu-west-1.yaml", "regions/eu-central-1.yaml")
		}, []string{"eu-central-1"}, []string{}, 3, false},
		{"a renamed region file", func(r *testRepo) {
			r.git("mv", "regions/ap-southeast-2.yaml", "regions/ap-southeast-4.yaml")
		}, []string{"ap-southeast-4"}, []string{"ap-southeast-2"}, 2, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := newTestRepo(t)
			tt.change(r)
			m := r.regions("main")
			if !reflect.DeepEqual(m.Regions, tt.regions) || !reflect.DeepEqual(m.Teardown, tt.teardown) || m.Skipped != tt.skipped || m.All != tt.all {
				t.Errorf("regions %v teardown %v skipped %d all %v; want %v %v %d %v (why %v)",
					m.Regions, m.Teardown, m.Skipped, m.All, tt.regions, tt.teardown, tt.skipped, tt.all, m.Why)
			}
		})
	}
}

// Without --changed-since the base is the merge base with the default branch: commits
// on main since the branch was cut are not the change's.
func TestRegionsDefaultBaseIsTheMergeBase(t *testing.T) {
	r := newTestRepo(t)
	r.edit("regions/eu-west-1.yaml", "visibilityTimeoutSeconds: 60", "visibilityTimeoutSeconds: 90")
	r.commit("tweak eu-west-1")
	r.git("checkout", "-q", "main")
	r.edit("regions/us-east-1.yaml", "name: uploads", "name: exports")
	r.commit("someone else's change")
	r.git("checkout", "-q", "change")
	if m := r.regions(); !reflect.DeepEqual(m.Regions, []string{"eu-west-1"}) || m.Base != strings.TrimSpace(r.git("merge-base", "HEAD", "main")) {
		t.Errorf("regions %v base %s, want eu-west-1 against the merge base", m.Regions, m.Base)
	}
}

func TestRegionsMatrixShards(t *testing.T) {
	r := newTestRepo(t)
	r.write("go.mod", "module example\n")
	out, err := r.run(true, 2, "main")
	if err != nil {
		t.Fatal(err)
	}
	var m regionsMatrix
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	want := `[{"shard":1,"regions":"ap-southeast-2 us-east-1"},{"shard":2,"regions":"eu-west-1"}]`
	if got, _ := json.Marshal(m.Matrix.Include); string(got) != want {
		t.Errorf("matrix %s, want %s", got, want)
	}
}

func TestRegionsText(t *testing.T) {
	r := newTestRepo(t)
	r.edit("regions/eu-west-1.yaml", "visibilityTimeoutSeconds: 60", "visibilityTimeoutSeconds: 90")
	r.git("rm", "-q", "regions/ap-southeast-2.yaml")
	out, err := r.run(false, 1, "main")
	if err != nil {
		t.Fatal(err)
	}
	want := "eu-west-1\tregions/eu-west-1.yaml changed\n" +
		"teardown: ap-southeast-2\tregions/ap-southeast-2.yaml deleted (CI never tears a region down: after review, `regionctl destroy ap-southeast-2`)\n" +
		"1 region not touched, skipped\n"
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
}

func TestRegionsBadBase(t *testing.T) {
	r := newTestRepo(t)
	_, err := r.run(false, 1, "no-such-branch")
	if err == nil || !strings.Contains(err.Error(), `--changed-since: "no-such-branch" is not a commit of this repository`) {
		t.Fatalf("err = %v", err)
	}
	if code := app.ExitCode(err); code != app.ExitFailure {
		t.Errorf("exit %d, want %d", code, app.ExitFailure)
	}
}

func (r *testRepo) edit(rel, old, new string) {
	r.t.Helper()
	b, err := os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(rel)))
	if err != nil {
		r.t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		r.t.Fatalf("%s has no %q", rel, old)
	}
	r.write(rel, strings.Replace(string(b), old, new, 1))
}

func (r *testRepo) append(rel, text string) {
	r.t.Helper()
	b, err := os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(rel)))
	if err != nil {
		r.t.Fatal(err)
	}
	r.write(rel, string(b)+text)
}

func (r *testRepo) copy(from, to string) {
	r.t.Helper()
	b, err := os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(from)))
	if err != nil {
		r.t.Fatal(err)
	}
	r.write(to, strings.ReplaceAll(string(b), "eu-west-1", "eu-central-1"))
}

// mustRun is run, failing the test on an error.
func (r *testRepo) mustRun(json bool, shards int) string {
	r.t.Helper()
	out, err := r.run(json, shards, "")
	if err != nil {
		r.t.Fatal(err)
	}
	return out
}

// copyModule writes the tracked (and untracked, not ignored) files of the module at
// root into the repository, so a commit of it builds: tests that build a commit's own
// regionctl.
func (r *testRepo) copyModule(root string) {
	r.t.Helper()
	files, err := exec.Command("git", "-C", root, "ls-files", "-co", "--exclude-standard").Output()
	if err != nil {
		r.t.Fatal(err)
	}
	for _, f := range strings.Split(strings.TrimSpace(string(files)), "\n") {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			continue // deleted in the working tree
		}
		r.write(f, string(data))
	}
}
