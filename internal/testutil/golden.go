package testutil

import (
	"os"
	"testing"
)

// Golden compares got with the golden file at path, or rewrites the file when update
// is set (each package's -update flag).
func Golden(tb testing.TB, path string, got []byte, update bool) {
	tb.Helper()
	if update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run the package's tests with -update to create it)", err)
	}
	if string(got) != string(want) {
		tb.Errorf("output differs from %s (-update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
