package app

import (
	"context"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/regionctl/regionctl/internal/drift"
	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/spec"
)

// RegionStatus is the state overview of one region.
type RegionStatus struct {
	Region string `json:"name"`
	// HasFile is false for a stack deployed from a region file that is gone.
	HasFile          bool   `json:"hasFile"`
	Deployed         bool   `json:"deployed"`
	LastUpdate       string `json:"lastUpdate,omitempty"`
	UpdateInProgress bool   `json:"updateInProgress"`
	// Resources counts the cloud resources the state holds.
	Resources int `json:"resources"`
	// Pending are operations an interrupted run left unfinished.
	Pending []engine.PendingOperation `json:"pending,omitempty"`
	// Alarms says whom the region's alarms reach; nil when nothing is deployed.
	Alarms *AlarmReach `json:"alarms,omitempty"`
	// LastUp is the newest up regionctl recorded (the ledger: who, when, commit, and
	// whether the working tree's region file is the one it applied); nil when none.
	LastUp *HistoryEntry `json:"lastUp,omitempty"`
	// Exceptions are the region file's waivers and allowances; nil when it has none
	// (or no file).
	Exceptions *Exceptions `json:"exceptions,omitempty"`
	// Drift is the last drift check (regionctl drift), from the stack's tag; nil when
	// the region was never checked.
	Drift *drift.Last `json:"drift,omitempty"`
	Err   error       `json:"-"`
}

// Status lists every region: those with a file (deployed or not) and the stacks the
// backend holds without one. It reads the backend's stack list once, and needs no
// passphrase; interrupted operations are read from each deployed stack's state.
func (e *Env) Status(ctx context.Context, req EngineRequest) ([]RegionStatus, error) {
	ids, err := spec.RegionIDs(e.RegionsDir)
	if err != nil {
		return nil, err
	}
	s, _, err := e.engineSession(ctx, EngineRequest{StateURL: req.StateURL, Rehearse: req.Rehearse, Regions: nil}, true, false, false)
	if err != nil {
		return nil, err
	}
	defer s.close()
	stacks, err := s.runner.Stacks(ctx)
	if err != nil {
		return nil, err
	}
	byRegion := map[string]engine.StackSummary{}
	for _, st := range stacks {
		byRegion[st.Region] = st
	}
	names := append([]string(nil), ids...)
	for id := range byRegion {
		if !slices.Contains(names, id) {
			names = append(names, id)
		}
	}
	if len(req.Regions) > 0 {
		names = slices.DeleteFunc(names, func(id string) bool { return !slices.Contains(req.Regions, id) })
	}
	sort.Strings(names)
	out := make([]RegionStatus, len(names))
	files := map[string]*spec.Region{}
	if regions, err := spec.LoadDir(e.RegionsDir); err == nil { // a broken file: validate says why
		for _, r := range regions {
			files[r.Region] = r
		}
	}
	for i, id := range names {
		st, deployed := byRegion[id]
		out[i] = RegionStatus{Region: id, HasFile: slices.Contains(ids, id), Deployed: deployed && st.Resources > 0,
			LastUpdate: st.LastUpdate, UpdateInProgress: st.UpdateInProgress, Err: st.Err}
		if r := files[id]; r != nil {
			out[i].Exceptions = exceptionsOf(r, e.Now())
		}
	}
	engine.EachRegion(ctx, len(names), max(req.Parallel, engine.DefaultParallel()), func(i int) {
		st, deployed := byRegion[names[i]]
		if !deployed || st.Err != nil {
			return
		}
		state, err := st.State, error(nil)
		if state == nil { // the listing did not read it (not a file:// backend)
			var read engine.State
			read, err = s.runner.State(ctx, &spec.Region{Region: names[i]})
			state = &read
		}
		if err != nil {
			out[i].Err = err
			return
		}
		out[i].Pending, out[i].Resources = state.PendingOperations(), state.Managed()
		out[i].Deployed = out[i].Deployed || out[i].Resources > 0 || len(out[i].Pending) > 0
		if out[i].Deployed {
			out[i].Alarms = alarmReach(*state)
			out[i].LastUp = e.lastUp(ctx, s, names[i])
			out[i].Drift = driftOf(ctx, s.runner, names[i])
		}
	}, nil)
	return out, nil
}

// Exceptions counts a region file's waivers and allowances and when the next expires.
type Exceptions struct {
	Waivers    int `json:"waivers"`
	Allowances int `json:"allowances"`
	// Expired counts those past their day; NextExpiry is the earliest day of the others.
	Expired    int    `json:"expired"`
	NextExpiry string `json:"nextExpiry,omitempty"`
}

func exceptionsOf(r *spec.Region, now time.Time) *Exceptions {
	if len(r.Waivers)+len(r.Allow) == 0 {
		return nil
	}
	x := &Exceptions{Waivers: len(r.Waivers), Allowances: len(r.Allow)}
	var days []spec.Date
	for _, w := range r.Waivers {
		days = append(days, w.Expires)
	}
	for _, a := range r.Allow {
		days = append(days, a.Expires)
	}
	today := now.UTC().Truncate(24 * time.Hour)
	for _, d := range days {
		t, err := d.Time()
		switch {
		case err != nil:
		case t.Before(today):
			x.Expired++
		case x.NextExpiry == "" || string(d) < x.NextExpiry:
			x.NextExpiry = string(d)
		}
	}
	return x
}

// Outputs returns a deployed region's stack outputs; a region whose file is gone is
// read from its stack.
func (e *Env) Outputs(ctx context.Context, req EngineRequest) (map[string]any, error) {
	s, _, err := e.engineSession(ctx, req, false, true, false)
	if err != nil {
		return nil, err
	}
	defer s.close()
	out, err := s.runner.Outputs(ctx, s.regions[0])
	if err == nil && len(out) == 0 {
		// A stack a preview created, never applied.
		return nil, &engine.NotDeployedError{Region: s.regions[0].Region, Backend: s.backend.URL}
	}
	return out, err
}

// lastUp is the newest ledger entry of a region's history; an unreadable history leaves
// it unknown rather than failing the overview.
func (e *Env) lastUp(ctx context.Context, s *session, id string) *HistoryEntry {
	updates, err := s.runner.History(ctx, &spec.Region{Region: id})
	if err != nil {
		return nil
	}
	for _, h := range historyEntries(updates, FileHash(filepath.Join(e.RegionsDir, id+".yaml"))) {
		if h.Ledger != nil && h.Kind == "update" {
			return &h
		}
	}
	return nil
}
