package observability_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/stacks/internal/stackstest"
	"github.com/regionctl/regionctl/stacks/observability"
)

const alarmType = "aws:cloudwatch/metricAlarm:MetricAlarm"

func args() *observability.ObservabilityArgs {
	return &observability.ObservabilityArgs{
		KMSKeyARN:        pulumi.String(stackstest.KeyARN),
		AlarmEmail:       "oncall-eu@example.com",
		LogRetentionDays: 30,
		Fleets: []observability.FleetTarget{
			{Name: "web", LoadBalancerARNSuffix: pulumi.String("app/web-alb/0123456789abcdef"), TargetGroupARNSuffix: pulumi.String("targetgroup/web-tg/0123456789abcdef")},
			{Name: "worker"},
		},
		Databases: []observability.DatabaseTarget{
			{Name: "main", ClusterIdentifier: pulumi.String("main"), Instances: 2},
			{Name: "solo", ClusterIdentifier: pulumi.String("solo"), Instances: 1},
		},
		Caches: []observability.CacheTarget{{Name: "sessions", NodeIDs: []string{"sessions-001", "sessions-002"}}},
		Queues: []observability.QueueTarget{{Name: "events", QueueName: pulumi.String("events"), DLQName: pulumi.String("events-dlq"), MaxAgeAlarmSeconds: 600}},
	}
}

func run(t *testing.T) (stackstest.Registrations, func() string) {
	t.Helper()
	var topic func() string
	regs := stackstest.Run(t, stackstest.Region(), func(ctx *pulumi.Context, p pulumi.ResourceOption) error {
		o, err := observability.NewObservability(ctx, "observability-eu-west-1", args(), p)
		if err != nil {
			return err
		}
		topic = stackstest.Capture[string](o.AlarmTopicARN)
		return nil
	})
	stackstest.CheckInvariants(t, regs)
	return regs, topic
}

func TestTopic(t *testing.T) {
	regs, topic := run(t)
	if topic() != "arn:aws:sns:eu-west-1:123456789012:regionctl-alarms" {
		t.Errorf("topic %s", topic())
	}
	tp := regs.Named(t, "aws:sns/topic:Topic", "observability-eu-west-1-alarms")
	if stackstest.Str(tp, "kmsMasterKeyId") != stackstest.KeyARN {
		t.Error("alarm topic is not encrypted with the region key")
	}
	sub := regs.Named(t, "aws:sns/topicSubscription:TopicSubscription", "observability-eu-west-1-alarms-email")
	if stackstest.Str(sub, "protocol") != "email" || stackstest.Str(sub, "endpoint") != "oncall-eu@example.com" || stackstest.Str(sub, "topic") != topic() {
		t.Errorf("subscription %v", sub.Inputs)
	}
}

func TestAlarms(t *testing.T) {
	regs, topic := run(t)
	want := map[string]struct {
		metric    string
		threshold float64
		dims      map[string]string
	}{
		"regionctl-fleet-web-elb-5xx":             {"HTTPCode_ELB_5XX_Count", 10, map[string]string{"LoadBalancer": "app/web-alb/0123456789abcdef"}},
		"regionctl-fleet-web-target-5xx":          {"HTTPCode_Target_5XX_Count", 10, map[string]string{"TargetGroup": "targetgroup/web-tg/0123456789abcdef"}},
		"regionctl-fleet-web-unhealthy":           {"UnHealthyHostCount", 0, map[string]string{"TargetGroup": "targetgroup/web-tg/0123456789abcdef"}},
		"regionctl-database-main-cpu":             {"CPUUtilization", 80, map[string]string{"DBClusterIdentifier": "main"}},
		"regionctl-database-main-memory":          {"FreeableMemory", 512 << 20, map[string]string{"DBClusterIdentifier": "main"}},
		"regionctl-database-main-replica-lag":     {"AuroraReplicaLagMaximum", 2000, map[string]string{"DBClusterIdentifier": "main"}},
		"regionctl-database-solo-cpu":             {"CPUUtilization", 80, map[string]string{"DBClusterIdentifier": "solo"}},
		"regionctl-database-solo-memory":          {"FreeableMemory", 512 << 20, map[string]string{"DBClusterIdentifier": "solo"}},
		"regionctl-cache-sessions-001-engine-cpu": {"EngineCPUUtilization", 80, map[string]string{"CacheClusterId": "sessions-001"}},
		"regionctl-cache-sessions-001-memory":     {"DatabaseMemoryUsagePercentage", 80, map[string]string{"CacheClusterId": "sessions-001"}},
		"regionctl-cache-sessions-002-engine-cpu": {"EngineCPUUtilization", 80, map[string]string{"CacheClusterId": "sessions-002"}},
		"regionctl-cache-sessions-002-memory":     {"DatabaseMemoryUsagePercentage", 80, map[string]string{"CacheClusterId": "sessions-002"}},
		"regionctl-queue-events-age":              {"ApproximateAgeOfOldestMessage", 600, map[string]string{"QueueName": "events"}},
		"regionctl-queue-events-dlq":              {"ApproximateNumberOfMessagesVisible", 0, map[string]string{"QueueName": "events-dlq"}},
	}
	alarms := regs.OfType(alarmType)
	if len(alarms) != len(want) {
		t.Errorf("%d alarms, want %d", len(alarms), len(want))
	}
	for _, a := range alarms {
		name := stackstest.Str(a, "name")
		w, ok := want[name]
		if !ok {
			t.Errorf("unexpected alarm %s", name)
			continue
		}
		if got := stackstest.Str(a, "metricName"); got != w.metric {
			t.Errorf("%s: metric %s, want %s", name, got, w.metric)
		}
		if got := stackstest.Num(a, "threshold"); got != w.threshold {
			t.Errorf("%s: threshold %v, want %v", name, got, w.threshold)
		}
		for k, v := range w.dims {
			if got := stackstest.Str(a, "dimensions."+k); got != v {
				t.Errorf("%s: dimension %s = %q, want %q", name, k, got, v)
			}
		}
		for _, actions := range []string{"alarmActions", "okActions"} {
			if got := stackstest.Strs(a, actions); len(got) != 1 || got[0] != topic() {
				t.Errorf("%s: %s %v, want the alarm topic", name, actions, got)
			}
		}
		if !strings.HasPrefix(a.Name, "observability-eu-west-1-") {
			t.Errorf("alarm logical name %s", a.Name)
		}
	}
}

func TestLogGroups(t *testing.T) {
	regs, _ := run(t)
	for _, fleet := range []string{"web", "worker"} {
		g := regs.Named(t, "aws:cloudwatch/logGroup:LogGroup", "observability-eu-west-1-app-"+fleet)
		if stackstest.Str(g, "name") != "/regionctl/app/"+fleet || stackstest.Num(g, "retentionInDays") != 30 || stackstest.Str(g, "kmsKeyId") != stackstest.KeyARN {
			t.Errorf("log group %v", g.Inputs)
		}
	}
}

func TestMissingEmail(t *testing.T) {
	_, err := stackstest.RunErr(stackstest.Region(), func(ctx *pulumi.Context, p pulumi.ResourceOption) error {
		a := args()
		a.AlarmEmail = ""
		_, err := observability.NewObservability(ctx, "observability", a, p)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "email") {
		t.Fatalf("err = %v, want a missing email", err)
	}
}

// Each paging endpoint is an https subscription that confirms itself, with a delivery
// policy SNS accepts, and its URL (an integration key) is a secret.
func TestPagers(t *testing.T) {
	urls := []string{
		"https://events.pagerduty.com/integration/00000000000000000000000000000000/enqueue",
		"https://api.opsgenie.com/v1/json/cloudwatch?apiKey=00000000-0000-0000-0000-000000000000",
	}
	var topic func() string
	regs := stackstest.Run(t, stackstest.Region(), func(ctx *pulumi.Context, p pulumi.ResourceOption) error {
		a := args()
		a.AlarmHTTPS = urls
		o, err := observability.NewObservability(ctx, "observability-eu-west-1", a, p)
		if err != nil {
			return err
		}
		topic = stackstest.Capture[string](o.AlarmTopicARN)
		return nil
	})
	stackstest.CheckInvariants(t, regs)
	if n := len(regs.OfType("aws:sns/topicSubscription:TopicSubscription")); n != 3 {
		t.Errorf("%d subscriptions, want the email and 2 https", n)
	}
	for i, u := range urls {
		sub := regs.Named(t, "aws:sns/topicSubscription:TopicSubscription", fmt.Sprintf("observability-eu-west-1-alarms-https-%d", i))
		if stackstest.Str(sub, "protocol") != "https" || stackstest.Str(sub, "endpoint") != u || stackstest.Str(sub, "topic") != topic() {
			t.Errorf("subscription %d: %v", i, sub.Inputs)
		}
		if v := sub.Inputs["endpoint"]; !v.IsSecret() {
			t.Errorf("subscription %d: the endpoint is not a secret", i)
		}
		if !stackstest.Bool(sub, "endpointAutoConfirms") || stackstest.Num(sub, "confirmationTimeoutInMinutes") != observability.PagerConfirmationMinutes {
			t.Errorf("subscription %d does not wait for its own confirmation: %v", i, sub.Inputs)
		}
		raw := stackstest.Str(sub, "deliveryPolicy")
		var doc struct {
			Healthy map[string]any `json:"healthyRetryPolicy"`
		}
		if err := json.Unmarshal([]byte(raw), &doc); err != nil {
			t.Fatalf("delivery policy %q: %v", raw, err)
		}
		n := func(k string) float64 { f, _ := doc.Healthy[k].(float64); return f }
		// SNS refuses a policy whose retries can take longer than 3,600 seconds; bound it
		// by every retry waiting the longest delay.
		if n("numRetries")*n("maxDelayTarget") >= 3600 || n("numNoDelayRetries")+n("numMinDelayRetries")+n("numMaxDelayRetries") > n("numRetries") ||
			n("minDelayTarget") < 1 || n("minDelayTarget") > n("maxDelayTarget") {
			t.Errorf("delivery policy %s is not one SNS accepts", raw)
		}
		if n("numRetries") <= 3 {
			t.Errorf("delivery policy %s retries no longer than SNS's default", raw)
		}
	}
	// The email subscription stays as it was: its logical name is a contract.
	regs.Named(t, "aws:sns/topicSubscription:TopicSubscription", "observability-eu-west-1-alarms-email")
}
