package cache_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/cache"
	"github.com/regionctl/regionctl/stacks/internal/stackstest"
)

const (
	groupType   = "aws:elasticache/replicationGroup:ReplicationGroup"
	ingressType = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
)

var isolatedSubnets = stackstest.SubnetIDs("isolated", 3)

type result struct {
	regs    stackstest.Registrations
	sg      func() string
	primary func() string
	nodeIDs []string
}

func runErr(c spec.Cache, azs int) (result, error) {
	r := stackstest.Region(func(r *spec.Region) {
		r.Network.AZs = spec.AZs{Count: azs}
		r.Caches = []spec.Cache{c}
	})
	var res result
	var err error
	res.regs, err = stackstest.RunErr(r, func(ctx *pulumi.Context, p pulumi.ResourceOption) error {
		cc, err := cache.NewCache(ctx, "cache-"+c.Name, &cache.CacheArgs{
			Cache:     r.Caches[0],
			AZNames:   r.AZNames,
			VpcID:     pulumi.String(stackstest.VpcID),
			SubnetIDs: pulumi.ToStringArray(isolatedSubnets[:azs]),
			KMSKeyARN: pulumi.String(stackstest.KeyARN),
		}, p)
		if err != nil {
			return err
		}
		if err := cc.Admit(ctx, map[string]pulumi.StringInput{"web": pulumi.String("sg-0000000000000web0")}); err != nil {
			return err
		}
		res.sg = stackstest.Capture[string](cc.SecurityGroupID)
		res.primary = stackstest.Capture[string](cc.PrimaryEndpoint)
		res.nodeIDs = cc.NodeIDs
		return nil
	})
	return res, err
}

func run(t *testing.T, c spec.Cache, azs int) result {
	t.Helper()
	res, err := runErr(c, azs)
	if err != nil {
		t.Fatalf("program failed: %v", err)
	}
	stackstest.CheckInvariants(t, res.regs)
	return res
}

func TestReplicationGroup(t *testing.T) {
	tests := []struct {
		replicas, azs int
		zones         []string
	}{
		{1, 3, []string{"a", "b"}},
		{2, 3, []string{"a", "b", "c"}},
		{3, 2, []string{"a", "b", "a", "b"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d replicas over %d AZs", tt.replicas, tt.azs), func(t *testing.T) {
			res := run(t, spec.Cache{Name: "sessions", Engine: "redis", NodeType: "cache.r6g.large", Replicas: tt.replicas}, tt.azs)
			g := res.regs.Named(t, groupType, "cache-sessions-redis")

			if got := stackstest.Str(g, "replicationGroupId"); got != "sessions" {
				t.Errorf("id %s", got)
			}
			if got := stackstest.Num(g, "numCacheClusters"); got != float64(1+tt.replicas) {
				t.Errorf("%v nodes, want %d", got, 1+tt.replicas)
			}
			for _, flag := range []string{"multiAzEnabled", "automaticFailoverEnabled", "atRestEncryptionEnabled", "transitEncryptionEnabled"} {
				if !stackstest.Bool(g, flag) {
					t.Errorf("%s is not true", flag)
				}
			}
			if v, ok := stackstest.Get(g, "autoMinorVersionUpgrade"); !ok || v.BoolValue() {
				t.Errorf("autoMinorVersionUpgrade %v, want an explicit false (patching is owned)", v)
			}
			if got := stackstest.Str(g, "kmsKeyId"); got != stackstest.KeyARN {
				t.Errorf("kmsKeyId %q, want the region key", got)
			}
			if got := stackstest.Str(g, "engineVersion"); got != spec.DefaultCacheEngineVersion {
				t.Errorf("engine version %s", got)
			}
			if stackstest.Num(g, "snapshotRetentionLimit") < 1 {
				t.Error("no snapshots kept")
			}
			var zones []string
			for _, az := range stackstest.Strs(g, "preferredCacheClusterAzs") {
				zones = append(zones, strings.TrimPrefix(az, "eu-west-1"))
			}
			if !slices.Equal(zones, tt.zones) {
				t.Errorf("nodes in %v, want %v", zones, tt.zones)
			}
			if got := stackstest.Strs(g, "securityGroupIds"); !slices.Equal(got, []string{res.sg()}) {
				t.Errorf("security groups %v", got)
			}
			if len(res.nodeIDs) != 1+tt.replicas || res.nodeIDs[0] != "sessions-001" {
				t.Errorf("node ids %v", res.nodeIDs)
			}
			if !strings.HasPrefix(res.primary(), "master.sessions.") {
				t.Errorf("primary endpoint %q", res.primary())
			}

			sn := res.regs.Named(t, "aws:elasticache/subnetGroup:SubnetGroup", "cache-sessions-subnets")
			if got := stackstest.Strs(sn, "subnetIds"); !slices.Equal(got, isolatedSubnets[:tt.azs]) {
				t.Errorf("subnet group %v, want the isolated subnets", got)
			}
			rules := res.regs.OfType(ingressType)
			if len(rules) != 1 {
				t.Fatalf("%d ingress rules, want one per fleet", len(rules))
			}
			rule := rules[0]
			if stackstest.Str(rule, "securityGroupId") != res.sg() || stackstest.Str(rule, "referencedSecurityGroupId") != "sg-0000000000000web0" ||
				stackstest.Num(rule, "fromPort") != 6379 || stackstest.Num(rule, "toPort") != 6379 || stackstest.Str(rule, "cidrIpv4") != "" {
				t.Errorf("ingress %v, want 6379 from the web servers only", rule.Inputs)
			}
		})
	}
}

func TestNoReplicaIsAnError(t *testing.T) {
	_, err := runErr(spec.Cache{Name: "solo", Engine: "redis", NodeType: "cache.t4g.small"}, 3)
	if err == nil || !strings.Contains(err.Error(), "failover") {
		t.Fatalf("err = %v, want a replica error", err)
	}
}
