package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/regionctl/regionctl/internal/policy"
	"github.com/regionctl/regionctl/internal/rollout"
	"github.com/regionctl/regionctl/internal/spec"
)

// PolicyDeniedError is a change the guardrails refuse; nothing of it was applied.
type PolicyDeniedError struct {
	Region string
	// Denied counts the blocking findings; Unwaivable those no waiver can accept
	// (blast.*, policy.*), whose way past is an allowance or a fix.
	Denied, Unwaivable int
}

func (e *PolicyDeniedError) Error() string {
	them := plural(e.Denied, "it", "them")
	how := fmt.Sprintf("fix %s, or waive %s in the region file (README: Guardrails)", them, them)
	switch {
	case e.Unwaivable == e.Denied:
		how = fmt.Sprintf("undo the change, or allow %s by name in the region file (allow:, README: Guardrails)", them)
	case e.Unwaivable > 0:
		how = "fix them; waive the waivable ones, and allow replacements and deletions by name (allow:, README: Guardrails)"
	}
	return fmt.Sprintf("region %q: refused by the guardrails (nothing applied): %d %s (listed above); %s",
		e.Region, e.Denied, plural(e.Denied, "finding denies", "findings deny"), how)
}

// deniedBy is the error for a report that blocks, nil when it does not.
func deniedBy(rep policy.Report) error {
	e := &PolicyDeniedError{Region: rep.Region}
	for _, f := range rep.Findings {
		if !f.Blocks() {
			continue
		}
		e.Denied++
		if r, ok := policy.Lookup(f.Rule); ok && r.Unwaivable != "" {
			e.Unwaivable++
		}
	}
	if e.Denied == 0 {
		return nil
	}
	return e
}

// ConfigError is a regions folder that cannot be read as one (a missing region file,
// no jurisdictions.yaml): invalid configuration, like spec.Problems.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// ChangesPendingError is a region with changes where --expect-no-changes was given.
type ChangesPendingError struct{ Region string }

func (e *ChangesPendingError) Error() string {
	return fmt.Sprintf("region %q: changes are pending and --expect-no-changes was given; nothing applied", e.Region)
}

// GateError is a review that fired gates --fail-on asked for (review.Gates).
type GateError struct{ Gates []string }

func (e *GateError) Error() string {
	return fmt.Sprintf("--fail-on: the change %s (see the report above; an allowance in the region file accepts a data store's replacement or deletion)", strings.Join(gateWords(e.Gates), " and "))
}

func gateWords(gates []string) []string {
	words := map[string]string{"replace": "replaces resources", "delete": "deletes resources", "policy": "is refused by the guardrails"}
	out := make([]string, len(gates))
	for i, g := range gates {
		out[i] = words[g]
	}
	return out
}

// NotConfirmedError is a change the person at the terminal declined (or interrupted
// at the question); nothing was changed.
type NotConfirmedError struct{ What string }

func (e *NotConfirmedError) Error() string { return e.What + " not confirmed; nothing was changed" }

// Unwrap makes a declined change count as cancelled.
func (e *NotConfirmedError) Unwrap() error { return context.Canceled }

// UsageError is a command line that cannot run as given.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// ProtectedError is a destroy refused because protected resources would go.
type ProtectedError struct {
	Region    string
	Resources []string
}

func (e *ProtectedError) Error() string {
	names := e.Resources
	more := ""
	if len(names) > 5 {
		names, more = names[:5], fmt.Sprintf(" and %d more", len(e.Resources)-5)
	}
	return fmt.Sprintf("region %q: destroy refused: %d protected resources (%s%s) would be deleted; "+
		"pass --unprotect to remove their protection first", e.Region, len(e.Resources), strings.Join(names, ", "), more)
}

// Exit codes of the CLI contract.
const (
	ExitOK              = 0
	ExitFailure         = 1
	ExitCancelled       = 2
	ExitPolicyViolation = 3
	ExitInvalidConfig   = 4
	ExitChangesPending  = 5
	// ExitGate is a --fail-on replace or delete gate that fired (a policy gate exits 3).
	ExitGate = 6
	// ExitDrift is a drift check that found the cloud departing from the state.
	ExitDrift = 7
)

// ExitCode maps an error (possibly several joined) to the exit code that says most:
// cancelled, then policy, then invalid configuration, then failure, then a gate, then
// drift found, then changes pending. It is the only place a failure becomes a number.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	rank := map[int]int{ExitOK: 0, ExitChangesPending: 1, ExitDrift: 2, ExitGate: 3, ExitFailure: 4, ExitInvalidConfig: 5, ExitPolicyViolation: 6, ExitCancelled: 7}
	best := ExitOK
	for _, e := range leaves(err) {
		if c := leafCode(e); rank[c] > rank[best] {
			best = c
		}
	}
	return best
}

func leafCode(err error) int {
	var problems spec.Problems
	var config *ConfigError
	var gate *GateError
	var denied *PolicyDeniedError
	var pending *ChangesPendingError
	var preflight *PreflightFailedError
	var stopped *rollout.StoppedError
	var rollback *RollbackFailedError
	var drifted *DriftFoundError
	switch {
	case errors.As(err, &rollback) && rollback.Code > 0:
		return rollback.Code
	case errors.Is(err, context.Canceled):
		return ExitCancelled
	case errors.As(err, &denied):
		return ExitPolicyViolation
	case errors.As(err, &problems), errors.As(err, &config), errors.As(err, &preflight):
		return ExitInvalidConfig
	case errors.As(err, &pending):
		return ExitChangesPending
	case errors.As(err, &stopped):
		// A rollout stopped by a failed or unhealthy wave (or one that went through
		// with tolerated failures) is a failure; its regions' own errors rank with it.
		return ExitFailure
	case errors.As(err, &drifted):
		return ExitDrift
	case errors.As(err, &gate):
		if slices.Contains(gate.Gates, "policy") {
			return ExitPolicyViolation
		}
		return ExitGate
	}
	return ExitFailure
}

// leaves are the errors errors.Join put together, each whole.
func leaves(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leaves(e)...)
		}
		return out
	}
	return []error{err}
}

// Leaves are the separate failures of err, to print one line each.
func Leaves(err error) []error { return leaves(err) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
