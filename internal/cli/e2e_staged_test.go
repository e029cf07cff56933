package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/engine/rehearsal"
)

// stateTypes counts the resource types of a region's rehearsal state (the checkpoint
// a stage leaves), read from the file backend.
func (e *e2e) stateTypes(region string) map[string]int {
	e.t.Helper()
	path := filepath.Join(e.dir, engine.RehearsalDir, "state", ".pulumi", "stacks", engine.Project, region+".json")
	b, err := os.ReadFile(path)
	if err != nil {
		e.t.Fatal(err)
	}
	var cp struct {
		Checkpoint struct {
			Latest struct {
				Resources []struct {
					Type string `json:"type"`
				} `json:"resources"`
			} `json:"latest"`
		} `json:"checkpoint"`
	}
	if err := json.Unmarshal(b, &cp); err != nil {
		e.t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range cp.Checkpoint.Latest.Resources {
		out[r.Type]++
	}
	return out
}

// TestE2EStagedByStage brings a region up one stage at a time: network alone (no data
// store, no fleet in the state), then the data layer, then the rest; the region is
// then exactly what one up makes.
func TestE2EStagedByStage(t *testing.T) {
	e := newE2E(t)
	up := func(args ...string) engine.Changes {
		return e.changes(ExitOK, append([]string{"up", "eu-west-1", "--rehearse", "--yes", "--latency-scale", "0"}, args...)...)["eu-west-1"]
	}
	network := up("--stage", "network")
	types := e.stateTypes("eu-west-1")
	if network.Create == 0 || network.Skipped == 0 || types["aws:ec2/vpc:Vpc"] != 1 || types["aws:kms/key:Key"] != 1 || types["aws:ec2/natGateway:NatGateway"] != 3 {
		t.Fatalf("stage network: %+v, state %v: want the key and the network", network, types)
	}
	for _, later := range []string{"aws:rds/cluster:Cluster", "aws:sqs/queue:Queue", "aws:s3/bucketV2:BucketV2", "aws:autoscaling/group:Group", "aws:lb/loadBalancer:LoadBalancer", "aws:cloudwatch/metricAlarm:MetricAlarm"} {
		if types[later] != 0 {
			t.Errorf("stage network created %d %s", types[later], later)
		}
	}
	if again := up("--stage", "network"); again.Pending() {
		t.Errorf("stage network again: %+v, want nothing to change", again)
	}

	data := up("--stage", "data")
	types = e.stateTypes("eu-west-1")
	if data.Create == 0 || data.Update+data.Replace+data.Delete != 0 || types["aws:rds/cluster:Cluster"] != 1 || types["aws:elasticache/replicationGroup:ReplicationGroup"] != 1 || types["aws:sqs/queue:Queue"] != 2 {
		t.Fatalf("stage data: %+v, state %v: want the data stores added", data, types)
	}
	if types["aws:autoscaling/group:Group"]+types["aws:lb/loadBalancer:LoadBalancer"]+types["aws:cloudwatch/metricAlarm:MetricAlarm"] != 0 {
		t.Errorf("stage data created the app layer: %v", types)
	}

	rest := up()
	if rest.Create == 0 || rest.Update+rest.Replace+rest.Delete != 0 || rest.Skipped != 0 {
		t.Fatalf("up after the stages: %+v, want the rest created", rest)
	}
	e.changes(ExitOK, "preview", "eu-west-1", "--rehearse", "--expect-no-changes")
	if total := e.stateTypes("eu-west-1"); total["aws:autoscaling/group:Group"] != 2 {
		t.Errorf("after every stage: %v, want both fleets", total)
	}
}

// TestE2EStagedResume runs up --staged while AWS has no capacity for the database's
// class: the network stage is applied, the data stage fails, and the error names the
// stage and the command that resumes. Once capacity is back, the same command passes
// over the network stage and finishes the region.
func TestE2EStagedResume(t *testing.T) {
	e := newE2E(t)
	t.Setenv(rehearsal.NoCapacityEnv, "db.r6g.xlarge")
	code, out, errOut := e.run(context.Background(), "up", "eu-west-1", "--staged", "--rehearse", "--yes", "--latency-scale", "0")
	want := `error: stage data of region "eu-west-1" failed (stage network applied): `
	if code != ExitFailure || !strings.Contains(errOut, want) || !strings.Contains(errOut, "InsufficientDBInstanceCapacity") ||
		!strings.Contains(errOut, "; fix the cause, then resume with: regionctl up eu-west-1 --staged --rehearse\n") {
		t.Fatalf("staged up without capacity: exit %d, want 1 naming the stage and the resume command:\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "eu-west-1: stage network: ") || !strings.Contains(errOut, "eu-west-1: stage data: failed ✗") || strings.Contains(errOut, "stage app") {
		t.Errorf("progress: want network done, data failed, app not started:\n%s", errOut)
	}
	types := e.stateTypes("eu-west-1")
	if types["aws:ec2/vpc:Vpc"] != 1 || types["aws:rds/clusterInstance:ClusterInstance"] != 0 || types["aws:autoscaling/group:Group"] != 0 {
		t.Fatalf("after the failed stage: %v, want the network, no database instance, no fleet", types)
	}

	t.Setenv(rehearsal.NoCapacityEnv, "")
	code, out, errOut = e.run(context.Background(), "up", "eu-west-1", "--staged", "--rehearse", "--yes", "--latency-scale", "0", "--json")
	if code != ExitOK {
		t.Fatalf("resumed staged up: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, line := range []string{"eu-west-1: stage network: nothing to change ✓", "eu-west-1: stage data: ", "eu-west-1: stage app: "} {
		if !strings.Contains(errOut, line) {
			t.Errorf("resumed staged up: stderr lacks %q:\n%s", line, errOut)
		}
	}
	if strings.Contains(errOut, "stage data: failed") || strings.Contains(errOut, "stage app: nothing to change") {
		t.Errorf("resumed staged up: want data and app applied:\n%s", errOut)
	}
	if got := changesByRegion(t, out)["eu-west-1"]; got.Create == 0 || got.Skipped != 0 {
		t.Errorf("resumed staged up: %+v, want the rest created and nothing left", got)
	}
	e.changes(ExitOK, "preview", "eu-west-1", "--rehearse", "--expect-no-changes")
	if again := e.changes(ExitOK, "up", "eu-west-1", "--staged", "--rehearse", "--yes")["eu-west-1"]; again.Pending() {
		t.Errorf("staged up of a finished region: %+v, want nothing", again)
	}
}

// TestE2EStagedPreviewNeverDeployed previews a region no up ever touched (a fresh
// state folder): it works, shows every resource to create, and leaves at most an
// empty stack that status reports as not deployed. preview --stage shows the stage.
func TestE2EStagedPreviewNeverDeployed(t *testing.T) {
	e := newE2E(t)
	whole := e.changes(ExitOK, "preview", "ap-southeast-2", "--rehearse")["ap-southeast-2"]
	if whole.Create < 100 || whole.Update+whole.Replace+whole.Delete+whole.Same != 0 {
		t.Fatalf("preview of a never-deployed region: %+v, want everything to create", whole)
	}
	network := e.changes(ExitOK, "preview", "ap-southeast-2", "--rehearse", "--stage", "network")["ap-southeast-2"]
	if network.Create == 0 || network.Create+network.Skipped != whole.Create {
		t.Errorf("preview --stage network: %+v, want the network's creates and the rest skipped (of %d)", network, whole.Create)
	}
	code, out, _ := e.run(context.Background(), "status", "ap-southeast-2", "--rehearse")
	if code != ExitOK || !strings.Contains(out, "not deployed") {
		t.Errorf("status after previews only: exit %d, want not deployed:\n%s", code, out)
	}
}
