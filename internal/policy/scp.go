package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// MaxSCPSize is the largest service control policy AWS Organizations accepts, in
// characters.
const MaxSCPSize = 5120

// globalActions are exempt from the region deny: services whose only endpoint is a
// global one (served from us-east-1), so every request to them names that region.
// KMS and ACM are deliberately not exempt: they are regional, and only need to be for
// CloudFront, which regionctl does not use; exempting them would let keys and
// certificates be created anywhere.
var globalActions = []string{
	// Identity, accounts and organizations.
	"iam:*", "organizations:*", "account:*", "sts:*",
	// DNS, the edge and its protection.
	"route53:*", "route53domains:*", "route53-recovery-cluster:*", "route53-recovery-control-config:*",
	"route53-recovery-readiness:*", "cloudfront:*", "globalaccelerator:*", "waf:*", "shield:*",
	// Billing, support and account health.
	"aws-portal:*", "billing:*", "budgets:*", "ce:*", "cur:*", "pricing:*", "support:*",
	"trustedadvisor:*", "health:*", "aws-marketplace:*", "aws-marketplace-management:*",
	// Global networking.
	"networkmanager:*", "directconnect:*",
	// Account-wide reads and settings that consoles and SDKs call on the global endpoint.
	"ec2:DescribeRegions", "s3:ListAllMyBuckets", "s3:GetAccountPublicAccessBlock", "s3:PutAccountPublicAccessBlock",
}

// GlobalActions lists the actions the region deny exempts.
func GlobalActions() []string { return append([]string(nil), globalActions...) }

type scpDocument struct {
	Version   string         `json:"Version"`
	Statement []scpStatement `json:"Statement"`
}

type scpStatement struct {
	Sid       string                         `json:"Sid"`
	Effect    string                         `json:"Effect"`
	NotAction []string                       `json:"NotAction"`
	Resource  string                         `json:"Resource"`
	Condition map[string]map[string][]string `json:"Condition"`
}

// SCP returns the AWS Organizations service control policy that makes the cloud
// enforce what the residency rules check: it denies every request to a region outside
// the jurisdiction's, except to global services. exempt lists principal ARN patterns
// (a break-glass role) the deny does not apply to. regions come from jurisdictions.yaml.
func SCP(jurisdiction string, regions, exempt []string) ([]byte, error) {
	if len(regions) == 0 {
		return nil, fmt.Errorf("jurisdiction %s has no regions; list them in jurisdictions.yaml", jurisdiction)
	}
	allowed := append([]string(nil), regions...)
	sort.Strings(allowed)
	st := scpStatement{
		Sid:       "RegionctlDenyOutside" + sidWord(jurisdiction),
		Effect:    "Deny",
		NotAction: globalActions,
		Resource:  "*",
		Condition: map[string]map[string][]string{
			"StringNotEquals": {"aws:RequestedRegion": allowed},
		},
	}
	if len(exempt) > 0 {
		st.Condition["ArnNotLike"] = map[string][]string{"aws:PrincipalARN": exempt}
	}
	doc := scpDocument{Version: "2012-10-17", Statement: []scpStatement{st}}

	compact, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encoding the service control policy: %w", err)
	}
	if len(compact) > MaxSCPSize {
		return nil, fmt.Errorf("the service control policy is %d characters; AWS Organizations accepts %d, so exempt fewer principals", len(compact), MaxSCPSize)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// sidWord turns a jurisdiction name into the letters and digits a Sid allows: eu → Eu.
func sidWord(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
