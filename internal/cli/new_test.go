package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/testutil"
)

func TestNewCmdArgs(t *testing.T) {
	tests := []struct {
		argv     string
		want     app.NewRequest
		json     bool
		wantErr  string
		wantCode int
	}{
		{argv: "new ap-northeast-1 --jurisdiction jp --from eu-west-1", want: app.NewRequest{Region: "ap-northeast-1", Jurisdiction: "jp", From: "eu-west-1"}},
		{argv: "new eu-central-1 --jurisdiction eu --account 111122223333 --json", json: true, want: app.NewRequest{Region: "eu-central-1", Jurisdiction: "eu", AccountID: "111122223333"}},
		{argv: "new ap-northeast-1", wantErr: "--jurisdiction is required: the residency zone of ap-northeast-1 (a key of regions/jurisdictions.yaml)", wantCode: ExitFailure},
		{argv: "new --jurisdiction jp", wantErr: "accepts 1 arg(s), received 0", wantCode: ExitFailure},
		{argv: "new a b --jurisdiction jp", wantErr: "accepts 1 arg(s), received 2", wantCode: ExitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.argv, func(t *testing.T) {
			var got *NewOptions
			code, err := execArgs(t, tt.argv, func(f *Factory, g *Globals) *cobra.Command {
				return newNewCmd(f, g, func(o *NewOptions) error { got = o; return nil })
			})
			if argsFailed(t, code, err, tt.wantErr, tt.wantCode) {
				return
			}
			if got.Request != tt.want || got.JSON != tt.json {
				t.Errorf("options = %+v json %v, want %+v json %v", got.Request, got.JSON, tt.want, tt.json)
			}
		})
	}
}

// TestNewRun: the text and JSON forms of a region written from eu-west-1.
func TestNewRun(t *testing.T) {
	for _, asJSON := range []bool{false, true} {
		dir := t.TempDir()
		testutil.CopyRegions(t, dir)
		ios, out, errOut := TestIO(false)
		regionsDir := filepath.Join(dir, "regions")
		g := &Globals{}
		root := NewRootCmdWith(testFactory(ios, policyDay, nil, nil), g)
		args := []string{"--regions-dir", regionsDir, "new", "ap-northeast-1", "--jurisdiction", "jp", "--from", "eu-west-1"}
		if asJSON {
			args = append(args, "--json")
		}
		root.SetArgs(args)
		if err := root.Execute(); err != nil {
			t.Fatalf("json %v: %v\n%s", asJSON, err, errOut)
		}
		text := strings.ReplaceAll(out.String(), regionsDir, "DIR")
		if !strings.Contains(errOut.String(), "note: accountId 210987654321 kept from eu-west-1; pass --account ID to use another account\n") {
			t.Errorf("stderr lacks the kept account:\n%s", errOut)
		}
		if asJSON {
			var res app.NewResult
			if err := json.Unmarshal(out.Bytes(), &res); err != nil || res.Region != "ap-northeast-1" || len(res.Changes) == 0 {
				t.Errorf("json = %s (%v)", out, err)
			}
			continue
		}
		for _, want := range []string{
			"wrote DIR/ap-northeast-1.yaml (from eu-west-1)\n",
			"  network.cidr 10.20.0.0/16 → 10.21.0.0/16: the next block no region file uses (blocks must stay disjoint for peering)\n",
			"  servers[0].loadBalancer.public true → false: internal until it has a certificate of ap-northeast-1: internet-facing without HTTPS is denied (security.public-https)\n",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("stdout lacks %q:\n%s", want, text)
			}
		}
	}
}
