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

// unsecret unwraps a secret value; other values come back as they are.
func unsecret(v resource.PropertyValue) resource.PropertyValue {
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	return v
}

// knownString returns a property's string value, and false when it is absent, not a
// string or not known yet (a preview).
func knownString(m resource.PropertyMap, key string) (string, bool) {
	v := unsecret(m[resource.PropertyKey(key)])
	if !v.IsString() {
		return "", false
	}
	return v.StringValue(), true
}

// knownNumber is knownString for numbers.
func knownNumber(m resource.PropertyMap, key string) (float64, bool) {
	v := unsecret(m[resource.PropertyKey(key)])
	if !v.IsNumber() {
		return 0, false
	}
	return v.NumberValue(), true
}

// flag returns a bool property; false when absent or unknown.
func flag(m resource.PropertyMap, key string) bool {
	v := unsecret(m[resource.PropertyKey(key)])
	return v.IsBool() && v.BoolValue()
}

// absent is true when the program left a property out (or set it to null).
func absent(m resource.PropertyMap, key string) bool {
	v, ok := m[resource.PropertyKey(key)]
	return !ok || v.IsNull()
}
