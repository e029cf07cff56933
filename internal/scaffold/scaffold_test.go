package scaffold

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite golden files (testdata/*.yaml)")

var shipped = prefixes("10.10.0.0/16", "10.20.0.0/16", "10.30.0.0/16")

func source(t *testing.T, id string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testutil.RepoRoot(t), "regions", id+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testutil.Golden(t, filepath.Join("testdata", name), got, *update)
}

func changeLines(cs []Change) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
}

func TestGenerateGolden(t *testing.T) {
	tests := []struct {
		golden string
		req    Request
	}{
		{"ap-northeast-1.from-eu-west-1.yaml", Request{Region: "ap-northeast-1", Jurisdiction: "jp", Description: "Asia Pacific (Tokyo)", From: "eu-west-1"}},
		{"ap-northeast-1.from-us-east-1.yaml", Request{Region: "ap-northeast-1", Jurisdiction: "jp", Description: "Asia Pacific (Tokyo)", From: "us-east-1", AccountID: "444455556666"}},
		{"eu-central-1.from-ap-southeast-2.yaml", Request{Region: "eu-central-1", Jurisdiction: "eu", Description: "Europe (Frankfurt)", From: "ap-southeast-2"}},
		{"eu-central-1.template.yaml", Request{Region: "eu-central-1", Jurisdiction: "eu", Description: "Europe (Frankfurt)", AccountID: "111122223333",
			AlarmEmail: "oncall-eu@acme.example", AlarmHTTPS: "https://events.pagerduty.com/integration/0123456789abcdef0123456789abcdef/enqueue"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			req := tt.req
			if req.From != "" {
				req.Source = source(t, req.From)
			}
			req.Taken, req.Facts = shipped, AWSFacts{}
			res, err := Generate(req)
			if err != nil {
				t.Fatal(err)
			}
			out := append([]byte("# changes:\n#   "+strings.Join(changeLines(res.Changes), "\n#   ")+"\n# notes:\n#   "+strings.Join(res.Notes, "\n#   ")+"\n---\n"), res.Data...)
			golden(t, tt.golden, out)
		})
	}
}

// TestGenerateClasses: a class the region does not offer becomes the nearest offered
// one with a comment; one the facts do not cover is kept with a comment to run preflight.
func TestGenerateClasses(t *testing.T) {
	src := strings.NewReplacer(
		"instanceType: m6i.large", "instanceType: m7i.large",
		"instanceClass: db.r6g.xlarge", "instanceClass: db.r7g.xlarge",
		"nodeType: cache.r6g.large", "nodeType: cache.x9z.large",
	).Replace(string(source(t, "eu-west-1")))
	facts := tokyo
	res, err := Generate(Request{Region: "ap-northeast-1", Jurisdiction: "jp", From: "eu-west-1", Source: []byte(src), Taken: shipped, Facts: facts})
	if err != nil {
		t.Fatal(err)
	}
	out := string(res.Data)
	for _, want := range []string{
		"    instanceType: m6i.large # was m7i.large in eu-west-1: not offered in ap-northeast-1\n",
		"    instanceClass: db.r6g.xlarge # was db.r7g.xlarge in eu-west-1: not offered in ap-northeast-1\n",
		"    nodeType: cache.x9z.large # not offered in ap-northeast-1",
	} {
		if want == "    nodeType: cache.x9z.large # not offered in ap-northeast-1" {
			continue // no nearest: kept, and said in a note
		}
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	changes := strings.Join(changeLines(res.Changes), "\n")
	for _, want := range []string{
		"servers[0].instanceType m7i.large → m6i.large: m7i.large is not offered in ap-northeast-1; m6i.large is the nearest that is",
		"databases[0].instanceClass db.r7g.xlarge → db.r6g.xlarge: db.r7g.xlarge is not offered in ap-northeast-1; db.r6g.xlarge is the nearest that is",
	} {
		if !strings.Contains(changes, want) {
			t.Errorf("changes lack %q:\n%s", want, changes)
		}
	}
	if notes := strings.Join(res.Notes, "\n"); !strings.Contains(notes, "caches[0].nodeType cache.x9z.large is not offered in ap-northeast-1 and no class near it is") {
		t.Errorf("notes = %q, want the cache class without a nearest one", notes)
	}

	// A region the facts do not cover: everything kept, preflight asked for.
	res, err = Generate(Request{Region: "ap-south-2", Jurisdiction: "in", From: "eu-west-1", Source: source(t, "eu-west-1"), Taken: shipped, Facts: facts})
	if err != nil {
		t.Fatal(err)
	}
	out = string(res.Data)
	for _, want := range []string{
		"instanceType: m6i.large # kept: regionctl's facts do not say whether ap-south-2 offers it; check with `regionctl preflight ap-south-2`",
		"  azs: 3                       # count",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if notes := strings.Join(res.Notes, "\n"); !strings.Contains(notes, "run `regionctl preflight ap-south-2` before the first up") {
		t.Errorf("notes = %q, want preflight", notes)
	}
}

// TestGenerateDropsSourceDecisions: waivers, allowances and AMI ids of the source are
// left out, each with a comment where it was.
func TestGenerateDropsSourceDecisions(t *testing.T) {
	src := string(source(t, "eu-west-1"))
	src = strings.Replace(src, "    min: 2\n", "    image: ami-0123456789abcdef0\n    min: 2\n", 1)
	src += "waivers:\n  - rule: ha.nat-per-az\n    resource: network\n    reason: staging\n    expires: 2026-12-31\nallow:\n  - replace: database/main\n    reason: engine change\n    expires: 2026-08-01\n"
	res, err := Generate(Request{Region: "ap-northeast-1", Jurisdiction: "jp", From: "eu-west-1", Source: []byte(src), Taken: shipped, Facts: tokyo})
	if err != nil {
		t.Fatal(err)
	}
	out := string(res.Data)
	for _, gone := range []string{"ami-0123456789abcdef0\n    min", "rule: ha.nat-per-az", "replace: database/main", "certificateArn: arn"} {
		if strings.Contains(out, gone) {
			t.Errorf("%q was copied:\n%s", gone, out)
		}
	}
	for _, want := range []string{
		"    # image: ami-0123456789abcdef0 is an AMI of eu-west-1; copy it to ap-northeast-1",
		"# waivers: not copied from eu-west-1.yaml: waivers of eu-west-1 were decisions about that region",
		"# allow: not copied from eu-west-1.yaml: allowances to replace or delete data stores of eu-west-1 were decisions about that region",
		"features:                      # product features/integrations live in this region\n  whatsapp: false\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

func TestReplaceToken(t *testing.T) {
	tests := []struct{ s, old, repl, want string }{
		{"hosting-eu", "eu", "jp", "hosting-jp"},
		{"hosting-eu-west-1", "eu-west-1", "jp", "hosting-jp"},
		{"oncall-eu", "eu", "jp", "oncall-jp"},
		{"europe-ops", "eu", "jp", "europe-ops"},
		{"eu", "eu", "jp", "jp"},
		{"neu-eu-x", "eu", "jp", "neu-jp-x"},
		{"platform", "eu", "jp", "platform"},
	}
	for _, tt := range tests {
		if got := replaceToken(tt.s, tt.old, tt.repl); got != tt.want {
			t.Errorf("replaceToken(%q, %q) = %q, want %q", tt.s, tt.old, got, tt.want)
		}
	}
}

func TestRestoreLayout(t *testing.T) {
	tests := []struct{ name, src, out, want string }{
		{"unchanged line keeps its spaces", "a: 1      # c\n", "a: 1 # c\n", "a: 1      # c\n"},
		{"changed line keeps the comment column", "a: 1      # c\nb: 2\n", "a: 22 # c\nb: 2\n", "a: 22     # c\nb: 2\n"},
		{"flow braces keep their spaces", "t: { k: v }\n", "t: {k: w}\n", "t: { k: w }\n"},
		{"added lines as encoded", "a: 1\n", "# new\na: 1\n", "# new\na: 1\n"},
		{"a long value pushes the comment", "a: 1  # c\n", "a: 123456 # c\n", "a: 123456 # c\n"},
	}
	for _, tt := range tests {
		if got := string(restoreLayout([]byte(tt.src), []byte(tt.out))); got != tt.want {
			t.Errorf("%s: restoreLayout = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestGenerateTemplateNeedsAccount(t *testing.T) {
	if _, err := Generate(Request{Region: "eu-central-1", Jurisdiction: "eu", Facts: tokyo}); err == nil {
		t.Fatal("the template without an account was accepted")
	}
}
