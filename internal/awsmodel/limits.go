package awsmodel

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// A rule checks one input of a type the way AWS (or the provider, before calling AWS)
// would, and returns why the value is refused, or "". Values not known yet (previews)
// are not checked.
type rule struct {
	prop  string
	check func(v resource.PropertyValue, in resource.PropertyMap) string
}

// limits are the naming limits and value ranges AWS enforces on the types regionctl
// uses. Sources: the AWS API references' constraints for each name or field, and the
// ValidateFunc of the matching terraform-provider-aws (v5) schema field, which is what
// pulumi-aws v6 checks before it calls AWS.
var limits = map[string][]rule{
	"aws:sqs/queue:Queue": {
		text("name", queueName("SQS queue name", "fifoQueue", 80)),
		number("delaySeconds", between("delaySeconds", 0, 900)),
		number("messageRetentionSeconds", between("messageRetentionSeconds", 60, 1_209_600)),
		number("receiveWaitTimeSeconds", between("receiveWaitTimeSeconds", 0, 20)),
		number("visibilityTimeoutSeconds", between("visibilityTimeoutSeconds", 0, 43_200)),
		number("kmsDataKeyReusePeriodSeconds", between("kmsDataKeyReusePeriodSeconds", 60, 86_400)),
	},
	"aws:sns/topic:Topic": {
		text("name", queueName("SNS topic name", "fifoTopic", 256)),
	},
	"aws:s3/bucketV2:BucketV2": {text("bucket", plain(bucketName)), text("bucketPrefix", plain(length("S3 bucket prefix", 1, 37)))},
	"aws:s3/bucket:Bucket":     {text("bucket", plain(bucketName)), text("bucketPrefix", plain(length("S3 bucket prefix", 1, 37)))},
	"aws:lb/loadBalancer:LoadBalancer": {
		text("name", plain(elbName("load balancer name"), notPrefixed("load balancer name", "internal-"))),
		text("namePrefix", plain(length("load balancer name prefix", 1, 6))),
	},
	"aws:lb/targetGroup:TargetGroup": {
		text("name", plain(elbName("target group name"))),
		text("namePrefix", plain(length("target group name prefix", 1, 6))),
		number("port", between("port", 1, 65_535)),
	},
	"aws:elasticache/replicationGroup:ReplicationGroup": {
		text("replicationGroupId", plain(
			length("replication group id", 1, 40),
			chars("replication group id", alnumHyphen, "letters, digits and hyphens"),
			startsWithLetter("replication group id"),
			noDoubleHyphen("replication group id"),
			noTrailingHyphen("replication group id"),
		)),
		text("description", plain(length("replication group description", 1, 1024))),
		number("numCacheClusters", between("numCacheClusters", 1, 6)),
		number("snapshotRetentionLimit", between("snapshotRetentionLimit", 0, 35)),
		{"automaticFailoverEnabled", failoverNeedsReplicas},
		{"multiAzEnabled", multiAZNeedsFailover},
	},
	"aws:elasticache/subnetGroup:SubnetGroup": {
		text("name", plain(length("cache subnet group name", 1, 255), chars("cache subnet group name", alnumHyphen, "letters, digits and hyphens"))),
	},
	"aws:rds/cluster:Cluster": {
		text("clusterIdentifier", plain(rdsIdentifier("Aurora cluster identifier", 63)...)),
		text("clusterIdentifierPrefix", plain(length("Aurora cluster identifier prefix", 1, 37))),
		text("finalSnapshotIdentifier", plain(
			length("final snapshot identifier", 1, 255),
			chars("final snapshot identifier", alnumHyphen, "letters, digits and hyphens"),
			startsWithLetter("final snapshot identifier"),
			noDoubleHyphen("final snapshot identifier"),
			noTrailingHyphen("final snapshot identifier"),
		)),
		text("masterUsername", masterUsername),
		number("backupRetentionPeriod", between("backupRetentionPeriod", 1, 35)),
	},
	"aws:rds/clusterInstance:ClusterInstance": {
		text("identifier", plain(rdsIdentifier("DB instance identifier", 63)...)),
		text("identifierPrefix", plain(length("DB instance identifier prefix", 1, 37))),
		number("promotionTier", between("promotionTier", 0, 15)),
	},
	"aws:rds/subnetGroup:SubnetGroup": {
		text("name", plain(
			length("DB subnet group name", 1, 255),
			chars("DB subnet group name", regexp.MustCompile(`^[ ._0-9a-z-]+$`), "lowercase letters, digits, spaces, periods, underscores and hyphens"),
			func(s string) string {
				if s == "default" {
					return `DB subnet group name must not be "default", which AWS reserves`
				}
				return ""
			},
		)),
	},
	"aws:rds/clusterParameterGroup:ClusterParameterGroup": {
		text("name", plain(rdsIdentifier("DB cluster parameter group name", 255)...)),
	},
	"aws:iam/role:Role": {
		text("name", plain(length("IAM role name", 1, 64), chars("IAM role name", iamName, iamNameChars))),
		text("namePrefix", plain(length("IAM role name prefix", 1, 38))),
		text("path", plain(iamPath)),
		text("description", plain(length("IAM role description", 0, 1000))),
		number("maxSessionDuration", between("maxSessionDuration", 3600, 43_200)),
	},
	"aws:iam/instanceProfile:InstanceProfile": {
		text("name", plain(length("instance profile name", 1, 128), chars("instance profile name", iamName, iamNameChars))),
		text("path", plain(iamPath)),
	},
	"aws:iam/rolePolicy:RolePolicy": {
		text("name", plain(length("role policy name", 1, 128), chars("role policy name", iamName, iamNameChars))),
	},
	"aws:cloudwatch/logGroup:LogGroup": {
		text("name", plain(length("log group name", 1, 512), chars("log group name", regexp.MustCompile(`^[._/#A-Za-z0-9-]+$`), "letters, digits and ._-/#"))),
		number("retentionInDays", oneOf("retentionInDays", logRetentionDays...)),
	},
	"aws:cloudwatch/metricAlarm:MetricAlarm": {
		text("name", plain(length("alarm name", 1, 255))),
	},
	"aws:ec2/securityGroup:SecurityGroup": {
		text("name", plain(length("security group name", 1, 255), notPrefixed("security group name", "sg-"))),
		text("description", plain(
			length("security group description", 0, 255),
			chars("security group description", regexp.MustCompile(`^[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*$`), "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"),
		)),
	},
	"aws:ec2/launchTemplate:LaunchTemplate": {
		text("name", plain(length("launch template name", 3, 128), chars("launch template name", regexp.MustCompile(`^[A-Za-z0-9().\-/_]+$`), "letters, digits and ()./-_"))),
	},
	"aws:autoscaling/group:Group": {
		text("name", plain(length("Auto Scaling group name", 1, 255))),
	},
	"aws:kms/key:Key": {
		number("deletionWindowInDays", between("deletionWindowInDays", 7, 30)),
		text("description", plain(length("KMS key description", 0, 8192))),
	},
	"aws:kms/alias:Alias": {
		text("name", plain(kmsAlias)),
	},
	"aws:ec2/vpc:Vpc":       {text("cidrBlock", plain(cidr("VPC CIDR block", 16, 28)))},
	"aws:ec2/subnet:Subnet": {text("cidrBlock", plain(cidr("subnet CIDR block", 16, 28)))},
}

var (
	alnumHyphen = regexp.MustCompile(`^[A-Za-z0-9-]+$`)
	iamName     = regexp.MustCompile(`^[\w+=,.@-]+$`)
)

const iamNameChars = "letters, digits and +=,.@_-"

// logRetentionDays are the retention periods CloudWatch Logs accepts (0: forever).
var logRetentionDays = []int{0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// Check runs the rules of typ on inputs and returns the failures in rule order, then
// those of the tags a taggable type ends up with (tagsAll).
func Check(typ string, inputs resource.PropertyMap) []Failure {
	var out []Failure
	for _, r := range limits[typ] {
		v, ok := inputs[resource.PropertyKey(r.prop)]
		if !ok || v.IsNull() {
			continue
		}
		if reason := r.check(Unsecret(v), inputs); reason != "" {
			out = append(out, Failure{Prop: r.prop, Reason: reason})
		}
	}
	if Taggable(typ) {
		out = append(out, checkTags(inputs["tagsAll"])...)
	}
	return out
}

// Failure is one input AWS would refuse, and why.
type Failure struct{ Prop, Reason string }

// text applies a check to a known string value.
func text(prop string, check func(s string, in resource.PropertyMap) string) rule {
	return rule{prop, func(v resource.PropertyValue, in resource.PropertyMap) string {
		if !v.IsString() {
			return ""
		}
		return check(v.StringValue(), in)
	}}
}

// number applies a check to a known number value.
func number(prop string, check func(n float64) string) rule {
	return rule{prop, func(v resource.PropertyValue, _ resource.PropertyMap) string {
		if !v.IsNumber() {
			return ""
		}
		return check(v.NumberValue())
	}}
}

// plain runs string checks in order and reports the first failure.
func plain(checks ...func(string) string) func(string, resource.PropertyMap) string {
	return func(s string, _ resource.PropertyMap) string {
		for _, c := range checks {
			if reason := c(s); reason != "" {
				return reason
			}
		}
		return ""
	}
}

func length(what string, lo, hi int) func(string) string {
	return func(s string) string {
		n := utf8.RuneCountInString(s)
		switch {
		case n == 0 && lo > 0:
			return what + " must not be empty"
		case n < lo:
			return fmt.Sprintf("%s %q is %d characters long; at least %d are required", what, s, n, lo)
		case n > hi:
			return fmt.Sprintf("%s %q is %d characters long; at most %d are allowed", what, s, n, hi)
		}
		return ""
	}
}

func chars(what string, re *regexp.Regexp, allowed string) func(string) string {
	return func(s string) string {
		if !re.MatchString(s) {
			return fmt.Sprintf("%s %q may contain only %s", what, s, allowed)
		}
		return ""
	}
}

func startsWithLetter(what string) func(string) string {
	return func(s string) string {
		if s != "" && !isLetter(s[0]) {
			return fmt.Sprintf("%s %q must begin with a letter", what, s)
		}
		return ""
	}
}

func noDoubleHyphen(what string) func(string) string {
	return func(s string) string {
		if strings.Contains(s, "--") {
			return fmt.Sprintf("%s %q must not contain two consecutive hyphens", what, s)
		}
		return ""
	}
}

func noTrailingHyphen(what string) func(string) string {
	return func(s string) string {
		if strings.HasSuffix(s, "-") {
			return fmt.Sprintf("%s %q must not end with a hyphen", what, s)
		}
		return ""
	}
}

func notPrefixed(what, prefix string) func(string) string {
	return func(s string) string {
		if strings.HasPrefix(s, prefix) {
			return fmt.Sprintf("%s %q must not begin with %q", what, s, prefix)
		}
		return ""
	}
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// rdsIdentifier is RDS's identifier rule (clusters, instances, parameter groups):
// lowercase letters, digits and hyphens, a letter first, no "--", no hyphen last.
func rdsIdentifier(what string, maxLen int) []func(string) string {
	return []func(string) string{
		length(what, 1, maxLen),
		chars(what, regexp.MustCompile(`^[0-9a-z-]+$`), "lowercase letters, digits and hyphens"),
		startsWithLetter(what),
		noDoubleHyphen(what),
		noTrailingHyphen(what),
	}
}

// elbName is Elastic Load Balancing's rule for load balancer and target group names.
func elbName(what string) func(string) string {
	return func(s string) string {
		for _, c := range []func(string) string{
			length(what, 1, 32),
			chars(what, alnumHyphen, "letters, digits and hyphens"),
		} {
			if reason := c(s); reason != "" {
				return reason
			}
		}
		if strings.HasPrefix(s, "-") || strings.HasSuffix(s, "-") {
			return fmt.Sprintf("%s %q must not begin or end with a hyphen", what, s)
		}
		return ""
	}
}

// queueName is the rule of SQS queue and SNS topic names: letters, digits, hyphens and
// underscores, and ".fifo" at the end exactly when the queue or topic is FIFO.
func queueName(what, fifoProp string, maxLen int) func(string, resource.PropertyMap) string {
	re := regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	return func(s string, in resource.PropertyMap) string {
		fifo := Unsecret(in[resource.PropertyKey(fifoProp)])
		base, hasSuffix := strings.CutSuffix(s, ".fifo")
		switch {
		case fifo.IsBool() && fifo.BoolValue() && !hasSuffix:
			return fmt.Sprintf("%s %q must end with \".fifo\" because %s is set", what, s, fifoProp)
		case fifo.IsBool() && !fifo.BoolValue() && hasSuffix:
			return fmt.Sprintf("%s %q ends with \".fifo\", which only a FIFO name may: set %s", what, s, fifoProp)
		}
		if reason := length(what, 1, maxLen)(s); reason != "" {
			return reason
		}
		if !re.MatchString(base) {
			return fmt.Sprintf("%s %q may contain only letters, digits, hyphens and underscores", what, s)
		}
		return ""
	}
}

// bucketName is S3's rule for general purpose bucket names.
func bucketName(s string) string {
	const what = "S3 bucket name"
	for _, c := range []func(string) string{
		length(what, 3, 63),
		chars(what, regexp.MustCompile(`^[a-z0-9.-]+$`), "lowercase letters, digits, periods and hyphens"),
	} {
		if reason := c(s); reason != "" {
			return reason
		}
	}
	first, last := s[0], s[len(s)-1]
	isAlnum := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
	switch {
	case !isAlnum(first) || !isAlnum(last):
		return fmt.Sprintf("%s %q must begin and end with a letter or digit", what, s)
	case strings.Contains(s, ".."):
		return fmt.Sprintf("%s %q must not contain two adjacent periods", what, s)
	}
	if _, err := netip.ParseAddr(s); err == nil {
		return fmt.Sprintf("%s %q must not be formatted as an IP address", what, s)
	}
	// Prefixes and suffixes AWS keeps for its own kinds of names (access point
	// aliases, directory buckets, table buckets, documentation examples).
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(s, p) {
			return fmt.Sprintf("%s %q must not begin with %q, which AWS reserves", what, s, p)
		}
	}
	for _, sfx := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(s, sfx) {
			return fmt.Sprintf("%s %q must not end with %q, which AWS reserves", what, s, sfx)
		}
	}
	return ""
}

func iamPath(s string) string {
	if reason := length("IAM path", 1, 512)(s); reason != "" {
		return reason
	}
	if !strings.HasPrefix(s, "/") || !strings.HasSuffix(s, "/") {
		return fmt.Sprintf("IAM path %q must begin and end with \"/\"", s)
	}
	return chars("IAM path", regexp.MustCompile(`^[\x21-\x7e]+$`), "printable ASCII characters other than spaces")(s)
}

func kmsAlias(s string) string {
	const what = "KMS alias"
	switch {
	case !strings.HasPrefix(s, "alias/"):
		return fmt.Sprintf("%s %q must begin with \"alias/\"", what, s)
	case strings.HasPrefix(s, "alias/aws/"):
		return fmt.Sprintf("%s %q must not begin with \"alias/aws/\", which AWS reserves", what, s)
	}
	if reason := length(what, 7, 256)(s); reason != "" {
		return reason
	}
	return chars(what, regexp.MustCompile(`^alias/[A-Za-z0-9/_-]+$`), `"alias/" then letters, digits and /_-`)(s)
}

// masterUsername: a letter, then letters, digits and underscores; at most 16
// characters for MySQL engines, 63 for PostgreSQL ones.
func masterUsername(s string, in resource.PropertyMap) string {
	const what = "master username"
	maxLen := 16
	if engine, _ := KnownString(in, "engine"); strings.Contains(engine, "postgres") {
		maxLen = 63
	}
	for _, c := range []func(string) string{
		length(what, 1, maxLen),
		chars(what, regexp.MustCompile(`^[A-Za-z0-9_]+$`), "letters, digits and underscores"),
		startsWithLetter(what),
	} {
		if reason := c(s); reason != "" {
			return reason
		}
	}
	return ""
}

// cidr checks an IPv4 network in CIDR form whose prefix length is within [shortest,
// longest].
func cidr(what string, shortest, longest int) func(string) string {
	return func(s string) string {
		p, err := netip.ParsePrefix(s)
		switch {
		case err != nil || !p.Addr().Is4():
			return fmt.Sprintf("%s %q is not an IPv4 CIDR block", what, s)
		case p.Masked() != p:
			return fmt.Sprintf("%s %q has host bits set: the network is %s", what, s, p.Masked())
		case p.Bits() < shortest || p.Bits() > longest:
			return fmt.Sprintf("%s %q is a /%d; AWS allows /%d to /%d", what, s, p.Bits(), shortest, longest)
		}
		return ""
	}
}

func between(what string, lo, hi int) func(float64) string {
	return func(n float64) string {
		if n < float64(lo) || n > float64(hi) || n != float64(int64(n)) {
			return fmt.Sprintf("%s is %s; it must be a whole number from %d to %d", what, FormatNumber(n), lo, hi)
		}
		return ""
	}
}

func oneOf(what string, allowed ...int) func(float64) string {
	return func(n float64) string {
		if n == float64(int64(n)) && slices.Contains(allowed, int(n)) {
			return ""
		}
		list := make([]string, len(allowed))
		for i, a := range allowed {
			list[i] = strconv.Itoa(a)
		}
		return fmt.Sprintf("%s is %s; it must be one of %s", what, FormatNumber(n), strings.Join(list, ", "))
	}
}

// FormatNumber writes a number as AWS messages do: no exponent, no trailing zeros.
func FormatNumber(n float64) string { return strconv.FormatFloat(n, 'f', -1, 64) }

// failoverNeedsReplicas: ElastiCache fails over only to a replica (the provider's
// CustomizeDiff refuses the plan before AWS would).
func failoverNeedsReplicas(v resource.PropertyValue, in resource.PropertyMap) string {
	n, known := KnownNumber(in, "numCacheClusters")
	if v.IsBool() && v.BoolValue() && known && n < 2 {
		return fmt.Sprintf("automaticFailoverEnabled needs numCacheClusters of at least 2, not %s", FormatNumber(n))
	}
	return ""
}

// multiAZNeedsFailover: Multi-AZ is automatic failover to another zone.
func multiAZNeedsFailover(v resource.PropertyValue, in resource.PropertyMap) string {
	failover := Unsecret(in["automaticFailoverEnabled"])
	if v.IsBool() && v.BoolValue() && (failover.IsNull() || failover.IsBool() && !failover.BoolValue()) {
		return "multiAzEnabled needs automaticFailoverEnabled"
	}
	return ""
}
