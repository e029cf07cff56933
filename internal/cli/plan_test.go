package cli

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

func TestPlanCmdParsesArgs(t *testing.T) {
	tests := []struct {
		argv     string
		want     PlanOptions
		wantErr  string
		wantCode int
	}{
		{argv: "plan eu-west-1", want: PlanOptions{RegionsDir: "regions", Regions: []string{"eu-west-1"}}},
		{argv: "plan eu-west-1 ap-southeast-2 --json", want: PlanOptions{RegionsDir: "regions", JSON: true, Regions: []string{"eu-west-1", "ap-southeast-2"}}},
		{argv: "plan --all --regions-dir other", want: PlanOptions{RegionsDir: "other", All: true, Regions: []string{}}},
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
			root.AddCommand(newPlanCmd(ios, g, func(o *PlanOptions) error { got = o; return nil }, nil))
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
			if got.RegionsDir != tt.want.RegionsDir || got.JSON != tt.want.JSON || got.All != tt.want.All ||
				strings.Join(got.Regions, ",") != strings.Join(tt.want.Regions, ",") {
				t.Errorf("options = %+v, want %+v", *got, tt.want)
			}
		})
	}
}

// fakePlanner returns fixed manifests, or fails the regions named in fail.
type fakePlanner struct{ fail map[string]bool }

func (f fakePlanner) Plan(_ context.Context, regions []*spec.Region) ([]manifest.Region, error) {
	out := make([]manifest.Region, len(regions))
	var errs []error
	for i, r := range regions {
		if f.fail[r.Region] {
			errs = append(errs, errors.New(`planning region "`+r.Region+`": boom`))
			continue
		}
		out[i] = manifest.Region{Name: r.Region, Resources: []manifest.Resource{
			{URN: "urn:pulumi:" + r.Region + "::regionctl::aws:sqs/queue:Queue::q", Type: "aws:sqs/queue:Queue", Name: "q", Custom: true, Inputs: map[string]any{}},
		}}
	}
	return out, errors.Join(errs...)
}

func TestPlanRunText(t *testing.T) {
	for _, tty := range []bool{false, true} {
		ios, out, errOut := TestIO(tty)
		err := planRun(context.Background(), &PlanOptions{IO: ios, Planner: fakePlanner{}, RegionsDir: "testdata/regions", Regions: []string{"eu-west-1"}})
		if err != nil {
			t.Fatal(err)
		}
		want := "eu-west-1: 1 resource\n└─ aws:sqs/queue:Queue q\n"
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
	err := planRun(context.Background(), &PlanOptions{IO: ios, Planner: fakePlanner{fail: map[string]bool{"eu-west-1": true}},
		RegionsDir: "testdata/regions", JSON: true, All: true})
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
	err := planRun(context.Background(), &PlanOptions{IO: ios, Planner: fakePlanner{}, RegionsDir: "testdata/invalid", All: true})
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
		if err := planRun(context.Background(), &PlanOptions{IO: ios, Planner: fakePlanner{}, RegionsDir: "testdata/regions", JSON: true, All: true}); err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	if a, b := run(), run(); !bytes.Equal(a, b) {
		t.Error("two runs gave different JSON")
	}
}
