package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/testutil"
)

// Whole-process benchmarks of `regionctl diff` (bin/regionctl, built by `make build`)
// in a git repository holding the shipped fleet.

// benchRepo is a git repository of the module's tracked files at one commit on main,
// then a branch; code=false holds only the regions.
func benchRepo(b *testing.B, code bool) (bin, dir string) {
	b.Helper()
	root := testutil.RepoRoot(b)
	bin = filepath.Join(root, "bin", "regionctl")
	if _, err := os.Stat(bin); err != nil {
		b.Fatalf("%s is missing: run `make build`", bin)
	}
	dir = b.TempDir()
	r := &testRepo{t: b, dir: dir}
	if code {
		r.copyModule(root)
	} else {
		testutil.CopyRegions(b, dir)
	}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-q", "-m", "fleet"}, {"checkout", "-q", "-b", "change"}} {
		cmd := exec.Command("git", append([]string{"-c", "user.name=b", "-c", "user.email=b@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return bin, dir
}

// touchEveryRegion changes one queue setting in every shipped region file.
func touchEveryRegion(b *testing.B, dir string) {
	b.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "regions", "*-*.yaml"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(f, []byte(strings.Replace(string(data), "visibilityTimeoutSeconds: ", "visibilityTimeoutSeconds: 1", 1)), 0o644); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDiffRegionFiles: the offline diff of the shipped fleet when only region
// files changed (one binary plans both sides), next to `plan --all --json`, whose two
// runs are what the diff is compared with (goal: diff ≤ 1.2× their sum).
func BenchmarkDiffRegionFiles(b *testing.B) {
	bin, dir := benchRepo(b, false)
	touchEveryRegion(b, dir)
	b.Run("diff", func(b *testing.B) {
		for b.Loop() {
			regionctl(b, bin, dir, "diff", "--base", "main", "--markdown", filepath.Join(b.TempDir(), "c.md"))
		}
	})
	b.Run("plan-all-json", func(b *testing.B) {
		for b.Loop() {
			regionctl(b, bin, dir, "plan", "--all", "--json")
		}
	})
}

// BenchmarkDiffCodeChange: a change under stacks/ diffs every region with the base's
// own code, built from a worktree: cold (no cached build of the base; the Go build
// cache is warm, as on a CI runner that restores it) and warm (the base build cached).
func BenchmarkDiffCodeChange(b *testing.B) {
	bin, dir := benchRepo(b, true)
	p := filepath.Join(dir, "stacks", "queue", "queue.go")
	data, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(p, append(data, []byte("\n// changed\n")...), 0o644); err != nil {
		b.Fatal(err)
	}
	cache := filepath.Join(dir, ".regionctl", "cache")
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			if err := os.RemoveAll(cache); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			regionctl(b, bin, dir, "diff", "--base", "main")
		}
	})
	b.Run("warm", func(b *testing.B) {
		for b.Loop() {
			regionctl(b, bin, dir, "diff", "--base", "main")
		}
	})
}
