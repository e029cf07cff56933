package policy

import (
	"net/url"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec/awsregions"
)

// arnOutside returns the region an ARN names when that region is outside the
// jurisdiction. ARNs of global services (IAM, S3, Route 53) have no region, and
// patterns (*, ${aws:region}) name no particular one: neither is reported.
func (c *Context) arnOutside(s string) (string, bool) {
	if !arn.IsARN(s) {
		return "", false
	}
	a, err := arn.Parse(s)
	if err != nil || a.Region == "" || strings.ContainsAny(a.Region, "*?$") {
		return "", false
	}
	return a.Region, !c.inJurisdiction(a.Region)
}

func checkProviderRegion(c *Context) []Finding {
	var out []Finding
	for i := range c.Manifest.Resources {
		p := &c.Manifest.Resources[i]
		if !strings.HasPrefix(p.Type, tProviderPrefix) || p.Op == manifest.OpDelete {
			continue
		}
		region := str(p.Inputs, "region")
		switch {
		case unknown(region):
		case region == "":
			out = append(out, c.Finding(p, "", "%s has no region, so it deploys wherever the shell's AWS_REGION points; set region to %s", c.Describe(p), c.Region.Region))
		case !c.inJurisdiction(region):
			out = append(out, c.Finding(p, "", "%s deploys to %s; set its region to %s", c.Describe(p), c.outside(region), c.Region.Region))
		case region != c.Region.Region:
			out = append(out, c.Finding(p, "", "%s deploys to %s, not to the file's region %s; set its region to %s", c.Describe(p), region, c.Region.Region, c.Region.Region))
		}
	}
	return out
}

// bucketRegion tells a bucket's region from its name, when it follows regionctl's
// <name>-<region>-<account> (S3 ARNs carry no region).
func bucketRegion(bucket string) (string, bool) {
	name := strings.TrimPrefix(bucket, "arn:aws:s3:::")
	if a, err := arn.Parse(bucket); err == nil && a.Service == "s3" {
		name = a.Resource
	}
	parts := strings.Split(name, "-")
	// A region id is three parts (eu-west-1) or four (us-gov-west-1); try the longest.
	for n := 4; n >= 3; n-- {
		for i := 0; i+n <= len(parts); i++ {
			id := strings.Join(parts[i:i+n], "-")
			if r, ok := awsregions.Lookup(id); ok && !r.Global {
				return id, true
			}
		}
	}
	return "", false
}

func checkS3Replication(c *Context) []Finding {
	var out []Finding
	for _, res := range c.Live(tBucketRepl, tBucket, tBucketV2) {
		walk(res.Inputs, "", func(path, s string) {
			if !strings.HasSuffix(path, "destination.bucket") || unknown(s) {
				return
			}
			region, ok := bucketRegion(s)
			switch {
			case !ok:
				out = append(out, c.Finding(res, "", "%s replicates to bucket %s, whose region cannot be told; replicate to a bucket named <name>-<region>-<account> in a region of jurisdiction %s", c.Describe(res), s, c.Region.Jurisdiction))
			case !c.inJurisdiction(region):
				out = append(out, c.Finding(res, "", "%s replicates every object to bucket %s in %s; remove the replication rule or replicate within the jurisdiction", c.Describe(res), s, c.outside(region)))
			}
		})
	}
	return out
}

func checkDatabaseReplication(c *Context) []Finding {
	var out []Finding
	for _, res := range c.Live(tRDSCluster) {
		if g := get(res.Inputs, "globalClusterIdentifier"); g != nil && g != "" {
			out = append(out, c.Finding(res, "", "%s joins global database %v, which replicates it to every region that joins; remove globalClusterIdentifier", c.Describe(res), g))
		}
		if src := str(res.Inputs, "replicationSourceIdentifier"); src != "" {
			if region, bad := c.arnOutside(src); bad {
				out = append(out, c.Finding(res, "", "%s replicates from %s in %s; replicate only between regions of the jurisdiction", c.Describe(res), src, c.outside(region)))
			}
		}
	}
	for _, res := range c.Live(tRDSInstance) {
		if src := str(res.Inputs, "replicateSourceDb"); src != "" {
			if region, bad := c.arnOutside(src); bad {
				out = append(out, c.Finding(res, "", "%s is a read replica of %s in %s; replicate only between regions of the jurisdiction", c.Describe(res), src, c.outside(region)))
			}
		}
	}
	for _, res := range c.Live(tRDSGlobal) {
		out = append(out, c.Finding(res, "", "%s is an Aurora global database: its clusters replicate across regions; remove it", c.Describe(res)))
	}
	return out
}

func checkCacheGlobal(c *Context) []Finding {
	var out []Finding
	for _, res := range c.Live(tCacheGroup) {
		if g := get(res.Inputs, "globalReplicationGroupId"); g != nil && g != "" {
			out = append(out, c.Finding(res, "", "%s joins global datastore %v, which replicates it to other regions; remove globalReplicationGroupId", c.Describe(res), g))
		}
	}
	for _, res := range c.Live(tCacheGlobal) {
		out = append(out, c.Finding(res, "", "%s is an ElastiCache global datastore: it replicates the cache across regions; remove it", c.Describe(res)))
	}
	return out
}

func checkDynamoDBReplicas(c *Context) []Finding {
	var out []Finding
	for _, res := range c.Live(tDynamoTable, tDynamoGlobal) {
		var bad []string
		for _, r := range list(get(res.Inputs, "replicas")) {
			m, _ := r.(map[string]any)
			if region := str(m, "regionName"); region != "" && !unknown(region) && !c.inJurisdiction(region) {
				bad = append(bad, region)
			}
		}
		if len(bad) > 0 {
			out = append(out, c.Finding(res, "", "%s has %s in %s, outside jurisdiction %s (%s); remove them",
				c.Describe(res), plural(len(bad), "a replica", "replicas"), andList(bad), c.Region.Jurisdiction, strings.Join(c.Jurisdiction, ", ")))
		}
	}
	return out
}

func checkBackupCopy(c *Context) []Finding {
	var out []Finding
	for _, res := range c.Live(tBackupPlan) {
		walk(get(res.Inputs, "rules"), "rules", func(path, s string) {
			if !strings.HasSuffix(path, "destinationVaultArn") {
				return
			}
			if region, bad := c.arnOutside(s); bad {
				out = append(out, c.Finding(res, "", "%s copies backups to vault %s in %s; copy to a vault of a region in the jurisdiction", c.Describe(res), s, c.outside(region)))
			}
		})
	}
	return out
}

func checkKMSMultiRegion(c *Context) []Finding {
	var out []Finding
	for _, res := range c.Live(tKMSKey) {
		if v, known := truth(get(res.Inputs, "multiRegion")); v && known {
			out = append(out, c.Finding(res, "", "%s is a multi-region key, which can be replicated to any region; set multiRegion to false", c.Describe(res)))
		}
	}
	for _, res := range c.Live(tKMSReplicaKey, tKMSReplicaExt) {
		out = append(out, c.Finding(res, "", "%s is a replica of a multi-region key; remove it and use the region's own key", c.Describe(res)))
	}
	return out
}

func checkLogSubscriptions(c *Context) []Finding {
	var out []Finding
	for _, res := range c.Live(tLogSubscriber) {
		dest := str(res.Inputs, "destinationArn")
		if region, bad := c.arnOutside(dest); bad {
			out = append(out, c.Finding(res, "", "%s streams log events to %s in %s; deliver to a destination in the jurisdiction", c.Describe(res), dest, c.outside(region)))
		}
	}
	return out
}

// messagingFields are the inputs of each type that say where messages go; the generic
// ARN rule leaves them to checkMessagingTargets.
var messagingFields = map[string][]string{
	tSubscription:  {"endpoint"},
	tEventTarget:   {"arn"},
	tQueue:         {"redrivePolicy"},
	tLogSubscriber: {"destinationArn"},
	tBackupPlan:    {"rules"},
	tRDSCluster:    {"replicationSourceIdentifier"},
	tRDSInstance:   {"replicateSourceDb"},
}

func checkMessagingTargets(c *Context) []Finding {
	var out []Finding
	for _, res := range c.Live(tSubscription) {
		endpoint := str(res.Inputs, "endpoint")
		region, bad := c.arnOutside(endpoint)
		if !bad {
			region, bad = c.endpointOutside(endpoint)
		}
		if bad {
			out = append(out, c.Finding(res, "", "%s delivers messages to %s in %s; subscribe an endpoint in the jurisdiction", c.Describe(res), endpoint, c.outside(region)))
		}
	}
	for _, res := range c.Live(tEventTarget) {
		target := str(res.Inputs, "arn")
		if region, bad := c.arnOutside(target); bad {
			out = append(out, c.Finding(res, "", "%s sends events to %s in %s; target a resource in the jurisdiction", c.Describe(res), target, c.outside(region)))
		}
	}
	for _, res := range c.Live(tQueue) {
		dlq := str(res.Inputs, "redrivePolicy")
		doc, _ := jsonText(dlq)
		m, _ := doc.(map[string]any)
		target := str(m, "deadLetterTargetArn")
		if region, bad := c.arnOutside(target); bad {
			out = append(out, c.Finding(res, "", "%s moves failed messages to %s in %s; use a dead-letter queue in the jurisdiction", c.Describe(res), target, c.outside(region)))
		}
	}
	return out
}

// endpointOutside reads the region of an AWS endpoint URL
// (https://sqs.us-east-1.amazonaws.com/...).
func (c *Context) endpointOutside(endpoint string) (string, bool) {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return "", false
	}
	host := u.Hostname()
	if !strings.HasSuffix(host, ".amazonaws.com") && !strings.HasSuffix(host, ".amazonaws.com.cn") {
		return "", false
	}
	for _, label := range strings.Split(host, ".") {
		if r, ok := awsregions.Lookup(label); ok && !r.Global {
			return label, !c.inJurisdiction(label)
		}
	}
	return "", false
}

func checkARNRegions(c *Context) []Finding {
	var out []Finding
	for i := range c.Manifest.Resources {
		res := &c.Manifest.Resources[i]
		if res.Op == manifest.OpDelete || strings.HasPrefix(res.Type, tProviderPrefix) {
			continue
		}
		skip := messagingFields[res.Type]
		reported := map[string]bool{}
		for _, k := range manifest.SortedKeys(res.Inputs) {
			if slices.Contains(skip, k) {
				continue
			}
			walk(res.Inputs[k], k, func(path, s string) {
				region, bad := c.arnOutside(s)
				if !bad || reported[s] {
					return
				}
				reported[s] = true
				out = append(out, c.Finding(res, "", "%s refers to %s (in %s), a resource in %s; refer to resources in the jurisdiction",
					c.Describe(res), s, path, c.outside(region)))
			})
		}
	}
	return out
}
