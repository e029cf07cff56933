package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/internal/spec/awsregions"
	"github.com/regionctl/regionctl/internal/testutil"
)

func newEnv(t *testing.T) *Env {
	t.Helper()
	dir := t.TempDir()
	testutil.CopyRegions(t, dir)
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	return &Env{RegionsDir: filepath.Join(dir, "regions"), Now: func() time.Time { return now }, Planner: engine.Offline{}}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestNewFromEUWest1: the new file loads with every other region, plans without a
// denied guardrail, and differs from its source only in the lines that must change.
func TestNewFromEUWest1(t *testing.T) {
	env := newEnv(t)
	res, err := env.New(context.Background(), NewRequest{Region: "ap-northeast-1", Jurisdiction: "jp", From: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(env.RegionsDir, "ap-northeast-1.yaml"); res.Path != want {
		t.Errorf("path = %s, want %s", res.Path, want)
	}
	if _, err := spec.LoadDir(env.RegionsDir); err != nil {
		t.Fatalf("LoadDir: %v", err)
	}
	regions, err := spec.LoadDir(env.RegionsDir, "ap-northeast-1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := engine.PlanRegion(regions[0]); err != nil {
		t.Fatalf("PlanRegion: %v", err)
	}
	if _, err := env.Plan(context.Background(), []string{"ap-northeast-1"}); err != nil {
		var denied *PolicyDeniedError
		t.Fatalf("Plan: %v (policy denied: %v)", err, errors.As(err, &denied))
	}

	src, _ := os.ReadFile(filepath.Join(env.RegionsDir, "eu-west-1.yaml"))
	got, _ := os.ReadFile(res.Path)
	removed, added := lineDiff(string(src), string(got))
	wantRemoved := []string{
		"# Europe (Ireland): the EU home region. Its data stays in the eu jurisdiction.",
		"region: eu-west-1              # must equal the file name",
		"jurisdiction: eu               # a key of regions/jurisdictions.yaml",
		"tags: { costCenter: hosting-eu }",
		"  cidr: 10.20.0.0/16           # must not overlap any other region (future peering)",
		"  azs: 3                       # count, or an explicit list of AZ names of this region",
		"    loadBalancer: { public: true, certificateArn: arn:aws:acm:eu-west-1:210987654321:certificate/3f6c2a1e-8b4d-4c7a-9e25-61d0b7a4c8f2 }",
		"  email: oncall-eu@example.com",
	}
	wantAdded := []string{
		"# Asia Pacific (Tokyo): scaffolded by `regionctl new` from eu-west-1.yaml.",
		"# Its data stays in the jp jurisdiction.",
		"region: ap-northeast-1         # must equal the file name",
		"jurisdiction: jp               # a key of regions/jurisdictions.yaml",
		"madeFrom: eu-west-1 # regionctl drift compares this region with it",
		"tags: { costCenter: hosting-jp }",
		"  cidr: 10.21.0.0/16           # must not overlap any other region (future peering)",
		"  azs: [ap-northeast-1a, ap-northeast-1c, ap-northeast-1d] # count, or an explicit list of AZ names of this region",
		"    # certificateArn: request an ACM certificate in ap-northeast-1 and put its ARN here,",
		"    # then set public: true (internal until then: an internet-facing load balancer needs HTTPS, see README: Guardrails)",
		"    loadBalancer: { public: false }",
		"  email: oncall-jp@example.com",
	}
	if !slices.Equal(removed, wantRemoved) || !slices.Equal(added, wantAdded) {
		t.Errorf("diff from eu-west-1.yaml:\n- %s\n+ %s\nwant\n- %s\n+ %s", strings.Join(removed, "\n- "), strings.Join(added, "\n+ "),
			strings.Join(wantRemoved, "\n- "), strings.Join(wantAdded, "\n+ "))
	}
	if !slices.Contains(res.Notes, "accountId 210987654321 kept from eu-west-1; pass --account ID to use another account") {
		t.Errorf("notes = %q, want the kept account", res.Notes)
	}
}

// lineDiff lists the lines only in a and only in b, in order (a longest common subsequence).
func lineDiff(a, b string) (removed, added []string) {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	l := make([][]int, len(x)+1)
	for i := range l {
		l[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				l[i][j] = l[i+1][j+1] + 1
			} else {
				l[i][j] = max(l[i+1][j], l[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			i, j = i+1, j+1
		case j < len(y) && (i == len(x) || l[i][j+1] >= l[i+1][j]):
			added = append(added, y[j])
			j++
		default:
			removed = append(removed, x[i])
			i++
		}
	}
	return removed, added
}

// TestNewEverySource: every shipped region and the template make a file that loads
// and plans without a denied guardrail.
func TestNewEverySource(t *testing.T) {
	for _, tt := range []NewRequest{
		{Region: "ap-northeast-1", Jurisdiction: "jp", From: "us-east-1", AccountID: "444455556666"},
		{Region: "ap-northeast-3", Jurisdiction: "jp", From: "ap-southeast-2"},
		{Region: "eu-central-1", Jurisdiction: "de", AccountID: "111122223333", AlarmEmail: "oncall-de@acme.example", AlarmHTTPS: "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue"},
		{Region: "ap-south-2", Jurisdiction: "in", From: "eu-west-1"},
	} {
		t.Run(tt.Region+"-from-"+tt.From, func(t *testing.T) {
			env := newEnv(t)
			if _, err := env.New(context.Background(), tt); err != nil {
				t.Fatal(err)
			}
			if _, err := spec.LoadDir(env.RegionsDir); err != nil {
				t.Fatalf("LoadDir: %v", err)
			}
			if _, err := env.Validate(nil); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if _, err := env.Plan(context.Background(), []string{tt.Region}); err != nil {
				t.Fatalf("Plan: %v", err)
			}
		})
	}
}

func TestNewRefusals(t *testing.T) {
	tests := []struct {
		name string
		req  NewRequest
		want string
	}{
		{"outside the jurisdiction", NewRequest{Region: "ap-northeast-1", Jurisdiction: "eu", From: "eu-west-1"},
			"ap-northeast-1 is not in jurisdiction eu (eu: eu-west-1, eu-west-3, eu-central-1, eu-north-1, eu-south-1, eu-south-2); pick --jurisdiction jp"},
		{"in two jurisdictions", NewRequest{Region: "eu-central-1", Jurisdiction: "uk", From: "eu-west-1"},
			"eu-central-1 is not in jurisdiction uk (uk: eu-west-2); pick --jurisdiction de or --jurisdiction eu"},
		{"existing file", NewRequest{Region: "eu-west-1", Jurisdiction: "eu", From: "us-east-1"},
			"DIR/eu-west-1.yaml exists; edit it, or delete it first"},
		{"unknown region", NewRequest{Region: "ap-northeast-9", Jurisdiction: "jp"},
			`"ap-northeast-9" is not an AWS region (not in the region list of aws-sdk-go-v2 VERSION); did you mean "ap-northeast-1", "ap-northeast-2" or "ap-northeast-3"?`},
		{"global pseudo-region", NewRequest{Region: "aws-global", Jurisdiction: "jp"},
			`"aws-global" is not an AWS region (not in the region list of aws-sdk-go-v2 VERSION)`},
		{"unknown jurisdiction", NewRequest{Region: "ap-northeast-1", Jurisdiction: "jpn"},
			`jurisdiction "jpn" is not in DIR/jurisdictions.yaml (ae, au, bh, br, ca, ch, de, eu, hk, id, il, in, jp, kr, mx, my, nz, sg, th, tw, uk, us, za); did you mean "jp"?`},
		{"unknown --from", NewRequest{Region: "ap-northeast-1", Jurisdiction: "jp", From: "eu-west-9"},
			`--from eu-west-9: no region file DIR/eu-west-9.yaml; did you mean "eu-west-1"?; available: ap-southeast-2, eu-west-1, us-east-1`},
		{"template without account", NewRequest{Region: "ap-northeast-1", Jurisdiction: "jp"},
			"a region from the template needs its account: pass --account ID (or --from REGION to copy one)"},
		{"template without alarms", NewRequest{Region: "ap-northeast-1", Jurisdiction: "jp", AccountID: "444455556666"},
			"a region from the template needs where its alarms go: pass --alarm-email ADDRESS and --alarm-https URL (a paging endpoint that confirms itself, as ha.alarm-endpoint requires), or --from REGION to copy one's"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t)
			before := listDir(t, env.RegionsDir)
			_, err := env.New(context.Background(), tt.req)
			var config *ConfigError
			if !errors.As(err, &config) || ExitCode(err) != ExitInvalidConfig {
				t.Fatalf("err = %v (exit %d), want a ConfigError (exit 4)", err, ExitCode(err))
			}
			msg := strings.ReplaceAll(err.Error(), env.RegionsDir, "DIR")
			msg = strings.Replace(msg, awsregions.SDKVersion, "VERSION", 1)
			if msg != tt.want {
				t.Errorf("err = %s\nwant  %s", msg, tt.want)
			}
			if after := listDir(t, env.RegionsDir); !slices.Equal(before, after) {
				t.Errorf("the folder changed: %v → %v", before, after)
			}
		})
	}
}

// TestNewCIDRAvoidsTaken: the block skips every region's, whatever file it is in.
func TestNewCIDRAvoidsTaken(t *testing.T) {
	env := newEnv(t)
	for id, cidr := range map[string]string{"eu-west-3": "10.21.0.0/16", "eu-north-1": "10.22.0.0/16", "eu-south-1": "10.23.0.0/17"} {
		src, _ := os.ReadFile(filepath.Join(env.RegionsDir, "eu-west-1.yaml"))
		s := strings.Replace(string(src), "region: eu-west-1", "region: "+id, 1)
		s = strings.Replace(s, "10.20.0.0/16", cidr, 1)
		s = strings.Replace(s, "arn:aws:acm:eu-west-1:", "arn:aws:acm:"+id+":", 1)
		if err := os.WriteFile(filepath.Join(env.RegionsDir, id+".yaml"), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := env.New(context.Background(), NewRequest{Region: "ap-northeast-1", Jurisdiction: "jp", From: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := spec.LoadDir(env.RegionsDir, "ap-northeast-1")
	if err != nil {
		t.Fatal(err)
	}
	if got := r[0].Network.CIDR; got != "10.24.0.0/16" {
		t.Errorf("cidr = %s, want 10.24.0.0/16 (10.20-10.23 are taken); changes %v", got, res.Changes)
	}
}

// failingPlanner stands for a bug: the generated file does not plan.
type failingPlanner struct{}

func (failingPlanner) Plan(context.Context, []*spec.Region) ([]manifest.Region, error) {
	return nil, errors.New("program failed")
}

// TestNewLeavesNothingOnFailure: a file that fails its checks is never written, and no
// temporary file stays behind.
func TestNewLeavesNothingOnFailure(t *testing.T) {
	env := newEnv(t)
	env.Planner = failingPlanner{}
	before := listDir(t, env.RegionsDir)
	_, err := env.New(context.Background(), NewRequest{Region: "ap-northeast-1", Jurisdiction: "jp", From: "eu-west-1"})
	if err == nil || !strings.Contains(err.Error(), "a bug: please report it") {
		t.Fatalf("err = %v, want the bug report", err)
	}
	if after := listDir(t, env.RegionsDir); !slices.Equal(before, after) {
		t.Errorf("the folder changed: %v → %v", before, after)
	}

	// A write that fails (a read-only folder) leaves no temporary file either.
	env.Planner = engine.Offline{}
	if os.Getuid() == 0 {
		t.Skip("root writes to read-only folders")
	}
	if err := os.Chmod(env.RegionsDir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(env.RegionsDir, 0o755)
	if _, err := env.New(context.Background(), NewRequest{Region: "ap-northeast-1", Jurisdiction: "jp", From: "eu-west-1"}); err == nil {
		t.Fatal("wrote into a read-only folder")
	}
	if after := listDir(t, env.RegionsDir); !slices.Equal(before, after) {
		t.Errorf("the folder changed: %v → %v", before, after)
	}
}

func TestWriteNewRefusesExisting(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.yaml")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := writeNew(path, []byte("new\n"))
	var config *ConfigError
	if !errors.As(err, &config) {
		t.Fatalf("err = %v, want the file exists", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old\n" {
		t.Errorf("the file was replaced: %q", got)
	}
	if names := listDir(t, dir); !slices.Equal(names, []string{"x.yaml"}) {
		t.Errorf("left behind: %v", names)
	}
}
