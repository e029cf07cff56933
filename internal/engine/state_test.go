package engine

import (
	"errors"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/regionctl/regionctl/internal/manifest"
)

// A destroy says what each retained resource keeps costing, from its configuration.
func TestRetainedSaysWhatKeepsCosting(t *testing.T) {
	st := State{Resources: []apitype.ResourceV3{
		{URN: "urn:pulumi:eu-west-1::regionctl::aws:rds/clusterInstance:ClusterInstance::database-main-1", Type: "aws:rds/clusterInstance:ClusterInstance",
			Custom: true, RetainOnDelete: true, Inputs: map[string]any{"instanceClass": "db.r6g.xlarge"}},
		{URN: "urn:pulumi:eu-west-1::regionctl::aws:elasticache/replicationGroup:ReplicationGroup::cache-sessions-redis", Type: "aws:elasticache/replicationGroup:ReplicationGroup",
			Custom: true, RetainOnDelete: true, Inputs: map[string]any{"numCacheClusters": float64(2), "nodeType": "cache.r6g.large"}},
		{URN: "urn:pulumi:eu-west-1::regionctl::aws:ec2/subnet:Subnet::network-isolated-a", Type: "aws:ec2/subnet:Subnet", Custom: true, RetainOnDelete: true},
		{URN: "urn:pulumi:eu-west-1::regionctl::aws:sqs/queue:Queue::q", Type: "aws:sqs/queue:Queue", Custom: true},
	}}
	got := st.Retained()
	want := []string{"instance hours (db.r6g.xlarge)", "node hours (2 × cache.r6g.large) and snapshots", ""}
	if len(got) != len(want) {
		t.Fatalf("retained %+v, want 3 (the queue is not retained)", got)
	}
	for i, w := range want {
		if got[i].Billed != w {
			t.Errorf("%s: billed %q, want %q", got[i].Name, got[i].Billed, w)
		}
	}
}

// A create that fails because the name is taken says where such a resource comes from
// and what to do: on AWS it is typically a data store an earlier destroy retained.
func TestTakenNameExplained(t *testing.T) {
	c := &collector{region: "eu-west-1", errs: []string{
		"aws:rds/cluster:Cluster database-main-cluster: DBClusterAlreadyExistsFault: DB Cluster already exists",
	}}
	var ee *EngineError
	if err := c.failure(errors.New("update failed")); !errors.As(err, &ee) {
		t.Fatalf("failure %v, want an engine error", err)
	}
	if last := ee.Diagnostics[len(ee.Diagnostics)-1]; !strings.Contains(last, "an earlier destroy retained") || !strings.Contains(last, "pulumi import") {
		t.Errorf("diagnostics %q lack the explanation", ee.Diagnostics)
	}
	plain := &collector{region: "eu-west-1", errs: []string{"aws:sqs/queue:Queue q: AccessDenied"}}
	if err := plain.failure(errors.New("update failed")); errors.As(err, &ee) && len(ee.Diagnostics) != 1 {
		t.Errorf("an unrelated failure got extra advice: %q", ee.Diagnostics)
	}
}

// A component whose only change is the entry it records (a stack deployed before
// components recorded it) is not a change: the cloud sees nothing.
func TestComponentInputsAreNoChange(t *testing.T) {
	c := &collector{region: "eu-west-1", byURN: map[string]manifest.Resource{}}
	comp := "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Database::database-main"
	queue := "urn:pulumi:eu-west-1::regionctl::aws:sqs/queue:Queue::q"
	c.record(apitype.EngineEvent{ResourcePreEvent: &apitype.ResourcePreEvent{Metadata: apitype.StepEventMetadata{
		Op: apitype.OpUpdate, URN: comp, Type: "regionctl:stacks:Database",
		New: &apitype.StepEventStateMetadata{Type: "regionctl:stacks:Database", URN: comp, Inputs: map[string]any{"entry": "database/main"}},
	}}})
	c.record(apitype.EngineEvent{ResourcePreEvent: &apitype.ResourcePreEvent{Metadata: apitype.StepEventMetadata{
		Op: apitype.OpUpdate, URN: queue, Type: "aws:sqs/queue:Queue",
		New: &apitype.StepEventStateMetadata{Type: "aws:sqs/queue:Queue", URN: queue, Custom: true, Inputs: map[string]any{}},
	}}})
	c.record(apitype.EngineEvent{SummaryEvent: &apitype.SummaryEvent{ResourceChanges: map[apitype.OpType]int{apitype.OpUpdate: 2, apitype.OpSame: 5}}})
	if got := c.counts(); got.Update != 1 || got.Same != 6 {
		t.Errorf("changes %+v, want the queue's update only (the component's counts as same)", got)
	}
	if got := c.steps().Resources; len(got) != 2 || got[0].Op != manifest.OpUpdate || got[1].Op != manifest.OpSame {
		t.Errorf("steps %+v", got)
	}
}
