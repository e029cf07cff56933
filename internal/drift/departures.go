package drift

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/regionctl/regionctl/internal/manifest"
)

// Departure is one setting in which a region departs from the region it was made from.
type Departure struct {
	Region string `json:"region"`
	Source string `json:"source"`
	// Entry is the region-file entry of the resource (database/main), when it has one.
	Entry string `json:"entry,omitempty"`
	Type  string `json:"type"`
	// Name is the logical name, with the region id as <region> when it holds one.
	Name     string `json:"name"`
	Property string `json:"property,omitempty"`
	// From is the source's value, To the region's; a resource only one of them has
	// has Only set to the region that has it, and no property.
	From any    `json:"from,omitempty"`
	To   any    `json:"to,omitempty"`
	Only string `json:"only,omitempty"`
}

func (d Departure) String() string {
	what := d.Type + " " + d.Name
	switch {
	case d.Type == "entry":
		what = d.Entry + " " + d.Name
	case d.Entry != "":
		what = d.Entry + " " + what
	}
	head := d.Region + " departs from " + d.Source + ": "
	switch {
	case d.Only == d.Source:
		return head + what + " only in " + d.Source
	case d.Only != "":
		return head + what + " only in " + d.Region
	}
	return fmt.Sprintf("%s%s %s %s → %s", head, what, d.Property, Value(d.From), Value(d.To))
}

// Side is one region of a comparison: its offline plan, what names it, and the
// region-file entry of each resource (policy.Entries).
type Side struct {
	Plan    manifest.Region
	Names   Normalizer
	Entries map[string]string
}

// regionInputs are inputs whose value is the region's own by nature: where it is, whom
// it bills, which addresses and zones it has, which certificate and image it uses.
var regionInputs = map[string]bool{
	"region": true, "allowedAccountIds": true, "accountId": true,
	"availabilityZone": true, "availabilityZones": true, "availabilityZoneId": true,
	"cidrBlock": true, "cidrBlocks": true, "destinationCidrBlock": true,
	"certificateArn": true, "imageId": true, "kmsKeyId": true, "kmsMasterKeyId": true,
	"serviceName": true,
}

var (
	arnLike  = regexp.MustCompile(`^arn:aws[a-z-]*:`)
	uuidLike = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	// idLike is an AWS resource id (vpc-0a1b2c3d4e5f67890, subnet-..., ami-...) or the
	// hex id part of a name (app/web-alb/5e2fd266b296102a).
	idLike = regexp.MustCompile(`\b[a-z]{2,8}-[0-9a-f]{8,17}\b|\b[0-9a-f]{12,}\b`)
)

// regionSpecific reports whether a value, once normalised, still names something
// only that region has: an ARN or an id of its own resources, an address block.
func regionSpecific(v any) bool {
	found := false
	manifest.MapStrings(v, func(s string) any {
		if arnLike.MatchString(s) || uuidLike.MatchString(s) || idLike.MatchString(s) || isCIDR(s) {
			found = true
		}
		return s
	})
	return found
}

func isCIDR(s string) bool {
	_, err := netip.ParsePrefix(s)
	if err == nil {
		return true
	}
	_, err = netip.ParseAddr(s)
	return err == nil
}

// Departures compares a region's offline plan with its source's, resource by resource
// (matched by URN without the stack, names normalised) and input by input, leaving out
// what must differ between two regions: the region itself, ids and ARNs, address
// blocks and zones, account, and names and tags that only name the region. A resource
// only one side has is one departure (per region-file entry when every resource of
// the entry is missing).
func Departures(source, region Side) []Departure {
	src := region.Plan.Name
	srcByKey := keyed(source)
	dstByKey := keyed(region)
	var out []Departure
	for _, key := range sortedKeys(srcByKey, dstByKey) {
		s, inSrc := srcByKey[key]
		d, inDst := dstByKey[key]
		base := Departure{Region: src, Source: source.Plan.Name}
		switch {
		case !inSrc:
			base.Entry, base.Type, base.Name, base.Only = region.Entries[d.URN], d.Type, region.Names.String(d.Name), src
			out = append(out, base)
			continue
		case !inDst:
			base.Entry, base.Type, base.Name, base.Only = source.Entries[s.URN], s.Type, source.Names.String(s.Name), source.Plan.Name
			out = append(out, base)
			continue
		}
		base.Entry, base.Type, base.Name = region.Entries[d.URN], d.Type, region.Names.String(d.Name)
		for _, c := range manifest.PropertyChanges(source.Names.Value(s.Inputs).(map[string]any), region.Names.Value(d.Inputs).(map[string]any)) {
			top, _, _ := strings.Cut(c.Path, ".")
			top, _, _ = strings.Cut(top, "[")
			if regionInputs[top] || regionSpecific(c.Old) || regionSpecific(c.New) || c.Old == manifest.UnknownMask || c.New == manifest.UnknownMask {
				continue
			}
			dep := base
			dep.Property, dep.From, dep.To = c.Path, plainAt(s.Inputs, c.Path, c.Old), plainAt(d.Inputs, c.Path, c.New)
			out = append(out, dep)
		}
	}
	return collapseEntries(out, source, region)
}

// plainAt is the value at path in inputs before normalisation, for showing.
func plainAt(inputs map[string]any, path string, normalised any) any {
	if v, ok := inputs[path]; ok {
		return v
	}
	return normalised
}

// keyed indexes a plan's resources (the stack and providers aside) by their URN without
// the stack, names normalised.
func keyed(side Side) map[string]manifest.Resource {
	out := map[string]manifest.Resource{}
	for _, r := range side.Plan.Resources {
		if r.Type == "pulumi:pulumi:Stack" || strings.HasPrefix(r.Type, "pulumi:providers:") {
			continue
		}
		u := resource.URN(r.URN)
		key := r.Type + "::" + r.Name
		if u.IsValid() {
			key = string(u.QualifiedType()) + "::" + u.Name()
		}
		out[side.Names.String(key)] = r
	}
	return out
}

func sortedKeys(a, b map[string]manifest.Resource) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// collapseEntries turns "only in" departures of every resource of one entry into one
// departure of the entry: a cache the region left out is one line, not six.
func collapseEntries(deps []Departure, source, region Side) []Departure {
	total := map[string]int{}
	for _, side := range []Side{source, region} {
		for _, r := range side.Plan.Resources {
			if e := side.Entries[r.URN]; e != "" {
				total[side.Plan.Name+"\x00"+e]++
			}
		}
	}
	only := map[string]int{}
	for _, d := range deps {
		if d.Only != "" && d.Entry != "" {
			only[d.Only+"\x00"+d.Entry]++
		}
	}
	var out []Departure
	seen := map[string]bool{}
	for _, d := range deps {
		k := d.Only + "\x00" + d.Entry
		if d.Only == "" || d.Entry == "" || only[k] < total[k] || only[k] < 2 {
			out = append(out, d)
			continue
		}
		if !seen[k] {
			seen[k] = true
			out = append(out, Departure{Region: d.Region, Source: d.Source, Entry: d.Entry, Type: "entry", Name: fmt.Sprintf("(%d resources)", only[k]), Only: d.Only})
		}
	}
	return out
}
