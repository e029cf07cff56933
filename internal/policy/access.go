package policy

import (
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

const (
	tRolePolicy = "aws:iam/rolePolicy:RolePolicy"
	tSGEgress   = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
)

// implied is what using a data store of a kind lets a fleet do: the actions, and the
// service that may use the region key for it (kms:ViaService). The guardrail keeps its
// own table, rather than reading the program's, so that a program granting more is
// caught whoever wrote it.
var implied = map[string]struct {
	service string
	actions []string
	via     string
}{
	spec.KindQueue: {"sqs", []string{"sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
		"sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:SendMessage"}, "sqs"},
	spec.KindBucket:   {"s3", []string{"s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"}, "s3"},
	spec.KindDatabase: {"secretsmanager", []string{"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"}, "secretsmanager"},
	spec.KindCache:    {"elasticache", []string{"elasticache:Connect"}, ""},
}

// keyActions are what a fleet may do with the region key through a store's service.
var keyActions = []string{"kms:Decrypt", "kms:GenerateDataKey"}

func checkUnusedDataStores(c *Context) []Finding {
	var out []Finding
	for _, kind := range spec.UseKinds {
		for _, name := range c.Region.Names(kind) {
			ref := spec.Ref{Kind: kind, Name: name}
			if len(c.Region.UsedBy(ref)) == 0 {
				out = append(out, c.findingAt(ref, "", "no fleet uses %s, so no server can reach it; add %s to the uses of the fleets that need it, or remove it", label(ref), ref))
			}
		}
	}
	return out
}

// policyStatement is one statement of a policy document, as the manifest holds it.
type policyStatement struct {
	effect    string
	actions   []string
	resources []string
	via       []string
}

func statements(doc any) []policyStatement {
	var out []policyStatement
	for _, s := range list(get(asMap(doc), "Statement")) {
		m := asMap(s)
		if m == nil {
			continue
		}
		out = append(out, policyStatement{
			effect:    str(m, "Effect"),
			actions:   oneOrMany(get(m, "Action")),
			resources: oneOrMany(get(m, "Resource")),
			via:       oneOrMany(get(m, "Condition", "StringEquals", "kms:ViaService")),
		})
	}
	return out
}

func oneOrMany(v any) []string {
	if s, ok := v.(string); ok {
		return []string{s}
	}
	return strs(v)
}

func checkLeastPrivilege(c *Context) []Finding {
	var out []Finding
	for _, res := range c.Live(tRolePolicy) {
		ref := c.RefOf(res)
		if ref.Kind != spec.KindFleet {
			continue
		}
		doc, ok := jsonText(str(res.Inputs, "policy"))
		if !ok {
			continue // only known at apply
		}
		uses := c.usesOf(ref.Name)
		var problems []string
		for _, st := range statements(doc) {
			if st.effect != "Allow" {
				continue
			}
			for _, a := range st.actions {
				for _, r := range st.resources {
					if p := c.grantProblem(uses, a, r, st.via); p != "" {
						problems = append(problems, p)
					}
				}
			}
		}
		if p := distinct(problems); len(p) > 0 {
			out = append(out, c.Finding(res, "uses", "%s grants more than the fleet's uses (%s): %s; grant only what servers[].uses names",
				c.Describe(res), usesText(uses), strings.Join(p, "; ")))
		}
	}
	return out
}

func (c *Context) usesOf(fleet string) []spec.Ref {
	for _, s := range c.Region.Servers {
		if s.Name == fleet {
			return s.UsesRefs()
		}
	}
	return nil
}

func usesText(uses []spec.Ref) string {
	if len(uses) == 0 {
		return "none"
	}
	s := make([]string, len(uses))
	for i, u := range uses {
		s[i] = u.String()
	}
	return strings.Join(s, ", ")
}

// grantProblem says why action on resource is more than uses imply, "" when it is not.
func (c *Context) grantProblem(uses []spec.Ref, action, resource string, via []string) string {
	if unknown(resource) || unknown(action) {
		return ""
	}
	what := action + " on " + resource
	if strings.Contains(action, "*") {
		return what + ": wildcard action"
	}
	if resource == "*" {
		return what + ": every resource"
	}
	service, _, _ := strings.Cut(action, ":")
	if service == "kms" {
		if !slices.Contains(keyActions, action) {
			return what + ": not needed to use a data store"
		}
		if ok, why := c.regionKey(resource); !ok {
			return what + ": " + why
		}
		if len(via) == 0 {
			return what + ": without kms:ViaService the key is usable directly"
		}
		for _, v := range via {
			svc, _, _ := strings.Cut(v, ".")
			if !slices.ContainsFunc(uses, func(u spec.Ref) bool { return implied[u.Kind].via == svc }) {
				return what + " through " + v + ": no store the fleet uses needs it"
			}
		}
		return ""
	}
	for _, u := range uses {
		imp := implied[u.Kind]
		if imp.service == service && slices.Contains(imp.actions, action) && c.names(u, resource) {
			return ""
		}
	}
	return what + ": no store the fleet uses needs it"
}

// names reports whether resource is (part of) the data store u: its ARN, a bucket's
// objects, a cache's IAM user. A database's master secret is named by RDS with a
// random suffix: any secret of the region's account and region passes.
func (c *Context) names(u spec.Ref, resource string) bool {
	a, err := arn.Parse(resource)
	if err != nil || strings.Contains(strings.TrimSuffix(a.Resource, "/*"), "*") {
		return false
	}
	local := a.Region == c.Region.Region && a.AccountID == c.Region.AccountID
	switch u.Kind {
	case spec.KindQueue:
		return local && a.Service == "sqs" && (a.Resource == u.Name || a.Resource == u.Name+".fifo")
	case spec.KindBucket:
		b := spec.BucketName(c.Region, spec.Bucket{Name: u.Name})
		return a.Service == "s3" && (a.Resource == b || a.Resource == b+"/*")
	case spec.KindCache:
		return local && a.Service == "elasticache" &&
			(a.Resource == "replicationgroup:"+u.Name || a.Resource == "user:"+u.Name+"-app")
	case spec.KindDatabase:
		return local && a.Service == "secretsmanager" && strings.HasPrefix(a.Resource, "secret:")
	}
	return false
}

func checkServerEgress(c *Context) []Finding {
	var out []Finding
	report := func(res *manifest.Resource, protocol string, from, to float64, dest string) {
		if dest != anyIPv4 && dest != anyIPv6 {
			return
		}
		if (protocol == "tcp" || protocol == "6") && from == 443 && to == 443 {
			return
		}
		o := opening{protocol: protocol, from: from, to: to}
		out = append(out, c.Finding(res, "", "%s lets servers send %s to %s; servers reach only HTTPS (443) anywhere and the data stores they use on their security groups",
			c.Describe(res), o.ports(), dest))
	}
	fleet := func(res *manifest.Resource) bool { return c.RefOf(res).Kind == spec.KindFleet }
	port := func(m map[string]any, key string) float64 {
		n, _ := number(get(m, key))
		return n
	}
	for _, r := range c.Live(tSGEgress) {
		if !fleet(r) {
			continue
		}
		for _, dest := range []string{str(r.Inputs, "cidrIpv4"), str(r.Inputs, "cidrIpv6")} {
			report(r, str(r.Inputs, "ipProtocol"), port(r.Inputs, "fromPort"), port(r.Inputs, "toPort"), dest)
		}
	}
	for _, r := range c.Live(tSGRule) {
		if !fleet(r) || str(r.Inputs, "type") != "egress" {
			continue
		}
		for _, dest := range append(strs(get(r.Inputs, "cidrBlocks")), strs(get(r.Inputs, "ipv6CidrBlocks"))...) {
			report(r, str(r.Inputs, "protocol"), port(r.Inputs, "fromPort"), port(r.Inputs, "toPort"), dest)
		}
	}
	for _, g := range c.Live(tSecurityGroup) {
		if !fleet(g) {
			continue
		}
		for _, e := range list(get(g.Inputs, "egress")) {
			m := asMap(e)
			for _, dest := range append(strs(get(m, "cidrBlocks")), strs(get(m, "ipv6CidrBlocks"))...) {
				report(g, str(m, "protocol"), port(m, "fromPort"), port(m, "toPort"), dest)
			}
		}
	}
	return out
}

// checkCacheAuth: a replication group with neither a user group nor an AUTH token
// lets anyone who reaches its port in.
func checkCacheAuth(c *Context) []Finding {
	var out []Finding
	for _, res := range c.Live(tCacheGroup) {
		groups := get(res.Inputs, "userGroupIds")
		token := get(res.Inputs, "authToken")
		if unknown(groups) || len(list(groups)) > 0 || token != nil && token != "" {
			continue
		}
		out = append(out, c.Finding(res, "", "%s accepts every connection that reaches it: it has no user group (role-based access) and no AUTH token; give it a user group of IAM-authenticated users, as regionctl's caches have",
			c.Describe(res)))
	}
	return out
}
