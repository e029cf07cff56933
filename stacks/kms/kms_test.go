package kms_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/internal/stackstest"
	"github.com/regionctl/regionctl/stacks/kms"
)

func run(t *testing.T, region string) (stackstest.Registrations, func() string) {
	t.Helper()
	r := stackstest.Region(func(r *spec.Region) { r.Region = region })
	var arn func() string
	regs := stackstest.Run(t, r, func(ctx *pulumi.Context, p pulumi.ResourceOption) error {
		k, err := kms.NewKey(ctx, "kms-"+region, &kms.KeyArgs{Region: r.Region, AccountID: r.AccountID}, p)
		if err != nil {
			return err
		}
		arn = stackstest.Capture[string](k.KeyARN)
		return nil
	})
	stackstest.CheckInvariants(t, regs)
	return regs, arn
}

func TestKey(t *testing.T) {
	regs, arn := run(t, "eu-west-1")

	key := regs.Named(t, "aws:kms/key:Key", "kms-eu-west-1-key")
	if !stackstest.Bool(key, "enableKeyRotation") {
		t.Error("key rotation is off")
	}
	if v, ok := stackstest.Get(key, "multiRegion"); !ok || v.BoolValue() {
		t.Errorf("multiRegion = %v, want an explicit false", v)
	}
	if !strings.HasPrefix(arn(), "arn:aws:kms:eu-west-1:123456789012:key/") {
		t.Errorf("KeyARN = %q, want a key ARN of eu-west-1 and the account", arn())
	}

	alias := regs.Named(t, "aws:kms/alias:Alias", "kms-eu-west-1-alias")
	if got := stackstest.Str(alias, "name"); got != "alias/regionctl-eu-west-1" {
		t.Errorf("alias = %q", got)
	}
	if !strings.HasSuffix(arn(), "/"+stackstest.Str(alias, "targetKeyId")) {
		t.Errorf("alias targets %q, not the key %q", stackstest.Str(alias, "targetKeyId"), arn())
	}
}

func TestKeyPolicy(t *testing.T) {
	tests := []struct {
		region, logsPrincipal, root string
	}{
		{"eu-west-1", "logs.eu-west-1.amazonaws.com", "arn:aws:iam::123456789012:root"},
		{"ap-southeast-2", "logs.ap-southeast-2.amazonaws.com", "arn:aws:iam::123456789012:root"},
		{"cn-north-1", "logs.cn-north-1.amazonaws.com.cn", "arn:aws-cn:iam::123456789012:root"},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			regs, _ := run(t, tt.region)
			var doc struct {
				Statement []struct {
					Sid       string
					Effect    string
					Principal map[string]any
					Action    any
					Condition map[string]map[string]any
				}
			}
			key := regs.Named(t, "aws:kms/key:Key", "kms-"+tt.region+"-key")
			if err := json.Unmarshal([]byte(stackstest.Str(key, "policy")), &doc); err != nil {
				t.Fatalf("key policy is not JSON: %v", err)
			}
			principals := map[string]bool{}
			for _, s := range doc.Statement {
				if s.Effect != "Allow" {
					t.Errorf("statement %s: effect %s", s.Sid, s.Effect)
				}
				// Alarms of another account (the confused deputy) must not use the key.
				if s.Principal["Service"] == "cloudwatch.amazonaws.com" {
					partition := strings.Split(tt.root, ":")[1]
					if s.Condition["StringEquals"]["aws:SourceAccount"] != "123456789012" ||
						s.Condition["ArnLike"]["aws:SourceArn"] != "arn:"+partition+":cloudwatch:"+tt.region+":123456789012:alarm:*" {
						t.Errorf("statement %s: conditions %v, want this account's alarms in %s only", s.Sid, s.Condition, tt.region)
					}
				}
				for _, p := range s.Principal {
					switch p := p.(type) {
					case string:
						principals[p] = true
					case []any:
						for _, e := range p {
							principals[e.(string)] = true
						}
					}
				}
			}
			for _, want := range []string{tt.root, tt.logsPrincipal, "sns.amazonaws.com", "cloudwatch.amazonaws.com"} {
				if !principals[want] {
					t.Errorf("key policy does not admit %s; admits %v", want, principals)
				}
			}
		})
	}
}

func TestKeyNeedsRegionAndAccount(t *testing.T) {
	r := stackstest.Region()
	_, err := stackstest.RunErr(r, func(ctx *pulumi.Context, p pulumi.ResourceOption) error {
		_, err := kms.NewKey(ctx, "kms", &kms.KeyArgs{Region: r.Region}, p)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "account id") {
		t.Fatalf("err = %v, want a missing account id", err)
	}
}
