// Package cache is an ElastiCache Redis replication group: a primary and replicas in
// different availability zones of the isolated subnets, automatic failover, and
// encryption at rest (region key) and in transit.
package cache

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/internal/sgrule"
)

// redisPort is the only port the cache listens on.
const redisPort = 6379

// CacheArgs configures one Redis replication group.
type CacheArgs struct {
	// Cache is the replication group as the region file describes it, defaults applied.
	Cache spec.Cache
	// AZNames spread the nodes: the primary in the first, replicas in the next ones.
	AZNames []string

	VpcID pulumi.StringInput
	// SubnetIDs are the isolated subnets.
	SubnetIDs pulumi.StringArrayInput
	// AppSecurityGroups are the only security groups admitted, by fleet name.
	AppSecurityGroups map[string]pulumi.StringInput
	// KMSKeyARN encrypts the data at rest and the snapshots.
	KMSKeyARN pulumi.StringInput
}

// Cache is a Redis replication group.
type Cache struct {
	pulumi.ResourceState

	ReplicationGroupID pulumi.StringOutput
	// PrimaryEndpoint takes writes and follows failover; ReaderEndpoint spreads reads.
	PrimaryEndpoint pulumi.StringOutput
	ReaderEndpoint  pulumi.StringOutput
	Port            pulumi.IntOutput
	SecurityGroupID pulumi.StringOutput
	// NodeIDs are the member clusters (<id>-001, ...): the CloudWatch dimension of
	// the engine metrics. Known before deployment, so alarms can be planned per node.
	NodeIDs []string
}

// NewCache creates a Redis replication group.
func NewCache(ctx *pulumi.Context, name string, args *CacheArgs, opts ...pulumi.ResourceOption) (*Cache, error) {
	if err := args.check(); err != nil {
		return nil, fmt.Errorf("cache %s: %w", name, err)
	}
	c := &Cache{}
	if err := ctx.RegisterComponentResource("regionctl:stacks:Cache", name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	rg := args.Cache

	sg, err := sgrule.DataStoreGroup(ctx, name, args.VpcID, "Redis "+rg.Name+": servers only", args.AppSecurityGroups, redisPort, parent)
	if err != nil {
		return nil, err
	}

	subnets, err := elasticache.NewSubnetGroup(ctx, name+"-subnets", &elasticache.SubnetGroupArgs{
		Name:        pulumi.String(rg.Name + "-subnets"),
		Description: pulumi.String("isolated subnets of Redis " + rg.Name),
		SubnetIds:   args.SubnetIDs,
		// The retained replication group keeps using it (CacheSubnetGroupInUse).
	}, parent, pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, err
	}

	nodes := 1 + rg.Replicas
	azs := make(pulumi.StringArray, nodes)
	c.NodeIDs = make([]string, nodes)
	for i := range nodes {
		azs[i] = pulumi.String(args.AZNames[i%len(args.AZNames)])
		// AWS names the nodes of a cluster-mode-disabled group <id>-001, <id>-002, ...
		c.NodeIDs[i] = fmt.Sprintf("%s-%03d", rg.Name, i+1)
	}
	group, err := elasticache.NewReplicationGroup(ctx, name+"-redis", &elasticache.ReplicationGroupArgs{
		ReplicationGroupId: pulumi.String(rg.Name),
		Description:        pulumi.String("regionctl Redis " + rg.Name),
		Engine:             pulumi.String("redis"),
		EngineVersion:      pulumi.String(rg.EngineVersion),
		NodeType:           pulumi.String(rg.NodeType),
		Port:               pulumi.Int(redisPort),
		NumCacheClusters:   pulumi.Int(nodes),
		// Each node in its own zone (while zones last): a zone outage promotes a
		// replica elsewhere instead of losing the primary and its replica together.
		PreferredCacheClusterAzs: azs,
		MultiAzEnabled:           pulumi.Bool(true),
		AutomaticFailoverEnabled: pulumi.Bool(true),
		SubnetGroupName:          subnets.Name,
		SecurityGroupIds:         pulumi.StringArray{sg.ID().ToStringOutput()},

		AtRestEncryptionEnabled:  pulumi.Bool(true),
		KmsKeyId:                 args.KMSKeyARN,
		TransitEncryptionEnabled: pulumi.Bool(true),

		SnapshotRetentionLimit:  pulumi.Int(7),
		SnapshotWindow:          pulumi.String("03:00-04:00"),
		MaintenanceWindow:       pulumi.String("sun:05:00-sun:06:00"),
		FinalSnapshotIdentifier: pulumi.String(rg.Name + "-final"),
		// Owned patching, like the databases (README: Engine versions and patching).
		AutoMinorVersionUpgrade: pulumi.Bool(false),
		// Changes wait for the maintenance window instead of failing over at deploy time.
		ApplyImmediately: pulumi.Bool(false),
	},
		parent,
		// Sessions and other state live here: losing the group logs every user out.
		pulumi.Protect(true), pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, err
	}

	c.ReplicationGroupID = group.ReplicationGroupId
	c.PrimaryEndpoint = group.PrimaryEndpointAddress
	c.ReaderEndpoint = group.ReaderEndpointAddress
	c.Port = group.Port.Elem()
	c.SecurityGroupID = sg.ID().ToStringOutput()
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"replicationGroupId": c.ReplicationGroupID,
		"primaryEndpoint":    c.PrimaryEndpoint,
		"readerEndpoint":     c.ReaderEndpoint,
		"port":               c.Port,
		"securityGroupId":    c.SecurityGroupID,
	})
}

func (a *CacheArgs) check() error {
	switch {
	case a == nil:
		return errors.New("arguments are required")
	case a.VpcID == nil || a.SubnetIDs == nil || a.KMSKeyARN == nil:
		return errors.New("VPC, subnets and KMS key are required")
	case len(a.AZNames) == 0:
		return errors.New("at least one availability zone is required")
	case a.Cache.Replicas < 1:
		// Multi-AZ and automatic failover need a replica to fail over to.
		return fmt.Errorf("replicas %d: at least one is required for failover", a.Cache.Replicas)
	case a.Cache.EngineVersion == "":
		return errors.New("cache defaults are not applied (spec.ApplyDefaults)")
	}
	return nil
}
