package cli

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/spec"
)

// ValidateOptions are the inputs of `regionctl validate`.
type ValidateOptions struct {
	IO         *IOStreams
	Env        func() *app.Env
	RegionsDir string
	JSON       bool
	Regions    []string
}

func newValidateCmd(f *Factory, g *Globals, runF func(*ValidateOptions) error) *cobra.Command {
	opts := &ValidateOptions{IO: f.IO, Env: func() *app.Env { return f.Env(g) }}
	return &cobra.Command{
		Use:   "validate [REGION...]",
		Short: "Check region files (all of them when none is named)",
		Long: "Load and check region files: strict YAML, types, AWS naming limits, jurisdictions,\n" +
			"CIDR overlaps across every region, and waivers and allowances (known rules, not\n" +
			"expired). Exits 4 and prints path:line:col lines when any file is invalid.",
		Example:           "  regionctl validate\n  regionctl validate eu-west-1 ap-southeast-2",
		ValidArgsFunction: completeRegions(g),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.RegionsDir, opts.JSON, opts.Regions = g.RegionsDir, g.JSON, args
			if runF != nil {
				return runF(opts)
			}
			return validateRun(opts)
		},
	}
}

type validateJSON struct {
	Valid    bool          `json:"valid"`
	Regions  []string      `json:"regions"`
	Problems []problemJSON `json:"problems"`
}

type problemJSON struct {
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func validateRun(opts *ValidateOptions) error {
	regions, err := opts.Env().Validate(opts.Regions)
	if opts.JSON {
		return validateJSONRun(opts, regions, err)
	}
	if err != nil {
		return err
	}
	for _, r := range regions {
		fmt.Fprintf(opts.IO.Out, "✓ %s (%s)\n", r.Region, r.Source.Path)
	}
	fmt.Fprintf(opts.IO.Out, "%d region %s valid\n", len(regions), plural(len(regions), "file", "files"))
	return nil
}

func validateJSONRun(opts *ValidateOptions, regions []*spec.Region, err error) error {
	doc := validateJSON{Valid: err == nil, Regions: []string{}, Problems: []problemJSON{}}
	for _, r := range regions {
		doc.Regions = append(doc.Regions, r.Region)
	}
	var problems spec.Problems
	switch {
	case err == nil:
	case errors.As(err, &problems):
		for _, p := range problems {
			doc.Problems = append(doc.Problems, problemJSON{p.Path, p.Line, p.Col, p.Field, p.Message})
		}
	default:
		doc.Problems = append(doc.Problems, problemJSON{Path: opts.RegionsDir, Message: err.Error()})
	}
	enc := json.NewEncoder(opts.IO.Out)
	enc.SetIndent("", "  ")
	if encErr := enc.Encode(doc); encErr != nil {
		return encErr
	}
	if err != nil {
		return &reported{err: err}
	}
	return nil
}

// reported is an error the command has already shown in full (in its JSON document):
// it sets the exit code and prints nothing more.
type reported struct{ err error }

func (e *reported) Error() string { return e.err.Error() }
func (e *reported) Unwrap() error { return e.err }
