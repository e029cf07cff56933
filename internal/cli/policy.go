package cli

import (
	"context"
	"errors"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/policy"
	"github.com/regionctl/regionctl/internal/report"
	"github.com/regionctl/regionctl/internal/spec"
)

// PolicyOptions are the inputs of `regionctl policy`.
type PolicyOptions struct {
	IO      *IOStreams
	Env     func() *app.Env
	JSON    bool
	Regions []string
}

func newPolicyCmd(f *Factory, g *Globals, runF func(*PolicyOptions) error) *cobra.Command {
	opts := &PolicyOptions{IO: f.IO, Env: func() *app.Env { return f.Env(g) }}
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
			opts.JSON, opts.Regions = g.JSON, args
			if runF != nil {
				return runF(opts)
			}
			return policyRun(cmd.Context(), opts)
		},
	}
	cmd.AddCommand(newPolicySCPCmd(f.IO, g, nil))
	return cmd
}

func policyRun(ctx context.Context, opts *PolicyOptions) error {
	planned, err := opts.Env().Plan(ctx, opts.Regions)
	if planned == nil {
		return err
	}
	var rerr error
	if opts.JSON {
		rerr = report.PolicyJSON(opts.IO.Out, planned.Reports)
	} else {
		rerr = report.PolicyText(opts.IO.Out, planned.Reports)
	}
	return errors.Join(err, rerr)
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
				return usagef("name one region (regionctl policy scp eu-west-1): the policy is for its jurisdiction")
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
	regions, err := (&app.Env{RegionsDir: opts.RegionsDir}).Load([]string{opts.Region})
	if err != nil {
		return err
	}
	j, err := spec.LoadJurisdictions(filepath.Join(opts.RegionsDir, spec.JurisdictionsFile))
	if err != nil {
		return err
	}
	r := regions[0]
	doc, err := policy.SCP(r.Jurisdiction, j[r.Jurisdiction], opts.Exempt)
	if err != nil {
		return err
	}
	_, err = opts.IO.Out.Write(doc)
	return err
}
