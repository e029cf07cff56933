package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestValidateCmdParsesArgs(t *testing.T) {
	tests := []struct {
		argv string
		want ValidateOptions
	}{
		{"validate", ValidateOptions{RegionsDir: "regions", Regions: []string{}}},
		{"validate eu-west-1 --regions-dir r --json", ValidateOptions{RegionsDir: "r", JSON: true, Regions: []string{"eu-west-1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.argv, func(t *testing.T) {
			ios, _, _ := TestIO(false)
			g := &Globals{}
			root := newBareRoot(ios, g)
			var got *ValidateOptions
			root.AddCommand(newValidateCmd(testFactory(ios, time.Now, nil, nil), g, func(o *ValidateOptions) error { got = o; return nil }))
			root.SetArgs(strings.Fields(tt.argv))
			if err := root.Execute(); err != nil {
				t.Fatal(err)
			}
			if got.RegionsDir != tt.want.RegionsDir || got.JSON != tt.want.JSON || strings.Join(got.Regions, ",") != strings.Join(tt.want.Regions, ",") {
				t.Errorf("options = %+v, want %+v", *got, tt.want)
			}
			if got.Env == nil || got.Env().RegionsDir != tt.want.RegionsDir {
				t.Errorf("the pipeline must load the regions of %q", tt.want.RegionsDir)
			}
		})
	}
}

func TestValidateRunValid(t *testing.T) {
	ios, out, errOut := TestIO(false)
	if err := validateRun(validateOpts(ios, "testdata/regions")); err != nil {
		t.Fatal(err)
	}
	want := "✓ ap-southeast-2 (testdata/regions/ap-southeast-2.yaml)\n" +
		"✓ eu-west-1 (testdata/regions/eu-west-1.yaml)\n" +
		"2 region files valid\n"
	if out.String() != want {
		t.Errorf("stdout = %q, want %q", out.String(), want)
	}
	if errOut.Len() != 0 {
		t.Errorf("stderr = %q", errOut.String())
	}
}

func TestValidateRunInvalid(t *testing.T) {
	ios, out, errOut := TestIO(false)
	err := validateRun(validateOpts(ios, "testdata/invalid"))
	if code := exitCode(ios, err, false); code != ExitInvalidConfig {
		t.Fatalf("exit code %d, want %d", code, ExitInvalidConfig)
	}
	if out.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", out.String())
	}
	want := "testdata/invalid/eu-west-1.yaml:17:16: databases[0].instances: 1 is too few for multi-AZ (want >= 2)\n" +
		"testdata/invalid/eu-west-1.yaml:20:15: caches[0].nodeType: \"r6g.large\" is not a cache node type; want cache.family.size like cache.r6g.large\n" +
		"2 problems found\n"
	if errOut.String() != want {
		t.Errorf("stderr =\n%s\nwant\n%s", errOut.String(), want)
	}
}

func TestValidateRunJSON(t *testing.T) {
	ios, out, _ := TestIO(false)
	opts := validateOpts(ios, "testdata/invalid")
	opts.JSON = true
	err := validateRun(opts)
	if code := exitCode(ios, err, false); code != ExitInvalidConfig {
		t.Fatalf("exit code %d, want %d", code, ExitInvalidConfig)
	}
	var doc validateJSON
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
	}
	if doc.Valid || len(doc.Problems) != 2 || doc.Problems[0].Line != 17 || doc.Problems[0].Field != "databases[0].instances" {
		t.Errorf("unexpected document: %+v", doc)
	}
}

func TestValidateUnknownRegion(t *testing.T) {
	ios, _, errOut := TestIO(false)
	opts := validateOpts(ios, "testdata/regions")
	opts.Regions = []string{"eu-west-9"}
	err := validateRun(opts)
	if code := exitCode(ios, err, false); code != ExitInvalidConfig {
		t.Fatalf("exit code %d, want %d", code, ExitInvalidConfig)
	}
	if !strings.Contains(errOut.String(), "eu-west-9") {
		t.Errorf("stderr should name the unknown region: %q", errOut.String())
	}
}

// validateOpts are the options the command builds for regions folder dir, today.
func validateOpts(ios *IOStreams, dir string) *ValidateOptions {
	return &ValidateOptions{IO: ios, Env: envFor(testFactory(ios, time.Now, nil, nil), dir), RegionsDir: dir}
}
