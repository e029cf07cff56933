package policy

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/regionctl/regionctl/internal/manifest"
)

func checkProtected(c *Context) []Finding {
	var out []Finding
	for i := range c.Manifest.Resources {
		res := &c.Manifest.Resources[i]
		if !protectedTypes[res.Type] || res.Op == manifest.OpDelete {
			continue
		}
		var missing []string
		if !res.Protect {
			missing = append(missing, "protect")
		}
		if !res.RetainOnDelete {
			missing = append(missing, "retainOnDelete")
		}
		if len(missing) > 0 {
			out = append(out, c.Finding(res, "", "%s does not set %s, so a mistaken destroy or refactor deletes it with its data; set the protect and retainOnDelete resource options, as regionctl's components do",
				c.Describe(res), andList(missing)))
		}
	}
	return out
}

// allowExample is the allow entry that would let op happen to res.
func (c *Context) allowExample(op string, res *manifest.Resource) string {
	return fmt.Sprintf("allow: [{%s: %s, reason: ..., expires: ...}]", op, c.RefOf(res))
}

func checkReplace(c *Context) []Finding {
	var out []Finding
	for _, res := range c.Changed(manifest.OpReplace) {
		if !dataTypes[res.Type] {
			continue
		}
		because := " (the engine did not say which properties force it)"
		sub := ""
		if len(res.ReplaceKeys) > 0 {
			because = fmt.Sprintf(" because %s changed", andList(res.ReplaceKeys))
			sub = strings.SplitN(res.ReplaceKeys[0], ".", 2)[0]
		}
		out = append(out, c.Finding(res, sub, "%s would be replaced%s: a new, empty one is created and the old one deleted with its data; undo the change, or if the data is safe elsewhere add %s",
			c.Describe(res), because, c.allowExample("replace", res)))
	}
	return out
}

func checkDelete(c *Context) []Finding {
	var out []Finding
	for _, res := range c.Changed(manifest.OpDelete) {
		if !dataTypes[res.Type] {
			continue
		}
		out = append(out, c.Finding(res, "", "%s would be deleted with its data; put it back in the region file, or if the data is safe elsewhere add %s",
			c.Describe(res), c.allowExample("delete", res)))
	}
	return out
}

// identifiers are the inputs holding the physical identifier of data-store types whose
// identifier the program fixes, so a replacement keeps it.
var identifiers = map[string]string{
	"aws:rds/cluster:Cluster":                           "clusterIdentifier",
	"aws:rds/clusterInstance:ClusterInstance":           "identifier",
	"aws:elasticache/replicationGroup:ReplicationGroup": "replicationGroupId",
}

func checkSameIdentifier(c *Context) []Finding {
	var out []Finding
	for _, res := range c.Changed(manifest.OpReplace) {
		prop, ok := identifiers[res.Type]
		if !ok || !res.RetainOnDelete || slices.Contains(res.ReplaceKeys, prop) {
			continue
		}
		id, _ := res.Inputs[prop].(string)
		because := ""
		if len(res.ReplaceKeys) > 0 {
			because = fmt.Sprintf(" because %s changed", andList(res.ReplaceKeys))
		}
		out = append(out, c.Finding(res, "", "%s would be replaced%s under the same identifier %q: the old one is retained and keeps %q in AWS, so creating the new one fails, allowed or not; "+
			"undo the change, or give %s a new identifier in its entry (identifier: %s) next to the allowance",
			c.Describe(res), because, id, id, c.RefOf(res), nextIdentifier(id)))
	}
	return out
}

// nextIdentifier suggests the identifier after id: main → main-2, main-2 → main-3.
func nextIdentifier(id string) string {
	if i := strings.LastIndexByte(id, '-'); i > 0 {
		if n, err := strconv.Atoi(id[i+1:]); err == nil {
			return id[:i+1] + strconv.Itoa(n+1)
		}
	}
	return id + "-2"
}
