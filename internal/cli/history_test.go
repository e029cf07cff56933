package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/engine"
)

// history lists each update of the ledger, newest first, and says which ones
// regionctl did not make.
func TestHistoryTable(t *testing.T) {
	ios, out, _ := TestIO(false)
	f := &fakeRunner{history: map[string][]engine.Update{"eu-west-1": {
		{Kind: "update", Result: "failed", StartTime: "2026-11-22T11:00:00Z", Message: `"regionctl rollback: commit=aaaaaaaaaaaaaaaaaaaa file=sha256:0123456789abcdef from=bbbbbbbbbbbbbbbbbbbb by=Jane"`,
			Changes: engine.Changes{Update: 1, Delete: 2}},
		{Kind: "update", Result: "succeeded", StartTime: "2026-11-22T10:00:00Z", Message: "pulumi up by hand"},
	}}}
	t.Chdir(t.TempDir())
	opts := &HistoryOptions{IO: ios, Env: envFor(testFactory(ios, deployDay, nil, f), cliTestdata(t, "regions"))}
	opts.Request.Regions = []string{"eu-west-1"}
	if err := historyRun(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	want := "WHEN                  WHO   OP                                         COMMIT        FILE          RESULT     CHANGES (C/U/R/D)  WORKING TREE\n" +
		"2026-11-22T11:00:00Z  Jane  rollback from bbbbbbbbbbbb                 aaaaaaaaaaaa  0123456789ab  failed     0/1/0/2            differs\n" +
		"2026-11-22T10:00:00Z  -     update (not by regionctl: no ledger line)  -             -             succeeded  0/0/0/0            -\n"
	if got := out.String(); got != want {
		t.Errorf("history =\n%s\nwant\n%s", got, want)
	}
}

// rollback parses its flags, and off a terminal it needs --yes before anything runs.
func TestRollbackParsesArgsAndNeedsYes(t *testing.T) {
	for _, tt := range []struct {
		argv, wantErr string
		check         func(*RollbackOptions) bool
	}{
		{argv: "rollback eu-west-1 ap-southeast-2 --to v1.4.0 --yes --rehearse --latency-scale 0", check: func(o *RollbackOptions) bool {
			r := o.Request
			return r.To == "v1.4.0" && r.Yes && r.Rehearse && r.LatencySet && r.LatencyScale == 0 && strings.Join(r.Regions, " ") == "eu-west-1 ap-southeast-2"
		}},
		{argv: "rollback", wantErr: "requires at least 1 arg(s), only received 0"},
		{argv: "rollback eu-west-1 --latency-scale 0", wantErr: "--latency-scale needs --rehearse and a value of 0 or more"},
	} {
		ios, _, _ := TestIO(false)
		var got *RollbackOptions
		g := &Globals{}
		root := newBareRoot(ios, g)
		root.AddCommand(newRollbackCmd(testFactory(ios, deployDay, nil, nil), g, func(o *RollbackOptions) error { got = o; return nil }))
		root.SetArgs(strings.Fields(tt.argv))
		err := root.Execute()
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("%s: err %v, want %q", tt.argv, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got == nil || !tt.check(got) {
			t.Errorf("%s: err %v, parsed %+v", tt.argv, err, got)
		}
	}
	ios, _, _ := TestIO(false)
	opts := &RollbackOptions{IO: ios, Env: envFor(testFactory(ios, deployDay, nil, &fakeRunner{}), cliTestdata(t, "regions"))}
	opts.Request.Regions = []string{"eu-west-1"}
	if err := rollbackRun(context.Background(), opts); err == nil || !strings.Contains(err.Error(), "pass --yes to confirm when not on a terminal") {
		t.Errorf("rollback off a terminal without --yes: %v", err)
	}
}
