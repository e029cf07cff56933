package spec

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"reflect"
	"regexp"
	"time"
)

// FleetFile is the name of the fleet file in a regions directory: the order in which
// `up --all --waves` rolls a change out. It is never a region file.
const FleetFile = "fleet.yaml"

// Fleet is the content of regions/fleet.yaml.
type Fleet struct {
	Waves []Wave `yaml:"waves" desc:"the waves of a rollout, in order; each names its regions"`
	// BakeTime is how long a wave's regions run after their up before their health is
	// checked and the next wave starts (Bake holds it parsed).
	BakeTime string `yaml:"bakeTime,omitempty" desc:"how long a wave runs before its health is checked, a duration like 10m or 30s (default 10m)"`
	// FailureTolerance is how many regions of one wave may fail (apply error or
	// unhealthy) with the rollout still going on to the next wave.
	FailureTolerance int          `yaml:"failureTolerance,omitempty" desc:"regions of one wave that may fail before the rollout stops (default 0)"`
	Health           *FleetHealth `yaml:"health,omitempty" desc:"the signals that gate each wave"`

	Bake   time.Duration `yaml:"-"`
	Source *Source       `yaml:"-"`
	// Unwaved are the region files no wave lists: up --waves leaves them alone.
	Unwaved []string `yaml:"-"`
}

// Wave is one step of a rollout: its regions are applied together.
type Wave struct {
	Name    string   `yaml:"name" desc:"wave name: lowercase letters, digits and hyphens, like canary"`
	Regions []string `yaml:"regions" desc:"region ids, each with a region file and in one wave only"`
}

// FleetHealth says which signals gate a wave; each is on unless set to false.
type FleetHealth struct {
	Alarms  *bool `yaml:"alarms,omitempty" desc:"none of the region's CloudWatch alarms may be in ALARM (default true)"`
	Outputs *bool `yaml:"outputs,omitempty" desc:"the stack's endpoints (load balancers, databases, caches, queues) are all present (default true)"`
}

// DefaultBakeTime is the bake time of a fleet file that sets none.
const DefaultBakeTime = 10 * time.Minute

// GateAlarms reports whether alarms gate a wave.
func (f *Fleet) GateAlarms() bool {
	return f.Health == nil || f.Health.Alarms == nil || *f.Health.Alarms
}

// GateOutputs reports whether the stack's endpoints gate a wave.
func (f *Fleet) GateOutputs() bool {
	return f.Health == nil || f.Health.Outputs == nil || *f.Health.Outputs
}

// Regions lists the regions of every wave, in wave order.
func (f *Fleet) Regions() []string {
	var out []string
	for _, w := range f.Waves {
		out = append(out, w.Regions...)
	}
	return out
}

// ErrNoFleet is a regions directory without a fleet file.
var ErrNoFleet = errors.New("no fleet file")

// LoadFleet reads <dir>/fleet.yaml strictly and checks it against the region files of
// dir. A missing file is ErrNoFleet (wrapped, naming the path); problems come back
// together as Problems.
func LoadFleet(dir string) (*Fleet, error) {
	path := filepath.Join(dir, FleetFile)
	data, err := readFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w %s: write one to roll out in waves (README: Rollouts in waves)", ErrNoFleet, path)
	}
	if err != nil {
		return nil, err
	}
	ids, err := RegionIDs(dir)
	if err != nil {
		return nil, err
	}
	f, ps := parseFleet(path, data, ids)
	if err := ps.err(); err != nil {
		return nil, err
	}
	return f, nil
}

var waveName = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// parseFleet decodes and checks a fleet file; ids are the region files it must cover.
func parseFleet(path string, data []byte, ids []string) (*Fleet, Problems) {
	root, ps := parseDocument(path, data, `"waves: [{name: canary, regions: [ap-southeast-2]}]"`)
	if root == nil {
		return nil, ps.capped()
	}
	d := newDecoder(path)
	d.pos[""] = Pos{Line: root.Line, Col: root.Column}
	f := &Fleet{}
	d.value(root, reflect.ValueOf(f).Elem(), "")
	f.Source = &Source{Path: path, Positions: d.pos}
	at := func(field, format string, args ...any) {
		p := d.pos[field]
		d.probs = append(d.probs, Problem{Path: path, Line: p.Line, Col: p.Col, Field: field, Message: fmt.Sprintf(format, args...)})
	}

	f.Bake = DefaultBakeTime
	if f.BakeTime != "" && !d.bad["bakeTime"] {
		bake, err := time.ParseDuration(f.BakeTime)
		switch {
		case err != nil:
			at("bakeTime", "%s is not a duration; write it like 10m, 90s or 1h30m", quote(f.BakeTime))
		case bake < 0:
			at("bakeTime", "%s is negative; write 0s for no bake time", f.BakeTime)
		case bake > 24*time.Hour:
			at("bakeTime", "%s is over a day; a rollout waits this long per wave, so bake for hours at most", f.BakeTime)
		default:
			f.Bake = bake
		}
	}
	if f.FailureTolerance < 0 && !d.bad["failureTolerance"] {
		at("failureTolerance", "%d is negative; write 0 to stop at the first failed region", f.FailureTolerance)
	}
	if !d.bad["waves"] && len(f.Waves) == 0 && d.pos["waves"] != (Pos{}) {
		at("waves", "no waves; list at least one, like - {name: canary, regions: [ap-southeast-2]}")
	}

	files := map[string]bool{}
	for _, id := range ids {
		files[id] = true
	}
	names := map[string]string{} // wave name → field of its first use
	where := map[string]string{} // region → field of its first listing
	for i, w := range f.Waves {
		wf := fmt.Sprintf("waves[%d]", i)
		if nf := wf + ".name"; !d.bad[nf] && w.Name != "" {
			switch first, dup := names[w.Name]; {
			case dup:
				at(nf, "wave %s is named twice (first as %s); give each wave its own name", w.Name, first)
			case !waveName.MatchString(w.Name):
				at(nf, "%s is not a wave name; use lowercase letters, digits and hyphens, like canary", quote(w.Name))
			default:
				names[w.Name] = nf
			}
		}
		rf := wf + ".regions"
		if d.bad[rf] {
			continue
		}
		if len(w.Regions) == 0 {
			at(rf, "wave %s has no regions; list at least one, or remove the wave", quote(w.Name))
		}
		for k, id := range w.Regions {
			item := fmt.Sprintf("%s[%d]", rf, k)
			if d.bad[item] {
				continue
			}
			switch first, dup := where[id]; {
			case dup:
				at(item, "%s is already in %s; a region is rolled out in one wave only", id, first)
			case !files[id]:
				at(item, "%s has no region file %s%s", id, filepath.Join(filepath.Dir(path), id+".yaml"), didYouMean(id, ids))
			default:
				where[id] = item
			}
		}
	}
	for _, id := range ids {
		if _, ok := where[id]; !ok {
			f.Unwaved = append(f.Unwaved, id)
		}
	}
	return f, append(ps, d.probs...).capped()
}
