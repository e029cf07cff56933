package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/engine/rehearsal"
	"github.com/regionctl/regionctl/internal/spec/awsregions"
	"github.com/regionctl/regionctl/internal/testutil"
)

// BenchmarkNoopPreview times a no-change preview of eu-west-1, whole process, next to
// the bare Pulumi CLI previewing the same stack with the same program, backend and
// rehearsal provider: the ratio is regionctl's own overhead.
func BenchmarkNoopPreview(b *testing.B) {
	bin, dir := benchDir(b)
	regionctl(b, bin, dir, "up", "eu-west-1", "--rehearse", "--yes")
	b.Run("regionctl", func(b *testing.B) {
		for b.Loop() {
			regionctl(b, bin, dir, "preview", "eu-west-1", "--rehearse")
		}
	})
	b.Run("bare-pulumi", func(b *testing.B) {
		cmd := barePreview(b, dir)
		for b.Loop() {
			c := exec.Command(cmd.Path, cmd.Args[1:]...)
			c.Dir, c.Env = cmd.Dir, cmd.Env
			if out, err := c.CombinedOutput(); err != nil {
				b.Fatalf("pulumi preview: %v\n%s", err, out)
			}
		}
	})
}

// barePreview prepares `pulumi preview` of eu-west-1 in its own work folder: the region
// program built as a plain Go binary, the rehearsal state and a rehearsal provider.
func barePreview(b *testing.B, dir string) *exec.Cmd {
	b.Helper()
	root := testutil.RepoRoot(b)
	work := b.TempDir()
	prog := filepath.Join(work, "program")
	build := exec.Command("go", "build", "-o", prog, "./internal/cli/testdata/bareprogram")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("building the bare program: %v\n%s", err, out)
	}
	project := fmt.Sprintf("name: %s\nruntime:\n  name: go\n  options:\n    binary: %s\n", engine.Project, prog)
	if err := os.WriteFile(filepath.Join(work, "Pulumi.yaml"), []byte(project), 0o644); err != nil {
		b.Fatal(err)
	}
	backend, err := engine.ResolveBackend("", true, func(string) string { return "" })
	if err != nil {
		b.Fatal(err)
	}
	settings, err := os.ReadFile(filepath.Join(dirBackend(dir).WorkDir("eu-west-1"), "Pulumi.eu-west-1.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(work, "Pulumi.eu-west-1.yaml"), settings, 0o644); err != nil {
		b.Fatal(err)
	}
	srv, err := rehearsal.Start()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	cmd := exec.Command(filepath.Join(root, "bin", "pulumi"), "preview", "--stack", "eu-west-1", "--non-interactive")
	cmd.Dir = work
	cmd.Env = append(os.Environ(),
		"PULUMI_HOME="+filepath.Join(work, "home"),
		"PULUMI_BACKEND_URL="+"file://"+filepath.Join(dir, engine.RehearsalDir, "state"),
		"PULUMI_CONFIG_PASSPHRASE="+backend.Passphrase,
		"PULUMI_SKIP_UPDATE_CHECK=true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true",
		fmt.Sprintf("PULUMI_DEBUG_PROVIDERS=aws:%d", srv.Port()),
		"REGIONCTL_REGIONS_DIR="+filepath.Join(dir, "regions"),
	)
	return cmd
}

// dirBackend is the rehearsal backend of a checkout at dir.
func dirBackend(dir string) engine.Backend {
	return engine.Backend{URL: "file://" + filepath.Join(dir, engine.RehearsalDir, "state"), Root: filepath.Join(dir, engine.RehearsalDir)}
}

// fleetDir writes n region files made from the shipped eu-west-1, each in another AWS
// region with its own CIDR, all in one jurisdiction, and brings them up once.
func fleetDir(b *testing.B, n int) (bin, dir string) {
	b.Helper()
	bin, dir = benchDir(b)
	base, err := os.ReadFile(filepath.Join(dir, "regions", "eu-west-1.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	regions := filepath.Join(dir, "regions")
	entries, _ := os.ReadDir(regions)
	for _, e := range entries {
		_ = os.Remove(filepath.Join(regions, e.Name()))
	}
	ids := awsregions.IDs()
	if len(ids) < n {
		b.Fatalf("only %d AWS regions", len(ids))
	}
	ids = ids[:n]
	for i, id := range ids {
		text := strings.Replace(string(base), "region: eu-west-1", "region: "+id, 1)
		text = strings.Replace(text, "jurisdiction: eu", "jurisdiction: fleet", 1)
		text = strings.Replace(text, "cidr: 10.20.0.0/16", fmt.Sprintf("cidr: 10.%d.0.0/16", 100+i), 1)
		if err := os.WriteFile(filepath.Join(regions, id+".yaml"), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	j := "fleet: [" + strings.Join(ids, ", ") + "]\n"
	if err := os.WriteFile(filepath.Join(regions, "jurisdictions.yaml"), []byte(j), 0o644); err != nil {
		b.Fatal(err)
	}
	regionctl(b, bin, dir, "up", "--all", "--rehearse", "--yes")
	return bin, dir
}

// BenchmarkFleet30 brings 30 regions up once, then times `preview --all` at the default
// bound (wall time, and the peak memory of regionctl with every engine it starts) and
// `status` of all 30. Setting the fleet up takes a minute, so each sub-benchmark runs
// its -benchtime iterations on the one fleet and reports their median (median-s).
func BenchmarkFleet30(b *testing.B) {
	bin, dir := fleetDir(b, 30)
	b.Run("preview-all", func(b *testing.B) {
		var peak int64
		var times []time.Duration
		for b.Loop() {
			start := time.Now()
			peak = max(peak, runMeasured(b, bin, dir, "preview", "--all", "--rehearse"))
			times = append(times, time.Since(start))
		}
		b.ReportMetric(median(times).Seconds(), "median-s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-tree-MB")
	})
	b.Run("status", func(b *testing.B) {
		var times []time.Duration
		for b.Loop() {
			start := time.Now()
			regionctl(b, bin, dir, "status", "--rehearse")
			times = append(times, time.Since(start))
		}
		b.ReportMetric(median(times).Seconds(), "median-s")
	})
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// runMeasured runs regionctl and samples the summed resident memory of it and all its
// descendants every 20 ms, returning the peak in bytes.
func runMeasured(b *testing.B, bin, dir string, args ...string) int64 {
	b.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	var peak int64
	var mu sync.Mutex
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				rss := treeRSS(cmd.Process.Pid)
				mu.Lock()
				peak = max(peak, rss)
				mu.Unlock()
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	if err != nil {
		b.Fatalf("regionctl %v: %v\n%s", args, err, out.String())
	}
	mu.Lock()
	defer mu.Unlock()
	return peak
}

// treeRSS sums the resident set of pid and its descendants, from /proc.
func treeRSS(pid int) int64 {
	parent := map[int]int{}
	rss := map[int]int64{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ... rss is field 24 (in pages); comm may hold spaces.
		s := string(stat)
		fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(fields) < 22 {
			continue
		}
		pp, _ := strconv.Atoi(fields[1])
		pages, _ := strconv.ParseInt(fields[21], 10, 64)
		parent[p], rss[p] = pp, pages*int64(os.Getpagesize())
	}
	var total int64
	for p := range rss {
		for q := p; q > 1; q = parent[q] {
			if q == pid {
				total += rss[p]
				break
			}
		}
	}
	return total
}
