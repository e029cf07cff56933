package app

import (
	"context"
	"errors"
	"testing"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/spec"
)

// One ranked mapping: cancelled over policy over invalid configuration over failure
// over changes pending, through errors joined from several regions.
func TestExitCode(t *testing.T) {
	denied := &PolicyDeniedError{Region: "eu-west-1", Denied: 1}
	pending := &ChangesPendingError{Region: "eu-west-1"}
	cancelled := &engine.CancelledError{Region: "eu-west-1", Op: engine.Up}
	for _, tt := range []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, ExitOK},
		{"failure", errors.New("boom"), ExitFailure},
		{"problems", spec.Problems{{Path: "regions/x.yaml", Line: 1, Message: "bad"}}, ExitInvalidConfig},
		{"missing file", &ConfigError{Err: errors.New("no region file")}, ExitInvalidConfig},
		{"denied", denied, ExitPolicyViolation},
		{"pending", pending, ExitChangesPending},
		{"cancelled", cancelled, ExitCancelled},
		{"declined", &NotConfirmedError{What: "up"}, ExitCancelled},
		{"context", context.Canceled, ExitCancelled},
		{"failure over pending", errors.Join(pending, errors.New("boom")), ExitFailure},
		{"policy over failure", errors.Join(errors.New("boom"), denied), ExitPolicyViolation},
		{"cancelled over policy", errors.Join(denied, cancelled), ExitCancelled},
		{"nested joins", errors.Join(pending, errors.Join(errors.New("x"), denied)), ExitPolicyViolation},
	} {
		if got := ExitCode(tt.err); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}

// A finding no waiver can accept points at allow:, never at waivers.
func TestPolicyDeniedWording(t *testing.T) {
	for _, tt := range []struct {
		err  PolicyDeniedError
		want string
	}{
		{PolicyDeniedError{Region: "r", Denied: 1, Unwaivable: 1},
			`region "r": refused by the guardrails (nothing applied): 1 finding denies (listed above); undo the change, or allow it by name in the region file (allow:, README: Guardrails)`},
		{PolicyDeniedError{Region: "r", Denied: 2},
			`region "r": refused by the guardrails (nothing applied): 2 findings deny (listed above); fix them, or waive them in the region file (README: Guardrails)`},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
}
