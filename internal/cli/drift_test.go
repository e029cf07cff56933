package cli

import (
	"errors"
	"testing"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
)

func TestDriftArgv(t *testing.T) {
	tests := []struct {
		argv    string
		wantErr string
		check   func(*DriftOptions) bool
	}{
		{argv: "drift --all", check: func(o *DriftOptions) bool { return o.All && len(o.Request.Regions) == 0 }},
		{argv: "drift eu-west-1 ap-southeast-2 --rehearse --latency-scale 0 --parallel 3 --json", check: func(o *DriftOptions) bool {
			return o.Request.Rehearse && o.Request.LatencyScale == 0 && o.Request.Parallel == 3 && o.JSON && len(o.Request.Regions) == 2
		}},
		{argv: "drift", wantErr: "name at least one region (regionctl drift eu-west-1) or use --all"},
		{argv: "drift eu-west-1 --all", wantErr: "name regions or use --all, not both"},
		{argv: "drift eu-west-1 --latency-scale 0", wantErr: "--latency-scale needs --rehearse and a value of 0 or more"},
		{argv: "drift eu-west-1 --yes", wantErr: "unknown flag: --yes"},
	}
	for _, tt := range tests {
		t.Run(tt.argv, func(t *testing.T) {
			var got *DriftOptions
			code, err := execArgs(t, tt.argv, func(f *Factory, g *Globals) *cobra.Command {
				return newDriftCmd(f, g, func(o *DriftOptions) error { got = o; return nil })
			})
			if argsFailed(t, code, err, tt.wantErr, 0) {
				return
			}
			if !tt.check(got) {
				t.Errorf("unexpected options %+v", *got)
			}
		})
	}
}

func TestRehearseChangeArgv(t *testing.T) {
	tests := []struct {
		argv    string
		wantErr string
		want    map[string]any
	}{
		{argv: "rehearse change eu-west-1 aws:sqs/queue:Queue queue-events-queue visibilityTimeoutSeconds=120 name=other fifoQueue=true",
			want: map[string]any{"visibilityTimeoutSeconds": 120.0, "name": "other", "fifoQueue": true}},
		{argv: "rehearse change eu-west-1 aws:sqs/queue:Queue queue-events-queue",
			wantErr: "give REGION TYPE NAME and at least one PROP=VALUE (regionctl rehearse change eu-west-1 aws:sqs/queue:Queue queue-events-queue visibilityTimeoutSeconds=120)"},
		{argv: "rehearse change eu-west-1 aws:sqs/queue:Queue queue-events-queue 120", wantErr: `"120" is not PROP=VALUE`},
	}
	for _, tt := range tests {
		t.Run(tt.argv, func(t *testing.T) {
			var got *RehearseChangeOptions
			code, err := execArgs(t, tt.argv, func(f *Factory, g *Globals) *cobra.Command {
				return newRehearseCmd(f, g, func(o *RehearseChangeOptions) error { got = o; return nil })
			})
			if argsFailed(t, code, err, tt.wantErr, 0) {
				return
			}
			if got.Request.Region != "eu-west-1" || got.Request.Type != "aws:sqs/queue:Queue" || got.Request.Name != "queue-events-queue" || len(got.Request.Properties) != len(tt.want) {
				t.Fatalf("request %+v", got.Request)
			}
			for k, v := range tt.want {
				if got.Request.Properties[k] != v {
					t.Errorf("%s = %#v, want %#v", k, got.Request.Properties[k], v)
				}
			}
		})
	}
}

// Drift found exits 7; a region that could not be checked wins (1); cancelled wins over both.
func TestDriftExitCode(t *testing.T) {
	found := &app.DriftFoundError{Regions: []string{"eu-west-1"}, Resources: 1}
	if got := app.ExitCode(found); got != ExitDrift {
		t.Errorf("drift found: exit %d, want %d", got, ExitDrift)
	}
	if got := app.ExitCode(errors.Join(found, errors.New("region \"ap-southeast-2\": engine failed"))); got != ExitFailure {
		t.Errorf("drift and a failure: exit %d, want 1", got)
	}
	if got := app.ExitCode(errors.Join(found, &app.ChangesPendingError{Region: "x"})); got != ExitDrift {
		t.Errorf("drift and changes pending: exit %d, want %d", got, ExitDrift)
	}
}
