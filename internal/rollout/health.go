package rollout

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/regionctl/regionctl/internal/spec"
)

// AlarmReader reads the states (OK, ALARM, INSUFFICIENT_DATA) of a region's alarms by
// name: CloudWatch in AWS (awslive), a file in a rehearsal (rehearsal.AlarmFile). A
// name it does not know is left out of the answer.
type AlarmReader interface {
	AlarmStates(ctx context.Context, region string, names []string) (map[string]string, error)
}

// StateAlarm is the state of an alarm whose threshold is breached.
const StateAlarm = "ALARM"

// AlarmVerdict judges a region by its alarms: any in ALARM is a problem. A new alarm
// is INSUFFICIENT_DATA until its metric has data points, which is not a failure.
func AlarmVerdict(names []string, states map[string]string) (checked string, problems []string) {
	var firing []string
	for _, n := range names {
		if states[n] == StateAlarm {
			firing = append(firing, n)
		}
	}
	sort.Strings(firing)
	switch {
	case len(names) == 0:
		return "alarms: none to check", nil
	case len(firing) > 0:
		return "", []string{fmt.Sprintf("alarms: %d of %d in ALARM (%s)", len(firing), len(names), strings.Join(firing, ", "))}
	}
	return fmt.Sprintf("alarms OK (%d)", len(names)), nil
}

// OutputsVerdict judges a region by its stack outputs after up: every endpoint its
// file implies (load balancer, database, cache, queue) must be there and non-empty.
func OutputsVerdict(r *spec.Region, outputs map[string]any) (checked string, problems []string) {
	var missing []string
	want := func(output, name string) {
		m, _ := outputs[output].(map[string]any)
		if s, _ := m[name].(string); s == "" {
			missing = append(missing, output+"."+name)
		}
	}
	n := 0
	for _, s := range r.Servers {
		if s.LoadBalancer != nil {
			want("albDnsNames", s.Name)
			n++
		}
	}
	for _, d := range r.Databases {
		want("databaseEndpoints", d.Name)
		n++
	}
	for _, c := range r.Caches {
		want("cacheEndpoints", c.Name)
		n++
	}
	for _, q := range r.Queues {
		want("queueUrls", q.Name)
		n++
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return "", []string{"outputs: missing " + strings.Join(missing, ", ")}
	}
	return fmt.Sprintf("outputs OK (%d endpoints)", n), nil
}
