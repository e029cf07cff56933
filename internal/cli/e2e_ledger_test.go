package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/testutil"
)

// End-to-end tests of the ledger, history and rollback: a git repository holding the
// whole module (so a commit's own regionctl can be built), the real Pulumi CLI and the
// rehearsal provider.

// ledgerRepo makes the e2e working directory a git repository of the module's tracked
// files, committed once as main, with a git user the ledger names.
func ledgerRepo(t *testing.T) (*e2e, *testRepo) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go: a rollback builds the commit's regionctl")
	}
	root := testutil.RepoRoot(t) // before newE2E moves to its folder
	e := newE2E(t)
	r := &testRepo{t: t, dir: e.dir}
	r.copyModule(root)
	t.Setenv("GITHUB_ACTOR", "")
	r.git("init", "-q", "-b", "main")
	r.git("config", "user.name", "Ledger Tester")
	r.git("config", "user.email", "ledger@example.com")
	r.commit("A: the fleet")
	return e, r
}

func (r *testRepo) head() string { return strings.TrimSpace(r.git("rev-parse", "HEAD")) }

// historyOf runs `history REGION --json` and returns the region's updates.
func (e *e2e) historyOf(region string) []app.HistoryEntry {
	e.t.Helper()
	out, _ := e.mustRun(nil, ExitOK, "history", region, "--rehearse", "--json")
	var doc struct{ Regions []app.RegionHistory }
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Regions) != 1 {
		e.t.Fatalf("history --json: %v\n%s", err, out)
	}
	return doc.Regions[0].Updates
}

// Two ups at two commits are in the ledger with their commits and file hashes; a
// rollback re-applies the first commit's configuration with its own code, is recorded
// as a rollback, and leaves nothing to change at that commit; a rollback that would
// replace a database is refused by the guardrails of the commit's own regionctl.
func TestE2ERollbackReappliesTheLastGoodCommit(t *testing.T) {
	e, r := ledgerRepo(t)
	fast := []string{"--rehearse", "--yes", "--latency-scale", "0"}
	file := filepath.Join(e.dir, "regions", "eu-west-1.yaml")
	commitA, hashA := r.head(), app.FileHash(file)
	e.mustRun(nil, ExitOK, append([]string{"up", "eu-west-1"}, fast...)...)

	e.edit("eu-west-1", "visibilityTimeoutSeconds: 60", "visibilityTimeoutSeconds: 90")
	r.commit("B: a longer visibility timeout")
	commitB, hashB := r.head(), app.FileHash(file)
	e.mustRun(nil, ExitOK, append([]string{"up", "eu-west-1"}, fast...)...)

	h := e.historyOf("eu-west-1")
	if len(h) != 2 || h[0].Ledger == nil || h[1].Ledger == nil {
		t.Fatalf("history: %+v, want two ups by regionctl", h)
	}
	want := []app.LedgerEntry{
		{Op: app.LedgerUp, Commit: commitB, File: hashB, By: "Ledger Tester <ledger@example.com>"},
		{Op: app.LedgerUp, Commit: commitA, File: hashA, By: "Ledger Tester <ledger@example.com>"},
	}
	for i := range want {
		if *h[i].Ledger != want[i] || h[i].Result != "succeeded" || h[i].Start == "" {
			t.Errorf("history[%d] = %+v %+v, want %+v", i, h[i], *h[i].Ledger, want[i])
		}
	}
	if h[0].Changes.Update != 1 || h[1].Changes.Create < 100 || h[0].WorkingTree != app.FileMatches || h[1].WorkingTree != app.FileDiffers {
		t.Errorf("changes %+v / %+v, working tree %q / %q", h[0].Changes, h[1].Changes, h[0].WorkingTree, h[1].WorkingTree)
	}
	out, _ := e.mustRun(nil, ExitOK, "history", "eu-west-1", "--rehearse")
	if !strings.Contains(out, app.ShortCommit(commitB)) || !strings.Contains(out, shortHash(hashA)) || !strings.Contains(out, "matches") {
		t.Errorf("history table:\n%s", out)
	}

	start := time.Now()
	_, errOut := e.mustRun(nil, ExitOK, append([]string{"rollback", "eu-west-1"}, fast...)...)
	t.Logf("rollback (base build cold): %s", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(errOut, "eu-west-1: rolling back to "+app.ShortCommit(commitA)) || !strings.Contains(errOut, "from "+app.ShortCommit(commitB)) {
		t.Errorf("rollback says:\n%s", errOut)
	}
	r.git("checkout", "-q", commitA)
	e.mustRun(nil, ExitOK, "preview", "eu-west-1", "--rehearse", "--expect-no-changes")
	h = e.historyOf("eu-west-1")
	rolled := app.LedgerEntry{Op: app.LedgerRollback, Commit: commitA, File: hashA, From: commitB, By: "Ledger Tester <ledger@example.com>"}
	if len(h) != 3 || h[0].Ledger == nil || *h[0].Ledger != rolled || h[0].Changes.Update != 1 || h[0].WorkingTree != app.FileMatches {
		t.Fatalf("history after the rollback: %+v, want the rollback to A first", h[0])
	}
	out, _ = e.mustRun(nil, ExitOK, "status", "eu-west-1", "--rehearse")
	if !strings.Contains(out, "Ledger Tester <ledger@example.com> at ") || !strings.Contains(out, app.ShortCommit(commitA)+" (rollback)") || !strings.Contains(out, "  applied  ") {
		t.Errorf("status:\n%s", out)
	}

	// C replaces the database, allowed by C's file; going back would replace it again,
	// and the rolled-back-to commit's file allows no such thing.
	r.git("checkout", "-q", "main")
	e.edit("eu-west-1", "engine: aurora-mysql\n    engineVersion: 8.0.mysql_aurora.3.10.3", "identifier: main-2\n    engine: aurora-postgresql\n    engineVersion: \"16.10\"")
	e.appendRegion("eu-west-1", "allow:\n  - replace: database/main\n    reason: moving to PostgreSQL (CHG-1)\n    expires: "+time.Now().AddDate(0, 0, 20).Format("2006-01-02")+"\n")
	r.commit("C: PostgreSQL")
	e.mustRun(nil, ExitOK, append([]string{"up", "eu-west-1"}, fast...)...)
	start = time.Now()
	_, errOut = e.mustRun(nil, ExitPolicyViolation, append([]string{"rollback", "eu-west-1"}, fast...)...)
	t.Logf("refused rollback (base build cached): %s", time.Since(start).Round(time.Millisecond))
	if !strings.Contains(errOut, "refused by the guardrails") || !strings.Contains(errOut, "rolling back to "+app.ShortCommit(commitA)) {
		t.Errorf("refused rollback says:\n%s", errOut)
	}
	if h = e.historyOf("eu-west-1"); len(h) != 4 || h[0].Ledger == nil || h[0].Ledger.Op != app.LedgerUp {
		t.Errorf("a refused rollback must apply nothing: %+v", h[0])
	}
}

// The ledger lives in the backend: a fresh clone with only the backend URL and the
// passphrase reads the same history, also once the region file is gone; an update
// regionctl did not make (no ledger line) is listed as such.
func TestE2EHistoryFromAFreshCloneWithoutTheFile(t *testing.T) {
	e := newE2E(t)
	t.Setenv("GITHUB_ACTOR", "ci-bot")
	team := e.shared("file://"+t.TempDir(), "team-passphrase")
	e.mustRun(team, ExitOK, "up", "eu-west-1", "--rehearse", "--yes", "--latency-scale", "0")
	e.mustRun(team, ExitOK, "refresh", "eu-west-1", "--rehearse", "--yes")

	e.checkout("clone-b")
	if err := os.Remove(filepath.Join(e.dir, "regions", "eu-west-1.yaml")); err != nil {
		t.Fatal(err)
	}
	out, _ := e.mustRun(team, ExitOK, "history", "eu-west-1", "--rehearse", "--json")
	var doc struct{ Regions []app.RegionHistory }
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Regions) != 1 {
		t.Fatalf("history --json: %v\n%s", err, out)
	}
	h := doc.Regions[0]
	if h.HasFile || len(h.Updates) != 2 {
		t.Fatalf("history from a fresh clone without the file: %+v", h)
	}
	refresh, up := h.Updates[0], h.Updates[1]
	if refresh.Kind != "refresh" || refresh.ByRegionctl() || up.Ledger == nil || up.Ledger.Commit != app.NoCommit ||
		up.Ledger.By != "ci-bot (GitHub Actions)" || up.WorkingTree != app.FileMissing || up.Changes.Create < 100 {
		t.Errorf("updates: %+v / %+v", refresh, up)
	}
	out, _ = e.mustRun(team, ExitOK, "history", "eu-west-1", "--rehearse")
	if !strings.Contains(out, "  refresh  ") || !strings.Contains(out, "no region file in the working tree") {
		t.Errorf("history table:\n%s", out)
	}
}
