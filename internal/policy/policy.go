// Package policy is regionctl's guardrails: rules over the planned resources of a
// region that prove its data stays in its jurisdiction (residency.*), that it survives
// the loss of an availability zone (ha.*), that it is locked down (security.*) and that
// a change cannot destroy its data by accident (blast.*).
//
// The rules read a manifest (internal/manifest), so they judge an offline plan and a
// real preview alike; a preview's replace and delete operations are judged too. A
// region file may waive a finding for a while (waivers:) and allow a named data store
// to be replaced or deleted (allow:); both are reported with every evaluation.
package policy

import (
	"sort"
	"strings"
	"time"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

// Severity says what a finding does: a deny stops plan, preview and up (exit 3); a
// warning is printed and nothing more.
type Severity string

// The severities.
const (
	Deny Severity = "deny"
	Warn Severity = "warn"
)

// Finding is one thing a rule refuses or warns about.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Region   string   `json:"region"`
	// Resource is the entry of the region file the finding is about, as a waiver names
	// it: database/main, fleet/web, network, key, alarms or region.
	Resource string `json:"resource"`
	// URN, Type and Name are the planned resource, when the finding is about one.
	URN  string `json:"urn,omitempty"`
	Type string `json:"type,omitempty"`
	Name string `json:"name,omitempty"`
	// Message names the resource, what is wrong and the fix: lowercase, no period.
	Message string `json:"message"`
	// Path, Line and Col are where in the region file the fix goes.
	Path string `json:"path,omitempty"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
	// Waived is the waiver (or allowance) that accepts the finding, if one does.
	Waived *Exception `json:"waived,omitempty"`
}

// Blocks reports whether the finding stops the change: a deny nothing waives.
func (f Finding) Blocks() bool { return f.Severity == Deny && f.Waived == nil }

// Exception is a waiver or an allowance of the region file and what became of it.
type Exception struct {
	// Kind is waiver or allow.
	Kind string `json:"kind"`
	// Rule is the rule waived; for an allowance, blast.replace or blast.delete.
	Rule     string `json:"rule"`
	Resource string `json:"resource"`
	Reason   string `json:"reason"`
	Expires  string `json:"expires"`
	// Status is active, expired or invalid.
	Status Status `json:"status"`
	// Covers is how many findings of this evaluation it accepts.
	Covers int    `json:"covers"`
	Path   string `json:"path,omitempty"`
	Line   int    `json:"line,omitempty"`
	Col    int    `json:"col,omitempty"`
}

// Status is the state of a waiver or allowance on the day of the evaluation.
type Status string

// The states of an exception.
const (
	Active  Status = "active"
	Expired Status = "expired"
	Invalid Status = "invalid"
)

// Kinds of exceptions.
const (
	KindWaiver = "waiver"
	KindAllow  = "allow"
)

// Report is the evaluation of one region.
type Report struct {
	Region string
	// Findings are sorted: blocking denies, warnings, then waived findings; by rule and
	// resource within each.
	Findings []Finding
	// Exceptions are the region file's waivers and allowances, in file order.
	Exceptions []Exception
	// Partial is set when the preview stopped before planning every resource: only
	// the rules about planned changes judged it, so passing says little.
	Partial bool `json:"partial,omitempty"`
}

// Counts of a report's findings.
type Counts struct {
	Denied, Warnings, Waived int
}

// Counts counts the findings by outcome.
func (r Report) Counts() Counts {
	var n Counts
	for _, f := range r.Findings {
		switch {
		case f.Waived != nil:
			n.Waived++
		case f.Severity == Deny:
			n.Denied++
		default:
			n.Warnings++
		}
	}
	return n
}

// Denied reports whether any finding blocks the change.
func (r Report) Denied() bool { return r.Counts().Denied > 0 }

// Denied reports whether any of the reports blocks the change.
func Denied(reports []Report) bool {
	for _, r := range reports {
		if r.Denied() {
			return true
		}
	}
	return false
}

// Evaluate runs every rule over the planned resources of r, then applies the region
// file's waivers and allowances as of now. m is an offline plan or a preview; in a
// preview, resources with Op delete are judged as going away. j is the content of
// jurisdictions.yaml.
func Evaluate(r *spec.Region, j spec.Jurisdictions, m manifest.Region, now time.Time) Report {
	c := newContext(r, j, m)
	var found []Finding
	for _, rule := range registry {
		if rule.Check == nil {
			continue
		}
		// A partial manifest (the engine stopped part-way) lacks resources: only the
		// rules about planned changes can judge it without false alarms.
		if m.Partial && !strings.HasPrefix(rule.ID, "blast.") {
			continue
		}
		for _, f := range rule.Check(c) {
			f.Rule, f.Severity, f.Region = rule.ID, rule.Severity, r.Region
			found = append(found, f)
		}
	}
	found, exceptions := applyExceptions(c, found, now)
	sortFindings(found)
	return Report{Region: r.Region, Findings: found, Exceptions: exceptions, Partial: m.Partial}
}

func sortFindings(fs []Finding) {
	rank := func(f Finding) int {
		switch {
		case f.Waived != nil:
			return 2
		case f.Severity == Deny:
			return 0
		}
		return 1
	}
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra < rb
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Resource != b.Resource {
			return a.Resource < b.Resource
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.Message < b.Message
	})
}
