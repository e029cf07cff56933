// Package region composes one hosting region from its region file: the AWS provider
// pinned to the region and account, then the key, network, fleets, data stores,
// queues, buckets and observability, each taking the outputs of those before it.
//
// The same program runs under mocks (regionctl plan, tests) and against the real engine.
package region

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/cache"
	"github.com/regionctl/regionctl/stacks/compute"
	"github.com/regionctl/regionctl/stacks/database"
	"github.com/regionctl/regionctl/stacks/kms"
	"github.com/regionctl/regionctl/stacks/network"
	"github.com/regionctl/regionctl/stacks/observability"
	"github.com/regionctl/regionctl/stacks/queue"
	"github.com/regionctl/regionctl/stacks/storage"
)

// ManagedBy is the value of the managed-by tag on every resource.
const ManagedBy = "regionctl"

// Region is every component of one region, in the order of the region file.
type Region struct {
	// Provider is the region's only AWS provider; every resource uses it.
	Provider      *aws.Provider
	Key           *kms.Key
	Network       *network.Network
	Fleets        []*compute.Fleet
	Databases     []*database.Database
	Caches        []*cache.Cache
	Queues        []*queue.Queue
	Buckets       []*storage.Bucket
	Observability *observability.Observability
}

// Options vary the program for one operation.
type Options struct {
	// ReleaseDeletionProtection turns the load balancers' AWS deletion protection off:
	// the program of the targeted update that lets a destroy delete them.
	ReleaseDeletionProtection bool
}

// Program is the Pulumi program of a region: New, and the stack outputs people and
// other tools look up (endpoints, URLs, names).
func Program(r *spec.Region) pulumi.RunFunc {
	return ProgramWith(r, Options{})
}

// ProgramWith is Program varied by opts.
func ProgramWith(r *spec.Region, opts Options) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		reg, err := NewWith(ctx, r, opts)
		if err != nil {
			return err
		}
		reg.export(ctx, r)
		return nil
	}
}

// New creates every resource of a region. r must have passed spec loading (defaults
// applied, checks passed).
func New(ctx *pulumi.Context, r *spec.Region) (*Region, error) {
	return NewWith(ctx, r, Options{})
}

// NewWith is New varied by opts.
func NewWith(ctx *pulumi.Context, r *spec.Region, opts Options) (*Region, error) {
	if r == nil {
		return nil, errors.New("region: no region given")
	}
	if len(r.AZNames) == 0 || r.Network.FlowLogs == nil || r.Logs.RetentionDays == 0 {
		return nil, fmt.Errorf("region %s: defaults are not applied (spec.ApplyDefaults)", r.Region)
	}
	tags := DefaultTags(r)

	// One explicit provider per region: it cannot act in another account
	// (allowedAccountIds) or region, whatever credentials or AWS_REGION the shell has,
	// and it tags everything it creates.
	p, err := aws.NewProvider(ctx, "aws-"+r.Region, &aws.ProviderArgs{
		Region:            pulumi.String(r.Region),
		AllowedAccountIds: pulumi.StringArray{pulumi.String(r.AccountID)},
		DefaultTags:       &aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(tags)},
		// Checks stay on: allowedAccountIds only bites when the provider asks STS
		// which account its credentials belong to.
		SkipCredentialsValidation: pulumi.Bool(false),
		SkipRequestingAccountId:   pulumi.Bool(false),
		SkipRegionValidation:      pulumi.Bool(false),
	})
	if err != nil {
		return nil, err
	}
	use := pulumi.Provider(p)
	reg := &Region{Provider: p}

	if reg.Key, err = kms.NewKey(ctx, "kms-"+r.Region, &kms.KeyArgs{
		Region:    r.Region,
		AccountID: r.AccountID,
	}, use); err != nil {
		return nil, err
	}
	key := reg.Key.KeyARN

	if reg.Network, err = network.NewNetwork(ctx, "network-"+r.Region, &network.NetworkArgs{
		Region:           r.Region,
		AccountID:        r.AccountID,
		CIDR:             r.Network.CIDR,
		AZNames:          r.AZNames,
		NATGateways:      r.Network.NATGateways,
		FlowLogs:         *r.Network.FlowLogs,
		LogRetentionDays: r.Logs.RetentionDays,
		KMSKeyARN:        key,
		RetainData:       len(r.Databases)+len(r.Caches) > 0,
		PrivateLink:      r.Network.InterfaceEndpoints == nil || *r.Network.InterfaceEndpoints,
	}, use); err != nil {
		return nil, err
	}
	net := reg.Network

	for _, d := range r.Databases {
		db, err := database.NewDatabase(ctx, "database-"+d.Name, &database.DatabaseArgs{
			Region:           r.Region,
			AccountID:        r.AccountID,
			Database:         d,
			AZNames:          r.AZNames,
			VpcID:            net.VpcID,
			SubnetIDs:        net.IsolatedSubnetIDs,
			KMSKeyARN:        key,
			LogRetentionDays: r.Logs.RetentionDays,
		}, use)
		if err != nil {
			return nil, err
		}
		reg.Databases = append(reg.Databases, db)
	}

	for _, c := range r.Caches {
		cc, err := cache.NewCache(ctx, "cache-"+c.Name, &cache.CacheArgs{
			Cache:     c,
			AZNames:   r.AZNames,
			VpcID:     net.VpcID,
			SubnetIDs: net.IsolatedSubnetIDs,
			KMSKeyARN: key,
		}, use)
		if err != nil {
			return nil, err
		}
		reg.Caches = append(reg.Caches, cc)
	}

	for _, q := range r.Queues {
		qq, err := queue.NewQueue(ctx, "queue-"+q.Name, &queue.QueueArgs{Queue: q, KMSKeyARN: key}, use)
		if err != nil {
			return nil, err
		}
		reg.Queues = append(reg.Queues, qq)
	}

	for _, b := range r.Buckets {
		bb, err := storage.NewBucket(ctx, "storage-"+b.Name, &storage.BucketArgs{
			Region:    r.Region,
			AccountID: r.AccountID,
			Bucket:    b,
			KMSKeyARN: key,
		}, use)
		if err != nil {
			return nil, err
		}
		reg.Buckets = append(reg.Buckets, bb)
	}

	// Fleets come after the data stores: their role policies name the stores' ARNs,
	// and their servers must not start before those policies exist.
	for _, s := range r.Servers {
		f, err := compute.NewFleet(ctx, "compute-"+s.Name, &compute.FleetArgs{
			Region:           r.Region,
			AccountID:        r.AccountID,
			Server:           s,
			VpcID:            net.VpcID,
			VpcCIDR:          net.VpcCIDR,
			PublicSubnetIDs:  net.PublicSubnetIDs,
			PrivateSubnetIDs: net.PrivateSubnetIDs,
			KMSKeyARN:        key,
			InstanceTags:     tags,
			Uses:             reg.access(r, s),
			RefreshAlarms:    observability.FleetRefreshAlarms(s.Name),

			ReleaseDeletionProtection: opts.ReleaseDeletionProtection,
		}, use)
		if err != nil {
			return nil, err
		}
		reg.Fleets = append(reg.Fleets, f)
	}
	if err := reg.admit(ctx, r); err != nil {
		return nil, err
	}

	if reg.Observability, err = observability.NewObservability(ctx, "observability-"+r.Region,
		reg.watchList(r), use); err != nil {
		return nil, err
	}
	return reg, nil
}

// access is what fleet s uses, from the outputs of the stores it names.
func (reg *Region) access(r *spec.Region, s spec.Server) []compute.Access {
	var out []compute.Access
	for _, ref := range s.UsesRefs() {
		i := slices.Index(r.Names(ref.Kind), ref.Name)
		switch ref.Kind {
		case spec.KindQueue:
			out = append(out, compute.QueueAccess(ref.Name, reg.Queues[i].QueueARN))
		case spec.KindBucket:
			out = append(out, compute.BucketAccess(ref.Name, reg.Buckets[i].BucketARN))
		case spec.KindDatabase:
			d := reg.Databases[i]
			out = append(out, compute.DatabaseAccess(ref.Name, d.MasterUserSecretARN, d.SecurityGroupID, d.ListenPort))
		case spec.KindCache:
			c := reg.Caches[i]
			out = append(out, compute.CacheAccess(ref.Name, c.ARN, c.UserARN, c.SecurityGroupID, c.ListenPort))
		}
	}
	return out
}

// admit lets into each database and cache the fleets that use it, and no other.
func (reg *Region) admit(ctx *pulumi.Context, r *spec.Region) error {
	users := func(kind, name string) map[string]pulumi.StringInput {
		m := map[string]pulumi.StringInput{}
		for _, fleet := range r.UsedBy(spec.Ref{Kind: kind, Name: name}) {
			m[fleet] = reg.Fleets[slices.Index(r.Names(spec.KindFleet), fleet)].AppSecurityGroupID
		}
		return m
	}
	for i, d := range r.Databases {
		if err := reg.Databases[i].Admit(ctx, users(spec.KindDatabase, d.Name)); err != nil {
			return err
		}
	}
	for i, c := range r.Caches {
		if err := reg.Caches[i].Admit(ctx, users(spec.KindCache, c.Name)); err != nil {
			return err
		}
	}
	return nil
}

// DefaultTags are the provider's default tags: the region's own tags (cost centre, ...)
// and regionctl's, which a region file cannot override.
func DefaultTags(r *spec.Region) map[string]string {
	tags := make(map[string]string, len(r.Tags)+3)
	maps.Copy(tags, r.Tags)
	tags["region"] = r.Region
	tags["jurisdiction"] = r.Jurisdiction
	tags["managed-by"] = ManagedBy
	return tags
}

// watchList tells observability what the region contains.
func (reg *Region) watchList(r *spec.Region) *observability.ObservabilityArgs {
	args := &observability.ObservabilityArgs{
		KMSKeyARN:        reg.Key.KeyARN,
		AlarmEmail:       r.Alarms.Email,
		AlarmHTTPS:       r.Alarms.HTTPS,
		LogRetentionDays: r.Logs.RetentionDays,
	}
	for i, s := range r.Servers {
		t := observability.FleetTarget{Name: s.Name}
		if s.LoadBalancer != nil {
			t.LoadBalancerARNSuffix = reg.Fleets[i].LoadBalancerARNSuffix
			t.TargetGroupARNSuffix = reg.Fleets[i].TargetGroupARNSuffix
		}
		args.Fleets = append(args.Fleets, t)
	}
	for i, d := range r.Databases {
		args.Databases = append(args.Databases, observability.DatabaseTarget{
			Name:              d.Name,
			ClusterIdentifier: reg.Databases[i].ClusterIdentifier,
			Instances:         d.Instances,
		})
	}
	for i, c := range r.Caches {
		args.Caches = append(args.Caches, observability.CacheTarget{Name: c.Name, NodeIDs: reg.Caches[i].NodeIDs})
	}
	for i, q := range r.Queues {
		args.Queues = append(args.Queues, observability.QueueTarget{
			Name:               q.Name,
			QueueName:          reg.Queues[i].QueueName,
			DLQName:            reg.Queues[i].DLQName,
			MaxAgeAlarmSeconds: q.MaxAgeAlarmSeconds,
		})
	}
	return args
}

// export publishes the stack outputs. Maps are keyed by the names in the region file.
func (reg *Region) export(ctx *pulumi.Context, r *spec.Region) {
	albs, dbs, readers, secrets := pulumi.StringMap{}, pulumi.StringMap{}, pulumi.StringMap{}, pulumi.StringMap{}
	caches, queues, dlqs, buckets := pulumi.StringMap{}, pulumi.StringMap{}, pulumi.StringMap{}, pulumi.StringMap{}
	for i, s := range r.Servers {
		if s.LoadBalancer != nil {
			albs[s.Name] = reg.Fleets[i].LoadBalancerDNSName
		}
	}
	for i, d := range r.Databases {
		dbs[d.Name] = reg.Databases[i].Endpoint
		readers[d.Name] = reg.Databases[i].ReaderEndpoint
		secrets[d.Name] = reg.Databases[i].MasterUserSecretARN
	}
	for i, c := range r.Caches {
		caches[c.Name] = reg.Caches[i].PrimaryEndpoint
	}
	for i, q := range r.Queues {
		queues[q.Name] = reg.Queues[i].QueueURL
		dlqs[q.Name] = reg.Queues[i].DLQURL
	}
	for i, b := range r.Buckets {
		buckets[b.Name] = reg.Buckets[i].BucketName
	}

	ctx.Export("region", pulumi.String(r.Region))
	ctx.Export("kmsKeyArn", reg.Key.KeyARN)
	ctx.Export("vpcId", reg.Network.VpcID)
	ctx.Export("publicSubnetIds", reg.Network.PublicSubnetIDs)
	ctx.Export("privateSubnetIds", reg.Network.PrivateSubnetIDs)
	ctx.Export("isolatedSubnetIds", reg.Network.IsolatedSubnetIDs)
	ctx.Export("natPublicIps", reg.Network.NATPublicIPs)
	ctx.Export("albDnsNames", albs)
	ctx.Export("databaseEndpoints", dbs)
	ctx.Export("databaseReaderEndpoints", readers)
	ctx.Export("databaseSecretArns", secrets)
	ctx.Export("cacheEndpoints", caches)
	ctx.Export("queueUrls", queues)
	ctx.Export("deadLetterQueueUrls", dlqs)
	ctx.Export("bucketNames", buckets)
	ctx.Export("alarmTopicArn", reg.Observability.AlarmTopicARN)
}
