package rehearsal

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

func TestCapacityRefusal(t *testing.T) {
	instance := resource.PropertyMap{"instanceClass": resource.NewStringProperty("db.r6g.xlarge"), "availabilityZone": resource.NewStringProperty("eu-west-1a")}
	redis := resource.PropertyMap{"nodeType": resource.NewStringProperty("cache.r6g.large")}
	t.Setenv(NoCapacityEnv, "")
	if got := capacityRefusal("aws:rds/clusterInstance:ClusterInstance", instance); got != "" {
		t.Errorf("no class short: %q", got)
	}
	t.Setenv(NoCapacityEnv, " db.r6g.xlarge , cache.m7g.large")
	if got := capacityRefusal("aws:rds/clusterInstance:ClusterInstance", instance); !strings.HasPrefix(got, "InsufficientDBInstanceCapacity: ") || !strings.Contains(got, "db.r6g.xlarge in availability zone eu-west-1a") {
		t.Errorf("short class: %q", got)
	}
	if got := capacityRefusal("aws:elasticache/replicationGroup:ReplicationGroup", redis); got != "" {
		t.Errorf("a node type with capacity: %q", got)
	}
	t.Setenv(NoCapacityEnv, "cache.r6g.large")
	if got := capacityRefusal("aws:elasticache/replicationGroup:ReplicationGroup", redis); !strings.HasPrefix(got, "InsufficientCacheClusterCapacity: cache.r6g.large") {
		t.Errorf("short node type: %q", got)
	}
}
