package engine

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/providers"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// releaseProgram is the program of an update that changes nothing but the deletion
// protection of the load balancers targets: it registers every resource of the state
// with the inputs the state holds (the configuration AWS has, not the region file's
// next one), the targets with enableDeletionProtection set to on. An update targeted
// at them therefore changes that one property in place, whatever else the region file
// now says; everything else is registered as it is, so nothing counts as removed; and
// it needs no region file at all (a region whose file is gone can still be destroyed).
func releaseProgram(state State, targets []string, on bool) (pulumi.RunFunc, error) {
	byURN := make(map[resource.URN]apitype.ResourceV3, len(state.Resources))
	for _, r := range state.Resources {
		byURN[r.URN] = r
	}
	for _, t := range targets {
		if _, ok := byURN[resource.URN(t)]; !ok {
			return nil, fmt.Errorf("%s is not in the state", resource.URN(t).Name())
		}
	}
	return func(ctx *pulumi.Context) error {
		reg := &registrar{ctx: ctx, byURN: byURN, done: map[resource.URN]pulumi.Resource{}}
		for _, t := range targets {
			r := byURN[resource.URN(t)]
			inputs := make(map[string]any, len(r.Inputs))
			for k, v := range r.Inputs {
				if !strings.HasPrefix(k, "__") {
					inputs[k] = v
				}
			}
			inputs["enableDeletionProtection"] = on
			if _, err := reg.register(r, inputs); err != nil {
				return err
			}
		}
		for _, r := range state.Resources {
			if r.Type == resource.RootStackType || r.Delete {
				continue
			}
			if _, err := reg.register(r, nil); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// registrar registers state resources, each once, parents, dependencies and providers
// first. Only the targets change: the engine gives every resource an update is not
// targeted at its old inputs, so those are registered with none (and secrets in the
// state, which the export keeps encrypted, never pass through the program).
type registrar struct {
	ctx   *pulumi.Context
	byURN map[resource.URN]apitype.ResourceV3
	done  map[resource.URN]pulumi.Resource
}

type stateComponent struct{ pulumi.ResourceState }
type stateCustom struct{ pulumi.CustomResourceState }
type stateProvider struct{ pulumi.ProviderResourceState }

func (g *registrar) register(r apitype.ResourceV3, inputs map[string]any) (pulumi.Resource, error) {
	if res, ok := g.done[r.URN]; ok {
		return res, nil
	}
	var opts []pulumi.ResourceOption
	if r.Parent != "" && r.Parent.Type() != resource.RootStackType {
		parent, ok := g.byURN[r.Parent]
		if !ok {
			return nil, fmt.Errorf("the parent of %s is not in the state", r.URN.Name())
		}
		p, err := g.register(parent, nil)
		if err != nil {
			return nil, err
		}
		opts = append(opts, pulumi.Parent(p))
	}
	// The dependencies the state records come along, so the state keeps them and a
	// destroy still deletes the load balancer before its subnets and security group.
	var deps []pulumi.Resource
	for _, d := range r.Dependencies {
		dep, ok := g.byURN[d]
		if !ok {
			continue
		}
		res, err := g.register(dep, nil)
		if err != nil {
			return nil, err
		}
		deps = append(deps, res)
	}
	if len(deps) > 0 {
		opts = append(opts, pulumi.DependsOn(deps))
	}
	if r.Protect {
		opts = append(opts, pulumi.Protect(true))
	}
	if r.RetainOnDelete {
		opts = append(opts, pulumi.RetainOnDelete(true))
	}
	typ, name := string(r.Type), r.URN.Name()
	var res pulumi.Resource
	var err error
	switch {
	case !r.Custom:
		c := &stateComponent{}
		err, res = g.ctx.RegisterComponentResource(typ, name, c, opts...), c
	case strings.HasPrefix(typ, "pulumi:providers:"):
		// The engine checks providers whether targeted or not: their inputs (region,
		// account, default tags; never secrets) come from the state.
		p := &stateProvider{}
		props := make(map[string]any, len(r.Inputs))
		for k, v := range r.Inputs {
			if k == "version" {
				if s, ok := v.(string); ok {
					opts = append(opts, pulumi.Version(s))
				}
				continue
			}
			props[k] = v
		}
		err, res = g.ctx.RegisterResource(typ, name, pulumi.ToMap(props), p, opts...), p
	default:
		ref, perr := providers.ParseReference(r.Provider)
		if perr != nil {
			return nil, fmt.Errorf("the provider of %s: %w", name, perr)
		}
		provider, ok := g.byURN[ref.URN()]
		if !ok {
			return nil, errors.New("the provider of " + name + " is not in the state")
		}
		pr, perr := g.register(provider, nil)
		if perr != nil {
			return nil, perr
		}
		c := &stateCustom{}
		opts = append(opts, pulumi.Provider(pr.(pulumi.ProviderResource)))
		err, res = g.ctx.RegisterResource(typ, name, pulumi.ToMap(inputs), c, opts...), c
	}
	if err != nil {
		return nil, err
	}
	g.done[r.URN] = res
	return res, nil
}
