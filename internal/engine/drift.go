package engine

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/regionctl/regionctl/internal/drift"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

// DriftResult is one region's refresh-preview: what the cloud has that the state does
// not say. The state is left as it was.
type DriftResult struct {
	drift.Region
	Err error
	// NotDeployed is set for a region the backend holds no stack (or no resources) of.
	NotDeployed bool
	// TagErr is why the summary could not be recorded on the stack (the check stands).
	TagErr error
}

// Drift refresh-previews every region, Parallel at a time, and records each checked
// region's summary as its stack tag (drift.TagName) on the backend, for status.
func (a *Automation) Drift(ctx context.Context, regions []*spec.Region, now func() time.Time) []DriftResult {
	limit := a.Parallel
	if limit <= 0 {
		limit = DefaultParallel()
	}
	out := make([]DriftResult, len(regions))
	EachRegion(ctx, len(regions), limit, func(i int) {
		if a.Started != nil {
			a.Started(regions[i].Region)
		}
		out[i] = a.driftRegion(ctx, regions[i], now)
	}, func(i int) {
		out[i] = DriftResult{Region: drift.Region{Name: regions[i].Region}, Err: &CancelledError{Region: regions[i].Region, Op: Refresh}}
	})
	return out
}

func (a *Automation) driftRegion(ctx context.Context, r *spec.Region, now func() time.Time) DriftResult {
	res := DriftResult{Region: drift.Region{Name: r.Region, AccountID: r.AccountID, Resources: []drift.Resource{}}}
	st, err := a.stack(ctx, r)
	if err != nil {
		res.Err = a.explain(r.Region, Refresh, err)
		return res
	}
	if st.missing {
		res.NotDeployed = true
		return res
	}
	c := a.collector(r.Region, a.Progress)
	found := &driftFinder{}
	tap := make(chan events.EngineEvent, 64)
	go func() {
		defer close(c.events)
		for ev := range tap {
			if ev.Error == nil {
				found.record(ev.EngineEvent)
			}
			c.events <- ev
		}
	}()
	// The CLI reads PULUMI_SKIP_CONFIRMATIONS (set for the other operations) as --yes,
	// which it refuses next to --preview-only.
	ws := st.stack.Workspace()
	ws.UnsetEnvVar("PULUMI_SKIP_CONFIRMATIONS")
	_, err = st.stack.PreviewRefresh(ctx, optrefresh.EventStreams(tap))
	if v, ok := st.env["PULUMI_SKIP_CONFIRMATIONS"]; ok {
		ws.SetEnvVar("PULUMI_SKIP_CONFIRMATIONS", v)
	}
	c.wait()
	res.Checked = now()
	if err != nil {
		if isNoStack(err) {
			res.NotDeployed = true
			return res
		}
		if ctx.Err() != nil {
			err = &CancelledError{Region: r.Region, Op: Refresh}
		}
		res.Err = a.explain(r.Region, Refresh, c.failure(err))
		return res
	}
	res.Resources = found.resources()
	if c.counts() == (Changes{}) && len(res.Resources) == 0 {
		// An empty stack (created by a preview, never applied) has nothing to drift.
		if state, serr := readState(ctx, st.stack); serr == nil && state.Managed() == 0 {
			res.NotDeployed = true
			return res
		}
	}
	if terr := st.stack.SetTag(context.WithoutCancel(ctx), drift.TagName, drift.Summary(len(res.Resources), res.Checked)); terr != nil {
		res.TagErr = errors.New(oneLine(terr))
	}
	return res
}

// driftFinder keeps the refresh steps that found the cloud different: the engine
// reports each as the outputs event of its refresh, with the operation the refresh
// would record (update: changed, delete: gone), the state before and the cloud's.
type driftFinder struct {
	mu    sync.Mutex
	found map[string]drift.Resource
	order []string
}

func (f *driftFinder) record(ev apitype.EngineEvent) {
	o := ev.ResOutputsEvent
	if o == nil || !o.Planning || (o.Metadata.Op != apitype.OpUpdate && o.Metadata.Op != apitype.OpDelete) {
		return
	}
	m := o.Metadata
	if isProviderType(m.Type) || (m.Old != nil && !m.Old.Custom) {
		return
	}
	res := drift.Resource{URN: m.URN, Type: m.Type, Name: resource.URN(m.URN).Name()}
	switch {
	case m.Op == apitype.OpDelete || m.New == nil:
		res.Gone = true
	case m.Old != nil:
		olds, _ := maskUnknowns(m.Old.Inputs).(map[string]any)
		news, _ := maskUnknowns(m.New.Inputs).(map[string]any)
		res.Changes = manifest.PropertyChanges(olds, news)
		if len(res.Changes) == 0 {
			// Only what the provider computes changed (outputs), keys the diff names.
			oo, _ := maskUnknowns(m.Old.Outputs).(map[string]any)
			no, _ := maskUnknowns(m.New.Outputs).(map[string]any)
			for _, ch := range manifest.PropertyChanges(oo, no) {
				if top := topKey(ch.Path); containsKey(m.Diffs, top) {
					res.Changes = append(res.Changes, ch)
				}
			}
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.found == nil {
		f.found = map[string]drift.Resource{}
	}
	if _, seen := f.found[m.URN]; !seen {
		f.order = append(f.order, m.URN)
	}
	f.found[m.URN] = res
}

func (f *driftFinder) resources() []drift.Resource {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := []drift.Resource{}
	for _, urn := range f.order {
		out = append(out, f.found[urn])
	}
	return out
}

func topKey(path string) string {
	path, _, _ = strings.Cut(path, ".")
	path, _, _ = strings.Cut(path, "[")
	return path
}

func containsKey(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

// DriftTag reads the summary of a region's last drift check from its stack tag; empty
// when it was never checked. A file:// backend's tag file is read directly (status of a
// fleet must not start an engine per region); other backends are asked through the CLI.
func (a *Automation) DriftTag(ctx context.Context, regionID string) (string, error) {
	if dir, ok := localDir(a.Backend.URL); ok {
		b, err := os.ReadFile(filepath.Join(dir, ".pulumi", "stacks", Project, regionID+".pulumi-tags"))
		if errors.Is(err, os.ErrNotExist) {
			return "", nil
		}
		if err != nil {
			return "", err
		}
		var doc struct {
			Tags map[string]string `json:"tags"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			return "", err
		}
		return doc.Tags[drift.TagName], nil
	}
	st, err := a.stack(ctx, &spec.Region{Region: regionID})
	if err != nil {
		return "", a.explain(regionID, "", err)
	}
	tags, err := st.stack.ListTags(ctx)
	if err != nil {
		return "", a.explain(regionID, "", err)
	}
	return tags[drift.TagName], nil
}
