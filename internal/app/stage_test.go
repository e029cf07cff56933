package app

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/internal/testutil"
)

func TestParseStage(t *testing.T) {
	for _, s := range []string{"network", "data", "app"} {
		if got, err := ParseStage(s); err != nil || string(got) != s {
			t.Errorf("ParseStage(%q) = %q, %v", s, got, err)
		}
	}
	if _, err := ParseStage("db"); err == nil || err.Error() != `"db" is not a stage; use one of network, data, app` {
		t.Errorf("ParseStage(db): %v", err)
	}
}

// TestStageOfShippedRegions checks the layers of every shipped region: by entry, each
// resource after everything it needs (the engine refuses a targeted create whose
// parent or dependency is neither targeted nor in the state).
func TestStageOfShippedRegions(t *testing.T) {
	regions, err := spec.LoadDir(filepath.Join(testutil.RepoRoot(t), "regions"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range regions {
		m, err := engine.PlanRegion(r)
		if err != nil {
			t.Fatal(err)
		}
		stages := StageOf(m)
		byURN := map[string]manifest.Resource{}
		count := map[Stage]int{}
		for _, res := range m.Resources {
			byURN[res.URN] = res
			if res.Custom {
				count[stages[res.URN]]++
			}
		}
		for _, res := range m.Resources {
			st := stages[res.URN]
			for _, dep := range needs(&res) {
				if d, ok := stages[dep]; ok && d.index() > st.index() {
					t.Errorf("%s: %s (%s) needs %s of the later stage %s", r.Region, res.Name, st, dep, d)
				}
			}
			want := map[string]Stage{
				"aws:ec2/vpc:Vpc": StageNetwork, "aws:kms/key:Key": StageNetwork, "pulumi:providers:aws": StageNetwork,
				"aws:ec2/natGateway:NatGateway": StageNetwork, "aws:rds/cluster:Cluster": StageData,
				"aws:elasticache/replicationGroup:ReplicationGroup": StageData, "aws:sqs/queue:Queue": StageData,
				"aws:s3/bucketV2:BucketV2": StageData, "aws:autoscaling/group:Group": StageApp,
				"aws:lb/loadBalancer:LoadBalancer": StageApp, "aws:cloudwatch/metricAlarm:MetricAlarm": StageApp,
				"aws:sns/topic:Topic": StageApp,
			}[res.Type]
			if want != "" && st != want {
				t.Errorf("%s: %s %s is in stage %s, want %s", r.Region, res.Type, res.Name, st, want)
			}
			// A data store's ingress from a fleet waits for the fleet's security group.
			if res.Type == "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && strings.HasPrefix(res.Name, "database-") && st != StageApp {
				t.Errorf("%s: %s is in stage %s, want app (it needs a fleet's security group)", r.Region, res.Name, st)
			}
		}
		if count[StageNetwork] == 0 || count[StageData] == 0 || count[StageApp] == 0 {
			t.Errorf("%s: cloud resources per stage %v, want some in each", r.Region, count)
		}
		t.Logf("%s: cloud resources per stage %v", r.Region, count)

		network, data := StageTargets(m, StageNetwork), StageTargets(m, StageData)
		if len(network) == 0 || len(data) <= len(network) || StageTargets(m, StageApp) != nil {
			t.Errorf("%s: targets network %d, data %d, app %v: want growing, the last stage untargeted", r.Region, len(network), len(data), StageTargets(m, StageApp))
		}
	}
}
