package observability

import (
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Thresholds. They are starting points that hold for the instance sizes regionctl
// is used with; a region that needs others should say so in its file.
const (
	cpuHighPercent      = 80
	freeableMemoryBytes = 512 << 20 // below this Aurora starts swapping
	replicaLagMillis    = 2000      // readers serving data two seconds old
	cacheMemoryPercent  = 80        // Redis starts evicting near maxmemory
	http5xxPer5Minutes  = 10
)

// alarm is one CloudWatch alarm; every alarm notifies the topic on ALARM and OK, so
// a person sees both when something breaks and when it recovers.
type alarm struct {
	id          string // <kind>-<name>-<what>: logical suffix and physical name
	description string
	namespace   string
	metric      string
	statistic   string
	dimensions  pulumi.StringMap
	comparison  string
	threshold   float64
	period      int // seconds
	periods     int // evaluation periods, all of which must breach
	// missing is how missing data counts: notBreaching for counts that are only
	// published when something happens, missing (keep the state) for gauges.
	missing string
}

// watcher creates the alarms of one Observability component and keeps the first error.
type watcher struct {
	ctx    *pulumi.Context
	name   string
	topic  pulumi.StringOutput
	parent pulumi.ResourceOption
	err    error
}

func (w *watcher) add(a alarm) {
	if w.err != nil {
		return
	}
	_, w.err = cloudwatch.NewMetricAlarm(w.ctx, w.name+"-"+a.id, &cloudwatch.MetricAlarmArgs{
		Name:               pulumi.String(alarmName(a.id)),
		AlarmDescription:   pulumi.String(a.description),
		Namespace:          pulumi.String(a.namespace),
		MetricName:         pulumi.String(a.metric),
		Statistic:          pulumi.String(a.statistic),
		Dimensions:         a.dimensions,
		ComparisonOperator: pulumi.String(a.comparison),
		Threshold:          pulumi.Float64(a.threshold),
		Period:             pulumi.Int(a.period),
		EvaluationPeriods:  pulumi.Int(a.periods),
		DatapointsToAlarm:  pulumi.Int(a.periods),
		TreatMissingData:   pulumi.String(a.missing),
		AlarmActions:       pulumi.Array{w.topic},
		OkActions:          pulumi.Array{w.topic},
	}, w.parent)
}

// fleet watches a load balancer: errors it produces itself (no healthy target,
// misconfiguration), errors the servers return, and targets failing health checks.
func (w *watcher) fleet(f FleetTarget) {
	if f.LoadBalancerARNSuffix == nil {
		return
	}
	lb := pulumi.StringMap{"LoadBalancer": f.LoadBalancerARNSuffix}
	tg := pulumi.StringMap{"LoadBalancer": f.LoadBalancerARNSuffix, "TargetGroup": f.TargetGroupARNSuffix}
	id := "fleet-" + f.Name
	w.add(alarm{
		id: id + "-elb-5xx", description: "load balancer of fleet " + f.Name + " answers 5xx itself",
		namespace: "AWS/ApplicationELB", metric: "HTTPCode_ELB_5XX_Count", statistic: "Sum", dimensions: lb,
		comparison: "GreaterThanThreshold", threshold: http5xxPer5Minutes, period: 300, periods: 1, missing: "notBreaching",
	})
	w.add(alarm{
		id: id + "-target-5xx", description: "servers of fleet " + f.Name + " answer 5xx",
		namespace: "AWS/ApplicationELB", metric: "HTTPCode_Target_5XX_Count", statistic: "Sum", dimensions: tg,
		comparison: "GreaterThanThreshold", threshold: http5xxPer5Minutes, period: 300, periods: 1, missing: "notBreaching",
	})
	w.add(alarm{
		id: id + "-unhealthy", description: "servers of fleet " + f.Name + " fail the load balancer's health check",
		namespace: "AWS/ApplicationELB", metric: "UnHealthyHostCount", statistic: "Maximum", dimensions: tg,
		comparison: "GreaterThanThreshold", threshold: 0, period: 60, periods: 5, missing: "notBreaching",
	})
}

// database watches an Aurora cluster's CPU, memory and, with readers, replication lag.
func (w *watcher) database(d DatabaseTarget) {
	dims := pulumi.StringMap{"DBClusterIdentifier": d.ClusterIdentifier}
	id := "database-" + d.Name
	w.add(alarm{
		id: id + "-cpu", description: "Aurora cluster " + d.Name + " CPU above " + strconv.Itoa(cpuHighPercent) + "% for 15 minutes",
		namespace: "AWS/RDS", metric: "CPUUtilization", statistic: "Average", dimensions: dims,
		comparison: "GreaterThanThreshold", threshold: cpuHighPercent, period: 300, periods: 3, missing: "missing",
	})
	w.add(alarm{
		id: id + "-memory", description: "Aurora cluster " + d.Name + " freeable memory below 512 MiB",
		namespace: "AWS/RDS", metric: "FreeableMemory", statistic: "Minimum", dimensions: dims,
		comparison: "LessThanThreshold", threshold: freeableMemoryBytes, period: 300, periods: 3, missing: "missing",
	})
	if d.Instances > 1 {
		w.add(alarm{
			id: id + "-replica-lag", description: "Aurora cluster " + d.Name + " readers lag the writer by more than 2 s",
			namespace: "AWS/RDS", metric: "AuroraReplicaLagMaximum", statistic: "Maximum", dimensions: dims,
			comparison: "GreaterThanThreshold", threshold: replicaLagMillis, period: 60, periods: 5, missing: "missing",
		})
	}
}

// cache watches every Redis node: engine CPU (Redis runs commands on one core, so host
// CPU hides saturation) and memory use.
func (w *watcher) cache(c CacheTarget) {
	for _, node := range c.NodeIDs {
		dims := pulumi.StringMap{"CacheClusterId": pulumi.String(node)}
		id := "cache-" + node
		w.add(alarm{
			id: id + "-engine-cpu", description: "Redis node " + node + " engine CPU above " + strconv.Itoa(cpuHighPercent) + "%",
			namespace: "AWS/ElastiCache", metric: "EngineCPUUtilization", statistic: "Average", dimensions: dims,
			comparison: "GreaterThanThreshold", threshold: cpuHighPercent, period: 300, periods: 3, missing: "missing",
		})
		w.add(alarm{
			id: id + "-memory", description: "Redis node " + node + " memory above " + strconv.Itoa(cacheMemoryPercent) + "%",
			namespace: "AWS/ElastiCache", metric: "DatabaseMemoryUsagePercentage", statistic: "Average", dimensions: dims,
			comparison: "GreaterThanThreshold", threshold: cacheMemoryPercent, period: 300, periods: 3, missing: "missing",
		})
	}
}

// queue watches that messages are consumed in time and that none are dead-lettered.
func (w *watcher) queue(q QueueTarget) {
	id := "queue-" + q.Name
	w.add(alarm{
		id: id + "-age", description: "oldest message of queue " + q.Name + " older than " + strconv.Itoa(q.MaxAgeAlarmSeconds) + " s",
		namespace: "AWS/SQS", metric: "ApproximateAgeOfOldestMessage", statistic: "Maximum",
		dimensions: pulumi.StringMap{"QueueName": q.QueueName},
		comparison: "GreaterThanThreshold", threshold: float64(q.MaxAgeAlarmSeconds), period: 60, periods: 5, missing: "notBreaching",
	})
	w.add(alarm{
		id: id + "-dlq", description: "messages of queue " + q.Name + " are in its dead-letter queue",
		namespace: "AWS/SQS", metric: "ApproximateNumberOfMessagesVisible", statistic: "Maximum",
		dimensions: pulumi.StringMap{"QueueName": q.DLQName},
		comparison: "GreaterThanThreshold", threshold: 0, period: 300, periods: 1, missing: "notBreaching",
	})
}

// alarmName is the CloudWatch name of the alarm id (alarms are regional: the region
// needs no place in it).
func alarmName(id string) string { return "regionctl-" + id }

// FleetRefreshAlarms are the alarms of a load-balanced fleet that stop an instance
// refresh (and roll it back where AWS can): servers failing the health check and
// answering 5xx. The fleet names them before they exist; AWS reads them when a refresh
// starts, which is never before the first up created them.
func FleetRefreshAlarms(fleet string) []string {
	return []string{alarmName("fleet-" + fleet + "-unhealthy"), alarmName("fleet-" + fleet + "-target-5xx")}
}
