package rehearsal_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/regionctl/regionctl/internal/engine/rehearsal"
)

func TestProtocol(t *testing.T) {
	_, client := serve(t)
	ctx := context.Background()

	info, err := client.GetPluginInfo(ctx, &emptypb.Empty{})
	if err != nil || info.GetVersion() != "6.83.2" {
		t.Errorf("GetPluginInfo = %v, %v; want version 6.83.2, the pulumi-aws SDK's", info, err)
	}
	hs, err := client.Handshake(ctx, &pulumirpc.ProviderHandshakeRequest{EngineAddress: "127.0.0.1:1"})
	if err != nil || !hs.GetAcceptSecrets() || !hs.GetAcceptResources() || hs.GetSupportsAutonamingConfiguration() {
		t.Errorf("Handshake = %v, %v; want secrets and resources accepted, autonaming kept", hs, err)
	}
	if _, err := client.Attach(ctx, &pulumirpc.PluginAttach{Address: "127.0.0.1:1"}); err != nil {
		t.Errorf("Attach: %v", err)
	}
	schema, err := client.GetSchema(ctx, &pulumirpc.GetSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct{ Name, Version string }
	if err := json.Unmarshal([]byte(schema.GetSchema()), &pkg); err != nil || pkg.Name != "aws" || pkg.Version != rehearsal.Version {
		t.Errorf("GetSchema = %s (%v), want the aws package at %s", schema.GetSchema(), err, rehearsal.Version)
	}
	if _, err := client.Cancel(ctx, &emptypb.Empty{}); err != nil {
		t.Errorf("Cancel: %v", err)
	}
	resp, err := client.Configure(ctx, &pulumirpc.ConfigureRequest{Args: props(t, resource.PropertyMap{"region": str(region)})})
	if err != nil || !resp.GetAcceptSecrets() || !resp.GetAcceptResources() || !resp.GetSupportsPreview() {
		t.Errorf("Configure = %v, %v; want secrets, resources and previews supported", resp, err)
	}
	if _, err := client.Construct(ctx, &pulumirpc.ConstructRequest{}); status.Code(err) != codes.Unimplemented {
		t.Errorf("Construct: %v, want Unimplemented", err)
	}
}

func TestCheckConfig(t *testing.T) {
	tests := []struct {
		name   string
		config resource.PropertyMap
		want   []string // "property: reason"
	}{
		{"valid", resource.PropertyMap{"region": str("eu-west-1"), "allowedAccountIds": strs("123456789012"), "version": str("6.83.2")}, nil},
		{"GovCloud", resource.PropertyMap{"region": str("us-gov-west-1")}, nil},
		{"no region", resource.PropertyMap{"allowedAccountIds": strs("123456789012")},
			[]string{"region: a region is required: set region on the aws provider"}},
		{"not a region", resource.PropertyMap{"region": str("Europe")},
			[]string{`region: region "Europe" is not an AWS region name (like eu-west-1)`}},
		{"bad account ids", resource.PropertyMap{"region": str("eu-west-1"), "allowedAccountIds": strs("1234"), "forbiddenAccountIds": strs("12345678901x")},
			[]string{`allowedAccountIds: "1234" is not an AWS account id (12 digits)`, `forbiddenAccountIds: "12345678901x" is not an AWS account id (12 digits)`}},
		{"account ids as JSON", resource.PropertyMap{"region": str("eu-west-1"), "allowedAccountIds": str(`["12"]`)},
			[]string{`allowedAccountIds: "12" is not an AWS account id (12 digits)`}},
		{"region not known yet", resource.PropertyMap{"region": unknown()}, nil},
	}
	_, client := serve(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := client.CheckConfig(context.Background(), &pulumirpc.CheckRequest{
				Urn: urn("pulumi:providers:aws", "aws"), News: props(t, tt.config),
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := failureLines(resp.GetFailures()); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("failures\n got %q\nwant %q", got, tt.want)
			}
			if got := unprops(t, resp.GetInputs()); !got.DeepEquals(tt.config) {
				t.Errorf("inputs changed: %v, want %v", got, tt.config)
			}
		})
	}
}

func failureLines(fs []*pulumirpc.CheckFailure) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.GetProperty()+": "+f.GetReason())
	}
	return out
}

func TestDiffConfig(t *testing.T) {
	_, client := serve(t)
	diff := func(olds, news resource.PropertyMap) *pulumirpc.DiffResponse {
		t.Helper()
		resp, err := client.DiffConfig(context.Background(), &pulumirpc.DiffRequest{
			Urn: urn("pulumi:providers:aws", "aws"), OldInputs: props(t, olds), Olds: props(t, olds), News: props(t, news),
		})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	base := resource.PropertyMap{"region": str("eu-west-1"), "version": str("6.83.2")}
	if resp := diff(base, resource.PropertyMap{"region": str("eu-west-1"), "version": str("6.80.0")}); resp.GetChanges() != pulumirpc.DiffResponse_DIFF_NONE {
		t.Errorf("a version bump: %v, want no changes", resp)
	}
	resp := diff(base, resource.PropertyMap{"region": str("eu-central-1"), "version": str("6.83.2")})
	if resp.GetChanges() != pulumirpc.DiffResponse_DIFF_SOME || len(resp.GetReplaces()) != 0 ||
		strings.Join(resp.GetDiffs(), ",") != "region" {
		t.Errorf("a region change: %v, want an update of region, no replacement", resp)
	}
}

// TestConfigure: ARNs, endpoints and invokes name the configured region and account,
// whichever form the configuration arrives in, and each engine connection (one per
// provider instance) keeps its own.
func TestConfigure(t *testing.T) {
	ctx := context.Background()
	srv, sydney := serve(t)
	configure(t, sydney, resource.PropertyMap{
		"region":            str("ap-southeast-2"),
		"allowedAccountIds": strs("111122223333"),
	})
	// Some SDKs send structured provider inputs as JSON.
	frankfurt := connect(t, srv)
	configure(t, frankfurt, resource.PropertyMap{
		"region":            str("eu-central-1"),
		"allowedAccountIds": str(`["444455556666"]`),
		"defaultTags":       resource.MakeSecret(str(`{"tags":{"costCenter":"hosting-eu"}}`)),
	})

	for _, tt := range []struct {
		client          pulumirpc.ResourceProviderClient
		url, account    string
		region, tagsAll string
	}{
		{sydney, "https://sqs.ap-southeast-2.amazonaws.com/111122223333/orders", "111122223333", "ap-southeast-2", ""},
		{frankfurt, "https://sqs.eu-central-1.amazonaws.com/444455556666/orders", "444455556666", "eu-central-1", "hosting-eu"},
	} {
		inputs, _ := check(t, tt.client, "aws:sqs/queue:Queue", "orders", resource.PropertyMap{"name": str("orders")})
		if got := inputs["tagsAll"]; tt.tagsAll == "" && !got.IsNull() ||
			tt.tagsAll != "" && (!got.IsObject() || got.ObjectValue()["costCenter"].StringValue() != tt.tagsAll) {
			t.Errorf("%s: tagsAll = %v", tt.region, got)
		}
		created, err := tt.client.Create(ctx, &pulumirpc.CreateRequest{
			Urn: urn("aws:sqs/queue:Queue", "orders"), Properties: props(t, inputs),
		})
		if err != nil {
			t.Fatal(err)
		}
		if created.GetId() != tt.url {
			t.Errorf("queue id %q, want %q", created.GetId(), tt.url)
		}
		for tok, want := range map[string][2]string{
			"aws:index/getCallerIdentity:getCallerIdentity": {"accountId", tt.account},
			"aws:index/getRegion:getRegion":                 {"name", tt.region},
			"aws:index/getPartition:getPartition":           {"partition", "aws"},
		} {
			resp, err := tt.client.Invoke(ctx, &pulumirpc.InvokeRequest{Tok: tok, Args: props(t, nil)})
			if err != nil {
				t.Fatalf("%s: %v", tok, err)
			}
			if got := unprops(t, resp.GetReturn())[resource.PropertyKey(want[0])]; got.StringValue() != want[1] {
				t.Errorf("%s %s = %v, want %s", tok, want[0], got, want[1])
			}
		}
	}

	if _, err := sydney.Configure(ctx, &pulumirpc.ConfigureRequest{Args: props(t, resource.PropertyMap{})}); status.Code(err) != codes.InvalidArgument ||
		!strings.Contains(err.Error(), "the aws provider has no region: set region on the provider") {
		t.Errorf("Configure without a region: %v", err)
	}
}

func TestInvoke(t *testing.T) {
	client := configured(t)
	ctx := context.Background()
	resp, err := client.Invoke(ctx, &pulumirpc.InvokeRequest{
		Tok: "aws:index/getRegion:getRegion", Args: props(t, resource.PropertyMap{"name": str("us-east-1")}),
	})
	if err != nil || unprops(t, resp.GetReturn())["name"].StringValue() != "us-east-1" {
		t.Errorf("getRegion of another region = %v, %v", resp, err)
	}
	_, err = client.Invoke(ctx, &pulumirpc.InvokeRequest{Tok: "aws:ec2/getAmi:getAmi", Args: props(t, nil)})
	if status.Code(err) != codes.Unimplemented || status.Convert(err).Message() !=
		"a rehearsal cannot answer aws:ec2/getAmi:getAmi, which needs AWS: regionctl's components avoid invokes" {
		t.Errorf("an invoke that needs AWS: %v", err)
	}
}
