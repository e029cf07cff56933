package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/regionctl/regionctl/internal/awsmodel"
	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/policy"
	"github.com/regionctl/regionctl/internal/review"
	"github.com/regionctl/regionctl/internal/source"
	"github.com/regionctl/regionctl/internal/spec"
)

// DiffRequest asks for the offline diff of the working tree against a base ref.
type DiffRequest struct {
	// Base is the ref to compare with; "" means the merge base with the default branch.
	Base string
	// Regions are the regions to diff; empty means those the change touches.
	Regions []string
	// CacheDir keeps base builds by commit; "" means .regionctl/cache at the top of
	// the repository (CI restores it between runs).
	CacheDir string
}

// Diff plans the base ref and the working tree offline, each with its own region
// files (and, when the program changed, its own code), and compares them resource by
// resource and property by property; the guardrails judge the result as they judge an
// engine preview. No credentials, no backend. A region that cannot be planned on one
// side is reported in its Region.Error; the other regions are still diffed.
func (e *Env) Diff(ctx context.Context, req DiffRequest) (*review.Review, error) {
	a, err := e.Affected(AffectedRequest{Since: req.Base})
	if err != nil {
		return nil, err
	}
	repo, err := source.Open(e.RegionsDir)
	if err != nil {
		return nil, &UsageError{Msg: err.Error()}
	}
	rel, err := repo.Rel(e.RegionsDir)
	if err != nil {
		return nil, &UsageError{Msg: err.Error()}
	}
	head, err := repo.Head()
	if err != nil {
		return nil, err
	}
	out := &review.Review{Source: "diff", Base: req.Base, BaseCommit: a.Base, Head: head, Teardown: a.Teardown, Skipped: a.Skipped, Why: a.Why, Regions: []review.Region{}}
	if out.Base == "" {
		out.Base = a.Base
	}
	ids := a.Regions
	if len(req.Regions) > 0 {
		ids = slices.Clone(req.Regions)
		slices.Sort(ids)
		ids = slices.Compact(ids)
		for _, id := range ids {
			if slices.Contains(a.Teardown, id) {
				return nil, &UsageError{Msg: fmt.Sprintf("region %q: its file is deleted by this change, so there is nothing to diff: it is listed for teardown (after review, `regionctl destroy %s`)", id, id)}
			}
		}
	}
	if len(ids) == 0 {
		return out, nil
	}

	headRegions, err := e.Load(ids)
	if err != nil {
		return nil, err
	}
	headPlans, headErr := e.Planner.Plan(ctx, headRegions)

	baseDir, err := os.MkdirTemp("", "regionctl-base-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(baseDir)
	if err := repo.Export(a.Base, rel, baseDir); err != nil {
		return nil, err
	}
	inBase := map[string]bool{}
	for _, id := range ids {
		if _, err := os.Stat(filepath.Join(baseDir, id+".yaml")); err == nil {
			inBase[id] = true
		}
	}
	var baseIDs []string
	for _, id := range ids {
		if inBase[id] {
			baseIDs = append(baseIDs, id)
		}
	}
	basePlans, baseErrs, build, err := e.planBase(ctx, repo, a, req, baseDir, baseIDs)
	if err != nil {
		return nil, err
	}
	out.BaseBuild = build

	byName := func(ms []manifest.Region) map[string]manifest.Region {
		m := map[string]manifest.Region{}
		for _, x := range ms {
			m[x.Name] = x
		}
		return m
	}
	heads, bases := byName(headPlans), byName(basePlans)
	var diffs []manifest.Region
	for _, id := range ids {
		h, ok := heads[id]
		if !ok {
			continue
		}
		if msg, failed := baseErrs[id]; failed {
			out.Regions = append(out.Regions, review.Region{Name: id, Resources: []manifest.Resource{}, Error: "planning the base: " + msg})
			continue
		}
		diffs = append(diffs, manifest.Diff(bases[id], h, awsmodel.ReplacesPlain))
	}
	reports, err := e.Check(headRegions, diffs)
	if err != nil {
		return nil, err
	}
	judged := map[string]policy.Report{}
	for _, rep := range reports {
		judged[rep.Region] = rep
	}
	for _, d := range diffs {
		r := review.FromDiff(d, judged[d.Name], policy.Entries(d))
		r.New = !inBase[d.Name]
		r.Cost = costOfChange(bases[d.Name], heads[d.Name])
		out.Regions = append(out.Regions, r)
	}
	for _, err := range Leaves(headErr) {
		if re := (*engine.RegionError)(nil); errors.As(err, &re) {
			out.Regions = append(out.Regions, review.Region{Name: re.Region, Resources: []manifest.Resource{}, Error: re.Err.Error()})
		}
	}
	slices.SortFunc(out.Regions, func(x, y review.Region) int { return strings.Compare(x.Name, y.Name) })
	return out, nil
}

// ReviewOf is a preview's outcome in the shape of a review, so the engine's preview
// renders the same comment as the offline diff.
func ReviewOf(out *Outcome) *review.Review {
	rv := &review.Review{Source: "preview", Regions: []review.Region{}, Teardown: []string{}}
	reports := map[string]policy.Report{}
	for _, rep := range out.Reports {
		reports[rep.Region] = rep
	}
	for _, res := range out.Results {
		steps := res.Steps
		steps.Name = res.Region
		r := review.FromDiff(steps, reports[res.Region], policy.Entries(steps))
		r.Changes = res.Changes
		if res.Err != nil {
			r.Error = strings.SplitN(res.Err.Error(), "\n", 2)[0]
		}
		rv.Regions = append(rv.Regions, r)
	}
	slices.SortFunc(rv.Regions, func(x, y review.Region) int { return strings.Compare(x.Name, y.Name) })
	return rv
}

// planBase plans the base's regions: with this binary when only region files changed,
// else with the base's own code, built once per commit. It returns per region the
// error of a region the base could not plan, and how the base was built.
func (e *Env) planBase(ctx context.Context, repo *source.Repo, a *Affected, req DiffRequest, dir string, ids []string) ([]manifest.Region, map[string]string, string, error) {
	failed := map[string]string{}
	if len(ids) == 0 {
		return nil, failed, "", nil
	}
	if !a.Code {
		regions, err := spec.LoadDir(dir, ids...)
		if err != nil {
			for _, id := range ids {
				failed[id] = err.Error()
			}
			return nil, failed, "this binary (only region files changed)", nil
		}
		plans, err := e.Planner.Plan(ctx, regions)
		for _, err := range Leaves(err) {
			if re := (*engine.RegionError)(nil); errors.As(err, &re) {
				failed[re.Region] = re.Err.Error()
			}
		}
		return plans, failed, "this binary (only region files changed)", nil
	}
	bin, how, err := baseBinary(ctx, repo, a.Base, req.CacheDir)
	if err != nil {
		return nil, nil, "", err
	}
	args := append([]string{"plan", "--json", "--regions-dir", dir}, ids...)
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var doc struct {
		Regions []manifest.Region `json:"regions"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &doc); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" && runErr != nil {
			msg = runErr.Error()
		}
		for _, id := range ids {
			failed[id] = firstLines(msg, 3)
		}
		return nil, failed, how, nil
	}
	planned := map[string]bool{}
	for _, m := range doc.Regions {
		planned[m.Name] = true
	}
	for _, id := range ids {
		if !planned[id] {
			failed[id] = firstLines(strings.TrimSpace(stderr.String()), 3)
		}
	}
	return doc.Regions, failed, how, nil
}

// baseBinary is regionctl built from commit's own tree (a git worktree), cached by
// commit under cacheDir: a code change diffs the base with the base's code.
func baseBinary(ctx context.Context, repo *source.Repo, commit, cacheDir string) (string, string, error) {
	if cacheDir == "" {
		cacheDir = filepath.Join(repo.Top, ".regionctl", "cache")
	}
	dir := filepath.Join(cacheDir, "base", commit)
	bin := filepath.Join(dir, "regionctl")
	if _, err := os.Stat(bin); err == nil {
		return bin, "the base's own code, " + shortCommit(commit) + " (cached build)", nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", "", err
	}
	tree := filepath.Join(dir, "src")
	_ = os.RemoveAll(tree)
	if err := repo.AddWorktree(commit, tree); err != nil {
		return "", "", err
	}
	defer func() { _ = repo.RemoveWorktree(tree) }()
	tmp := bin + ".tmp"
	cmd := exec.CommandContext(ctx, "go", "build", "-o", tmp, "./cmd/regionctl")
	cmd.Dir = tree
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", "", fmt.Errorf("building the base %s to plan it with its own code: %s", shortCommit(commit), firstLines(strings.TrimSpace(string(out)), 5))
	}
	if err := os.Rename(tmp, bin); err != nil {
		return "", "", err
	}
	return bin, "the base's own code, " + shortCommit(commit) + " (built)", nil
}

func shortCommit(c string) string { return c[:min(len(c), 12)] }

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(len(lines), n)], "\n")
}
