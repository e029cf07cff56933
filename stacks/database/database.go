// Package database is an Aurora cluster: a writer and readers spread across the
// availability zones of the isolated subnets, encrypted with the region key, with its
// master password kept by RDS in Secrets Manager so no password ever enters the
// program, its state or a region file.
package database

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/stacks/internal/entry"

	"github.com/regionctl/regionctl/internal/awsmodel/awsarn"
	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/internal/policydoc"
	"github.com/regionctl/regionctl/stacks/internal/sgrule"
)

// DatabaseArgs configures one Aurora cluster.
type DatabaseArgs struct {
	// Region and AccountID name the monitoring role, which is global.
	Region    string
	AccountID string
	// Database is the cluster as the region file describes it, defaults applied.
	Database spec.Database
	// AZNames are the zones the instances are spread over, round-robin.
	AZNames []string

	VpcID pulumi.StringInput
	// SubnetIDs are the isolated subnets.
	SubnetIDs pulumi.StringArrayInput
	// KMSKeyARN encrypts storage, the master secret, Performance Insights and logs.
	KMSKeyARN pulumi.StringInput
	// LogRetentionDays is the retention of the exported database logs.
	LogRetentionDays int
}

// Database is an Aurora cluster and its instances.
type Database struct {
	pulumi.ResourceState

	ClusterIdentifier pulumi.StringOutput
	ClusterARN        pulumi.StringOutput
	// Endpoint is the writer; ReaderEndpoint balances over the readers.
	Endpoint       pulumi.StringOutput
	ReaderEndpoint pulumi.StringOutput
	Port           pulumi.IntOutput
	// MasterUserSecretARN is the Secrets Manager secret RDS keeps the password in.
	MasterUserSecretARN pulumi.StringOutput
	SecurityGroupID     pulumi.StringOutput
	// ListenPort is the engine's port, known before deployment: fleets open it.
	ListenPort int
	// InstanceIdentifiers are <name>-1 .. <name>-N.
	InstanceIdentifiers []string

	name string
}

// NewDatabase creates an Aurora cluster.
func NewDatabase(ctx *pulumi.Context, name string, args *DatabaseArgs, opts ...pulumi.ResourceOption) (*Database, error) {
	if err := args.check(); err != nil {
		return nil, fmt.Errorf("database %s: %w", name, err)
	}
	e, err := engineOf(args.Database.Engine, args.Database.EngineVersion)
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", name, err)
	}
	d := &Database{}
	if err := entry.Register(ctx, "regionctl:stacks:Database", name, spec.Ref{Kind: spec.KindDatabase, Name: args.Database.Name}, d, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(d)
	db := args.Database
	// Deleting or replacing a database (or letting `destroy` take it) loses data: the
	// engine refuses while protected, and a removal leaves the cluster in place.
	keep := []pulumi.ResourceOption{parent, pulumi.Protect(true), pulumi.RetainOnDelete(true)}
	// What the retained cluster keeps using stays with it: AWS refuses to delete a
	// subnet group or parameter group in use, RDS would recreate the log groups
	// unencrypted and Enhanced Monitoring would lose its role.
	needed := []pulumi.ResourceOption{parent, pulumi.RetainOnDelete(true)}

	sg, err := sgrule.DataStoreGroup(ctx, name, args.VpcID, "Aurora cluster "+db.Name+": servers only", parent)
	if err != nil {
		return nil, err
	}

	subnets, err := rds.NewSubnetGroup(ctx, name+"-subnets", &rds.SubnetGroupArgs{
		Name:        pulumi.String(db.Name + "-subnets"),
		Description: pulumi.String("isolated subnets of Aurora cluster " + db.Name),
		SubnetIds:   args.SubnetIDs,
	}, needed...)
	if err != nil {
		return nil, err
	}
	params, err := rds.NewClusterParameterGroup(ctx, name+"-params", &rds.ClusterParameterGroupArgs{
		// The family follows the major version, and a new family replaces the group:
		// the name carries the family so the new group is created while the cluster
		// still uses the old one (AWS refuses to delete a group in use).
		Name:        pulumi.String(db.Name + "-params-" + strings.ReplaceAll(e.family, ".", "")),
		Family:      pulumi.String(e.family),
		Description: pulumi.String("Aurora cluster " + db.Name + ": TLS only, audit and slow query logs"),
		Parameters:  e.parameters,
	}, needed...)
	if err != nil {
		return nil, err
	}
	monitoring, monitoringPolicy, err := monitoringRole(ctx, name, args, needed...)
	if err != nil {
		return nil, err
	}

	// RDS would create the export log groups itself, unencrypted and kept forever;
	// creating them first gives them the region key and retention.
	logGroups := make([]pulumi.Resource, 0, len(e.logExports))
	for _, export := range e.logExports {
		g, err := cloudwatch.NewLogGroup(ctx, name+"-log-"+export, &cloudwatch.LogGroupArgs{
			Name:            pulumi.String("/aws/rds/cluster/" + db.Identifier + "/" + export),
			RetentionInDays: pulumi.Int(args.LogRetentionDays),
			KmsKeyId:        args.KMSKeyARN,
		}, needed...)
		if err != nil {
			return nil, err
		}
		logGroups = append(logGroups, g)
	}

	cluster, err := rds.NewCluster(ctx, name+"-cluster", &rds.ClusterArgs{
		// The identifier is the file's to change: a replacement keeps the old cluster
		// (retained) under the old one, so only a new identifier lets it finish.
		ClusterIdentifier:           pulumi.String(db.Identifier),
		Engine:                      pulumi.String(db.Engine),
		EngineVersion:               pulumi.String(db.EngineVersion),
		EngineMode:                  pulumi.String("provisioned"),
		Port:                        pulumi.Int(e.port),
		DbSubnetGroupName:           subnets.Name,
		DbClusterParameterGroupName: params.Name,
		VpcSecurityGroupIds:         pulumi.StringArray{sg.ID().ToStringOutput()},

		MasterUsername: pulumi.String("dbadmin"),
		// RDS generates and rotates the password in Secrets Manager, encrypted with the
		// region key; it is never in the program or the state.
		ManageMasterUserPassword:         pulumi.Bool(true),
		MasterUserSecretKmsKeyId:         args.KMSKeyARN,
		IamDatabaseAuthenticationEnabled: pulumi.Bool(true),

		StorageEncrypted: pulumi.Bool(true),
		KmsKeyId:         args.KMSKeyARN,

		DeletionProtection:         pulumi.Bool(true),
		BackupRetentionPeriod:      pulumi.Int(db.BackupRetentionDays),
		PreferredBackupWindow:      pulumi.String(db.BackupWindow),
		PreferredMaintenanceWindow: pulumi.String(db.MaintenanceWindow),
		CopyTagsToSnapshot:         pulumi.Bool(true),
		SkipFinalSnapshot:          pulumi.Bool(false),
		FinalSnapshotIdentifier:    pulumi.String(db.Identifier + "-final"),
		// Changes wait for the maintenance window instead of restarting at deploy time.
		ApplyImmediately: pulumi.Bool(false),

		EnabledCloudwatchLogsExports: pulumi.ToStringArray(e.logExports),
	}, append(keep, pulumi.DependsOn(logGroups))...)
	if err != nil {
		return nil, err
	}

	d.InstanceIdentifiers = make([]string, db.Instances)
	for i := range db.Instances {
		id := db.Identifier + "-" + strconv.Itoa(i+1)
		d.InstanceIdentifiers[i] = id
		if _, err := rds.NewClusterInstance(ctx, name+"-"+strconv.Itoa(i+1), &rds.ClusterInstanceArgs{
			Identifier:        pulumi.String(id),
			ClusterIdentifier: cluster.ID().ToStringOutput(),
			Engine:            pulumi.String(db.Engine),
			InstanceClass:     pulumi.String(db.InstanceClass),
			// One instance per zone before any zone gets a second: losing a zone leaves
			// a reader to promote.
			AvailabilityZone:   pulumi.String(args.AZNames[i%len(args.AZNames)]),
			DbSubnetGroupName:  subnets.Name,
			PubliclyAccessible: pulumi.Bool(false),
			// The first instance is the preferred writer; the others fail over in order.
			PromotionTier:                      pulumi.Int(min(i, 15)),
			PerformanceInsightsEnabled:         pulumi.Bool(true),
			PerformanceInsightsKmsKeyId:        args.KMSKeyARN,
			PerformanceInsightsRetentionPeriod: pulumi.Int(7),
			MonitoringInterval:                 pulumi.Int(60),
			MonitoringRoleArn:                  monitoring.Arn,
			// Patching is owned, not automatic: AWS upgrading the minor behind the pinned
			// engineVersion makes the next up a downgrade, which AWS refuses (README:
			// Engine versions and patching).
			AutoMinorVersionUpgrade:    pulumi.Bool(false),
			PreferredMaintenanceWindow: pulumi.String(db.MaintenanceWindow),
			CopyTagsToSnapshot:         pulumi.Bool(true),
			ApplyImmediately:           pulumi.Bool(false),
		}, append(keep, pulumi.DependsOn([]pulumi.Resource{monitoringPolicy}))...); err != nil {
			return nil, err
		}
	}

	d.ClusterIdentifier = cluster.ClusterIdentifier
	d.ClusterARN = cluster.Arn
	d.Endpoint = cluster.Endpoint
	d.ReaderEndpoint = cluster.ReaderEndpoint
	d.Port = cluster.Port
	// No secret until the cluster exists: an up targeted at an earlier stage (network)
	// leaves the cluster uncreated and its outputs empty, and must not stop on it.
	d.MasterUserSecretARN = cluster.MasterUserSecrets.ApplyT(func(secrets []rds.ClusterMasterUserSecret) string {
		if len(secrets) == 0 || secrets[0].SecretArn == nil {
			return ""
		}
		return *secrets[0].SecretArn
	}).(pulumi.StringOutput)
	d.SecurityGroupID = sg.ID().ToStringOutput()
	d.ListenPort, d.name = e.port, name
	return d, ctx.RegisterResourceOutputs(d, pulumi.Map{
		"clusterIdentifier":   d.ClusterIdentifier,
		"endpoint":            d.Endpoint,
		"readerEndpoint":      d.ReaderEndpoint,
		"port":                d.Port,
		"masterUserSecretArn": d.MasterUserSecretARN,
		"securityGroupId":     d.SecurityGroupID,
	})
}

// Admit lets the servers of the fleets that use the database (their security group
// ids, by fleet name) reach it on its port: <name>-from-<fleet>.
func (d *Database) Admit(ctx *pulumi.Context, appGroups map[string]pulumi.StringInput) error {
	return sgrule.Admit(ctx, d.name, d.SecurityGroupID, appGroups, d.ListenPort, pulumi.Parent(d))
}

func (a *DatabaseArgs) check() error {
	switch {
	case a == nil:
		return errors.New("arguments are required")
	case a.Region == "" || a.AccountID == "":
		return errors.New("region and account id are required")
	case a.VpcID == nil || a.SubnetIDs == nil || a.KMSKeyARN == nil:
		return errors.New("VPC, subnets and KMS key are required")
	case len(a.AZNames) == 0:
		return errors.New("at least one availability zone is required")
	case a.Database.Instances < 1:
		return fmt.Errorf("instances %d: at least one is required", a.Database.Instances)
	case a.Database.Identifier == "" || a.Database.BackupRetentionDays == 0 || a.Database.BackupWindow == "" || a.Database.MaintenanceWindow == "":
		return errors.New("database defaults are not applied (spec.ApplyDefaults)")
	case a.LogRetentionDays <= 0:
		return errors.New("a log retention is required")
	case len(monitoringRoleName(a.Region, a.Database.Name)) > 64:
		return fmt.Errorf("database name %q is too long for the IAM role name %s (max 64)",
			a.Database.Name, monitoringRoleName(a.Region, a.Database.Name))
	}
	return nil
}

// monitoringRoleName names the Enhanced Monitoring role. IAM is global: the region
// keeps regions of one account apart, "rds-" keeps databases apart from the region's
// other roles.
func monitoringRoleName(region, database string) string {
	return "regionctl-" + region + "-rds-" + database
}

// monitoringRole lets RDS Enhanced Monitoring publish OS metrics of the instances. RDS
// checks the role when an instance is created, so instances wait for the attachment.
func monitoringRole(ctx *pulumi.Context, name string, args *DatabaseArgs, opts ...pulumi.ResourceOption) (*iam.Role, pulumi.Resource, error) {
	role, err := iam.NewRole(ctx, name+"-monitoring", &iam.RoleArgs{
		Name:             pulumi.String(monitoringRoleName(args.Region, args.Database.Name)),
		Description:      pulumi.String("RDS Enhanced Monitoring of Aurora cluster " + args.Database.Name),
		AssumeRolePolicy: pulumi.String(policydoc.AssumeRoleUnconditional("monitoring.rds.amazonaws.com").MustJSON()),
	}, opts...)
	if err != nil {
		return nil, nil, err
	}
	attachment, err := iam.NewRolePolicyAttachment(ctx, name+"-monitoring", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.String(awsarn.ManagedPolicy(args.Region, "service-role/AmazonRDSEnhancedMonitoringRole")),
	}, opts...)
	if err != nil {
		return nil, nil, err
	}
	return role, attachment, nil
}
