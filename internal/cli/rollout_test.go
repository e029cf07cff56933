package cli

import (
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/engine"
)

func TestUpWavesFlags(t *testing.T) {
	for _, tt := range []struct{ argv, wantErr string }{
		{argv: "up --all --waves --rehearse --yes"},
		{argv: "up eu-west-1 --waves", wantErr: "--waves rolls out every region of regions/fleet.yaml: use it with --all, not with region names"},
		{argv: "up --all --waves --expect-no-changes", wantErr: "--waves applies changes; --expect-no-changes is for preview and up without --waves"},
		{argv: "preview --all --waves", wantErr: "unknown flag: --waves"},
	} {
		t.Run(tt.argv, func(t *testing.T) {
			ios, _, _ := TestIO(false)
			g := &Globals{}
			root := newBareRoot(ios, g)
			op := engine.Operation(strings.Fields(tt.argv)[0])
			var got *DeployOptions
			root.AddCommand(newDeployCmd(testFactory(ios, deployDay, nil, nil), g, op, func(o *DeployOptions) error { got = o; return nil }))
			root.SetArgs(strings.Fields(tt.argv))
			err := root.Execute()
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !got.Waves || !got.All {
				t.Fatalf("err %v, options %+v", err, got)
			}
		})
	}
}
