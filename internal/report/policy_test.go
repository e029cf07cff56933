package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/policy"
)

func sampleReports() []policy.Report {
	waiver := &policy.Exception{Kind: policy.KindWaiver, Rule: "ha.nat-per-az", Resource: "network",
		Reason: "one NAT gateway is enough for a staging region", Expires: "2027-01-31", Status: policy.Active, Covers: 1,
		Path: "regions/eu-west-1.yaml", Line: 40, Col: 5}
	return []policy.Report{
		{
			Region: "eu-west-1",
			Findings: []policy.Finding{
				{Rule: "residency.kms-multi-region", Severity: policy.Deny, Region: "eu-west-1", Resource: "key",
					URN: "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Key$aws:kms/key:Key::kms-eu-west-1-key", Type: "aws:kms/key:Key", Name: "kms-eu-west-1-key",
					Message: "the region key (aws:kms/key:Key kms-eu-west-1-key) is a multi-region key, which can be replicated to any region; set multiRegion to false",
					Path:    "regions/eu-west-1.yaml", Line: 2, Col: 9},
				{Rule: "ha.nat-per-az", Severity: policy.Warn, Region: "eu-west-1", Resource: "network", Name: "network-eu-west-1-nat-a",
					Message: "the network has 1 NAT gateway for private subnets in 3 availability zones (eu-west-1a, eu-west-1b, eu-west-1c), so losing the zone of a NAT gateway cuts outbound traffic of the others; set natGateways: perAz",
					Path:    "regions/eu-west-1.yaml", Line: 11, Col: 16, Waived: waiver},
			},
			Exceptions: []policy.Exception{*waiver,
				{Kind: policy.KindAllow, Rule: policy.RuleBlastReplace, Resource: "database/main", Reason: "engine change, data migrated (CHG-3)",
					Expires: "2026-07-15", Status: policy.Active, Path: "regions/eu-west-1.yaml", Line: 44, Col: 5}},
		},
		{Region: "ap-southeast-2"},
	}
}

func TestPolicyText(t *testing.T) {
	var buf bytes.Buffer
	if err := PolicyText(&buf, sampleReports()); err != nil {
		t.Fatal(err)
	}
	golden(t, "policy.txt", buf.Bytes())
}

func TestPolicyJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := PolicyJSON(&buf, sampleReports()); err != nil {
		t.Fatal(err)
	}
	golden(t, "policy.json", buf.Bytes())
	var doc struct {
		Regions []struct {
			Name    string            `json:"name"`
			Policy  []json.RawMessage `json:"policy"`
			Waivers []json.RawMessage `json:"waivers"`
		} `json:"regions"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Regions) != 2 || len(doc.Regions[0].Policy) != 2 || doc.Regions[1].Policy == nil || doc.Regions[1].Waivers == nil {
		t.Errorf("unexpected document: %s", buf.Bytes())
	}
}

func TestPlanPolicyJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := PlanPolicyJSON(&buf, []manifest.Region{sampleRegion("eu-west-1")}, sampleReports()[:1], nil); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Regions []map[string]json.RawMessage `json:"regions"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"name", "resources", "policy", "waivers"} {
		if _, ok := doc.Regions[0][key]; !ok {
			t.Errorf("region has no %q member: %s", key, buf.Bytes())
		}
	}
}

// A preview the engine stopped never "passes every guardrail": most rules never saw it.
func TestPolicyTextPartialPreview(t *testing.T) {
	var b strings.Builder
	if err := PolicyText(&b, []policy.Report{{Region: "eu-west-1", Partial: true}, {Region: "ap-southeast-2"}}); err != nil {
		t.Fatal(err)
	}
	want := "eu-west-1: the preview did not finish, so only its planned changes were checked: no finding\n" +
		"ap-southeast-2: passes every guardrail\n" +
		"policy: 2 regions, no finding in what was checked\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
