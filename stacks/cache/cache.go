// Package cache is an ElastiCache Redis replication group: a primary and replicas in
// different availability zones of the isolated subnets, automatic failover, and
// encryption at rest (region key) and in transit.
package cache

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/elasticache"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/stacks/internal/entry"

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
	// ARN is the replication group's; UserARN is the IAM-authenticated user servers
	// connect as. elasticache:Connect on both lets a role in.
	ARN     pulumi.StringOutput
	UserARN pulumi.StringOutput
	// UserID is the user servers connect as (AUTH or HELLO with an IAM token).
	UserID string
	// ListenPort is the port, known before deployment: fleets open it.
	ListenPort int
	// NodeIDs are the member clusters (<id>-001, ...): the CloudWatch dimension of
	// the engine metrics. Known before deployment, so alarms can be planned per node.
	NodeIDs []string

	name string
}

// NewCache creates a Redis replication group.
func NewCache(ctx *pulumi.Context, name string, args *CacheArgs, opts ...pulumi.ResourceOption) (*Cache, error) {
	if err := args.check(); err != nil {
		return nil, fmt.Errorf("cache %s: %w", name, err)
	}
	c := &Cache{}
	if err := entry.Register(ctx, "regionctl:stacks:Cache", name, spec.Ref{Kind: spec.KindCache, Name: args.Cache.Name}, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)
	rg := args.Cache

	sg, err := sgrule.DataStoreGroup(ctx, name, args.VpcID, "Redis "+rg.Name+": servers only", parent)
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

	users, err := iamUsers(ctx, name, rg.Name, parent)
	if err != nil {
		return nil, err
	}

	nodes := 1 + rg.Replicas
	azs := make(pulumi.StringArray, nodes)
	c.NodeIDs = make([]string, nodes)
	for i := range nodes {
		azs[i] = pulumi.String(args.AZNames[i%len(args.AZNames)])
		// AWS names the nodes of a cluster-mode-disabled group <id>-001, <id>-002, ...
		c.NodeIDs[i] = fmt.Sprintf("%s-%03d", rg.Identifier, i+1)
	}
	group, err := elasticache.NewReplicationGroup(ctx, name+"-redis", &elasticache.ReplicationGroupArgs{
		// See database: a replacement needs a new identifier (the old group is retained).
		ReplicationGroupId: pulumi.String(rg.Identifier),
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
		// Only the group's users get in: the fleets' roles through IAM, nobody by password.
		UserGroupIds: pulumi.StringArray{users.group.UserGroupId},

		AtRestEncryptionEnabled:  pulumi.Bool(true),
		KmsKeyId:                 args.KMSKeyARN,
		TransitEncryptionEnabled: pulumi.Bool(true),

		SnapshotRetentionLimit:  pulumi.Int(7),
		SnapshotWindow:          pulumi.String("03:00-04:00"),
		MaintenanceWindow:       pulumi.String("sun:05:00-sun:06:00"),
		FinalSnapshotIdentifier: pulumi.String(rg.Identifier + "-final"),
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
	c.ARN, c.UserARN, c.UserID = group.Arn, users.app.Arn, appUserID(rg.Name)
	c.ListenPort, c.name = redisPort, name
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"replicationGroupId": c.ReplicationGroupID,
		"primaryEndpoint":    c.PrimaryEndpoint,
		"readerEndpoint":     c.ReaderEndpoint,
		"port":               c.Port,
		"securityGroupId":    c.SecurityGroupID,
	})
}

// Admit lets the servers of the fleets that use the cache (their security group ids,
// by fleet name) reach it on its port: <name>-from-<fleet>.
func (c *Cache) Admit(ctx *pulumi.Context, appGroups map[string]pulumi.StringInput) error {
	return sgrule.Admit(ctx, c.name, c.SecurityGroupID, appGroups, c.ListenPort, pulumi.Parent(c))
}

// appUserID is the user servers connect as. IAM-authenticated users need the same
// user id and user name (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html).
func appUserID(cache string) string { return cache + "-app" }

type cacheUsers struct {
	app   *elasticache.User
	group *elasticache.UserGroup
}

// iamUsers is the cache's role-based access control: a user group of the servers'
// IAM-authenticated user and a disabled default user. Redis OSS 7 and later accept
// IAM tokens (with in-transit encryption on), so no AUTH token or password exists to
// leak from the state, a region file or a secret store. A user group must contain a
// user named "default" (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html);
// switching it off keeps unauthenticated connections out.
func iamUsers(ctx *pulumi.Context, name, cache string, parent pulumi.ResourceOption) (*cacheUsers, error) {
	def, err := elasticache.NewUser(ctx, name+"-default-user", &elasticache.UserArgs{
		UserId:             pulumi.String(cache + "-default"),
		UserName:           pulumi.String("default"),
		Engine:             pulumi.String("redis"),
		AccessString:       pulumi.String("off -@all"),
		AuthenticationMode: &elasticache.UserAuthenticationModeArgs{Type: pulumi.String("no-password-required")},
	}, parent)
	if err != nil {
		return nil, err
	}
	app, err := elasticache.NewUser(ctx, name+"-app-user", &elasticache.UserArgs{
		UserId:             pulumi.String(appUserID(cache)),
		UserName:           pulumi.String(appUserID(cache)),
		Engine:             pulumi.String("redis"),
		AccessString:       pulumi.String("on ~* +@all"),
		AuthenticationMode: &elasticache.UserAuthenticationModeArgs{Type: pulumi.String("iam")},
	}, parent)
	if err != nil {
		return nil, err
	}
	group, err := elasticache.NewUserGroup(ctx, name+"-users", &elasticache.UserGroupArgs{
		UserGroupId: pulumi.String(cache + "-users"),
		Engine:      pulumi.String("redis"),
		UserIds:     pulumi.StringArray{def.UserId, app.UserId},
	}, parent)
	if err != nil {
		return nil, err
	}
	return &cacheUsers{app: app, group: group}, nil
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
	case a.Cache.EngineVersion == "" || a.Cache.Identifier == "":
		return errors.New("cache defaults are not applied (spec.ApplyDefaults)")
	}
	return nil
}
