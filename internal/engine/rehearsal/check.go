package rehearsal

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/regionctl/regionctl/internal/awsmodel"
)

// Check fills in what the real provider fills in before a diff — the physical name of
// a resource whose program left it out, and tagsAll — and refuses what AWS would
// refuse: names past AWS's limits, values out of range, engine versions AWS does not
// offer or would have to lower.
func (p *provider) Check(ctx context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	urn := resource.URN(req.GetUrn())
	typ := typeOf(req.GetType(), urn)
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}

	named, prefix := awsmodel.Autoname(typ, urn, news)
	awsmodel.ApplyTagsAll(typ, news, p.config(ctx).defaultTags)

	olds, err := unmarshal(req.GetOlds())
	if err != nil {
		return nil, err
	}
	found := append(awsmodel.Check(typ, news), engineVersionFailures(typ, olds, news, time.Now())...)
	found = append(found, listenerFailures(typ, news, p.config(ctx).region)...)
	var failures []*pulumirpc.CheckFailure
	for _, f := range found {
		reason := f.Reason
		switch {
		case f.Prop != named || named == "":
			// A value the program gave: the reason says it all.
		case prefix != "" && slices.ContainsFunc(found, func(f awsmodel.Failure) bool { return f.Prop == prefix }):
			continue // the prefix's own failure says it
		case prefix != "":
			reason += fmt.Sprintf(" (generated from %s: shorten it)", prefix)
		default:
			reason += fmt.Sprintf(" (generated from the resource name %q: set %s, or shorten the resource name)", urn.Name(), named)
		}
		failures = append(failures, &pulumirpc.CheckFailure{Property: f.Prop, Reason: reason})
	}

	inputs, err := marshal(news)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CheckResponse{Inputs: inputs, Failures: failures}, nil
}

// typeOf is the resource type of a call: newer engines send it, older ones only the URN.
func typeOf(typ string, urn resource.URN) string {
	if typ != "" {
		return typ
	}
	if urn.IsValid() {
		return string(urn.Type())
	}
	return ""
}

// nameOf is the logical name of a call's resource.
func nameOf(name string, urn resource.URN) string {
	if name != "" {
		return name
	}
	if urn.IsValid() {
		return urn.Name()
	}
	return ""
}
