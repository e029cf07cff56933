package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/awsmodel"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

func TestPlanCmdParsesArgs(t *testing.T) {
	tests := []struct {
		argv     string
		want     PlanOptions
		wantDir  string
		wantErr  string
		wantCode int
	}{
		{argv: "plan eu-west-1", wantDir: "regions", want: PlanOptions{Regions: []string{"eu-west-1"}}},
		{argv: "plan eu-west-1 ap-southeast-2 --json", wantDir: "regions", want: PlanOptions{JSON: true, Regions: []string{"eu-west-1", "ap-southeast-2"}}},
		{argv: "plan --all --regions-dir other", wantDir: "other", want: PlanOptions{All: true, Regions: []string{}}},
		{argv: "plan", wantErr: "name at least one region (regionctl plan eu-west-1) or use --all", wantCode: ExitFailure},
		{argv: "plan eu-west-1 --all", wantErr: "name regions or use --all, not both", wantCode: ExitFailure},
		{argv: "plan --bogus", wantErr: "unknown flag: --bogus", wantCode: ExitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.argv, func(t *testing.T) {
			ios, _, _ := TestIO(false)
			var got *PlanOptions
			g := &Globals{}
			root := newBareRoot(ios, g)
			root.AddCommand(newPlanCmd(testFactory(ios, policyDay, nil, nil), g, func(o *PlanOptions) error { got = o; return nil }))
			root.SetArgs(strings.Fields(tt.argv))
			err := root.Execute()
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				if code := exitCode(ios, err, false); code != tt.wantCode {
					t.Errorf("exit code %d, want %d", code, tt.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.JSON != tt.want.JSON || got.All != tt.want.All || strings.Join(got.Regions, ",") != strings.Join(tt.want.Regions, ",") {
				t.Errorf("options = %+v, want %+v", *got, tt.want)
			}
			if dir := got.Env().RegionsDir; dir != tt.wantDir {
				t.Errorf("regions dir = %q, want %q", dir, tt.wantDir)
			}
		})
	}
}

// fakePlanner returns fixed manifests, or fails the regions named in fail. Its bare
// queue breaks three guardrails; with clean set, each region holds one IAM role
// instead, which passes every guardrail.
type fakePlanner struct {
	fail  map[string]bool
	clean bool
}

func (f fakePlanner) Plan(_ context.Context, regions []*spec.Region) ([]manifest.Region, error) {
	out := make([]manifest.Region, len(regions))
	var errs []error
	for i, r := range regions {
		if f.fail[r.Region] {
			errs = append(errs, errors.New(`planning region "`+r.Region+`": boom`))
			continue
		}
		typ, name := "aws:sqs/queue:Queue", "q"
		if f.clean {
			typ, name = "aws:iam/role:Role", "r"
		}
		out[i] = manifest.Region{Name: r.Region, Resources: []manifest.Resource{
			{URN: "urn:pulumi:" + r.Region + "::regionctl::" + typ + "::" + name, Type: typ, Name: name, Custom: true, Inputs: map[string]any{}},
		}}
	}
	return out, errors.Join(errs...)
}

func TestPlanRunText(t *testing.T) {
	for _, tty := range []bool{false, true} {
		ios, out, errOut := TestIO(tty)
		f := testFactory(ios, policyDay, fakePlanner{clean: true}, nil)
		err := planRun(context.Background(), &PlanOptions{IO: ios, Env: envFor(f, "testdata/regions"), Regions: []string{"eu-west-1"}})
		if err != nil {
			t.Fatal(err)
		}
		// The tree, then the guardrail findings, which plan always prints, then the estimate.
		want := "eu-west-1: 1 resource\n└─ aws:iam/role:Role r\n\neu-west-1: passes every guardrail\n" +
			"\nestimate (typical creation times, on-demand list prices):\n" +
			"  eu-west-1: first up ≈ 5 s (critical path: iam.Role r (5s)); monthly ≈ $0 at desired, $0 at max capacity (prices " + awsmodel.PricesChecked.Format("2006-01-02") + ")\n"
		if out.String() != want {
			t.Errorf("tty=%v: stdout = %q, want %q", tty, out.String(), want)
		}
		if errOut.Len() != 0 {
			t.Errorf("tty=%v: unexpected stderr %q", tty, errOut.String())
		}
	}
}

func TestPlanRunFailedRegionDoesNotHideOthers(t *testing.T) {
	ios, out, errOut := TestIO(false)
	// The region that plans passes the guardrails, so the planning failure is all there is.
	f := testFactory(ios, policyDay, fakePlanner{fail: map[string]bool{"eu-west-1": true}, clean: true}, nil)
	err := planRun(context.Background(), &PlanOptions{IO: ios, Env: envFor(f, "testdata/regions"), JSON: true, All: true})
	if err == nil {
		t.Fatal("want an error for the failed region")
	}
	if code := exitCode(ios, err, false); code != ExitFailure {
		t.Errorf("exit code %d, want %d", code, ExitFailure)
	}
	if !strings.Contains(out.String(), `"name": "ap-southeast-2"`) || strings.Contains(out.String(), `"name": "eu-west-1"`) {
		t.Errorf("stdout should hold only the planned region:\n%s", out.String())
	}
	if got, want := errOut.String(), "error: planning region \"eu-west-1\": boom\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
}

func TestPlanRunInvalidConfig(t *testing.T) {
	ios, out, errOut := TestIO(false)
	f := testFactory(ios, policyDay, fakePlanner{}, nil)
	err := planRun(context.Background(), &PlanOptions{IO: ios, Env: envFor(f, "testdata/invalid"), All: true})
	if code := exitCode(ios, err, false); code != ExitInvalidConfig {
		t.Fatalf("exit code %d, want %d (err %v)", code, ExitInvalidConfig, err)
	}
	if out.Len() != 0 {
		t.Errorf("nothing should reach stdout, got %q", out.String())
	}
	if !strings.Contains(errOut.String(), "testdata/invalid/eu-west-1.yaml:") {
		t.Errorf("stderr should name the file and line:\n%s", errOut.String())
	}
}

func TestJSONIsDeterministicThroughCommand(t *testing.T) {
	run := func() []byte {
		ios, out, _ := TestIO(false)
		f := testFactory(ios, policyDay, fakePlanner{}, nil)
		// The bare queues are denied: the findings are part of the document compared.
		err := planRun(context.Background(), &PlanOptions{IO: ios, Env: envFor(f, "testdata/regions"), JSON: true, All: true})
		if code := app.ExitCode(err); code != ExitPolicyViolation {
			t.Fatalf("exit code %d, want %d (err %v)", code, ExitPolicyViolation, err)
		}
		return out.Bytes()
	}
	a, b := run(), run()
	if !bytes.Equal(a, b) {
		t.Error("two runs gave different JSON")
	}
	// Each region carries its estimate next to the members of the contract.
	var doc struct {
		Regions []map[string]json.RawMessage `json:"regions"`
	}
	if err := json.Unmarshal(a, &doc); err != nil {
		t.Fatal(err)
	}
	for _, r := range doc.Regions {
		for _, key := range []string{"name", "resources", "policy", "waivers", "estimate"} {
			if _, ok := r[key]; !ok {
				t.Errorf("region has no %q member", key)
			}
		}
		var est struct {
			FirstUp struct {
				Seconds      int               `json:"seconds"`
				CriticalPath []json.RawMessage `json:"criticalPath"`
			} `json:"firstUp"`
			Monthly *struct {
				Desired float64 `json:"desired"`
			} `json:"monthly"`
		}
		if err := json.Unmarshal(r["estimate"], &est); err != nil {
			t.Fatal(err)
		}
		// A bare queue: one API call, and nothing the table prices by the hour.
		if est.FirstUp.Seconds != 2 || len(est.FirstUp.CriticalPath) != 1 || est.Monthly == nil || est.Monthly.Desired != 0 {
			t.Errorf("estimate %s", r["estimate"])
		}
	}
}
