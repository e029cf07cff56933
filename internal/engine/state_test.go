package engine

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
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
