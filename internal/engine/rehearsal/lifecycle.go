package rehearsal

import (
	"context"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/regionctl/regionctl/stacks/mockaws"
)

// Create "creates" a resource: its id and outputs are the fake AWS answer of
// stacks/mockaws for the configured region and account, so they are the same on every
// run and the same as `regionctl plan` shows. A preview knows only the inputs: what
// AWS would compute (ids, ARNs, endpoints) is unknown, as with the real provider.
func (p *provider) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	urn := resource.URN(req.GetUrn())
	inputs, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	if err := healthGate(typeOf(req.GetType(), urn), inputs, nil, req.GetPreview()); err != nil {
		return nil, err
	}
	c := p.config(ctx)
	id, outputs := mockaws.Attributes(c.region, c.accountID, typeOf(req.GetType(), urn), nameOf(req.GetName(), urn), inputs)
	if req.GetPreview() {
		id, outputs = "", previewOutputs(inputs, outputs, nil)
	}
	props, err := marshal(outputs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: props}, nil
}

// previewOutputs are a preview's outputs: the new inputs as they are (possibly
// unknown) and, for every attribute AWS computes, its value before (an update) when the
// new inputs give it the same value, else unknown — as the real provider plans it.
func previewOutputs(inputs, computed, before resource.PropertyMap) resource.PropertyMap {
	out := make(resource.PropertyMap, len(computed))
	for k, v := range computed {
		if old, ok := before[k]; ok && old.DeepEquals(v) {
			out[k] = old
		} else {
			out[k] = resource.MakeComputed(resource.NewStringProperty(""))
		}
	}
	for k, v := range inputs {
		out[k] = v
	}
	return out
}

// Read returns the state it is given: nothing changes behind a rehearsal's back, so a
// refresh finds no drift.
func (p *provider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	props := req.GetProperties()
	if len(props.GetFields()) == 0 {
		// A read by id alone (an import or a get): the resource exists with its id.
		var err error
		if props, err = marshal(resource.PropertyMap{"id": resource.NewStringProperty(req.GetId())}); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: props, Inputs: req.GetInputs()}, nil
}

// Update applies new inputs in place: the outputs are the fake answer for the new
// inputs under the resource's existing id. The fake is deterministic, so the computed
// attributes an in-place change cannot affect (ARNs, endpoints) stay as they were,
// and those it does affect (a replication group's members) follow. A preview keeps the
// computed attributes the new inputs leave as they were; the others are unknown.
func (p *provider) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	urn := resource.URN(req.GetUrn())
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	if err := healthGate(typeOf(req.GetType(), urn), news, req.GetOldInputs(), req.GetPreview()); err != nil {
		return nil, err
	}
	c := p.config(ctx)
	_, outputs := mockaws.Attributes(c.region, c.accountID, typeOf(req.GetType(), urn), nameOf(req.GetName(), urn), news)
	if req.GetPreview() {
		olds, err := unmarshal(req.GetOlds())
		if err != nil {
			return nil, err
		}
		oldIn, err := unmarshal(req.GetOldInputs())
		if err != nil {
			return nil, err
		}
		// The computed attributes are the old outputs that were not inputs.
		before := make(resource.PropertyMap, len(olds))
		for k, v := range olds {
			if _, wasInput := oldIn[k]; !wasInput {
				before[k] = v
			}
		}
		outputs = previewOutputs(news, outputs, before)
	}
	if id := req.GetId(); id != "" {
		outputs["id"] = resource.NewStringProperty(id)
	}
	props, err := marshal(outputs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

// Delete has nothing to delete.
func (p *provider) Delete(context.Context, *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// Cancel has nothing to stop: every call finishes at once.
func (p *provider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}
