package cli

import (
	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/spec"
)

// Version is regionctl's version, set at build time (-ldflags "-X .../cli.Version=v1.2.3").
var Version = "dev"

// Globals are the flags every command shares.
type Globals struct {
	RegionsDir string
	StateURL   string
	JSON       bool
	Verbose    bool
}

// NewRootCmd builds the regionctl command tree for a real run.
func NewRootCmd(ios *IOStreams) *cobra.Command { return NewRootCmdWith(NewFactory(ios), &Globals{}) }

// NewRootCmdWith builds the command tree over f; g receives the global flags.
func NewRootCmdWith(f *Factory, g *Globals) *cobra.Command {
	root := newBareRoot(f.IO, g)
	root.AddCommand(
		newValidateCmd(f, g, nil),
		newPlanCmd(f, g, nil),
		newPolicyCmd(f, g, nil),
		newDeployCmd(f, g, engine.Preview, nil),
		newDeployCmd(f, g, engine.Up, nil),
		newDeployCmd(f, g, engine.Destroy, nil),
		newDeployCmd(f, g, engine.Refresh, nil),
		newOutputsCmd(f, g, nil),
		newStatusCmd(f, g, nil),
		newHistoryCmd(f, g, nil),
		newRollbackCmd(f, g, nil),
		newRegionsCmd(f, g, nil),
		newPreflightCmd(f, g, nil),
		newDiffCmd(f, g, nil),
		newPlaybookCmd(f, g, nil),
		newCommentCmd(f),
		newNewCmd(f, g, nil),
		newFeaturesCmd(f, g, nil),
		newDriftCmd(f, g, nil),
		newRehearseCmd(f, g, nil),
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
		Version:       Version + " (Pulumi engine " + engine.PulumiVersion.String() + ")",
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	root.SetVersionTemplate("regionctl {{.Version}}\n")
	pf := root.PersistentFlags()
	pf.StringVar(&g.RegionsDir, "regions-dir", "regions", "folder holding the region files and jurisdictions.yaml")
	pf.StringVar(&g.StateURL, "state", "", "Pulumi state backend URL (default PULUMI_BACKEND_URL, else file://.regionctl/state)")
	pf.BoolVar(&g.JSON, "json", false, "print machine-readable JSON on stdout")
	pf.BoolVarP(&g.Verbose, "verbose", "v", false, "show the engine's own output behind an error")
	_ = root.RegisterFlagCompletionFunc("regions-dir", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveFilterDirs
	})
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{err: err}
	})
	return root
}

// completeRegions offers the region ids of the regions folder (--regions-dir when
// given) that are not on the command line yet.
func completeRegions(g *Globals) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, _ string) ([]string, cobra.ShellCompDirective) {
		dir := g.RegionsDir
		if f := cmd.Flags().Lookup("regions-dir"); f != nil {
			dir = f.Value.String()
		}
		ids, err := spec.RegionIDs(dir)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, id := range ids {
			used := false
			for _, a := range args {
				used = used || a == id
			}
			if !used {
				out = append(out, id)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
