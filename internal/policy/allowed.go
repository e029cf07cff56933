package policy

import (
	"time"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

// Unprotect lists the resources of a preview that an active allowance of the region file
// lets the engine replace or delete: every protected resource of the allowed entry (a
// database's cluster and its instances) with exactly the allowed operation, nothing
// else. Their protection is lifted for the one update that applies the change; the
// program protects what takes their place.
func Unprotect(r *spec.Region, m manifest.Region, now time.Time) []string {
	allowed := map[manifest.Op]map[string]bool{manifest.OpReplace: {}, manifest.OpDelete: {}}
	for _, a := range r.Allow {
		if len(allowanceIssues(a, now)) > 0 {
			continue // expired or invalid: policy.allow denies it
		}
		if a.Delete != "" {
			allowed[manifest.OpDelete][a.Delete] = true
		} else {
			allowed[manifest.OpReplace][a.Replace] = true
		}
	}
	c := newContext(r, nil, m)
	var urns []string
	for i := range m.Resources {
		res := &m.Resources[i]
		if !res.Protect || !res.Custom || allowed[res.Op] == nil {
			continue
		}
		if allowed[res.Op][c.RefOf(res).String()] {
			urns = append(urns, res.URN)
		}
	}
	return urns
}
