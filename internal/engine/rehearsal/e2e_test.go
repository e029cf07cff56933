package rehearsal

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/testutil"
)

// calls records the provider methods the engine calls, in order of first call.
type calls struct {
	mu    sync.Mutex
	order []string
	count map[string]int
}

func (c *calls) observe(method string) {
	method = method[strings.LastIndex(method, "/")+1:]
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.count == nil {
		c.count = map[string]int{}
	}
	if c.count[method] == 0 {
		c.order = append(c.order, method)
	}
	c.count[method]++
}

func (c *calls) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var b strings.Builder
	for i, m := range c.order {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(m + "×" + strconv.Itoa(c.count[m]))
	}
	return b.String()
}

// queueSpec is what the test changes between runs.
type queueSpec struct {
	name       string
	fifo       bool
	visibility int
}

const e2eAccount = "210987654321"

func e2eProgram(q queueSpec) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws-eu-west-1", &aws.ProviderArgs{
			Region:            pulumi.String("eu-west-1"),
			AllowedAccountIds: pulumi.StringArray{pulumi.String(e2eAccount)},
			DefaultTags:       &aws.ProviderDefaultTagsArgs{Tags: pulumi.StringMap{"managed-by": pulumi.String("regionctl")}},
		})
		if err != nil {
			return err
		}
		use := pulumi.Provider(p)
		key, err := kms.NewKey(ctx, "key", &kms.KeyArgs{
			EnableKeyRotation:    pulumi.Bool(true),
			DeletionWindowInDays: pulumi.Int(30),
		}, use)
		if err != nil {
			return err
		}
		queue, err := sqs.NewQueue(ctx, "events", &sqs.QueueArgs{
			Name:                     pulumi.String(q.name),
			FifoQueue:                pulumi.Bool(q.fifo),
			VisibilityTimeoutSeconds: pulumi.Int(q.visibility),
			KmsMasterKeyId:           key.Arn,
		}, use)
		if err != nil {
			return err
		}
		bucket, err := s3.NewBucketV2(ctx, "uploads", &s3.BucketV2Args{
			Tags: pulumi.StringMap{"team": pulumi.String("hosting")},
		}, use)
		if err != nil {
			return err
		}
		who, err := aws.GetCallerIdentity(ctx, nil, use)
		if err != nil {
			return err
		}
		ctx.Export("keyArn", key.Arn)
		ctx.Export("queueUrl", queue.Url)
		ctx.Export("bucket", bucket.Bucket)
		//lint:ignore SA1019 deprecated for programs to read, but it is what the test checks the provider computes
		ctx.Export("bucketTags", bucket.TagsAll)
		ctx.Export("account", pulumi.String(who.AccountId))
		return nil
	}
}

// TestEngineAttaches drives the real Pulumi CLI against a rehearsal provider through
// the Automation API: the engine attaches over PULUMI_DEBUG_PROVIDERS and never looks
// for the AWS plugin.
func TestEngineAttaches(t *testing.T) {
	root := needPulumi(t)
	began := time.Now()

	var seen calls
	srv, err := start(Options{}, seen.observe)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Error(err)
		}
	})

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	state := t.TempDir()
	stack := rehearsalStack(ctx, t, cmd, state, "rehearsal-e2e", e2eProgram(queueSpec{"events", false, 60}), srv.Port())
	step := func(name string) func() {
		at := time.Now()
		return func() { t.Logf("%s: %v", name, time.Since(at).Round(time.Millisecond)) }
	}

	// up creates everything, with ids and ARNs of the configured account and region.
	done := step("first up")
	up, err := stack.Up(ctx)
	done()
	if err != nil {
		t.Fatalf("up: %v", err)
	}
	if got := *up.Summary.ResourceChanges; got["create"] != 5 || len(got) != 1 {
		t.Errorf("first up changes = %v, want 5 creates (stack, provider, key, queue, bucket)", got)
	}
	want := map[string]string{
		"keyArn":   `^arn:aws:kms:eu-west-1:210987654321:key/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$`,
		"queueUrl": `^https://sqs\.eu-west-1\.amazonaws\.com/210987654321/events$`,
		"bucket":   `^uploads-[0-9a-f]{7}$`,
		"account":  `^210987654321$`,
	}
	for k, re := range want {
		v, _ := up.Outputs[k].Value.(string)
		if !regexp.MustCompile(re).MatchString(v) {
			t.Errorf("output %s = %q, want %s", k, v, re)
		}
	}
	if tags, _ := up.Outputs["bucketTags"].Value.(map[string]any); tags["managed-by"] != "regionctl" || tags["team"] != "hosting" {
		t.Errorf("bucket tagsAll = %v, want the default tags and the bucket's own", up.Outputs["bucketTags"].Value)
	}

	// A second up changes nothing and answers the same ids.
	done = step("second up")
	again, err := stack.Up(ctx)
	done()
	if err != nil {
		t.Fatalf("second up: %v", err)
	}
	if got := *again.Summary.ResourceChanges; got["same"] != 5 || len(got) != 1 {
		t.Errorf("second up changes = %v, want 5 same", got)
	}
	for k := range want {
		if again.Outputs[k].Value != up.Outputs[k].Value {
			t.Errorf("output %s changed: %v, then %v", k, up.Outputs[k].Value, again.Outputs[k].Value)
		}
	}

	// A refresh reads the state back: no drift.
	done = step("refresh")
	refresh, err := stack.Refresh(ctx)
	done()
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if got := *refresh.Summary.ResourceChanges; got["same"] != 5 || len(got) != 1 {
		t.Errorf("refresh changes = %v, want 5 same", got)
	}

	preview := func(name string, q queueSpec) (map[apitype.OpType]int, []events.EngineEvent) {
		t.Helper()
		stack.Workspace().SetProgram(e2eProgram(q))
		ch := make(chan events.EngineEvent)
		var evs []events.EngineEvent
		collected := make(chan struct{})
		go func() {
			for e := range ch {
				evs = append(evs, e)
			}
			close(collected)
		}()
		done := step(name)
		res, err := stack.Preview(ctx, optpreview.EventStreams(ch))
		done()
		<-collected
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return res.ChangeSummary, evs
	}
	// queueStep is the queue's step of kind op in a preview's events.
	queueStep := func(evs []events.EngineEvent, op apitype.OpType) *apitype.StepEventMetadata {
		t.Helper()
		var ops []apitype.OpType
		for _, e := range evs {
			if e.ResourcePreEvent != nil && strings.HasSuffix(e.ResourcePreEvent.Metadata.URN, "::events") {
				if e.ResourcePreEvent.Metadata.Op == op {
					return &e.ResourcePreEvent.Metadata
				}
				ops = append(ops, e.ResourcePreEvent.Metadata.Op)
			}
		}
		t.Fatalf("no %s step for the queue in the preview; steps: %v", op, ops)
		return nil
	}

	// An in-place change is an update.
	summary, evs := preview("preview of an update", queueSpec{"events", false, 120})
	if summary[apitype.OpUpdate] != 1 || summary[apitype.OpSame] != 4 {
		t.Errorf("update preview = %v, want 1 update, 4 same", summary)
	}
	if m := queueStep(evs, apitype.OpUpdate); !slices.Equal(m.Diffs, []string{"visibilityTimeoutSeconds"}) {
		t.Errorf("queue update diffs = %v, want visibilityTimeoutSeconds", m.Diffs)
	}

	// Turning the queue into a FIFO queue replaces it, as on AWS.
	summary, evs = preview("preview of a replacement", queueSpec{"events.fifo", true, 60})
	if summary[apitype.OpReplace] != 1 || summary[apitype.OpSame] != 4 {
		t.Errorf("replace preview = %v, want 1 replace, 4 same", summary)
	}
	// The engine does not keep the provider's order of the keys.
	if m := queueStep(evs, apitype.OpReplace); !slices.Equal(slices.Sorted(slices.Values(m.Keys)), []string{"fifoQueue", "name"}) {
		t.Errorf("queue replace keys = %v, want fifoQueue and name", m.Keys)
	}

	// destroy removes everything.
	stack.Workspace().SetProgram(e2eProgram(queueSpec{"events", false, 60}))
	done = step("destroy")
	destroy, err := stack.Destroy(ctx)
	done()
	if err != nil {
		t.Fatalf("destroy: %v", err)
	}
	if got := *destroy.Summary.ResourceChanges; got["delete"] != 5 || len(got) != 1 {
		t.Errorf("destroy changes = %v, want 5 deletes", got)
	}

	t.Logf("engine called: %s", &seen)
	for _, m := range []string{"Handshake", "Attach", "CheckConfig", "Configure", "Check", "Diff", "Create", "Read", "Delete", "Invoke"} {
		if seen.count[m] == 0 {
			t.Errorf("the engine never called %s", m)
		}
	}
	t.Logf("whole test: %v", time.Since(began).Round(time.Millisecond))
}

// rehearsalStack is an inline-program stack in a local backend at state whose engine
// attaches to the rehearsal provider on port.
func rehearsalStack(ctx context.Context, t *testing.T, cmd auto.PulumiCommand, state, project string, program pulumi.RunFunc, port int) auto.Stack {
	t.Helper()
	stack, err := auto.UpsertStackInlineSource(ctx, "dev", project, program,
		auto.Pulumi(cmd),
		auto.PulumiHome(t.TempDir()),
		auto.Project(workspace.Project{
			Name:    tokens.PackageName(project),
			Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: "file://" + state},
		}),
		auto.SecretsProvider("passphrase"),
		auto.EnvVars(map[string]string{
			"PULUMI_CONFIG_PASSPHRASE":                    "rehearsal",
			"PULUMI_SKIP_UPDATE_CHECK":                    "true",
			"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
			"PULUMI_DEBUG_PROVIDERS":                      "aws:" + strconv.Itoa(port),
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return stack
}

// needPulumi skips an end-to-end test when -short or without the pinned Pulumi CLI,
// and returns the repository root that holds it.
func needPulumi(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end: runs the Pulumi CLI")
	}
	root := testutil.RepoRoot(t)
	if _, err := os.Stat(filepath.Join(root, "bin", "pulumi")); err != nil {
		t.Skipf("no Pulumi CLI at %s: `make tools` builds it", filepath.Join(root, "bin", "pulumi"))
	}
	return root
}
