package manifest

import (
	"reflect"
	"slices"
	"testing"
)

// replaceOn replaces a resource of any type when one of keys changed.
func replaceOn(keys ...string) ReplaceFunc {
	return func(_ string, changed []string, _, _ map[string]any) []string {
		var out []string
		for _, c := range changed {
			if slices.Contains(keys, c) {
				out = append(out, c)
			}
		}
		return out
	}
}

// res is a resource whose every input comes from deps.
func res(urn string, inputs map[string]any, deps ...string) Resource {
	r := Resource{URN: urn, Type: "aws:test/x:X", Custom: true, Inputs: inputs}
	if len(deps) > 0 {
		r.InputDeps = map[string][]string{}
		for k := range inputs {
			r.InputDeps[k] = deps
		}
	}
	return r
}

func TestDiffOperations(t *testing.T) {
	base := Region{Name: "r", Resources: []Resource{
		res("a", map[string]any{"size": 1.0, "tags": map[string]any{"k": "v"}}),
		res("b", map[string]any{"engine": "mysql"}),
		res("c", map[string]any{"x": "same"}),
		res("gone", map[string]any{}),
		{URN: "comp", Type: "regionctl:stacks:Thing", Inputs: map[string]any{"entry": "thing/a"}},
	}}
	head := Region{Name: "r", Resources: []Resource{
		res("a", map[string]any{"size": 2.0, "tags": map[string]any{"k": "w", "n": "new"}}),
		res("b", map[string]any{"engine": "postgres"}),
		res("c", map[string]any{"x": "same"}),
		res("new", map[string]any{}),
		{URN: "comp", Type: "regionctl:stacks:Thing", Inputs: map[string]any{"entry": "thing/b"}},
	}}
	got := Diff(base, head, replaceOn("engine"))
	ops := map[string]Op{}
	for _, r := range got.Resources {
		ops[r.URN] = r.Op
	}
	want := map[string]Op{"a": OpUpdate, "b": OpReplace, "c": OpSame, "new": OpCreate, "gone": OpDelete, "comp": OpSame}
	if !reflect.DeepEqual(ops, want) {
		t.Errorf("ops = %v, want %v", ops, want)
	}
	a := got.Resources[slices.IndexFunc(got.Resources, func(r Resource) bool { return r.URN == "a" })]
	wantChanges := []PropertyChange{{"size", 1.0, 2.0}, {"tags.k", "v", "w"}, {"tags.n", nil, "new"}}
	if !reflect.DeepEqual(a.Changed, wantChanges) {
		t.Errorf("a changed = %+v, want %+v", a.Changed, wantChanges)
	}
	b := got.Resources[slices.IndexFunc(got.Resources, func(r Resource) bool { return r.URN == "b" })]
	if !reflect.DeepEqual(b.ReplaceKeys, []string{"engine"}) {
		t.Errorf("b replace keys = %v", b.ReplaceKeys)
	}
	if c := got.CountOps(); c != (Changes{Create: 1, Update: 1, Replace: 1, Delete: 1, Same: 2}) {
		t.Errorf("counts = %+v", c)
	}
	if head.Resources[0].Inputs["size"] != 2.0 || base.Resources[0].Inputs["size"] != 1.0 {
		t.Error("Diff changed the plans it read")
	}
}

// A replaced resource's id is unknown until it exists: what takes it as an input
// changes, and is replaced when that input forces it; what does not refer to it is not.
func TestDiffReplacementCascades(t *testing.T) {
	cluster := func(engine string) Resource {
		r := res("cluster", map[string]any{"engine": engine})
		r.ID, r.Computed = "cluster-7f3a", map[string]string{"arn": "arn:aws:rds:r:1:cluster:main"}
		return r
	}
	inst := res("instance", map[string]any{"clusterIdentifier": "cluster-7f3a"}, "cluster")
	policyDoc := res("policy", map[string]any{"policy": `{"Resource":"arn:aws:rds:r:1:cluster:main"}`}, "cluster")
	other := res("other", map[string]any{"name": "main"})
	// Given the same value from the region file, not from the cluster: stays known.
	alarm := res("alarm", map[string]any{"dimension": "main"})
	alarm.InputDeps = map[string][]string{"unrelated": {"cluster"}}
	base := Region{Resources: []Resource{cluster("mysql"), inst, policyDoc, other, alarm}}
	head := Region{Resources: []Resource{cluster("postgres"), inst, policyDoc, other, alarm}}
	got := Diff(base, head, replaceOn("engine", "clusterIdentifier"))
	ops := map[string]Op{}
	for _, r := range got.Resources {
		ops[r.URN] = r.Op
		if r.URN == "policy" && r.Inputs["policy"] != UnknownMask {
			t.Errorf("policy input = %v, want unknown", r.Inputs["policy"])
		}
	}
	want := map[string]Op{"cluster": OpReplace, "instance": OpReplace, "policy": OpUpdate, "other": OpSame, "alarm": OpSame}
	if !reflect.DeepEqual(ops, want) {
		t.Errorf("ops = %v, want %v", ops, want)
	}
}
