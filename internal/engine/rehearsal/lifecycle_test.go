package rehearsal_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/regionctl/regionctl/internal/awsmodel/mockaws"
	"github.com/regionctl/regionctl/internal/engine/rehearsal"
)

const clusterType = "aws:rds/cluster:Cluster"

func clusterInputs(t *testing.T, client pulumirpc.ResourceProviderClient) resource.PropertyMap {
	t.Helper()
	inputs, failures := check(t, client, clusterType, "database-main-cluster", resource.PropertyMap{
		"clusterIdentifier": str("main"), "engine": str("aurora-mysql"), "manageMasterUserPassword": yes(true),
		"masterUserSecretKmsKeyId": str("arn:aws:kms:eu-west-1:210987654321:key/k"),
		"masterPassword":           resource.MakeSecret(str("never-in-state-in-real-life")),
	})
	if len(failures) > 0 {
		t.Fatal(failureLines(failures))
	}
	return inputs
}

func create(t *testing.T, client pulumirpc.ResourceProviderClient, typ, name string, inputs resource.PropertyMap, preview bool) (string, resource.PropertyMap) {
	t.Helper()
	resp, err := client.Create(context.Background(), &pulumirpc.CreateRequest{
		Urn: urn(typ, name), Type: typ, Name: name, Properties: props(t, inputs), Preview: preview,
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.GetId(), unprops(t, resp.GetProperties())
}

// TestLifecycle: create, read, update and delete one resource; ids, ARNs and endpoints
// are the mock's for the configured region and account.
func TestLifecycle(t *testing.T) {
	client := configured(t)
	ctx := context.Background()
	inputs := clusterInputs(t, client)

	id, outputs := create(t, client, clusterType, "database-main-cluster", inputs, false)
	wantID, want := mockaws.Attributes(region, account, clusterType, "database-main-cluster", inputs)
	if id != "main" || id != wantID || !outputs.DeepEquals(want) {
		t.Errorf("create = %s %v\nwant %s %v", id, outputs, wantID, want)
	}
	for k, v := range map[resource.PropertyKey]string{
		"arn":      "arn:aws:rds:eu-west-1:210987654321:cluster:main",
		"endpoint": "main.cluster-",
	} {
		if got := outputs[k]; !got.IsString() || len(got.StringValue()) < len(v) || got.StringValue()[:len(v)] != v {
			t.Errorf("%s = %v, want %s...", k, got, v)
		}
	}
	if !outputs["masterPassword"].IsSecret() {
		t.Errorf("a secret input came back in the clear: %v", outputs["masterPassword"])
	}
	if tags := outputs["tagsAll"]; !tags.IsObject() || tags.ObjectValue()["managed-by"].StringValue() != "regionctl" {
		t.Errorf("tagsAll = %v, want the default tags", tags)
	}

	// A second provider (the next run) answers the same.
	again, againOut := create(t, configured(t), clusterType, "database-main-cluster", inputs, false)
	if again != id || !againOut.DeepEquals(outputs) {
		t.Errorf("another run created %s %v, the first %s %v", again, againOut, id, outputs)
	}

	// Read gives back the state: a refresh sees no drift.
	read, err := client.Read(ctx, &pulumirpc.ReadRequest{
		Id: id, Urn: urn(clusterType, "database-main-cluster"), Properties: props(t, outputs), Inputs: props(t, inputs),
	})
	if err != nil {
		t.Fatal(err)
	}
	if read.GetId() != id || !unprops(t, read.GetProperties()).DeepEquals(outputs) || !unprops(t, read.GetInputs()).DeepEquals(inputs) {
		t.Errorf("read = %v", read)
	}

	// An update keeps the id and the computed attributes, and takes the new inputs.
	news := with(inputs, "backupRetentionPeriod", num(14), "port", num(3307))
	updated, err := client.Update(ctx, &pulumirpc.UpdateRequest{
		Id: id, Urn: urn(clusterType, "database-main-cluster"),
		Olds: props(t, outputs), OldInputs: props(t, inputs), News: props(t, news),
	})
	if err != nil {
		t.Fatal(err)
	}
	up := unprops(t, updated.GetProperties())
	if up["id"].StringValue() != id || !up["arn"].DeepEquals(outputs["arn"]) || !up["endpoint"].DeepEquals(outputs["endpoint"]) ||
		up["backupRetentionPeriod"].NumberValue() != 14 || up["port"].NumberValue() != 3307 {
		t.Errorf("update = %v", up)
	}

	if _, err := client.Delete(ctx, &pulumirpc.DeleteRequest{
		Id: id, Urn: urn(clusterType, "database-main-cluster"), Properties: props(t, up), OldInputs: props(t, news),
	}); err != nil {
		t.Errorf("delete: %v", err)
	}
}

// TestPreview: a preview knows the inputs; what AWS computes is unknown on a create and
// kept on an update.
func TestPreview(t *testing.T) {
	client := configured(t)
	inputs := clusterInputs(t, client)
	inputs["kmsKeyId"] = unknown() // the key is created in the same run

	id, outputs := create(t, client, clusterType, "database-main-cluster", inputs, true)
	if id != "" {
		t.Errorf("preview id %q, want none", id)
	}
	for _, k := range []resource.PropertyKey{"arn", "endpoint", "readerEndpoint", "id"} {
		if !outputs[k].IsComputed() {
			t.Errorf("preview %s = %v, want unknown", k, outputs[k])
		}
	}
	if outputs["clusterIdentifier"].StringValue() != "main" || !outputs["kmsKeyId"].IsComputed() {
		t.Errorf("preview lost its inputs: %v", outputs)
	}

	known := clusterInputs(t, client)
	_, created := create(t, client, clusterType, "database-main-cluster", known, false)
	resp, err := client.Update(context.Background(), &pulumirpc.UpdateRequest{
		Id: "main", Urn: urn(clusterType, "database-main-cluster"), Preview: true,
		Olds: props(t, created), OldInputs: props(t, known), News: props(t, with(known, "backupRetentionPeriod", unknown())),
	})
	if err != nil {
		t.Fatal(err)
	}
	up := unprops(t, resp.GetProperties())
	if !up["arn"].DeepEquals(created["arn"]) || !up["backupRetentionPeriod"].IsComputed() || up["id"].StringValue() != "main" {
		t.Errorf("update preview = %v", up)
	}
}

func TestReadByID(t *testing.T) {
	client := configured(t)
	resp, err := client.Read(context.Background(), &pulumirpc.ReadRequest{Id: "vpc-0123", Urn: urn("aws:ec2/vpc:Vpc", "imported")})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetId() != "vpc-0123" || unprops(t, resp.GetProperties())["id"].StringValue() != "vpc-0123" {
		t.Errorf("read by id = %v", resp)
	}
}

// TestConcurrentCalls: the engine runs many steps at once; a region's worth of checks
// and creates in parallel give each resource its own answer (run with -race).
func TestConcurrentCalls(t *testing.T) {
	client := configured(t)
	const n = 200
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			name := fmt.Sprintf("queue-%03d", i)
			inputs, _ := check(t, client, "aws:sqs/queue:Queue", name, resource.PropertyMap{})
			ids[i], _ = create(t, client, "aws:sqs/queue:Queue", name, inputs, false)
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" || seen[id] {
			t.Fatalf("id %q empty or given twice", id)
		}
		seen[id] = true
	}
}

func TestClose(t *testing.T) {
	srv, err := rehearsal.Start()
	if err != nil {
		t.Fatal(err)
	}
	if srv.Port() == 0 {
		t.Fatal("no port")
	}
	conn, err := grpc.NewClient("127.0.0.1:"+strconv.Itoa(srv.Port()), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	client := pulumirpc.NewResourceProviderClient(conn)
	if _, err := client.GetPluginInfo(context.Background(), &emptypb.Empty{}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := client.GetPluginInfo(ctx, &emptypb.Empty{}); err == nil {
		t.Error("still serving after Close")
	}
}
