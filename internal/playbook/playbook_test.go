package playbook

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regionctl/regionctl/internal/testutil"
	shipped "github.com/regionctl/regionctl/playbook"
)

var update = flag.Bool("update", false, "rewrite playbook/README.md")

func TestShippedStepsParse(t *testing.T) {
	steps, err := Parse(shipped.Steps)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range steps {
		ids = append(ids, s.ID)
	}
	want := "config preflight guardrails preview up healthy features tags rollback launch"
	if strings.Join(ids, " ") != want {
		t.Errorf("steps = %v, want %s", ids, want)
	}
}

func TestParseRefuses(t *testing.T) {
	for _, tt := range []struct{ doc, want string }{
		{"steps:\n  - {id: a, title: A, check: none}\n", "needs signoff: true"},
		{"steps:\n  - {id: a, title: A, check: validate}\n  - {id: a, title: B, check: tags}\n", `id "a" is used twice`},
		{"steps:\n  - {id: a, title: A, check: validate, owner: me}\n", "field owner not found"},
		{"steps:\n  - {id: a, check: validate}\n", "id, title and check are required"},
	} {
		if _, err := Parse([]byte(tt.doc)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v, want %q", tt.doc, err, tt.want)
		}
	}
}

// playbook/README.md is the same steps for people.
func TestReadmeInSync(t *testing.T) {
	steps, err := Parse(shipped.Steps)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(testutil.RepoRoot(t), "playbook", "README.md")
	want := Markdown(steps)
	if *update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Error("playbook/README.md is out of date: go test ./internal/playbook -update")
	}
}

func TestWalk(t *testing.T) {
	steps := []Step{
		{ID: "config", Title: "Config", Check: "validate", Signoff: true},
		{ID: "preview", Title: "Preview", Check: "preview"},
		{ID: "tags", Title: "Tags", Check: "tags"},
		{ID: "launch", Title: "Launch", Check: CheckNone, Signoff: true},
	}
	checks := map[string]Checker{
		"validate": func(context.Context) Verdict { return Verdict{OK: true, Detail: "valid"} },
		"preview":  func(context.Context) Verdict { return Verdict{Skipped: true, Fix: "pass --state URL"} },
		"tags": func(context.Context) Verdict {
			return Verdict{Detail: "no costCenter tag", Fix: "add tags: {costCenter: ...}"}
		},
	}
	results := Walk(context.Background(), steps, checks, nil)
	want := []Status{Pending, Pending, Failed, Pending}
	for i, r := range results {
		if r.Status != want[i] {
			t.Errorf("%s: %s, want %s (%s)", r.Step.ID, r.Status, want[i], r.Fix)
		}
	}
	if !strings.Contains(results[0].Fix, "--sign config") {
		t.Errorf("config fix = %q, want the sign-off command", results[0].Fix)
	}
	signed := []Signoff{{Step: "config", By: "Ana", At: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)}}
	results = Walk(context.Background(), steps, checks, signed)
	if results[0].Status != Done || results[0].Signoff.By != "Ana" {
		t.Errorf("signed config = %+v", results[0])
	}
	if n := Next(results); n == nil || n.Step.ID != "preview" {
		t.Errorf("next = %+v, want preview", n)
	}
	if r := Walk(context.Background(), []Step{{ID: "x", Title: "X", Check: "unknown"}}, checks, nil); r[0].Status != Failed {
		t.Errorf("a check regionctl lacks: %+v", r[0])
	}
}

// Sign-offs survive in the file, one per step, the latest kept.
func TestRecordSignoffs(t *testing.T) {
	path := SignoffPath(t.TempDir(), "ap-northeast-1")
	at := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	for _, s := range []Signoff{{Step: "config", By: "Ana", At: at}, {Step: "launch", By: "Bo", At: at}, {Step: "config", By: "Cy", At: at.Add(time.Hour), Note: "re-reviewed"}} {
		if err := Record(path, s); err != nil {
			t.Fatal(err)
		}
	}
	got, err := ReadSignoffs(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Step != "launch" || got[1].By != "Cy" || got[1].Note != "re-reviewed" || !got[1].At.Equal(at.Add(time.Hour)) {
		t.Errorf("sign-offs = %+v", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}
