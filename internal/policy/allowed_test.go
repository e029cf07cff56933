package policy

import (
	"slices"
	"testing"
	"time"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

// Unprotect names exactly the protected resources of the allowed entry with the allowed
// operation: not another entry's, not another operation's, not after expiry.
func TestUnprotect(t *testing.T) {
	const db = "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Database"
	const q = "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Queue"
	m := manifest.Region{Name: "eu-west-1", Resources: []manifest.Resource{
		{URN: db + "::database-main", Type: "regionctl:stacks:Database", Name: "database-main"},
		{URN: db + "$aws:rds/cluster:Cluster::database-main-cluster", Type: "aws:rds/cluster:Cluster", Name: "database-main-cluster",
			Parent: db + "::database-main", Custom: true, Protect: true, Op: manifest.OpReplace},
		{URN: db + "$aws:rds/clusterInstance:ClusterInstance::database-main-1", Type: "aws:rds/clusterInstance:ClusterInstance", Name: "database-main-1",
			Parent: db + "::database-main", Custom: true, Protect: true, Op: manifest.OpReplace},
		{URN: db + "$aws:rds/clusterParameterGroup:ClusterParameterGroup::database-main-params", Type: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
			Parent: db + "::database-main", Custom: true, Op: manifest.OpReplace},
		// A deleted queue: its component has no step; its parent URN says what it was.
		{URN: q + "$aws:sqs/queue:Queue::queue-events-queue", Type: "aws:sqs/queue:Queue", Name: "queue-events-queue",
			Parent: q + "::queue-events", Custom: true, Protect: true, Op: manifest.OpDelete},
	}}
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	r := &spec.Region{Region: "eu-west-1", Databases: []spec.Database{{Name: "main"}},
		Allow: []spec.Allowance{{Replace: "database/main", Reason: "x", Expires: "2026-12-31"}}}
	if got, want := Unprotect(r, m, now), []string{m.Resources[1].URN, m.Resources[2].URN}; !slices.Equal(got, want) {
		t.Errorf("replace allowed: %v, want %v", got, want)
	}
	r.Allow = append(r.Allow, spec.Allowance{Delete: "queue/events", Reason: "x", Expires: "2026-12-31"})
	if got := Unprotect(r, m, now); len(got) != 3 || got[2] != m.Resources[4].URN {
		t.Errorf("delete allowed: %v", got)
	}
	r.Allow = []spec.Allowance{{Delete: "database/main", Reason: "x", Expires: "2026-12-31"}}
	if got := Unprotect(r, m, now); len(got) != 0 {
		t.Errorf("a delete allowance must not lift a replacement: %v", got)
	}
	r.Allow = []spec.Allowance{{Replace: "database/main", Reason: "x", Expires: "2026-11-01"}}
	if got := Unprotect(r, m, now); len(got) != 0 {
		t.Errorf("an expired allowance lifts nothing: %v", got)
	}
}
