package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/testutil"
)

func TestPreflightCmdParsesArgs(t *testing.T) {
	tests := []struct {
		argv    string
		want    PreflightOptions
		wantErr string
	}{
		{argv: "preflight eu-west-1", want: PreflightOptions{Region: "eu-west-1"}},
		{argv: "preflight ap-northeast-1 --live --json", want: PreflightOptions{Region: "ap-northeast-1", Live: true, JSON: true}},
		{argv: "preflight", wantErr: "accepts 1 arg(s), received 0"},
		{argv: "preflight eu-west-1 us-east-1", wantErr: "accepts 1 arg(s), received 2"},
		{argv: "preflight eu-west-1 --bogus", wantErr: "unknown flag: --bogus"},
	}
	for _, tt := range tests {
		t.Run(tt.argv, func(t *testing.T) {
			var got *PreflightOptions
			code, err := execArgs(t, tt.argv, func(f *Factory, g *Globals) *cobra.Command {
				return newPreflightCmd(f, g, func(o *PreflightOptions) error { got = o; return nil })
			})
			if argsFailed(t, code, err, tt.wantErr, 0) {
				return
			}
			if got.Region != tt.want.Region || got.Live != tt.want.Live || got.JSON != tt.want.JSON {
				t.Errorf("options = %+v, want %+v", *got, tt.want)
			}
		})
	}
}

// preflightDir is a copy of the shipped regions plus files made from eu-west-1's:
// each of from → the changes applied, written as regions/<id>.yaml.
func preflightDir(t *testing.T, files map[string][]string) string {
	t.Helper()
	dir := t.TempDir()
	testutil.CopyRegions(t, dir)
	base, err := os.ReadFile(filepath.Join(dir, "regions", "eu-west-1.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for id, repl := range files {
		text := strings.NewReplacer(repl...).Replace(string(base))
		if err := os.WriteFile(filepath.Join(dir, "regions", id+".yaml"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "regions")
}

func runPreflight(t *testing.T, dir, id string, jsonOut bool) (*app.Preflight, string, error) {
	t.Helper()
	ios, out, _ := TestIO(false)
	f := testFactory(ios, deployDay, nil, nil)
	err := preflightRun(context.Background(), &PreflightOptions{IO: ios, Env: envFor(f, dir), Region: id, JSON: jsonOut})
	if jsonOut {
		var p app.Preflight
		if jerr := json.Unmarshal(out.Bytes(), &p); jerr != nil {
			t.Fatalf("%s: not JSON: %v\n%s", id, jerr, out.String())
		}
		return &p, out.String(), err
	}
	return nil, out.String(), err
}

func TestPreflightShippedRegionsPass(t *testing.T) {
	dir := preflightDir(t, nil)
	for _, id := range []string{"eu-west-1", "us-east-1", "ap-southeast-2"} {
		_, out, err := runPreflight(t, dir, id, false)
		if err != nil {
			t.Errorf("%s: %v\n%s", id, err, out)
		}
		if strings.Contains(out, "✗") {
			t.Errorf("%s: a check failed:\n%s", id, out)
		}
		if !strings.Contains(out, "✓ availability zones") || !strings.Contains(out, "✓ servers/web instance type") {
			t.Errorf("%s: missing checks:\n%s", id, out)
		}
	}
}

func TestPreflightFlagsAZsThatDoNotExist(t *testing.T) {
	dir := preflightDir(t, map[string][]string{"ap-northeast-1": {"eu-west-1", "ap-northeast-1", "jurisdiction: eu", "jurisdiction: jp", "10.20.0.0/16", "10.97.0.0/16"}})
	_, out, err := runPreflight(t, dir, "ap-northeast-1", false)
	if code := app.ExitCode(err); code != app.ExitInvalidConfig {
		t.Fatalf("exit code %d (%v), want 4\n%s", code, err, out)
	}
	want := "✗ availability zones: " + filepath.Join(dir, "ap-northeast-1.yaml") + ":10:8: ap-northeast-1b is not a zone new accounts have in ap-northeast-1 (it offers ap-northeast-1a, ap-northeast-1c, ap-northeast-1d); fix: azs: [ap-northeast-1a, ap-northeast-1c, ap-northeast-1d]\n"
	if !strings.Contains(out, want) {
		t.Errorf("output lacks\n%s\ngot:\n%s", want, out)
	}
}

func TestPreflightOptInAndClassNotOffered(t *testing.T) {
	dir := preflightDir(t, map[string][]string{"ap-southeast-4": {"eu-west-1", "ap-southeast-4", "jurisdiction: eu", "jurisdiction: au", "10.20.0.0/16", "10.96.0.0/16", "db.r6g.xlarge", "db.r8g.xlarge"}})
	p, out, err := runPreflight(t, dir, "ap-southeast-4", true)
	if code := app.ExitCode(err); code != app.ExitInvalidConfig {
		t.Fatalf("exit code %d (%v), want 4\n%s", code, err, out)
	}
	var optIn, class *app.PreflightCheck
	for i, c := range p.Checks {
		switch c.Name {
		case "opt-in":
			optIn = &p.Checks[i]
		case "databases/main DB instance class":
			class = &p.Checks[i]
		}
	}
	if optIn == nil || optIn.Status != app.CheckWarn || !strings.Contains(optIn.Fix, "aws account enable-region --region-name ap-southeast-4") {
		t.Errorf("opt-in check = %+v", optIn)
	}
	if class == nil || class.Status != app.CheckFail || class.Fix != "pick db.r6g.xlarge" || class.Line != 28 || class.Col != 20 {
		t.Errorf("class check = %+v", class)
	}
}

func TestPreflightQuotaElasticIPs(t *testing.T) {
	dir := preflightDir(t, map[string][]string{"us-east-1": {"eu-west-1", "us-east-1", "jurisdiction: eu", "jurisdiction: us", "10.20.0.0/16", "10.98.0.0/16", "azs: 3 ", "azs: 6 "}})
	_, out, err := runPreflight(t, dir, "us-east-1", false)
	if code := app.ExitCode(err); code != app.ExitInvalidConfig {
		t.Fatalf("exit code %d (%v), want 4\n%s", code, err, out)
	}
	if !strings.Contains(out, "✗ quota EC2-VPC Elastic IPs") || !strings.Contains(out, "L-0263D0A3") || !strings.Contains(out, "the plan needs 6 EC2-VPC Elastic IPs; default quota 5") {
		t.Errorf("no Elastic IP quota failure:\n%s", out)
	}
}

func TestPreflightRegionWithoutFacts(t *testing.T) {
	dir := preflightDir(t, map[string][]string{"eu-south-2": {"eu-west-1", "eu-south-2", "10.20.0.0/16", "10.95.0.0/16"}})
	_, out, err := runPreflight(t, dir, "eu-south-2", false)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{"! opt-in:", "the facts do not say whether eu-south-2 offers m6i.large; run with --live"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
