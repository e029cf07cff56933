package policy

import (
	"fmt"
	"slices"
	"time"

	"github.com/regionctl/regionctl/internal/spec"
)

// maxAhead is how far ahead a waiver or allowance may expire: exceptions are reviewed
// at least once a year.
const maxAhead = 1 // year

// issue is something wrong with one waiver or allowance: which field, and whether it
// makes the exception expired or invalid.
type issue struct {
	field  string
	status Status
	msg    string
}

// day is the calendar day of t in UTC.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// expiry checks an expiry date against today; what names the exception in messages.
func expiry(d spec.Date, now time.Time, what string) []issue {
	t, err := d.Time()
	if err != nil {
		return []issue{{"expires", Invalid, err.Error()}}
	}
	today := day(now)
	if today.After(t) {
		return []issue{{"expires", Expired, fmt.Sprintf("%s expired on %s; fix what it covers and remove it, or renew it with a new reason and expiry", what, d)}}
	}
	if limit := today.AddDate(maxAhead, 0, 0); t.After(limit) {
		return []issue{{"expires", Invalid, fmt.Sprintf("%s expires more than a year ahead; exceptions are reviewed at least yearly, so expire it by %s", what, limit.Format(spec.DateLayout))}}
	}
	return nil
}

func waiverIssues(w spec.Waiver, now time.Time) []issue {
	what := fmt.Sprintf("the waiver of %s for %s", w.Rule, w.Resource)
	rule, ok := Lookup(w.Rule)
	if !ok {
		ids := make([]string, len(registry))
		for i, r := range registry {
			ids[i] = r.ID
		}
		hint := spec.DidYouMean(w.Rule, ids)
		if hint == "" {
			hint = "; the README lists every rule"
		}
		return []issue{{"rule", Invalid, fmt.Sprintf("unknown rule %s%s", w.Rule, hint)}}
	}
	if rule.Unwaivable != "" {
		return []issue{{"rule", Invalid, fmt.Sprintf("%s cannot be waived; %s", w.Rule, rule.Unwaivable)}}
	}
	if w.Resource != spec.RefAll && len(rule.Kinds) > 0 {
		if ref, err := spec.ParseRef(w.Resource); err == nil && !slices.Contains(rule.Kinds, ref.Kind) {
			return []issue{{"resource", Invalid, fmt.Sprintf("%s never reports on %s; it reports on %s", w.Rule, w.Resource, andList(rule.Kinds))}}
		}
	}
	return expiry(w.Expires, now, what)
}

// allowed is what an allowance allows: the rule it lifts and the entry.
func allowed(a spec.Allowance) (rule, ref, field string) {
	if a.Delete != "" {
		return RuleBlastDelete, a.Delete, "delete"
	}
	return RuleBlastReplace, a.Replace, "replace"
}

func allowanceIssues(a spec.Allowance, now time.Time) []issue {
	_, ref, op := allowed(a)
	return expiry(a.Expires, now, fmt.Sprintf("the allowance to %s %s", op, ref))
}

// CheckFile checks what the guardrails can tell from the region file alone, as of now:
// every waiver names a rule that exists, can be waived and applies to the entry it
// names, and no waiver or allowance has expired or expires more than a year ahead.
// The shape of waivers and allowances is checked when the file is loaded (spec).
func CheckFile(r *spec.Region, now time.Time) spec.Problems {
	var ps spec.Problems
	add := func(field string, is issue) {
		p := spec.Problem{Field: field, Message: is.msg}
		if r.Source != nil {
			pos := r.Source.At(field)
			p.Path, p.Line, p.Col = r.Source.Path, pos.Line, pos.Col
		}
		ps = append(ps, p)
	}
	for i, w := range r.Waivers {
		for _, is := range waiverIssues(w, now) {
			add(fmt.Sprintf("waivers[%d].%s", i, is.field), is)
		}
	}
	for i, a := range r.Allow {
		for _, is := range allowanceIssues(a, now) {
			add(fmt.Sprintf("allow[%d].%s", i, is.field), is)
		}
	}
	return ps
}

// applyExceptions marks the findings the region file's waivers and allowances accept,
// reports the exceptions that are expired, invalid or unused, and lists them all.
func applyExceptions(c *Context, found []Finding, now time.Time) ([]Finding, []Exception) {
	r := c.Region
	exceptions := make([]Exception, 0, len(r.Waivers)+len(r.Allow))
	var issues [][]issue
	var fields []string
	for i, w := range r.Waivers {
		exceptions = append(exceptions, Exception{Kind: KindWaiver, Rule: w.Rule, Resource: w.Resource, Reason: w.Reason, Expires: string(w.Expires)})
		issues = append(issues, waiverIssues(w, now))
		fields = append(fields, fmt.Sprintf("waivers[%d]", i))
	}
	for i, a := range r.Allow {
		rule, ref, _ := allowed(a)
		exceptions = append(exceptions, Exception{Kind: KindAllow, Rule: rule, Resource: ref, Reason: a.Reason, Expires: string(a.Expires)})
		issues = append(issues, allowanceIssues(a, now))
		fields = append(fields, fmt.Sprintf("allow[%d]", i))
	}

	var meta []Finding
	for i := range exceptions {
		e := &exceptions[i]
		e.Status = Active
		e.Path, e.Line, e.Col = c.position(fields[i])
		for _, is := range issues[i] {
			e.Status = is.status
			rule := RulePolicyWaiver
			if e.Kind == KindAllow {
				rule = RulePolicyAllow
			}
			meta = append(meta, c.exceptionFinding(rule, e.Resource, fields[i]+"."+is.field, is.msg))
		}
		if e.Status != Active {
			continue
		}
		for j := range found {
			f := &found[j]
			if f.Waived == nil && f.Rule == e.Rule && (e.Resource == spec.RefAll || e.Resource == f.Resource) {
				f.Waived = e
				e.Covers++
			}
		}
		if e.Kind == KindWaiver && e.Covers == 0 {
			meta = append(meta, c.exceptionFinding(RuleWaiverUnused, e.Resource, fields[i],
				fmt.Sprintf("the waiver of %s for %s accepts no finding; remove it", e.Rule, e.Resource)))
		}
	}
	return append(found, meta...), exceptions
}

// exceptionFinding reports a problem with a waiver or allowance, at its place in the file.
func (c *Context) exceptionFinding(rule, resource, field, msg string) Finding {
	r, _ := Lookup(rule)
	f := Finding{Rule: rule, Severity: r.Severity, Region: c.Region.Region, Resource: resource, Message: msg}
	f.Path, f.Line, f.Col = c.position(field)
	return f
}
