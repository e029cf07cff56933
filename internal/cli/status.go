package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/engine"
)

// StatusOptions are the inputs of `regionctl status`.
type StatusOptions struct {
	IO         *IOStreams
	RegionsDir string
	StateURL   string
	JSON       bool
	Rehearse   bool
	Regions    []string
	NewReader  func(engine.Settings) (StackReader, error)
	Getenv     func(string) string
}

func newStatusCmd(ios *IOStreams, g *Globals, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{IO: ios, NewReader: realReader, Getenv: os.Getenv}
	cmd := &cobra.Command{
		Use:     "status [REGION...]",
		Short:   "Show each region's deployed state (all regions when none is named)",
		Example: "  regionctl status\n  regionctl status eu-west-1 --rehearse",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.RegionsDir, opts.JSON, opts.StateURL, opts.Regions = g.RegionsDir, g.JSON, g.StateURL, args
			if runF != nil {
				return runF(opts)
			}
			return statusRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Rehearse, "rehearse", false, "read the rehearsal state instead of the real one")
	return cmd
}

func statusRun(ctx context.Context, opts *StatusOptions) error {
	regions, reader, err := openState(opts.RegionsDir, opts.StateURL, opts.Rehearse, opts.Getenv, opts.NewReader, opts.Regions...)
	if err != nil {
		return err
	}
	statuses := reader.Status(ctx, regions)
	var failed []error
	for _, s := range statuses {
		if s.Err != nil {
			failed = append(failed, s.Err)
		}
	}
	if opts.JSON {
		enc := json.NewEncoder(opts.IO.Out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(map[string]any{"regions": statuses}); err != nil {
			return err
		}
	} else {
		tw := tabwriter.NewWriter(opts.IO.Out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "REGION\tSTATE\tRESOURCES\tLAST UPDATE")
		for _, s := range statuses {
			state := "not deployed"
			switch {
			case s.Err != nil:
				state = "unreadable"
			case s.UpdateInProgress:
				state = "updating"
			case s.Deployed:
				state = "deployed"
			}
			last := s.LastUpdate
			if last == "" {
				last = "-"
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", s.Region, state, s.Resources, last)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return errors.Join(failed...)
}
