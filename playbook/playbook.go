// Package playbook holds the new-region runbook as data (steps.yaml): the steps a
// person follows and regionctl checks (internal/playbook walks them).
package playbook

import _ "embed"

// Steps is steps.yaml, the playbook's steps in order.
//
//go:embed steps.yaml
var Steps []byte
