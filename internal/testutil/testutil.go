// Package testutil holds helpers shared by tests that run the real Pulumi CLI.
package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// RepoRoot walks up from the test's directory to the module root (go.mod).
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("no go.mod above the test directory")
		}
		dir = parent
	}
}

// CopyRegions copies the shipped regions folder into dir/regions.
func CopyRegions(tb testing.TB, dir string) {
	tb.Helper()
	if err := os.CopyFS(filepath.Join(dir, "regions"), os.DirFS(filepath.Join(RepoRoot(tb), "regions"))); err != nil {
		tb.Fatal(err)
	}
}
