package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/regionctl/regionctl/internal/manifest"
)

// State is what the backend holds for one region's stack, read through the engine's
// own export (Pulumi's deployment types): the resources and the operations a run was
// interrupted in.
type State struct {
	Resources []apitype.ResourceV3
	// Pending are operations the engine started and never saw finish (a killed or
	// interrupted run): the cloud may hold a resource the state does not know.
	Pending []apitype.OperationV2
}

// StateResource names one resource of the state.
type StateResource = manifest.StateResource

// PendingOperation is an interrupted operation on one resource.
type PendingOperation = manifest.PendingOperation

func stateResource(r apitype.ResourceV3) StateResource {
	return StateResource{URN: string(r.URN), Type: string(r.Type), Name: r.URN.Name(), ID: string(r.ID)}
}

// Protected lists every protected resource.
func (s State) Protected() []StateResource {
	var out []StateResource
	for _, r := range s.Resources {
		if r.Protect {
			out = append(out, stateResource(r))
		}
	}
	return out
}

// Retained lists the cloud resources a destroy removes from the state but leaves in
// the cloud (retainOnDelete), with their ids, so a person can find them.
func (s State) Retained() []StateResource {
	var out []StateResource
	for _, r := range s.Resources {
		if r.RetainOnDelete && r.Custom {
			sr := stateResource(r)
			sr.Billed = billed(r)
			out = append(out, sr)
		}
	}
	return out
}

// billed says what a retained resource keeps costing in AWS, from its configuration.
func billed(r apitype.ResourceV3) string {
	str := func(k string) string { s, _ := r.Inputs[k].(string); return s }
	switch string(r.Type) {
	case "aws:rds/clusterInstance:ClusterInstance":
		return "instance hours (" + str("instanceClass") + ")"
	case "aws:rds/cluster:Cluster":
		return "storage, I/O and backups"
	case "aws:elasticache/replicationGroup:ReplicationGroup":
		n, _ := r.Inputs["numCacheClusters"].(float64)
		return fmt.Sprintf("node hours (%d × %s) and snapshots", int(n), str("nodeType"))
	case "aws:s3/bucketV2:BucketV2":
		return "storage of its objects"
	case "aws:kms/key:Key":
		return "a monthly key fee"
	case "aws:sqs/queue:Queue":
		return "messages kept (requests only)"
	case "aws:cloudwatch/logGroup:LogGroup":
		return "log storage"
	}
	return ""
}

// DeletionProtected lists the resources a destroy deletes whose AWS deletion protection
// is on (load balancers): AWS refuses to delete them until it is turned off.
// Retained resources are not listed: a destroy leaves them in place.
func (s State) DeletionProtected() []StateResource {
	var out []StateResource
	for _, r := range s.Resources {
		if r.Custom && !r.RetainOnDelete && string(r.Type) == loadBalancerType && r.Outputs["enableDeletionProtection"] == true {
			out = append(out, stateResource(r))
		}
	}
	return out
}

const loadBalancerType = "aws:lb/loadBalancer:LoadBalancer"

// PendingOperations lists the interrupted operations.
func (s State) PendingOperations() []PendingOperation {
	out := make([]PendingOperation, 0, len(s.Pending))
	for _, op := range s.Pending {
		out = append(out, PendingOperation{StateResource: stateResource(op.Resource), Op: string(op.Type)})
	}
	return out
}

// Has reports whether the state holds a resource with urn.
func (s State) Has(urn string) bool {
	return slices.ContainsFunc(s.Resources, func(r apitype.ResourceV3) bool { return string(r.URN) == urn })
}

// Managed counts the cloud resources of the state (not providers, components or the stack).
func (s State) Managed() int {
	n := 0
	for _, r := range s.Resources {
		if r.Custom && !isProviderType(string(r.Type)) {
			n++
		}
	}
	return n
}

func isProviderType(t string) bool { return strings.HasPrefix(t, "pulumi:providers:") }

func readState(ctx context.Context, stack auto.Stack) (State, error) {
	var st State
	dep, err := stack.Export(ctx)
	if err != nil {
		return st, fmt.Errorf("reading state: %w", err)
	}
	if len(dep.Deployment) == 0 {
		return st, nil
	}
	var d apitype.DeploymentV3
	if err := json.Unmarshal(dep.Deployment, &d); err != nil {
		return st, fmt.Errorf("reading state: %w", err)
	}
	st.Resources, st.Pending = d.Resources, d.PendingOperations
	return st, nil
}

// setProtect protects or unprotects exactly the resources urns, through the engine's
// own `state protect` / `state unprotect`.
func setProtect(ctx context.Context, stack auto.Stack, urns []string, protect bool) error {
	if len(urns) == 0 {
		return nil
	}
	verb := "unprotect"
	if protect {
		verb = "protect"
	}
	args := append([]string{"state", verb, "--yes", "--stack", stack.Name()}, urns...)
	if err := runCLI(ctx, stack, args...); err != nil {
		return fmt.Errorf("%s: %w", map[bool]string{true: "restoring protection", false: "removing protection"}[protect], err)
	}
	return nil
}

// runCLI runs one Pulumi CLI command in the stack's workspace, with its environment.
func runCLI(ctx context.Context, stack auto.Stack, args ...string) error {
	ws := stack.Workspace()
	env := []string{"PULUMI_HOME=" + ws.PulumiHome()}
	for k, v := range ws.GetEnvVars() {
		env = append(env, k+"="+v)
	}
	_, stderr, _, err := ws.PulumiCommand().Run(ctx, ws.WorkDir(), nil, nil, nil, env, args...)
	if err != nil {
		return &cliError{err: err, stderr: stderr}
	}
	return nil
}

// cliError keeps the CLI's own output for --verbose, out of the one-line message.
type cliError struct {
	err    error
	stderr string
}

func (e *cliError) Error() string {
	if msg := lastErrorLine(e.stderr); msg != "" {
		return msg
	}
	return e.err.Error()
}

// Detail is the CLI's whole output.
func (e *cliError) Detail() string { return e.stderr }
