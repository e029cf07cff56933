// Package queue is an SQS queue with its dead-letter queue: a message that keeps
// failing moves aside after MaxReceiveCount tries instead of blocking or vanishing, and
// waits there (14 days) for someone to look at it and redrive it.
package queue

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/stacks/internal/entry"

	"github.com/regionctl/regionctl/internal/spec"
)

// dlqRetentionSeconds is SQS's maximum: the longest time to notice and redrive.
const dlqRetentionSeconds = 14 * 24 * 60 * 60

// QueueArgs configures one queue.
type QueueArgs struct {
	// Queue is the queue as the region file describes it, defaults applied.
	Queue spec.Queue
	// KMSKeyARN encrypts the messages of both queues.
	KMSKeyARN pulumi.StringInput
}

// Queue is a queue and its dead-letter queue.
type Queue struct {
	pulumi.ResourceState

	QueueName pulumi.StringOutput
	QueueURL  pulumi.StringOutput
	QueueARN  pulumi.StringOutput
	DLQName   pulumi.StringOutput
	DLQURL    pulumi.StringOutput
	DLQARN    pulumi.StringOutput
}

// NewQueue creates a queue and its dead-letter queue.
func NewQueue(ctx *pulumi.Context, name string, args *QueueArgs, opts ...pulumi.ResourceOption) (*Queue, error) {
	if err := args.check(); err != nil {
		return nil, fmt.Errorf("queue %s: %w", name, err)
	}
	q := &Queue{}
	if err := entry.Register(ctx, "regionctl:stacks:Queue", name, spec.Ref{Kind: spec.KindQueue, Name: args.Queue.Name}, q, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(q)
	// Messages in flight are data: a replaced or destroyed queue loses them.
	keep := []pulumi.ResourceOption{parent, pulumi.Protect(true), pulumi.RetainOnDelete(true)}
	s := args.Queue

	suffix := ""
	if s.Fifo {
		suffix = ".fifo" // SQS requires it of FIFO queue names
	}
	dlq, err := sqs.NewQueue(ctx, name+"-dlq", &sqs.QueueArgs{
		Name:                    pulumi.String(s.Name + "-dlq" + suffix),
		FifoQueue:               pulumi.Bool(s.Fifo),
		MessageRetentionSeconds: pulumi.Int(dlqRetentionSeconds),
		KmsMasterKeyId:          args.KMSKeyARN,
		// A data key is reused for 5 minutes: KMS calls (and cost) drop by orders of
		// magnitude for a small widening of what one data key protects.
		KmsDataKeyReusePeriodSeconds: pulumi.Int(300),
	}, keep...)
	if err != nil {
		return nil, err
	}

	redrive := dlq.Arn.ApplyT(func(arn string) (string, error) {
		return marshal(struct {
			DeadLetterTargetArn string `json:"deadLetterTargetArn"`
			MaxReceiveCount     int    `json:"maxReceiveCount"`
		}{arn, s.MaxReceiveCount})
	}).(pulumi.StringOutput)
	primary, err := sqs.NewQueue(ctx, name+"-queue", &sqs.QueueArgs{
		Name:                         pulumi.String(s.Name + suffix),
		FifoQueue:                    pulumi.Bool(s.Fifo),
		VisibilityTimeoutSeconds:     pulumi.Int(s.VisibilityTimeoutSeconds),
		MessageRetentionSeconds:      pulumi.Int(s.RetentionSeconds),
		ReceiveWaitTimeSeconds:       pulumi.Int(20), // long polling: fewer empty receives
		RedrivePolicy:                redrive,
		KmsMasterKeyId:               args.KMSKeyARN,
		KmsDataKeyReusePeriodSeconds: pulumi.Int(300),
	}, keep...)
	if err != nil {
		return nil, err
	}

	// Only this queue may use the DLQ as its dead-letter queue. A separate resource
	// because the main queue already depends on the DLQ.
	allow := primary.Arn.ApplyT(func(arn string) (string, error) {
		return marshal(struct {
			RedrivePermission string   `json:"redrivePermission"`
			SourceQueueArns   []string `json:"sourceQueueArns"`
		}{"byQueue", []string{arn}})
	}).(pulumi.StringOutput)
	if _, err := sqs.NewRedriveAllowPolicy(ctx, name+"-dlq", &sqs.RedriveAllowPolicyArgs{
		QueueUrl:           dlq.Url,
		RedriveAllowPolicy: allow,
	}, parent); err != nil {
		return nil, err
	}

	q.QueueName, q.QueueURL, q.QueueARN = primary.Name, primary.Url, primary.Arn
	q.DLQName, q.DLQURL, q.DLQARN = dlq.Name, dlq.Url, dlq.Arn
	return q, ctx.RegisterResourceOutputs(q, pulumi.Map{
		"queueName": q.QueueName,
		"queueUrl":  q.QueueURL,
		"queueArn":  q.QueueARN,
		"dlqName":   q.DLQName,
		"dlqUrl":    q.DLQURL,
		"dlqArn":    q.DLQARN,
	})
}

func (a *QueueArgs) check() error {
	switch {
	case a == nil:
		return errors.New("arguments are required")
	case a.KMSKeyARN == nil:
		return errors.New("a KMS key is required")
	case a.Queue.MaxReceiveCount < 1 || a.Queue.VisibilityTimeoutSeconds == 0 || a.Queue.RetentionSeconds == 0:
		return errors.New("queue defaults are not applied (spec.ApplyDefaults)")
	}
	return nil
}

func marshal(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}
