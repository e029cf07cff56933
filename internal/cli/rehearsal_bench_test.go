package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/regionctl/regionctl/internal/testutil"
)

// Whole-process benchmarks of the rehearsal lifecycle: each iteration runs
// bin/regionctl (built by `make build`) against the real Pulumi CLI and the rehearsal
// provider, as a user would. `make bench` runs them; quote the medians of -count runs.

func benchDir(b *testing.B) (bin, dir string) {
	b.Helper()
	root := testutil.RepoRoot(b)
	bin = filepath.Join(root, "bin", "regionctl")
	for _, need := range []string{bin, filepath.Join(root, "bin", "pulumi")} {
		if _, err := os.Stat(need); err != nil {
			b.Fatalf("%s is missing: run `make build tools`", need)
		}
	}
	dir = b.TempDir()
	testutil.CopyRegions(b, dir)
	return bin, dir
}

func regionctl(b *testing.B, bin, dir string, args ...string) {
	b.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("regionctl %v: %v\n%s", args, err, out)
	}
}

// benchUp times a first up (everything created) into a fresh state each iteration,
// with the default latency model; extra arguments follow the command's own.
func benchUp(b *testing.B, regions []string, extra ...string) {
	bin, dir := benchDir(b)
	args := append(append(append([]string{"up"}, regions...), "--rehearse", "--yes"), extra...)
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		if err := os.RemoveAll(filepath.Join(dir, ".regionctl")); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		regionctl(b, bin, dir, args...)
	}
}

// benchSteady times a command against a region that is already up.
func benchSteady(b *testing.B, op string, regions ...string) {
	bin, dir := benchDir(b)
	regionctl(b, bin, dir, append(append([]string{"up"}, regions...), "--rehearse", "--yes")...)
	args := append(append([]string{op}, regions...), "--rehearse")
	if op == "up" {
		args = append(args, "--yes")
	}
	for b.Loop() {
		regionctl(b, bin, dir, args...)
	}
}

func BenchmarkRehearsalUpOneRegion(b *testing.B) { benchUp(b, []string{"eu-west-1"}) }

// BenchmarkRehearsalUpOneRegionInstant is the same up with creates answered at once: the
// peer that shows what the latency model adds.
func BenchmarkRehearsalUpOneRegionInstant(b *testing.B) {
	benchUp(b, []string{"eu-west-1"}, "--latency-scale", "0")
}
func BenchmarkRehearsalNoopUpOneRegion(b *testing.B)     { benchSteady(b, "up", "eu-west-1") }
func BenchmarkRehearsalPreviewOneRegion(b *testing.B)    { benchSteady(b, "preview", "eu-west-1") }
func BenchmarkRehearsalUpThreeRegions(b *testing.B)      { benchUp(b, []string{"--all"}) }
func BenchmarkRehearsalPreviewThreeRegions(b *testing.B) { benchSteady(b, "preview", "--all") }
