package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/regionctl/regionctl/internal/engine"
)

// policyDay is the day the policy tests run on: testdata/waivers has one waiver that
// is active on it and one that has expired.
func policyDay() time.Time { return time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC) }

func TestPolicyCmdParsesArgs(t *testing.T) {
	tests := []struct {
		argv    string
		want    PolicyOptions
		wantDir string
		wantSCP *PolicySCPOptions
		wantErr string
	}{
		{argv: "policy", wantDir: "regions", want: PolicyOptions{Regions: []string{}}},
		{argv: "policy eu-west-1 us-east-1 --json --regions-dir r", wantDir: "r", want: PolicyOptions{JSON: true, Regions: []string{"eu-west-1", "us-east-1"}}},
		{argv: "policy scp eu-west-1", wantSCP: &PolicySCPOptions{RegionsDir: "regions", Region: "eu-west-1"}},
		{argv: "policy scp eu-west-1 --exempt-principal arn:aws:iam::*:role/a --exempt-principal arn:aws:iam::*:role/b",
			wantSCP: &PolicySCPOptions{RegionsDir: "regions", Region: "eu-west-1", Exempt: []string{"arn:aws:iam::*:role/a", "arn:aws:iam::*:role/b"}}},
		{argv: "policy scp", wantErr: "name one region (regionctl policy scp eu-west-1): the policy is for its jurisdiction"},
		{argv: "policy scp eu-west-1 us-east-1", wantErr: "name one region (regionctl policy scp eu-west-1): the policy is for its jurisdiction"},
	}
	for _, tt := range tests {
		t.Run(tt.argv, func(t *testing.T) {
			ios, _, _ := TestIO(false)
			g := &Globals{}
			root := newBareRoot(ios, g)
			var got *PolicyOptions
			var gotSCP *PolicySCPOptions
			cmd := newPolicyCmd(testFactory(ios, policyDay, nil, nil), g, func(o *PolicyOptions) error { got = o; return nil })
			cmd.RemoveCommand(cmd.Commands()...)
			cmd.AddCommand(newPolicySCPCmd(ios, g, func(o *PolicySCPOptions) error { gotSCP = o; return nil }))
			root.AddCommand(cmd)
			root.SetArgs(strings.Fields(tt.argv))
			err := root.Execute()
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				if code := exitCode(ios, err, false); code != ExitFailure {
					t.Errorf("exit code %d, want %d", code, ExitFailure)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantSCP != nil {
				if gotSCP == nil || gotSCP.Region != tt.wantSCP.Region || gotSCP.RegionsDir != tt.wantSCP.RegionsDir ||
					strings.Join(gotSCP.Exempt, ",") != strings.Join(tt.wantSCP.Exempt, ",") {
					t.Errorf("scp options = %+v, want %+v", gotSCP, tt.wantSCP)
				}
				return
			}
			if got.JSON != tt.want.JSON || strings.Join(got.Regions, ",") != strings.Join(tt.want.Regions, ",") {
				t.Errorf("options = %+v, want %+v", *got, tt.want)
			}
			if got.Env == nil {
				t.Fatal("the command must check the guardrails (through the pipeline)")
			}
			// The guardrails run in app.Env.Plan, on the factory's one clock.
			env := got.Env()
			if env.RegionsDir != tt.wantDir || env.Planner == nil || env.Now == nil || !env.Now().Equal(policyDay()) {
				t.Errorf("env = %+v, want regions dir %q, a planner and the factory's clock", *env, tt.wantDir)
			}
		})
	}
}

// TestPolicyRunPasses plans the test regions with the real program: nothing to report.
func TestPolicyRunPasses(t *testing.T) {
	for _, tty := range []bool{false, true} {
		ios, out, errOut := TestIO(tty)
		f := testFactory(ios, policyDay, engine.Offline{}, nil)
		err := policyRun(context.Background(), &PolicyOptions{IO: ios, Env: envFor(f, "testdata/regions")})
		if err != nil {
			t.Fatal(err)
		}
		want := "ap-southeast-2: passes every guardrail\neu-west-1: passes every guardrail\npolicy: 2 regions, passes every guardrail\n"
		if out.String() != want || errOut.Len() != 0 {
			t.Errorf("tty=%v: stdout = %q, stderr = %q; want stdout %q", tty, out.String(), errOut.String(), want)
		}
	}
}

// TestPolicyRunDenies uses the fake planner: its bare queue breaks three rules.
func TestPolicyRunDenies(t *testing.T) {
	ios, out, errOut := TestIO(false)
	f := testFactory(ios, policyDay, fakePlanner{}, nil)
	err := policyRun(context.Background(), &PolicyOptions{IO: ios, Env: envFor(f, "testdata/regions"), Regions: []string{"eu-west-1"}})
	if code := exitCode(ios, err, false); code != ExitPolicyViolation {
		t.Fatalf("exit code %d, want %d (err %v)", code, ExitPolicyViolation, err)
	}
	want := "DENY blast.protected eu-west-1 region: aws:sqs/queue:Queue q does not set protect and retainOnDelete, so a mistaken destroy or refactor deletes it with its data; set the protect and retainOnDelete resource options, as regionctl's components do (testdata/regions/eu-west-1.yaml:1:9)\n" +
		"DENY ha.alarms eu-west-1 region: aws:sqs/queue:Queue q has no CloudWatch alarm on its messages that notifies anyone; keep regionctl's observability component in the program and alarms.email set (testdata/regions/eu-west-1.yaml:1:9)\n" +
		"DENY security.encryption eu-west-1 region: aws:sqs/queue:Queue q is not encrypted with the region's key (kmsMasterKeyId: no key is set, so an AWS managed key is used); encrypt it with the region's key, as regionctl's components do (testdata/regions/eu-west-1.yaml:1:9)\n" +
		"eu-west-1: 3 denied, 0 warnings, 0 waived\n"
	if out.String() != want {
		t.Errorf("stdout =\n%s\nwant\n%s", out.String(), want)
	}
	if got := errOut.String(); got != "error: region \"eu-west-1\": refused by the guardrails (nothing applied): 3 findings deny (listed above); fix them, or waive them in the region file (README: Guardrails)\n" {
		t.Errorf("stderr = %q", got)
	}
}

func TestPolicyRunJSON(t *testing.T) {
	ios, out, _ := TestIO(false)
	f := testFactory(ios, policyDay, fakePlanner{}, nil)
	err := policyRun(context.Background(), &PolicyOptions{IO: ios, Env: envFor(f, "testdata/regions"), JSON: true})
	if code := exitCode(ios, err, false); code != ExitPolicyViolation {
		t.Fatalf("exit code %d, want %d", code, ExitPolicyViolation)
	}
	var doc struct {
		Regions []struct {
			Name   string `json:"name"`
			Policy []struct {
				Rule, Severity, Resource, Message, Path string
				Line, Col                               int
			} `json:"policy"`
			Waivers []json.RawMessage `json:"waivers"`
		} `json:"regions"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
	}
	if len(doc.Regions) != 2 || doc.Regions[0].Name != "ap-southeast-2" || len(doc.Regions[1].Policy) != 3 || doc.Regions[1].Waivers == nil {
		t.Fatalf("unexpected document:\n%s", out.String())
	}
	if f := doc.Regions[1].Policy[0]; f.Rule != "blast.protected" || f.Severity != "deny" || f.Path != "testdata/regions/eu-west-1.yaml" || f.Line != 1 {
		t.Errorf("first finding %+v", f)
	}
}

// TestPolicyRunListsWaivers: the active waiver covers the single NAT gateway, the
// expired one denies.
func TestPolicyRunListsWaivers(t *testing.T) {
	ios, out, _ := TestIO(false)
	f := testFactory(ios, policyDay, engine.Offline{}, nil)
	err := policyRun(context.Background(), &PolicyOptions{IO: ios, Env: envFor(f, "testdata/waivers")})
	if code := exitCode(ios, err, false); code != ExitPolicyViolation {
		t.Fatalf("exit code %d, want %d (err %v)", code, ExitPolicyViolation, err)
	}
	for _, want := range []string{
		"DENY policy.waiver eu-west-1 fleet/web: the waiver of security.imdsv2 for fleet/web expired on 2026-05-31; fix what it covers and remove it, or renew it with a new reason and expiry (testdata/waivers/eu-west-1.yaml:51:14)\n",
		"WAIVED ha.nat-per-az eu-west-1 network: the network has 1 NAT gateway for private subnets in 3 availability zones (eu-west-1a, eu-west-1b, eu-west-1c)",
		"(testdata/waivers/eu-west-1.yaml:8:16); waived until 2026-12-31: staging, one NAT gateway is enough (CHG-1)\n",
		"waiver ha.nat-per-az network until 2026-12-31 (active, covers 1): staging, one NAT gateway is enough (CHG-1) (testdata/waivers/eu-west-1.yaml:44:5)\n",
		"waiver security.imdsv2 fleet/web until 2026-05-31 (expired, covers 0): vendor agent needs IMDSv1 (CHG-2) (testdata/waivers/eu-west-1.yaml:48:5)\n",
		"eu-west-1: 1 denied, 4 warnings, 1 waived, 2 waivers\n", // the warnings: no fleet uses the stores
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, out.String())
		}
	}
}

func TestPolicySCPRun(t *testing.T) {
	ios, out, _ := TestIO(false)
	if err := policySCPRun(&PolicySCPOptions{IO: ios, RegionsDir: "testdata/regions", Region: "ap-southeast-2"}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Statement []struct {
			Sid       string
			NotAction []string
			Condition map[string]map[string][]string
		}
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out.String())
	}
	st := doc.Statement[0]
	if st.Sid != "RegionctlDenyOutsideAu" || strings.Join(st.Condition["StringNotEquals"]["aws:RequestedRegion"], ",") != "ap-southeast-2,ap-southeast-4" {
		t.Errorf("unexpected policy:\n%s", out.String())
	}

	ios, _, errOut := TestIO(false)
	err := policySCPRun(&PolicySCPOptions{IO: ios, RegionsDir: "testdata/regions", Region: "eu-west-9"})
	if code := exitCode(ios, err, false); code != ExitInvalidConfig || !strings.Contains(errOut.String(), "eu-west-9") {
		t.Errorf("unknown region: exit %d, stderr %q", code, errOut.String())
	}
}

// TestPlanRunGuardrails: plan prints the tree, then the findings, then the estimate,
// and exits 3.
func TestPlanRunGuardrails(t *testing.T) {
	ios, out, _ := TestIO(false)
	f := testFactory(ios, policyDay, fakePlanner{}, nil)
	err := planRun(context.Background(), &PlanOptions{IO: ios, Env: envFor(f, "testdata/regions"), Regions: []string{"eu-west-1"}})
	if code := exitCode(ios, err, false); code != ExitPolicyViolation {
		t.Fatalf("exit code %d, want %d", code, ExitPolicyViolation)
	}
	if !strings.HasPrefix(out.String(), "eu-west-1: 1 resource\n└─ aws:sqs/queue:Queue q\n\nDENY blast.protected eu-west-1 region: ") ||
		!strings.Contains(out.String(), "\neu-west-1: 3 denied, 0 warnings, 0 waived\n\nestimate (") {
		t.Errorf("stdout =\n%s", out.String())
	}

	ios, out, _ = TestIO(false)
	f = testFactory(ios, policyDay, fakePlanner{}, nil)
	err = planRun(context.Background(), &PlanOptions{IO: ios, Env: envFor(f, "testdata/regions"), JSON: true, All: true})
	if code := exitCode(ios, err, false); code != ExitPolicyViolation {
		t.Fatalf("json: exit code %d, want %d", code, ExitPolicyViolation)
	}
	var doc struct {
		Regions []struct {
			Name      string            `json:"name"`
			Resources []json.RawMessage `json:"resources"`
			Policy    []json.RawMessage `json:"policy"`
			Waivers   []json.RawMessage `json:"waivers"`
		} `json:"regions"`
	}
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Regions) != 2 || len(doc.Regions[0].Resources) != 1 || len(doc.Regions[0].Policy) != 3 || doc.Regions[0].Waivers == nil {
		t.Errorf("unexpected document:\n%s", out.String())
	}
}

// TestValidateRunChecksWaivers: an expired waiver fails validation with its rule and place.
func TestValidateRunChecksWaivers(t *testing.T) {
	ios, out, errOut := TestIO(false)
	f := testFactory(ios, policyDay, nil, nil)
	err := validateRun(&ValidateOptions{IO: ios, Env: envFor(f, "testdata/waivers"), RegionsDir: "testdata/waivers"})
	if code := exitCode(ios, err, false); code != ExitInvalidConfig {
		t.Fatalf("exit code %d, want %d", code, ExitInvalidConfig)
	}
	want := "testdata/waivers/eu-west-1.yaml:51:14: waivers[1].expires: the waiver of security.imdsv2 for fleet/web expired on 2026-05-31; fix what it covers and remove it, or renew it with a new reason and expiry\n" +
		"1 problem found\n"
	if out.Len() != 0 || errOut.String() != want {
		t.Errorf("stdout = %q\nstderr = %q\nwant %q", out.String(), errOut.String(), want)
	}

	ios, out, _ = TestIO(false)
	before := func() time.Time { return time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC) }
	f = testFactory(ios, before, nil, nil)
	if err := validateRun(&ValidateOptions{IO: ios, Env: envFor(f, "testdata/waivers"), RegionsDir: "testdata/waivers"}); err != nil {
		t.Fatalf("before the expiry the file is valid: %v", err)
	}
	if !strings.HasSuffix(out.String(), "1 region file valid\n") {
		t.Errorf("stdout = %q", out.String())
	}
}
