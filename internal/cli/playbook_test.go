package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/playbook"
)

// playbook runs `regionctl playbook REGION --offline` (or a sign-off) in the repository.
func (r *testRepo) playbook(req app.SignOffRequest) (*app.PlaybookReport, string, error) {
	r.t.Helper()
	ios, out, _ := TestIO(false)
	f := testFactory(ios, func() time.Time { return time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC) }, nil, nil)
	req.Playbook.Offline = true
	opts := &PlaybookOptions{IO: ios, Env: envFor(f, filepath.Join(r.dir, "regions")), Request: req}
	err := playbookRun(context.Background(), opts)
	if err != nil {
		return nil, out.String(), err
	}
	ios, jsonOut, _ := TestIO(false)
	opts.IO, opts.JSON, opts.Request.Step = ios, true, ""
	if err := playbookRun(context.Background(), opts); err != nil {
		r.t.Fatal(err)
	}
	var rep app.PlaybookReport
	if err := json.Unmarshal(jsonOut.Bytes(), &rep); err != nil {
		r.t.Fatal(err)
	}
	return &rep, out.String(), nil
}

func statuses(rep *app.PlaybookReport) map[string]playbook.Status {
	out := map[string]playbook.Status{}
	for _, r := range rep.Results {
		out[r.Step.ID] = r.Status
	}
	return out
}

// The offline walk: the file's checks run, the engine's wait for a backend, and the
// steps a person judges wait for a sign-off, which the repository keeps.
func TestPlaybookWalksAndSignsOff(t *testing.T) {
	r := newTestRepo(t)
	walk := app.SignOffRequest{Playbook: app.PlaybookRequest{Region: "eu-west-1"}}
	rep, out, err := r.playbook(walk)
	if err != nil {
		t.Fatal(err)
	}
	got := statuses(rep)
	for step, want := range map[string]playbook.Status{"config": playbook.Pending, "guardrails": playbook.Done, "preview": playbook.Pending, "tags": playbook.Done, "launch": playbook.Pending} {
		if got[step] != want {
			t.Errorf("%s: %s, want %s", step, got[step], want)
		}
	}
	if !strings.Contains(out, "next: run with --state URL") || !strings.Contains(out, "next step: Configuration reviewed and valid (config)") {
		t.Errorf("output:\n%s", out)
	}

	sign := walk
	sign.Step, sign.Note, sign.By = "config", "reviewed in #12", "Ana <ana@example.com>"
	if _, _, err := r.playbook(sign); err != nil {
		t.Fatalf("--sign config: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(r.dir, "playbook", "signoffs", "eu-west-1.yaml"))
	if err != nil || !strings.Contains(string(data), "by: Ana <ana@example.com>") || !strings.Contains(string(data), "at: 2026-12-02T09:30:00Z") {
		t.Fatalf("sign-off file: %v\n%s", err, data)
	}
	rep, out, _ = r.playbook(walk)
	if statuses(rep)["config"] != playbook.Done || !strings.Contains(out, "signed off by Ana <ana@example.com> on 2026-12-02 09:30 UTC (reviewed in #12)") {
		t.Errorf("after the sign-off:\n%s", out)
	}

	for step, want := range map[string]string{
		"launch":     `--sign launch: step "preview" (Preview clean) is pending: finish it first`,
		"guardrails": "--sign guardrails: regionctl checks that step itself; nothing to sign",
		"deploy":     "--sign deploy: no such step; the steps are config, preflight",
	} {
		bad := walk
		bad.Step = step
		if _, _, err := r.playbook(bad); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--sign %s: %v, want %q", step, err, want)
		}
	}
}

func TestPlaybookCmdParsesArgs(t *testing.T) {
	for _, tt := range []struct{ argv, wantErr string }{
		{argv: "playbook eu-west-1 --offline --rehearse", wantErr: "--offline skips the engine's steps; --rehearse walks them in a rehearsal: choose one"},
		{argv: "playbook eu-west-1 --note hi", wantErr: "--note and --by go with --sign STEP"},
		{argv: "playbook", wantErr: "accepts 1 arg(s), received 0"},
		{argv: "playbook eu-west-1 --sign config --note ok --state file:///tmp/s"},
	} {
		t.Run(tt.argv, func(t *testing.T) {
			var got *PlaybookOptions
			code, err := execArgs(t, tt.argv, func(f *Factory, g *Globals) *cobra.Command {
				return newPlaybookCmd(f, g, func(o *PlaybookOptions) error { got = o; return nil })
			})
			if argsFailed(t, code, err, tt.wantErr, 0) {
				return
			}
			if p := got.Request.Playbook; p.Region != "eu-west-1" || p.Engine.StateURL != "file:///tmp/s" || got.Request.Step != "config" || got.Request.Note != "ok" {
				t.Errorf("parsed %+v", got.Request)
			}
		})
	}
}

// Walked in a rehearsal, the engine's steps read the real state: pending before the
// region is up, done after.
func TestE2EPlaybookAfterUp(t *testing.T) {
	e := newE2E(t)
	walk := func() map[string]string {
		t.Helper()
		code, out, errOut := e.run(context.Background(), "playbook", "eu-west-1", "--rehearse", "--json")
		if code != ExitOK {
			t.Fatalf("playbook: exit %d\n%s\n%s", code, out, errOut)
		}
		var rep app.PlaybookReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, r := range rep.Results {
			got[r.Step.ID] = string(r.Status) + ": " + r.Detail
		}
		return got
	}
	before := walk()
	if !strings.HasPrefix(before["preview"], "done: the engine plans 144 to create") || !strings.HasPrefix(before["up"], "pending: not deployed yet") {
		t.Errorf("before up: %v", before)
	}
	e.changes(ExitOK, "up", "eu-west-1", "--rehearse", "--yes", "--latency-scale", "0")
	after := walk()
	if !strings.HasPrefix(after["up"], "done: deployed (") || !strings.HasPrefix(after["healthy"], "done: ") || !strings.Contains(after["healthy"], "alarms reach https") {
		t.Errorf("after up: up %q, healthy %q", after["up"], after["healthy"])
	}
}

// The new-region path of issue 10, end to end in a rehearsal: scaffold Tokyo from
// Ireland, then validate, preflight, plan and up with no hand edits; the playbook
// walks it with its real state.
func TestE2ENewRegionFromScaffoldToUp(t *testing.T) {
	e := newE2E(t)
	for _, args := range [][]string{
		{"new", "ap-northeast-1", "--jurisdiction", "jp", "--from", "eu-west-1"},
		{"validate", "ap-northeast-1"},
		{"preflight", "ap-northeast-1"},
		{"plan", "ap-northeast-1"},
	} {
		e.mustRun(nil, ExitOK, args...)
	}
	if c := e.changes(ExitOK, "up", "ap-northeast-1", "--rehearse", "--yes", "--latency-scale", "0")["ap-northeast-1"]; c.Create < 100 {
		t.Fatalf("up of the new region: %+v", c)
	}
	out, _ := e.mustRun(nil, ExitOK, "playbook", "ap-northeast-1", "--rehearse")
	for _, want := range []string{"✓ done     Preflight clean", "✓ done     Infrastructure up: deployed", "✓ done     Outputs healthy"} {
		if !strings.Contains(out, want) {
			t.Errorf("playbook lacks %q:\n%s", want, out)
		}
	}
}
