// Package manifest is the one representation of planned resources that policy and
// reports read, whichever engine produced it: the offline mocks run or a real preview.
package manifest

import (
	"sort"
	"strings"
)

// Region is every resource planned for one region.
type Region struct {
	Name      string     `json:"name"`
	Resources []Resource `json:"resources"`
	// Partial is set when the engine stopped before planning every resource (it
	// refused a step): what is listed is true, but resources may be missing.
	Partial bool `json:"partial,omitempty"`
}

// Resource is one planned resource. Inputs are plain JSON values: secrets are shown as
// SecretMask and values not known until apply as UnknownMask.
type Resource struct {
	URN            string         `json:"urn"`
	Type           string         `json:"type"`
	Name           string         `json:"name"`
	Parent         string         `json:"parent,omitempty"`
	Custom         bool           `json:"custom"`
	Protect        bool           `json:"protect,omitempty"`
	RetainOnDelete bool           `json:"retainOnDelete,omitempty"`
	Inputs         map[string]any `json:"inputs"`
	// ID and Computed are, in an offline plan, the fake AWS's id and the string
	// attributes it computed (arn, endpoints): how a diff finds what refers to a
	// resource it replaces.
	ID string `json:"id,omitempty"`
	// DependsOn are every resource it waits for: those its inputs come from and
	// those named by an explicit pulumi.DependsOn (InputDeps tell the two apart).
	DependsOn []string `json:"dependsOn,omitempty"`
	// InputDeps are, per input, the resources its value comes from.
	InputDeps map[string][]string `json:"inputDeps,omitempty"`
	Computed  map[string]string   `json:"computed,omitempty"`
	// Op is what a preview would do to the resource (create, update, replace, delete,
	// same); empty in an offline plan, where every resource is simply planned.
	Op Op `json:"op,omitempty"`
	// ReplaceKeys are the properties that force a replacement, when Op is replace.
	ReplaceKeys []string `json:"replaceKeys,omitempty"`
	// Entry is the region-file entry the resource belongs to (database/main), in a
	// review.
	Entry string `json:"entry,omitempty"`
	// Changed are the inputs an update or replacement changes, old and new values.
	Changed []PropertyChange `json:"changed,omitempty"`
	// Unprotected is set when the program protects the resource but the state does not
	// (protection lost to an interrupted destroy): applying restores it.
	Unprotected bool `json:"unprotected,omitempty"`
}

// Changes counts what an operation did (or a preview would do) per kind. Protect
// counts resources whose lost protection the operation restores; Skipped, in an
// operation targeted at some resources (a stage), the new resources it left for later.
type Changes struct {
	Create  int `json:"create"`
	Update  int `json:"update"`
	Replace int `json:"replace"`
	Delete  int `json:"delete"`
	Same    int `json:"same"`
	Protect int `json:"protect,omitempty"`
	Skipped int `json:"skipped,omitempty"`
}

// Pending reports whether anything would change.
func (c Changes) Pending() bool { return c.Create+c.Update+c.Replace+c.Delete+c.Protect > 0 }

// Total is the number of changes, for progress.
func (c Changes) Total() int { return c.Create + c.Update + c.Replace + c.Delete }

// Op is a change a preview plans for one resource.
type Op string

// The operations of a preview, as Pulumi names them.
const (
	OpCreate  Op = "create"
	OpUpdate  Op = "update"
	OpReplace Op = "replace"
	OpDelete  Op = "delete"
	OpSame    Op = "same"
)

// Masks that stand in for values a plan must not or cannot show.
const (
	SecretMask  = "[secret]"
	UnknownMask = "[unknown]"
)

// ComponentPrefix marks regionctl's own component resource types.
const ComponentPrefix = "regionctl:stacks:"

// StackType is the type of the root resource every program registers.
const StackType = "pulumi:pulumi:Stack"

// Sort orders resources by URN so output is byte-identical across runs.
func (r *Region) Sort() {
	sort.Slice(r.Resources, func(i, j int) bool { return r.Resources[i].URN < r.Resources[j].URN })
}

// CountByType counts the custom (cloud) resources of each type.
func (r Region) CountByType() map[string]int {
	counts := map[string]int{}
	for _, res := range r.Resources {
		if res.Custom {
			counts[res.Type]++
		}
	}
	return counts
}

// Managed is the number of resources a cloud provider manages: providers,
// components and the stack itself are not counted.
func (r Region) Managed() int {
	n := 0
	for _, res := range r.Resources {
		if res.Custom && !IsProvider(res.Type) {
			n++
		}
	}
	return n
}

// IsProvider reports whether a type token is a Pulumi provider (pulumi:providers:aws).
func IsProvider(typ string) bool { return strings.HasPrefix(typ, "pulumi:providers:") }

// Children returns the resources whose parent is urn, in URN order.
func (r Region) Children(urn string) []Resource {
	var out []Resource
	for _, res := range r.Resources {
		if res.Parent == urn {
			out = append(out, res)
		}
	}
	return out
}
