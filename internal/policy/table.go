package policy

import (
	"fmt"
	"strings"
)

// RuleTable is the Markdown table of every rule that the README's Guardrails section
// holds (a test keeps them equal): id, severity, what it checks, why, and the fix.
func RuleTable() string {
	var b strings.Builder
	b.WriteString("| rule | severity | checks | why | fix, or waive |\n")
	b.WriteString("| --- | --- | --- | --- | --- |\n")
	for _, r := range registry {
		fix := r.Fix
		switch {
		case r.Unwaivable != "":
			fix += "; cannot be waived"
		case len(r.Kinds) > 0:
			fix += "; waivable for " + strings.Join(kindForms(r.Kinds), ", ")
		default:
			fix += "; waivable for any entry"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", r.ID, r.Severity, cell(r.Summary), cell(r.Why), cell(fix))
	}
	return b.String()
}

// kindForms writes kinds as a waiver's resource would name them.
func kindForms(kinds []string) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		switch k {
		case "network", "key", "alarms", "region":
			out[i] = "`" + k + "`"
		default:
			out[i] = "`" + k + "/NAME`"
		}
	}
	return out
}

// cell escapes text for a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;").Replace(s)
}
