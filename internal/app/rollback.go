package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/source"
)

// RollbackRequest asks to re-apply an earlier commit's configuration to regions.
type RollbackRequest struct {
	Regions []string
	// To is the ref to re-apply; "" means each region's last good commit (LastGood).
	To       string
	StateURL string
	Rehearse bool
	// LatencyScale is passed on to the rehearsal when LatencySet.
	LatencyScale float64
	LatencySet   bool
	Parallel     int
	Yes          bool
	JSON         bool
	// CacheDir keeps the builds of commits ("" : .regionctl/cache at the top).
	CacheDir string
	// The streams the child regionctl runs with: on a terminal it previews and asks there.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Planned is told what each group of regions goes back to, before it runs.
	Planned func(RollbackPlan)
}

// RollbackPlan is one run of an earlier commit's regionctl: the regions it re-applies,
// the commit, what was deployed before, and how its binary was had.
type RollbackPlan struct {
	Regions []string
	Commit  string
	// From is the commit deployed now (the newest ledger entry), NoCommit if none.
	From string
	// Deployed and Target are the ledger's entries of both, when it has them.
	Deployed, Target map[string]*HistoryEntry
	Build            string
}

// RollbackFailedError is a rollback whose child regionctl up ended with a non-zero
// exit code; its own errors are on stderr already, and its code is the command's.
type RollbackFailedError struct {
	Regions []string
	Commit  string
	Code    int
}

func (e *RollbackFailedError) Error() string {
	what := "failed"
	switch e.Code {
	case ExitPolicyViolation:
		what = "was refused by the guardrails (nothing applied; allow the change in the commit's region file, or roll back to another commit with --to)"
	case ExitCancelled:
		what = "was not confirmed or was cancelled"
	}
	return fmt.Sprintf("rollback of %s to %s %s (the up of that commit's regionctl exited %d; its errors are above)",
		strings.Join(e.Regions, ", "), ShortCommit(e.Commit), what, e.Code)
}

// Rollback re-applies, to each named region, the configuration of an earlier commit
// (req.To, else the region's last good commit from the ledger) with that commit's own
// code: regionctl is built from the commit (cached by commit, like diff's base) and its
// own `up` runs on the commit's region files, exported from git, against the same
// backend. It previews, checks its guardrails (a data store's replacement or deletion
// is refused unless the commit's file allows it) and asks on a terminal, like any up,
// and records the rollback in the ledger. Only the named regions are touched.
func (e *Env) Rollback(ctx context.Context, req RollbackRequest) error {
	if !req.Yes && !e.canPrompt() {
		return &UsageError{Msg: "rollback changes real resources: pass --yes to confirm when not on a terminal"}
	}
	repo, err := source.Open(e.RegionsDir)
	if err != nil {
		return &UsageError{Msg: "rollback re-applies a commit from git: " + err.Error()}
	}
	rel, err := repo.Rel(e.RegionsDir)
	if err != nil {
		return &UsageError{Msg: err.Error()}
	}
	to := ""
	if req.To != "" {
		if to, err = repo.Resolve(req.To); err != nil {
			return &UsageError{Msg: err.Error()}
		}
	}
	histories, err := e.History(ctx, EngineRequest{Regions: req.Regions, StateURL: req.StateURL, Rehearse: req.Rehearse})
	if err != nil {
		return err
	}
	backend, err := engine.ResolveBackend(req.StateURL, req.Rehearse, e.Getenv)
	if err != nil {
		return &UsageError{Msg: err.Error()}
	}
	plans, err := rollbackPlans(histories, to)
	if err != nil {
		return err
	}
	by := Who(e.Getenv, e.RegionsDir)
	var errs []error
	for _, p := range plans {
		if err := e.rollbackTo(ctx, repo, rel, req, p, backend, by); err != nil {
			errs = append(errs, err)
			if ctx.Err() != nil {
				break
			}
		}
	}
	return errors.Join(errs...)
}

// rollbackPlans groups the regions by the commit they go back to and the one they
// come from (the child's ledger line names both).
func rollbackPlans(histories []RegionHistory, to string) ([]RollbackPlan, error) {
	var plans []RollbackPlan
	var errs []error
	for _, h := range histories {
		deployed, good, err := LastGood(h.Updates)
		commit := to
		if to == "" {
			if err != nil {
				errs = append(errs, fmt.Errorf("region %q: %w", h.Region, err))
				continue
			}
			commit = good.Ledger.Commit
		}
		from := NoCommit
		if deployed != nil {
			from = deployed.Ledger.Commit
		}
		i := slices.IndexFunc(plans, func(p RollbackPlan) bool { return p.Commit == commit && p.From == from })
		if i < 0 {
			plans = append(plans, RollbackPlan{Commit: commit, From: from, Deployed: map[string]*HistoryEntry{}, Target: map[string]*HistoryEntry{}})
			i = len(plans) - 1
		}
		plans[i].Regions = append(plans[i].Regions, h.Region)
		plans[i].Deployed[h.Region] = deployed
		if to == "" {
			plans[i].Target[h.Region] = good
		}
	}
	return plans, errors.Join(errs...)
}

// rollbackTo builds the commit's regionctl and runs its up on the commit's region files.
func (e *Env) rollbackTo(ctx context.Context, repo *source.Repo, rel string, req RollbackRequest, p RollbackPlan, b engine.Backend, by string) error {
	dir, err := os.MkdirTemp("", "regionctl-rollback-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := repo.Export(p.Commit, rel, dir); err != nil {
		return err
	}
	for _, id := range p.Regions {
		if _, err := os.Stat(filepath.Join(dir, id+".yaml")); err != nil {
			return &UsageError{Msg: fmt.Sprintf("region %q: %s/%s.yaml does not exist at %s, so there is nothing to go back to there (name another commit with --to)", id, rel, id, ShortCommit(p.Commit))}
		}
	}
	bin, how, err := baseBinary(ctx, repo, p.Commit, req.CacheDir)
	if err != nil {
		return err
	}
	p.Build = strings.Replace(how, "the base's own code", "that commit's own code", 1)
	if req.Planned != nil {
		req.Planned(p)
	}
	args := append([]string{"up"}, p.Regions...)
	args = append(args, "--regions-dir", dir)
	if req.Yes {
		args = append(args, "--yes")
	}
	if req.Rehearse {
		args = append(args, "--rehearse")
		if req.LatencySet {
			args = append(args, "--latency-scale", strconv.FormatFloat(req.LatencyScale, 'f', -1, 64))
		}
	} else {
		args = append(args, "--state", b.URL)
	}
	if req.Parallel > 0 {
		args = append(args, "--parallel", strconv.Itoa(req.Parallel))
	}
	if req.JSON {
		args = append(args, "--json")
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	// Ctrl-C reaches the child as it reaches any up: it stops its engine cleanly; it
	// is never killed mid-update.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.Stdin, cmd.Stdout, cmd.Stderr = req.Stdin, req.Stdout, req.Stderr
	cmd.Env = append(os.Environ(), EnvLedgerCommit+"="+p.Commit, EnvLedgerFrom+"="+p.From, EnvLedgerBy+"="+by)
	if b.Passphrase != "" {
		cmd.Env = append(cmd.Env, "PULUMI_CONFIG_PASSPHRASE="+b.Passphrase)
	}
	if pulumi, err := engine.PulumiPath(); err == nil {
		// The same Pulumi CLI: the commit's binary lives in the build cache, not in bin/.
		cmd.Env = append(cmd.Env, "PATH="+filepath.Dir(pulumi)+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return &RollbackFailedError{Regions: p.Regions, Commit: p.Commit, Code: exit.ExitCode()}
	}
	if err != nil {
		return fmt.Errorf("running the regionctl of %s: %w", ShortCommit(p.Commit), err)
	}
	return nil
}
