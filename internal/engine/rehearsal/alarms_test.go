package rehearsal

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestAlarmFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), AlarmsFile)
	f := AlarmFile{Path: path}
	names := []string{"regionctl-queue-events-age", "regionctl-queue-events-dlq"}
	got, err := f.AlarmStates(context.Background(), "ap-southeast-2", names)
	if err != nil || !reflect.DeepEqual(got, map[string]string{"regionctl-queue-events-age": "OK", "regionctl-queue-events-dlq": "OK"}) {
		t.Fatalf("without the file: %v, %v; want every alarm OK", got, err)
	}
	for _, tc := range []struct{ content, want string }{
		{"ap-southeast-2:\n  regionctl-queue-events-age: ALARM\n", ""},
		{"ap-southeast-2:\n  regionctl-queue-event-age: ALARM\n", "ap-southeast-2 has no alarm regionctl-queue-event-age; its alarms are regionctl-queue-events-age, regionctl-queue-events-dlq"},
		{"ap-southeast-2:\n  regionctl-queue-events-age: FIRING\n", `"FIRING" is not an alarm state; write OK, ALARM or INSUFFICIENT_DATA`},
	} {
		if err := os.WriteFile(path, []byte(tc.content), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := f.AlarmStates(context.Background(), "ap-southeast-2", names)
		switch {
		case tc.want == "" && (err != nil || got["regionctl-queue-events-age"] != "ALARM" || got["regionctl-queue-events-dlq"] != "OK"):
			t.Errorf("%q: %v, %v", tc.content, got, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: err %v, want %q", tc.content, err, tc.want)
		}
	}
	if got, err := f.AlarmStates(context.Background(), "eu-west-1", names); err != nil || got["regionctl-queue-events-age"] != "OK" {
		t.Errorf("another region: %v, %v", got, err)
	}
}
