package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/spec"
)

// Exit codes of the CLI contract (app.ExitCode maps errors to them).
const (
	ExitOK              = app.ExitOK
	ExitFailure         = app.ExitFailure
	ExitCancelled       = app.ExitCancelled
	ExitPolicyViolation = app.ExitPolicyViolation
	ExitInvalidConfig   = app.ExitInvalidConfig
	ExitChangesPending  = app.ExitChangesPending
	ExitDrift           = app.ExitDrift
)

// usageError is a command line that cannot run: a bad flag, a missing argument.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return &usageError{err: fmt.Errorf(format, args...)} }

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
			ios.Notice("cancelling: waiting for running operations to stop cleanly (Ctrl-C again to abort)")
		case <-finished:
		}
	}()
	g := &Globals{}
	cmd := NewRootCmdWith(NewFactory(ios), g)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	return exitCode(ios, err, g.Verbose)
}

// exitCode prints err, one line per failure (without Go type names, and the engine's
// own output only when verbose), and returns its exit code.
func exitCode(ios *IOStreams, err error, verbose bool) int {
	if err == nil {
		return ExitOK
	}
	var done *reported
	if errors.As(err, &done) {
		return app.ExitCode(err)
	}
	var problems spec.Problems
	for _, e := range app.Leaves(err) {
		if errors.As(e, &problems) {
			printProblems(ios, problems)
			continue
		}
		fmt.Fprintf(ios.ErrOut, "error: %v\n", e)
		if detail := engine.Detail(e); verbose && detail != "" {
			fmt.Fprintf(ios.ErrOut, "engine output:\n%s\n", strings.TrimRight(detail, "\n"))
		}
	}
	return app.ExitCode(err)
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
