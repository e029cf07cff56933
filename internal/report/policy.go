package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/regionctl/regionctl/internal/estimate"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/policy"
)

// PolicyText writes the guardrail findings of each region, one line each:
//
//	DENY security.imdsv2 eu-west-1 fleet/web: fleet "web" (...) ...; set httpTokens to required (regions/eu-west-1.yaml:12:5)
//
// then its waivers and allowances, then a summary line per region, and a total when
// there are several regions. Blocking denies come first, waived findings last.
func PolicyText(w io.Writer, reports []policy.Report) error {
	p := &printer{w: w}
	var total policy.Counts
	partial := false
	for _, r := range reports {
		for _, f := range r.Findings {
			p.line("%s", findingLine(f))
		}
		for _, e := range r.Exceptions {
			p.line("%s", exceptionLine(e))
		}
		n := r.Counts()
		total.Denied += n.Denied
		total.Warnings += n.Warnings
		total.Waived += n.Waived
		line := countsText(n, r.Exceptions)
		if r.Partial {
			// A preview the engine stopped has passed nothing: most rules never saw it.
			line = "the preview did not finish, so only its planned changes were checked: " + line
			line = strings.Replace(line, "passes every guardrail", "no finding", 1)
			partial = true
		}
		p.line("%s: %s", r.Region, line)
	}
	if len(reports) > 1 {
		line := countsText(total, nil)
		if partial {
			line = strings.Replace(line, "passes every guardrail", "no finding in what was checked", 1)
		}
		p.line("policy: %d regions, %s", len(reports), line)
	}
	return p.err
}

// findingLine is one finding: outcome, rule, region, entry, message and place.
func findingLine(f policy.Finding) string {
	outcome := strings.ToUpper(string(f.Severity))
	if f.Waived != nil {
		outcome = "WAIVED"
	}
	line := fmt.Sprintf("%s %s %s %s: %s%s", outcome, f.Rule, f.Region, f.Resource, f.Message, place(f.Path, f.Line, f.Col))
	if e := f.Waived; e != nil {
		verb := "waived"
		if e.Kind == policy.KindAllow {
			verb = "allowed"
		}
		line += fmt.Sprintf("; %s until %s: %s", verb, e.Expires, e.Reason)
	}
	return line
}

// exceptionLine lists one waiver or allowance and what became of it.
func exceptionLine(e policy.Exception) string {
	what := fmt.Sprintf("waiver %s %s", e.Rule, e.Resource)
	if e.Kind == policy.KindAllow {
		op := "replace"
		if e.Rule == policy.RuleBlastDelete {
			op = "delete"
		}
		what = fmt.Sprintf("allow %s %s", op, e.Resource)
	}
	return fmt.Sprintf("%s until %s (%s, covers %d): %s%s", what, e.Expires, e.Status, e.Covers, e.Reason, place(e.Path, e.Line, e.Col))
}

func place(path string, line, col int) string {
	switch {
	case path == "":
		return ""
	case line == 0:
		return " (" + path + ")"
	}
	return fmt.Sprintf(" (%s:%d:%d)", path, line, col)
}

// countsText summarises counts, and the waivers and allowances when given.
func countsText(n policy.Counts, exceptions []policy.Exception) string {
	if n.Denied+n.Warnings+n.Waived == 0 && len(exceptions) == 0 {
		return "passes every guardrail"
	}
	s := fmt.Sprintf("%d denied, %d %s, %d waived", n.Denied, n.Warnings, plural(n.Warnings, "warning", "warnings"), n.Waived)
	waivers, allowances := 0, 0
	for _, e := range exceptions {
		if e.Kind == policy.KindAllow {
			allowances++
		} else {
			waivers++
		}
	}
	if waivers > 0 {
		s += fmt.Sprintf(", %d %s", waivers, plural(waivers, "waiver", "waivers"))
	}
	if allowances > 0 {
		s += fmt.Sprintf(", %d %s", allowances, plural(allowances, "allowance", "allowances"))
	}
	return s
}

// RegionPolicy is what a region's JSON object carries about the guardrails: its
// findings (waived ones included, with their waiver) and its waivers and allowances.
// Embed it next to a region's other members.
type RegionPolicy struct {
	Policy  []policy.Finding   `json:"policy"`
	Waivers []policy.Exception `json:"waivers"`
}

// PolicyFields returns the members for one report; the lists are never null.
func PolicyFields(r policy.Report) RegionPolicy {
	out := RegionPolicy{Policy: r.Findings, Waivers: r.Exceptions}
	if out.Policy == nil {
		out.Policy = []policy.Finding{}
	}
	if out.Waivers == nil {
		out.Waivers = []policy.Exception{}
	}
	return out
}

// PolicyJSON writes {"regions":[{"name":..,"policy":[..],"waivers":[..]}]}.
func PolicyJSON(w io.Writer, reports []policy.Report) error {
	type region struct {
		Name string `json:"name"`
		RegionPolicy
	}
	doc := struct {
		Regions []region `json:"regions"`
	}{Regions: []region{}}
	for _, r := range reports {
		doc.Regions = append(doc.Regions, region{Name: r.Region, RegionPolicy: PolicyFields(r)})
	}
	return writeJSON(w, doc)
}

// PlanPolicyJSON is PlanJSON with each region's guardrail report and estimate:
// {"regions":[{"name":..,"resources":[..],"policy":[..],"waivers":[..],"estimate":{..}}]}.
// reports and estimates are matched to regions by name; a region without a report
// gets empty lists, one without an estimate no estimate member.
func PlanPolicyJSON(w io.Writer, regions []manifest.Region, reports []policy.Report, estimates []estimate.Estimate) error {
	type region struct {
		manifest.Region
		RegionPolicy
		Estimate *estimate.Estimate `json:"estimate,omitempty"`
	}
	byName := map[string]policy.Report{}
	for _, r := range reports {
		byName[r.Region] = r
	}
	est := map[string]*estimate.Estimate{}
	for i := range estimates {
		est[estimates[i].Region] = &estimates[i]
	}
	doc := struct {
		Regions []region `json:"regions"`
	}{Regions: []region{}}
	for _, m := range regions {
		doc.Regions = append(doc.Regions, region{Region: m, RegionPolicy: PolicyFields(byName[m.Name]), Estimate: est[m.Name]})
	}
	return writeJSON(w, doc)
}
