package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/testutil"
)

// rollbackRepo is a git repository of the module's tracked files in which eu-west-1 went
// up at two commits (A, then B with a longer queue timeout), in rehearsal, with
// bin/regionctl: what a rollback starts from.
func rollbackRepo(b *testing.B) (bin, dir string) {
	b.Helper()
	bin, dir = benchDir(b)
	root := testutil.RepoRoot(b)
	files, err := exec.Command("git", "-C", root, "ls-files", "-co", "--exclude-standard").Output()
	if err != nil {
		b.Fatal(err)
	}
	r := &testRepo{t: b, dir: dir}
	for _, f := range strings.Split(strings.TrimSpace(string(files)), "\n") {
		if data, err := os.ReadFile(filepath.Join(root, f)); err == nil {
			r.write(f, string(data))
		}
	}
	r.git("init", "-q", "-b", "main")
	r.commit("A")
	regionctl(b, bin, dir, "up", "eu-west-1", "--rehearse", "--yes", "--latency-scale", "0")
	path := filepath.Join(dir, "regions", "eu-west-1.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	r.write("regions/eu-west-1.yaml", strings.Replace(string(data), "visibilityTimeoutSeconds: 60", "visibilityTimeoutSeconds: 90", 1))
	r.commit("B")
	regionctl(b, bin, dir, "up", "eu-west-1", "--rehearse", "--yes", "--latency-scale", "0")
	return bin, dir
}

// BenchmarkRollbackCached times `regionctl rollback eu-west-1` with the commits' builds
// cached: each iteration goes back to the other commit (the last good one after a
// rollback is the commit rolled back from), one queue update each time.
func BenchmarkRollbackCached(b *testing.B) {
	bin, dir := rollbackRepo(b)
	args := []string{"rollback", "eu-west-1", "--rehearse", "--yes", "--latency-scale", "0"}
	regionctl(b, bin, dir, args...) // builds A
	regionctl(b, bin, dir, args...) // builds B
	for b.Loop() {
		regionctl(b, bin, dir, args...)
	}
}

// BenchmarkRollbackCold is the same with the build cache of commits emptied each time:
// the commit's regionctl is built (git worktree + go build, Go's own cache warm).
func BenchmarkRollbackCold(b *testing.B) {
	bin, dir := rollbackRepo(b)
	args := []string{"rollback", "eu-west-1", "--rehearse", "--yes", "--latency-scale", "0"}
	for b.Loop() {
		b.StopTimer()
		if err := os.RemoveAll(filepath.Join(dir, ".regionctl", "cache")); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		regionctl(b, bin, dir, args...)
	}
}
