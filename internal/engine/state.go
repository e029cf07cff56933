package engine

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
)

// deployedState is the part of an exported deployment destroy needs.
type deployedState struct {
	Resources []struct {
		URN            string `json:"urn"`
		Type           string `json:"type"`
		Protect        bool   `json:"protect"`
		RetainOnDelete bool   `json:"retainOnDelete"`
	} `json:"resources"`
}

func readState(ctx context.Context, stack auto.Stack) (deployedState, error) {
	var st deployedState
	dep, err := stack.Export(ctx)
	if err != nil {
		return st, fmt.Errorf("reading state: %w", err)
	}
	if len(dep.Deployment) == 0 {
		return st, nil
	}
	if err := json.Unmarshal(dep.Deployment, &st); err != nil {
		return st, fmt.Errorf("reading state: %w", err)
	}
	return st, nil
}

// protected lists "type name" of every protected resource.
func (s deployedState) protected() []string {
	var out []string
	for _, r := range s.Resources {
		if r.Protect {
			out = append(out, urnLabel(r.URN))
		}
	}
	return out
}

// retained counts the resources a destroy removes from state but leaves in the cloud.
func (s deployedState) retained() int {
	n := 0
	for _, r := range s.Resources {
		if r.RetainOnDelete {
			n++
		}
	}
	return n
}

// unprotectAll removes protection from every resource of the stack, through the
// engine's own `state unprotect`, so destroy can proceed.
func unprotectAll(ctx context.Context, stack auto.Stack) error {
	ws, ok := stack.Workspace().(*auto.LocalWorkspace)
	if !ok {
		return fmt.Errorf("unprotect needs a local workspace")
	}
	var env []string
	for k, v := range ws.GetEnvVars() {
		env = append(env, k+"="+v)
	}
	_, stderr, _, err := ws.PulumiCommand().Run(ctx, ws.WorkDir(), nil, nil, nil, env,
		"state", "unprotect", "--all", "--yes", "--stack", stack.Name())
	if err != nil {
		return fmt.Errorf("removing protection: %v: %s", err, stderr)
	}
	return nil
}
