package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

// StackReader reads deployed state; tests use a fake.
type StackReader interface {
	Outputs(ctx context.Context, r *spec.Region) (map[string]any, error)
	Status(ctx context.Context, regions []*spec.Region) []engine.Status
}

// OutputsOptions are the inputs of `regionctl outputs`.
type OutputsOptions struct {
	IO         *IOStreams
	RegionsDir string
	StateURL   string
	JSON       bool
	Rehearse   bool
	Region     string
	NewReader  func(engine.Settings) (StackReader, error)
	Getenv     func(string) string
}

func newOutputsCmd(ios *IOStreams, g *Globals, runF func(*OutputsOptions) error) *cobra.Command {
	opts := &OutputsOptions{IO: ios, NewReader: realReader, Getenv: os.Getenv}
	cmd := &cobra.Command{
		Use:     "outputs REGION",
		Short:   "Print a deployed region's stack outputs",
		Example: "  regionctl outputs eu-west-1\n  regionctl outputs eu-west-1 --json",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.RegionsDir, opts.JSON, opts.StateURL, opts.Region = g.RegionsDir, g.JSON, g.StateURL, args[0]
			if runF != nil {
				return runF(opts)
			}
			return outputsRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Rehearse, "rehearse", false, "read the rehearsal state instead of the real one")
	return cmd
}

func realReader(s engine.Settings) (StackReader, error) {
	cmd, err := engine.FindPulumi()
	if err != nil {
		return nil, err
	}
	s.Pulumi = cmd
	return &engine.Automation{Settings: s}, nil
}

// openState loads the named regions and opens the state backend for reading, as
// outputs and status both need.
func openState(dir, stateURL string, rehearse bool, getenv func(string) string,
	newReader func(engine.Settings) (StackReader, error), ids ...string) ([]*spec.Region, StackReader, error) {
	regions, err := spec.LoadDir(dir, ids...)
	if err != nil {
		return nil, nil, invalidConfig(err)
	}
	backend, err := engine.ResolveBackend(stateURL, rehearse, getenv)
	if err != nil {
		return nil, nil, err
	}
	reader, err := newReader(engine.Settings{Backend: backend, Rehearse: rehearse})
	if err != nil {
		return nil, nil, err
	}
	return regions, reader, nil
}

func outputsRun(ctx context.Context, opts *OutputsOptions) error {
	regions, reader, err := openState(opts.RegionsDir, opts.StateURL, opts.Rehearse, opts.Getenv, opts.NewReader, opts.Region)
	if err != nil {
		return err
	}
	out, err := reader.Outputs(ctx, regions[0])
	if err != nil {
		return err
	}
	if opts.JSON {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	for _, k := range manifest.SortedKeys(out) {
		fmt.Fprintf(opts.IO.Out, "%s: %s\n", k, compactJSON(out[k]))
	}
	return nil
}

// compactJSON shows strings bare and everything else as one-line JSON.
func compactJSON(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return strings.TrimSpace(string(b))
}
