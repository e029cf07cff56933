package scaffold

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Template is the region file `regionctl new` fills when there is no region to start
// from: every key a production region needs, each explained.
//
//go:embed template.yaml
var Template []byte

// Kind is a kind of class the region facts know.
type Kind string

// The kinds of class a region file names.
const (
	KindInstance Kind = "instance" // servers[].instanceType
	KindDB       Kind = "db"       // databases[].instanceClass
	KindCache    Kind = "cache"    // caches[].nodeType
)

// Facts is what scaffolding needs to know about a region; known is false where the
// facts do not cover it.
type Facts interface {
	// AZs are the names of the region's availability zones a new account can use, in order.
	AZs(region string) (names []string, known bool)
	Offered(region string, kind Kind, class string) (offered, known bool)
	// Nearest is the offered class closest to class ("" when there is none).
	Nearest(region string, kind Kind, class string) string
}

// Request says which region file to write.
type Request struct {
	// Region and Jurisdiction are the new region's.
	Region, Jurisdiction string
	// Description is AWS's name of the region (Asia Pacific (Tokyo)), for the header.
	Description string
	// AccountID is the new region's account; "" keeps the source's (the template needs one).
	AccountID string
	// From is the region whose file is Source; "" fills the template.
	From   string
	Source []byte
	// Taken are the VPC blocks of every region file in the folder.
	Taken []netip.Prefix
	Facts Facts
	// AlarmEmail and AlarmHTTPS are where the new region's alarms go (--alarm-email,
	// --alarm-https); the template needs both, a source's are kept when left out.
	AlarmEmail, AlarmHTTPS string
}

// Change is one value the new file does not copy from its source, and why.
type Change struct {
	Field string `json:"field"`
	From  string `json:"from,omitempty"`
	To    string `json:"to,omitempty"`
	Why   string `json:"why"`
}

func (c Change) String() string {
	switch {
	case c.From != "" && c.To != "":
		return fmt.Sprintf("%s %s → %s: %s", c.Field, c.From, c.To, c.Why)
	case c.From != "":
		return fmt.Sprintf("%s %s left out: %s", c.Field, c.From, c.Why)
	case c.To != "":
		return fmt.Sprintf("%s %s: %s", c.Field, c.To, c.Why)
	}
	return fmt.Sprintf("%s: %s", c.Field, c.Why)
}

// Result is the new region file and what was adapted.
type Result struct {
	Data    []byte
	Changes []Change
	// Notes are things kept that a person should know (the account, classes the facts
	// do not cover).
	Notes []string
}

// Generate writes the region file of req.Region from req.Source (or the template).
func Generate(req Request) (*Result, error) {
	src := req.Source
	if req.From == "" {
		if req.AccountID == "" {
			return nil, errors.New("the template has no account: give the new region's account")
		}
		if req.AlarmEmail == "" || req.AlarmHTTPS == "" {
			return nil, errors.New("the template has no alarm addresses: give the on-call e-mail and a paging endpoint that confirms itself (an https URL)")
		}
		src = Template
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("reading %s: %w", req.sourceName(), err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s is not a mapping of region keys", req.sourceName())
	}
	g := &generator{req: req, doc: &doc, root: doc.Content[0], res: &Result{}}
	if err := g.run(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("writing the region file: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("writing the region file: %w", err)
	}
	g.res.Data = restoreLayout(src, buf.Bytes())
	return g.res, nil
}

func (r Request) sourceName() string {
	if r.From == "" {
		return "the template"
	}
	return r.From + ".yaml"
}

type generator struct {
	req  Request
	doc  *yaml.Node
	root *yaml.Node
	res  *Result
	// srcRegion and srcJurisdiction are the source's (the template's placeholders).
	srcRegion, srcJurisdiction string
	factsMissing               bool
	// trailing are comments about keys left out at the end of the file.
	trailing []string
}

func (g *generator) change(field, from, to, why string) {
	g.res.Changes = append(g.res.Changes, Change{Field: field, From: from, To: to, Why: why})
}

func (g *generator) note(format string, args ...any) {
	g.res.Notes = append(g.res.Notes, fmt.Sprintf(format, args...))
}

func (g *generator) run() error {
	r := g.req
	g.srcRegion = scalar(value(g.root, "region"))
	g.srcJurisdiction = scalar(value(g.root, "jurisdiction"))
	g.header()
	g.set(g.root, "region", r.Region, "region", "the new region")
	g.set(g.root, "jurisdiction", r.Jurisdiction, "jurisdiction", "--jurisdiction")
	switch {
	case r.AccountID != "":
		g.set(g.root, "accountId", r.AccountID, "accountId", "--account")
	default:
		g.note("accountId %s kept from %s; pass --account ID to use another account", scalar(value(g.root, "accountId")), r.From)
	}
	g.madeFrom()
	g.tags()
	if err := g.network(); err != nil {
		return err
	}
	g.classes("servers", "instanceType", KindInstance)
	g.classes("databases", "instanceClass", KindDB)
	g.classes("caches", "nodeType", KindCache)
	g.loadBalancers()
	g.images()
	g.alarms()
	if r.From != "" {
		g.drop("allow", "allowances to replace or delete data stores of "+r.From+" were decisions about that region")
		g.drop("waivers", "waivers of "+r.From+" were decisions about that region; review this region's own findings with `regionctl plan "+r.Region+"`")
	}
	if len(g.trailing) > 0 && len(g.root.Content) >= 2 {
		last := g.root.Content[len(g.root.Content)-2]
		last.FootComment = joinComments(last.FootComment, strings.Join(g.trailing, "\n"))
	}
	if g.factsMissing {
		g.note("regionctl's facts do not cover %s: classes and zones were kept as they are; run `regionctl preflight %s` before the first up", r.Region, r.Region)
	}
	return nil
}

// header rewrites the source's description at the top of the file (it describes the
// source), keeping editor directives such as the yaml-language-server schema line.
func (g *generator) header() {
	r := g.req
	what := fmt.Sprintf("# %s: scaffolded by `regionctl new` from %s.", r.Description, r.sourceName())
	if r.Description == "" {
		what = fmt.Sprintf("# %s: scaffolded by `regionctl new` from %s.", r.Region, r.sourceName())
	}
	lines := []string{what, fmt.Sprintf("# Its data stays in the %s jurisdiction.", r.Jurisdiction)}
	// The header is the document's head comment, or the first key's when the encoder
	// kept no blank line between them.
	target := &g.doc.HeadComment
	if *target == "" && len(g.root.Content) > 0 {
		target = &g.root.Content[0].HeadComment
	}
	var kept []string
	for _, l := range strings.Split(*target, "\n") {
		if strings.HasPrefix(l, "# yaml-language-server:") {
			kept = append(kept, l, "#")
		}
	}
	*target = strings.Join(append(kept, lines...), "\n")
}

// set replaces the scalar value of key in m (keeping its style and comment) and records it.
func (g *generator) set(m *yaml.Node, key, to, field, why string) {
	v := value(m, key)
	if v == nil {
		return
	}
	from := v.Value
	if from == to {
		return
	}
	v.Value = to
	if g.req.From != "" {
		g.change(field, from, to, why)
	}
}

// renamed rewrites the tokens of s that name the source region or jurisdiction
// (hosting-eu, oncall-eu-west-1) to the new jurisdiction; ok is false when none does.
func (g *generator) renamed(s string) (string, bool) {
	out := s
	for _, old := range []string{g.srcRegion, g.srcJurisdiction} {
		if old != "" {
			out = replaceToken(out, old, g.req.Jurisdiction)
		}
	}
	return out, out != s
}

// replaceToken replaces old in s where it stands between separators (start, end, or
// anything but a letter or digit).
func replaceToken(s, old, repl string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(old)
		if (i == 0 || !alnum(s[i-1])) && (end == len(s) || !alnum(s[end])) {
			b.WriteString(s[:i] + repl)
		} else {
			b.WriteString(s[:end])
		}
		s = s[end:]
	}
}

func alnum(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' }

func (g *generator) tags() {
	v := value(value(g.root, "tags"), "costCenter")
	if v == nil {
		return
	}
	if to, ok := g.renamed(v.Value); ok {
		g.set(value(g.root, "tags"), "costCenter", to, "tags.costCenter", "it named "+g.sourceZone())
	}
}

func (g *generator) sourceZone() string {
	if g.req.From == "" {
		return "the template's placeholder"
	}
	return fmt.Sprintf("%s (jurisdiction %s)", g.srcRegion, g.srcJurisdiction)
}

func (g *generator) network() error {
	net := value(g.root, "network")
	cidr := value(net, "cidr")
	if cidr == nil {
		return fmt.Errorf("%s has no network.cidr", g.req.sourceName())
	}
	start, err := netip.ParsePrefix(cidr.Value)
	if err != nil {
		return fmt.Errorf("%s: network.cidr %q is not a CIDR block", g.req.sourceName(), cidr.Value)
	}
	free, err := NextFreeCIDR(start, g.req.Taken)
	if err != nil {
		return fmt.Errorf("no free network.cidr: %w", err)
	}
	why := "the next block no region file uses (blocks must stay disjoint for peering)"
	if g.req.From == "" {
		why = "the first block no region file uses (blocks must stay disjoint for peering)"
	}
	g.set(net, "cidr", free.String(), "network.cidr", why)
	if g.req.From == "" {
		g.change("network.cidr", "", free.String(), why)
	}
	g.azs(net)
	return nil
}

// azs keeps a count when the zones it stands for (region + a, b, c...) all exist for a
// new account, and writes the first real zone names otherwise.
func (g *generator) azs(net *yaml.Node) {
	const defaultCount = 3 // spec.DefaultAZCount
	r := g.req
	v := value(net, "azs")
	count := defaultCount
	from := strconv.Itoa(count) + " (the default)"
	switch {
	case v == nil:
	case v.Kind == yaml.SequenceNode:
		count = len(v.Content)
		from = "[" + strings.Join(scalars(v.Content), ", ") + "]"
	default:
		n, err := strconv.Atoi(v.Value)
		if err != nil {
			return // not a count: the validation of the result says so
		}
		count, from = n, v.Value
	}
	zones, known := r.Facts.AZs(r.Region)
	if !known {
		g.factsMissing = true
		return
	}
	derived := make([]string, count)
	for i := range derived {
		derived[i] = fmt.Sprintf("%s%c", r.Region, 'a'+i)
	}
	usable := true
	for _, d := range derived {
		usable = usable && slices.Contains(zones, d)
	}
	if usable && (v == nil || v.Kind == yaml.ScalarNode) {
		return
	}
	if len(zones) < count {
		g.note("%s has %d availability zones for new accounts; %s asked for %d", r.Region, len(zones), r.sourceName(), count)
		count = len(zones)
	}
	names := zones[:count]
	seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
	for _, n := range names {
		seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: n})
	}
	to := "[" + strings.Join(names, ", ") + "]"
	why := "the zones of " + r.Region + " a new account can use"
	if !usable {
		missing := []string{}
		for _, d := range derived {
			if !slices.Contains(zones, d) {
				missing = append(missing, d)
			}
		}
		why = fmt.Sprintf("%s has no %s for new accounts, so a count would name it", r.Region, strings.Join(missing, ", "))
	}
	if v == nil {
		net.Content = append(net.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "azs"}, seq)
	} else {
		seq.LineComment, seq.HeadComment, seq.FootComment = v.LineComment, v.HeadComment, v.FootComment
		*v = *seq
	}
	g.change("network.azs", from, to, why)
}

// classes keeps each class the region offers and puts the nearest offered one in place
// of any other, with a comment saying what it was.
func (g *generator) classes(list, key string, kind Kind) {
	r := g.req
	seq := value(g.root, list)
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return
	}
	for i, item := range seq.Content {
		v := value(item, key)
		if v == nil || v.Kind != yaml.ScalarNode {
			continue
		}
		offered, known := r.Facts.Offered(r.Region, kind, v.Value)
		if !known {
			g.factsMissing = true
			v.LineComment = joinLine(fmt.Sprintf("# kept: regionctl's facts do not say whether %s offers it; check with `regionctl preflight %s`", r.Region, r.Region), v.LineComment)
			continue
		}
		if offered {
			continue
		}
		field := fmt.Sprintf("%s[%d].%s", list, i, key)
		nearest := r.Facts.Nearest(r.Region, kind, v.Value)
		if nearest == "" {
			g.note("%s %s is not offered in %s and no class near it is; choose one (`regionctl preflight %s`)", field, v.Value, r.Region, r.Region)
			continue
		}
		from := v.Value
		comment := fmt.Sprintf("# was %s in %s: not offered in %s", from, g.srcRegion, r.Region)
		if r.From == "" {
			comment = fmt.Sprintf("# the template's %s is not offered in %s", from, r.Region)
		}
		v.Value, v.LineComment = nearest, joinLine(comment, v.LineComment)
		g.change(field, from, nearest, fmt.Sprintf("%s is not offered in %s; %s is the nearest that is", from, r.Region, nearest))
	}
}

// loadBalancers leaves every certificate out (an ACM certificate belongs to one region
// and account, and no ARN can be made up), so a public load balancer becomes internal
// until the new region has its own certificate: internet-facing without HTTPS is what
// security.public-https denies, and internal keeps the guarantee without a waiver.
func (g *generator) loadBalancers() {
	r := g.req
	seq := value(g.root, "servers")
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return
	}
	for i, item := range seq.Content {
		key, lb := entry(item, "loadBalancer")
		if lb == nil || lb.Kind != yaml.MappingNode {
			continue
		}
		field := fmt.Sprintf("servers[%d].loadBalancer", i)
		public := value(lb, "public")
		cert := value(lb, "certificateArn")
		isPublic := public != nil && public.Value == "true"
		if cert == nil && !isPublic {
			continue
		}
		var why []string
		if cert != nil {
			remove(lb, "certificateArn")
			g.change(field+".certificateArn", cert.Value, "", "an ACM certificate serves only its own region and account")
			why = append(why, fmt.Sprintf("certificateArn: request an ACM certificate in %s and put its ARN here", r.Region))
		}
		if isPublic {
			public.Value = "false"
			g.change(field+".public", "true", "false", fmt.Sprintf("internal until it has a certificate of %s: internet-facing without HTTPS is denied (security.public-https)", r.Region))
			if cert == nil {
				why = append(why, fmt.Sprintf("certificateArn: request an ACM certificate in %s and put its ARN here", r.Region))
			}
			why = append(why, "then set public: true (internal until then: an internet-facing load balancer needs HTTPS, see README: Guardrails)")
		}
		for k := range why {
			why[k] = "# " + why[k]
		}
		key.HeadComment = joinComments(key.HeadComment, strings.Join(why, ",\n"))
	}
}

// images leaves out AMI ids: an AMI belongs to one region. SSM parameters are kept (AWS's
// public ones exist in every region; the person copies their own).
func (g *generator) images() {
	r := g.req
	seq := value(g.root, "servers")
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return
	}
	for i, item := range seq.Content {
		v := value(item, "image")
		if v == nil || !strings.HasPrefix(v.Value, "ami-") {
			continue
		}
		next := remove(item, "image")
		msg := fmt.Sprintf("# image: %s is an AMI of %s; copy it to %s (aws ec2 copy-image) and put the copy's id here (until then the fleet boots the default Amazon Linux 2023)", v.Value, g.srcRegion, r.Region)
		if next != nil {
			next.HeadComment = joinComments(msg, next.HeadComment)
		} else {
			item.Content[len(item.Content)-2].HeadComment = joinComments(item.Content[len(item.Content)-2].HeadComment, msg)
		}
		g.change(fmt.Sprintf("servers[%d].image", i), v.Value, "", "an AMI belongs to one region")
	}
}

func (g *generator) alarms() {
	r := g.req
	alarms := value(g.root, "alarms")
	if alarms == nil {
		return
	}
	switch email := value(alarms, "email"); {
	case r.AlarmEmail != "":
		g.set(alarms, "email", r.AlarmEmail, "alarms.email", "--alarm-email")
	case email != nil:
		if local, domain, ok := strings.Cut(email.Value, "@"); ok {
			if to, ok := g.renamed(local); ok {
				g.set(alarms, "email", to+"@"+domain, "alarms.email", "it named "+g.sourceZone())
			}
		}
	}
	if r.AlarmHTTPS == "" {
		return
	}
	list := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle, Content: []*yaml.Node{{Kind: yaml.ScalarNode, Value: r.AlarmHTTPS}}}
	if v := value(alarms, "https"); v != nil {
		list.LineComment = v.LineComment
		*v = *list
	} else {
		alarms.Content = append(alarms.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "https"}, list)
	}
	if r.From != "" {
		g.change("alarms.https", "", r.AlarmHTTPS, "--alarm-https")
	}
}

// drop removes a root key that only makes sense for the source region, saying so in a
// comment where it was.
func (g *generator) drop(key, why string) {
	v := value(g.root, key)
	if v == nil {
		return
	}
	next := remove(g.root, key)
	msg := fmt.Sprintf("# %s: not copied from %s: %s", key, g.req.sourceName(), why)
	if next != nil {
		next.HeadComment = joinComments(msg, next.HeadComment)
	} else {
		g.trailing = append(g.trailing, msg)
	}
	g.change(key, fmt.Sprintf("%d %s", len(v.Content), plural(len(v.Content), "entry", "entries")), "", why)
}

// joinLine puts a new line comment before an old one, on the same line.
func joinLine(comment, old string) string {
	if old := strings.TrimSpace(strings.TrimPrefix(old, "#")); old != "" {
		return comment + "; " + old
	}
	return comment
}

func joinComments(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n" + b
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// entry is the key and value nodes of key in mapping m (nil when absent or m is none).
func entry(m *yaml.Node, key string) (*yaml.Node, *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i], m.Content[i+1]
		}
	}
	return nil, nil
}

func value(m *yaml.Node, key string) *yaml.Node {
	_, v := entry(m, key)
	return v
}

// remove deletes key from mapping m and returns the key node that now follows its place.
func remove(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			if i < len(m.Content) {
				return m.Content[i]
			}
			return nil
		}
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}

func scalars(ns []*yaml.Node) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Value
	}
	return out
}
