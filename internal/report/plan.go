package report

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/regionctl/regionctl/internal/manifest"
)

// PlanJSON writes the plan document of the CLI contract:
// {"regions":[{"name":..,"resources":[{"type":..,"name":..,"parent":..,"inputs":{..}}]}]}.
// Resources are in URN order and map keys sorted, so the same input gives the same bytes.
func PlanJSON(w io.Writer, regions []manifest.Region) error {
	doc := struct {
		Regions []manifest.Region `json:"regions"`
	}{Regions: regions}
	if doc.Regions == nil {
		doc.Regions = []manifest.Region{}
	}
	return writeJSON(w, doc)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// PlanText writes, per region, the resource tree by component with the count of each
// resource type, then one total line.
func PlanText(w io.Writer, regions []manifest.Region) error {
	p := &printer{w: w}
	total := 0
	for i, r := range regions {
		if i > 0 {
			p.line("")
		}
		n := r.Managed()
		total += n
		p.line("%s: %d %s", r.Name, n, plural(n, "resource", "resources"))
		roots := rootsOf(r)
		for j, res := range roots {
			p.tree(r, res, "", j == len(roots)-1)
		}
	}
	if len(regions) > 1 {
		p.line("")
		p.line("%d regions, %d resources", len(regions), total)
	}
	return p.err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// rootsOf returns the top of the tree: what hangs directly below the stack. The
// stack itself is not always registered (mocks skip it), so a root is any resource
// whose parent is the stack or is not in the manifest.
func rootsOf(r manifest.Region) []manifest.Resource {
	known := make(map[string]bool, len(r.Resources))
	for _, res := range r.Resources {
		known[res.URN] = res.Type != manifest.StackType
	}
	var roots []manifest.Resource
	for _, res := range r.Resources {
		if res.Type == manifest.StackType {
			continue
		}
		if res.Parent == "" || !known[res.Parent] {
			roots = append(roots, res)
		}
	}
	return roots
}

type printer struct {
	w   io.Writer
	err error
}

func (p *printer) line(format string, args ...any) {
	if p.err == nil {
		_, p.err = fmt.Fprintf(p.w, format+"\n", args...)
	}
}

// tree prints a component with its sub-components as branches and its cloud
// resources folded into one line per type; a lone resource prints as itself.
func (p *printer) tree(r manifest.Region, res manifest.Resource, indent string, last bool) {
	branch, next := "├─ ", indent+"│  "
	if last {
		branch, next = "└─ ", indent+"   "
	}
	if res.Custom {
		p.line("%s%s%s %s%s", indent, branch, res.Type, res.Name, marks([]manifest.Resource{res}))
		return
	}
	p.line("%s%s%s %s", indent, branch, componentLabel(res.Type), res.Name)

	children := r.Children(res.URN)
	var components []manifest.Resource
	byType := map[string][]manifest.Resource{}
	for _, c := range children {
		if c.Custom {
			byType[c.Type] = append(byType[c.Type], c)
		} else {
			components = append(components, c)
		}
	}
	types := manifest.SortedKeys(byType)
	items := len(types) + len(components)
	k := 0
	for _, t := range types {
		k++
		group := byType[t]
		if len(group) == 1 {
			p.tree(r, group[0], next, k == items)
			continue
		}
		b := "├─ "
		if k == items {
			b = "└─ "
		}
		p.line("%s%s%s ×%d%s", next, b, t, len(group), marks(group))
	}
	sort.SliceStable(components, func(i, j int) bool { return components[i].Name < components[j].Name })
	for _, c := range components {
		k++
		p.tree(r, c, next, k == items)
	}
}

// componentLabel shortens regionctl's component types (regionctl:stacks:Network → Network).
func componentLabel(typ string) string {
	return strings.TrimPrefix(typ, manifest.ComponentPrefix)
}

// marks notes protection, which matters to a reviewer: these survive a destroy.
func marks(group []manifest.Resource) string {
	for _, res := range group {
		if !res.Protect {
			return ""
		}
	}
	if group[0].RetainOnDelete {
		return "  [protected, retained]"
	}
	return "  [protected]"
}
