package rehearsal_test

import (
	"context"
	"slices"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// TestCheckEngineVersions: what CreateDBCluster, CreateReplicationGroup and
// ModifyDBCluster refuse about engine versions, refused at Check with AWS's wording.
func TestCheckEngineVersions(t *testing.T) {
	const (
		cluster  = "aws:rds/cluster:Cluster"
		instance = "aws:rds/clusterInstance:ClusterInstance"
		group    = "aws:elasticache/replicationGroup:ReplicationGroup"
	)
	mysql := func(v string) resource.PropertyMap {
		return resource.PropertyMap{"clusterIdentifier": str("main"), "engine": str("aurora-mysql"), "engineVersion": str(v)}
	}
	pg := func(v string) resource.PropertyMap {
		return resource.PropertyMap{"clusterIdentifier": str("main"), "engine": str("aurora-postgresql"), "engineVersion": str(v)}
	}
	redis := func(v string) resource.PropertyMap {
		return resource.PropertyMap{"replicationGroupId": str("sessions"), "description": str("d"), "engineVersion": str(v)}
	}
	tests := []struct {
		name       string
		typ        string
		olds, news resource.PropertyMap
		want       []string
	}{
		{"offered", cluster, nil, mysql("8.0.mysql_aurora.3.10.3"), nil},
		{"deprecated on create", cluster, nil, mysql("8.0.mysql_aurora.3.05.2"),
			[]string{"engineVersion: InvalidParameterCombination: Cannot find version 8.0.mysql_aurora.3.05.2 for aurora-mysql (AWS offers 8.0.mysql_aurora.3.08.2)"}},
		{"deprecated instance", instance, nil, resource.PropertyMap{"engine": str("aurora-mysql"), "engineVersion": str("8.0.mysql_aurora.3.06.1")},
			[]string{"engineVersion: InvalidParameterCombination: Cannot find version 8.0.mysql_aurora.3.06.1 for aurora-mysql (AWS offers 8.0.mysql_aurora.3.08.2)"}},
		{"instance inherits the cluster's version", instance, nil, resource.PropertyMap{"engine": str("aurora-mysql")}, nil},
		{"newer than the catalog: AWS decides", cluster, nil, mysql("8.0.mysql_aurora.3.13.0"), nil},
		{"deprecated but already running", cluster, mysql("8.0.mysql_aurora.3.05.2"), mysql("8.0.mysql_aurora.3.05.2"), nil},
		{"upgrade", cluster, mysql("8.0.mysql_aurora.3.08.2"), mysql("8.0.mysql_aurora.3.10.3"), nil},
		{"downgrade", cluster, mysql("8.0.mysql_aurora.3.10.4"), mysql("8.0.mysql_aurora.3.10.3"),
			[]string{"engineVersion: InvalidParameterCombination: Cannot upgrade aurora-mysql from 8.0.mysql_aurora.3.10.4 to 8.0.mysql_aurora.3.10.3 (AWS never lowers a cluster's version: pin 8.0.mysql_aurora.3.10.4 or newer)"}},
		{"postgres downgrade", cluster, pg("16.10"), pg("16.9"),
			[]string{"engineVersion: InvalidParameterCombination: Cannot upgrade aurora-postgresql from 16.10 to 16.9 (AWS never lowers a cluster's version: pin 16.10 or newer)"}},
		{"engine change is not a downgrade", cluster, mysql("8.0.mysql_aurora.3.10.3"), pg("16.10"), nil},
		{"past standard support still creatable", cluster, nil, pg("12.22"), nil},
		{"redis offered", group, nil, redis("7.1"), nil},
		{"redis withdrawn", group, nil, redis("5.0.5"),
			[]string{"engineVersion: InvalidParameterCombination: Cannot find version 5.0.5 for redis (AWS offers 7.0)"}},
		{"redis past 7.1", group, nil, redis("7.2"),
			[]string{"engineVersion: InvalidParameterCombination: Cannot find version 7.2 for redis (AWS offers 7.1)"}},
		{"redis downgrade is replace.go's", group, redis("7.1"), redis("7.0"), nil},
		{"version not known yet", cluster, nil, resource.PropertyMap{"clusterIdentifier": str("main"), "engine": str("aurora-mysql"), "engineVersion": unknown()}, nil},
	}
	client := configured(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := client.Check(context.Background(), &pulumirpc.CheckRequest{
				Urn: urn(tt.typ, "db"), Type: tt.typ, Name: "db", Olds: props(t, tt.olds), News: props(t, tt.news),
			})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, line := range failureLines(resp.GetFailures()) {
				if len(line) > len("engineVersion:") && line[:len("engineVersion:")] == "engineVersion:" {
					got = append(got, line)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("failures\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
