package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/estimate"
	"github.com/regionctl/regionctl/internal/manifest"
)

func sampleEstimate(t *testing.T, name string) estimate.Estimate {
	t.Helper()
	m := sampleRegion(name)
	for i := range m.Resources {
		r := &m.Resources[i]
		switch r.Type {
		case "aws:rds/cluster:Cluster":
			// Waits for a subnet it takes nothing from: an explicit-only edge.
			r.DependsOn = []string{"urn:pulumi:" + name + "::regionctl::regionctl:stacks:Network::network$subnet-a"}
		case "aws:rds/clusterInstance:ClusterInstance":
			r.Inputs = map[string]any{"instanceClass": "db.r6g.large"}
			r.DependsOn = []string{"urn:pulumi:" + name + "::regionctl::regionctl:stacks:Database::database-main$cluster"}
			r.InputDeps = map[string][]string{"clusterIdentifier": r.DependsOn}
		}
	}
	e, err := estimate.Of(m)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEstimateText(t *testing.T) {
	var buf bytes.Buffer
	if err := EstimateText(&buf, []estimate.Estimate{sampleEstimate(t, "eu-west-1"), sampleEstimate(t, "xx-nowhere-1")}); err != nil {
		t.Fatal(err)
	}
	golden(t, "estimate.txt", buf.Bytes())
	if !strings.Contains(buf.String(), "xx-nowhere-1: first up ≈ 14 min (critical path: ec2.Subnet network-private-a (2s) → rds.Cluster database-main-cluster (4m) → rds.ClusterInstance database-main-1 (10m)); monthly: no prices for xx-nowhere-1\n") {
		t.Errorf("a region without prices:\n%s", buf.String())
	}
}

// The plan document keeps its members and adds the estimate.
func TestPlanPolicyJSONWithEstimate(t *testing.T) {
	var buf bytes.Buffer
	if err := PlanPolicyJSON(&buf, []manifest.Region{sampleRegion("eu-west-1")}, sampleReports()[:1], []estimate.Estimate{sampleEstimate(t, "eu-west-1")}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Regions []map[string]json.RawMessage `json:"regions"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"name", "resources", "policy", "waivers", "estimate"} {
		if _, ok := doc.Regions[0][key]; !ok {
			t.Errorf("region has no %q member", key)
		}
	}
	var est struct {
		FirstUp struct {
			Seconds int `json:"seconds"`
		} `json:"firstUp"`
		Monthly struct {
			Desired float64 `json:"desired"`
		} `json:"monthly"`
	}
	if err := json.Unmarshal(doc.Regions[0]["estimate"], &est); err != nil {
		t.Fatal(err)
	}
	// Two db.r6g.large at eu-west-1's $0.29/h for 730 h.
	if est.FirstUp.Seconds != 14*60+2 || est.Monthly.Desired != 423.4 {
		t.Errorf("estimate %s", doc.Regions[0]["estimate"])
	}
}
