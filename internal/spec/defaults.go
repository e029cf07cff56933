package spec

import (
	"fmt"
	"strings"
)

// Defaults of optional fields. They are production values: a region file that leaves a
// field out gets the setting an experienced operator would choose.
const (
	DefaultAZCount             = 3
	DefaultNATGateways         = "perAz"
	DefaultServerPort          = 8080
	DefaultHealthCheckPath     = "/healthz"
	DefaultVolumeSizeGiB       = 20
	DefaultBackupRetentionDays = 14
	DefaultBackupWindow        = "02:00-03:00"
	DefaultMaintenanceWindow   = "sun:04:00-sun:05:00"
	DefaultCacheEngineVersion  = "7.1"
	DefaultVisibilityTimeout   = 30
	DefaultMaxReceiveCount     = 5
	DefaultQueueRetention      = 345600 // 4 days, SQS's own default
	DefaultMaxAgeAlarmSeconds  = 900
	DefaultNoncurrentDays      = 90
	DefaultLogRetentionDays    = 90

	amiParameterX86   = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
	amiParameterArm64 = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64"
)

// NATPerAZ and NATSingle are the values of network.natGateways.
const (
	NATPerAZ  = "perAz"
	NATSingle = "single"
)

// ApplyDefaults fills every optional field left out of the file and derives AZNames.
// It never overwrites a value the file set.
func ApplyDefaults(r *Region) {
	n := &r.Network
	if n.AZs.Count == 0 && len(n.AZs.Names) == 0 {
		n.AZs.Count = DefaultAZCount
	}
	if n.NATGateways == "" {
		n.NATGateways = DefaultNATGateways
	}
	if n.FlowLogs == nil {
		on := true
		n.FlowLogs = &on
	}
	if n.InterfaceEndpoints == nil {
		on := true
		n.InterfaceEndpoints = &on
	}
	r.AZNames = azNames(r.Region, n.AZs)

	for i := range r.Servers {
		s := &r.Servers[i]
		if s.Desired == nil {
			d := s.Min
			s.Desired = &d
		}
		if s.Port == 0 {
			s.Port = DefaultServerPort
		}
		if s.HealthCheckPath == "" {
			s.HealthCheckPath = DefaultHealthCheckPath
		}
		if s.AMIParameter == "" && s.Image == "" {
			s.AMIParameter = amiParameterX86
			if IsGraviton(s.InstanceType) {
				s.AMIParameter = amiParameterArm64
			}
		}
		if s.VolumeSizeGiB == 0 {
			s.VolumeSizeGiB = DefaultVolumeSizeGiB
		}
	}
	for i := range r.Databases {
		d := &r.Databases[i]
		if d.BackupRetentionDays == 0 {
			d.BackupRetentionDays = DefaultBackupRetentionDays
		}
		if d.BackupWindow == "" {
			d.BackupWindow = DefaultBackupWindow
		}
		if d.MaintenanceWindow == "" {
			d.MaintenanceWindow = DefaultMaintenanceWindow
		}
		if d.Identifier == "" {
			d.Identifier = d.Name
		}
	}
	for i := range r.Caches {
		if r.Caches[i].Identifier == "" {
			r.Caches[i].Identifier = r.Caches[i].Name
		}
		if r.Caches[i].EngineVersion == "" {
			r.Caches[i].EngineVersion = DefaultCacheEngineVersion
		}
	}
	for i := range r.Queues {
		q := &r.Queues[i]
		if q.VisibilityTimeoutSeconds == 0 {
			q.VisibilityTimeoutSeconds = DefaultVisibilityTimeout
		}
		if q.MaxReceiveCount == 0 {
			q.MaxReceiveCount = DefaultMaxReceiveCount
		}
		if q.RetentionSeconds == 0 {
			q.RetentionSeconds = DefaultQueueRetention
		}
		if q.MaxAgeAlarmSeconds == 0 {
			q.MaxAgeAlarmSeconds = DefaultMaxAgeAlarmSeconds
		}
	}
	for i := range r.Buckets {
		if r.Buckets[i].NoncurrentVersionDays == nil {
			d := DefaultNoncurrentDays
			r.Buckets[i].NoncurrentVersionDays = &d
		}
	}
	if r.Logs.RetentionDays == 0 {
		r.Logs.RetentionDays = DefaultLogRetentionDays
	}
}

// azNames turns a count into the region's first AZ letters, or keeps an explicit list.
func azNames(region string, azs AZs) []string {
	if len(azs.Names) > 0 {
		return append([]string(nil), azs.Names...)
	}
	count := min(max(azs.Count, 0), MaxAZs) // the loader refuses others; stay safe anyway
	names := make([]string, 0, count)
	for i := 0; i < count; i++ {
		names = append(names, fmt.Sprintf("%s%c", region, 'a'+i))
	}
	return names
}

// IsGraviton reports whether an instance type (m7g.large, db.r6g.xlarge, cache.r6g.large)
// is an AWS Graviton (arm64) type: its family carries a "g" right after the generation.
func IsGraviton(instanceType string) bool {
	family, _, _ := strings.Cut(instanceType, ".")
	if strings.HasPrefix(instanceType, "db.") || strings.HasPrefix(instanceType, "cache.") {
		family, _, _ = strings.Cut(instanceType[strings.Index(instanceType, ".")+1:], ".")
	}
	for i := 0; i < len(family); i++ {
		if family[i] >= '0' && family[i] <= '9' {
			return strings.HasPrefix(family[i+1:], "g")
		}
	}
	return false
}
