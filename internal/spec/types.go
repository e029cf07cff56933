// Package spec is the region-file contract: the typed form of regions/<id>.yaml,
// its strict loading with file:line:col errors, its defaults and its semantic checks.
//
// Everything downstream (stacks, policy, reports) reads a *Region that has passed
// Load: defaults applied, every check passed. Nothing downstream re-validates.
package spec

// Region is one hosting region: the whole content of regions/<id>.yaml.
type Region struct {
	// Region is the AWS region id; it must equal the file name.
	Region string `yaml:"region" json:"region" desc:"AWS region id, equal to the file name (eu-west-1)"`
	// Jurisdiction is a key of regions/jurisdictions.yaml; the region must be one of its regions.
	Jurisdiction string `yaml:"jurisdiction" json:"jurisdiction" desc:"residency zone, a key of regions/jurisdictions.yaml"`
	// AccountID is the only AWS account the provider will act on (allowedAccountIds).
	AccountID string `yaml:"accountId" json:"accountId" desc:"12-digit AWS account id; the provider refuses any other"`
	// MadeFrom is the region this one was scaffolded from (`regionctl new --from`): the
	// region `drift` compares it with, setting by setting.
	MadeFrom string `yaml:"madeFrom,omitempty" json:"madeFrom,omitempty" desc:"region id this region was made from (regionctl new --from); drift reports where it departs from it"`
	// Tags are added to every resource through the provider's default tags.
	Tags      map[string]string `yaml:"tags,omitempty" json:"tags,omitempty" desc:"tags on every resource (provider default tags)"`
	Network   Network           `yaml:"network" json:"network" desc:"VPC, subnets and NAT"`
	Servers   []Server          `yaml:"servers,omitempty" json:"servers,omitempty" desc:"server fleets (Auto Scaling groups)"`
	Databases []Database        `yaml:"databases,omitempty" json:"databases,omitempty" desc:"Aurora database clusters"`
	Caches    []Cache           `yaml:"caches,omitempty" json:"caches,omitempty" desc:"ElastiCache Redis replication groups"`
	Queues    []Queue           `yaml:"queues,omitempty" json:"queues,omitempty" desc:"SQS queues, each with a dead-letter queue"`
	Buckets   []Bucket          `yaml:"buckets,omitempty" json:"buckets,omitempty" desc:"S3 buckets"`
	Alarms    Alarms            `yaml:"alarms" json:"alarms" desc:"where alarms are sent"`
	// Logs sets the retention of every log group of the region.
	Logs Logs `yaml:"logs,omitempty" json:"logs,omitempty" desc:"log group settings"`
	// Features are product features/integrations switched on in this region.
	Features map[string]bool `yaml:"features,omitempty" json:"features,omitempty" desc:"product features enabled in this region"`
	// Waivers accept guardrail findings for a while, each with a reason and an expiry.
	Waivers []Waiver `yaml:"waivers,omitempty" json:"waivers,omitempty" desc:"guardrail findings accepted for a while: rule, resource, reason, expires"`
	// Allow lets a preview replace or delete the named stateful resources.
	Allow []Allowance `yaml:"allow,omitempty" json:"allow,omitempty" desc:"data stores a preview may replace or delete: replace or delete, reason, expires"`

	// AZNames is derived by Load from Network.AZs: the availability zone names to use.
	AZNames []string `yaml:"-" json:"-"`
	// Source says where the region was loaded from, for error messages.
	Source *Source `yaml:"-" json:"-"`
}

// Network is the VPC layout of a region.
type Network struct {
	// CIDR is the VPC block; it must not overlap any other region's (future peering).
	CIDR string `yaml:"cidr" json:"cidr" desc:"VPC IPv4 block, /16 to /20, not overlapping other regions"`
	// AZs is a count (2-6) or an explicit list of AZ names of this region. Default 3.
	AZs AZs `yaml:"azs,omitempty" json:"azs,omitempty" desc:"availability zones: a count (2-6) or a list of AZ names of this region"`
	// NATGateways is perAz (default, survives an AZ loss) or single (cheaper, one AZ).
	NATGateways string `yaml:"natGateways,omitempty" json:"natGateways,omitempty" desc:"perAz (default) or single" enum:"perAz,single"`
	// FlowLogs turns VPC flow logs on (default true).
	FlowLogs *bool `yaml:"flowLogs,omitempty" json:"flowLogs,omitempty" desc:"VPC flow logs to CloudWatch (default true)"`
	// InterfaceEndpoints puts interface VPC endpoints for the AWS services private
	// servers call (SSM, logs, monitoring, KMS, Secrets Manager, SQS) in the
	// private subnets (default true; billed per endpoint and AZ-hour).
	InterfaceEndpoints *bool `yaml:"interfaceEndpoints,omitempty" json:"interfaceEndpoints,omitempty" desc:"interface VPC endpoints for SSM, logs, monitoring, KMS, Secrets Manager and SQS in the private subnets (default true)"`
}

// AZs is either a count or an explicit list of availability zone names.
// Exactly one of Count and Names is set after loading.
type AZs struct {
	Count int      `yaml:"-" json:"-"`
	Names []string `yaml:"-" json:"-"`
}

// Server is a fleet of identical servers behind an Auto Scaling group.
type Server struct {
	Name         string `yaml:"name" json:"name" desc:"fleet name, lowercase letters, digits and hyphens"`
	InstanceType string `yaml:"instanceType" json:"instanceType" desc:"EC2 instance type (m6i.large)"`
	Min          int    `yaml:"min" json:"min" desc:"minimum number of servers"`
	Max          int    `yaml:"max" json:"max" desc:"maximum number of servers"`
	// Desired defaults to Min.
	Desired *int `yaml:"desired,omitempty" json:"desired,omitempty" desc:"desired number of servers (default min)"`
	// Port is the port the application listens on (default 8080).
	Port int `yaml:"port,omitempty" json:"port,omitempty" desc:"application port (default 8080)"`
	// HealthCheckPath is the load balancer's health check path (default /healthz).
	HealthCheckPath string `yaml:"healthCheckPath,omitempty" json:"healthCheckPath,omitempty" desc:"HTTP health check path (default /healthz)"`
	// AMIParameter is the SSM parameter holding the AMI id; the default is the latest
	// Amazon Linux 2023 image for the instance type's architecture.
	AMIParameter string `yaml:"amiParameter,omitempty" json:"amiParameter,omitempty" desc:"SSM parameter with the AMI id (default Amazon Linux 2023)"`
	// Image is what the fleet boots, released by changing it: an AMI id (ami-0123456789abcdef0)
	// or an SSM parameter, optionally pinned to a version (ssm:/images/web, ssm:/images/web:3).
	// It replaces amiParameter; a fleet names one or the other.
	Image string `yaml:"image,omitempty" json:"image,omitempty" desc:"AMI id (ami-...) or SSM parameter (ssm:/path or ssm:/path:VERSION) the fleet boots; instead of amiParameter"`
	// UserData is a file, relative to the region file, that the servers run at first boot.
	UserData string `yaml:"userData,omitempty" json:"userData,omitempty" desc:"file (relative to the region file) run at first boot, at most 16 KB"`
	// UserDataContent is the content of UserData, read by Load.
	UserDataContent []byte `yaml:"-" json:"-"`
	// VolumeSizeGiB is the root volume size (default 20).
	VolumeSizeGiB int `yaml:"volumeSizeGiB,omitempty" json:"volumeSizeGiB,omitempty" desc:"root EBS volume size in GiB (default 20)"`
	// LoadBalancer puts an Application Load Balancer in front of the fleet.
	LoadBalancer *LoadBalancer `yaml:"loadBalancer,omitempty" json:"loadBalancer,omitempty" desc:"an Application Load Balancer in front of the fleet"`
	// Uses are the data stores the servers reach (queue/events, database/main): the
	// fleet is granted exactly these, in IAM and in the stores' security groups.
	Uses []string `yaml:"uses,omitempty" json:"uses,omitempty" desc:"data stores the fleet may reach, and nothing else: queue/NAME, bucket/NAME, database/NAME or cache/NAME"`
}

// LoadBalancer is an ALB in front of a server fleet.
type LoadBalancer struct {
	// Public puts the ALB in the public subnets with 80/443 open to the internet.
	Public bool `yaml:"public" json:"public" desc:"internet-facing (public subnets) or internal"`
	// CertificateARN turns on an HTTPS listener (and HTTP redirects to it).
	CertificateARN string `yaml:"certificateArn,omitempty" json:"certificateArn,omitempty" desc:"ACM certificate ARN for HTTPS (same region)"`
}

// Database is an Aurora cluster: one writer and readers across AZs.
type Database struct {
	Name string `yaml:"name" json:"name" desc:"cluster name, lowercase letters, digits and hyphens"`
	// Identifier is the cluster's identifier in AWS (default Name). A replacement keeps
	// the old cluster (retained) under its identifier, so a new one needs a new one.
	Identifier string `yaml:"identifier,omitempty" json:"identifier,omitempty" desc:"cluster identifier in AWS (default: name); a replacement needs a new one, since the old cluster is kept"`
	// Engine is aurora-mysql or aurora-postgresql.
	Engine        string `yaml:"engine" json:"engine" desc:"aurora-mysql or aurora-postgresql" enum:"aurora-mysql,aurora-postgresql"`
	EngineVersion string `yaml:"engineVersion" json:"engineVersion" desc:"engine version (8.0.mysql_aurora.3.10.3)"`
	InstanceClass string `yaml:"instanceClass" json:"instanceClass" desc:"instance class (db.r6g.xlarge)"`
	// Instances is the writer plus readers; at least 2 for multi-AZ.
	Instances int `yaml:"instances" json:"instances" desc:"writer plus readers, >= 2"`
	// BackupRetentionDays defaults to 14.
	BackupRetentionDays int `yaml:"backupRetentionDays,omitempty" json:"backupRetentionDays,omitempty" desc:"automated backup retention, 1-35 days (default 14)"`
	// BackupWindow and MaintenanceWindow are UTC windows (hh:mm-hh:mm, ddd:hh:mm-ddd:hh:mm).
	BackupWindow      string `yaml:"backupWindow,omitempty" json:"backupWindow,omitempty" desc:"daily backup window, UTC hh:mm-hh:mm"`
	MaintenanceWindow string `yaml:"maintenanceWindow,omitempty" json:"maintenanceWindow,omitempty" desc:"weekly maintenance window, UTC ddd:hh:mm-ddd:hh:mm"`
}

// Cache is an ElastiCache Redis replication group with automatic failover.
type Cache struct {
	Name string `yaml:"name" json:"name" desc:"replication group name, lowercase letters, digits and hyphens, <= 40"`
	// Identifier is the replication group id in AWS (default Name); see Database.
	Identifier string `yaml:"identifier,omitempty" json:"identifier,omitempty" desc:"replication group id in AWS (default: name); a replacement needs a new one, since the old group is kept"`
	// Engine is redis (the only engine supported).
	Engine        string `yaml:"engine" json:"engine" desc:"redis" enum:"redis"`
	EngineVersion string `yaml:"engineVersion,omitempty" json:"engineVersion,omitempty" desc:"engine version (default 7.1)"`
	NodeType      string `yaml:"nodeType" json:"nodeType" desc:"node type (cache.r6g.large)"`
	// Replicas is the number of replicas per primary; at least 1 for failover.
	Replicas int `yaml:"replicas" json:"replicas" desc:"replicas of the primary, 1-5"`
}

// Queue is an SQS queue with its dead-letter queue.
type Queue struct {
	Name string `yaml:"name" json:"name" desc:"queue name, letters, digits, hyphens, underscores"`
	// Fifo makes a FIFO queue (name gets the .fifo suffix).
	Fifo                     bool `yaml:"fifo,omitempty" json:"fifo,omitempty" desc:"FIFO queue"`
	VisibilityTimeoutSeconds int  `yaml:"visibilityTimeoutSeconds,omitempty" json:"visibilityTimeoutSeconds,omitempty" desc:"0-43200 (default 30)"`
	// MaxReceiveCount is how often a message is tried before it goes to the DLQ.
	MaxReceiveCount int `yaml:"maxReceiveCount,omitempty" json:"maxReceiveCount,omitempty" desc:"receives before the dead-letter queue, 1-1000 (default 5)"`
	// RetentionSeconds is message retention (default 4 days; the DLQ keeps 14 days).
	RetentionSeconds int `yaml:"retentionSeconds,omitempty" json:"retentionSeconds,omitempty" desc:"message retention, 60-1209600 (default 345600)"`
	// MaxAgeAlarmSeconds raises an alarm when the oldest message is older (default 900).
	MaxAgeAlarmSeconds int `yaml:"maxAgeAlarmSeconds,omitempty" json:"maxAgeAlarmSeconds,omitempty" desc:"alarm on oldest message age (default 900)"`
}

// Bucket is an S3 bucket, private, versioned and encrypted with the region key.
type Bucket struct {
	Name string `yaml:"name" json:"name" desc:"logical name; the bucket is named <name>-<region>-<account>"`
	// NoncurrentVersionDays expires old object versions (default 90, 0 keeps them).
	NoncurrentVersionDays *int `yaml:"noncurrentVersionDays,omitempty" json:"noncurrentVersionDays,omitempty" desc:"days to keep noncurrent versions (default 90, 0 = forever)"`
}

// Alarms says where CloudWatch alarms are sent.
type Alarms struct {
	Email string `yaml:"email" json:"email" desc:"address subscribed to the alarm topic"`
	// HTTPS are paging endpoints (PagerDuty, Opsgenie) that confirm their subscription
	// themselves, so alarms reach someone from the first up. A URL usually embeds an
	// integration key: the program passes it as a secret.
	HTTPS []string `yaml:"https,omitempty" json:"https,omitempty" desc:"https:// URLs of paging services that confirm SNS subscriptions themselves (PagerDuty, Opsgenie); kept secret in state"`
}

// Logs holds region-wide log settings.
type Logs struct {
	// RetentionDays must be a value CloudWatch accepts (default 90).
	RetentionDays int `yaml:"retentionDays,omitempty" json:"retentionDays,omitempty" desc:"CloudWatch log retention in days (default 90)"`
}

// Source is where a region was loaded from.
type Source struct {
	// Path is the file as given (regions/eu-west-1.yaml).
	Path string
	// Positions maps a field path (databases[0].instances) to where it is written.
	Positions map[string]Pos
}

// Pos is a 1-based line and column in a region file.
type Pos struct{ Line, Col int }
