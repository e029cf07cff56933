package engine

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/regionctl/regionctl/internal/manifest"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestResolveBackend(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	pw := map[string]string{"PULUMI_CONFIG_PASSPHRASE": "pw"}
	tests := []struct {
		name      string
		flag      string
		rehearse  bool
		env       map[string]string
		wantURL   string
		wantPass  string
		wantError string
	}{
		{name: "default folder", env: pw, wantURL: "file://" + filepath.Join(dir, StateDir), wantPass: "pw"},
		{name: "flag wins", flag: "s3://bucket/state", env: map[string]string{"PULUMI_CONFIG_PASSPHRASE": "pw", "PULUMI_BACKEND_URL": "gs://x"}, wantURL: "s3://bucket/state", wantPass: "pw"},
		{name: "environment", env: map[string]string{"PULUMI_CONFIG_PASSPHRASE": "pw", "PULUMI_BACKEND_URL": "gs://x"}, wantURL: "gs://x", wantPass: "pw"},
		{name: "relative file made absolute", flag: "file://state", env: pw, wantURL: "file://" + filepath.Join(dir, "state"), wantPass: "pw"},
		{name: "cloud needs no passphrase", flag: "https://api.pulumi.com", wantURL: "https://api.pulumi.com"},
		{name: "passphrase file is enough", env: map[string]string{"PULUMI_CONFIG_PASSPHRASE_FILE": "/run/pw"}, wantURL: "file://" + filepath.Join(dir, StateDir)},
		{name: "no passphrase refused", flag: "s3://b", wantError: "PULUMI_CONFIG_PASSPHRASE is not set: the state backend s3://b encrypts secrets with a passphrase; set it (from your secret store) and use the same one on every run"},
		{name: "credentials never echoed", flag: "postgres://user:secret@db/state", wantError: "PULUMI_CONFIG_PASSPHRASE is not set: the state backend postgres://user@db/state encrypts"},
		{name: "rehearsal own state", rehearse: true, env: map[string]string{"PULUMI_BACKEND_URL": "s3://real"}, wantURL: "file://" + filepath.Join(dir, RehearsalDir, "state"), wantPass: rehearsalPassword},
		{name: "rehearsal refuses --state", rehearse: true, flag: "s3://real", wantError: "--state cannot be used with --rehearse: a rehearsal keeps its own state in .regionctl/rehearsal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ResolveBackend(tt.flag, tt.rehearse, env(tt.env))
			if tt.wantError != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantError) {
					t.Fatalf("error = %v, want prefix %q", err, tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b.URL != tt.wantURL || b.Passphrase != tt.wantPass {
				t.Errorf("got %q / %q, want %q / %q", b.URL, b.Passphrase, tt.wantURL, tt.wantPass)
			}
		})
	}
}

func TestMaskUnknowns(t *testing.T) {
	in := map[string]any{"id": "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "list": []any{"04da6b54-80e4-46f7-96ec-b56ff0331ba9", "x"}, "n": 1.0}
	want := map[string]any{"id": manifest.UnknownMask, "list": []any{manifest.UnknownMask, "x"}, "n": 1.0}
	if got := maskUnknowns(in); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestURNLabel(t *testing.T) {
	urn := "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Database$aws:rds/cluster:Cluster::database-main-cluster"
	if got := urnLabel(urn); got != "aws:rds/cluster:Cluster database-main-cluster" {
		t.Errorf("urnLabel = %q", got)
	}
}

func TestExplain(t *testing.T) {
	a := &Automation{Settings: Settings{Backend: Backend{URL: "file:///s"}}}
	if got := a.explain("eu-west-1", Up, errors.New("boom")).Error(); got != `region "eu-west-1": boom` {
		t.Errorf("plain: %q", got)
	}
	already := fmt.Errorf(`region "eu-west-1": refused`)
	if got := a.explain("eu-west-1", Up, already); got != already {
		t.Errorf("an error naming the region must pass unchanged, got %q", got)
	}
	locked := (&LockedError{Region: "eu-west-1", Backend: "file:///s"}).Error()
	if !strings.Contains(locked, "/s/.pulumi/locks/organization/regionctl/eu-west-1/") || strings.Contains(locked, "\n") {
		t.Errorf("lock message: %q", locked)
	}
	if !isTornState(errors.New("stderr: error: failed to load checkpoint: EOF")) || isTornState(errors.New("other")) {
		t.Error("torn state detection")
	}
}

// An Automation API error carries the CLI's whole output; users get its last error line.
func TestOneLine(t *testing.T) {
	dump := errors.New("failed to run update: exit status 255\ncode: 255\nstdout: Updating (eu-west-1)\n\nstderr: warning: x\nerror: the stack is broken\n")
	if got := oneLine(dump); got != "the stack is broken" {
		t.Errorf("oneLine = %q", got)
	}
	if got := (&EngineError{Region: "eu-west-1", Err: dump}).Error(); strings.Contains(got, "stdout:") || strings.Contains(got, "code:") {
		t.Errorf("engine error shows the dump: %q", got)
	}
	if got := oneLine(errors.New("plain")); got != "plain" {
		t.Errorf("oneLine = %q", got)
	}
}

// A killed engine, a missing stack and a wrong passphrase each get one line that says
// what happened and what to do.
func TestExplainEngineFailures(t *testing.T) {
	a := &Automation{Settings: Settings{Backend: Backend{URL: "file:///s"}}}
	for _, tt := range []struct {
		err  error
		want string
	}{
		{errors.New("failed to run update: signal: killed\ncode: -1\nstdout: \nstderr: "),
			`region "eu-west-1": the Pulumi engine was killed before it finished; run ` + "`regionctl status`" + ` to see operations it left unfinished, and ` + "`regionctl refresh eu-west-1`" + ` to clear them`},
		{errors.New("failed to select stack: exit status 255\ncode: 255\nstdout: \nstderr: error: no stack named 'eu-west-1' found\n"),
			`region "eu-west-1" is not deployed in file:///s; run ` + "`regionctl up eu-west-1`" + ` first (or check --state and PULUMI_BACKEND_URL)`},
		{errors.New("x\ncode: 255\nstdout: \nstderr: error: getting secrets manager: incorrect passphrase\n"),
			`region "eu-west-1": PULUMI_CONFIG_PASSPHRASE does not decrypt this stack's secrets; use the passphrase the stack was created with (the team's secret store)`},
	} {
		if got := a.explain("eu-west-1", Up, tt.err).Error(); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
}

// Without a scratch copy, the refusal alone still says which protected resources the
// engine would replace or delete.
func TestRefusedSteps(t *testing.T) {
	const db = "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Database$aws:rds/cluster:Cluster::database-main-cluster"
	const q = "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Queue$aws:sqs/queue:Queue::queue-events-queue"
	got := refusedSteps([]string{db, q, db}, []string{q})
	if len(got) != 2 || got[0].Op != manifest.OpReplace || got[1].Op != manifest.OpDelete ||
		got[0].Type != "aws:rds/cluster:Cluster" || got[1].Name != "queue-events-queue" || !got[0].Protect {
		t.Errorf("refusedSteps = %+v", got)
	}
	c := &collector{byURN: map[string]manifest.Resource{}}
	c.record(apitype.EngineEvent{DiagnosticEvent: &apitype.DiagnosticEvent{Severity: "error", URN: q,
		Message: "Preview failed: resource \"" + q + "\"\ncannot be deleted because it is protected."}})
	if len(c.refused) != 1 || c.refused[0] != q || len(c.refusedDeletes) != 1 {
		t.Errorf("a refused deletion split over lines must be recognised: %v %v", c.refused, c.refusedDeletes)
	}
}
