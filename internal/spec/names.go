package spec

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Patterns of names and identifiers. They are written in the subset of regular
// expressions that Go and JSON Schema (ECMA 262) share, because Schema publishes them.
const (
	// resourceNamePattern: lowercase letters, digits and single hyphens, starting with a
	// letter and not ending with a hyphen (RDS, ElastiCache and ALB naming rules).
	resourceNamePattern = `^[a-z](-?[a-z0-9])*$`
	queueNamePattern    = `^[A-Za-z0-9_-]+$`
	bucketNamePattern   = `^[a-z0-9](-?[a-z0-9])*$`
	featureNamePattern  = `^[a-z][a-z0-9_]*$`
	accountIDPattern    = `^[0-9]{12}$`

	instanceFamilyPattern = `([a-z]+[0-9][a-z0-9]*(-[a-z0-9]+)*|u-[0-9]+tb[0-9]+)`
	instanceSizePattern   = `(nano|micro|small|medium|large|[0-9]*xlarge|metal(-[0-9]+xl)?)`
	instanceTypePattern   = `^` + instanceFamilyPattern + `\.` + instanceSizePattern + `$`
	dbClassPattern        = `^db\.(serverless|` + instanceFamilyPattern + `\.` + instanceSizePattern + `)$`
	cacheNodePattern      = `^cache\.` + instanceFamilyPattern + `\.` + instanceSizePattern + `$`

	clockPattern             = `([01][0-9]|2[0-3]):[0-5][0-9]`
	backupWindowPattern      = `^` + clockPattern + `-` + clockPattern + `$`
	maintenanceWindowPattern = `^(mon|tue|wed|thu|fri|sat|sun):` + clockPattern + `-(mon|tue|wed|thu|fri|sat|sun):` + clockPattern + `$`
	azNamePattern            = `^[a-z]{2}(-[a-z]+)+-[0-9]+[a-z]$`
)

// Length limits that follow from AWS's naming rules and the names regionctl derives.
const (
	maxServerName   = 28 // <name>-alb and <name>-tg within the 32 of ALB and target group names
	maxDatabaseName = 60 // instances are <name>-N, within RDS's 63
	maxCacheName    = 40 // ElastiCache replication group ids
	maxQueueName    = 80 // SQS, including the -dlq and .fifo suffixes regionctl adds
	maxBucketName   = 63 // S3, for the final <name>-<region>-<account>
)

var (
	resourceName  = regexp.MustCompile(resourceNamePattern)
	queueName     = regexp.MustCompile(queueNamePattern)
	featureName   = regexp.MustCompile(featureNamePattern)
	accountID     = regexp.MustCompile(accountIDPattern)
	instanceType  = regexp.MustCompile(instanceTypePattern)
	dbClass       = regexp.MustCompile(dbClassPattern)
	cacheNodeType = regexp.MustCompile(cacheNodePattern)
)

// resourceNameProblem checks a name against resourceNamePattern and limit and says
// what to change, or returns "" when the name is fine. what is "fleet", "cluster"...
func resourceNameProblem(name, what string, limit int, why string) string {
	if name == "" {
		return fmt.Sprintf("the %s name is empty; use lowercase letters, digits and hyphens", what)
	}
	if lower := strings.ToLower(name); lower != name && resourceName.MatchString(lower) && len(lower) <= limit {
		return fmt.Sprintf("%s has uppercase letters; use %s", quote(name), quote(lower))
	}
	if i := strings.IndexFunc(name, func(r rune) bool {
		return !('a' <= r && r <= 'z' || '0' <= r && r <= '9' || r == '-')
	}); i >= 0 {
		return fmt.Sprintf("%s has %s; %s names use lowercase letters, digits and hyphens", quote(name), quote(firstRune(name[i:])), what)
	}
	switch {
	case name[0] < 'a' || name[0] > 'z':
		return fmt.Sprintf("%s must start with a letter", quote(name))
	case strings.Contains(name, "--"):
		return fmt.Sprintf("%s has two hyphens in a row; AWS refuses them in %s names", quote(name), what)
	case strings.HasSuffix(name, "-"):
		return fmt.Sprintf("%s ends with a hyphen; AWS refuses that in %s names", quote(name), what)
	case len(name) > limit:
		return fmt.Sprintf("%s is %d characters; %s names are at most %d (%s)", quote(name), len(name), what, limit, why)
	}
	return ""
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

var (
	uuid             = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	ssmParameterName = regexp.MustCompile(`^/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$`)
)

var bucketNameRE = regexp.MustCompile(bucketNamePattern)

// TargetGroupName is the name of a load-balanced fleet's target group: <fleet>-tg, with
// the port when it is not the default, so that a new port (which replaces the group)
// gives the new group a name of its own.
func TargetGroupName(fleet string, port int) string {
	if port == DefaultServerPort || port == 0 {
		return fleet + "-tg"
	}
	return fleet + "-tg" + strconv.Itoa(port)
}
