package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/regionctl/regionctl/internal/spec"
)

// Exit codes of the CLI contract.
const (
	ExitOK              = 0
	ExitFailure         = 1
	ExitCancelled       = 2
	ExitPolicyViolation = 3
	ExitInvalidConfig   = 4
	ExitChangesPending  = 5
)

// exitError carries the exit code a failure maps to. silent means the command has
// already told the user everything, so Main prints nothing more.
type exitError struct {
	code   int
	err    error
	silent bool
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// invalidConfig marks a region-file failure (exit 4).
func invalidConfig(err error) error { return &exitError{code: ExitInvalidConfig, err: err} }

// Main runs regionctl with args and returns the process exit code.
func Main(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ios := SystemIO()
	finished := make(chan struct{})
	defer close(finished) // runs before stop, so a normal return prints nothing
	go func() {
		// The first Ctrl-C cancels: running engines are interrupted and stop cleanly.
		// Restoring the default handler makes a second Ctrl-C abort at once.
		select {
		case <-ctx.Done():
			stop()
			fmt.Fprintln(ios.ErrOut, "cancelling: waiting for running operations to stop cleanly (Ctrl-C again to abort)")
		case <-finished:
		}
	}()
	cmd := NewRootCmd(ios)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	return exitCode(ios, err, ctx.Err() != nil)
}

// exitCode prints err (once, without Go type names) and returns its exit code.
func exitCode(ios *IOStreams, err error, interrupted bool) int {
	if err == nil {
		return ExitOK
	}
	code := ExitFailure
	var ee *exitError
	var problems spec.Problems
	switch {
	case errors.As(err, &ee):
		code = ee.code
		if ee.silent {
			return code
		}
	case interrupted || errors.Is(err, context.Canceled):
		code = ExitCancelled
	}
	if errors.As(err, &problems) {
		printProblems(ios, problems)
		return code
	}
	fmt.Fprintf(ios.ErrOut, "error: %v\n", err)
	return code
}

// printProblems lists every configuration problem, one path:line:col line each.
func printProblems(ios *IOStreams, problems spec.Problems) {
	for _, p := range problems {
		fmt.Fprintln(ios.ErrOut, p.String())
	}
	noun := "problems"
	if len(problems) == 1 {
		noun = "problem"
	}
	fmt.Fprintf(ios.ErrOut, "%d %s found\n", len(problems), noun)
}
