package spec

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoad feeds arbitrary bytes to the loader: it must never panic, and must return
// either a region or problems that all point at a place in the file.
func FuzzLoad(f *testing.F) {
	for _, pattern := range []string{"../../regions/*.yaml", "testdata/good/*.yaml", "testdata/bad/*.yaml"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	j := testJurisdictionsShipped(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Load("regions/eu-west-1.yaml", data, j)
		if err == nil {
			if r == nil || r.Source == nil {
				t.Fatal("no error and no region")
			}
			return
		}
		if r != nil {
			t.Fatal("a region together with an error")
		}
		var ps Problems
		if !errors.As(err, &ps) || len(ps) == 0 {
			t.Fatalf("error is not Problems: %v", err)
		}
		for _, p := range ps {
			if p.Line < 1 || p.Col < 1 || p.Message == "" || p.Path != "regions/eu-west-1.yaml" {
				t.Fatalf("problem without a place or message: %+v", p)
			}
		}
	})
}
