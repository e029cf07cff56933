package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

// shippedRegions loads the region files the repository ships.
func shippedRegions(t testing.TB) []*spec.Region {
	t.Helper()
	regions, err := spec.LoadDir(filepath.Join("..", "..", "regions"))
	if err != nil {
		t.Fatalf("loading shipped regions: %v", err)
	}
	return regions
}

func findRegion(t testing.TB, regions []*spec.Region, id string) *spec.Region {
	t.Helper()
	for _, r := range regions {
		if r.Region == id {
			return r
		}
	}
	t.Fatalf("region %s not shipped", id)
	return nil
}

func TestPlanRegionHasReferenceArchitecture(t *testing.T) {
	r := findRegion(t, shippedRegions(t), "eu-west-1")
	m, err := PlanRegion(r)
	if err != nil {
		t.Fatal(err)
	}
	counts := m.CountByType()
	atLeast := map[string]int{
		"pulumi:providers:aws":                              1,
		"aws:kms/key:Key":                                   1,
		"aws:ec2/vpc:Vpc":                                   1,
		"aws:ec2/subnet:Subnet":                             3 * len(r.AZNames),
		"aws:ec2/natGateway:NatGateway":                     len(r.AZNames),
		"aws:rds/cluster:Cluster":                           len(r.Databases),
		"aws:rds/clusterInstance:ClusterInstance":           2,
		"aws:elasticache/replicationGroup:ReplicationGroup": len(r.Caches),
		"aws:sqs/queue:Queue":                               2 * len(r.Queues),
		"aws:autoscaling/group:Group":                       len(r.Servers),
		"aws:ec2/launchTemplate:LaunchTemplate":             len(r.Servers),
		"aws:lb/loadBalancer:LoadBalancer":                  1,
		"aws:s3/bucketV2:BucketV2":                          len(r.Buckets),
		"aws:sns/topic:Topic":                               1,
		"aws:cloudwatch/metricAlarm:MetricAlarm":            4,
	}
	for typ, want := range atLeast {
		if counts[typ] < want {
			t.Errorf("%s: %d planned, want at least %d", typ, counts[typ], want)
		}
	}
	if counts["pulumi:providers:aws"] != 1 {
		t.Errorf("want exactly one explicit aws provider, got %d", counts["pulumi:providers:aws"])
	}
}

func TestPlanIsDeterministic(t *testing.T) {
	regions := shippedRegions(t)
	var first []byte
	for i := 0; i < 3; i++ {
		ms, err := Offline{}.Plan(context.Background(), regions)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(ms)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
		} else if !bytes.Equal(first, b) {
			t.Fatal("two plans of the same regions differ")
		}
	}
}

func TestPlanKeepsOrderAndRunsConcurrently(t *testing.T) {
	regions := shippedRegions(t)
	ms, err := Offline{Parallel: len(regions)}.Plan(context.Background(), regions)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range regions {
		if ms[i].Name != r.Region {
			t.Errorf("manifest %d is %q, want %q", i, ms[i].Name, r.Region)
		}
		if ms[i].Managed() == 0 {
			t.Errorf("%s planned no resources", r.Region)
		}
	}
}

func TestPlanHonoursCancellation(t *testing.T) {
	regions := shippedRegions(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// One slot, already cancelled: at most the first region may run.
	_, err := Offline{Parallel: 1}.Plan(ctx, regions)
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Fatalf("want a cancellation error, got %v", err)
	}
}

func TestPlanMasksNoSecretsInClear(t *testing.T) {
	r := findRegion(t, shippedRegions(t), "eu-west-1")
	m, err := PlanRegion(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, res := range m.Resources {
		for _, k := range []string{"masterPassword", "password", "authToken"} {
			if v, ok := res.Inputs[k]; ok && v != manifest.SecretMask {
				t.Errorf("%s has %s in clear", res.Name, k)
			}
		}
	}
}
