package app

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/regionctl/regionctl/internal/source"
)

// The ledger: every up regionctl makes gives the engine a one-line update message, and
// the backend keeps it in the stack's history with the update's times, result and
// change counts. Nothing is kept on the laptop, so a fresh clone with the backend URL
// and passphrase reads the same ledger (`regionctl history`). The line is for people
// and for the parser below alike:
//
//	regionctl up: commit=<40-hex sha> file=sha256:<64-hex> by=<who>
//	regionctl up: commit=<sha> dirty file=sha256:<hex> by=<who>
//	regionctl rollback: commit=<sha> file=sha256:<hex> from=<sha> by=<who>
//
// commit is the checkout's HEAD ("none" outside git); dirty says the region file or
// the program (*.go, go.mod, go.sum) differed from it; file is the sha256 of the region
// file's bytes as applied; from (rollback only) is the commit deployed before; by is
// the rest of the line: $GITHUB_ACTOR in CI, else git's user.name <user.email>, else
// $USER. Unknown key=value fields are ignored, so the format can grow.

// LedgerPrefix starts every update message regionctl writes.
const LedgerPrefix = "regionctl "

// Ledger operations.
const (
	LedgerUp       = "up"
	LedgerRollback = "rollback"
)

// NoCommit is the commit of an up made outside a git checkout.
const NoCommit = "none"

// Environment a rollback's child regionctl reads: it runs from an exported regions
// folder outside git, so the parent tells it which commit it applies and what it
// rolls back from.
const (
	EnvLedgerCommit = "REGIONCTL_LEDGER_COMMIT"
	EnvLedgerFrom   = "REGIONCTL_LEDGER_ROLLBACK_FROM"
	EnvLedgerBy     = "REGIONCTL_LEDGER_BY"
)

// LedgerEntry is what regionctl records of one up of one region.
type LedgerEntry struct {
	Op     string `json:"op"`
	Commit string `json:"commit"`
	Dirty  bool   `json:"dirty,omitempty"`
	// File is the region file's hash, "sha256:<hex>".
	File string `json:"file"`
	// From is the commit a rollback rolled back from.
	From string `json:"from,omitempty"`
	By   string `json:"by"`
}

// String is the entry as an update message.
func (l LedgerEntry) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s%s: commit=%s", LedgerPrefix, l.Op, orNone(l.Commit))
	if l.Dirty {
		b.WriteString(" dirty")
	}
	fmt.Fprintf(&b, " file=%s", l.File)
	if l.From != "" {
		fmt.Fprintf(&b, " from=%s", l.From)
	}
	fmt.Fprintf(&b, " by=%s", l.By)
	return b.String()
}

// ParseLedger reads an update message; ok is false for one regionctl did not write.
func ParseLedger(msg string) (LedgerEntry, bool) {
	rest, ok := strings.CutPrefix(RecordedMessage(msg), LedgerPrefix)
	if !ok {
		return LedgerEntry{}, false
	}
	op, fields, ok := strings.Cut(rest, ": ")
	if !ok || strings.ContainsAny(op, " =") {
		return LedgerEntry{}, false
	}
	l := LedgerEntry{Op: op}
	if i := strings.Index(" "+fields, " by="); i >= 0 {
		l.By = fields[i+len("by="):]
		fields = fields[:max(i-1, 0)]
	}
	for _, f := range strings.Fields(fields) {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "commit":
			l.Commit = v
		case "dirty":
			l.Dirty = true
		case "file":
			l.File = v
		case "from":
			l.From = v
		}
	}
	if l.Commit == "" || l.File == "" {
		return LedgerEntry{}, false
	}
	return l, true
}

// RecordedMessage is an update message as it was given: the Automation API passes it
// to the CLI as --message=%q, so the backend keeps it Go-quoted.
func RecordedMessage(msg string) string {
	msg = strings.TrimSpace(msg)
	if len(msg) >= 2 && msg[0] == '"' && msg[len(msg)-1] == '"' {
		if m, err := strconv.Unquote(msg); err == nil {
			return m
		}
	}
	return msg
}

// Reproducible reports whether git alone can re-apply the entry: a clean commit.
func (l LedgerEntry) Reproducible() bool { return l.Commit != NoCommit && !l.Dirty }

func orNone(c string) string {
	if c == "" {
		return NoCommit
	}
	return c
}

// FileHash is the ledger's hash of a region file's bytes; "" when it cannot be read.
func FileHash(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// ledger writes the entries of one command's ups: the checkout is read once.
type ledger struct {
	env  *Env
	once sync.Once
	repo *source.Repo
	head string
	by   string
}

func (e *Env) newLedger() *ledger { return &ledger{env: e} }

// message is region's ledger line for an up now.
func (l *ledger) message(region string) string {
	e := l.env
	path := filepath.Join(e.RegionsDir, region+".yaml")
	l.once.Do(func() {
		l.by = e.Getenv(EnvLedgerBy)
		if l.by == "" {
			l.by = Who(e.Getenv, e.RegionsDir)
		}
		if repo, err := source.Open(e.RegionsDir); err == nil {
			if head, err := repo.Head(); err == nil {
				l.repo, l.head = repo, head
			}
		}
	})
	entry := LedgerEntry{Op: LedgerUp, File: FileHash(path), By: l.by}
	if c := e.Getenv(EnvLedgerCommit); c != "" {
		// A rollback's child: an exported commit, its own code.
		entry.Commit = c
		if from := e.Getenv(EnvLedgerFrom); from != "" {
			entry.Op, entry.From = LedgerRollback, from
		}
		return entry.String()
	}
	entry.Commit = orNone(l.head)
	if l.repo != nil {
		rel, err := l.repo.Rel(path)
		dirty, derr := l.repo.Dirty(rel, "*.go", "go.mod", "go.sum")
		entry.Dirty = err != nil || derr != nil || dirty
	}
	return entry.String()
}

// Who names the person (or CI actor) making a change from dir's checkout.
func Who(getenv func(string) string, dir string) string {
	if actor := getenv("GITHUB_ACTOR"); actor != "" {
		return actor + " (GitHub Actions)"
	}
	if repo, err := source.Open(dir); err == nil {
		name, email := repo.Config("user.name"), repo.Config("user.email")
		switch {
		case name != "" && email != "":
			return name + " <" + email + ">"
		case name != "":
			return name
		}
	}
	if u := getenv("USER"); u != "" {
		return u
	}
	return "unknown"
}
