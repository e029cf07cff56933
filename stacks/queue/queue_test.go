package queue_test

import (
	"encoding/json"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/internal/stackstest"
	"github.com/regionctl/regionctl/stacks/queue"
)

const queueType = "aws:sqs/queue:Queue"

func run(t *testing.T, q spec.Queue) (stackstest.Registrations, map[string]func() string) {
	t.Helper()
	r := stackstest.Region(func(r *spec.Region) { r.Queues = []spec.Queue{q} })
	out := map[string]func() string{}
	regs := stackstest.Run(t, r, func(ctx *pulumi.Context, p pulumi.ResourceOption) error {
		qq, err := queue.NewQueue(ctx, "queue-"+q.Name, &queue.QueueArgs{Queue: r.Queues[0], KMSKeyARN: pulumi.String(stackstest.KeyARN)}, p)
		if err != nil {
			return err
		}
		out["name"], out["url"], out["dlqName"] = stackstest.Capture[string](qq.QueueName), stackstest.Capture[string](qq.QueueURL), stackstest.Capture[string](qq.DLQName)
		return nil
	})
	stackstest.CheckInvariants(t, regs)
	return regs, out
}

func TestQueueAndDLQ(t *testing.T) {
	tests := []struct {
		queue         spec.Queue
		name, dlqName string
	}{
		{spec.Queue{Name: "events", VisibilityTimeoutSeconds: 60, MaxReceiveCount: 5}, "events", "events-dlq"},
		{spec.Queue{Name: "orders", Fifo: true, MaxReceiveCount: 3, RetentionSeconds: 86400}, "orders.fifo", "orders-dlq.fifo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			regs, out := run(t, tt.queue)
			q := regs.Named(t, queueType, "queue-"+tt.queue.Name+"-queue")
			dlq := regs.Named(t, queueType, "queue-"+tt.queue.Name+"-dlq")

			if stackstest.Str(q, "name") != tt.name || stackstest.Str(dlq, "name") != tt.dlqName {
				t.Errorf("names %s and %s, want %s and %s", stackstest.Str(q, "name"), stackstest.Str(dlq, "name"), tt.name, tt.dlqName)
			}
			if out["name"]() != tt.name || out["dlqName"]() != tt.dlqName {
				t.Errorf("outputs %s and %s", out["name"](), out["dlqName"]())
			}
			if out["url"]() != "https://sqs.eu-west-1.amazonaws.com/123456789012/"+tt.name {
				t.Errorf("url %s", out["url"]())
			}
			for _, r := range []stackstest.Registrations{{q}, {dlq}} {
				if stackstest.Str(r[0], "kmsMasterKeyId") != stackstest.KeyARN {
					t.Errorf("%s: not encrypted with the region key", r[0].Name)
				}
				if stackstest.Bool(r[0], "fifoQueue") != tt.queue.Fifo {
					t.Errorf("%s: fifoQueue %v", r[0].Name, stackstest.Bool(r[0], "fifoQueue"))
				}
			}
			if got := stackstest.Num(dlq, "messageRetentionSeconds"); got != 14*24*3600 {
				t.Errorf("DLQ retention %v, want 14 days", got)
			}
			visibility := tt.queue.VisibilityTimeoutSeconds
			if visibility == 0 {
				visibility = spec.DefaultVisibilityTimeout
			}
			if got := stackstest.Num(q, "visibilityTimeoutSeconds"); got != float64(visibility) {
				t.Errorf("visibility %v, want %d", got, visibility)
			}

			var redrive struct {
				DeadLetterTargetArn string `json:"deadLetterTargetArn"`
				MaxReceiveCount     int    `json:"maxReceiveCount"`
			}
			if err := json.Unmarshal([]byte(stackstest.Str(q, "redrivePolicy")), &redrive); err != nil {
				t.Fatalf("redrive policy: %v", err)
			}
			if want := "arn:aws:sqs:eu-west-1:123456789012:" + tt.dlqName; redrive.DeadLetterTargetArn != want {
				t.Errorf("dead letters go to %s, want %s", redrive.DeadLetterTargetArn, want)
			}
			if redrive.MaxReceiveCount != tt.queue.MaxReceiveCount {
				t.Errorf("maxReceiveCount %d, want %d", redrive.MaxReceiveCount, tt.queue.MaxReceiveCount)
			}

			allow := regs.Named(t, "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy", "queue-"+tt.queue.Name+"-dlq")
			var policy struct {
				RedrivePermission string   `json:"redrivePermission"`
				SourceQueueArns   []string `json:"sourceQueueArns"`
			}
			if err := json.Unmarshal([]byte(stackstest.Str(allow, "redriveAllowPolicy")), &policy); err != nil {
				t.Fatalf("redrive allow policy: %v", err)
			}
			if policy.RedrivePermission != "byQueue" || len(policy.SourceQueueArns) != 1 ||
				policy.SourceQueueArns[0] != "arn:aws:sqs:eu-west-1:123456789012:"+tt.name {
				t.Errorf("redrive allow policy %+v, want only the main queue", policy)
			}
			if stackstest.Str(allow, "queueUrl") != "https://sqs.eu-west-1.amazonaws.com/123456789012/"+tt.dlqName {
				t.Errorf("redrive allow policy on %s", stackstest.Str(allow, "queueUrl"))
			}
		})
	}
}
