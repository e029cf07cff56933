package rehearsal

import (
	"context"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/regionctl/regionctl/internal/awsmodel"
)

// Diff compares the old inputs with the new ones. A change to an input the real
// provider cannot update in place replaces the resource (see forceNew); when the
// replacement keeps a physical name the program fixed, the old resource is deleted
// first, since AWS would refuse a second resource of that name.
func (p *provider) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	urn := resource.URN(req.GetUrn())
	typ := typeOf(req.GetType(), urn)
	olds, err := unmarshal(oldInputs(req))
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	state, err := unmarshal(req.GetOlds())
	if err != nil {
		return nil, err
	}
	// The engine applies ignoreChanges before calling; a top-level key it passes along
	// is honoured here too.
	for _, key := range req.GetIgnoreChanges() {
		k := resource.PropertyKey(key)
		if old, ok := olds[k]; ok {
			news[k] = old
		} else {
			delete(news, k)
		}
	}

	changes := diffProperties(olds, news)
	tops := make([]string, 0, len(changes))
	for _, c := range changes {
		tops = append(tops, string(c.top))
	}
	replaces := awsmodel.Replaces(typ, tops, olds, news, state)
	deleteFirst := len(replaces) > 0 && awsmodel.FixedName(typ, urn, olds, news)
	return diffResponse(changes, replaces, deleteFirst), nil
}

// change is one difference between old and new inputs, at a property path.
type change struct {
	path string               // "tags.team", "ingress[0].fromPort"
	top  resource.PropertyKey // the input it is under
	kind pulumirpc.PropertyDiff_Kind
}

// diffProperties lists the differences between two sets of inputs, sorted by path.
// Keys starting with "__" are the engine's and providers' bookkeeping, not inputs.
func diffProperties(olds, news resource.PropertyMap) []change {
	var out []change
	keys := make(map[resource.PropertyKey]bool, len(olds)+len(news))
	for k := range olds {
		keys[k] = true
	}
	for k := range news {
		keys[k] = true
	}
	for k := range keys {
		if strings.HasPrefix(string(k), "__") {
			continue
		}
		diffValue(resource.PropertyPath{string(k)}, k, olds[k], news[k], &out)
	}
	slices.SortFunc(out, func(a, b change) int { return strings.Compare(a.path, b.path) })
	return out
}

func diffValue(path resource.PropertyPath, top resource.PropertyKey, old, new resource.PropertyValue, out *[]change) {
	old, new = awsmodel.Unsecret(old), awsmodel.Unsecret(new)
	add := func(kind pulumirpc.PropertyDiff_Kind) {
		*out = append(*out, change{path: path.String(), top: top, kind: kind})
	}
	switch {
	case old.IsNull() && new.IsNull():
	case old.IsNull():
		add(pulumirpc.PropertyDiff_ADD)
	case new.IsNull():
		add(pulumirpc.PropertyDiff_DELETE)
	case new.IsComputed() || old.IsComputed():
		// Not known until the resources it depends on exist: it may change.
		add(pulumirpc.PropertyDiff_UPDATE)
	case old.IsObject() && new.IsObject():
		o, n := old.ObjectValue(), new.ObjectValue()
		for _, k := range unionKeys(o, n) {
			diffValue(append(slices.Clone(path), string(k)), top, o[k], n[k], out)
		}
	case old.IsArray() && new.IsArray():
		o, n := old.ArrayValue(), new.ArrayValue()
		for i := range max(len(o), len(n)) {
			var ov, nv resource.PropertyValue
			if i < len(o) {
				ov = o[i]
			}
			if i < len(n) {
				nv = n[i]
			}
			diffValue(append(slices.Clone(path), i), top, ov, nv, out)
		}
	case !old.DeepEquals(new):
		add(pulumirpc.PropertyDiff_UPDATE)
	}
}

func unionKeys(a, b resource.PropertyMap) []resource.PropertyKey {
	keys := a.StableKeys()
	for _, k := range b.StableKeys() {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	return keys
}

// diffResponse reports changes: every changed input in diffs, every changed path in
// the detailed diff, marked as a replacement when its input is in replaces.
func diffResponse(changes []change, replaces []string, deleteBeforeReplace bool) *pulumirpc.DiffResponse {
	resp := &pulumirpc.DiffResponse{
		Changes:             pulumirpc.DiffResponse_DIFF_NONE,
		Replaces:            replaces,
		DeleteBeforeReplace: deleteBeforeReplace,
		HasDetailedDiff:     true,
		DetailedDiff:        make(map[string]*pulumirpc.PropertyDiff, len(changes)),
	}
	for _, c := range changes {
		resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
		if !slices.Contains(resp.Diffs, string(c.top)) {
			resp.Diffs = append(resp.Diffs, string(c.top))
		}
		kind := c.kind
		if slices.Contains(replaces, string(c.top)) {
			kind = replacing[kind]
		}
		resp.DetailedDiff[c.path] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	slices.Sort(resp.Diffs)
	return resp
}

var replacing = map[pulumirpc.PropertyDiff_Kind]pulumirpc.PropertyDiff_Kind{
	pulumirpc.PropertyDiff_ADD:    pulumirpc.PropertyDiff_ADD_REPLACE,
	pulumirpc.PropertyDiff_DELETE: pulumirpc.PropertyDiff_DELETE_REPLACE,
	pulumirpc.PropertyDiff_UPDATE: pulumirpc.PropertyDiff_UPDATE_REPLACE,
}
