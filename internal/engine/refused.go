package engine

import (
	"context"
	"encoding/json"
	"reflect"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

// refusedReplacements rebuilds the steps the engine refused to plan because the
// resources are protected, so guardrails and reports can say what would be replaced
// and why. The changed properties come from comparing the inputs in the state with the
// inputs the program gives now (the offline plan, whose URNs are the engine's).
func refusedReplacements(ctx context.Context, stack auto.Stack, r *spec.Region, urns []string) []manifest.Resource {
	old := map[string]map[string]any{}
	if dep, err := stack.Export(ctx); err == nil && len(dep.Deployment) > 0 {
		var st struct {
			Resources []struct {
				URN    string         `json:"urn"`
				Inputs map[string]any `json:"inputs"`
			} `json:"resources"`
		}
		if json.Unmarshal(dep.Deployment, &st) == nil {
			for _, res := range st.Resources {
				old[res.URN] = res.Inputs
			}
		}
	}
	planned := map[string]manifest.Resource{}
	if m, err := PlanRegion(r); err == nil {
		for _, res := range m.Resources {
			planned[res.URN] = res
		}
	}
	seen := map[string]bool{}
	var out []manifest.Resource
	for _, urn := range urns {
		if seen[urn] {
			continue
		}
		seen[urn] = true
		res, ok := planned[urn]
		if !ok {
			res = manifest.Resource{URN: urn, Type: urnType(urn), Name: urnName(urn), Custom: true, Inputs: map[string]any{}}
		}
		res.Op, res.Protect = manifest.OpReplace, true
		res.ReplaceKeys = changedKeys(old[urn], res.Inputs)
		out = append(out, res)
	}
	return out
}

// changedKeys lists the top-level inputs that differ; secrets (encrypted in the state)
// and values unknown until apply are left out, as nothing can be said of them.
func changedKeys(old, new map[string]any) []string {
	var keys []string
	for k, nv := range new {
		ov, had := old[k]
		if nv == manifest.UnknownMask || nv == manifest.SecretMask || isSecretEnvelope(ov) {
			continue
		}
		if !had || !reflect.DeepEqual(normalize(ov), normalize(nv)) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// normalize round-trips a value through JSON so numbers compare alike.
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	_ = json.Unmarshal(b, &out)
	return out
}

// isSecretEnvelope recognises Pulumi's serialized secret in a state file.
func isSecretEnvelope(v any) bool {
	m, ok := v.(map[string]any)
	return ok && m["4dabf18193072939515e22adb298388d"] == "1b47061264138c4ac30d75fd1eb44270"
}

// urnType is the resource type of a URN (the last type of its type chain).
func urnType(urn string) string {
	label := urnLabel(urn)
	for i := 0; i < len(label); i++ {
		if label[i] == ' ' {
			return label[:i]
		}
	}
	return label
}
