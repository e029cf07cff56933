package rehearsal

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"google.golang.org/grpc/status"
)

func TestCapacityTimeout(t *testing.T) {
	group := func(extra resource.PropertyMap) resource.PropertyMap {
		m := resource.PropertyMap{
			"name": resource.NewStringProperty("web-asg"), "minSize": resource.NewNumberProperty(3),
			"maxSize": resource.NewNumberProperty(12), "desiredCapacity": resource.NewNumberProperty(3),
			"minElbCapacity": resource.NewNumberProperty(3), "waitForCapacityTimeout": resource.NewStringProperty("15m"),
		}
		for k, v := range extra {
			if v.IsNull() {
				delete(m, k)
				continue
			}
			m[k] = v
		}
		return m
	}
	num := resource.NewNumberProperty
	null := resource.NewNullProperty()
	unhealthy := map[string]bool{"web-asg": true}
	tests := []struct {
		name       string
		news, olds resource.PropertyMap // olds nil: a create
		unhealthy  map[string]bool
		want       string
	}{
		{name: "create, unhealthy", news: group(nil), unhealthy: unhealthy,
			want: "waiting for Auto Scaling Group (web-asg) capacity satisfied: timeout while waiting for state to become 'ok' (last state: 'want at least 3 healthy instance(s) registered to Load Balancer, have 0', timeout: 15m0s)"},
		{name: "create, healthy", news: group(nil), unhealthy: map[string]bool{"api-asg": true}},
		{name: "create, wait for exactly", news: group(resource.PropertyMap{"minElbCapacity": null, "waitForElbCapacity": num(5)}), unhealthy: unhealthy,
			want: "'want at least 5 healthy instance(s) registered to Load Balancer, have 0', timeout: 15m0s)"},
		{name: "create, default timeout", news: group(resource.PropertyMap{"waitForCapacityTimeout": null}), unhealthy: unhealthy,
			want: "have 0', timeout: 10m0s)"},
		{name: "create, no wait", news: group(resource.PropertyMap{"waitForCapacityTimeout": resource.NewStringProperty("0")}), unhealthy: unhealthy},
		{name: "create, no load balancer gate", news: group(resource.PropertyMap{"minElbCapacity": null}), unhealthy: unhealthy},
		{name: "create, name not known", news: group(resource.PropertyMap{"name": resource.MakeComputed(resource.NewStringProperty(""))}), unhealthy: unhealthy},
		{name: "update, minElbCapacity is for create only", news: group(resource.PropertyMap{"minSize": num(4)}), olds: group(nil), unhealthy: unhealthy},
		{name: "update of min, exact wait", news: group(resource.PropertyMap{"minSize": num(4), "waitForElbCapacity": num(4)}),
			olds: group(resource.PropertyMap{"waitForElbCapacity": num(4)}), unhealthy: unhealthy,
			want: "capacity satisfied: timeout while waiting for state to become 'ok' (last state: 'want exactly 4 healthy instance(s) registered to Load Balancer, have 0', timeout: 15m0s)"},
		{name: "update of the template only", news: group(resource.PropertyMap{"waitForElbCapacity": num(3), "launchTemplate": resource.NewStringProperty("2")}),
			olds: group(resource.PropertyMap{"waitForElbCapacity": num(3)}), unhealthy: unhealthy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := capacityTimeout(tt.news, tt.olds, tt.unhealthy)
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestHealthGate: the groups named in the environment fail their create; previews and
// other types never wait.
func TestHealthGate(t *testing.T) {
	t.Setenv(UnhealthyEnv, " api-asg , web-asg")
	news := resource.PropertyMap{"name": resource.NewStringProperty("web-asg"), "minElbCapacity": resource.NewNumberProperty(2)}
	err := healthGate(groupType, news, nil, false)
	if st, _ := status.FromError(err); err == nil || !strings.Contains(st.Message(), "waiting for Auto Scaling Group (web-asg) capacity satisfied") {
		t.Errorf("create of an unhealthy group: %v", err)
	}
	if err := healthGate(groupType, news, nil, true); err != nil {
		t.Errorf("a preview waited: %v", err)
	}
	if err := healthGate("aws:ec2/launchTemplate:LaunchTemplate", news, nil, false); err != nil {
		t.Errorf("another type waited: %v", err)
	}
	t.Setenv(UnhealthyEnv, "")
	if err := healthGate(groupType, news, nil, false); err != nil {
		t.Errorf("a healthy group failed: %v", err)
	}
}
