package rehearsal

import (
	"fmt"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/regionctl/regionctl/internal/awsmodel"
)

// versioned are the types whose engineVersion AWS checks against the versions it
// offers, with the engine AWS assumes when the input leaves it out.
var versioned = map[string]string{
	"aws:rds/cluster:Cluster":                           "",
	"aws:rds/clusterInstance:ClusterInstance":           "",
	"aws:elasticache/replicationGroup:ReplicationGroup": awsmodel.Redis,
}

// engineVersionFailures refuses what AWS refuses about an engine version, judged by the
// same catalog validate uses: a create (or a change) to a version AWS does not offer,
// with CreateDBCluster's own wording, and lowering an Aurora cluster's version, which
// ModifyDBCluster refuses (AWS upgrades in place, never down). A cache's downgrade is a
// replacement (replace.go), not a refusal.
func engineVersionFailures(typ string, olds, news resource.PropertyMap, at time.Time) []awsmodel.Failure {
	fallback, ok := versioned[typ]
	if !ok {
		return nil
	}
	version, ok := awsmodel.KnownString(news, "engineVersion")
	if !ok || version == "" {
		return nil
	}
	engine, ok := awsmodel.KnownString(news, "engine")
	if !ok {
		if fallback == "" {
			return nil
		}
		engine = fallback
	}
	oldVersion, _ := awsmodel.KnownString(olds, "engineVersion")
	oldEngine, _ := awsmodel.KnownString(olds, "engine")
	if oldEngine == "" {
		oldEngine = fallback
	}
	if oldVersion == version && oldEngine == engine {
		return nil // what runs already; AWS does not look again
	}
	if v := awsmodel.EngineVersion(engine, version, at); !v.Creatable() {
		reason := fmt.Sprintf("InvalidParameterCombination: Cannot find version %s for %s", version, engine)
		if v.Nearest != "" {
			reason += fmt.Sprintf(" (AWS offers %s)", v.Nearest)
		}
		return []awsmodel.Failure{{Prop: "engineVersion", Reason: reason}}
	}
	if typ == "aws:rds/cluster:Cluster" && oldEngine == engine && awsmodel.Downgrade(engine, oldVersion, version) {
		return []awsmodel.Failure{{Prop: "engineVersion", Reason: fmt.Sprintf(
			"InvalidParameterCombination: Cannot upgrade %s from %s to %s (AWS never lowers a cluster's version: pin %s or newer)",
			engine, oldVersion, version, oldVersion)}}
	}
	return nil
}
