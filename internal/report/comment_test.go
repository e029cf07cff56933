package report

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regionctl/regionctl/internal/awsmodel"
	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/estimate"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/policy"
	"github.com/regionctl/regionctl/internal/review"
	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/internal/testutil"
)

// reviewed diffs the shipped eu-west-1 against itself changed by change, offline, as
// `regionctl diff` does, and judges it on a fixed day.
func reviewed(t *testing.T, change func(r *spec.Region)) review.Region {
	t.Helper()
	dir := filepath.Join(testutil.RepoRoot(t), "regions")
	regions, err := spec.LoadDir(dir, "eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	j, err := spec.LoadJurisdictions(filepath.Join(dir, spec.JurisdictionsFile))
	if err != nil {
		t.Fatal(err)
	}
	base := regions[0]
	head := *base
	head.Databases = append([]spec.Database(nil), base.Databases...)
	head.Queues = append([]spec.Queue(nil), base.Queues...)
	change(&head)
	before, err := engine.PlanRegion(base)
	if err != nil {
		t.Fatal(err)
	}
	after, err := engine.PlanRegion(&head)
	if err != nil {
		t.Fatal(err)
	}
	d := manifest.Diff(before, after, awsmodel.ReplacesPlain)
	day := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	r := review.FromDiff(d, policy.Evaluate(&head, j, d, day), policy.Entries(d))
	b, err := estimate.CostOf(before)
	if err != nil {
		t.Fatal(err)
	}
	h, err := estimate.CostOf(after)
	if err != nil {
		t.Fatal(err)
	}
	r.Cost = review.NewCost(b.Desired, h.Desired, h.PricesChecked)
	return r
}

func engineChange(r *spec.Region) {
	r.Databases[0].Engine, r.Databases[0].EngineVersion = "aurora-postgresql", "16.10"
}

func queueTweak(r *spec.Region) { r.Queues[0].VisibilityTimeoutSeconds = 90 }

func sampleReview(regions ...review.Region) *review.Review {
	return &review.Review{
		Source: "diff", Base: "origin/main", BaseCommit: "0123456789abcdef0123", Head: "fedcba9876543210fedc",
		BaseBuild: "this binary (only region files changed)", Regions: regions, Teardown: []string{"ca-central-1"}, Skipped: 4,
	}
}

func TestCommentGolden(t *testing.T) {
	replace := reviewed(t, engineChange)
	tweak := reviewed(t, queueTweak)
	tweak.Name = "ap-southeast-2"
	comment, full := Comment(sampleReview(replace, tweak), CommentOptions{FullAt: "the job summary"})
	if comment != full {
		t.Error("a short comment was trimmed")
	}
	if !strings.HasPrefix(comment, CommentMarker+"\n") {
		t.Error("the comment does not start with the marker")
	}
	// Destructive first: the blocked region's row and its data store come before the tweak.
	if strings.Index(comment, "| `eu-west-1`") > strings.Index(comment, "| `ap-southeast-2`") {
		t.Error("the blocked region is not listed first")
	}
	golden(t, "comment.md", []byte(comment))
}

// 50 regions each replacing their database do not fit in one comment: the details
// are trimmed region by region, the summary keeps every region, and the comment says
// what was left out and where the rest is.
func TestCommentTrimsAFiftyRegionChange(t *testing.T) {
	one := reviewed(t, engineChange)
	var regions []review.Region
	for i := range 50 {
		r := one
		r.Name = fmt.Sprintf("region-%02d", i+1)
		regions = append(regions, r)
	}
	comment, full := Comment(sampleReview(regions...), CommentOptions{FullAt: "the job summary and `full.md`"})
	if len(comment) >= CommentLimit {
		t.Fatalf("comment is %d characters, GitHub keeps %d", len(comment), CommentLimit)
	}
	if len(full) <= CommentLimit {
		t.Fatalf("the full text (%d characters) fits: the test does not make the comment trim", len(full))
	}
	for _, r := range regions {
		if !strings.Contains(comment, "| `"+r.Name+"` |") {
			t.Errorf("the summary lost %s", r.Name)
		}
	}
	if !strings.Contains(comment, "Trimmed to fit GitHub's comment limit") || !strings.Contains(comment, "every detail is in the job summary and `full.md`") {
		t.Error("the comment does not say what was trimmed and where the rest is")
	}
	if !strings.Contains(full, "<summary><b>region-50</b>") {
		t.Error("the full text lost a region's details")
	}
	golden(t, "comment-50.md", []byte(comment))
}

// The summary shows each region's monthly cost change at desired capacity, to the
// dollar, and – where it was not estimated; ReviewText says it with both totals.
func TestCommentMonthlyDelta(t *testing.T) {
	row := func(name string, c *review.Cost) review.Region {
		return review.Region{Name: name, Resources: []manifest.Resource{}, Cost: c}
	}
	rv := &review.Review{Source: "diff", Base: "main", BaseCommit: "abc", Regions: []review.Region{
		row("ap-southeast-2", review.NewCost(2000, 2412.4, "2026-12-02")),
		row("eu-west-1", review.NewCost(2037.59, 2002.2, "2026-12-02")),
		row("us-east-1", review.NewCost(7403.61, 7403.61, "2026-12-02")),
		row("xx-nowhere-1", nil),
	}}
	comment, _ := Comment(rv, CommentOptions{})
	for _, want := range []string{
		"| region | create | update | replace | delete | monthly Δ | guardrails | blocked |",
		"| `ap-southeast-2` | 0 | 0 | 0 | 0 | +$412 | ✅ pass |  |",
		"| `eu-west-1` | 0 | 0 | 0 | 0 | −$35 | ✅ pass |  |",
		"| `us-east-1` | 0 | 0 | 0 | 0 | $0 | ✅ pass |  |",
		"| `xx-nowhere-1` | 0 | 0 | 0 | 0 | – | ✅ pass |  |",
	} {
		if !strings.Contains(comment, want+"\n") {
			t.Errorf("comment lacks %q:\n%s", want, comment)
		}
	}
	var b strings.Builder
	if err := ReviewText(&b, rv); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"ap-southeast-2: 0 to create, 0 to update, 0 to replace, 0 to delete; guardrails: pass; monthly +$412 ($2,000 → $2,412 at desired capacity)\n",
		"eu-west-1: 0 to create, 0 to update, 0 to replace, 0 to delete; guardrails: pass; monthly −$35 ($2,038 → $2,002 at desired capacity)\n",
		"xx-nowhere-1: 0 to create, 0 to update, 0 to replace, 0 to delete; guardrails: pass\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("ReviewText lacks %q:\n%s", want, b.String())
		}
	}
}

func TestCommentOfNoRegion(t *testing.T) {
	comment, _ := Comment(&review.Review{Source: "diff", Base: "main", BaseCommit: "abc", Skipped: 3}, CommentOptions{})
	if !strings.Contains(comment, "no region touched") || !strings.Contains(comment, "3 regions not touched, skipped") {
		t.Errorf("comment:\n%s", comment)
	}
}

// README shows the comment of TestCommentGolden, rendered; -update rewrites it.
func TestReadmeExampleComment(t *testing.T) {
	const start, end = "<!-- example-comment:start -->\n", "<!-- example-comment:end -->"
	readme := filepath.Join(testutil.RepoRoot(t), "README.md")
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	comment, err := os.ReadFile(filepath.Join("testdata", "comment.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	i, j := strings.Index(text, start), strings.Index(text, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %q … %q block", start, end)
	}
	want := "<details><summary>Example: the comment of a pull request that moves eu-west-1's database to PostgreSQL</summary>\n\n" + string(comment) + "\n</details>\n"
	if got := text[i+len(start) : j]; got != want {
		if !*update {
			t.Fatalf("README.md's example comment is out of date: run go test ./internal/report -run TestReadmeExampleComment -update")
		}
		if err := os.WriteFile(readme, []byte(text[:i+len(start)]+want+text[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
