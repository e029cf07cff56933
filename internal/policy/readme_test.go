package policy

import (
	"os"
	"strings"
	"testing"
	"unicode"
)

const (
	readme     = "../../README.md"
	tableBegin = "<!-- rules:begin (generated from internal/policy; go test ./internal/policy -run TestReadme -update) -->\n"
	tableEnd   = "<!-- rules:end -->\n"
)

// TestReadmeDocumentsEveryRule keeps the README's rule table equal to the registry, so
// documentation and rules cannot drift; -update rewrites the table in place.
func TestReadmeDocumentsEveryRule(t *testing.T) {
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	i, j := strings.Index(text, tableBegin), strings.Index(text, tableEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md has no rule table between %q and %q", strings.TrimSpace(tableBegin), strings.TrimSpace(tableEnd))
	}
	got, want := text[i+len(tableBegin):j], RuleTable()
	if *update && got != want {
		text = text[:i+len(tableBegin)] + want + text[j:]
		if err := os.WriteFile(readme, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got != want {
		t.Errorf("the README rule table is stale; run go test ./internal/policy -run TestReadme -update")
	}
	for _, r := range Rules() {
		if !strings.Contains(got, "`"+r.ID+"`") {
			t.Errorf("README.md does not document %s", r.ID)
		}
	}
}

// TestRegistry holds the rules to their contract: unique ids in a known family, a
// severity, and documentation written like every other regionctl message.
func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	families := map[string]bool{"residency": true, "ha": true, "security": true, "blast": true, "policy": true}
	for _, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("duplicate rule id %s", r.ID)
		}
		seen[r.ID] = true
		if !families[r.Family()] || strings.ToLower(r.ID) != r.ID || strings.Count(r.ID, ".") != 1 {
			t.Errorf("rule id %q: want family.name in lowercase, family one of residency, ha, security, blast, policy", r.ID)
		}
		if r.Severity != Deny && r.Severity != Warn {
			t.Errorf("%s: severity %q", r.ID, r.Severity)
		}
		for name, text := range map[string]string{"summary": r.Summary, "why": r.Why, "fix": r.Fix} {
			first, _, _ := strings.Cut(text, " ")
			// A name may start it (AWS, CloudWatch, S3): a word with more than its first letter in capitals or digits.
			startsWithName := strings.IndexFunc(first[min(1, len(first)):], func(c rune) bool { return unicode.IsUpper(c) || unicode.IsDigit(c) }) >= 0
			if text == "" || strings.HasSuffix(text, ".") || strings.ToLower(text[:1]) != text[:1] && !startsWithName {
				t.Errorf("%s: %s %q must be lowercase, without a trailing period", r.ID, name, text)
			}
		}
		if (r.Check == nil) != (r.Family() == "policy") {
			t.Errorf("%s: only the policy.* rules, about waivers and allowances, have no check", r.ID)
		}
		if got, ok := Lookup(r.ID); !ok || got.ID != r.ID {
			t.Errorf("Lookup(%s) fails", r.ID)
		}
	}
}
