// Package review is what a pull request's preview says about every region it touches:
// per region the changes (from the offline diff or an engine preview, the same shape)
// and the guardrails' verdict. A CI shard writes one as JSON; `regionctl comment merge`
// joins them; internal/report renders the comment.
package review

import (
	"fmt"
	"slices"
	"strings"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/policy"
)

// Review is one run's result over some regions.
type Review struct {
	// Source says what produced it: "diff" (offline, two git refs) or "preview"
	// (the engine against the deployed state).
	Source string `json:"source"`
	// Base is the ref compared with, BaseCommit its commit, Head the working tree's
	// commit ("" for a preview).
	Base       string `json:"base,omitempty"`
	BaseCommit string `json:"baseCommit,omitempty"`
	Head       string `json:"head,omitempty"`
	// BaseBuild says how the base was planned: with this binary (only region files
	// changed) or with the base's own code, built (or found cached) for its commit.
	BaseBuild string   `json:"baseBuild,omitempty"`
	Regions   []Region `json:"regions"`
	// Teardown are regions whose file the change deletes (never acted on by CI);
	// Skipped counts the regions the change does not touch.
	Teardown []string          `json:"teardown"`
	Skipped  int               `json:"skipped"`
	Why      map[string]string `json:"why,omitempty"`
}

// Region is one region's changes and verdict.
type Region struct {
	Name string `json:"name"`
	// New is set for a region the base does not have: everything is created.
	New     bool             `json:"new,omitempty"`
	Changes manifest.Changes `json:"changes"`
	// Resources are the resources that change (op other than same), in URN order.
	Resources []manifest.Resource `json:"resources"`
	Policy    policy.Report       `json:"policy"`
	// Error is why the region could not be diffed or previewed ("" when it was).
	Error string `json:"error,omitempty"`
}

// Blocked reports whether a guardrail stops the region's change.
func (r Region) Blocked() bool { return r.Policy.Denied() }

// FromDiff keeps what a review shows of a diffed or previewed region: the changed
// resources only.
// entries names each resource's region-file entry (policy.Entries).
func FromDiff(m manifest.Region, rep policy.Report, entries map[string]string) Region {
	out := Region{Name: m.Name, Changes: m.CountOps(), Resources: []manifest.Resource{}, Policy: rep}
	for _, res := range m.Resources {
		if res.Op != manifest.OpSame && res.Op != "" {
			res.Entry = entries[res.URN]
			res.ID, res.Computed, res.InputDeps, res.DependsOn = "", nil, nil, nil
			out.Resources = append(out.Resources, res)
		}
	}
	return out
}

// Failed lists, as "region: why", the regions the review could not diff or preview.
func (rv *Review) Failed() []string {
	var out []string
	for _, r := range rv.Regions {
		if r.Error != "" {
			out = append(out, r.Name+": "+r.Error)
		}
	}
	return out
}

// The gates `--fail-on` picks from.
const (
	GateReplace = "replace"
	GateDelete  = "delete"
	GatePolicy  = "policy"
)

// Gates are the gates a review fires, of those asked for, in the order asked:
// replace and delete fire on a cloud resource replaced or deleted that no active
// allowance of its region accepts (an allowance names the entry: database/main, and
// accepts what that entry holds), policy on a guardrail that blocks.
func (rv *Review) Gates(asked []string) []string {
	var out []string
	for _, g := range asked {
		for _, r := range rv.Regions {
			if r.fires(g) {
				out = append(out, g)
				break
			}
		}
	}
	return out
}

func (r Region) fires(gate string) bool {
	if gate == GatePolicy {
		return r.Blocked()
	}
	for _, res := range r.Resources {
		if string(res.Op) == gate && res.Custom && !manifest.IsProvider(res.Type) && !r.allowed(gate, res.Entry) {
			return true
		}
	}
	return false
}

// allowed reports whether an active allowance of the region accepts op on entry.
func (r Region) allowed(op, entry string) bool {
	for _, e := range r.Policy.Exceptions {
		if e.Kind == policy.KindAllow && e.Status == policy.Active && e.Rule == "blast."+op && e.Resource == entry {
			return true
		}
	}
	return false
}

// Merge joins the reviews of CI's shards into one: they must compare the same commits
// and each region may appear once. The regions come out sorted by name.
func Merge(parts []*Review) (*Review, error) {
	out := &Review{Regions: []Region{}, Teardown: []string{}}
	seen := map[string]bool{}
	for i, p := range parts {
		if i == 0 {
			regions := out.Regions
			*out = *p
			out.Regions = regions
		} else if p.Source != out.Source || p.BaseCommit != out.BaseCommit || p.Head != out.Head {
			return nil, fmt.Errorf("the results do not review the same change (%s of %s against %s, and %s of %s against %s): merge the shards of one run",
				out.Source, short(out.Head), short(out.BaseCommit), p.Source, short(p.Head), short(p.BaseCommit))
		}
		for _, r := range p.Regions {
			if seen[r.Name] {
				return nil, fmt.Errorf("region %q is in two results: each shard must review other regions", r.Name)
			}
			seen[r.Name] = true
			out.Regions = append(out.Regions, r)
		}
		for _, t := range p.Teardown {
			if !slices.Contains(out.Teardown, t) {
				out.Teardown = append(out.Teardown, t)
			}
		}
	}
	slices.SortFunc(out.Regions, func(a, b Region) int { return strings.Compare(a.Name, b.Name) })
	slices.Sort(out.Teardown)
	return out, nil
}

func short(c string) string { return c[:min(len(c), 12)] }
