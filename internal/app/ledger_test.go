package app

import (
	"strconv"
	"testing"

	"github.com/regionctl/regionctl/internal/engine"
)

const (
	commitA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	commitB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	commitC = "cccccccccccccccccccccccccccccccccccccccc"
	hashA   = "sha256:0a0a"
	hashB   = "sha256:0b0b"
)

func TestLedgerLineRoundTrips(t *testing.T) {
	for _, l := range []LedgerEntry{
		{Op: LedgerUp, Commit: commitA, File: hashA, By: "Jane Doe <jane@example.com>"},
		{Op: LedgerUp, Commit: commitA, Dirty: true, File: hashA, By: "ci-bot (GitHub Actions)"},
		{Op: LedgerUp, Commit: NoCommit, File: hashA, By: "jane"},
		{Op: LedgerRollback, Commit: commitA, File: hashA, From: commitB, By: "Jane by=Doe <j@x>"},
	} {
		for _, msg := range []string{l.String(), strconv.Quote(l.String())} { // as given, as the backend keeps it
			got, ok := ParseLedger(msg)
			if !ok || got != l {
				t.Errorf("ParseLedger(%q) = %+v, %v; want %+v", msg, got, ok, l)
			}
		}
	}
	if got := (LedgerEntry{Op: LedgerUp, Commit: commitA, Dirty: true, File: hashA, By: "Jane"}).String(); got != "regionctl up: commit="+commitA+" dirty file=sha256:0a0a by=Jane" {
		t.Errorf("line = %q", got)
	}
}

func TestLedgerIgnoresOtherMessages(t *testing.T) {
	for _, msg := range []string{
		"", "Update", "pulumi up from a laptop", "regionctl", "regionctl up", "regionctl up: by=jane",
		"regionctl up: file=sha256:00 by=jane", "regionctlup: commit=a file=b by=c", "regionctl u p: commit=a file=b by=c",
	} {
		if l, ok := ParseLedger(msg); ok {
			t.Errorf("ParseLedger(%q) = %+v, want not regionctl's", msg, l)
		}
	}
	// A later regionctl may add fields; this one still reads what it knows.
	l, ok := ParseLedger("regionctl up: commit=" + commitA + " stage=data file=" + hashA + " by=jane")
	if !ok || l.Commit != commitA || l.File != hashA || l.By != "jane" {
		t.Errorf("with an unknown field: %+v, %v", l, ok)
	}
}

func update(version int, result string, l *LedgerEntry) engine.Update {
	u := engine.Update{Version: version, Kind: "update", Result: result, StartTime: "t"}
	if l != nil {
		u.Message = l.String()
	}
	return u
}

func up(commit, file string) *LedgerEntry {
	return &LedgerEntry{Op: LedgerUp, Commit: commit, File: file, By: "jane"}
}

func TestLastGood(t *testing.T) {
	dirtyC := up(commitC, hashB)
	dirtyC.Dirty = true
	rollbackToA := &LedgerEntry{Op: LedgerRollback, Commit: commitA, File: hashA, From: commitB, By: "jane"}
	for _, tt := range []struct {
		name           string
		history        []engine.Update // newest first
		deployed, good int             // versions; 0: none
	}{
		{"the up before the latest", []engine.Update{update(2, "succeeded", up(commitB, hashB)), update(1, "succeeded", up(commitA, hashA))}, 2, 1},
		{"a failed latest up is what is deployed", []engine.Update{update(3, "failed", up(commitB, hashB)), update(2, "succeeded", up(commitB, hashA)), update(1, "succeeded", up(commitA, hashA))}, 3, 2},
		{"re-runs of the same commit are skipped", []engine.Update{update(3, "succeeded", up(commitB, hashB)), update(2, "succeeded", up(commitB, hashB)), update(1, "succeeded", up(commitA, hashA))}, 3, 1},
		{"failed, dirty and foreign updates are skipped", []engine.Update{
			update(6, "succeeded", up(commitB, hashB)),
			update(5, "succeeded", nil),
			{Version: 4, Kind: "refresh", Result: "succeeded", Message: up(commitC, hashA).String()},
			update(3, "succeeded", dirtyC),
			update(2, "failed", up(commitC, hashA)),
			update(1, "succeeded", up(commitA, hashA)),
		}, 6, 1},
		{"after a rollback, the way back is the commit rolled back from", []engine.Update{update(3, "succeeded", rollbackToA), update(2, "succeeded", up(commitB, hashB)), update(1, "succeeded", up(commitA, hashA))}, 3, 2},
		{"only one commit", []engine.Update{update(2, "succeeded", up(commitA, hashA)), update(1, "succeeded", up(commitA, hashA))}, 2, 0},
		{"nothing by regionctl", []engine.Update{update(1, "succeeded", nil)}, 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			deployed, good, err := LastGood(historyEntries(tt.history, hashA))
			version := func(h *HistoryEntry) int {
				if h == nil {
					return 0
				}
				return h.Version
			}
			if version(deployed) != tt.deployed || version(good) != tt.good {
				t.Errorf("deployed %d, good %d; want %d, %d", version(deployed), version(good), tt.deployed, tt.good)
			}
			if (err != nil) != (tt.good == 0) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestHistoryComparesTheWorkingTreeFile(t *testing.T) {
	got := historyEntries([]engine.Update{update(2, "succeeded", up(commitB, hashB)), update(1, "succeeded", up(commitA, hashA)), update(0, "succeeded", nil)}, hashA)
	if got[0].WorkingTree != FileDiffers || got[1].WorkingTree != FileMatches || got[2].WorkingTree != "" || got[2].ByRegionctl() {
		t.Errorf("working tree: %q %q %q", got[0].WorkingTree, got[1].WorkingTree, got[2].WorkingTree)
	}
	if gone := historyEntries([]engine.Update{update(1, "succeeded", up(commitA, hashA))}, ""); gone[0].WorkingTree != FileMissing {
		t.Errorf("no file: %q", gone[0].WorkingTree)
	}
}
