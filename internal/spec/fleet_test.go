package spec

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fleetIDs are the region files the fleet fixtures are checked against (testdata/good).
func fleetIDs(t *testing.T) []string {
	t.Helper()
	ids, err := RegionIDs("testdata/good")
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestGoodFleetFile(t *testing.T) {
	data, err := os.ReadFile("testdata/fleet/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f, ps := parseFleet("regions/fleet.yaml", data, fleetIDs(t))
	if len(ps) > 0 {
		t.Fatalf("problems:\n%v", ps)
	}
	want := []Wave{{Name: "canary", Regions: []string{"ap-southeast-2"}}, {Name: "rest", Regions: []string{"eu-west-1", "us-east-1"}}}
	if !reflect.DeepEqual(f.Waves, want) {
		t.Errorf("waves %+v, want %+v", f.Waves, want)
	}
	if f.Bake != 90*time.Second || f.FailureTolerance != 1 || !f.GateAlarms() || f.GateOutputs() {
		t.Errorf("bake %v, tolerance %d, alarms %v, outputs %v; want 1m30s, 1, true, false", f.Bake, f.FailureTolerance, f.GateAlarms(), f.GateOutputs())
	}
	if !reflect.DeepEqual(f.Unwaved, []string{"eu-central-1"}) {
		t.Errorf("unwaved %v, want [eu-central-1]: a region file no wave lists is left alone, and said so", f.Unwaved)
	}
	if got := f.Regions(); !reflect.DeepEqual(got, []string{"ap-southeast-2", "eu-west-1", "us-east-1"}) {
		t.Errorf("Regions() = %v", got)
	}
}

func TestBadFleetFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/fleet/bad-*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			_, ps := parseFleet("regions/fleet.yaml", data, fleetIDs(t))
			if len(ps) == 0 {
				t.Fatal("no problems")
			}
			golden(t, strings.TrimSuffix(file, ".yaml")+".err", problemsOf(t, ps.err()))
		})
	}
}

func TestShippedFleet(t *testing.T) {
	f, err := LoadFleet("../../regions")
	if err != nil {
		t.Fatalf("regions/fleet.yaml:\n%v", err)
	}
	if f.Bake != DefaultBakeTime || len(f.Waves) == 0 || len(f.Unwaved) != 0 {
		t.Errorf("shipped fleet: bake %v, waves %+v, unwaved %v; want 10m, every region in a wave", f.Bake, f.Waves, f.Unwaved)
	}
}

// TestFleetFileIsNotARegion: the region loaders skip fleet.yaml as they skip
// jurisdictions.yaml, and a folder without one has no fleet (not a problem).
func TestFleetFileIsNotARegion(t *testing.T) {
	ids, err := RegionIDs("../../regions")
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if id == "fleet" || id == "jurisdictions" {
			t.Errorf("RegionIDs lists %s", id)
		}
	}
	if _, err := LoadDir("../../regions"); err != nil {
		t.Errorf("LoadDir with a fleet file: %v", err)
	}
	if _, err := LoadFleet("testdata/good"); !errors.Is(err, ErrNoFleet) {
		t.Errorf("LoadFleet without a file: %v, want ErrNoFleet", err)
	}
}
