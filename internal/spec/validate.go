package spec

import (
	"fmt"
	"net/mail"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/regionctl/regionctl/internal/spec/awsregions"
)

// checker runs the semantic checks of one region after decoding and defaults. Every
// check reports through errf with the field path, so each problem points at the value.
type checker struct {
	r     *Region
	path  string
	pos   map[string]Pos
	bad   map[string]bool
	zeros map[string]bool
	probs Problems
}

// errf reports a problem with field, unless the field (or a field containing it) could
// not be read at all: that was reported already.
func (c *checker) errf(field, format string, args ...any) {
	for f := field; ; f = parentField(f) {
		if c.bad[f] {
			return
		}
		if f == "" {
			break
		}
	}
	p := c.at(field)
	c.probs = append(c.probs, Problem{Path: c.path, Line: p.Line, Col: p.Col, Field: shortField(field), Message: fmt.Sprintf(format, args...)})
}

// at is where field is written, or where the nearest enclosing field is when it is not
// (a default, a missing field).
func (c *checker) at(field string) Pos {
	for f := field; ; f = parentField(f) {
		if p, ok := c.pos[f]; ok {
			return p
		}
		if f == "" {
			return Pos{Line: 1, Col: 1}
		}
	}
}

// num is the value of a number field as written: defaults replace an explicit 0, and
// the checks must see the 0.
func (c *checker) num(field string, v int) int {
	if c.zeros[field] {
		return 0
	}
	return v
}

// between checks lo <= v <= hi.
func (c *checker) between(field string, v, lo, hi int) {
	if v < lo || v > hi {
		c.errf(field, "%d is out of range (want %d to %d)", v, lo, hi)
	}
}

// uniqueNames reports a name used twice in one list, at the second use.
func (c *checker) uniqueNames(list string, names []string) {
	first := map[string]int{}
	for i, n := range names {
		if n == "" {
			continue
		}
		if j, dup := first[n]; dup {
			c.errf(fmt.Sprintf("%s[%d].name", list, i), "duplicate name %s; %s[%d] on line %d already uses it", quote(n), list, j, c.at(fmt.Sprintf("%s[%d].name", list, j)).Line)
			continue
		}
		first[n] = i
	}
}

// validate runs every semantic check of r. checkJurisdiction is false when the
// jurisdictions file itself is broken: that is reported there, not on every region.
func validate(r *Region, d *decoder, j Jurisdictions, checkJurisdiction bool) Problems {
	c := &checker{r: r, path: d.path, pos: d.pos, bad: d.bad, zeros: d.zeros}
	c.region()
	if checkJurisdiction {
		c.jurisdiction(j)
	}
	c.account()
	c.madeFrom()
	c.tags()
	c.network()
	c.servers()
	c.databases()
	c.caches()
	c.queues()
	c.buckets()
	c.alarms()
	c.logs()
	c.features()
	c.guardrails()
	return c.probs
}

// deployableRegions are the ids a region file may name: every real region, without the
// global pseudo-regions. Callers must not modify the slice.
var deployableRegions = sync.OnceValue(func() []string {
	var ids []string
	for _, id := range awsregions.IDs() {
		if r, _ := awsregions.Lookup(id); !r.Global {
			ids = append(ids, id)
		}
	}
	return ids
})

// regionProblem checks a region id against AWS's published list; "" when it is real.
func regionProblem(id string) string {
	if id == "" {
		return "the region is empty; write an AWS region id like eu-west-1"
	}
	r, ok := awsregions.Lookup(id)
	if ok && r.Global {
		return fmt.Sprintf("%s names AWS's global endpoints, not a region; write a region id like eu-west-1", quote(id))
	}
	if !ok {
		return fmt.Sprintf("%s is not an AWS region (not in the region list of aws-sdk-go-v2 %s)%s", quote(id), awsregions.SDKVersion, didYouMean(id, deployableRegions()))
	}
	return ""
}

func (c *checker) region() {
	r := c.r
	if msg := regionProblem(r.Region); msg != "" {
		c.errf("region", "%s", msg)
		return
	}
	base := filepath.Base(c.path)
	if want := r.Region + ".yaml"; base != want {
		c.errf("region", "%s does not match the file name %s; rename the file to %s or fix the region", r.Region, base, want)
	}
}

func (c *checker) jurisdiction(j Jurisdictions) {
	r := c.r
	defined := "; jurisdictions.yaml defines " + andList(j.names())
	if len(j) == 0 {
		defined = "; no jurisdictions are defined (jurisdictions.yaml)"
	}
	if r.Jurisdiction == "" {
		c.errf("jurisdiction", "the jurisdiction is empty%s", defined)
		return
	}
	regions, ok := j[r.Jurisdiction]
	if !ok {
		hint := didYouMean(r.Jurisdiction, j.names())
		if hint == "" {
			hint = defined
		}
		c.errf("jurisdiction", "unknown jurisdiction %s%s", quote(r.Jurisdiction), hint)
		return
	}
	if regionProblem(r.Region) != "" || slices.Contains(regions, r.Region) {
		return // an unknown region is reported on region
	}
	msg := fmt.Sprintf("%s is not in jurisdiction %s (%s)", r.Region, r.Jurisdiction, strings.Join(regions, ", "))
	if owners := j.of(r.Region); len(owners) > 0 {
		msg += "; " + r.Region + " belongs to " + orList(owners)
	} else {
		msg += "; add it to a jurisdiction in jurisdictions.yaml"
	}
	c.errf("jurisdiction", "%s", msg)
}

func (c *checker) account() {
	if id := c.r.AccountID; !accountID.MatchString(id) {
		c.errf("accountId", "%s is not an AWS account id; want 12 digits, quoted (\"123456789012\")", quote(id))
	}
}

// AWS tag limits (https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html).
const (
	maxTags        = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

func (c *checker) tags() {
	if len(c.r.Tags) > maxTags {
		c.errf("tags", "%d tags; AWS allows at most %d per resource", len(c.r.Tags), maxTags)
	}
	for _, k := range sortedKeys(c.r.Tags) {
		v := c.r.Tags[k]
		field := mapField("tags", k)
		switch {
		case k == "":
			c.errf(field, "tag keys must not be empty")
		case len([]rune(k)) > maxTagKeyLen:
			c.errf(field, "tag key is %d characters; AWS allows at most %d", len([]rune(k)), maxTagKeyLen)
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			c.errf(field, "tag keys starting with aws: are reserved for AWS; rename it")
		case !tagText(k):
			c.errf(field, "tag key %s has characters AWS refuses; use letters, digits, spaces and _ . : / = + - @", quote(k))
		}
		switch {
		case len([]rune(v)) > maxTagValueLen:
			c.errf(field, "tag value is %d characters; AWS allows at most %d", len([]rune(v)), maxTagValueLen)
		case !tagText(v):
			c.errf(field, "tag value %s has characters AWS refuses; use letters, digits, spaces and _ . : / = + - @", quote(v))
		}
	}
}

// tagText reports whether s uses only the characters AWS allows in tags.
func tagText(s string) bool {
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsNumber(r) || r == ' ' || strings.ContainsRune("_.:/=+-@", r)) {
			return false
		}
	}
	return true
}

func (c *checker) alarms() {
	c.alarmHTTPS()
	email := c.r.Alarms.Email
	if email == "" {
		c.errf("alarms.email", "the alarm address is empty; give the on-call address alarms go to")
		return
	}
	addr, err := mail.ParseAddress(email)
	switch {
	case err != nil:
		c.errf("alarms.email", "%s is not an email address; want one like oncall@example.com", quote(email))
	case addr.Address != email:
		c.errf("alarms.email", "write the bare address %s, without a name or brackets", quote(addr.Address))
	default:
		_, domain, _ := strings.Cut(addr.Address, "@")
		if !strings.Contains(domain, ".") || strings.HasSuffix(domain, ".") || strings.HasPrefix(domain, ".") {
			c.errf("alarms.email", "%s has no valid domain; want one like oncall@example.com", quote(email))
		}
	}
}

// logRetentionDays are the values CloudWatch Logs accepts for a retention policy.
var logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

func (c *checker) logs() {
	days := c.num("logs.retentionDays", c.r.Logs.RetentionDays)
	if slices.Contains(logRetentionDays, days) {
		return
	}
	nearest := logRetentionDays[0]
	for _, d := range logRetentionDays {
		if abs(d-days) < abs(nearest-days) {
			nearest = d
		}
	}
	c.errf("logs.retentionDays", "%d days is not a retention CloudWatch accepts; the nearest is %d (accepted: %s)", days, nearest, joinInts(logRetentionDays))
}

func (c *checker) features() {
	for _, k := range sortedKeys(c.r.Features) {
		if featureName.MatchString(k) {
			continue
		}
		msg := fmt.Sprintf("feature names are lowercase identifiers (letters, digits, underscores, starting with a letter); %s is not", quote(k))
		if fixed := strings.ToLower(strings.NewReplacer("-", "_", " ", "_").Replace(k)); featureName.MatchString(fixed) {
			msg += "; use " + quote(fixed)
		}
		c.errf(mapField("features", k), "%s", msg)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
