package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
)

// FeaturesOptions are the inputs of `regionctl features`.
type FeaturesOptions struct {
	IO   *IOStreams
	Env  func() *app.Env
	JSON bool
}

func newFeaturesCmd(f *Factory, g *Globals, runF func(*FeaturesOptions) error) *cobra.Command {
	opts := &FeaturesOptions{IO: f.IO, Env: func() *app.Env { return f.Env(g) }}
	cmd := &cobra.Command{
		Use:   "features",
		Short: "Show which product features each region has on",
		Long: "features prints the `features:` of every region file side by side (✓ on, – off,\n" +
			"blank when the file does not mention it), then what each region lacks that another\n" +
			"has on. Launching a region without an integration is normal, so this never fails;\n" +
			"it makes the difference visible. With --json it prints the matrix and the gaps.",
		Example: "  regionctl features\n  regionctl features --json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.JSON = g.JSON
			if runF != nil {
				return runF(opts)
			}
			return featuresRun(opts)
		},
	}
	return cmd
}

func featuresRun(opts *FeaturesOptions) error {
	m, err := opts.Env().Features()
	if err != nil {
		return err
	}
	out := opts.IO.Out
	if opts.JSON {
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	}
	if len(m.Features) == 0 {
		fmt.Fprintf(out, "no region file sets features (%d %s)\n", len(m.Regions), plural(len(m.Regions), "region", "regions"))
		return nil
	}
	rows := [][]string{append([]string{"feature"}, m.Regions...)}
	for _, f := range m.Features {
		row := []string{f.Name}
		for _, id := range m.Regions {
			on, mentioned := f.On[id]
			switch {
			case !mentioned:
				row = append(row, "")
			case on:
				row = append(row, "✓")
			default:
				row = append(row, "–")
			}
		}
		rows = append(rows, row)
	}
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, c := range row {
			b.WriteString(c)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)+2))
			}
		}
		fmt.Fprintln(out, strings.TrimRight(b.String(), " "))
	}
	fmt.Fprintln(out)
	if len(m.Gaps) == 0 {
		fmt.Fprintln(out, "every region has the same features on")
		return nil
	}
	for _, g := range m.Gaps {
		why := "on in " + strings.Join(g.OnIn, ", ")
		if g.Missing {
			why += "; not in its file"
		}
		fmt.Fprintf(out, "%s lacks %s (%s)\n", g.Region, g.Feature, why)
	}
	return nil
}
