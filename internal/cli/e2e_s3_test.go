package cli

import (
	"context"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/engine"
)

// syncBuffer collects a process's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The environment variables that make this test binary run as regionctl itself (so a
// test can start a second, concurrent regionctl), against a shared backend.
const (
	asCLIEnv       = "REGIONCTL_TEST_AS_CLI"
	asCLIBackend   = "REGIONCTL_TEST_BACKEND"
	asCLIPassEnv   = "REGIONCTL_TEST_PASSPHRASE"
	teamPassphrase = "team-passphrase"
)

func TestMain(m *testing.M) {
	if os.Getenv(asCLIEnv) == "1" {
		os.Exit(mainAsCLI(os.Args[1:]))
	}
	os.Exit(m.Run())
}

// mainAsCLI is cli.Main with the rehearsal pointed at a shared backend, as
// (*e2e).shared does in-process.
func mainAsCLI(args []string) int {
	ios := SystemIO()
	f := NewFactory(ios)
	url, pass := os.Getenv(asCLIBackend), os.Getenv(asCLIPassEnv)
	f.NewRunner = func(s engine.Settings) (app.Runner, error) {
		s.Backend.URL, s.Backend.Passphrase = url, pass
		return realRunner(s)
	}
	g := &Globals{}
	cmd := NewRootCmdWith(f, g)
	cmd.SetArgs(args)
	return exitCode(ios, cmd.ExecuteContext(context.Background()), g.Verbose)
}

// s3Server is an S3-compatible server (gofakes3, in memory) on 127.0.0.1 with one
// bucket, stopped when the test ends; it returns the Pulumi backend URL for it.
func s3Server(t *testing.T, bucket string) (backend string, mem *s3mem.Backend) {
	t.Helper()
	mem = s3mem.New()
	if err := mem.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(mem).Server())
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "regionctl-test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "regionctl-test-secret")
	t.Setenv("AWS_REGION", "us-east-1")
	q := url.Values{"endpoint": {srv.URL}, "use_path_style": {"true"}, "region": {"us-east-1"}}
	return "s3://" + bucket + "?" + q.Encode(), mem
}

// locked reports whether a run holds the lock of a stack in the bucket.
func locked(t *testing.T, mem *s3mem.Backend, bucket, region string) bool {
	t.Helper()
	prefix := ".pulumi/locks/organization/" + engine.Project + "/" + region + "/"
	list, err := mem.ListBucket(bucket, &gofakes3.Prefix{Prefix: prefix, HasPrefix: true}, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatal(err)
	}
	return len(list.Contents) > 0
}

// Two checkouts share team state on an S3 server through s3:// and its lock: the
// second sees the first's region unchanged; while one applies, the other's up fails
// cleanly on the lock and changes nothing; afterwards each sees the other's work.
func TestE2ETeamStateOnS3(t *testing.T) {
	e := newE2E(t)
	const bucket = "regionctl-state"
	backend, mem := s3Server(t, bucket)
	team := e.shared(backend, teamPassphrase)

	if c := changesOf(t, first(e.mustRun(team, ExitOK, "up", "eu-west-1", "--rehearse", "--yes", "--json", "--latency-scale", "0")), "eu-west-1"); c.Create < 100 {
		t.Fatalf("first up into S3: %+v", c)
	}
	a := e.dir
	b := e.checkout("clone-b")
	if c := changesOf(t, first(e.mustRun(team, ExitOK, "preview", "eu-west-1", "--rehearse", "--json", "--expect-no-changes")), "eu-west-1"); c.Same < 100 {
		t.Fatalf("preview from the second checkout: %+v", c)
	}

	// Checkout B applies a change in another process; A tries while B holds the lock.
	// B's change creates a resource (a second alarm endpoint), which the rehearsal
	// slows down like AWS (--latency-scale), so the lock is held for seconds.
	e.edit("eu-west-1", "visibilityTimeoutSeconds: 60", "visibilityTimeoutSeconds: 90")
	e.edit("eu-west-1", "/enqueue\n", "/enqueue\n    - https://hooks.example.com/regionctl/alarms\n")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	other := exec.Command(exe, "up", "eu-west-1", "--rehearse", "--yes", "--latency-scale", "6")
	other.Dir = b
	other.Env = append(os.Environ(), asCLIEnv+"=1", asCLIBackend+"="+backend, asCLIPassEnv+"="+teamPassphrase)
	var otherOut syncBuffer
	other.Stdout, other.Stderr = &otherOut, &otherOut
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	// Past its preview (which takes no lock), into the update, which holds it.
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(otherOut.String(), "eu-west-1 up started") || !locked(t, mem, bucket, "eu-west-1") {
		if time.Now().After(deadline) {
			t.Fatalf("the other run never took the lock:\n%s", otherOut.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := os.Chdir(a); err != nil {
		t.Fatal(err)
	}
	e.dir = a
	e.edit("eu-west-1", "maxReceiveCount: 5", "maxReceiveCount: 6")
	code, out, errOut := e.runWith(context.Background(), team, "up", "eu-west-1", "--rehearse", "--yes")
	if code != ExitFailure || !strings.Contains(errOut, `region "eu-west-1" is being changed by another run`) {
		t.Errorf("up while the other checkout applies: exit %d, want 1 naming the lock\n%s\n%s", code, out, errOut)
	}
	noDumps(t, out+errOut)
	if err := other.Wait(); err != nil {
		t.Fatalf("the other checkout's up: %v\n%s", err, otherOut.String())
	}

	// Nothing lost: A sees B's change (its file would undo it), and once A has B's
	// file, nothing is pending; A's own change then applies on top.
	e.edit("eu-west-1", "maxReceiveCount: 6", "maxReceiveCount: 5")
	if c := changesOf(t, first(e.mustRun(team, ExitChangesPending, "preview", "eu-west-1", "--rehearse", "--json", "--expect-no-changes")), "eu-west-1"); c.Update != 1 || c.Delete != 1 {
		t.Errorf("A's preview after B's up: %+v, want B's update and endpoint to show (as an update and a delete)", c)
	}
	data, err := os.ReadFile(filepath.Join(b, "regions", "eu-west-1.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(a, "regions", "eu-west-1.yaml"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := e.runWith(context.Background(), team, "preview", "eu-west-1", "--rehearse", "--expect-no-changes", "--diff"); code != ExitOK {
		t.Errorf("A's preview with B's file: exit %d\n%s\nB's up:\n%s", code, out, otherOut.String())
	}
	if locked(t, mem, bucket, "eu-west-1") {
		t.Error("a lock was left behind")
	}
}
