package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/testutil"
)

func TestFeaturesCmdParsesArgs(t *testing.T) {
	tests := []struct {
		argv     string
		want     FeaturesOptions
		wantErr  string
		wantCode int
	}{
		{argv: "features"},
		{argv: "features --json", want: FeaturesOptions{JSON: true}},
		{argv: "features eu-west-1", wantErr: `unknown command "eu-west-1" for "regionctl features"`, wantCode: ExitFailure},
		{argv: "features --bogus", wantErr: "unknown flag: --bogus", wantCode: ExitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.argv, func(t *testing.T) {
			var got *FeaturesOptions
			code, err := execArgs(t, tt.argv, func(f *Factory, g *Globals) *cobra.Command {
				return newFeaturesCmd(f, g, func(o *FeaturesOptions) error { got = o; return nil })
			})
			if argsFailed(t, code, err, tt.wantErr, tt.wantCode) {
				return
			}
			if got.JSON != tt.want.JSON {
				t.Errorf("options = %+v, want %+v", *got, tt.want)
			}
		})
	}
}

// featureRegions is the shipped regions with ap-southeast-2 the only one with payments.
func featureRegions(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	testutil.CopyRegions(t, dir)
	path := filepath.Join(dir, "regions", "ap-southeast-2.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), "  whatsapp: false\n", "  whatsapp: false\n  payments: true\n", 1)
	if text == string(data) {
		t.Fatal("ap-southeast-2.yaml has no whatsapp line to add payments after")
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "regions")
}

func TestFeaturesRunText(t *testing.T) {
	dir := featureRegions(t)
	for _, tty := range []bool{false, true} {
		ios, out, errOut := TestIO(tty)
		f := testFactory(ios, policyDay, nil, nil)
		if err := featuresRun(&FeaturesOptions{IO: ios, Env: envFor(f, dir)}); err != nil {
			t.Fatal(err)
		}
		want := "" +
			"feature   ap-southeast-2  eu-west-1  us-east-1\n" +
			"payments  ✓\n" +
			"sms                                  ✓\n" +
			"whatsapp  –               –          ✓\n" +
			"\n" +
			"ap-southeast-2 lacks sms (on in us-east-1; not in its file)\n" +
			"ap-southeast-2 lacks whatsapp (on in us-east-1)\n" +
			"eu-west-1 lacks payments (on in ap-southeast-2; not in its file)\n" +
			"eu-west-1 lacks sms (on in us-east-1; not in its file)\n" +
			"eu-west-1 lacks whatsapp (on in us-east-1)\n" +
			"us-east-1 lacks payments (on in ap-southeast-2; not in its file)\n"
		if out.String() != want {
			t.Errorf("tty=%v: stdout =\n%s\nwant\n%s", tty, out.String(), want)
		}
		if errOut.Len() != 0 {
			t.Errorf("stderr %q", errOut.String())
		}
	}
}

func TestFeaturesRunJSON(t *testing.T) {
	ios, out, _ := TestIO(false)
	f := testFactory(ios, policyDay, nil, nil)
	err := featuresRun(&FeaturesOptions{IO: ios, Env: envFor(f, featureRegions(t)), JSON: true})
	if code := app.ExitCode(err); code != ExitOK {
		t.Fatalf("exit code %d (err %v), want 0: a missing feature is information", code, err)
	}
	var got app.FeatureMatrix
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if want := []string{"ap-southeast-2", "eu-west-1", "us-east-1"}; !reflect.DeepEqual(got.Regions, want) {
		t.Errorf("regions %v", got.Regions)
	}
	want := []app.FeatureRow{
		{Name: "payments", On: map[string]bool{"ap-southeast-2": true}},
		{Name: "sms", On: map[string]bool{"us-east-1": true}},
		{Name: "whatsapp", On: map[string]bool{"ap-southeast-2": false, "eu-west-1": false, "us-east-1": true}},
	}
	if !reflect.DeepEqual(got.Features, want) {
		t.Errorf("features %+v", got.Features)
	}
	if len(got.Gaps) != 6 {
		t.Errorf("gaps %+v", got.Gaps)
	}
	if g := got.Gaps[1]; g.Region != "ap-southeast-2" || g.Feature != "whatsapp" || g.Missing || !reflect.DeepEqual(g.OnIn, []string{"us-east-1"}) {
		t.Errorf("gap %+v", g)
	}
	if !strings.Contains(out.String(), `"missing": true`) {
		t.Errorf("a feature a file does not mention is not marked missing:\n%s", out.String())
	}
}
