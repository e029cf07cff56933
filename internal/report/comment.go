package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/regionctl/regionctl/internal/estimate"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/policy"
	"github.com/regionctl/regionctl/internal/review"
)

// CommentMarker starts every pull-request comment regionctl writes, so CI finds its
// one sticky comment and edits it instead of adding another.
const CommentMarker = "<!-- regionctl:pr-preview -->"

// CommentLimit is the most characters GitHub keeps in a comment body.
const CommentLimit = 65536

// CommentOptions say where the full text is, for the note on what was trimmed.
type CommentOptions struct {
	// Limit is the most bytes the comment may have; 0 means CommentLimit less a margin.
	Limit int
	// FullAt says where the untrimmed comment is (the job summary, an artifact).
	FullAt string
}

// Comment renders a review as a GitHub-flavoured Markdown comment: the marker, a
// summary table (never trimmed), the data stores replaced or deleted, then one
// collapsible section per region with what changes. It returns the comment, trimmed
// region by region to fit the limit, and the full text. Output is deterministic.
func Comment(rv *review.Review, opts CommentOptions) (comment, full string) {
	limit := opts.Limit
	if limit <= 0 {
		limit = CommentLimit - 1536
	}
	regions := slices.Clone(rv.Regions)
	slices.SortStableFunc(regions, func(a, b review.Region) int { return rank(a) - rank(b) })

	head := commentHead(rv, regions, -1)
	var details []string
	for _, r := range regions {
		if changed(r) {
			details = append(details, regionDetails(r, false))
		}
	}
	full = head + strings.Join(details, "")

	if len(full) <= limit {
		return full, full
	}
	// The summary table is never trimmed. The data stores' section, when it alone is
	// too long, lists one line per data store, then as many as fit with a count of the
	// rest. Then details are trimmed region by region, the most destructive kept first:
	// a region that does not fit whole is shown compact (resources without values),
	// then not at all.
	if len(head) > limit/2 {
		head = commentHead(rv, regions, 0)
		for n := strings.Count(head, "\n- "); len(head) > limit/2 && n > 0; n /= 2 {
			head = commentHead(rv, regions, n)
		}
	}
	var b strings.Builder
	b.WriteString(head)
	var trimmed, compact []string
	note := func() string {
		if len(trimmed)+len(compact) == 0 {
			return ""
		}
		where := opts.FullAt
		if where == "" {
			where = "the full report"
		}
		var parts []string
		if len(compact) > 0 {
			parts = append(parts, fmt.Sprintf("values left out for %s", strings.Join(compact, ", ")))
		}
		if len(trimmed) > 0 {
			parts = append(parts, fmt.Sprintf("details left out for %d %s (%s)", len(trimmed), plural(len(trimmed), "region", "regions"), strings.Join(trimmed, ", ")))
		}
		return fmt.Sprintf("\n> [!NOTE]\n> Trimmed to fit GitHub's comment limit: %s. The summary above is complete; every detail is in %s.\n", strings.Join(parts, "; "), where)
	}
	i := 0
	for _, r := range regions {
		if !changed(r) {
			continue
		}
		whole, short := details[i], regionDetails(r, true)
		i++
		// Keep room for the note as it would read if every later region were trimmed.
		reserve := len(note()) + 64*(len(details)-i+1) + 256
		switch {
		case len(trimmed) > 0:
			// Once one region is left out, so are the later ones: the comment keeps
			// a prefix of the regions, in the order of the summary.
			trimmed = append(trimmed, r.Name)
		case b.Len()+len(whole)+reserve <= limit:
			b.WriteString(whole)
		case b.Len()+len(short)+reserve <= limit:
			b.WriteString(short)
			compact = append(compact, r.Name)
		default:
			trimmed = append(trimmed, r.Name)
		}
	}
	b.WriteString(note())
	return b.String(), full
}

// rank orders regions: blocked first, then those with replacements or deletions,
// then the rest; by name within each (the input is sorted by name).
func rank(r review.Region) int {
	switch {
	case r.Error != "":
		return 0
	case r.Blocked():
		return 1
	case r.Changes.Replace+r.Changes.Delete > 0:
		return 2
	case changed(r):
		return 3
	}
	return 4
}

func changed(r review.Region) bool { return len(r.Resources) > 0 }

// commentHead is the marker, the summary and the data stores' section: in full when
// most is negative, else one line per data store, at most most of them (0: no cap).
func commentHead(rv *review.Review, regions []review.Region, most int) string {
	var b strings.Builder
	b.WriteString(CommentMarker + "\n")
	nChanged, nBlocked := 0, 0
	for _, r := range regions {
		if changed(r) {
			nChanged++
		}
		if r.Blocked() || r.Error != "" {
			nBlocked++
		}
	}
	title := fmt.Sprintf("%d of %d %s %s", nChanged, len(regions), plural(len(regions), "region", "regions"), plural(nChanged, "changes", "change"))
	if len(regions) == 0 {
		title = "no region touched"
	}
	if nBlocked > 0 {
		title += fmt.Sprintf(" · %d blocked", nBlocked)
	}
	fmt.Fprintf(&b, "## regionctl %s: %s\n\n", rv.Source, title)
	b.WriteString(provenance(rv) + "\n")

	if len(regions) > 0 {
		b.WriteString("\n| region | create | update | replace | delete | monthly Δ | guardrails | blocked |\n| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |\n")
		for _, r := range regions {
			c := r.Changes
			name := "`" + r.Name + "`"
			if r.New {
				name += " (new)"
			}
			fmt.Fprintf(&b, "| %s | %d | %d | %s | %s | %s | %s | %s |\n", name, c.Create, c.Update, loud(c.Replace), loud(c.Delete), costDelta(r.Cost), verdict(r), cell(blockedBy(r)))
		}
	}
	if len(rv.Teardown) > 0 {
		b.WriteString("\n**To tear down** (region file deleted; CI never acts on it):")
		for _, id := range rv.Teardown {
			fmt.Fprintf(&b, " `%s`", id)
		}
		fmt.Fprintf(&b, ". After review: `regionctl destroy %s`.\n", strings.Join(rv.Teardown, " "))
	}
	if s := stateful(regions, most); s != "" {
		b.WriteString("\n### Data stores replaced or deleted\n\n" + s)
	}
	if nChanged > 0 {
		b.WriteString("\n### Changes by region\n\n")
	}
	return b.String()
}

// costDelta is the change of the monthly cost at desired capacity, to the dollar:
// +$412, −$35, $0; – when it was not estimated.
func costDelta(c *review.Cost) string {
	switch {
	case c == nil:
		return "–"
	case math.Round(c.Delta) >= 1:
		return "+" + estimate.Dollars(c.Delta)
	}
	return estimate.Dollars(c.Delta)
}

func provenance(rv *review.Review) string {
	var parts []string
	switch rv.Source {
	case "diff":
		parts = append(parts, fmt.Sprintf("Offline diff of `%s` against `%s` (%s), no credentials", short12(rv.Head), rv.Base, short12(rv.BaseCommit)))
		if rv.BaseBuild != "" {
			parts = append(parts, "base planned with "+rv.BaseBuild)
		}
	case "preview":
		parts = append(parts, "Engine preview against the deployed state")
	}
	if rv.Skipped > 0 {
		parts = append(parts, fmt.Sprintf("%d %s not touched, skipped", rv.Skipped, plural(rv.Skipped, "region", "regions")))
	}
	return strings.Join(parts, "; ") + "."
}

func short12(s string) string { return s[:min(len(s), 12)] }

// loud makes a destructive count stand out.
func loud(n int) string {
	if n == 0 {
		return "0"
	}
	return fmt.Sprintf("**%d**", n)
}

func verdict(r review.Region) string {
	if r.Error != "" {
		return "⚠️ not diffed"
	}
	n := r.Policy.Counts()
	switch {
	case n.Denied > 0:
		return fmt.Sprintf("❌ %d denied", n.Denied)
	case n.Warnings > 0:
		return fmt.Sprintf("✅ pass, %d %s", n.Warnings, plural(n.Warnings, "warning", "warnings"))
	}
	return "✅ pass"
}

// blockedBy names what stops a region: the entries of its blocking findings.
func blockedBy(r review.Region) string {
	if r.Error != "" {
		return firstLine(r.Error)
	}
	var out []string
	for _, f := range r.Policy.Findings {
		if f.Blocks() {
			s := fmt.Sprintf("%s (%s)", f.Resource, f.Rule)
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return strings.Join(out, ", ")
}

// stateful lists every finding about a data store replaced or deleted, with the
// inputs that force it and the allowance that would accept it; short, one line each,
// at most most of them, when most is not negative.
func stateful(regions []review.Region, most int) string {
	var b strings.Builder
	listed, left := 0, 0
	for _, r := range regions {
		for _, f := range r.Policy.Findings {
			if f.Rule != "blast.replace" && f.Rule != "blast.delete" && f.Rule != "blast.same-identifier" {
				continue
			}
			status := "**blocked**"
			if f.Waived != nil {
				status = fmt.Sprintf("accepted by the allowance `%s: %s` (expires %s)", strings.TrimPrefix(f.Waived.Rule, "blast."), f.Waived.Resource, f.Waived.Expires)
			}
			if most >= 0 {
				if most > 0 && listed == most {
					left++
					continue
				}
				listed++
				fmt.Fprintf(&b, "- **`%s`** `%s` `%s` (%s): %s\n", r.Name, f.Resource, f.Name, f.Rule, status)
				continue
			}
			fmt.Fprintf(&b, "- > [!CAUTION]\n  > **`%s`** `%s` (`%s`), %s: %s\n", r.Name, f.Resource, f.Name, status, f.Message)
			if res := find(r.Resources, f.URN); res != nil {
				for _, c := range res.Changed {
					if slices.Contains(res.ReplaceKeys, c.Top()) {
						fmt.Fprintf(&b, "  > - `%s`: %s → %s (forces the replacement)\n", c.Path, value(c.Old, 80), value(c.New, 80))
					}
				}
			}
		}
	}
	if left > 0 {
		fmt.Fprintf(&b, "- …and %d more, in the full report\n", left)
	}
	return b.String()
}

func find(rs []manifest.Resource, urn string) *manifest.Resource {
	for i := range rs {
		if rs[i].URN == urn {
			return &rs[i]
		}
	}
	return nil
}

var opSymbol = map[manifest.Op]string{
	manifest.OpCreate:  "+ create",
	manifest.OpUpdate:  "~ update",
	manifest.OpReplace: "+- replace",
	manifest.OpDelete:  "- delete",
}

// regionDetails is one region's collapsible section; compact leaves the values out.
func regionDetails(r review.Region, compact bool) string {
	var b strings.Builder
	c := r.Changes
	var counts []string
	for _, x := range []struct {
		n    int
		what string
	}{{c.Create, "create"}, {c.Update, "update"}, {c.Replace, "replace"}, {c.Delete, "delete"}} {
		if x.n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", x.n, x.what))
		}
	}
	fmt.Fprintf(&b, "<details><summary><b>%s</b>: %s</summary>\n\n", r.Name, strings.Join(counts, ", "))
	if r.New && compact {
		fmt.Fprintf(&b, "A new region: %d resources created.\n\n</details>\n\n", c.Create)
		return b.String()
	}
	for _, res := range r.Resources {
		if !res.Custom && res.Op != manifest.OpDelete || manifest.IsProvider(res.Type) && res.Op == manifest.OpCreate {
			continue // components and the stack change nothing in the cloud
		}
		line := fmt.Sprintf("- `%s` **%s** `%s`", opSymbol[res.Op], res.Name, res.Type)
		if res.Entry != "" {
			line += " · " + res.Entry
		}
		if res.Op == manifest.OpReplace && len(res.ReplaceKeys) > 0 {
			line += " · replaced because " + codeList(res.ReplaceKeys) + " changed"
		}
		b.WriteString(line + "\n")
		if compact || r.New {
			continue
		}
		for _, ch := range res.Changed {
			fmt.Fprintf(&b, "  - `%s`: %s → %s\n", ch.Path, value(ch.Old, 200), value(ch.New, 200))
		}
	}
	findings := r.Policy.Findings
	if len(findings) > 0 && !compact {
		b.WriteString("\nGuardrails:\n")
		for _, f := range findings {
			b.WriteString("- " + commentFinding(f) + "\n")
		}
	}
	b.WriteString("\n</details>\n\n")
	return b.String()
}

func commentFinding(f policy.Finding) string {
	state := string(f.Severity)
	if f.Waived != nil {
		state = "waived (" + f.Waived.Kind + ")"
	}
	return fmt.Sprintf("%s `%s` %s: %s", state, f.Rule, f.Resource, f.Message)
}

// value shows a plain input value in a table: masked values in words, long ones cut.
func value(v any, max int) string {
	switch x := v.(type) {
	case nil:
		return "_(none)_"
	case string:
		switch x {
		case manifest.UnknownMask:
			return "_(known after apply)_"
		case manifest.SecretMask:
			return "_(secret)_"
		}
	}
	data, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	s := string(data)
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return "`" + strings.ReplaceAll(s, "`", "'") + "`"
}

func codeList(items []string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = "`" + s + "`"
	}
	return strings.Join(out, ", ")
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", "\\|") }

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// ReviewText prints a review for a terminal or a CI log: per region its counts and
// verdict, then each changed resource with its changed inputs.
func ReviewText(w io.Writer, rv *review.Review) error {
	var b strings.Builder
	if len(rv.Regions) == 0 {
		b.WriteString("no region touched\n")
	}
	for _, r := range rv.Regions {
		c := r.Changes
		if r.Error != "" {
			fmt.Fprintf(&b, "%s: not diffed: %s\n", r.Name, r.Error)
			continue
		}
		fmt.Fprintf(&b, "%s: %d to create, %d to update, %d to replace, %d to delete; guardrails: %s%s\n",
			r.Name, c.Create, c.Update, c.Replace, c.Delete, strings.TrimLeft(verdict(r), "✅❌⚠️ "), costText(r.Cost))
		if r.New {
			fmt.Fprintf(&b, "  a new region: every resource is created\n")
			continue
		}
		for _, res := range r.Resources {
			if !res.Custom && res.Op != manifest.OpDelete {
				continue
			}
			line := fmt.Sprintf("  %-10s %s (%s)", opSymbol[res.Op], res.Name, res.Type)
			if len(res.ReplaceKeys) > 0 {
				line += " because " + strings.Join(res.ReplaceKeys, ", ") + " changed"
			}
			b.WriteString(line + "\n")
			for _, ch := range res.Changed {
				fmt.Fprintf(&b, "      %s: %s → %s\n", ch.Path, plainValue(ch.Old), plainValue(ch.New))
			}
		}
		for _, f := range r.Policy.Findings {
			if f.Blocks() {
				fmt.Fprintf(&b, "  denied %s %s: %s\n", f.Rule, f.Resource, f.Message)
			}
		}
	}
	for _, id := range rv.Teardown {
		fmt.Fprintf(&b, "teardown: %s (its file is deleted; CI never acts on it: after review, `regionctl destroy %s`)\n", id, id)
	}
	if rv.Skipped > 0 {
		fmt.Fprintf(&b, "%d %s not touched, skipped\n", rv.Skipped, plural(rv.Skipped, "region", "regions"))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// costText is the monthly cost line of a region in ReviewText.
func costText(c *review.Cost) string {
	if c == nil {
		return ""
	}
	return fmt.Sprintf("; monthly %s (%s → %s at desired capacity)", costDelta(c), estimate.Dollars(c.Base), estimate.Dollars(c.Head))
}

// plainValue is value without Markdown.
func plainValue(v any) string {
	s := value(v, 200)
	return strings.Trim(strings.NewReplacer("_(", "(", ")_", ")").Replace(s), "`")
}
