package awslive

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// fakeCloudWatch answers DescribeAlarms from a table, two alarms a page.
type fakeCloudWatch struct {
	states map[string]cwtypes.StateValue
	calls  []*cloudwatch.DescribeAlarmsInput
}

func (f *fakeCloudWatch) DescribeAlarms(_ context.Context, in *cloudwatch.DescribeAlarmsInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.DescribeAlarmsOutput, error) {
	f.calls = append(f.calls, in)
	start := 0
	if in.NextToken != nil {
		fmt.Sscan(*in.NextToken, &start)
	}
	out := &cloudwatch.DescribeAlarmsOutput{}
	for i := start; i < len(in.AlarmNames) && i < start+2; i++ {
		if st, ok := f.states[in.AlarmNames[i]]; ok {
			out.MetricAlarms = append(out.MetricAlarms, cwtypes.MetricAlarm{AlarmName: aws.String(in.AlarmNames[i]), StateValue: st})
		}
	}
	if start+2 < len(in.AlarmNames) {
		out.NextToken = aws.String(fmt.Sprint(start + 2))
	}
	return out, nil
}

func TestAlarmStates(t *testing.T) {
	fake := &fakeCloudWatch{states: map[string]cwtypes.StateValue{
		"regionctl-queue-events-age":  cwtypes.StateValueAlarm,
		"regionctl-queue-events-dlq":  cwtypes.StateValueOk,
		"regionctl-database-main-cpu": cwtypes.StateValueInsufficientData,
	}}
	var region string
	a := &Alarms{Client: func(_ context.Context, r string) (CloudWatchAPI, error) { region = r; return fake, nil }}
	got, err := a.AlarmStates(context.Background(), "ap-southeast-2",
		[]string{"regionctl-queue-events-age", "regionctl-queue-events-dlq", "regionctl-database-main-cpu", "regionctl-gone"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"regionctl-queue-events-age": "ALARM", "regionctl-queue-events-dlq": "OK", "regionctl-database-main-cpu": "INSUFFICIENT_DATA"}
	if !reflect.DeepEqual(got, want) || region != "ap-southeast-2" {
		t.Errorf("states %v in %s, want %v in ap-southeast-2", got, region, want)
	}
	if len(fake.calls) != 2 || fake.calls[0].AlarmTypes[0] != cwtypes.AlarmTypeMetricAlarm {
		t.Errorf("calls %d, want two pages of metric alarms", len(fake.calls))
	}
	if got, err := a.AlarmStates(context.Background(), "eu-west-1", nil); err != nil || len(got) != 0 || len(fake.calls) != 2 {
		t.Errorf("no names: %v, %v; want no call", got, err)
	}
}
