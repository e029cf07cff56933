package policy

import (
	"strings"

	"github.com/regionctl/regionctl/internal/awsmodel/mockaws"
)

const tVPCEndpoint = "aws:ec2/vpcEndpoint:VpcEndpoint"

// checkAlarmEndpoint finds a region whose alarms notify only subscriptions AWS leaves
// pending until a person confirms them (email), or none at all: its alarms reach
// nobody on the first up, and a plan cannot tell whether anyone confirmed since.
func checkAlarmEndpoint(c *Context) []Finding {
	if len(c.alarms()) == 0 {
		return nil // nothing notifies anyone; ha.alarms reports that
	}
	subs := c.Live(tSubscription)
	var protocols []string
	for _, s := range subs {
		protocol := str(s.Inputs, "protocol")
		auto := get(s.Inputs, "endpointAutoConfirms")
		if unknown(protocol) || unknown(auto) || !mockaws.SubscriptionPending(protocol, isTrue(auto)) {
			return nil
		}
		protocols = append(protocols, protocol)
	}
	const fix = "add a paging endpoint that confirms its subscription itself: alarms.https: [https://events.pagerduty.com/integration/KEY/enqueue]"
	if len(subs) == 0 {
		at := c.Live(tTopic, tAlarm)[0]
		return []Finding{c.Finding(at, "https", "the alarms of %s notify no subscription, so they reach nobody; %s", c.Region.Region, fix)}
	}
	return []Finding{c.Finding(subs[0], "https", "the alarms of %s go only to %s, which AWS leaves pending until a person follows the link it mails: until then they reach nobody, and a plan cannot tell whether anyone did; %s",
		c.Region.Region, andList(distinct(protocols)), fix)}
}

// checkS3EndpointPolicy finds S3 gateway endpoints that let anything in the VPC reach
// any bucket of any account: no policy (AWS's default is full access), or an Allow of
// every resource without a condition.
func checkS3EndpointPolicy(c *Context) []Finding {
	var out []Finding
	for _, ep := range c.Live(tVPCEndpoint) {
		service := str(ep.Inputs, "serviceName")
		if kind := str(ep.Inputs, "vpcEndpointType"); !strings.HasSuffix(service, ".s3") || kind != "" && kind != "Gateway" {
			continue
		}
		policy := get(ep.Inputs, "policy")
		if unknown(policy) {
			continue
		}
		why := ""
		if s, _ := policy.(string); s == "" {
			why = "has no policy, so it admits every bucket of every account"
		} else if doc, ok := jsonText(s); ok && allowsEveryBucket(doc) {
			why = "allows every bucket without a condition"
		}
		if why != "" {
			out = append(out, c.Finding(ep, "", "%s %s: a stolen credential can copy data out of the VPC to another account's bucket; limit it to the account's buckets (aws:ResourceAccount) and the AWS-owned buckets servers read (regionctl's network does)",
				c.Describe(ep), why))
		}
	}
	return out
}

// allowsEveryBucket reports whether a policy document has an Allow statement on every
// resource without a condition.
func allowsEveryBucket(doc any) bool {
	m, _ := doc.(map[string]any)
	statements := list(m["Statement"])
	if one, ok := m["Statement"].(map[string]any); ok {
		statements = []any{one}
	}
	for _, st := range statements {
		s, _ := st.(map[string]any)
		if str(s, "Effect") != "Allow" || s["Condition"] != nil {
			continue
		}
		resources := list(s["Resource"])
		if r, ok := s["Resource"].(string); ok {
			resources = []any{r}
		}
		for _, r := range resources {
			if r == "*" || r == "arn:aws:s3:::*" || r == "arn:aws:s3:::*/*" {
				return true
			}
		}
	}
	return false
}
