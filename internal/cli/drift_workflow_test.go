package cli

import (
	"strings"
	"testing"
)

// The drift schedule runs daily, holds only an id token and read access, and fails on
// drift (exit 7) after uploading its report.
func TestDriftWorkflow(t *testing.T) {
	w := loadWorkflows(t)["drift"]
	if w == nil {
		t.Fatal("no workflow named drift")
	}
	var on struct {
		Schedule []struct {
			Cron string `yaml:"cron"`
		} `yaml:"schedule"`
	}
	if err := w.On.Decode(&on); err != nil || len(on.Schedule) != 1 || strings.Count(on.Schedule[0].Cron, "*") != 3 {
		t.Errorf("%s: on.schedule %+v (%v), want one daily cron", w.file, on.Schedule, err)
	}
	for _, p := range writePermissions(w) {
		if p != "job drift permissions: id-token: write" {
			t.Errorf("%s: %s", w.file, p)
		}
	}
	var calls, uploads int
	for _, s := range w.Jobs["drift"].Steps {
		if strings.Contains(s.Run, "bin/regionctl drift --all") {
			calls++
		}
		if strings.HasPrefix(s.Uses, "actions/upload-artifact") {
			uploads++
		}
	}
	if calls != 1 || uploads != 1 {
		t.Errorf("%s: %d drift calls and %d uploads, want one of each", w.file, calls, uploads)
	}
}
