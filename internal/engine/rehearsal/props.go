package rehearsal

import (
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"
)

// wire keeps unknowns (previews), secrets (so secret inputs stay secret in the
// outputs) and nulls as the engine sent them.
var wire = plugin.MarshalOptions{
	Label:        "rehearsal",
	KeepUnknowns: true,
	KeepSecrets:  true,
	PropagateNil: true,
}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	m, err := plugin.UnmarshalProperties(s, wire)
	if err != nil {
		return nil, status.Errorf(codes.InvalidArgument, "rehearsal provider: reading properties: %v", err)
	}
	return m, nil
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	s, err := plugin.MarshalProperties(m, wire)
	if err != nil {
		return nil, status.Errorf(codes.Internal, "rehearsal provider: writing properties: %v", err)
	}
	return s, nil
}

// oldInputs are the inputs a diff compares against. Engines that predate sending old
// inputs send only the old outputs, which hold the inputs too.
func oldInputs(req *pulumirpc.DiffRequest) *structpb.Struct {
	if in := req.GetOldInputs(); in != nil {
		return in
	}
	return req.GetOlds()
}
