package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/manifest"
)

// What the working tree's region file is, next to what an update applied.
const (
	FileMatches = "matches"
	FileDiffers = "differs"
	FileMissing = "no file"
)

// HistoryEntry is one update of a region as the backend's history keeps it, with the
// ledger line regionctl gave it (nil for an update regionctl did not make).
type HistoryEntry struct {
	Version int    `json:"version,omitempty"`
	Kind    string `json:"kind"`
	Start   string `json:"start"`
	End     string `json:"end,omitempty"`
	// Result is succeeded, failed or in-progress.
	Result  string           `json:"result"`
	Changes manifest.Changes `json:"changes"`
	Ledger  *LedgerEntry     `json:"ledger"`
	// Message is the update's message as recorded, the ledger line or another's.
	Message string `json:"message"`
	// WorkingTree compares the region file in the working tree with the one the
	// update applied: matches, differs or no file ("" when the update has no ledger).
	WorkingTree string `json:"workingTree,omitempty"`
}

// ByRegionctl reports whether regionctl made the update (it carries a ledger line).
func (h HistoryEntry) ByRegionctl() bool { return h.Ledger != nil }

// RegionHistory is a region's ledger, newest first.
type RegionHistory struct {
	Region  string         `json:"name"`
	HasFile bool           `json:"hasFile"`
	Updates []HistoryEntry `json:"updates"`
}

// History reads the update history of each named region from the backend (a region
// whose file is gone too), newest first, with each update's ledger line parsed and its
// region file compared with the working tree's.
func (e *Env) History(ctx context.Context, req EngineRequest) ([]RegionHistory, error) {
	s, _, err := e.engineSession(ctx, req, false, true, false)
	if err != nil {
		return nil, err
	}
	defer s.close()
	out := make([]RegionHistory, len(s.regions))
	errs := make([]error, len(s.regions))
	engine.EachRegion(ctx, len(s.regions), engine.DefaultParallel(), func(i int) {
		out[i], errs[i] = e.regionHistory(ctx, s, i)
	}, nil)
	return out, errors.Join(errs...)
}

func (e *Env) regionHistory(ctx context.Context, s *session, i int) (RegionHistory, error) {
	r := s.regions[i]
	h := RegionHistory{Region: r.Region, HasFile: !s.orphans[r.Region], Updates: []HistoryEntry{}}
	updates, err := s.runner.History(ctx, r)
	if err != nil {
		return h, err
	}
	h.Updates = historyEntries(updates, FileHash(filepath.Join(e.RegionsDir, r.Region+".yaml")))
	return h, nil
}

// historyEntries parses the ledger lines of updates and compares each applied file's
// hash with working ("" when the working tree has no such file).
func historyEntries(updates []engine.Update, working string) []HistoryEntry {
	out := make([]HistoryEntry, 0, len(updates))
	for _, u := range updates {
		h := HistoryEntry{Version: u.Version, Kind: u.Kind, Start: u.StartTime, End: u.EndTime, Result: u.Result, Changes: u.Changes, Message: RecordedMessage(u.Message)}
		if l, ok := ParseLedger(u.Message); ok {
			h.Ledger = &l
			switch {
			case working == "":
				h.WorkingTree = FileMissing
			case working == l.File:
				h.WorkingTree = FileMatches
			default:
				h.WorkingTree = FileDiffers
			}
		}
		out = append(out, h)
	}
	return out
}

// LastGood picks what a rollback re-applies from a region's history (newest first).
// The deployed configuration is the newest update regionctl made, whether it succeeded
// or failed (a failed up leaves part of itself in the cloud). The last good one is the
// newest update before it that succeeded and that git can reproduce (a clean commit,
// not a dirty checkout), whose commit or region file differs from the deployed one: a
// re-run of the same commit is not a way back. Updates regionctl did not make, and
// refreshes and destroys, are passed over. Rolling back twice returns to where it began.
func LastGood(history []HistoryEntry) (deployed, good *HistoryEntry, err error) {
	for i := range history {
		h := &history[i]
		if h.Kind != "update" || h.Ledger == nil {
			continue
		}
		if deployed == nil {
			deployed = h
			continue
		}
		if h.Result == "succeeded" && h.Ledger.Reproducible() &&
			(h.Ledger.Commit != deployed.Ledger.Commit || h.Ledger.File != deployed.Ledger.File) {
			return deployed, h, nil
		}
	}
	if deployed == nil {
		return nil, nil, errors.New("no update made by regionctl is recorded, so there is no commit to go back to: name one with --to REF")
	}
	return deployed, nil, fmt.Errorf("no earlier successful up of another commit is recorded (deployed: %s): name one with --to REF", ShortCommit(deployed.Ledger.Commit))
}

// ShortCommit is a commit id as history shows it.
func ShortCommit(c string) string { return c[:min(len(c), 12)] }
