package region_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/internal/testutil"
)

// auditHeading opens the table of stacks/README.md that records what was checked
// against AWS and the provider for every resource type the program creates.
const auditHeading = "## AWS audit"

// auditStatus is what a row's status may say: checked and fine, fixed in a named
// file, or still open with who or what it waits for.
var auditStatus = regexp.MustCompile(`^(ok|fixed \([^)]+\)|open: .+)$`)

// TestAuditTableCoversProgram: every resource type the program registers for the
// shipped regions has at least one row in the audit table, so a new type cannot go
// unchecked.
func TestAuditTableCoversProgram(t *testing.T) {
	root := testutil.RepoRoot(t)
	regions, err := spec.LoadDir(filepath.Join(root, "regions"))
	if err != nil {
		t.Fatalf("loading the shipped regions: %v", err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "stacks", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	rows, problems := auditRows(string(readme))
	for _, p := range problems {
		t.Error(p)
	}
	if len(rows) == 0 {
		t.Fatalf("stacks/README.md has no %q table", auditHeading)
	}

	registered := map[string]string{} // audit name -> a region that registers it
	for _, r := range regions {
		for typ := range run(t, r).CountByType() {
			if strings.HasPrefix(typ, "regionctl:") {
				continue // our own components: nothing AWS checks
			}
			if _, seen := registered[auditName(typ)]; !seen {
				registered[auditName(typ)] = r.Region
			}
		}
	}
	var missing []string
	for name, region := range registered {
		if !rows[name] {
			missing = append(missing, name+" (registered for "+region+")")
		}
	}
	slices.Sort(missing)
	for _, m := range missing {
		t.Errorf("stacks/README.md %s has no row for %s: check it against AWS and the provider and add one", auditHeading, m)
	}
}

func TestAuditRows(t *testing.T) {
	const doc = "# x\n\n## AWS audit (checked 2026-12-01)\n\n" +
		"| resource | setting | rule | source | status |\n| --- | --- | --- | --- | --- |\n" +
		"| `sqs/queue` | name | up to 80 characters | [SQS](https://example.com) | ok |\n" +
		"| `s3/bucketV2` | name | global | [S3](https://example.com) | fixed (stacks/storage/storage.go) |\n" +
		"| `ec2/eip` | pool | x | y | open: network owner |\n" +
		"| `ec2/vpc` | cidr | x | y | maybe |\n" +
		"| `ec2/subnet` | too few cells |\n" +
		"\n## Later\n\n| `kms/key` | a | b | c | ok |\n"
	rows, problems := auditRows(doc)
	for _, want := range []string{"sqs/queue", "s3/bucketV2", "ec2/eip", "ec2/vpc"} {
		if !rows[want] {
			t.Errorf("no row for %s in %v", want, rows)
		}
	}
	if rows["kms/key"] {
		t.Error("a table after the audit section counted as audit rows")
	}
	if len(problems) != 2 || !strings.Contains(problems[0], "maybe") || !strings.Contains(problems[1], "5 cells") {
		t.Errorf("problems = %q, want the bad status and the short row", problems)
	}
	if got := auditName("aws:ec2/vpc:Vpc"); got != "ec2/vpc" {
		t.Errorf("auditName = %q", got)
	}
	if got := auditName("pulumi:providers:aws"); got != "pulumi:providers:aws" {
		t.Errorf("auditName = %q", got)
	}
}

// auditRows returns the resources named by the rows of the audit section (up to the
// next "## " heading), and what is wrong with malformed rows.
func auditRows(doc string) (map[string]bool, []string) {
	rows := map[string]bool{}
	var problems []string
	in := false
	for i, line := range strings.Split(doc, "\n") {
		switch {
		case strings.HasPrefix(line, "## "):
			in = strings.HasPrefix(line, auditHeading)
			continue
		case !in || !strings.HasPrefix(line, "|"):
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), "|")
		for j := range cells {
			cells[j] = strings.TrimSpace(cells[j])
		}
		if cells[0] == "resource" || strings.HasPrefix(cells[0], "---") {
			continue
		}
		if len(cells) != 5 {
			problems = append(problems, lineRef(i)+": want 5 cells (resource | setting | rule | source | status), got "+line)
			continue
		}
		if !auditStatus.MatchString(cells[4]) {
			problems = append(problems, lineRef(i)+": status "+cells[4]+" is none of ok, fixed (<file>), open: <who/what>")
		}
		rows[strings.Trim(cells[0], "`")] = true
	}
	return rows, problems
}

// auditName is how the table names a type: "aws:ec2/vpc:Vpc" is ec2/vpc; a provider
// keeps its full token.
func auditName(typ string) string {
	if rest, ok := strings.CutPrefix(typ, "aws:"); ok {
		if i := strings.LastIndex(rest, ":"); i >= 0 {
			return rest[:i]
		}
		return rest
	}
	return typ
}

func lineRef(i int) string {
	return "stacks/README.md line " + strconv.Itoa(i+1)
}
