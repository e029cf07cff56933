package database_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/database"
	"github.com/regionctl/regionctl/stacks/internal/stackstest"
)

const (
	clusterType  = "aws:rds/cluster:Cluster"
	instanceType = "aws:rds/clusterInstance:ClusterInstance"
	ingressType  = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
)

var (
	isolatedSubnets = stackstest.SubnetIDs("isolated", 3)
	appSGs          = map[string]string{"web": "sg-0000000000000web0", "worker": "sg-000000000worker0"}
)

func mysql(instances int) spec.Database {
	return spec.Database{
		Name: "main", Engine: "aurora-mysql", EngineVersion: "8.0.mysql_aurora.3.10.3",
		InstanceClass: "db.r6g.xlarge", Instances: instances,
	}
}

func postgres() spec.Database {
	return spec.Database{
		Name: "ledger", Engine: "aurora-postgresql", EngineVersion: "16.10",
		InstanceClass: "db.r6g.large", Instances: 2, BackupRetentionDays: 35,
	}
}

type result struct {
	regs      stackstest.Registrations
	sg        func() string
	endpoint  func() string
	secretARN func() string
}

func run(t *testing.T, d spec.Database, azs int) result {
	t.Helper()
	res, err := runErr(d, azs)
	if err != nil {
		t.Fatalf("program failed: %v", err)
	}
	stackstest.CheckInvariants(t, res.regs)
	return res
}

func runErr(d spec.Database, azs int) (result, error) {
	r := stackstest.Region(func(r *spec.Region) {
		r.Network.AZs = spec.AZs{Count: azs}
		r.Databases = []spec.Database{d}
	})
	var res result
	var err error
	res.regs, err = stackstest.RunErr(r, func(ctx *pulumi.Context, p pulumi.ResourceOption) error {
		clients := map[string]pulumi.StringInput{}
		for fleet, sg := range appSGs {
			clients[fleet] = pulumi.String(sg)
		}
		db, err := database.NewDatabase(ctx, "database-"+d.Name, &database.DatabaseArgs{
			Region:           r.Region,
			AccountID:        r.AccountID,
			Database:         r.Databases[0],
			AZNames:          r.AZNames,
			VpcID:            pulumi.String(stackstest.VpcID),
			SubnetIDs:        pulumi.ToStringArray(isolatedSubnets[:azs]),
			KMSKeyARN:        pulumi.String(stackstest.KeyARN),
			LogRetentionDays: r.Logs.RetentionDays,
		}, p)
		if err != nil {
			return err
		}
		if err := db.Admit(ctx, clients); err != nil {
			return err
		}
		res.sg = stackstest.Capture[string](db.SecurityGroupID)
		res.endpoint = stackstest.Capture[string](db.Endpoint)
		res.secretARN = stackstest.Capture[string](db.MasterUserSecretARN)
		return nil
	})
	return res, err
}

func TestCluster(t *testing.T) {
	tests := []struct {
		db      spec.Database
		family  string
		exports []string
		port    float64
	}{
		{mysql(2), "aurora-mysql8.0", []string{"audit", "error", "general", "slowquery"}, 3306},
		{postgres(), "aurora-postgresql16", []string{"postgresql"}, 5432},
	}
	for _, tt := range tests {
		t.Run(tt.db.Engine, func(t *testing.T) {
			res := run(t, tt.db, 3)
			c := res.regs.Named(t, clusterType, "database-"+tt.db.Name+"-cluster")

			wantStr := map[string]string{
				"clusterIdentifier":        tt.db.Name,
				"engine":                   tt.db.Engine,
				"engineVersion":            tt.db.EngineVersion,
				"kmsKeyId":                 stackstest.KeyARN,
				"masterUserSecretKmsKeyId": stackstest.KeyARN,
				"finalSnapshotIdentifier":  tt.db.Name + "-final",
				"preferredBackupWindow":    spec.DefaultBackupWindow,
				"dbSubnetGroupName":        tt.db.Name + "-subnets",
			}
			for path, want := range wantStr {
				if got := stackstest.Str(c, path); got != want {
					t.Errorf("%s = %q, want %q", path, got, want)
				}
			}
			for _, path := range []string{"storageEncrypted", "manageMasterUserPassword", "deletionProtection",
				"copyTagsToSnapshot", "iamDatabaseAuthenticationEnabled"} {
				if !stackstest.Bool(c, path) {
					t.Errorf("%s is not true", path)
				}
			}
			if v, ok := stackstest.Get(c, "skipFinalSnapshot"); !ok || v.BoolValue() {
				t.Errorf("skipFinalSnapshot = %v, want an explicit false", v)
			}
			if _, ok := stackstest.Get(c, "masterPassword"); ok {
				t.Error("a master password is in the program")
			}
			retention := tt.db.BackupRetentionDays
			if retention == 0 {
				retention = spec.DefaultBackupRetentionDays
			}
			if got := stackstest.Num(c, "backupRetentionPeriod"); got != float64(retention) {
				t.Errorf("backup retention %v, want %d", got, retention)
			}
			if got := stackstest.Strs(c, "enabledCloudwatchLogsExports"); !slices.Equal(got, tt.exports) {
				t.Errorf("log exports %v, want %v", got, tt.exports)
			}
			if got := stackstest.Strs(c, "vpcSecurityGroupIds"); !slices.Equal(got, []string{res.sg()}) {
				t.Errorf("security groups %v", got)
			}
			for _, export := range tt.exports {
				g := res.regs.Named(t, "aws:cloudwatch/logGroup:LogGroup", "database-"+tt.db.Name+"-log-"+export)
				if stackstest.Str(g, "name") != "/aws/rds/cluster/"+tt.db.Name+"/"+export || stackstest.Str(g, "kmsKeyId") != stackstest.KeyARN {
					t.Errorf("log group %s key %s", stackstest.Str(g, "name"), stackstest.Str(g, "kmsKeyId"))
				}
			}

			pg := res.regs.Named(t, "aws:rds/clusterParameterGroup:ClusterParameterGroup", "database-"+tt.db.Name+"-params")
			if got := stackstest.Str(pg, "family"); got != tt.family {
				t.Errorf("parameter group family %s, want %s", got, tt.family)
			}
			// A major upgrade changes the family, which replaces the group: the new one
			// must get a name of its own while the cluster still uses the old one.
			if got, want := stackstest.Str(pg, "name"), tt.db.Name+"-params-"+strings.ReplaceAll(tt.family, ".", ""); got != want {
				t.Errorf("parameter group name %s, want %s (named after its family)", got, want)
			}
			sn := res.regs.Named(t, "aws:rds/subnetGroup:SubnetGroup", "database-"+tt.db.Name+"-subnets")
			if got := stackstest.Strs(sn, "subnetIds"); !slices.Equal(got, isolatedSubnets) {
				t.Errorf("subnet group %v, want the isolated subnets", got)
			}

			rules := res.regs.OfType(ingressType)
			if len(rules) != len(appSGs) {
				t.Errorf("%d ingress rules, want one per fleet", len(rules))
			}
			admitted := []string{}
			for _, rule := range rules {
				if stackstest.Str(rule, "securityGroupId") != res.sg() || stackstest.Str(rule, "cidrIpv4") != "" ||
					stackstest.Num(rule, "fromPort") != tt.port || stackstest.Num(rule, "toPort") != tt.port {
					t.Errorf("%s: not a %v rule from a security group", rule.Name, tt.port)
				}
				admitted = append(admitted, stackstest.Str(rule, "referencedSecurityGroupId"))
			}
			slices.Sort(admitted)
			if want := slices.Sorted(maps.Values(appSGs)); !slices.Equal(admitted, want) {
				t.Errorf("admits %v, want the app groups %v", admitted, want)
			}
			if !strings.Contains(res.endpoint(), ".cluster-") || !strings.HasPrefix(res.secretARN(), "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-") {
				t.Errorf("endpoint %q secret %q", res.endpoint(), res.secretARN())
			}
		})
	}
}

func TestInstancesSpreadAcrossAZs(t *testing.T) {
	tests := []struct {
		instances, azs int
		want           []string
	}{
		{2, 3, []string{"a", "b"}},
		{3, 3, []string{"a", "b", "c"}},
		{4, 3, []string{"a", "b", "c", "a"}},
		{3, 2, []string{"a", "b", "a"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d over %d", tt.instances, tt.azs), func(t *testing.T) {
			res := run(t, mysql(tt.instances), tt.azs)
			if got := len(res.regs.OfType(instanceType)); got != tt.instances {
				t.Fatalf("%d instances, want %d", got, tt.instances)
			}
			for i, az := range tt.want {
				inst := res.regs.Named(t, instanceType, fmt.Sprintf("database-main-%d", i+1))
				if got := stackstest.Str(inst, "identifier"); got != fmt.Sprintf("main-%d", i+1) {
					t.Errorf("identifier %s", got)
				}
				if got := stackstest.Str(inst, "availabilityZone"); got != "eu-west-1"+az {
					t.Errorf("instance %d in %s, want eu-west-1%s", i+1, got, az)
				}
				if got := stackstest.Str(inst, "clusterIdentifier"); got != "main" {
					t.Errorf("instance %d in cluster %q", i+1, got)
				}
				if v, ok := stackstest.Get(inst, "publiclyAccessible"); !ok || v.BoolValue() {
					t.Errorf("instance %d: publiclyAccessible %v, want an explicit false", i+1, v)
				}
				if !stackstest.Bool(inst, "performanceInsightsEnabled") || stackstest.Str(inst, "performanceInsightsKmsKeyId") != stackstest.KeyARN {
					t.Errorf("instance %d: Performance Insights off or not with the region key", i+1)
				}
				if stackstest.Num(inst, "monitoringInterval") <= 0 || !strings.HasPrefix(stackstest.Str(inst, "monitoringRoleArn"), "arn:aws:iam::123456789012:role/") {
					t.Errorf("instance %d: enhanced monitoring off", i+1)
				}
				if v, ok := stackstest.Get(inst, "autoMinorVersionUpgrade"); !ok || v.BoolValue() {
					t.Errorf("instance %d: autoMinorVersionUpgrade %v, want an explicit false (patching is owned)", i+1, v)
				}
			}
		})
	}
}

func TestBadDatabase(t *testing.T) {
	tests := map[string]spec.Database{
		"unknown engine":   {Name: "x", Engine: "mysql", EngineVersion: "8.0.35", InstanceClass: "db.r6g.large", Instances: 2},
		"no instances":     {Name: "x", Engine: "aurora-mysql", EngineVersion: "8.0.mysql_aurora.3.10.3", InstanceClass: "db.r6g.large"},
		"version unparsed": {Name: "x", Engine: "aurora-mysql", EngineVersion: "8", InstanceClass: "db.r6g.large", Instances: 2},
	}
	for name, d := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := runErr(d, 3); err == nil || !strings.Contains(err.Error(), "database database-x: ") {
				t.Errorf("err = %v, want a database error", err)
			}
		})
	}
}
