// Package drift is what regionctl knows of regions departing from what they should be:
// the cloud departing from the state (a refresh-preview's findings, grouped across
// regions so one console change made everywhere is one row) and a region departing
// from the region it was made from (its offline plan compared with its source's). It
// reads manifests and the engine's findings as data; it never runs an engine.
package drift

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/regionctl/regionctl/internal/manifest"
)

// TagName is the stack tag the last drift check of a region is summarised in, on the
// backend, so every machine's status sees it.
const TagName = "regionctl:drift"

// Resource is one resource whose cloud state departs from the stack's state.
type Resource struct {
	URN  string `json:"urn"`
	Type string `json:"type"`
	Name string `json:"name"`
	// Gone is set when the resource no longer exists in the cloud.
	Gone bool `json:"gone,omitempty"`
	// Changes are the properties that differ: Old is what the state says, New what the
	// cloud has.
	Changes []manifest.PropertyChange `json:"changes,omitempty"`
}

// Region is one region's drift check.
type Region struct {
	Name      string     `json:"name"`
	AccountID string     `json:"-"`
	Checked   time.Time  `json:"checked"`
	Resources []Resource `json:"resources"`
}

// Summary is the stack tag's value: how many resources drifted, and when it was checked.
func Summary(n int, at time.Time) string {
	return fmt.Sprintf("%d drifted %s", n, at.UTC().Format("2006-01-02T15:04Z"))
}

// Last is the last drift check of a region as its stack tag records it.
type Last struct {
	Drifted int    `json:"drifted"`
	Checked string `json:"checked"`
}

// ParseSummary reads a stack tag's value; ok is false for an empty or foreign one.
func ParseSummary(s string) (Last, bool) {
	var l Last
	if _, err := fmt.Sscanf(s, "%d drifted %s", &l.Drifted, &l.Checked); err != nil {
		return Last{}, false
	}
	return l, true
}

// Kinds of a drifted property.
const (
	KindChanged = "changed" // the cloud has another value
	KindAdded   = "added"   // the cloud has a value the state does not
	KindRemoved = "removed" // the cloud lacks a value the state has
	KindGone    = "gone"    // the resource itself is gone
)

// Row is one drift, the same in every region it lists.
type Row struct {
	Type string `json:"type"`
	// Name is the logical name, with the region id as <region> when it holds one.
	Name     string   `json:"name"`
	Property string   `json:"property,omitempty"`
	Kind     string   `json:"kind"`
	State    any      `json:"state,omitempty"`
	Cloud    any      `json:"cloud,omitempty"`
	Regions  []string `json:"regions"`
}

func (r Row) String() string {
	what := r.Type + " " + r.Name
	switch r.Kind {
	case KindGone:
		return what + " is gone from the cloud"
	case KindAdded:
		return fmt.Sprintf("%s %s (not in the state) → %s", what, r.Property, Value(r.Cloud))
	case KindRemoved:
		return fmt.Sprintf("%s %s %s → (removed)", what, r.Property, Value(r.State))
	}
	return fmt.Sprintf("%s %s %s → %s", what, r.Property, Value(r.State), Value(r.Cloud))
}

// Value is a property value as a person reads it: strings bare, the rest as JSON.
func Value(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// Group turns each region's findings into rows: the same resource (type and logical
// name, the region's own id left out), property and kind of change with the same
// values (each region's id, account and zones left out) is one row listing every
// region it happened in; anything else is a row of its own. Rows come in a stable
// order: type, name, property, then first region.
func Group(regions []Region) []Row {
	byKey := map[string]int{}
	var rows []Row
	add := func(key string, row normRow, region string) {
		if i, ok := byKey[key]; ok {
			if !slices.Contains(rows[i].Regions, region) {
				rows[i].Regions = append(rows[i].Regions, region)
			}
			if !equalJSON(rows[i].State, row.State) || !equalJSON(rows[i].Cloud, row.Cloud) {
				// Same once the regions are left out: show that form.
				rows[i].State, rows[i].Cloud = row.normState, row.normCloud
			}
			return
		}
		byKey[key] = len(rows)
		row.Regions = []string{region}
		rows = append(rows, row.Row)
	}
	for _, reg := range regions {
		n := Normalizer{Region: reg.Name, AccountID: reg.AccountID}
		for _, res := range reg.Resources {
			name := n.String(res.Name)
			if res.Gone {
				add(res.Type+"\x00"+name+"\x00gone", normRow{Row: Row{Type: res.Type, Name: name, Kind: KindGone}}, reg.Name)
				continue
			}
			for _, c := range res.Changes {
				kind := KindChanged
				switch {
				case c.Old == nil:
					kind = KindAdded
				case c.New == nil:
					kind = KindRemoved
				}
				ns, nc := n.Value(c.Old), n.Value(c.New)
				key := strings.Join([]string{res.Type, name, c.Path, kind, jsonOf(ns), jsonOf(nc)}, "\x00")
				add(key, normRow{Row: Row{Type: res.Type, Name: name, Property: c.Path, Kind: kind, State: c.Old, Cloud: c.New},
					normState: ns, normCloud: nc}, reg.Name)
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b Row) int {
		return strings.Compare(a.Type+"\x00"+a.Name+"\x00"+a.Property+"\x00"+a.Regions[0],
			b.Type+"\x00"+b.Name+"\x00"+b.Property+"\x00"+b.Regions[0])
	})
	return rows
}

type normRow struct {
	Row
	normState, normCloud any
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func equalJSON(a, b any) bool { return jsonOf(a) == jsonOf(b) }

// Normalizer replaces what names one region in values (its id, its zones, its account,
// its jurisdiction) with placeholders, so two regions' values compare as the same.
type Normalizer struct {
	Region, AccountID, Jurisdiction string
}

// zoneOf matches an availability zone name once the region id is a placeholder.
var zoneOf = regexp.MustCompile(`<region>[a-z]\b`)

// String normalises one string.
func (n Normalizer) String(s string) string {
	if n.Region != "" {
		s = strings.ReplaceAll(s, n.Region, "<region>")
		s = zoneOf.ReplaceAllString(s, "<az>")
	}
	if n.AccountID != "" {
		s = strings.ReplaceAll(s, n.AccountID, "<account>")
	}
	if n.Jurisdiction != "" {
		s = replaceWord(s, n.Jurisdiction, "<jurisdiction>")
	}
	return s
}

// replaceWord replaces word where it stands as a word of a name (hosting-eu, eu_data).
func replaceWord(s, word, with string) string {
	re := regexp.MustCompile(`(^|[^A-Za-z0-9])` + regexp.QuoteMeta(word) + `($|[^A-Za-z0-9])`)
	for {
		out := re.ReplaceAllString(s, "${1}"+with+"${2}")
		if out == s {
			return s
		}
		s = out
	}
}

// Value normalises every string in a plain value.
func (n Normalizer) Value(v any) any {
	return manifest.MapStrings(v, func(s string) any { return n.String(s) })
}
