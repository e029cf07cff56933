package cli

import (
	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/engine"
)

// Globals are the flags every command shares.
type Globals struct {
	RegionsDir string
	StateURL   string
	JSON       bool
}

// NewRootCmd builds the regionctl command tree.
func NewRootCmd(ios *IOStreams) *cobra.Command {
	g := &Globals{}
	root := newBareRoot(ios, g)
	root.AddCommand(
		newValidateCmd(ios, g, nil),
		newPlanCmd(ios, g, nil, engine.Offline{}),
		newPolicyCmd(ios, g, nil, engine.Offline{}),
		newDeployCmd(ios, g, engine.Preview, nil),
		newDeployCmd(ios, g, engine.Up, nil),
		newDeployCmd(ios, g, engine.Destroy, nil),
		newDeployCmd(ios, g, engine.Refresh, nil),
		newOutputsCmd(ios, g, nil),
		newStatusCmd(ios, g, nil),
	)
	return root
}

// newBareRoot is the root command with its global flags and no subcommands;
// tests add one command built with a capturing run function.
func newBareRoot(ios *IOStreams, g *Globals) *cobra.Command {
	root := &cobra.Command{
		Use:   "regionctl",
		Short: "Turn per-region YAML files into complete AWS hosting regions",
		Long: "regionctl turns version-controlled region files (regions/<id>.yaml) into complete\n" +
			"AWS hosting regions through Pulumi, and checks them before anything changes.",
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	root.PersistentFlags().StringVar(&g.RegionsDir, "regions-dir", "regions", "folder holding the region files and jurisdictions.yaml")
	root.PersistentFlags().StringVar(&g.StateURL, "state", "", "Pulumi state backend URL (default PULUMI_BACKEND_URL, else file://.regionctl/state)")
	root.PersistentFlags().BoolVar(&g.JSON, "json", false, "print machine-readable JSON on stdout")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &exitError{code: ExitFailure, err: err}
	})
	return root
}
