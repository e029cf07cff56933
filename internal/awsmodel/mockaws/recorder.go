// Package mockaws stands in for the Pulumi engine and the AWS provider when a region
// program runs under pulumi.WithMocks: it answers every registration with a believable,
// deterministic id and outputs, and records what was registered.
//
// The same Recorder backs the component tests and the offline `regionctl plan`, so it
// must give byte-identical answers for identical programs (no randomness, no clock) and
// be safe for the concurrent registrations the Go SDK makes.
package mockaws

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Registration is one resource the program registered, as the engine would see it.
type Registration struct {
	URN, Type, Name, Parent string // Parent = parent URN ("" for the stack itself)
	Custom                  bool
	Provider                string // provider reference as given ("<urn>::<id>")
	Protect, RetainOnDelete bool
	DeleteBeforeReplace     bool
	IgnoreChanges           []string
	// Dependencies are the URNs the resource waits for (pulumi.DependsOn and the
	// resources its inputs come from), sorted.
	Dependencies []string
	// InputDependencies are, per input, the URNs its value comes from.
	InputDependencies map[string][]string
	Inputs            resource.PropertyMap
	// ID and Computed are what the fake AWS answered: the id, and the string outputs it
	// computed that are not inputs (arn, endpoints). A diff that replaces the resource
	// finds its dependents by these values.
	ID       string
	Computed map[string]string
}

// Recorder is a pulumi.MockResourceMonitor that fakes AWS for one region and account.
//
// Use one Recorder per program run: registering the same URN twice is an error, as it
// is for the real engine.
type Recorder struct {
	account

	mu   sync.Mutex
	regs map[string]Registration
}

var _ pulumi.MockResourceMonitor = (*Recorder)(nil)

// New returns a Recorder whose fake ARNs and endpoints name region and accountID.
func New(region, accountID string) *Recorder {
	return &Recorder{
		account: newAccount(region, accountID),
		regs:    make(map[string]Registration, 128),
	}
}

// NewResource records a registration (or read) and returns its fake id and outputs:
// the inputs plus the attributes AWS would compute (arn, id, endpoints, ...).
func (r *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	reg := Registration{
		Type:     args.TypeToken,
		Name:     args.Name,
		Custom:   args.Custom,
		Provider: args.Provider,
		Inputs:   args.Inputs,
	}
	switch {
	case args.RegisterRPC != nil:
		rpc := args.RegisterRPC
		reg.Parent = rpc.GetParent()
		reg.Protect = rpc.GetProtect()
		reg.RetainOnDelete = rpc.GetRetainOnDelete()
		reg.DeleteBeforeReplace = rpc.GetDeleteBeforeReplace()
		reg.IgnoreChanges = slices.Clone(rpc.GetIgnoreChanges())
		reg.Dependencies = slices.Sorted(slices.Values(rpc.GetDependencies()))
		for k, deps := range rpc.GetPropertyDependencies() {
			if urns := deps.GetUrns(); len(urns) > 0 {
				if reg.InputDependencies == nil {
					reg.InputDependencies = map[string][]string{}
				}
				reg.InputDependencies[k] = slices.Sorted(slices.Values(urns))
			}
		}
	case args.ReadRPC != nil:
		// Reads always target a provider-managed resource, though the mock monitor
		// reports them as not custom.
		reg.Parent = args.ReadRPC.GetParent()
		reg.Custom = true
	}
	reg.URN = r.urn(reg.Parent, reg.Type, reg.Name)

	id, outputs := r.fake(args)
	reg.ID, reg.Computed = id, computed(args.Inputs, outputs)

	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.regs[reg.URN]; dup {
		return "", nil, fmt.Errorf("mockaws: duplicate resource URN %s", reg.URN)
	}
	r.regs[reg.URN] = reg
	return id, outputs, nil
}

// computed are the string outputs that are not inputs, nested ones too (a cluster's
// masterUserSecrets[0].secretArn), by path.
func computed(inputs, outputs resource.PropertyMap) map[string]string {
	out := map[string]string{}
	var walk func(path string, v resource.PropertyValue)
	walk = func(path string, v resource.PropertyValue) {
		switch {
		case v.IsString() && v.StringValue() != "":
			out[path] = v.StringValue()
		case v.IsArray():
			for i, e := range v.ArrayValue() {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		case v.IsObject():
			for k, e := range v.ObjectValue() {
				walk(path+"."+string(k), e)
			}
		}
	}
	for k, v := range outputs {
		if _, given := inputs[k]; !given {
			walk(string(k), v)
		}
	}
	return out
}

// Registrations returns every registration so far, sorted by URN. The Inputs maps are
// shared with the recorder: read them, do not modify them.
func (r *Recorder) Registrations() []Registration {
	r.mu.Lock()
	out := make([]Registration, 0, len(r.regs))
	for _, reg := range r.regs {
		out = append(out, reg)
	}
	r.mu.Unlock()
	slices.SortFunc(out, func(a, b Registration) int { return strings.Compare(a.URN, b.URN) })
	return out
}

// urn computes the URN the engine would give: the stack and project come from the
// parent's URN (the Go SDK parents every resource, at least to the stack), the type is
// qualified by the parent's type chain unless the parent is the stack.
func (r *Recorder) urn(parent, typ, name string) string {
	p := resource.URN(parent)
	if parent == "" || !p.IsValid() {
		// Only the root stack has no parent, and the mock monitor answers that itself;
		// fall back to how regionctl names its stacks.
		return string(resource.NewURN(tokens.QName(r.region), "regionctl", "", tokens.Type(typ), name))
	}
	var parentType tokens.Type
	if qt := p.QualifiedType(); qt != resource.RootStackType {
		parentType = qt
	}
	return string(resource.NewURN(p.Stack(), p.Project(), parentType, tokens.Type(typ), name))
}
