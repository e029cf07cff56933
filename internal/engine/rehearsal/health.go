package rehearsal

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/regionctl/regionctl/internal/awsmodel"
)

// UnhealthyEnv names, comma-separated, the Auto Scaling groups whose servers never pass
// their load balancer's health check in a rehearsal: what a fleet whose image or user
// data serves nothing looks like to AWS. The rehearsal has no servers to judge, so a
// test (or a person trying the failure out) says which groups fail. It is read from the
// process the rehearsal provider runs in (regionctl's own) at each call.
const UnhealthyEnv = "REGIONCTL_REHEARSAL_UNHEALTHY"

const groupType = "aws:autoscaling/group:Group"

// defaultCapacityTimeout is the provider's default wait_for_capacity_timeout.
const defaultCapacityTimeout = "10m"

// healthGate is how the real provider's wait for capacity ends for a group of
// UnhealthyEnv (terraform-provider-aws v5, internal/service/autoscaling/group.go):
// nil, or its error after the timeout. oldInputs is nil for a create.
//
// On create the provider waits for min_elb_capacity (or wait_for_elb_capacity) servers
// healthy in every attached target group. On update it waits only when min_size or
// desired_capacity changed, and checks the load balancer only for wait_for_elb_capacity,
// which it wants exactly. A wait_for_capacity_timeout of 0 (or not a duration) skips
// the wait. Unlike AWS, the rehearsal keeps no half-created group after the failure.
func healthGate(typ string, news resource.PropertyMap, oldInputs *structpb.Struct, preview bool) error {
	if preview || typ != groupType {
		return nil
	}
	var olds resource.PropertyMap
	if oldInputs != nil {
		var err error
		if olds, err = unmarshal(oldInputs); err != nil {
			return err
		}
	}
	if msg := capacityTimeout(news, olds, unhealthyGroups()); msg != "" {
		return status.Error(codes.Unknown, msg)
	}
	return nil
}

// capacityTimeout is the provider's error for a group of unhealthy whose wait times out,
// "" when it does not wait on the load balancer or the group is healthy.
func capacityTimeout(news, olds resource.PropertyMap, unhealthy map[string]bool) string {
	name, ok := awsmodel.KnownString(news, "name")
	if !ok || !unhealthy[name] {
		return ""
	}
	timeoutText := defaultCapacityTimeout
	if s, ok := awsmodel.KnownString(news, "waitForCapacityTimeout"); ok {
		timeoutText = s
	}
	timeout, err := time.ParseDuration(timeoutText)
	if err != nil || timeout <= 0 {
		return ""
	}
	exact, _ := awsmodel.KnownNumber(news, "waitForElbCapacity")
	var want string
	switch {
	case olds == nil:
		n, _ := awsmodel.KnownNumber(news, "minElbCapacity")
		if exact > 0 {
			n = exact
		}
		if n <= 0 {
			return ""
		}
		want = fmt.Sprintf("want at least %s healthy instance(s) registered to Load Balancer, have 0", awsmodel.FormatNumber(n))
	case exact > 0 && (changed(olds, news, "minSize") || changed(olds, news, "desiredCapacity")):
		want = fmt.Sprintf("want exactly %s healthy instance(s) registered to Load Balancer, have 0", awsmodel.FormatNumber(exact))
	default:
		return ""
	}
	return fmt.Sprintf("waiting for Auto Scaling Group (%s) capacity satisfied: timeout while waiting for state to become 'ok' (last state: '%s', timeout: %s)",
		name, want, timeout)
}

// changed reports whether an input differs between olds and news.
func changed(olds, news resource.PropertyMap, key string) bool {
	k := resource.PropertyKey(key)
	return !olds[k].DeepEquals(news[k])
}

// unhealthyGroups reads UnhealthyEnv.
func unhealthyGroups() map[string]bool {
	groups := map[string]bool{}
	for _, name := range strings.Split(os.Getenv(UnhealthyEnv), ",") {
		if name = strings.TrimSpace(name); name != "" {
			groups[name] = true
		}
	}
	return groups
}
