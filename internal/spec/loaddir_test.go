package spec

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeDir makes a regions directory from file name → content.
func writeDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "regions")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const minimalEUWest1 = `region: eu-west-1
jurisdiction: eu
accountId: "100000000003"
network:
  cidr: 10.20.0.0/16
alarms:
  email: oncall@example.com
`

func TestLoadDirEdgeCases(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  string // the error, with the directory written as DIR
	}{
		{
			name:  "yml extension",
			files: map[string]string{"jurisdictions.yaml": "eu: [eu-west-1]\n", "eu-west-1.yml": minimalEUWest1},
			want:  "DIR/eu-west-1.yml:1:1: region files end in .yaml; rename it to eu-west-1.yaml",
		},
		{
			name:  "yaml and yml",
			files: map[string]string{"jurisdictions.yaml": "eu: [eu-west-1]\n", "eu-west-1.yml": minimalEUWest1, "eu-west-1.yaml": minimalEUWest1},
			want:  "DIR has both eu-west-1.yaml and eu-west-1.yml; keep eu-west-1.yaml",
		},
		{
			// A broken jurisdictions file is reported once, not on every region.
			name:  "broken jurisdictions",
			files: map[string]string{"jurisdictions.yaml": "eu: [eu-west-9]\n", "eu-west-1.yaml": minimalEUWest1},
			want:  `DIR/jurisdictions.yaml:1:6: eu[0]: "eu-west-9" is not an AWS region (not in the region list of aws-sdk-go-v2 v1.48.0); did you mean "eu-west-1", "eu-west-2" or "eu-west-3"?`,
		},
		{
			name:  "missing jurisdictions",
			files: map[string]string{"eu-west-1.yaml": minimalEUWest1},
			want:  "open DIR/jurisdictions.yaml: no such file or directory",
		},
		{
			name:  "huge region file among good ones",
			files: map[string]string{"jurisdictions.yaml": "eu: [eu-west-1, eu-west-3]\n", "eu-west-1.yaml": minimalEUWest1, "eu-west-3.yaml": strings.Repeat("#", MaxFileSize+1)},
			want:  "DIR/eu-west-3.yaml:1:1: file is 1.0 MiB; configuration files are limited to 1 MiB",
		},
		{
			name:  "no region files",
			files: map[string]string{"jurisdictions.yaml": "eu: [eu-west-1]\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeDir(t, tt.files)
			_, err := LoadDir(dir)
			got := ""
			if err != nil {
				got = strings.ReplaceAll(err.Error(), dir, "DIR")
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestLoadFileNeedsJurisdictions(t *testing.T) {
	_, err := Load("regions/eu-west-1.yaml", []byte(minimalEUWest1), nil)
	want := `regions/eu-west-1.yaml:2:15: jurisdiction: unknown jurisdiction "eu"; no jurisdictions are defined (jurisdictions.yaml)`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	r, err := Load("regions/eu-west-1.yaml", []byte(minimalEUWest1), Jurisdictions{"eu": {"eu-west-1"}})
	if err != nil || r.Region != "eu-west-1" || r.Source.Path != "regions/eu-west-1.yaml" {
		t.Errorf("Load = %+v, %v", r, err)
	}
}

func TestProblemsAreCapped(t *testing.T) {
	data := minimalEUWest1 + "servers:\n" + strings.Repeat("  - {name: Web, instanceType: m6i.large, min: 1, max: 2}\n", maxProblems+10)
	_, err := Load("regions/eu-west-1.yaml", []byte(data), Jurisdictions{"eu": {"eu-west-1"}})
	ps, _ := err.(Problems)
	if len(ps) != maxProblems+1 {
		t.Fatalf("%d problems, want %d", len(ps), maxProblems+1)
	}
	// Every server has an uppercase name, and all but the first a duplicate one.
	if last := ps[len(ps)-1]; last.Message != "and 69 more problems; fix the ones above first" || last.Line < ps[len(ps)-2].Line {
		t.Errorf("last problem: %+v", last)
	}
}
