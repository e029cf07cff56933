package report

import (
	"bytes"
	"flag"
	"path/filepath"
	"testing"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	testutil.Golden(t, filepath.Join("testdata", name), got, *update)
}

func sampleRegion(name string) manifest.Region {
	stack := "urn:pulumi:" + name + "::regionctl::pulumi:pulumi:Stack::regionctl-" + name
	net := "urn:pulumi:" + name + "::regionctl::regionctl:stacks:Network::network"
	db := "urn:pulumi:" + name + "::regionctl::regionctl:stacks:Database::database-main"
	r := manifest.Region{Name: name, Resources: []manifest.Resource{
		{URN: stack, Type: manifest.StackType, Name: "regionctl-" + name},
		{URN: stack + "$provider", Type: "pulumi:providers:aws", Name: "aws", Parent: stack, Custom: true,
			Inputs: map[string]any{"region": name}},
		{URN: net, Type: "regionctl:stacks:Network", Name: "network", Parent: stack},
		{URN: net + "$vpc", Type: "aws:ec2/vpc:Vpc", Name: "network-vpc", Parent: net, Custom: true,
			Inputs: map[string]any{"cidrBlock": "10.20.0.0/16"}},
		{URN: net + "$subnet-a", Type: "aws:ec2/subnet:Subnet", Name: "network-private-a", Parent: net, Custom: true,
			Inputs: map[string]any{"cidrBlock": "10.20.0.0/21"}},
		{URN: net + "$subnet-b", Type: "aws:ec2/subnet:Subnet", Name: "network-private-b", Parent: net, Custom: true,
			Inputs: map[string]any{"cidrBlock": "10.20.8.0/21"}},
		{URN: db, Type: "regionctl:stacks:Database", Name: "database-main", Parent: stack},
		{URN: db + "$cluster", Type: "aws:rds/cluster:Cluster", Name: "database-main-cluster", Parent: db, Custom: true,
			Protect: true, RetainOnDelete: true, Inputs: map[string]any{"masterPassword": manifest.SecretMask, "engine": "aurora-mysql"}},
		{URN: db + "$i1", Type: "aws:rds/clusterInstance:ClusterInstance", Name: "database-main-1", Parent: db, Custom: true,
			Protect: true, RetainOnDelete: true, Inputs: map[string]any{}},
		{URN: db + "$i2", Type: "aws:rds/clusterInstance:ClusterInstance", Name: "database-main-2", Parent: db, Custom: true,
			Protect: true, RetainOnDelete: true, Inputs: map[string]any{}},
	}}
	r.Sort()
	return r
}

func TestPlanText(t *testing.T) {
	tests := []struct {
		golden  string
		regions []manifest.Region
	}{
		{"plan-one.txt", []manifest.Region{sampleRegion("eu-west-1")}},
		{"plan-two.txt", []manifest.Region{sampleRegion("eu-west-1"), sampleRegion("ap-southeast-2")}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			var buf bytes.Buffer
			if err := PlanText(&buf, tt.regions); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.golden, buf.Bytes())
		})
	}
}

func TestPlanJSON(t *testing.T) {
	var a, b bytes.Buffer
	if err := PlanJSON(&a, []manifest.Region{sampleRegion("eu-west-1")}); err != nil {
		t.Fatal(err)
	}
	if err := PlanJSON(&b, []manifest.Region{sampleRegion("eu-west-1")}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("same manifest gave different JSON")
	}
	golden(t, "plan.json", a.Bytes())
}

func TestPlanJSONEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := PlanJSON(&buf, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "{\n  \"regions\": []\n}\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
