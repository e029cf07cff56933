package app

import (
	"errors"
	"fmt"
	"os"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/regionctl/regionctl/internal/source"
	"github.com/regionctl/regionctl/internal/spec"
)

// Affected is which regions a change touches, for CI to preview.
type Affected struct {
	// Base is the commit the working tree was compared with.
	Base string `json:"base"`
	// Regions are the region files to preview, sorted.
	Regions []string `json:"regions"`
	// Teardown are regions whose file the change deletes: listed for a person, never
	// acted on by CI.
	Teardown []string `json:"teardown"`
	// Skipped counts the region files the change does not touch.
	Skipped int `json:"skipped"`
	// All is true when a shared file (the program, the jurisdictions) selects every region.
	All bool `json:"all"`
	// Code is true when the program changed (not only region files and the
	// jurisdictions): the base must be planned with its own code.
	Code bool `json:"code"`
	// Why says, per selected or torn-down region, which change put it there.
	Why map[string]string `json:"why"`
}

// AffectedRequest asks which regions a change touches.
type AffectedRequest struct {
	// Since is the base ref; "" means the merge base with the default branch.
	Since string
}

// sharedPaths select every region when they change: the program, the engine it runs
// on, and the module's dependencies. Anything else outside the regions folder (docs,
// workflows) selects none.
var sharedPaths = []string{"stacks/", "internal/", "cmd/", "tools/", "go.mod", "go.sum"}

// Affected lists the regions a change since req.Since touches: a changed region file
// selects its region; a shared file (sharedPaths, the jurisdictions) every region; a
// deleted region file is listed for teardown; renames are followed.
func (e *Env) Affected(req AffectedRequest) (*Affected, error) {
	repo, err := source.Open(e.RegionsDir)
	if err != nil {
		return nil, &UsageError{Msg: err.Error()}
	}
	base := req.Since
	if base == "" {
		if base, err = repo.DefaultBase(); err != nil {
			return nil, &UsageError{Msg: err.Error()}
		}
	}
	commit, err := repo.Resolve(base)
	if err != nil {
		return nil, &UsageError{Msg: "--changed-since: " + err.Error()}
	}
	changes, err := repo.Changes(commit)
	if err != nil {
		return nil, err
	}
	dir, err := repo.Rel(e.RegionsDir)
	if err != nil {
		return nil, &UsageError{Msg: err.Error()}
	}
	current, err := regionFiles(e.RegionsDir)
	if err != nil {
		return nil, err
	}
	return classify(commit, dir, changes, current), nil
}

// regionFiles lists the region ids of the region files in dir.
func regionFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading the regions folder: %w", err)
	}
	var ids []string
	for _, e := range entries {
		if id, ok := regionID(e.Name()); ok && !e.IsDir() {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// regionID is the region of a region file's name ("eu-west-1.yaml"); jurisdictions.yaml,
// fleet.yaml (the rollout order, which changes no region) and other files are not
// region files.
func regionID(name string) (string, bool) {
	id, ok := strings.CutSuffix(name, ".yaml")
	return id, ok && name != spec.JurisdictionsFile && name != spec.FleetFile && !strings.HasPrefix(id, ".")
}

func classify(base, dir string, changes []source.Change, current []string) *Affected {
	a := &Affected{Base: base, Regions: []string{}, Teardown: []string{}, Why: map[string]string{}}
	selected := map[string]bool{}
	regionOf := func(p string) (string, bool) {
		if path.Dir(p) != dir {
			return "", false
		}
		return regionID(path.Base(p))
	}
	sel := func(id, why string) {
		if !selected[id] {
			selected[id] = true
			a.Why[id] = why
		}
	}
	for _, c := range changes {
		if c.Status == "R" {
			if old, ok := regionOf(c.From); ok && !slices.Contains(current, old) {
				a.Teardown = append(a.Teardown, old)
				a.Why[old] = c.From + " renamed to " + c.Path
			}
			if id, ok := regionOf(c.Path); ok {
				sel(id, c.Path+" renamed from "+c.From)
				continue
			}
		}
		if id, ok := regionOf(c.Path); ok {
			switch c.Status {
			case "D":
				if !slices.Contains(current, id) {
					a.Teardown = append(a.Teardown, id)
					a.Why[id] = c.Path + " deleted"
				}
			case "A":
				sel(id, c.Path+" added")
			default:
				sel(id, c.Path+" changed")
			}
			continue
		}
		if shared(dir, c.Path) {
			if !a.All {
				a.All = true
				a.Why["*"] = c.Path + " changed"
			}
			a.Code = a.Code || c.Path != path.Join(dir, "jurisdictions.yaml")
		}
	}
	for _, id := range current {
		if a.All {
			sel(id, a.Why["*"])
		}
		if selected[id] {
			a.Regions = append(a.Regions, id)
		}
	}
	a.Skipped = len(current) - len(a.Regions)
	sort.Strings(a.Regions)
	sort.Strings(a.Teardown)
	return a
}

// shared reports whether a change to p selects every region.
func shared(dir, p string) bool {
	if p == path.Join(dir, "jurisdictions.yaml") {
		return true
	}
	for _, s := range sharedPaths {
		if p == s || strings.HasSuffix(s, "/") && strings.HasPrefix(p, s) {
			return true
		}
	}
	return false
}

// Shard is one job of a CI matrix: the regions it previews.
type Shard struct {
	Shard   int    `json:"shard"`
	Regions string `json:"regions"` // space-separated, for a job's command line
}

// Shards splits the selected regions over n jobs, round-robin in sorted order, never
// more jobs than regions.
func (a *Affected) Shards(n int) ([]Shard, error) {
	if n < 1 {
		return nil, errors.New("--shards must be 1 or more")
	}
	n = min(n, len(a.Regions))
	groups := make([][]string, n)
	for i, id := range a.Regions {
		groups[i%n] = append(groups[i%n], id)
	}
	out := make([]Shard, n)
	for i, g := range groups {
		out[i] = Shard{Shard: i + 1, Regions: strings.Join(g, " ")}
	}
	return out, nil
}
