package rehearsal

import (
	"fmt"
	"os"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/regionctl/regionctl/internal/awsmodel"
)

// NoCapacityEnv names, comma-separated, the DB instance classes and cache node types
// AWS has no capacity for in a rehearsal: what a new region (or a zone) short of a
// class looks like, the create refused with AWS's own error until capacity comes back.
// The class is offered, so preview and preflight pass; only the create fails. Like
// UnhealthyEnv it is read from regionctl's own process at each call, so a test (or a
// person trying a failed bring-up out) sets it, and clears it to let the next run pass.
const NoCapacityEnv = "REGIONCTL_REHEARSAL_NO_CAPACITY"

// capacityRefusal is AWS's refusal to create a resource of typ whose class NoCapacityEnv
// names, or "".
func capacityRefusal(typ string, inputs resource.PropertyMap) string {
	short := map[string]bool{}
	for _, c := range strings.Split(os.Getenv(NoCapacityEnv), ",") {
		if c = strings.TrimSpace(c); c != "" {
			short[c] = true
		}
	}
	if len(short) == 0 {
		return ""
	}
	switch typ {
	case "aws:rds/clusterInstance:ClusterInstance":
		if class, _ := awsmodel.KnownString(inputs, "instanceClass"); short[class] {
			zone, _ := awsmodel.KnownString(inputs, "availabilityZone")
			return fmt.Sprintf("InsufficientDBInstanceCapacity: Cannot create a DB instance because there is not enough capacity available for %s in availability zone %s; try again later, or another instance class", class, zone)
		}
	case "aws:elasticache/replicationGroup:ReplicationGroup":
		if node, _ := awsmodel.KnownString(inputs, "nodeType"); short[node] {
			return fmt.Sprintf("InsufficientCacheClusterCapacity: %s is not currently available; try again later, or another node type", node)
		}
	}
	return ""
}
