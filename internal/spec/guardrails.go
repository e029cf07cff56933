package spec

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Waiver accepts the findings of one guardrail rule for one entry of the region file,
// for a while. The guardrails (internal/policy) still report the finding, marked as
// waived with the reason; once the waiver has expired it no longer applies.
type Waiver struct {
	Rule     string `yaml:"rule" json:"rule" desc:"id of the guardrail rule to waive (security.imdsv2); the README lists them"`
	Resource string `yaml:"resource" json:"resource" desc:"what the waiver covers: fleet/NAME, database/NAME, cache/NAME, queue/NAME, bucket/NAME, network, key, alarms, region, or * for every finding of the rule in this region"`
	Reason   string `yaml:"reason" json:"reason" desc:"why the finding is acceptable, and who decided"`
	Expires  Date   `yaml:"expires" json:"expires" desc:"last day the waiver applies (2027-01-31), at most a year ahead"`
}

// Allowance lets a preview replace or delete one stateful resource (a database,
// cache, queue, bucket or the region's key), which the guardrails otherwise refuse.
// Exactly one of Replace and Delete is set.
type Allowance struct {
	Replace string `yaml:"replace,omitempty" json:"replace,omitempty" desc:"the data store whose replacement is allowed: database/NAME, cache/NAME, queue/NAME, bucket/NAME or key"`
	Delete  string `yaml:"delete,omitempty" json:"delete,omitempty" desc:"the data store whose deletion is allowed: database/NAME, cache/NAME, queue/NAME, bucket/NAME or key"`
	Reason  string `yaml:"reason" json:"reason" desc:"why losing the resource's data is acceptable (migrated, restored from a snapshot...), and who decided"`
	Expires Date   `yaml:"expires" json:"expires" desc:"last day the allowance applies (2027-01-31), at most a year ahead"`
}

// Date is a calendar day written YYYY-MM-DD. The loader keeps the text as written
// (quoted or not); Time parses it.
type Date string

// DateLayout is how dates are written in region files.
const DateLayout = "2006-01-02"

// Time is the start of the day in UTC, or an error when the text is not a date.
func (d Date) Time() (time.Time, error) {
	t, err := time.Parse(DateLayout, string(d))
	if err != nil {
		return time.Time{}, fmt.Errorf("%s is not a date; write one like 2027-01-31", quote(string(d)))
	}
	return t, nil
}

// Kinds of the entries a Ref names.
const (
	KindFleet    = "fleet"
	KindDatabase = "database"
	KindCache    = "cache"
	KindQueue    = "queue"
	KindBucket   = "bucket"
	KindNetwork  = "network"
	KindKey      = "key"
	KindAlarms   = "alarms"
	KindRegion   = "region"
)

// RefAll in a waiver's resource covers every finding of the rule in the region.
const RefAll = "*"

// Ref names one entry of a region file in waivers, allowances and guardrail findings:
// database/main, fleet/web. The network, the region's key, its alarms and the region
// itself (its provider) stand alone, without a name.
type Ref struct {
	Kind string
	Name string
}

// String writes the ref as region files do.
// EntryInput is the input a regionctl component records its entry in (Ref.String()).
const EntryInput = "entry"

func (r Ref) String() string {
	if r.Name == "" {
		return r.Kind
	}
	return r.Kind + "/" + r.Name
}

// namedKinds are the kinds with one entry per name, and the list each lives in.
var namedKinds = map[string]string{
	KindFleet:    "servers",
	KindDatabase: "databases",
	KindCache:    "caches",
	KindQueue:    "queues",
	KindBucket:   "buckets",
}

// plurals name the entries of a kind in messages.
var plurals = map[string]string{
	KindFleet: "fleets", KindDatabase: "databases", KindCache: "caches", KindQueue: "queues", KindBucket: "buckets",
}

// DataStoreKinds are the kinds whose replacement or deletion loses data.
var DataStoreKinds = []string{KindDatabase, KindCache, KindQueue, KindBucket, KindKey}

var refKinds = []string{KindFleet, KindDatabase, KindCache, KindQueue, KindBucket, KindNetwork, KindKey, KindAlarms, KindRegion}

// ParseRef reads database/main, fleet/web, network... It does not check that the entry
// exists (Region.Field does).
func ParseRef(s string) (Ref, error) {
	kind, name, named := strings.Cut(s, "/")
	_, wantName := namedKinds[kind]
	switch {
	case s == "":
		return Ref{}, fmt.Errorf("empty; name an entry like database/main, fleet/web or network")
	case !slices.Contains(refKinds, kind):
		return Ref{}, fmt.Errorf("%s does not name an entry of the region file; write %s%s", quote(s), refForms, didYouMean(kind, refKinds))
	case wantName && (!named || name == ""):
		return Ref{}, fmt.Errorf("name the %s: %s/NAME", kind, kind)
	case !wantName && named:
		return Ref{}, fmt.Errorf("a region has one %s; write %s without a name", kind, kind)
	}
	return Ref{Kind: kind, Name: name}, nil
}

const refForms = "fleet/NAME, database/NAME, cache/NAME, queue/NAME, bucket/NAME, network, key, alarms or region"

// Field is the field path of the entry a ref names (databases[0], network), and
// whether the region has it. The key and the region itself have no entry of their
// own; they point at the region's first line.
func (r *Region) Field(ref Ref) (string, bool) {
	switch ref.Kind {
	case KindNetwork:
		return "network", true
	case KindAlarms:
		return "alarms", true
	case KindKey, KindRegion:
		return "region", true
	}
	list, ok := namedKinds[ref.Kind]
	if !ok {
		return "", false
	}
	for i, n := range r.Names(ref.Kind) {
		if n == ref.Name {
			return fmt.Sprintf("%s[%d]", list, i), true
		}
	}
	return list, false
}

// Names lists the names of the entries of a kind (fleet, database...), in file order.
func (r *Region) Names(kind string) []string {
	var out []string
	switch kind {
	case KindFleet:
		for _, s := range r.Servers {
			out = append(out, s.Name)
		}
	case KindDatabase:
		for _, d := range r.Databases {
			out = append(out, d.Name)
		}
	case KindCache:
		for _, c := range r.Caches {
			out = append(out, c.Name)
		}
	case KindQueue:
		for _, q := range r.Queues {
			out = append(out, q.Name)
		}
	case KindBucket:
		for _, b := range r.Buckets {
			out = append(out, b.Name)
		}
	}
	return out
}

// At is where field is written, or the nearest enclosing field when it is not (a
// default, a missing field); the top of the file when nothing encloses it.
func (s *Source) At(field string) Pos {
	for f := field; ; f = parentField(f) {
		if p, ok := s.Positions[f]; ok {
			return p
		}
		if f == "" {
			return Pos{Line: 1, Col: 1}
		}
	}
}

// DidYouMean renders the candidates close to word as `; did you mean "a" or "b"?`, or
// "" when none is: the suggestion every regionctl message uses.
func DidYouMean(word string, candidates []string) string {
	return didYouMean(word, candidates)
}

var ruleID = regexp.MustCompile(`^[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$`)

// Patterns the schema publishes for editors; the checks above are the authority.
const (
	datePattern         = `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`
	dataStoreRefPattern = `^(key|(database|cache|queue|bucket)/.+)$`
)

// guardrails checks the shape of waivers and allowances: what can be told without the
// rules and the clock. Whether a rule exists, applies to the entry, or has expired is
// checked by the guardrails themselves (policy.CheckFile).
func (c *checker) guardrails() {
	seen := map[string]int{}
	for i, w := range c.r.Waivers {
		at := fmt.Sprintf("waivers[%d]", i)
		if w.Rule != "" && !ruleID.MatchString(w.Rule) {
			c.errf(at+".rule", "%s is not a rule id; rule ids look like security.imdsv2 (the README lists them)", quote(w.Rule))
		}
		if w.Resource != RefAll {
			c.ref(at+".resource", w.Resource, refKinds, true)
		}
		c.reason(at+".reason", w.Reason)
		c.date(at+".expires", w.Expires)
		key := w.Rule + " " + w.Resource
		if j, dup := seen[key]; dup {
			c.errf(at, "waives %s for %s again; waivers[%d] on line %d already does, keep one", w.Rule, w.Resource, j, c.at(fmt.Sprintf("waivers[%d]", j)).Line)
			continue
		}
		seen[key] = i
	}
	for i, a := range c.r.Allow {
		at := fmt.Sprintf("allow[%d]", i)
		switch {
		case a.Replace != "" && a.Delete != "":
			c.errf(at, "give replace or delete, not both; write two entries to allow both")
		case a.Replace != "":
			c.ref(at+".replace", a.Replace, DataStoreKinds, true)
		case a.Delete != "":
			// A deleted entry is usually gone from the file already: only the form is checked.
			c.ref(at+".delete", a.Delete, DataStoreKinds, false)
		case !c.bad[at+".replace"] && !c.bad[at+".delete"]:
			c.errf(at, "say what is allowed: replace: database/NAME or delete: database/NAME")
		}
		c.reason(at+".reason", a.Reason)
		c.date(at+".expires", a.Expires)
	}
}

// ref checks a reference to an entry of the file: its form, that its kind is one of
// kinds, and (when mustExist) that the file has it.
func (c *checker) ref(field, s string, kinds []string, mustExist bool) {
	ref, err := ParseRef(s)
	if err != nil {
		c.errf(field, "%v", err)
		return
	}
	if !slices.Contains(kinds, ref.Kind) {
		c.errf(field, "%s cannot be named here; name %s", ref.Kind, orList(kinds))
		return
	}
	if !mustExist {
		return
	}
	if _, ok := c.r.Field(ref); ok {
		return
	}
	names := c.r.Names(ref.Kind)
	refs := make([]string, len(names))
	for i, n := range names {
		refs[i] = Ref{Kind: ref.Kind, Name: n}.String()
	}
	switch hint := didYouMean(ref.String(), refs); {
	case hint != "":
		c.errf(field, "%s is not in this file%s", ref, hint)
	case len(names) == 0:
		c.errf(field, "%s is not in this file, which has no %s", ref, namedKinds[ref.Kind])
	default:
		c.errf(field, "%s is not in this file; its %s: %s", ref, plurals[ref.Kind], andList(refs))
	}
}

func (c *checker) reason(field, reason string) {
	if strings.TrimSpace(reason) == "" && !c.bad[field] {
		c.errf(field, "the reason is empty; say why this is acceptable and who decided")
	}
}

func (c *checker) date(field string, d Date) {
	if c.bad[field] {
		return
	}
	if _, err := d.Time(); err != nil {
		c.errf(field, "%v", err)
	}
}
