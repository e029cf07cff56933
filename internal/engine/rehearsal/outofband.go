package rehearsal

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Out-of-band changes are what someone changed in the stand-in account without
// regionctl (a console click, a hot-fix script): Read answers with them, so a refresh
// (drift) sees them, while a preview, which reads nothing, does not. The account is
// rebuilt from the stack's state on every run, so they are kept in a file of their own
// per region, next to the rehearsal state, until an update or delete of the resource
// by regionctl overwrites them, as it would in AWS.

// OutOfBandChange is one resource's properties as changed outside regionctl.
type OutOfBandChange struct {
	// Type and Name are the resource's type token and logical name (as `plan` lists them).
	Type string `json:"type"`
	Name string `json:"name"`
	// Properties are the changed top-level properties and the values AWS now has.
	Properties map[string]any `json:"properties"`
	// Made is when the change was recorded (RFC 3339), for the person reading the file.
	Made string `json:"made,omitempty"`
}

// OutOfBandFile is the file of a region's out-of-band changes under a rehearsal's root
// folder (.regionctl/rehearsal).
func OutOfBandFile(root, region string) string {
	return filepath.Join(root, "outofband", region+".json")
}

type outOfBandDoc struct {
	Changes []OutOfBandChange `json:"changes"`
}

// LoadOutOfBand reads a region's out-of-band changes; a missing file holds none.
func LoadOutOfBand(path string) ([]OutOfBandChange, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var doc outOfBandDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return doc.Changes, nil
}

// RecordOutOfBand adds ch to the region's file, merged with an earlier change of the
// same resource (the later value of a property wins).
func RecordOutOfBand(path string, ch OutOfBandChange) error {
	changes, err := LoadOutOfBand(path)
	if err != nil {
		return err
	}
	merged := false
	for i := range changes {
		if changes[i].Type == ch.Type && changes[i].Name == ch.Name {
			maps.Copy(changes[i].Properties, ch.Properties)
			changes[i].Made, merged = ch.Made, true
		}
	}
	if !merged {
		changes = append(changes, ch)
	}
	return saveOutOfBand(path, changes)
}

func saveOutOfBand(path string, changes []OutOfBandChange) error {
	if len(changes) == 0 {
		if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return nil
	}
	slices.SortFunc(changes, func(a, b OutOfBandChange) int {
		if a.Type != b.Type {
			return compare(a.Type, b.Type)
		}
		return compare(a.Name, b.Name)
	})
	b, err := json.MarshalIndent(outOfBandDoc{Changes: changes}, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// outOfBand is a provider's view of its region's file.
type outOfBand struct {
	mu      sync.Mutex
	path    string
	changes []OutOfBandChange
}

func loadOutOfBand(path string) (*outOfBand, error) {
	o := &outOfBand{path: path}
	if path == "" {
		return o, nil
	}
	var err error
	o.changes, err = LoadOutOfBand(path)
	return o, err
}

// apply overlays the out-of-band values of a resource on its state as Read returns
// it: the outputs always, the inputs where the property is one.
func (o *outOfBand) apply(typ, name string, outputs, inputs resource.PropertyMap) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	found := false
	for _, ch := range o.changes {
		if ch.Type != typ || ch.Name != name {
			continue
		}
		for k, v := range resource.NewPropertyMapFromMap(ch.Properties) {
			outputs[k] = v
			if _, isInput := inputs[k]; isInput {
				inputs[k] = v
			}
		}
		found = true
	}
	return found
}

// forget drops the out-of-band changes of a resource regionctl just updated, replaced
// or deleted: what it wrote is what AWS has now.
func (o *outOfBand) forget(typ, name string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := len(o.changes)
	o.changes = slices.DeleteFunc(o.changes, func(ch OutOfBandChange) bool { return ch.Type == typ && ch.Name == name })
	if len(o.changes) == n || o.path == "" {
		return nil
	}
	return saveOutOfBand(o.path, slices.Clone(o.changes))
}
