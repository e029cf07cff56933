package awslive

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/regionctl/regionctl/internal/rollout"
)

// CloudWatchAPI is the part of the CloudWatch client a rollout's health gate uses.
type CloudWatchAPI interface {
	DescribeAlarms(context.Context, *cloudwatch.DescribeAlarmsInput, ...func(*cloudwatch.Options)) (*cloudwatch.DescribeAlarmsOutput, error)
}

// Alarms reads alarm states from CloudWatch, one client per region (alarms are
// regional). Client builds a region's client; tests give a fake.
type Alarms struct {
	Client func(ctx context.Context, region string) (CloudWatchAPI, error)
}

// NewAlarms reads alarms with the default credential chain.
func NewAlarms() rollout.AlarmReader {
	return &Alarms{Client: func(ctx context.Context, region string) (CloudWatchAPI, error) {
		cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(region))
		if err != nil {
			return nil, fmt.Errorf("reading the AWS configuration: %s", short(err))
		}
		return cloudwatch.NewFromConfig(cfg), nil
	}}
}

// describeLimit is how many alarm names DescribeAlarms takes at once.
const describeLimit = 100

// AlarmStates asks CloudWatch for the metric alarms names of region, in pages.
func (a *Alarms) AlarmStates(ctx context.Context, region string, names []string) (map[string]string, error) {
	out := map[string]string{}
	if len(names) == 0 {
		return out, nil
	}
	client, err := a.Client(ctx, region)
	if err != nil {
		return nil, err
	}
	for start := 0; start < len(names); start += describeLimit {
		in := &cloudwatch.DescribeAlarmsInput{
			AlarmNames: names[start:min(start+describeLimit, len(names))],
			AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm},
			MaxRecords: aws.Int32(describeLimit),
		}
		for {
			page, err := client.DescribeAlarms(ctx, in)
			if err != nil {
				return nil, wrap("CloudWatch DescribeAlarms in "+region, err)
			}
			for _, m := range page.MetricAlarms {
				out[aws.ToString(m.AlarmName)] = string(m.StateValue)
			}
			if aws.ToString(page.NextToken) == "" {
				break
			}
			in.NextToken = page.NextToken
		}
	}
	return out, nil
}
