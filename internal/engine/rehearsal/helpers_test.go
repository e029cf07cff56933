package rehearsal_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/regionctl/regionctl/internal/engine/rehearsal"
)

const (
	region  = "eu-west-1"
	account = "210987654321"
	stack   = "urn:pulumi:eu-west-1::regionctl::"
)

var opts = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, PropagateNil: true}

// serve starts a rehearsal provider and returns a client connected to it, the way
// the engine connects.
func serve(t *testing.T) (*rehearsal.Server, pulumirpc.ResourceProviderClient) {
	t.Helper()
	srv, err := rehearsal.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Error(err)
		}
	})
	return srv, connect(t, srv)
}

func connect(t *testing.T, srv *rehearsal.Server) pulumirpc.ResourceProviderClient {
	t.Helper()
	conn, err := grpc.NewClient("127.0.0.1:"+strconv.Itoa(srv.Port()), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return pulumirpc.NewResourceProviderClient(conn)
}

// configured is serve plus Configure for region and account with default tags.
func configured(t *testing.T) pulumirpc.ResourceProviderClient {
	t.Helper()
	_, client := serve(t)
	configure(t, client, resource.PropertyMap{
		"region":            str(region),
		"allowedAccountIds": resource.NewArrayProperty([]resource.PropertyValue{str(account)}),
		"defaultTags": resource.NewObjectProperty(resource.PropertyMap{
			"tags": resource.NewObjectProperty(resource.PropertyMap{"managed-by": str("regionctl"), "region": str(region)}),
		}),
		"version": str(rehearsal.Version),
	})
	return client
}

func configure(t *testing.T, client pulumirpc.ResourceProviderClient, args resource.PropertyMap) {
	t.Helper()
	if _, err := client.Configure(context.Background(), &pulumirpc.ConfigureRequest{
		Args: props(t, args), AcceptSecrets: true, AcceptResources: true,
	}); err != nil {
		t.Fatal(err)
	}
}

func props(t *testing.T, m resource.PropertyMap) *structpb.Struct {
	t.Helper()
	s, err := plugin.MarshalProperties(m, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func unprops(t *testing.T, s *structpb.Struct) resource.PropertyMap {
	t.Helper()
	m, err := plugin.UnmarshalProperties(s, opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func urn(typ, name string) string { return stack + typ + "::" + name }

func str(s string) resource.PropertyValue  { return resource.NewStringProperty(s) }
func num(n float64) resource.PropertyValue { return resource.NewNumberProperty(n) }
func yes(b bool) resource.PropertyValue    { return resource.NewBoolProperty(b) }
func unknown() resource.PropertyValue {
	return resource.MakeComputed(resource.NewStringProperty(""))
}

func strs(ss ...string) resource.PropertyValue {
	vs := make([]resource.PropertyValue, len(ss))
	for i, s := range ss {
		vs[i] = str(s)
	}
	return resource.NewArrayProperty(vs)
}

// check runs Check on a new resource and returns the checked inputs and failures.
func check(t *testing.T, client pulumirpc.ResourceProviderClient, typ, name string, news resource.PropertyMap) (resource.PropertyMap, []*pulumirpc.CheckFailure) {
	t.Helper()
	resp, err := client.Check(context.Background(), &pulumirpc.CheckRequest{
		Urn: urn(typ, name), Type: typ, Name: name, News: props(t, news),
	})
	if err != nil {
		t.Fatal(err)
	}
	return unprops(t, resp.GetInputs()), resp.GetFailures()
}
