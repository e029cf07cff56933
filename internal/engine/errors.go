package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
)

// CancelledError is an operation interrupted by the user (Ctrl-C).
type CancelledError struct {
	Region string
	Op     Operation
	// Pending are the operations the interrupt left unfinished in the state.
	Pending []PendingOperation
}

func (e *CancelledError) Error() string {
	op := string(e.Op)
	if op == "" {
		op = "operation"
	}
	if len(e.Pending) > 0 {
		return fmt.Sprintf("region %q: %s cancelled; %s: run `regionctl refresh %s` to check %s against the cloud and clear %s",
			e.Region, op, pendingSummary(e.Pending), e.Region, plural(len(e.Pending), "it", "them"), plural(len(e.Pending), "it", "them"))
	}
	return fmt.Sprintf("region %q: %s cancelled; the engine stopped cleanly and the state is consistent: run it again to finish", e.Region, op)
}

// Unwrap makes errors.Is(err, context.Canceled) hold.
func (e *CancelledError) Unwrap() error { return context.Canceled }

// PendingError is a region whose state holds operations an earlier run was interrupted
// in: the cloud may hold a resource the state does not know, so nothing is applied
// until a refresh has looked.
type PendingError struct {
	Region  string
	Pending []PendingOperation
}

func (e *PendingError) Error() string {
	return fmt.Sprintf("region %q: %s by an earlier run; run `regionctl refresh %s` to check %s against the cloud and clear %s, then run this again",
		e.Region, pendingSummary(e.Pending), e.Region, plural(len(e.Pending), "it", "them"), plural(len(e.Pending), "it", "them"))
}

// pendingSummary names interrupted operations: "2 operations were interrupted
// (creating aws:sqs/queue:Queue queue-events, ...)".
func pendingSummary(ops []PendingOperation) string {
	names := make([]string, 0, len(ops))
	for i, op := range ops {
		if i == 3 {
			names = append(names, fmt.Sprintf("and %d more", len(ops)-3))
			break
		}
		names = append(names, fmt.Sprintf("%s %s %s", op.Op, op.Type, op.Name))
	}
	return fmt.Sprintf("%d %s interrupted (%s)", len(ops), plural(len(ops), "operation was", "operations were"), strings.Join(names, ", "))
}

// LockedError is an operation refused because another update holds the region's lock.
type LockedError struct {
	Region  string
	Backend string
}

func (e *LockedError) Error() string {
	fix := "`pulumi cancel` on that stack"
	if !IsCloudBackend(e.Backend) {
		fix = fmt.Sprintf("deleting its lock under %s/.pulumi/locks/organization/%s/%s/", redact(e.Backend), Project, e.Region)
	}
	return fmt.Sprintf("region %q is being changed by another run (the state backend holds its lock); "+
		"wait for that run to finish, or if it died, release the lock by %s", e.Region, fix)
}

// CorruptStateError is a state file the engine cannot read.
type CorruptStateError struct {
	Region string
	// File is the state file (a path, or a URL for a bucket backend).
	File string
}

func (e *CorruptStateError) Error() string {
	return fmt.Sprintf("region %q: the state file %s is corrupt (empty or not valid JSON); restore the last good copy from the backend's backups "+
		"(%s.bak next to it, or the newest *.checkpoint.json under .pulumi/history/%s/%s/), then run `regionctl refresh %s`",
		e.Region, e.File, filepath.Base(e.File), Project, e.Region, e.Region)
}

// NotDeployedError is a region the backend holds no stack for.
type NotDeployedError struct {
	Region  string
	Backend string
}

func (e *NotDeployedError) Error() string {
	return fmt.Sprintf("region %q is not deployed in %s; run `regionctl up %s` first (or check --state and PULUMI_BACKEND_URL)", e.Region, redact(e.Backend), e.Region)
}

// EngineError is an engine failure with the engine's own error diagnostics.
type EngineError struct {
	Region      string
	Diagnostics []string
	Err         error
}

func (e *EngineError) Error() string {
	if len(e.Diagnostics) == 0 {
		return fmt.Sprintf("region %q: %s", e.Region, oneLine(e.Err))
	}
	return fmt.Sprintf("region %q: %s", e.Region, strings.Join(e.Diagnostics, "; "))
}

func (e *EngineError) Unwrap() error { return e.Err }

// Detail is everything the engine printed, for --verbose.
func (e *EngineError) Detail() string { return Detail(e.Err) }

// Detail is the engine's full output behind err, when it has one, for --verbose.
func Detail(err error) string {
	var d interface{ Detail() string }
	if errors.As(err, &d) {
		return d.Detail()
	}
	if s := err.Error(); strings.Contains(s, "\nstderr: ") {
		return s
	}
	return ""
}

// A self-managed backend lets a preview read the state without the lock, so a preview
// racing another run's write can read a half-written checkpoint. That is another run
// at work when the lock is held: wait and read again. Without a lock, it is corrupt.
const (
	tornStateRetries = 3
	tornStateWait    = time.Second
)

// noStack is the engine's word for a stack the backend does not hold; it is matched
// in the message because the engine's error may come wrapped.
var noStack = regexp.MustCompile(`no stack named .* found`)

func isNoStack(err error) bool { return err != nil && noStack.MatchString(err.Error()) }

func isTornState(err error) bool {
	return err != nil && strings.Contains(err.Error(), "failed to load checkpoint")
}

// tornState decides what an unreadable checkpoint means: another run's write in flight
// (its lock is held), or a corrupt file.
func (a *Automation) tornState(regionID string) error {
	dir, ok := localDir(a.Backend.URL)
	if !ok {
		return &CorruptStateError{Region: regionID, File: strings.TrimRight(redact(a.Backend.URL), "/") + "/" + checkpointPath(regionID)}
	}
	locks, _ := os.ReadDir(filepath.Join(dir, ".pulumi", "locks", "organization", Project, regionID))
	if len(locks) > 0 {
		return &LockedError{Region: regionID, Backend: a.Backend.URL}
	}
	return &CorruptStateError{Region: regionID, File: filepath.Join(dir, filepath.FromSlash(checkpointPath(regionID)))}
}

// checkpointPath is where a self-managed backend keeps a stack's state, relative to its root.
func checkpointPath(regionID string) string {
	return ".pulumi/stacks/" + Project + "/" + regionID + ".json"
}

// localDir is the folder of a file:// backend.
func localDir(u string) (string, bool) {
	if !strings.HasPrefix(u, "file://") {
		return "", false
	}
	return strings.TrimPrefix(u, "file://"), true
}

// explain turns engine failures into one line a user can act on; the engine's own
// output stays reachable through Detail (--verbose).
func (a *Automation) explain(regionID string, op Operation, err error) error {
	var ce *CancelledError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ce):
		return err
	case errors.Is(err, context.Canceled):
		return &CancelledError{Region: regionID, Op: op}
	case auto.IsConcurrentUpdateError(err):
		return &LockedError{Region: regionID, Backend: a.Backend.URL}
	case isNoStack(err):
		return &NotDeployedError{Region: regionID, Backend: a.Backend.URL}
	case isTornState(err):
		return a.tornState(regionID)
	case strings.Contains(err.Error(), "incorrect passphrase"):
		return &EngineError{Region: regionID, Err: err, Diagnostics: []string{
			"PULUMI_CONFIG_PASSPHRASE does not decrypt this stack's secrets; use the passphrase the stack was created with (the team's secret store)"}}
	case strings.Contains(err.Error(), "signal: killed"):
		return &EngineError{Region: regionID, Err: err, Diagnostics: []string{
			"the Pulumi engine was killed before it finished; run `regionctl status` to see operations it left unfinished, and `regionctl refresh " + regionID + "` to clear them"}}
	}
	if strings.HasPrefix(err.Error(), fmt.Sprintf("region %q", regionID)) {
		return err // already says which region
	}
	return &EngineError{Region: regionID, Err: err}
}

// oneLine is the message of an Automation API error without its dump of the CLI's
// code, stdout and stderr: the engine's last "error:" line, else the first line.
func oneLine(err error) string {
	s := err.Error()
	head, rest, dumped := strings.Cut(s, "\ncode: ")
	if !dumped {
		return strings.TrimSpace(s)
	}
	if _, stderr, ok := strings.Cut(rest, "\nstderr: "); ok {
		if msg := lastErrorLine(stderr); msg != "" {
			return msg
		}
	}
	return strings.TrimSpace(head)
}

// lastErrorLine is the last line of CLI output that starts with "error: ", without it.
func lastErrorLine(out string) string {
	msg := ""
	for _, line := range strings.Split(out, "\n") {
		if after, ok := strings.CutPrefix(strings.TrimSpace(line), "error: "); ok {
			msg = after
		}
	}
	return msg
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
