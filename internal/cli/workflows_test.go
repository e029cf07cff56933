package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/regionctl/regionctl/internal/testutil"
)

// The GitHub Actions workflows are code that runs with a token and, in one case, with
// secrets; these tests keep their security design from drifting: the workflow that runs
// a pull request's (possibly a fork's) code is read-only and secret-free, the one that
// comments never runs PR code, and untrusted values never reach a shell script except
// through env. actionlint (`make lint`) checks the syntax; this checks the intent.

// workflowSubcommands are the regionctl subcommands CI may call. A workflow calling
// another one must be added here, after checking the CLI has it with those flags.
var workflowSubcommands = []string{"regions", "diff", "comment", "preview", "drift"}

type ghWorkflow struct {
	Name        string           `yaml:"name"`
	On          yaml.Node        `yaml:"on"`
	Permissions yaml.Node        `yaml:"permissions"`
	Concurrency yaml.Node        `yaml:"concurrency"`
	Jobs        map[string]ghJob `yaml:"jobs"`
	file        string
	root        yaml.Node
}

type ghJob struct {
	If          string    `yaml:"if"`
	Permissions yaml.Node `yaml:"permissions"`
	Steps       []ghStep  `yaml:"steps"`
}

type ghStep struct {
	Uses string `yaml:"uses"`
	Run  string `yaml:"run"`
}

func parseWorkflow(tb testing.TB, file string, data []byte) *ghWorkflow {
	tb.Helper()
	w := &ghWorkflow{file: file}
	if err := yaml.Unmarshal(data, &w.root); err != nil {
		tb.Fatalf("%s: %v", file, err)
	}
	if err := w.root.Decode(w); err != nil {
		tb.Fatalf("%s: %v", file, err)
	}
	return w
}

// loadWorkflows parses every .github/workflows/*.yml of the repository, by name.
func loadWorkflows(t *testing.T) map[string]*ghWorkflow {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testutil.RepoRoot(t), ".github", "workflows", "*.y*ml"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*ghWorkflow{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		w := parseWorkflow(t, filepath.Base(f), data)
		if w.Name == "" {
			t.Errorf("%s: no name (workflow_run triggers refer to workflows by name)", w.file)
		}
		if _, dup := out[w.Name]; dup {
			t.Errorf("%s: a second workflow named %q", w.file, w.Name)
		}
		out[w.Name] = w
	}
	for _, name := range []string{"pr-diff", "pr-comment", "pr-preview"} {
		if out[name] == nil {
			t.Fatalf("no workflow named %q in .github/workflows", name)
		}
	}
	return out
}

func TestWorkflows(t *testing.T) {
	ws := loadWorkflows(t)

	t.Run("pr-diff is read-only and secret-free", func(t *testing.T) {
		w := ws["pr-diff"]
		if got := mapping(w.Permissions); len(got) != 1 || got["contents"] != "read" {
			t.Errorf("%s: top-level permissions %v, want exactly contents: read", w.file, got)
		}
		for _, p := range writePermissions(w) {
			t.Errorf("%s: %s (this workflow runs fork code)", w.file, p)
		}
		walkScalars(&w.root, func(v string) {
			if strings.Contains(v, "secrets.") || strings.Contains(v, "github.token") {
				t.Errorf("%s: %q uses a secret or the token (this workflow runs fork code)", w.file, v)
			}
		})
	})

	t.Run("pr-comment comments after pr-diff and runs no PR code", func(t *testing.T) {
		w := ws["pr-comment"]
		var on struct {
			WorkflowRun struct {
				Workflows []string `yaml:"workflows"`
				Types     []string `yaml:"types"`
			} `yaml:"workflow_run"`
		}
		if err := w.On.Decode(&on); err != nil {
			t.Fatalf("%s: on: %v", w.file, err)
		}
		if !slices.Contains(on.WorkflowRun.Workflows, "pr-diff") || !slices.Contains(on.WorkflowRun.Types, "completed") {
			t.Errorf("%s: on.workflow_run %+v, want workflows [pr-diff], types [completed]", w.file, on.WorkflowRun)
		}
		if got := mapping(w.Permissions)["pull-requests"]; got != "write" {
			t.Errorf("%s: permissions pull-requests: %q, want write", w.file, got)
		}
		for name, j := range w.Jobs {
			for _, s := range j.Steps {
				if strings.HasPrefix(s.Uses, "actions/checkout") || runsCode.MatchString(s.Run) {
					t.Errorf("%s: job %s checks out or runs code (it holds a write token: it must only read the artifact)", w.file, name)
				}
			}
		}
	})

	t.Run("pr-preview runs for this repository's branches only", func(t *testing.T) {
		w := ws["pr-preview"]
		for name, j := range w.Jobs {
			if !strings.Contains(j.If, "github.event.pull_request.head.repo.full_name == github.repository") {
				t.Errorf("%s: job %s has if %q: it holds secrets, so it must skip fork PRs", w.file, name, j.If)
			}
		}
	})

	t.Run("a newer push cancels the previous run", func(t *testing.T) {
		for _, name := range []string{"pr-diff", "pr-preview"} {
			w := ws[name]
			c := mapping(w.Concurrency)
			if !strings.Contains(c["group"], "github.event.pull_request.number") || c["cancel-in-progress"] != "true" {
				t.Errorf("%s: concurrency %v, want a group per PR with cancel-in-progress: true", w.file, c)
			}
		}
	})

	t.Run("run scripts", func(t *testing.T) {
		used := map[string]bool{}
		for _, w := range ws {
			for _, p := range scriptProblems(w, used) {
				t.Error(p)
			}
		}
		for _, sub := range workflowSubcommands {
			if !used[sub] {
				t.Errorf("no workflow calls `regionctl %s`: drop it from workflowSubcommands", sub)
			}
		}
	})
}

// The checks above must be able to fail: each broken workflow here trips one.
func TestWorkflowsCheckersCatch(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"title in a script", "jobs:\n  a:\n    steps:\n      - run: echo \"${{ github.event.pull_request.title }}\"\n", "expression"},
		{"head_ref in a script", "jobs:\n  a:\n    steps:\n      - run: git checkout ${{ github.head_ref }}\n", "expression"},
		{"unknown subcommand", "jobs:\n  a:\n    steps:\n      - run: |\n          make build\n          bin/regionctl up --all --yes\n", "subcommand"},
		{"continued line", "jobs:\n  a:\n    steps:\n      - run: |\n          bin/regionctl \\\n            destroy --all\n", "subcommand"},
		{"flag first", "jobs:\n  a:\n    steps:\n      - run: ./bin/regionctl --json regions\n", "subcommand"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := parseWorkflow(t, tc.name, []byte(tc.yaml))
			got := strings.Join(scriptProblems(w, map[string]bool{}), "\n")
			if !strings.Contains(got, tc.want) {
				t.Errorf("problems %q, want one about %s", got, tc.want)
			}
		})
	}
	w := parseWorkflow(t, "write", []byte("permissions:\n  contents: read\njobs:\n  a:\n    permissions:\n      pull-requests: write\n  b:\n    permissions: write-all\n"))
	if got := writePermissions(w); len(got) != 2 {
		t.Errorf("writePermissions = %q, want the job-level write and write-all", got)
	}
	w = parseWorkflow(t, "ok", []byte("jobs:\n  a:\n    steps:\n      - env:\n          R: ${{ matrix.regions }}\n        run: |\n          bin/regionctl regions --json\n          bin/regionctl comment merge x.json\n"))
	used := map[string]bool{}
	if got := scriptProblems(w, used); len(got) != 0 || !used["regions"] || !used["comment"] {
		t.Errorf("a clean workflow: problems %q, used %v", got, used)
	}
}

var (
	// runsCode matches a script that builds or runs the checked-out code.
	runsCode = regexp.MustCompile(`bin/|\bmake\b|\bgo (run|build|test)\b`)
	// regionctlCall is one call of the built binary and the word after it.
	regionctlCall = regexp.MustCompile(`bin/regionctl(?:\s+(\S+))?`)
	// expression is a ${{ }} expression: inside a script it is pasted into the shell
	// source before bash parses it, so a branch name or PR title would run as code.
	expression = regexp.MustCompile(`\$\{\{[^}]*\}\}`)
)

// scriptProblems checks w's run scripts: regionctl is called only with the subcommands
// of workflowSubcommands (recorded in used), and no ${{ }} expression appears in a
// script at all. Expressions reach scripts through env:, which bash reads as data; the
// rule is all of them, not only the untrusted ones (title, head_ref, branch names,
// bodies), because telling those apart is exactly the mistake to rule out.
func scriptProblems(w *ghWorkflow, used map[string]bool) []string {
	var out []string
	for name, j := range w.Jobs {
		for i, s := range j.Steps {
			at := fmt.Sprintf("%s: job %s step %d", w.file, name, i+1)
			script := strings.ReplaceAll(s.Run, "\\\n", " ")
			for _, e := range expression.FindAllString(script, -1) {
				out = append(out, at+": expression "+e+" inside run: pass it through env: instead")
			}
			for _, m := range regionctlCall.FindAllStringSubmatch(script, -1) {
				if !slices.Contains(workflowSubcommands, m[1]) {
					out = append(out, at+": `"+m[0]+"`: subcommand "+m[1]+" not in workflowSubcommands "+
						"(the subcommand comes first, right after bin/regionctl)")
					continue
				}
				used[m[1]] = true
			}
		}
	}
	slices.Sort(out)
	return out
}

// writePermissions lists the permissions of w, top-level or in a job, that grant write.
func writePermissions(w *ghWorkflow) []string {
	var out []string
	check := func(where string, n *yaml.Node) {
		if n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "write") {
			out = append(out, where+" permissions: "+n.Value)
		}
		for k, v := range mapping(*n) {
			if v == "write" {
				out = append(out, where+" permissions: "+k+": write")
			}
		}
	}
	check("top-level", &w.Permissions)
	names := make([]string, 0, len(w.Jobs))
	for name := range w.Jobs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		p := w.Jobs[name].Permissions
		check("job "+name, &p)
	}
	return out
}

// mapping is a YAML mapping of scalars as a Go map (nil for anything else).
func mapping(n yaml.Node) map[string]string {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	m := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		m[n.Content[i].Value] = n.Content[i+1].Value
	}
	return m
}

// walkScalars calls f with every scalar value of n (comments are not values).
func walkScalars(n *yaml.Node, f func(string)) {
	if n.Kind == yaml.ScalarNode {
		f(n.Value)
	}
	for _, c := range n.Content {
		walkScalars(c, f)
	}
}
