package manifest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// PropertyChange is one input a change sets anew, at a path such as engineVersion,
// tags.costCenter or ingress[0].fromPort. Old is nil for an input the change adds and
// New nil for one it removes; masked values stay masked.
type PropertyChange struct {
	Path string `json:"path"`
	Old  any    `json:"old,omitempty"`
	New  any    `json:"new,omitempty"`
}

// Top is the top-level input the change is under: the one replacement rules name.
func (c PropertyChange) Top() string {
	if i := strings.IndexAny(c.Path, ".["); i > 0 {
		return c.Path[:i]
	}
	return c.Path
}

// PropertyChanges compares two sets of plain inputs, path by path, in path order.
// Lists of the same length are compared element by element; a list that grows or
// shrinks is one change.
func PropertyChanges(olds, news map[string]any) []PropertyChange {
	var out []PropertyChange
	diffMaps("", olds, news, &out)
	slices.SortFunc(out, func(a, b PropertyChange) int { return strings.Compare(a.Path, b.Path) })
	return out
}

func diffMaps(prefix string, olds, news map[string]any, out *[]PropertyChange) {
	for _, k := range SortedKeys(union(olds, news)) {
		diffValues(join(prefix, k), olds[k], news[k], out)
	}
}

func diffValues(path string, o, n any, out *[]PropertyChange) {
	om, oIsMap := o.(map[string]any)
	nm, nIsMap := n.(map[string]any)
	if oIsMap && nIsMap {
		diffMaps(path, om, nm, out)
		return
	}
	ol, oIsList := o.([]any)
	nl, nIsList := n.([]any)
	if oIsList && nIsList && len(ol) == len(nl) {
		for i := range ol {
			diffValues(fmt.Sprintf("%s[%d]", path, i), ol[i], nl[i], out)
		}
		return
	}
	if !reflect.DeepEqual(o, n) {
		*out = append(*out, PropertyChange{Path: path, Old: o, New: n})
	}
}

func union(a, b map[string]any) map[string]any {
	out := make(map[string]any, len(a)+len(b))
	for k := range a {
		out[k] = nil
	}
	for k := range b {
		out[k] = nil
	}
	return out
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// ReplaceFunc says which of the changed top-level inputs of a resource of type typ
// force its replacement (internal/awsmodel's rules, the rehearsal provider's too).
type ReplaceFunc func(typ string, changed []string, olds, news map[string]any) []string

// Diff compares the plan of a region at a base (base) with its plan now (head), the
// way an engine preview compares a stack's state with its program: resources matched
// by URN; each one created, updated, replaced (as replaces decides, from the inputs
// that changed), deleted or the same, with the inputs that changed. A replaced
// resource's id and computed attributes are not known until it exists, so what takes
// them as inputs sees them as unknown, and may be replaced in turn, as in a preview.
// Components and the stack never change in the cloud: their input changes are the same.
func Diff(base, head Region, replaces ReplaceFunc) Region {
	old := make(map[string]*Resource, len(base.Resources))
	for i := range base.Resources {
		old[base.Resources[i].URN] = &base.Resources[i]
	}
	out := Region{Name: head.Name, Partial: base.Partial || head.Partial}
	out.Resources = make([]Resource, 0, len(head.Resources))
	for _, res := range head.Resources {
		res.Inputs = copyInputs(res.Inputs)
		out.Resources = append(out.Resources, res)
	}
	decide := func(res *Resource) {
		b, ok := old[res.URN]
		if !ok {
			res.Op = OpCreate
			return
		}
		res.Changed = PropertyChanges(b.Inputs, res.Inputs)
		res.ReplaceKeys, res.Op = nil, OpSame
		switch {
		case len(res.Changed) == 0 || !res.Custom && !IsProvider(res.Type):
			res.Changed = nil
		default:
			res.Op = OpUpdate
			if keys := replaces(res.Type, tops(res.Changed), b.Inputs, res.Inputs); len(keys) > 0 {
				res.Op, res.ReplaceKeys = OpReplace, keys
			}
		}
	}
	for i := range out.Resources {
		decide(&out.Resources[i])
	}
	// Replacements cascade to what refers to them, until nothing more is replaced:
	// each dependent sees the attributes of the replaced resources it depends on.
	for done := map[string][]string{}; ; {
		added := false
		for _, res := range out.Resources {
			if _, seen := done[res.URN]; res.Op == OpReplace && !seen {
				done[res.URN], added = attributes(res), true
			}
		}
		if !added {
			break
		}
		for i := range out.Resources {
			res := &out.Resources[i]
			if res.Op == OpCreate {
				continue
			}
			masked := false
			for _, k := range SortedKeys(res.InputDeps) {
				var unknown []string
				from := false
				for _, dep := range res.InputDeps[k] {
					if attrs, replaced := done[dep]; replaced {
						unknown, from = append(unknown, attrs...), true
					}
				}
				if v, ok := res.Inputs[k]; from && ok {
					// The parts that came from the replaced resource's unknown
					// attributes are unknown; what came from its configuration is not.
					var hit bool
					if res.Inputs[k], hit = maskValue(v, unknown); hit {
						masked = true
					}
				}
			}
			if masked {
				decide(res)
			}
		}
	}
	planned := make(map[string]bool, len(head.Resources))
	for _, res := range head.Resources {
		planned[res.URN] = true
	}
	for _, b := range base.Resources {
		if !planned[b.URN] {
			b.Op = OpDelete
			out.Resources = append(out.Resources, b)
		}
	}
	out.Sort()
	return out
}

// CountOps counts the operations of a diffed region, as the engine's summary does
// (every resource: the stack, components and providers too).
func (r Region) CountOps() Changes {
	var c Changes
	for _, res := range r.Resources {
		switch res.Op {
		case OpCreate:
			c.Create++
		case OpUpdate:
			c.Update++
		case OpReplace:
			c.Replace++
		case OpDelete:
			c.Delete++
		case OpSame:
			c.Same++
		}
		if res.Unprotected {
			c.Protect++
		}
	}
	return c
}

func tops(changes []PropertyChange) []string {
	var out []string
	for _, c := range changes {
		if t := c.Top(); !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// attributes are the values of a replaced resource a preview cannot know yet: its id
// and the attributes AWS computes, less those equal to one of its own inputs (a
// cluster's id is its identifier): the real provider plans those from the
// configuration, so what reads them sees them known.
func attributes(res Resource) []string {
	given := map[string]bool{}
	for _, v := range res.Inputs {
		if s, ok := v.(string); ok {
			given[s] = true
		}
	}
	var out []string
	if res.ID != "" && !given[res.ID] {
		out = append(out, res.ID)
	}
	for _, k := range SortedKeys(res.Computed) {
		if v := res.Computed[k]; !given[v] {
			out = append(out, v)
		}
	}
	return out
}

// maskValue replaces, in a copy of v, every string equal to one of values, or
// holding one long enough to be an id (an ARN in a policy document), with
// UnknownMask. It reports whether it replaced any.
func maskValue(v any, values []string) (any, bool) {
	changed := false
	out := MapStrings(v, func(x string) any {
		for _, val := range values {
			if x == val || len(val) >= 16 && strings.Contains(x, val) {
				changed = true
				return UnknownMask
			}
		}
		return x
	})
	return out, changed
}

// copyInputs deep-copies plain inputs, so a diff never changes the plan it reads.
func copyInputs(m map[string]any) map[string]any {
	return MapStrings(m, func(s string) any { return s }).(map[string]any)
}
