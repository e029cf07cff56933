package rehearsal

import (
	"context"
	"strconv"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/regionctl/regionctl/internal/awsmodel"

	"github.com/regionctl/regionctl/internal/awsmodel/mockaws"
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
	typ, name := typeOf(req.GetType(), urn), nameOf(req.GetName(), urn)
	if req.GetPreview() {
		_, outputs := mockaws.Attributes(c.region, c.accountID, typ, name, inputs)
		props, err := marshal(previewOutputs(inputs, outputs, nil))
		return &pulumirpc.CreateResponse{Properties: props}, err
	}
	w := p.worldOf(ctx)
	if gen := w.generation(urn); gen > 0 {
		// A replacement created before the old resource goes: AWS gives it ids of its own.
		name += "-r" + strconv.Itoa(gen+1)
	}
	id, outputs := mockaws.Attributes(c.region, c.accountID, typ, name, inputs)
	if why := w.refuseCreate(typ, urn, inputs); why != "" {
		return nil, status.Error(codes.FailedPrecondition, why)
	}
	if why := capacityRefusal(typ, inputs); why != "" {
		return nil, status.Error(codes.ResourceExhausted, why)
	}
	if typ == "aws:autoscaling/group:Group" {
		// The servers boot now: what their role gains from here on, they boot without.
		w.launch(inputs)
	}
	if err := p.wait(ctx, typ); err != nil {
		return nil, err
	}
	w.put(&object{typ: typ, urn: urn, id: id, props: outputs})
	if err := p.overwritten(typ, urn, req.GetName()); err != nil {
		return nil, err
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

// Read returns the state it is given, with the changes made to the resource outside
// regionctl (outofband.go) on top: without those a refresh finds no drift.
func (p *provider) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	props := req.GetProperties()
	if len(props.GetFields()) == 0 {
		// A read by id alone (an import or a get): the resource exists with its id.
		var err error
		if props, err = marshal(resource.PropertyMap{"id": resource.NewStringProperty(req.GetId())}); err != nil {
			return nil, err
		}
		return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: props, Inputs: req.GetInputs()}, nil
	}
	urn := resource.URN(req.GetUrn())
	outputs, err := unmarshal(props)
	if err != nil {
		return nil, err
	}
	inputs, err := unmarshal(req.GetInputs())
	if err != nil {
		return nil, err
	}
	if !p.outOfBand.apply(typeOf(req.GetType(), urn), nameOf(req.GetName(), urn), outputs, inputs) {
		return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: props, Inputs: req.GetInputs()}, nil
	}
	if props, err = marshal(outputs); err != nil {
		return nil, err
	}
	in, err := marshal(inputs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: props, Inputs: in}, nil
}

// overwritten drops the out-of-band changes of a resource regionctl changed.
func (p *provider) overwritten(typ string, urn resource.URN, name string) error {
	if err := p.outOfBand.forget(typ, nameOf(name, urn)); err != nil {
		return status.Errorf(codes.Internal, "rehearsal provider: recording the out-of-band changes: %v", err)
	}
	return nil
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
	if !req.GetPreview() {
		if why := p.worldOf(ctx).refuseUpdate(typeOf(req.GetType(), urn), news); why != "" {
			return nil, status.Error(codes.FailedPrecondition, why)
		}
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
		if !req.GetPreview() {
			// What AWS named the resource at its creation stays: a replacement's new
			// resource got ids of its own (Create), which an update does not undo.
			olds, err := unmarshal(req.GetOlds())
			if err != nil {
				return nil, err
			}
			for _, k := range []resource.PropertyKey{"arn", "arnSuffix", "dnsName", "zoneId"} {
				if v, ok := olds[k]; ok && !v.IsComputed() {
					if _, isInput := news[k]; !isInput {
						outputs[k] = v
					}
				}
			}
			p.worldOf(ctx).update(typeOf(req.GetType(), urn), id, outputs)
			if err := p.overwritten(typeOf(req.GetType(), urn), urn, req.GetName()); err != nil {
				return nil, err
			}
		}
	}
	props, err := marshal(outputs)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

// Delete deletes a resource from the stand-in account, unless AWS would refuse: while
// its deletion protection is on, or while something else still uses it.
func (p *provider) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	urn := resource.URN(req.GetUrn())
	olds, err := unmarshal(req.GetProperties())
	if err != nil {
		return nil, err
	}
	w, typ := p.worldOf(ctx), typeOf(req.GetType(), urn)
	if why := w.refuseDelete(req.GetId(), typ, olds); why != "" {
		return nil, status.Error(codes.FailedPrecondition, why)
	}
	w.remove(typ, req.GetId())
	if err := p.overwritten(typ, urn, req.GetName()); err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, nil
}

// wait takes the time AWS takes to create a resource of typ, scaled down.
func (p *provider) wait(ctx context.Context, typ string) error {
	d := awsmodel.Scaled(awsmodel.Creation(typ).Typical, p.latencyScale)
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return status.FromContextError(ctx.Err()).Err()
	}
}

// Cancel has nothing to stop: every call finishes at once.
func (p *provider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}
