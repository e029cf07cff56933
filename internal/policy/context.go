package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

// Context is what a rule sees: the region file, its jurisdiction's regions and the
// planned resources, indexed.
type Context struct {
	Region *spec.Region
	// Jurisdiction lists the regions where the region's data may live.
	Jurisdiction []string
	Manifest     manifest.Region

	byURN  map[string]*manifest.Resource
	live   map[string][]*manifest.Resource
	keyIDs map[string]bool
	hasKey bool
	// keyIDKnown is set when an alias names the region key's id: only then can a key
	// ARN be told apart from another key of the same account and region.
	keyIDKnown bool
}

func newContext(r *spec.Region, j spec.Jurisdictions, m manifest.Region) *Context {
	c := &Context{
		Region:       r,
		Jurisdiction: j[r.Jurisdiction],
		Manifest:     m,
		byURN:        map[string]*manifest.Resource{},
		live:         map[string][]*manifest.Resource{},
		keyIDs:       map[string]bool{},
	}
	for i := range m.Resources {
		res := &m.Resources[i]
		c.byURN[res.URN] = res
		if res.Op != manifest.OpDelete {
			c.live[res.Type] = append(c.live[res.Type], res)
		}
	}
	c.hasKey = len(c.live[tKMSKey]) > 0
	for _, a := range c.live[tKMSAlias] {
		if id := str(a.Inputs, "targetKeyId"); id != "" && !unknown(id) {
			c.keyIDs[id] = true
			c.keyIDKnown = true
		}
		if name := str(a.Inputs, "name"); name != "" && !unknown(name) {
			c.keyIDs[name] = true
		}
	}
	return c
}

// Live returns the resources of the given types that exist once the change is applied
// (everything but deletions), in manifest order.
func (c *Context) Live(types ...string) []*manifest.Resource {
	var out []*manifest.Resource
	for _, t := range types {
		out = append(out, c.live[t]...)
	}
	return out
}

// Changed returns every resource a preview would act on with op.
func (c *Context) Changed(op manifest.Op) []*manifest.Resource {
	var out []*manifest.Resource
	for i := range c.Manifest.Resources {
		if res := &c.Manifest.Resources[i]; res.Op == op {
			out = append(out, res)
		}
	}
	return out
}

// inJurisdiction reports whether data may live in region.
func (c *Context) inJurisdiction(region string) bool {
	return slices.Contains(c.Jurisdiction, region)
}

// outside describes a region outside the jurisdiction, for messages.
func (c *Context) outside(region string) string {
	return fmt.Sprintf("%s, outside jurisdiction %s (%s)", region, c.Region.Jurisdiction, strings.Join(c.Jurisdiction, ", "))
}

// components maps regionctl's component types to the region-file entries they build.
// The component of a named entry is called prefix + name (database-main).
var components = map[string]struct{ kind, prefix string }{
	manifest.ComponentPrefix + "Fleet":         {spec.KindFleet, "compute-"},
	manifest.ComponentPrefix + "Database":      {spec.KindDatabase, "database-"},
	manifest.ComponentPrefix + "Cache":         {spec.KindCache, "cache-"},
	manifest.ComponentPrefix + "Queue":         {spec.KindQueue, "queue-"},
	manifest.ComponentPrefix + "Bucket":        {spec.KindBucket, "storage-"},
	manifest.ComponentPrefix + "Network":       {spec.KindNetwork, ""},
	manifest.ComponentPrefix + "Key":           {spec.KindKey, ""},
	manifest.ComponentPrefix + "Observability": {spec.KindAlarms, ""},
}

// RefOf is the entry of the region file a resource belongs to: the component it was
// created by, or the region itself (its provider, anything outside a component). The
// component says which entry it builds (its spec.EntryInput); resources of a state
// written before components recorded it are matched by the component's type and name.
func (c *Context) RefOf(res *manifest.Resource) spec.Ref {
	seen := map[string]bool{}
	for cur := res; cur != nil && !seen[cur.URN]; cur = c.byURN[cur.Parent] {
		seen[cur.URN] = true
		if ref, ok := recordedRef(cur); ok {
			return ref
		}
		if ref, ok := componentRef(cur.Type, cur.Name); ok {
			return ref
		}
		// A deleted entry's component may have no step of its own in a preview the
		// engine stopped; its URN, which every child's state names, still says what it was.
		if _, held := c.byURN[cur.Parent]; !held && cur.Parent != "" {
			if u := resource.URN(cur.Parent); u.IsValid() {
				if ref, ok := componentRef(string(u.Type()), u.Name()); ok {
					return ref
				}
			}
		}
	}
	// A manifest without parents: the URN still says which component type the
	// resource sits under, and its name starts with the component's.
	for _, t := range urnTypes(res.URN) {
		comp, ok := components[t]
		if !ok {
			continue
		}
		if comp.prefix == "" {
			return spec.Ref{Kind: comp.kind}
		}
		best := ""
		for _, n := range c.Region.Names(comp.kind) {
			if strings.HasPrefix(res.Name, comp.prefix+n+"-") && len(n) > len(best) {
				best = n
			}
		}
		if best != "" {
			return spec.Ref{Kind: comp.kind, Name: best}
		}
	}
	return spec.Ref{Kind: spec.KindRegion}
}

// recordedRef is the entry a component recorded as its input.
func recordedRef(res *manifest.Resource) (spec.Ref, bool) {
	if res.Custom {
		return spec.Ref{}, false
	}
	s, ok := res.Inputs[spec.EntryInput].(string)
	if !ok {
		return spec.Ref{}, false
	}
	ref, err := spec.ParseRef(s)
	return ref, err == nil
}

// componentRef is the entry a regionctl component of type typ and name builds.
func componentRef(typ, name string) (spec.Ref, bool) {
	comp, ok := components[typ]
	if !ok {
		return spec.Ref{}, false
	}
	if comp.prefix == "" {
		return spec.Ref{Kind: comp.kind}, true
	}
	return spec.Ref{Kind: comp.kind, Name: strings.TrimPrefix(name, comp.prefix)}, true
}

// urnTypes are the types of a URN's parent chain and the resource:
// urn:pulumi:stack::project::regionctl:stacks:Database$aws:rds/cluster:Cluster::name.
func urnTypes(urn string) []string {
	u := resource.URN(urn)
	if !u.IsValid() {
		return nil
	}
	return strings.Split(string(u.QualifiedType()), "$")
}

// label names an entry in a message: database "main", the network.
func label(ref spec.Ref) string {
	switch ref.Kind {
	case spec.KindNetwork:
		return "the network"
	case spec.KindKey:
		return "the region key"
	case spec.KindAlarms:
		return "observability"
	case spec.KindRegion:
		return "the region"
	}
	return ref.Kind + " " + quote(ref.Name)
}

// Describe names a resource in a message: the entry it belongs to, its type and name.
// A resource of no entry (the provider) is named by type and name alone.
func (c *Context) Describe(res *manifest.Resource) string {
	ref := c.RefOf(res)
	if ref.Kind == spec.KindRegion {
		return res.Type + " " + res.Name
	}
	return fmt.Sprintf("%s (%s %s)", label(ref), res.Type, res.Name)
}

// Finding reports res. sub is the field of the entry where the fix goes (instances,
// natGateways); the finding points at it, or at the entry when it is not written.
func (c *Context) Finding(res *manifest.Resource, sub, format string, args ...any) Finding {
	f := c.findingAt(c.RefOf(res), sub, format, args...)
	f.URN, f.Type, f.Name = res.URN, res.Type, res.Name
	return f
}

// findingAt reports an entry of the region file rather than one resource.
func (c *Context) findingAt(ref spec.Ref, sub, format string, args ...any) Finding {
	f := Finding{Region: c.Region.Region, Resource: ref.String(), Message: fmt.Sprintf(format, args...)}
	field, ok := c.Region.Field(ref)
	if !ok {
		field = "region" // an entry gone from the file: a deletion
	}
	if sub != "" && ok {
		field += "." + sub
	}
	f.Path, f.Line, f.Col = c.position(field)
	return f
}

func (c *Context) position(field string) (string, int, int) {
	src := c.Region.Source
	if src == nil {
		return "", 0, 0
	}
	p := src.At(field)
	return src.Path, p.Line, p.Col
}

// regionKey reports whether a key reference (an ARN, key id or alias) is the region's
// own key; why says what it is instead. A reference not known before apply passes when
// the region has a key: in a preview of a new region every reference to it is unknown.
func (c *Context) regionKey(v any) (ok bool, why string) {
	s, _ := v.(string)
	switch {
	case v == nil || s == "" && !unknown(v):
		return false, "no key is set, so an AWS managed key is used"
	case unknown(s):
		return c.hasKey, "the region has no key of its own"
	case strings.HasPrefix(s, "alias/aws/") || strings.Contains(s, ":alias/aws/"):
		return false, fmt.Sprintf("%s is an AWS managed key", s)
	}
	if !c.hasKey {
		return false, "the region has no key of its own"
	}
	id := s
	if arn.IsARN(s) {
		a, err := arn.Parse(s)
		if err != nil || a.Service != "kms" {
			return false, fmt.Sprintf("%s is not a KMS key", s)
		}
		if a.Region != c.Region.Region {
			return false, fmt.Sprintf("%s is a key in %s", s, a.Region)
		}
		if a.AccountID != c.Region.AccountID {
			return false, fmt.Sprintf("%s is a key of account %s", s, a.AccountID)
		}
		id = a.Resource
		if strings.HasPrefix(id, "key/") {
			id = strings.TrimPrefix(id, "key/")
			// Without an alias naming it, the key's id is only an output: a key of
			// the region's account and region is as close as the inputs get.
			if !c.keyIDKnown {
				return true, ""
			}
		}
	}
	if c.keyIDs[id] {
		return true, ""
	}
	return false, fmt.Sprintf("%s is not the region's key", s)
}

// Entries names, per resource URN of m, the region-file entry it belongs to
// (database/main, fleet/web), as findings and allowances name it.
func Entries(m manifest.Region) map[string]string {
	c := newContext(&spec.Region{Region: m.Name}, nil, m)
	out := make(map[string]string, len(m.Resources))
	for i := range m.Resources {
		out[m.Resources[i].URN] = c.RefOf(&m.Resources[i]).String()
	}
	return out
}
