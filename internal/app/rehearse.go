package app

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/engine/rehearsal"
	"github.com/regionctl/regionctl/internal/manifest"
)

// OutOfBandRequest is a change to a rehearsal resource made as if outside regionctl
// (the console, a script): the rehearsal provider's reads answer with it from now on.
type OutOfBandRequest struct {
	Region, Type, Name string
	// Properties are top-level properties and the values the cloud is to have.
	Properties map[string]any
}

// RehearseChange records an out-of-band change of a deployed rehearsal resource and
// returns each property's change (what the state says → what the cloud now has).
// Nothing else is touched: preview still shows no change, drift shows it, refresh
// records it in the state, and regionctl's next update of the resource overwrites it.
func (e *Env) RehearseChange(req OutOfBandRequest) (string, []manifest.PropertyChange, error) {
	b, err := engine.ResolveBackend("", true, e.Getenv)
	if err != nil {
		return "", nil, &UsageError{Msg: err.Error()}
	}
	inputs, err := engine.RehearsalResource(b, req.Region, req.Type, req.Name)
	if err != nil {
		return "", nil, &UsageError{Msg: err.Error()}
	}
	var changes []manifest.PropertyChange
	for _, k := range slices.Sorted(maps.Keys(req.Properties)) {
		old, ok := inputs[k]
		if !ok {
			return "", nil, &UsageError{Msg: fmt.Sprintf("%s %s has no input %s; its inputs are %v", req.Type, req.Name, k, slices.Sorted(maps.Keys(inputs)))}
		}
		changes = append(changes, manifest.PropertyChange{Path: k, Old: old, New: req.Properties[k]})
	}
	file := b.OutOfBandFile(req.Region)
	err = rehearsal.RecordOutOfBand(file, rehearsal.OutOfBandChange{Type: req.Type, Name: req.Name,
		Properties: req.Properties, Made: e.Now().UTC().Format(time.RFC3339)})
	return file, changes, err
}
