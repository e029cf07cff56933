package policy

import (
	"fmt"
	"strings"

	"github.com/regionctl/regionctl/internal/manifest"
)

// clusterInstances are the live instances of an Aurora cluster: those naming its
// identifier, or, where either identifier is only known after apply, those created
// by the same component.
func (c *Context) clusterInstances(cluster *manifest.Resource) []*manifest.Resource {
	id := str(cluster.Inputs, "clusterIdentifier")
	var out []*manifest.Resource
	for _, in := range c.Live(tRDSClusterInst) {
		iid := str(in.Inputs, "clusterIdentifier")
		switch {
		case id != "" && !unknown(id) && iid == id:
			out = append(out, in)
		case (id == "" || unknown(id) || unknown(iid)) && in.Parent != "" && in.Parent == cluster.Parent:
			out = append(out, in)
		}
	}
	return out
}

func checkDatabaseMultiAZ(c *Context) []Finding {
	var out []Finding
	for _, cl := range c.Live(tRDSCluster) {
		insts := c.clusterInstances(cl)
		if len(insts) < 2 {
			out = append(out, c.Finding(cl, "instances", "%s has %d %s, so a zone failure or a failover takes it down; set instances: 2 or more",
				c.Describe(cl), len(insts), plural(len(insts), "instance", "instances")))
			continue
		}
		var zones []string
		later := 0
		for _, in := range insts {
			az := str(in.Inputs, "availabilityZone")
			if unknown(az) {
				later++
			}
			zones = append(zones, az)
		}
		switch azs := distinct(zones); {
		case len(azs)+later >= 2:
		case len(azs) == 1:
			out = append(out, c.Finding(cl, "instances", "%s has every instance in %s; place them in different availability zones", c.Describe(cl), azs[0]))
		default:
			out = append(out, c.Finding(cl, "instances", "%s does not place its instances in availability zones, so nothing keeps them apart; set availabilityZone on each, in different zones", c.Describe(cl)))
		}
	}
	for _, db := range c.Live(tRDSInstance) {
		if !isTrue(get(db.Inputs, "multiAz")) {
			out = append(out, c.Finding(db, "", "%s is a single-zone instance; set multiAz to true, or use an Aurora database (databases: in the region file)", c.Describe(db)))
		}
	}
	return out
}

func checkCacheFailover(c *Context) []Finding {
	var out []Finding
	for _, g := range c.Live(tCacheGroup) {
		var missing []string
		nodesV, replicasV := get(g.Inputs, "numCacheClusters"), get(g.Inputs, "replicasPerNodeGroup")
		nodes, nodesSet := number(nodesV)
		replicas, replicasSet := number(replicasV)
		if !(nodesSet && nodes >= 2 || replicasSet && replicas >= 1 || unknown(nodesV) || unknown(replicasV)) {
			missing = append(missing, "no replica")
		}
		if !isTrue(get(g.Inputs, "automaticFailoverEnabled")) {
			missing = append(missing, "automatic failover off")
		}
		if !isTrue(get(g.Inputs, "multiAzEnabled")) {
			missing = append(missing, "multi-AZ off")
		}
		if zones := strs(get(g.Inputs, "preferredCacheClusterAzs")); len(zones) >= 2 && countUnknown(zones) == 0 {
			if azs := distinct(zones); len(azs) == 1 {
				missing = append(missing, "every node in "+azs[0])
			}
		}
		if len(missing) > 0 {
			out = append(out, c.Finding(g, "replicas", "%s has %s, so a node or zone failure loses the cache; set replicas: 1 or more (regionctl then turns on failover and multi-AZ)",
				c.Describe(g), andList(missing)))
		}
	}
	for _, cl := range c.Live(tCacheCluster) {
		if str(cl.Inputs, "replicationGroupId") == "" {
			out = append(out, c.Finding(cl, "", "%s is a single-node cache cluster; use a replication group with a replica (caches: in the region file)", c.Describe(cl)))
		}
	}
	return out
}

func countUnknown(values []string) int {
	n := 0
	for _, v := range values {
		if unknown(v) {
			n++
		}
	}
	return n
}

func checkFleetSpread(c *Context) []Finding {
	var out []Finding
	for _, g := range c.Live(tASG) {
		if min, ok := number(get(g.Inputs, "minSize")); ok && min < 2 {
			out = append(out, c.Finding(g, "min", "%s keeps %v %s (minSize), so losing one server or its zone stops the fleet; set min: 2 or more",
				c.Describe(g), min, plural(int(min), "server", "servers")))
		}
		// Subnet ids are outputs of the network, so the inputs cannot say which zone each
		// is in; ha.subnets-multi-az checks the subnets themselves span zones.
		zones, subnets := get(g.Inputs, "availabilityZones"), get(g.Inputs, "vpcZoneIdentifiers")
		spread, where := 0, ""
		switch {
		case zones != nil:
			z := strs(zones)
			spread, where = len(distinct(z))+countUnknown(z), "availability "+plural(len(distinct(z)), "zone", "zones")
		case subnets != nil && !unknown(subnets):
			s := strs(subnets)
			spread, where = len(distinct(s))+countUnknown(s), plural(len(distinct(s)), "subnet", "subnets")
		default:
			continue
		}
		if spread < 2 {
			out = append(out, c.Finding(g, "", "%s runs in %d %s, so a zone failure stops the fleet; give it subnets in 2 or more availability zones (network.azs)",
				c.Describe(g), spread, where))
		}
	}
	return out
}

// tier is the subnet's tier tag (public, private, isolated), "" when it has none.
func tier(subnet *manifest.Resource) string {
	return str(subnet.Inputs, "tags", "tier")
}

func subnetZone(subnet *manifest.Resource) string {
	if az := str(subnet.Inputs, "availabilityZone"); az != "" {
		return az
	}
	return str(subnet.Inputs, "availabilityZoneId")
}

func checkSubnetsMultiAZ(c *Context) []Finding {
	var out []Finding
	byTier := map[string][]*manifest.Resource{}
	var tiers []string
	for _, s := range c.Live(tSubnet) {
		t := tier(s)
		if _, seen := byTier[t]; !seen {
			tiers = append(tiers, t)
		}
		byTier[t] = append(byTier[t], s)
	}
	for _, t := range tiers {
		var zones []string
		for _, s := range byTier[t] {
			zones = append(zones, subnetZone(s))
		}
		azs := distinct(zones)
		if len(azs)+countUnknown(zones) >= 2 {
			continue
		}
		what := "subnets"
		if t != "" {
			what = "the " + t + " subnets"
		}
		where := "no availability zone"
		if len(azs) == 1 {
			where = "only " + azs[0]
		}
		first := byTier[t][0]
		out = append(out, c.Finding(first, "azs", "%s of %s are in %s, so a zone failure takes down everything placed in them; set network.azs to 2 or more",
			what, label(c.RefOf(first)), where))
	}
	return out
}

func checkNATPerAZ(c *Context) []Finding {
	var nats []*manifest.Resource
	for _, n := range c.Live(tNATGateway) {
		if t := str(n.Inputs, "connectivityType"); t == "" || t == "public" {
			nats = append(nats, n)
		}
	}
	if len(nats) == 0 {
		return nil // no NAT at all is a choice (no outbound internet), not a single point of failure
	}
	var zones []string
	tagged := false
	for _, s := range c.Live(tSubnet) {
		tagged = tagged || tier(s) != ""
	}
	for _, s := range c.Live(tSubnet) {
		if !tagged || tier(s) == "private" {
			zones = append(zones, subnetZone(s))
		}
	}
	azs := distinct(zones)
	if len(nats) >= len(azs) {
		return nil
	}
	return []Finding{c.Finding(nats[0], "natGateways", "%s has %d NAT %s for private subnets in %d availability zones (%s), so losing the zone of a NAT gateway cuts outbound traffic of the others; set natGateways: perAz",
		label(c.RefOf(nats[0])), len(nats), plural(len(nats), "gateway", "gateways"), len(azs), strings.Join(azs, ", "))}
}

// alarm is a live metric alarm that notifies someone.
type alarm struct {
	namespace string
	dims      map[string]any
}

func (c *Context) alarms() []alarm {
	var out []alarm
	for _, a := range c.Live(tAlarm) {
		actions := get(a.Inputs, "alarmActions")
		if !unknown(actions) && len(list(actions)) == 0 {
			continue
		}
		dims, _ := get(a.Inputs, "dimensions").(map[string]any)
		out = append(out, alarm{namespace: str(a.Inputs, "namespace"), dims: dims})
	}
	return out
}

// watched reports whether an alarm in namespace has dimension key matching want.
// A dimension only known after apply (a new load balancer's ARN suffix) counts: the
// plan of the same program names it, and a preview cannot.
func watched(alarms []alarm, namespace, key string, want func(string) bool) bool {
	for _, a := range alarms {
		if a.namespace != namespace {
			continue
		}
		v, ok := a.dims[key]
		if !ok {
			continue
		}
		if s, _ := v.(string); unknown(v) || want(s) {
			return true
		}
	}
	return false
}

// is returns a matcher for id; an id only known after apply matches anything.
func is(id string) func(string) bool {
	return func(s string) bool { return id == "" || unknown(id) || s == id }
}

func checkAlarms(c *Context) []Finding {
	alarms := c.alarms()
	var out []Finding
	missing := func(res *manifest.Resource, sub, what string) {
		out = append(out, c.Finding(res, sub, "%s has no CloudWatch alarm on its %s that notifies anyone; keep regionctl's observability component in the program and alarms.email set",
			c.Describe(res), what))
	}
	for _, cl := range c.Live(tRDSCluster) {
		id := str(cl.Inputs, "clusterIdentifier")
		ok := watched(alarms, "AWS/RDS", "DBClusterIdentifier", is(id))
		for _, in := range c.clusterInstances(cl) {
			ok = ok || watched(alarms, "AWS/RDS", "DBInstanceIdentifier", is(str(in.Inputs, "identifier")))
		}
		if !ok {
			missing(cl, "", "cluster")
		}
	}
	for _, db := range c.Live(tRDSInstance) {
		if !watched(alarms, "AWS/RDS", "DBInstanceIdentifier", is(str(db.Inputs, "identifier"))) {
			missing(db, "", "instance")
		}
	}
	for _, g := range c.Live(tCacheGroup) {
		id := str(g.Inputs, "replicationGroupId")
		node := func(s string) bool { return is(id)(s) || strings.HasPrefix(s, id+"-") }
		if !watched(alarms, "AWS/ElastiCache", "CacheClusterId", node) && !watched(alarms, "AWS/ElastiCache", "ReplicationGroupId", is(id)) {
			missing(g, "", "nodes")
		}
	}
	for _, q := range c.Live(tQueue) {
		if !watched(alarms, "AWS/SQS", "QueueName", is(str(q.Inputs, "name"))) {
			missing(q, "", "messages")
		}
	}
	for _, lb := range c.Live(tLB, tALB) {
		namespace, prefix := "AWS/ApplicationELB", "app/"
		switch str(lb.Inputs, "loadBalancerType") {
		case "network":
			namespace, prefix = "AWS/NetworkELB", "net/"
		case "gateway":
			continue
		}
		name := str(lb.Inputs, "name")
		match := func(s string) bool {
			return name == "" || unknown(name) || strings.HasPrefix(s, fmt.Sprintf("%s%s/", prefix, name))
		}
		if !watched(alarms, namespace, "LoadBalancer", match) {
			missing(lb, "loadBalancer", "responses")
		}
	}
	return out
}
