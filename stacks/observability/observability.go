// Package observability is what tells a person that a region is unwell: the alarm
// topic and its subscription, CloudWatch alarms on every database, cache, queue and
// load balancer, and the application log groups.
//
// It takes the other components' identifiers as inputs and reads nothing itself, so
// an alarm exists for exactly the resources the region file declares.
package observability

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/internal/entry"
)

// ObservabilityArgs lists what to watch and where to send alarms.
type ObservabilityArgs struct {
	// KMSKeyARN encrypts the alarm topic and the log groups.
	KMSKeyARN pulumi.StringInput
	// AlarmEmail is subscribed to the alarm topic.
	AlarmEmail string
	// AlarmHTTPS are paging endpoints that confirm their subscription themselves; each
	// is passed as a secret (the URL usually embeds an integration key).
	AlarmHTTPS []string
	// LogRetentionDays is the application log groups' retention.
	LogRetentionDays int

	Fleets    []FleetTarget
	Databases []DatabaseTarget
	Caches    []CacheTarget
	Queues    []QueueTarget
}

// FleetTarget is a server fleet: it gets a log group, and load balancer alarms when
// it has a load balancer (LoadBalancerARNSuffix set).
type FleetTarget struct {
	Name                  string
	LoadBalancerARNSuffix pulumi.StringInput
	TargetGroupARNSuffix  pulumi.StringInput
}

// DatabaseTarget is an Aurora cluster.
type DatabaseTarget struct {
	Name              string
	ClusterIdentifier pulumi.StringInput
	// Instances > 1 means readers whose replication lag is watched.
	Instances int
}

// CacheTarget is a Redis replication group; its engine metrics are per node.
type CacheTarget struct {
	Name    string
	NodeIDs []string
}

// QueueTarget is a queue and its dead-letter queue.
type QueueTarget struct {
	Name               string
	QueueName          pulumi.StringInput
	DLQName            pulumi.StringInput
	MaxAgeAlarmSeconds int
}

// Observability is the alarm topic, the alarms and the log groups of a region.
type Observability struct {
	pulumi.ResourceState

	AlarmTopicARN pulumi.StringOutput
	// AppLogGroupNames maps a fleet name to its log group.
	AppLogGroupNames pulumi.StringMapOutput
}

// NewObservability creates the alarm topic, alarms and log groups.
func NewObservability(ctx *pulumi.Context, name string, args *ObservabilityArgs, opts ...pulumi.ResourceOption) (*Observability, error) {
	if err := args.check(); err != nil {
		return nil, fmt.Errorf("observability %s: %w", name, err)
	}
	o := &Observability{}
	if err := entry.Register(ctx, "regionctl:stacks:Observability", name, spec.Ref{Kind: spec.KindAlarms}, o, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(o)

	topic, err := sns.NewTopic(ctx, name+"-alarms", &sns.TopicArgs{
		Name:           pulumi.String("regionctl-alarms"),
		KmsMasterKeyId: args.KMSKeyARN,
	}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := sns.NewTopicSubscription(ctx, name+"-alarms-email", &sns.TopicSubscriptionArgs{
		Topic:    topic.Arn,
		Protocol: pulumi.String("email"),
		Endpoint: pulumi.String(args.AlarmEmail),
	}, parent); err != nil {
		return nil, err
	}
	if err := pagers(ctx, name, topic.Arn, args.AlarmHTTPS, parent); err != nil {
		return nil, err
	}

	logGroups := pulumi.StringMap{}
	for _, f := range args.Fleets {
		g, err := cloudwatch.NewLogGroup(ctx, name+"-app-"+f.Name, &cloudwatch.LogGroupArgs{
			Name:            pulumi.String("/regionctl/app/" + f.Name),
			RetentionInDays: pulumi.Int(args.LogRetentionDays),
			KmsKeyId:        args.KMSKeyARN,
		}, parent)
		if err != nil {
			return nil, err
		}
		logGroups[f.Name] = g.Name
	}

	w := &watcher{ctx: ctx, name: name, topic: topic.Arn, parent: parent}
	for _, f := range args.Fleets {
		w.fleet(f)
	}
	for _, d := range args.Databases {
		w.database(d)
	}
	for _, c := range args.Caches {
		w.cache(c)
	}
	for _, q := range args.Queues {
		w.queue(q)
	}
	if w.err != nil {
		return nil, w.err
	}

	o.AlarmTopicARN = topic.Arn
	o.AppLogGroupNames = logGroups.ToStringMapOutput()
	return o, ctx.RegisterResourceOutputs(o, pulumi.Map{
		"alarmTopicArn":    o.AlarmTopicARN,
		"appLogGroupNames": o.AppLogGroupNames,
	})
}

func (a *ObservabilityArgs) check() error {
	switch {
	case a == nil:
		return errors.New("arguments are required")
	case a.KMSKeyARN == nil:
		return errors.New("a KMS key is required")
	case a.AlarmEmail == "":
		return errors.New("an alarm email address is required")
	case a.LogRetentionDays <= 0:
		return errors.New("a log retention is required")
	}
	for _, q := range a.Queues {
		if q.MaxAgeAlarmSeconds <= 0 {
			return fmt.Errorf("queue %s: maxAgeAlarmSeconds defaults are not applied (spec.ApplyDefaults)", q.Name)
		}
	}
	return nil
}
