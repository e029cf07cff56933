package policy

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/regionctl/regionctl/internal/manifest"
)

// keyProblem says what is wrong with a key reference, "" when it is the region's key.
func (c *Context) keyProblem(field string, v any) string {
	if ok, why := c.regionKey(v); !ok {
		return field + ": " + why
	}
	return ""
}

// flagProblem says that a boolean setting is off, "" when it is on (or only known
// after apply).
func flagProblem(in map[string]any, path ...string) string {
	if isTrue(get(in, path...)) {
		return ""
	}
	return strings.Join(path, ".") + " is off"
}

func nonEmpty(items ...string) []string {
	var out []string
	for _, s := range items {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func checkEncryption(c *Context) []Finding {
	var out []Finding
	report := func(res *manifest.Resource, problems ...string) {
		if p := nonEmpty(problems...); len(p) > 0 {
			out = append(out, c.Finding(res, "", "%s is not encrypted with the region's key (%s); encrypt it with the region's key, as regionctl's components do",
				c.Describe(res), strings.Join(p, "; ")))
		}
	}
	for _, res := range c.Live(tRDSCluster, tRDSInstance) {
		report(res, flagProblem(res.Inputs, "storageEncrypted"), c.keyProblem("kmsKeyId", get(res.Inputs, "kmsKeyId")))
	}
	for _, res := range c.Live(tRDSClusterInst, tRDSInstance) {
		if v, known := truth(get(res.Inputs, "performanceInsightsEnabled")); v || !known {
			report(res, c.keyProblem("performanceInsightsKmsKeyId", get(res.Inputs, "performanceInsightsKmsKeyId")))
		}
	}
	for _, res := range c.Live(tCacheGroup) {
		report(res, flagProblem(res.Inputs, "atRestEncryptionEnabled"), flagProblem(res.Inputs, "transitEncryptionEnabled"),
			c.keyProblem("kmsKeyId", get(res.Inputs, "kmsKeyId")))
	}
	for _, res := range c.Live(tQueue, tTopic) {
		report(res, c.keyProblem("kmsMasterKeyId", get(res.Inputs, "kmsMasterKeyId")))
	}
	for _, res := range c.Live(tLogGroup) {
		report(res, c.keyProblem("kmsKeyId", get(res.Inputs, "kmsKeyId")))
	}
	for _, res := range c.Live(tDynamoTable) {
		report(res, flagProblem(res.Inputs, "serverSideEncryption", "enabled"),
			c.keyProblem("serverSideEncryption.kmsKeyArn", get(res.Inputs, "serverSideEncryption", "kmsKeyArn")))
	}
	for _, res := range c.Live(tVolume) {
		report(res, flagProblem(res.Inputs, "encrypted"), c.keyProblem("kmsKeyId", get(res.Inputs, "kmsKeyId")))
	}
	for _, res := range c.Live(tLaunchTemplate) {
		mappings := list(get(res.Inputs, "blockDeviceMappings"))
		if len(mappings) == 0 && !unknown(get(res.Inputs, "blockDeviceMappings")) {
			report(res, "blockDeviceMappings: no volume is declared, so the image's unencrypted defaults apply")
		}
		for i, m := range mappings {
			ebs, _ := get(asMap(m), "ebs").(map[string]any)
			if ebs == nil {
				continue
			}
			at := fmt.Sprintf("blockDeviceMappings[%d].ebs.", i)
			p := flagProblem(ebs, "encrypted")
			if p != "" {
				p = at + p
			}
			report(res, p, c.keyProblem(at+"kmsKeyId", get(ebs, "kmsKeyId")))
		}
	}
	for _, res := range c.Live(tInstance) {
		root := asMap(get(res.Inputs, "rootBlockDevice"))
		report(res, flagProblem(root, "encrypted"), c.keyProblem("rootBlockDevice.kmsKeyId", get(root, "kmsKeyId")))
	}
	for _, b := range c.Live(tBucket, tBucketV2) {
		if p := c.bucketEncryption(b); p != "" {
			report(b, p)
		}
	}
	return out
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// forBucket returns the live resources of types that configure bucket b: those naming
// its bucket, or, when a name is only known after apply, those of the same component.
func (c *Context) forBucket(b *manifest.Resource, types ...string) []*manifest.Resource {
	name := str(b.Inputs, "bucket")
	var out []*manifest.Resource
	for _, res := range c.Live(types...) {
		other := str(res.Inputs, "bucket")
		switch {
		case name != "" && !unknown(name) && other == name:
			out = append(out, res)
		case (name == "" || unknown(name) || unknown(other)) && res.Parent != "" && res.Parent == b.Parent:
			out = append(out, res)
		}
	}
	return out
}

// bucketEncryption says what is wrong with a bucket's default encryption, "" when
// objects are encrypted with the region's key by default.
func (c *Context) bucketEncryption(b *manifest.Resource) string {
	var defaults []map[string]any
	for _, sse := range c.forBucket(b, tBucketSSE, tBucketSSEV2) {
		for _, r := range list(get(sse.Inputs, "rules")) {
			defaults = append(defaults, asMap(get(asMap(r), "applyServerSideEncryptionByDefault")))
		}
		if r := asMap(get(sse.Inputs, "rule")); r != nil {
			defaults = append(defaults, asMap(get(r, "applyServerSideEncryptionByDefault")))
		}
	}
	// Settings inline in the bucket (older programs).
	if d := asMap(get(b.Inputs, "serverSideEncryptionConfiguration", "rule", "applyServerSideEncryptionByDefault")); d != nil {
		defaults = append(defaults, d)
	}
	for _, cfg := range list(get(b.Inputs, "serverSideEncryptionConfigurations")) {
		for _, r := range list(get(asMap(cfg), "rules")) {
			for _, d := range list(get(asMap(r), "applyServerSideEncryptionByDefaults")) {
				defaults = append(defaults, asMap(d))
			}
		}
	}
	if len(defaults) == 0 {
		return "it has no default encryption configuration"
	}
	why := ""
	for _, d := range defaults {
		algo := str(d, "sseAlgorithm")
		if algo != "aws:kms" && algo != "aws:kms:dsse" && !unknown(algo) {
			why = fmt.Sprintf("default encryption is %s, not aws:kms", quote(algo))
			continue
		}
		if p := c.keyProblem("kmsMasterKeyId", get(d, "kmsMasterKeyId")); p != "" {
			why = p
			continue
		}
		return ""
	}
	return why
}

func checkPublicAccess(c *Context) []Finding {
	var out []Finding
	for _, res := range c.Live(tRDSInstance, tRDSClusterInst) {
		if v, known := truth(get(res.Inputs, "publiclyAccessible")); v && known {
			out = append(out, c.Finding(res, "", "%s is publicly accessible from the internet; set publiclyAccessible to false and reach it from inside the VPC", c.Describe(res)))
		}
	}
	return out
}

const (
	anyIPv4 = "0.0.0.0/0"
	anyIPv6 = "::/0"
)

// opening is a rule that lets the whole internet in.
type opening struct {
	res      *manifest.Resource
	group    string // the security group it opens; "" for inline rules, the group itself
	protocol string
	from, to float64
	source   string
}

// openings finds every ingress from 0.0.0.0/0 or ::/0, whichever way it is written:
// standalone ingress rules, security group rules and inline ingress blocks.
func (c *Context) openings() []opening {
	var out []opening
	open := func(v4, v6 any) string {
		for _, s := range append(strs(v4), strs(v6)...) {
			if s == anyIPv4 || s == anyIPv6 {
				return s
			}
		}
		if s, _ := v4.(string); s == anyIPv4 {
			return s
		}
		if s, _ := v6.(string); s == anyIPv6 {
			return s
		}
		return ""
	}
	port := func(m map[string]any, key string) float64 {
		n, _ := number(get(m, key))
		return n
	}
	for _, r := range c.Live(tSGIngress) {
		if src := open(get(r.Inputs, "cidrIpv4"), get(r.Inputs, "cidrIpv6")); src != "" {
			out = append(out, opening{r, str(r.Inputs, "securityGroupId"), str(r.Inputs, "ipProtocol"), port(r.Inputs, "fromPort"), port(r.Inputs, "toPort"), src})
		}
	}
	for _, r := range c.Live(tSGRule) {
		if str(r.Inputs, "type") != "ingress" {
			continue
		}
		if src := open(get(r.Inputs, "cidrBlocks"), get(r.Inputs, "ipv6CidrBlocks")); src != "" {
			out = append(out, opening{r, str(r.Inputs, "securityGroupId"), str(r.Inputs, "protocol"), port(r.Inputs, "fromPort"), port(r.Inputs, "toPort"), src})
		}
	}
	for _, g := range c.Live(tSecurityGroup) {
		for _, e := range list(get(g.Inputs, "ingress")) {
			m := asMap(e)
			if src := open(get(m, "cidrBlocks"), get(m, "ipv6CidrBlocks")); src != "" {
				out = append(out, opening{g, "", str(m, "protocol"), port(m, "fromPort"), port(m, "toPort"), src})
			}
		}
	}
	return out
}

func (o opening) ports() string {
	switch {
	case o.protocol == "-1" || strings.EqualFold(o.protocol, "all"):
		return "all traffic"
	case o.from == o.to:
		return fmt.Sprintf("%s %v", o.protocol, o.from)
	}
	return fmt.Sprintf("%s %v-%v", o.protocol, o.from, o.to)
}

// web reports an opening of exactly port 80 or 443 over TCP.
func (o opening) web() bool {
	tcp := o.protocol == "tcp" || o.protocol == "6"
	return tcp && o.from == o.to && (o.from == 80 || o.from == 443)
}

func checkOpenIngress(c *Context) []Finding {
	albGroups, albParents := map[string]bool{}, map[string]bool{}
	for _, lb := range c.Live(tLB, tALB) {
		if t := str(lb.Inputs, "loadBalancerType"); t != "" && t != "application" {
			continue
		}
		for _, g := range strs(get(lb.Inputs, "securityGroups")) {
			albGroups[g] = true
		}
		if lb.Parent != "" {
			albParents[lb.Parent] = true
		}
	}
	var out []Finding
	for _, o := range c.openings() {
		// A group id only known after apply cannot be matched to the load balancer's;
		// a rule created with a load balancer, by the same component, stands for it.
		alb := albGroups[o.group] || (o.group == "" || unknown(o.group)) && albParents[o.res.Parent]
		if alb && o.web() {
			continue
		}
		why := "only a load balancer may accept the internet, and only on 80 and 443"
		if o.web() {
			why = "no load balancer uses this security group"
		}
		out = append(out, c.Finding(o.res, "", "%s accepts %s from %s; %s: reach servers through the load balancer (or SSM Session Manager) and allow other sources by security group",
			c.Describe(o.res), o.ports(), o.source, why))
	}
	return out
}

func checkIMDSv2(c *Context) []Finding {
	var out []Finding
	for _, res := range c.Live(tLaunchTemplate, tInstance) {
		mo := asMap(get(res.Inputs, "metadataOptions"))
		tokens := get(mo, "httpTokens")
		if str(mo, "httpEndpoint") == "disabled" || tokens == "required" || unknown(tokens) {
			continue
		}
		how := "does not set metadataOptions.httpTokens, so IMDSv1 is allowed"
		if s, ok := tokens.(string); ok && s != "" {
			how = fmt.Sprintf("sets metadataOptions.httpTokens to %s, so IMDSv1 is allowed", quote(s))
		}
		out = append(out, c.Finding(res, "", "%s %s and a request forgery can read the instance role's credentials; set httpTokens to required", c.Describe(res), how))
	}
	return out
}

var publicAccessFlags = []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"}

func checkBucketPublicAccess(c *Context) []Finding {
	var out []Finding
	for _, b := range c.Live(tBucket, tBucketV2) {
		blocks := c.forBucket(b, tBucketPAB)
		if len(blocks) == 0 {
			out = append(out, c.Finding(b, "", "%s has no public access block, so one public ACL or policy publishes it; add one with %s true", c.Describe(b), andList(publicAccessFlags)))
			continue
		}
		var off []string
		for _, f := range publicAccessFlags {
			if !slices.ContainsFunc(blocks, func(p *manifest.Resource) bool { return isTrue(get(p.Inputs, f)) }) {
				off = append(off, f)
			}
		}
		if len(off) > 0 {
			out = append(out, c.Finding(b, "", "%s has a public access block with %s off; set %s true", c.Describe(b), andList(off), plural(len(off), "it", "them")))
		}
	}
	return out
}

// secretName matches input keys (and name/value pairs, as in environment variables)
// that hold credentials.
var secretName = regexp.MustCompile(`(?i)(password|passwd|passphrase|secret|secretstring|secretbinary|secretkey|authtoken|token|privatekey|apikey|accesskey)$`)

func checkPlaintextSecrets(c *Context) []Finding {
	var out []Finding
	for i := range c.Manifest.Resources {
		res := &c.Manifest.Resources[i]
		if res.Op == manifest.OpDelete {
			continue
		}
		var where []string
		plain := func(v any) bool {
			s, ok := v.(string)
			return ok && s != "" && !unknown(s)
		}
		visitMaps(res.Inputs, "", func(path string, m map[string]any) {
			for _, k := range manifest.SortedKeys(m) {
				if secretName.MatchString(k) && plain(m[k]) {
					where = append(where, joinPath(path, k))
				}
			}
			// {"name": "DB_PASSWORD", "value": "..."}: environment variables, parameters.
			if n, _ := m["name"].(string); secretName.MatchString(n) && plain(m["value"]) {
				where = append(where, fmt.Sprintf("%s (%s)", path, n))
			}
		})
		if len(where) > 0 {
			out = append(out, c.Finding(res, "", "%s has a plain-text secret in %s, which ends up in state, plan output and CI logs; let AWS manage it (manageMasterUserPassword) or pass it as a Pulumi secret",
				c.Describe(res), andList(where)))
		}
	}
	return out
}

func checkDeletionProtection(c *Context) []Finding {
	var out []Finding
	for _, res := range c.Live(tRDSCluster, tRDSInstance) {
		if !isTrue(get(res.Inputs, "deletionProtection")) {
			out = append(out, c.Finding(res, "", "%s has deletion protection off, so one mistaken call deletes it; set deletionProtection to true", c.Describe(res)))
		}
	}
	for _, res := range c.Live(tLB, tALB) {
		if !isTrue(get(res.Inputs, "enableDeletionProtection")) {
			out = append(out, c.Finding(res, "loadBalancer", "%s has deletion protection off, so one mistaken call takes the fleet off the internet; set enableDeletionProtection to true", c.Describe(res)))
		}
	}
	return out
}
