package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/drift"
)

// RehearseChangeOptions are the inputs of `regionctl rehearse change`.
type RehearseChangeOptions struct {
	IO      *IOStreams
	Env     func() *app.Env
	Request app.OutOfBandRequest
}

// newRehearseCmd is `regionctl rehearse`, the rehearsal's own tools. It is hidden
// from the command list (it never touches a real region); README: Drift documents it.
func newRehearseCmd(f *Factory, g *Globals, runF func(*RehearseChangeOptions) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:    "rehearse",
		Short:  "Tools for the rehearsal's stand-in account",
		Hidden: true,
	}
	opts := &RehearseChangeOptions{IO: f.IO, Env: func() *app.Env { return f.Env(g) }}
	change := &cobra.Command{
		Use:   "change REGION TYPE NAME PROP=VALUE...",
		Short: "Change a rehearsal resource as if outside regionctl (to rehearse a drift incident)",
		Long: "Change properties of a deployed rehearsal resource the way a console click would: the\n" +
			"stand-in provider answers every later read with the new values (kept in\n" +
			".regionctl/rehearsal/outofband/REGION.json). preview still shows nothing (it reads\n" +
			"nothing), drift shows it, refresh --yes records it in the state, and an up that\n" +
			"updates the resource overwrites it. VALUE is JSON (120, true, \"text\") or plain text.",
		Example: "  regionctl rehearse change eu-west-1 aws:sqs/queue:Queue queue-events-queue visibilityTimeoutSeconds=120",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 4 {
				return usagef("give REGION TYPE NAME and at least one PROP=VALUE (regionctl rehearse change eu-west-1 aws:sqs/queue:Queue queue-events-queue visibilityTimeoutSeconds=120)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			props, err := parseAssignments(args[3:])
			if err != nil {
				return err
			}
			opts.Request = app.OutOfBandRequest{Region: args[0], Type: args[1], Name: args[2], Properties: props}
			if runF != nil {
				return runF(opts)
			}
			return rehearseChangeRun(opts)
		},
	}
	cmd.AddCommand(change)
	return cmd
}

// parseAssignments reads PROP=VALUE arguments; a VALUE that is JSON is that value.
func parseAssignments(args []string) (map[string]any, error) {
	out := map[string]any{}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" {
			return nil, usagef("%q is not PROP=VALUE", a)
		}
		var val any
		if err := json.Unmarshal([]byte(v), &val); err != nil {
			val = v
		}
		out[k] = val
	}
	return out, nil
}

func rehearseChangeRun(opts *RehearseChangeOptions) error {
	file, changes, err := opts.Env().RehearseChange(opts.Request)
	if err != nil {
		return err
	}
	r := opts.Request
	for _, c := range changes {
		fmt.Fprintf(opts.IO.Out, "%s: %s %s %s %s → %s (out of band)\n", r.Region, r.Type, r.Name, c.Path, drift.Value(c.Old), drift.Value(c.New))
	}
	fmt.Fprintf(opts.IO.ErrOut, "rehearsal: recorded in %s; `regionctl drift %s --rehearse` shows it, preview does not\n", file, r.Region)
	return nil
}
