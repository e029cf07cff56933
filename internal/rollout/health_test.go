package rollout

import (
	"reflect"
	"testing"

	"github.com/regionctl/regionctl/internal/spec"
)

func TestAlarmVerdict(t *testing.T) {
	names := []string{"regionctl-b", "regionctl-a", "regionctl-c"}
	checked, problems := AlarmVerdict(names, map[string]string{"regionctl-a": "ALARM", "regionctl-b": "INSUFFICIENT_DATA", "regionctl-c": "ALARM"})
	if checked != "" || !reflect.DeepEqual(problems, []string{"alarms: 2 of 3 in ALARM (regionctl-a, regionctl-c)"}) {
		t.Errorf("%q %v", checked, problems)
	}
	if checked, problems := AlarmVerdict(names, map[string]string{"regionctl-b": "INSUFFICIENT_DATA"}); checked != "alarms OK (3)" || problems != nil {
		t.Errorf("%q %v: a new alarm without data is not a failure", checked, problems)
	}
}

func TestOutputsVerdict(t *testing.T) {
	r := &spec.Region{Servers: []spec.Server{{Name: "web", LoadBalancer: &spec.LoadBalancer{}}, {Name: "worker"}},
		Databases: []spec.Database{{Name: "main"}}, Queues: []spec.Queue{{Name: "events"}}}
	outputs := map[string]any{"albDnsNames": map[string]any{"web": "web-123.elb.amazonaws.com"}, "databaseEndpoints": map[string]any{"main": ""},
		"queueUrls": map[string]any{"events": "https://sqs/events"}}
	if checked, problems := OutputsVerdict(r, outputs); checked != "" || !reflect.DeepEqual(problems, []string{"outputs: missing databaseEndpoints.main"}) {
		t.Errorf("%q %v", checked, problems)
	}
	outputs["databaseEndpoints"] = map[string]any{"main": "main.cluster-x.rds.amazonaws.com"}
	if checked, problems := OutputsVerdict(r, outputs); checked != "outputs OK (3 endpoints)" || problems != nil {
		t.Errorf("%q %v", checked, problems)
	}
}
