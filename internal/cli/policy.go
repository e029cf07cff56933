package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/policy"
	"github.com/regionctl/regionctl/internal/report"
	"github.com/regionctl/regionctl/internal/spec"
)

// Guardrails evaluates the guardrails of planned or previewed regions: the regions
// of dir (already loaded), each with its manifest, matched by name. Manifests without
// a name (a region whose program failed) are skipped.
type Guardrails func(dir string, regions []*spec.Region, manifests []manifest.Region) ([]policy.Report, error)

// evaluateGuardrails is Guardrails on the clock now: plan, policy, preview and up use it
// so a waiver expires for every command on the same day.
func evaluateGuardrails(now func() time.Time) Guardrails {
	return func(dir string, regions []*spec.Region, manifests []manifest.Region) ([]policy.Report, error) {
		j, err := spec.LoadJurisdictions(filepath.Join(dir, spec.JurisdictionsFile))
		if err != nil {
			return nil, invalidConfig(err)
		}
		byName := map[string]*spec.Region{}
		for _, r := range regions {
			byName[r.Region] = r
		}
		t := now()
		var reports []policy.Report
		for _, m := range manifests {
			r, ok := byName[m.Name]
			if m.Name == "" || !ok {
				continue
			}
			reports = append(reports, policy.Evaluate(r, j, m, t))
		}
		return reports, nil
	}
}

// guardrailsDenied is the exit-3 error when any report denies, nil otherwise. The reports
// have been printed; the error says what to do.
func guardrailsDenied(reports []policy.Report) error {
	var denied []string
	n := 0
	for _, r := range reports {
		if c := r.Counts(); c.Denied > 0 {
			denied = append(denied, r.Region)
			n += c.Denied
		}
	}
	if n == 0 {
		return nil
	}
	return &exitError{code: ExitPolicyViolation, err: fmt.Errorf("guardrails deny %d %s in %s; fix %s or waive %s in the region file (README: Guardrails)",
		n, plural(n, "finding", "findings"), joinAnd(denied), plural(n, "it", "them"), plural(n, "it", "them"))}
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	s := items[0]
	for _, it := range items[1 : len(items)-1] {
		s += ", " + it
	}
	return s + " and " + items[len(items)-1]
}

// PolicyOptions are the inputs of `regionctl policy`.
type PolicyOptions struct {
	IO         *IOStreams
	Planner    Planner
	Guardrails Guardrails
	RegionsDir string
	JSON       bool
	Regions    []string
}

func newPolicyCmd(ios *IOStreams, g *Globals, runF func(*PolicyOptions) error, planner Planner) *cobra.Command {
	opts := &PolicyOptions{IO: ios, Planner: planner, Guardrails: evaluateGuardrails(time.Now)}
	cmd := &cobra.Command{
		Use:   "policy [REGION...]",
		Short: "Check the guardrails: residency, high availability, security, blast radius",
		Long: "Plan regions offline (all when none is named) and check every guardrail rule over\n" +
			"the planned resources: data stays in the jurisdiction, the region survives the loss\n" +
			"of an availability zone, it is locked down, and its data stores are protected.\n" +
			"Prints one line per finding with the place in the region file to fix, then the\n" +
			"region's waivers and allowances. Exits 3 when a rule denies.",
		Example: "  regionctl policy\n  regionctl policy eu-west-1 --json\n  regionctl policy scp eu-west-1",
		Args:    cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.RegionsDir, opts.JSON, opts.Regions = g.RegionsDir, g.JSON, args
			if runF != nil {
				return runF(opts)
			}
			return policyRun(cmd.Context(), opts)
		},
	}
	cmd.AddCommand(newPolicySCPCmd(ios, g, nil))
	return cmd
}

func policyRun(ctx context.Context, opts *PolicyOptions) error {
	regions, err := spec.LoadDir(opts.RegionsDir, opts.Regions...)
	if err != nil {
		return invalidConfig(err)
	}
	manifests, planErr := opts.Planner.Plan(ctx, regions)
	reports, err := opts.Guardrails(opts.RegionsDir, regions, manifests)
	if err != nil {
		return err
	}
	if opts.JSON {
		err = report.PolicyJSON(opts.IO.Out, reports)
	} else {
		err = report.PolicyText(opts.IO.Out, reports)
	}
	switch {
	case planErr != nil:
		return planErr
	case err != nil:
		return err
	}
	return guardrailsDenied(reports)
}

// PolicySCPOptions are the inputs of `regionctl policy scp`.
type PolicySCPOptions struct {
	IO         *IOStreams
	RegionsDir string
	Region     string
	Exempt     []string
}

func newPolicySCPCmd(ios *IOStreams, g *Globals, runF func(*PolicySCPOptions) error) *cobra.Command {
	opts := &PolicySCPOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "scp REGION",
		Short: "Print the AWS Organizations policy that denies regions outside the jurisdiction",
		Long: "Print the service control policy (JSON) for the account of REGION: it denies every\n" +
			"request to a region outside the region's jurisdiction (regions/jurisdictions.yaml),\n" +
			"except to global services such as IAM, Organizations, Route 53 and CloudFront, so\n" +
			"the cloud enforces what the residency rules check. Attach it to the account or OU.",
		Example: "  regionctl policy scp eu-west-1 > eu-region-deny.json\n" +
			"  regionctl policy scp eu-west-1 --exempt-principal 'arn:aws:iam::*:role/break-glass'",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return &exitError{code: ExitFailure, err: errors.New("name one region (regionctl policy scp eu-west-1): the policy is for its jurisdiction")}
			}
			opts.RegionsDir, opts.Region = g.RegionsDir, args[0]
			if runF != nil {
				return runF(opts)
			}
			return policySCPRun(opts)
		},
	}
	cmd.Flags().StringArrayVar(&opts.Exempt, "exempt-principal", nil, "principal ARN pattern the deny does not apply to (repeatable)")
	return cmd
}

func policySCPRun(opts *PolicySCPOptions) error {
	regions, err := spec.LoadDir(opts.RegionsDir, opts.Region)
	if err != nil {
		return invalidConfig(err)
	}
	j, err := spec.LoadJurisdictions(filepath.Join(opts.RegionsDir, spec.JurisdictionsFile))
	if err != nil {
		return invalidConfig(err)
	}
	r := regions[0]
	doc, err := policy.SCP(r.Jurisdiction, j[r.Jurisdiction], opts.Exempt)
	if err != nil {
		return err
	}
	_, err = opts.IO.Out.Write(doc)
	return err
}

// checkGuardrailFiles runs the guardrail checks that need only the region files
// (waivers and allowances: rule ids, entries, expiry) as of now.
func checkGuardrailFiles(regions []*spec.Region, now time.Time) error {
	var ps spec.Problems
	for _, r := range regions {
		ps = append(ps, policy.CheckFile(r, now)...)
	}
	if len(ps) == 0 {
		return nil
	}
	ps.Sort()
	return ps
}
