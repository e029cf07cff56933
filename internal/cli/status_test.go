package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/engine"
)

func subscription(name, protocol, endpoint string, pending bool) apitype.ResourceV3 {
	urn := "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Observability$aws:sns/topicSubscription:TopicSubscription::" + name
	out := map[string]any{"protocol": protocol, "pendingConfirmation": pending, "endpoint": endpoint}
	if protocol == "https" { // as the state holds a secret: encrypted
		out["endpoint"] = map[string]any{resource.SigKey: resource.SecretSig, "ciphertext": "v1:abc"}
	}
	return apitype.ResourceV3{URN: resource.URN(urn), Type: "aws:sns/topicSubscription:TopicSubscription", Custom: true, Outputs: out}
}

// status tells from the state whether alarms reach someone: a confirmed paging endpoint,
// an email subscription nobody confirmed yet, or nothing.
func TestStatusShowsAlarmReach(t *testing.T) {
	email := subscription("observability-eu-west-1-alarms-email", "email", "oncall-eu@example.com", true)
	pager := subscription("observability-eu-west-1-alarms-https-0", "https", "", false)
	for _, tt := range []struct {
		name   string
		subs   []apitype.ResourceV3
		column string
		note   string
	}{
		{"paged", []apitype.ResourceV3{email, pager}, "confirmed: https; pending: email oncall-eu@example.com", ""},
		{"email only", []apitype.ResourceV3{email}, "pending: email oncall-eu@example.com",
			"eu-west-1: alarms reach nobody: only email oncall-eu@example.com, pending until someone follows the link AWS mailed (then run `regionctl refresh eu-west-1`); add alarms.https (a paging endpoint that confirms itself)\n"},
		{"nothing", nil, "none", "eu-west-1: alarms reach nobody: no subscription"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, asJSON := range []bool{false, true} {
				ios, out, _ := TestIO(false)
				f := &fakeRunner{stacks: []engine.StackSummary{{Region: "eu-west-1", Resources: 12}},
					states: map[string]engine.State{"eu-west-1": {Resources: tt.subs}}}
				opts := &StatusOptions{IO: ios, Env: envFor(testFactory(ios, deployDay, nil, f), cliTestdata(t, "regions")), JSON: asJSON}
				opts.Request.Regions = []string{"eu-west-1"}
				if err := statusRun(context.Background(), opts); err != nil {
					t.Fatal(err)
				}
				got := out.String()
				if strings.Contains(got, "ciphertext") || strings.Contains(got, "v1:abc") {
					t.Errorf("status shows the https endpoint:\n%s", got)
				}
				if asJSON {
					var doc struct {
						Regions []struct {
							Alarms struct{ Confirmed, Pending []string }
						}
					}
					if err := json.Unmarshal([]byte(got), &doc); err != nil || len(doc.Regions) != 1 {
						t.Fatalf("json %q: %v", got, err)
					}
					a := doc.Regions[0].Alarms
					if len(a.Confirmed)+len(a.Pending) != len(tt.subs) || a.Confirmed == nil || a.Pending == nil {
						t.Errorf("json alarms %+v, want %d subscriptions as lists", a, len(tt.subs))
					}
					continue
				}
				lines := strings.Split(got, "\n")
				if len(lines) < 2 || !strings.HasSuffix(lines[1], "  "+tt.column) {
					t.Errorf("alarms column of\n%s\nwant %q", got, tt.column)
				}
				if tt.note == "" && strings.Contains(got, "reach nobody") || tt.note != "" && !strings.Contains(got, tt.note) {
					t.Errorf("status:\n%s\nwant note %q", got, tt.note)
				}
			}
		})
	}
}

func TestExceptionsText(t *testing.T) {
	for _, tt := range []struct {
		x    *app.Exceptions
		want string
	}{
		{nil, "-"},
		{&app.Exceptions{Waivers: 1, NextExpiry: "2026-12-20"}, "1 waiver (next expires 2026-12-20)"},
		{&app.Exceptions{Waivers: 2, Allowances: 1, Expired: 1, NextExpiry: "2026-12-10"}, "2 waivers, 1 allowance (1 expired) (next expires 2026-12-10)"},
	} {
		if got := exceptionsText(tt.x); got != tt.want {
			t.Errorf("exceptionsText(%+v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}
