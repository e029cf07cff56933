package observability

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// PagerConfirmationMinutes is how long the provider waits for a paging endpoint to
// confirm its subscription before `up` fails: PagerDuty and Opsgenie answer within
// seconds; the provider's default is 1 minute.
const PagerConfirmationMinutes = 5

// PagerDeliveryPolicy retries a failed delivery for most of an hour instead of SNS's
// default three retries 20 seconds apart, so a paging service's minute-long outage
// does not swallow an alarm. SNS caps the retry time of an HTTP/S policy at 3,600
// seconds; 2 + 12 + 15 retries of at most 120 seconds stay under it (3,480 s).
var PagerDeliveryPolicy = map[string]any{
	"healthyRetryPolicy": map[string]any{
		"minDelayTarget":     20,
		"maxDelayTarget":     120,
		"numRetries":         29,
		"numNoDelayRetries":  0,
		"numMinDelayRetries": 2,
		"numMaxDelayRetries": 15,
		"backoffFunction":    "exponential",
	},
}

// pagers subscribes each paging endpoint to the alarm topic. endpointAutoConfirms makes
// the provider wait for the endpoint's own confirmation (pendingConfirmation false),
// so an endpoint that never confirms fails the `up` instead of staying silent.
func pagers(ctx *pulumi.Context, name string, topic pulumi.StringInput, urls []string, parent pulumi.ResourceOption) error {
	if len(urls) == 0 {
		return nil
	}
	policy, err := json.Marshal(PagerDeliveryPolicy)
	if err != nil {
		return err
	}
	for i, u := range urls {
		if _, err := sns.NewTopicSubscription(ctx, fmt.Sprintf("%s-alarms-https-%d", name, i), &sns.TopicSubscriptionArgs{
			Topic:                        topic,
			Protocol:                     pulumi.String("https"),
			Endpoint:                     pulumi.ToSecret(pulumi.String(u)).(pulumi.StringOutput),
			EndpointAutoConfirms:         pulumi.Bool(true),
			ConfirmationTimeoutInMinutes: pulumi.Int(PagerConfirmationMinutes),
			DeliveryPolicy:               pulumi.String(string(policy)),
		}, parent); err != nil {
			return err
		}
	}
	return nil
}
