package spec

import (
	"fmt"
	"net/url"
	"strings"
)

// alarmHTTPS checks the paging endpoints of alarms.https. A URL usually embeds an
// integration key, so no message repeats more of it than the scheme and host.
func (c *checker) alarmHTTPS() {
	seen := map[string]int{}
	for i, raw := range c.r.Alarms.HTTPS {
		field := fmt.Sprintf("alarms.https[%d]", i)
		if j, dup := seen[raw]; dup {
			c.errf(field, "the same endpoint as alarms.https[%d] on line %d; list each endpoint once", j, c.at(fmt.Sprintf("alarms.https[%d]", j)).Line)
			continue
		}
		seen[raw] = i
		if problem := httpsEndpointProblem(raw); problem != "" {
			c.errf(field, "%s", problem)
		}
	}
}

// httpsEndpointProblem says what keeps raw from being an endpoint SNS delivers to over
// HTTPS; "" when it is one.
func httpsEndpointProblem(raw string) string {
	const want = "want a URL like https://events.pagerduty.com/integration/KEY/enqueue"
	if raw == "" {
		return "the endpoint is empty; " + want
	}
	if strings.ContainsAny(raw, " \t\r\n") {
		return "the endpoint has white space; " + want
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "the endpoint is not a URL; " + want
	}
	shown := quote(u.Scheme + "://" + u.Host + "/...")
	switch {
	case u.Scheme != "https":
		return fmt.Sprintf("%s does not use https: alarms carry resource names and must not travel in plain text; %s", shown, want)
	case u.Hostname() == "":
		return fmt.Sprintf("%s has no host name; %s", shown, want)
	case u.Fragment != "":
		return fmt.Sprintf("%s has a #fragment, which is never sent to the server; remove it", shown)
	}
	return ""
}
