package manifest

import "time"

// Operation is what the engine is asked to do to a region.
type Operation string

// Result is the outcome of one engine operation on one region, as reports show it.
type Result struct {
	Region  string
	Op      Operation
	Changes Changes
	// Steps are the resources of a preview with their planned operation.
	Steps Region
	// Diff is the engine's own property-level diff display, when asked for.
	Diff string
	// Retained are the resources a destroy left in the cloud (retainOnDelete).
	Retained []StateResource
	// Pending are the operations the state still holds as interrupted after the run.
	Pending []PendingOperation
	// Refused are the protected resources the engine refused to replace (a preview
	// names them in Steps, with the properties that force it).
	Refused []string
	// Outputs are the stack outputs after up.
	Outputs  map[string]any
	Duration time.Duration
	Err      error
}

// StateResource names one resource of a deployed state.
type StateResource struct {
	URN  string `json:"urn"`
	Type string `json:"type"`
	Name string `json:"name"`
	ID   string `json:"id,omitempty"`
	// Billed says what a retained resource keeps costing ("" when nothing to speak of).
	Billed string `json:"billed,omitempty"`
}

// PendingOperation is an operation an interrupted run left unfinished on one resource.
type PendingOperation struct {
	StateResource
	// Op is what the engine was doing: creating, updating, deleting, reading.
	Op string `json:"op"`
}
