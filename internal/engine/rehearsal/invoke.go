package rehearsal

import (
	"context"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/regionctl/regionctl/internal/awsmodel/mockaws"

	"github.com/regionctl/regionctl/internal/awsmodel"
)

// invokes are the functions a rehearsal answers: those whose answer follows from the
// provider's configuration alone.
var invokes = map[string]bool{
	"aws:index/getCallerIdentity:getCallerIdentity": true,
	"aws:index/getRegion:getRegion":                 true,
	"aws:index/getPartition:getPartition":           true,
}

// Invoke answers who and where the provider is, from its configuration, the way
// stacks/mockaws answers a program under mocks. Other functions would need AWS.
func (p *provider) Invoke(ctx context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	tok := req.GetTok()
	if !invokes[tok] {
		return nil, status.Errorf(codes.Unimplemented,
			"a rehearsal cannot answer %s, which needs AWS: regionctl's components avoid invokes", tok)
	}
	args, err := unmarshal(req.GetArgs())
	if err != nil {
		return nil, err
	}
	c := p.config(ctx)
	region := c.region
	// getRegion may ask about a region other than the provider's.
	for _, key := range []string{"region", "name"} {
		if r, ok := awsmodel.KnownString(args, key); ok && r != "" && tok == "aws:index/getRegion:getRegion" {
			region = r
			break
		}
	}
	out, err := mockaws.New(region, c.accountID).Call(pulumi.MockCallArgs{Token: tok, Args: args})
	if err != nil {
		return nil, status.Error(codes.Internal, err.Error())
	}
	ret, err := marshal(out)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.InvokeResponse{Return: ret}, nil
}
