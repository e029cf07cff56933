package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/report"
	"github.com/regionctl/regionctl/internal/review"
)

// ReviewOutputs are the files and gates every command that reviews a change takes
// (diff, preview, comment merge).
type ReviewOutputs struct {
	// Markdown is the PR comment, trimmed to GitHub's limit; Full the whole text.
	Markdown, Full string
	// Result is the review as JSON, for `regionctl comment merge`.
	Result string
	// FailOn are the gates that make the command exit non-zero.
	FailOn []string
}

func (o *ReviewOutputs) flags(cmd *cobra.Command, withResult bool) {
	fl := cmd.Flags()
	fl.StringVar(&o.Markdown, "markdown", "", "write the pull-request comment (GitHub Markdown, under 65,536 characters) to `FILE`")
	fl.StringVar(&o.Full, "full", "", "write the untrimmed comment to `FILE` (the job summary, an artifact)")
	if withResult {
		fl.StringVar(&o.Result, "result", "", "write the review as JSON to `FILE`, for `regionctl comment merge`")
	}
	fl.StringSliceVar(&o.FailOn, "fail-on", nil, "exit non-zero when the change does this: replace, delete (resources no allowance accepts; exit 6), policy (a guardrail blocks; exit 3)")
}

func (o *ReviewOutputs) check() error {
	for _, g := range o.FailOn {
		if !slices.Contains([]string{review.GateReplace, review.GateDelete, review.GatePolicy}, g) {
			return usagef("--fail-on %q: choose from replace, delete, policy (comma-separated)", g)
		}
	}
	return nil
}

// write writes the files asked for and returns the gates' verdict.
func (o *ReviewOutputs) write(rv *review.Review) error {
	if o.Result != "" {
		data, err := json.MarshalIndent(rv, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(o.Result, append(data, '\n'), 0o644); err != nil {
			return fmt.Errorf("writing --result: %w", err)
		}
	}
	if o.Markdown != "" || o.Full != "" {
		fullAt := "the job summary and the full report artifact"
		if o.Full != "" {
			fullAt = "the job summary and `" + o.Full + "`"
		}
		comment, full := report.Comment(rv, report.CommentOptions{FullAt: fullAt})
		for _, f := range []struct{ path, text, flag string }{{o.Markdown, comment, "--markdown"}, {o.Full, full, "--full"}} {
			if f.path == "" {
				continue
			}
			if err := os.WriteFile(f.path, []byte(f.text), 0o644); err != nil {
				return fmt.Errorf("writing %s: %w", f.flag, err)
			}
		}
	}
	var errs []error
	for _, f := range rv.Failed() {
		errs = append(errs, fmt.Errorf("region %s (not in the comment's counts; fix it and run again)", f))
	}
	if fired := rv.Gates(o.FailOn); len(fired) > 0 {
		errs = append(errs, &app.GateError{Gates: fired})
	}
	return errors.Join(errs...)
}

// DiffOptions are the inputs of `regionctl diff`.
type DiffOptions struct {
	IO      *IOStreams
	Env     func() *app.Env
	JSON    bool
	Request app.DiffRequest
	Out     ReviewOutputs
}

func newDiffCmd(f *Factory, g *Globals, runF func(*DiffOptions) error) *cobra.Command {
	opts := &DiffOptions{IO: f.IO, Env: func() *app.Env { return f.Env(g) }}
	cmd := &cobra.Command{
		Use:   "diff [REGION...]",
		Short: "Show what a change does to each region, offline, against a base ref",
		Long: "diff plans the base ref and the working tree offline (no credentials, no backend),\n" +
			"each with its own region files and, when the program changed, its own code (built\n" +
			"from a git worktree of the base, cached by commit), and compares them resource by\n" +
			"resource and property by property: create, update, replace (by the provider's\n" +
			"replacement rules) or delete. The guardrails judge the result as they judge a\n" +
			"preview. Without REGION it diffs the regions the change touches.",
		Example: "  regionctl diff --base origin/main\n" +
			"  regionctl diff --base origin/main eu-west-1 --markdown comment.md --fail-on replace,delete,policy",
		ValidArgsFunction: completeRegions(g),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.JSON, opts.Request.Regions = g.JSON, args
			if err := opts.Out.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return diffRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Request.Base, "base", "", "the ref to compare with (default: the merge base with the default branch)")
	opts.Out.flags(cmd, true)
	return cmd
}

func diffRun(ctx context.Context, opts *DiffOptions) error {
	rv, err := opts.Env().Diff(ctx, opts.Request)
	if err != nil {
		return err
	}
	if err := showReview(opts.IO, opts.JSON, rv); err != nil {
		return err
	}
	return opts.Out.write(rv)
}

// showReview prints a review: as JSON, or as text for a terminal or a CI log.
func showReview(ios *IOStreams, asJSON bool, rv *review.Review) error {
	if asJSON {
		enc := json.NewEncoder(ios.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(rv)
	}
	return report.ReviewText(ios.Out, rv)
}

// CommentOptions are the inputs of `regionctl comment merge`.
type CommentOptions struct {
	IO      *IOStreams
	Results []string
	// Regions is the `regionctl regions --json` document of the run, so a merge of no
	// results still says what was skipped or torn down.
	Regions string
	Out     ReviewOutputs
}

func newCommentCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "comment",
		Short: "Build the pull-request comment from the results of CI's shards",
	}
	cmd.AddCommand(newCommentMergeCmd(f, nil))
	return cmd
}

func newCommentMergeCmd(f *Factory, runF func(*CommentOptions) error) *cobra.Command {
	opts := &CommentOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "merge [RESULT...]",
		Short: "Join shard results (diff --result) into one comment",
		Long: "merge reads the JSON results that `regionctl diff --result` wrote in each shard of\n" +
			"a CI matrix and writes the one comment for the pull request, with the gates of\n" +
			"--fail-on over all regions.",
		Example: "  regionctl comment merge --regions regions.json --markdown comment.md --full full.md results/*.json",
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Results = args
			if err := opts.Out.check(); err != nil {
				return err
			}
			if len(args) == 0 && opts.Regions == "" {
				return usagef("name the shard results (diff --result FILE), or --regions FILE when no region was touched")
			}
			if runF != nil {
				return runF(opts)
			}
			return commentMergeRun(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Regions, "regions", "", "the `regionctl regions --json` output of the run (`FILE`)")
	opts.Out.flags(cmd, false)
	return cmd
}

func commentMergeRun(opts *CommentOptions) error {
	var parts []*review.Review
	for _, path := range opts.Results {
		var rv review.Review
		if err := readJSON(path, &rv); err != nil {
			return err
		}
		parts = append(parts, &rv)
	}
	var sel *app.Affected
	if opts.Regions != "" {
		sel = &app.Affected{}
		if err := readJSON(opts.Regions, sel); err != nil {
			return err
		}
	}
	merged, err := review.Merge(parts)
	if err != nil {
		return &app.UsageError{Msg: err.Error()}
	}
	if sel != nil {
		merged.Teardown, merged.Skipped, merged.Why = sel.Teardown, sel.Skipped, sel.Why
		if merged.BaseCommit == "" {
			merged.Source, merged.Base, merged.BaseCommit = "diff", sel.Base, sel.Base
		}
	}
	if err := report.ReviewText(opts.IO.Out, merged); err != nil {
		return err
	}
	return opts.Out.write(merged)
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return &app.UsageError{Msg: fmt.Sprintf("reading %s: %v", path, strings.TrimPrefix(err.Error(), "open "+path+": "))}
	}
	if err := json.Unmarshal(data, v); err != nil {
		return &app.UsageError{Msg: fmt.Sprintf("%s is not a regionctl result (JSON): %v", path, err)}
	}
	return nil
}
