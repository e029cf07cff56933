package spec

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/regionctl/regionctl/internal/awsmodel"
)

// Database and cache limits (Aurora and ElastiCache quotas).
const (
	EngineAuroraMySQL      = "aurora-mysql"
	EngineAuroraPostgreSQL = "aurora-postgresql"
	EngineRedis            = "redis"

	minDBInstances      = 2  // a writer and a reader in another AZ
	maxDBInstances      = 16 // a writer and 15 readers
	minBackupDays       = 1
	maxBackupDays       = 35
	minWindowMinutes    = 30
	minCacheReplicas    = 1 // automatic failover needs a replica
	minRedisIAMMajor    = 7 // IAM authentication of ElastiCache users (auth-iam.html)
	maxCacheReplicas    = 5
	minutesPerDay       = 24 * 60
	minutesPerWeek      = 7 * minutesPerDay
	defaultVersionHint  = "8.0.mysql_aurora.3.10.3"
	postgresVersionHint = `"16.10"`
)

// today is the day engine versions are judged on (end of standard support passes with
// time, not with commits); tests set it.
var today = time.Now

var (
	auroraMySQLVersion      = regexp.MustCompile(`^[0-9]+\.[0-9]+\.mysql_aurora\.[0-9]+\.[0-9]+\.[0-9]+$`)
	auroraPostgreSQLVersion = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	redisVersion            = regexp.MustCompile(`^[0-9]+(\.([0-9]+|x)(\.[0-9]+)?)?$`) // 7.1, 6.x, 5.0.6
	backupWindow            = regexp.MustCompile(backupWindowPattern)
	maintenanceWindow       = regexp.MustCompile(maintenanceWindowPattern)
)

func (c *checker) databases() {
	names := make([]string, len(c.r.Databases))
	for i := range c.r.Databases {
		names[i] = c.r.Databases[i].Name
		c.database(fmt.Sprintf("databases[%d]", i), &c.r.Databases[i])
	}
	c.uniqueNames("databases", names)
}

func (c *checker) database(at string, d *Database) {
	f := func(name string) string { return at + "." + name }
	if msg := resourceNameProblem(d.Name, "cluster", maxDatabaseName, "instances are named <name>-N within RDS's 63"); msg != "" {
		c.errf(f("name"), "%s", msg)
	}
	if d.Identifier != "" && d.Identifier != d.Name {
		if msg := resourceNameProblem(d.Identifier, "cluster identifier", maxDatabaseName, "instances are named <identifier>-N within RDS's 63"); msg != "" {
			c.errf(f("identifier"), "%s", msg)
		}
	}
	switch {
	case d.EngineVersion == "" && (d.Engine == EngineAuroraMySQL || d.Engine == EngineAuroraPostgreSQL):
		c.errf(f("engineVersion"), "the engine version is empty; pin one, like %s for aurora-mysql or %s for aurora-postgresql", defaultVersionHint, postgresVersionHint)
	case d.Engine == EngineAuroraMySQL:
		if !auroraMySQLVersion.MatchString(d.EngineVersion) {
			c.errf(f("engineVersion"), "%s is not an Aurora MySQL version; want one like %s", quote(d.EngineVersion), defaultVersionHint)
		} else {
			c.engineVersion(f("engineVersion"), d.Engine, d.EngineVersion)
		}
	case d.Engine == EngineAuroraPostgreSQL:
		if !auroraPostgreSQLVersion.MatchString(d.EngineVersion) {
			c.errf(f("engineVersion"), "%s is not an Aurora PostgreSQL version; want one like %s (quoted)", quote(d.EngineVersion), postgresVersionHint)
		} else {
			c.engineVersion(f("engineVersion"), d.Engine, d.EngineVersion)
		}
	default:
		c.errf(f("engine"), "%s is not aurora-mysql or aurora-postgresql%s", quote(d.Engine), didYouMean(d.Engine, []string{EngineAuroraMySQL, EngineAuroraPostgreSQL}))
	}
	if !dbClass.MatchString(d.InstanceClass) {
		c.errf(f("instanceClass"), "%s is not a database instance class; want db.family.size like db.r6g.xlarge", quote(d.InstanceClass))
	}
	switch n := d.Instances; {
	case n < minDBInstances:
		c.errf(f("instances"), "%d is too few for multi-AZ (want >= %d)", n, minDBInstances)
	case n > maxDBInstances:
		c.errf(f("instances"), "%d is too many (want <= %d: a writer and 15 readers)", n, maxDBInstances)
	}
	c.between(f("backupRetentionDays"), c.num(f("backupRetentionDays"), d.BackupRetentionDays), minBackupDays, maxBackupDays)

	backup, backupOK := c.window(f("backupWindow"), d.BackupWindow, false)
	maint, maintOK := c.window(f("maintenanceWindow"), d.MaintenanceWindow, true)
	if backupOK && maintOK && backup.overlapsDaily(maint) {
		c.errf(f("backupWindow"), "%s overlaps the maintenance window %s; move one of them", d.BackupWindow, d.MaintenanceWindow)
	}
}

// window is a span of minutes on the weekly clock (monday 00:00 = 0), wrapping around.
type window struct{ start, length int }

// window parses a backup window (hh:mm-hh:mm, daily) or a maintenance window
// (ddd:hh:mm-ddd:hh:mm, weekly) and checks RDS's 30-minute minimum.
func (c *checker) window(field, s string, weekly bool) (window, bool) {
	re, example, period := backupWindow, DefaultBackupWindow, minutesPerDay
	if weekly {
		re, example, period = maintenanceWindow, DefaultMaintenanceWindow, minutesPerWeek
	}
	if !re.MatchString(s) {
		c.errf(field, "%s is not a UTC window; want one like %s", quote(s), example)
		return window{}, false
	}
	from, to, _ := strings.Cut(s, "-")
	start, end := minuteOf(from), minuteOf(to)
	length := ((end-start)%period + period) % period
	if length < minWindowMinutes {
		c.errf(field, "%s is %d minutes long; AWS needs at least %d", s, length, minWindowMinutes)
		return window{}, false
	}
	return window{start: start, length: length}, true
}

// minuteOf converts "hh:mm" or "ddd:hh:mm" (already validated) to minutes.
func minuteOf(s string) int {
	day := 0
	if len(s) == len("mon:00:00") {
		day = strings.Index("montuewedthufrisatsun", s[:3]) / 3
		s = s[4:]
	}
	h, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[3:])
	return day*minutesPerDay + h*60 + m
}

// overlapsDaily reports whether a daily window (w, on the day clock) meets a weekly
// window on any day of the week.
func (w window) overlapsDaily(weekly window) bool {
	for day := 0; day < 7; day++ {
		a := window{start: day*minutesPerDay + w.start, length: w.length}
		if overlaps(a, weekly, minutesPerWeek) {
			return true
		}
	}
	return false
}

// overlaps reports whether two spans on a clock of the given period share a minute.
func overlaps(a, b window, period int) bool {
	return ((b.start-a.start)%period+period)%period < a.length ||
		((a.start-b.start)%period+period)%period < b.length
}

func (c *checker) caches() {
	names := make([]string, len(c.r.Caches))
	for i := range c.r.Caches {
		k := &c.r.Caches[i]
		names[i] = k.Name
		at := fmt.Sprintf("caches[%d]", i)
		if msg := resourceNameProblem(k.Name, "replication group", maxCacheName, "ElastiCache's limit"); msg != "" {
			c.errf(at+".name", "%s", msg)
		}
		if k.Identifier != "" && k.Identifier != k.Name {
			if msg := resourceNameProblem(k.Identifier, "replication group id", maxCacheName, "ElastiCache's limit"); msg != "" {
				c.errf(at+".identifier", "%s", msg)
			}
		}
		if k.Engine != EngineRedis {
			c.errf(at+".engine", "%s is not supported; the only cache engine is redis%s", quote(k.Engine), didYouMean(k.Engine, []string{EngineRedis}))
		}
		if !redisVersion.MatchString(k.EngineVersion) {
			c.errf(at+".engineVersion", "%s is not a Redis version; want one like \"7.1\" (quoted)", quote(k.EngineVersion))
		} else if k.Engine == EngineRedis {
			before := len(c.probs)
			c.engineVersion(at+".engineVersion", k.Engine, k.EngineVersion)
			if major, _ := strconv.Atoi(strings.SplitN(k.EngineVersion, ".", 2)[0]); len(c.probs) == before && major < minRedisIAMMajor {
				// The cache's users authenticate with IAM (no password in state or git).
				c.errf(at+".engineVersion", "%s is too old: regionctl's caches authenticate clients with IAM, which needs Redis OSS %d or later; use %s",
					quote(k.EngineVersion), minRedisIAMMajor, DefaultCacheEngineVersion)
			}
		}
		if !cacheNodeType.MatchString(k.NodeType) {
			c.errf(at+".nodeType", "%s is not a cache node type; want cache.family.size like cache.r6g.large", quote(k.NodeType))
		}
		switch n := k.Replicas; {
		case n < minCacheReplicas:
			c.errf(at+".replicas", "%d is too few for automatic failover (want >= %d)", n, minCacheReplicas)
		case n > maxCacheReplicas:
			c.errf(at+".replicas", "%d is too many (want <= %d, ElastiCache's limit per shard)", n, maxCacheReplicas)
		}
	}
	c.uniqueNames("caches", names)
}

// engineVersion refuses a version AWS no longer creates, or past its end of standard
// support (AWS charges Extended Support for it, then upgrades it on its own schedule),
// naming the version to move to. The catalog is internal/awsmodel's, dated.
func (c *checker) engineVersion(field, engine, version string) {
	v := awsmodel.EngineVersion(engine, version, today())
	var problem string
	switch v.Status {
	case awsmodel.Deprecated:
		problem = "is no longer offered by AWS (deprecated"
	case awsmodel.NotOffered:
		problem = "is not a version AWS offers for " + engine + " ("
	case awsmodel.PastStandardSupport:
		problem = fmt.Sprintf("is past AWS's end of standard support (%s; AWS charges Extended Support for it and upgrades it itself later", v.EndOfStandardSupport.Format(DateLayout))
	default:
		return
	}
	if !strings.HasSuffix(problem, "(") {
		problem += "; "
	}
	problem += "catalog checked " + awsmodel.EngineVersionsChecked.Format(DateLayout) + ")"
	fix := "pin a version AWS offers (README: Engine versions and patching)"
	if v.Nearest != "" {
		fix = "use " + versionText(engine, v.Nearest)
	}
	c.errf(field, "%s %s: %s", versionText(engine, version), problem, fix)
}

// versionText writes a version the way the file needs it: Aurora MySQL versions are
// plain text, the others look like numbers and must be quoted.
func versionText(engine, version string) string {
	if engine == EngineAuroraMySQL {
		return version
	}
	return quote(version)
}
