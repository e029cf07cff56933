package policy

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/spec"
)

func TestSCP(t *testing.T) {
	j, err := spec.LoadJurisdictions("../../regions/" + spec.JurisdictionsFile)
	if err != nil {
		t.Fatal(err)
	}
	got, err := SCP("eu", j["eu"], nil)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "testdata/scp-eu.json", string(got))

	var doc struct {
		Version   string
		Statement []struct {
			Effect    string
			NotAction []string
			Resource  string
			Condition map[string]map[string][]string
		}
	}
	if err := json.Unmarshal(got, &doc); err != nil {
		t.Fatal(err)
	}
	st := doc.Statement[0]
	if doc.Version != "2012-10-17" || st.Effect != "Deny" || st.Resource != "*" {
		t.Errorf("not a region deny: %s", got)
	}
	regions := st.Condition["StringNotEquals"]["aws:RequestedRegion"]
	if !slices.Equal(regions, []string{"eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3"}) {
		t.Errorf("regions %v", regions)
	}
	for _, global := range []string{"iam:*", "organizations:*", "route53:*", "cloudfront:*", "sts:*", "support:*", "budgets:*", "waf:*"} {
		if !slices.Contains(st.NotAction, global) {
			t.Errorf("global service %s is not exempt", global)
		}
	}
	for _, a := range st.NotAction {
		if strings.HasPrefix(a, "kms:") || strings.HasPrefix(a, "acm:") {
			t.Errorf("%s is exempt: keys and certificates would escape the jurisdiction", a)
		}
	}
}

func TestSCPExemptPrincipalsAndLimits(t *testing.T) {
	got, err := SCP("de", []string{"eu-central-1"}, []string{"arn:aws:iam::*:role/break-glass"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(got), `"Sid": "RegionctlDenyOutsideDe"`) || !strings.Contains(string(got), `"aws:PrincipalARN": [`) {
		t.Errorf("missing sid or exemption:\n%s", got)
	}
	if _, err := SCP("eu", nil, nil); err == nil || err.Error() != "jurisdiction eu has no regions; list them in jurisdictions.yaml" {
		t.Errorf("no regions: %v", err)
	}
	many := make([]string, 200)
	for i := range many {
		many[i] = "arn:aws:iam::*:role/a-rather-long-exempt-role-name"
	}
	if _, err := SCP("eu", []string{"eu-west-1"}, many); err == nil || !strings.Contains(err.Error(), "AWS Organizations accepts 5120") {
		t.Errorf("oversized policy: %v", err)
	}
}
