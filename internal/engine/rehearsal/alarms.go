package rehearsal

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// AlarmsFile is the file, in the rehearsal folder, that sets the states of a rehearsal's
// alarms: the stand-in account has no metrics, so every alarm is OK unless this file
// says otherwise. A person rehearsing an incident (or a test) writes, per region, the
// alarms to fire, by their CloudWatch name:
//
//	ap-southeast-2:
//	  regionctl-queue-events-age: ALARM
//
// It is read at each health check, so it can be written during a rollout's bake time.
const AlarmsFile = "alarms.yaml"

// alarmStates are the states CloudWatch has.
var alarmStates = []string{"OK", "ALARM", "INSUFFICIENT_DATA"}

// AlarmFile reads alarm states from a rehearsal's AlarmsFile (Path).
type AlarmFile struct{ Path string }

// AlarmStates returns the state of each of the region's alarms names: what the file
// sets, else OK. An alarm the file sets that the region does not have is an error (a
// typo would otherwise rehearse nothing).
func (f AlarmFile) AlarmStates(_ context.Context, region string, names []string) (map[string]string, error) {
	out := make(map[string]string, len(names))
	for _, n := range names {
		out[n] = "OK"
	}
	data, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	var doc map[string]map[string]string
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %v; write region: {alarm-name: ALARM}", f.Path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	set := doc[region]
	keys := make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, name := range keys {
		state := set[name]
		if !slices.Contains(alarmStates, state) {
			return nil, fmt.Errorf("%s: %s.%s: %q is not an alarm state; write OK, ALARM or INSUFFICIENT_DATA", f.Path, region, name, state)
		}
		if _, ok := out[name]; !ok {
			return nil, fmt.Errorf("%s: %s has no alarm %s; its alarms are %s", f.Path, region, name, strings.Join(sorted(names), ", "))
		}
		out[name] = state
	}
	return out, nil
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	sort.Strings(s)
	return s
}
