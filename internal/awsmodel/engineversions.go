package awsmodel

import (
	"strconv"
	"strings"
	"time"
)

// Engines of the catalog, as AWS names them in its APIs.
const (
	AuroraMySQL      = "aurora-mysql"
	AuroraPostgreSQL = "aurora-postgresql"
	Redis            = "redis"
	Valkey           = "valkey"
)

// EngineVersionsChecked is the day the engine version catalog was last compared with
// its sources; MaxCatalogAge is how old that may get before a test asks for a refresh.
var EngineVersionsChecked = day("2026-12-01")

const MaxCatalogAge = 180 * 24 * time.Hour

// NearEndOfSupport is how long before the end of standard support a version is reported
// as ending: about the time an upgrade takes to test and roll through every region.
const NearEndOfSupport = 90 * 24 * time.Hour

// Sources of the catalog.
const (
	srcAuroraMySQL3    = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraMySQLReleaseNotes/AuroraMySQL.Updates.30Updates.html"
	srcAuroraMySQLLTS  = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Update.SpecialVersions.html"
	srcAuroraMySQL2EOS = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/extended-support.html"
	srcAuroraPGMajors  = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/aurora-postgresql-relnotes.pdf (release calendar for major versions)"
	srcAuroraPGMinors  = "https://sites.google.com/site/sqlservermsdn/upgrading-amazon-aurora-postgresql-from-version-14-to-16 (quotes AWS's announcement of 17.6, 16.10, 15.14, 14.19)"
	srcAuroraPG12EOS   = "https://aws.amazon.com/blogs/database/upgrade-strategies-for-amazon-aurora-postgresql-and-amazon-rds-for-postgresql-12"
	srcAuroraPG11EOS   = "https://aws.amazon.com/blogs/database/postgresql-11-upgrade-strategies-for-amazon-aurora-postgresql-and-amazon-rds-for-postgresql"
	srcRedisVersions   = "https://docs.aws.amazon.com/AmazonElastiCache/latest/red-ug/supported-engine-versions.html"
	srcRedisEOS        = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/extended-support.html"
	srcRedis6EOS       = "https://dev.classmethod.jp/articles/2026-1-31-elasticache-for-redis-oss-4-5 (on AWS's announcement of Extended Support for Redis OSS 4 and 5: v6 ends 2027-01-31)"
	srcValkey          = "https://docs.aws.amazon.com/AmazonElastiCache/latest/red-ug/engine-versions.html"
)

// Major is one major version line of an engine.
type Major struct {
	Engine, Major string
	// EndOfStandardSupport is the day AWS ends standard support ("" when unpublished):
	// after it AWS charges Extended Support and, at its end, upgrades the cluster itself.
	EndOfStandardSupport string
	// Complete says every release AWS offers in this major is listed below, so an
	// unlisted one older than the newest listed is one AWS does not (or no longer) offer.
	Complete bool
	// Closed says AWS adds no releases to this major any more (Redis OSS: ElastiCache's
	// newer engines are Valkey), so even an unlisted newer one is not offered.
	Closed bool
	Source string
}

// Release is one engine version AWS offers, or offered.
type Release struct {
	Engine, Version string
	// Offered is whether CreateDBCluster / CreateReplicationGroup still accept it.
	Offered bool
	// EndOfStandardSupport overrides the major's date for this release ("" = the major's).
	EndOfStandardSupport string
	// Recommended marks the release regionctl suggests for new regions of the engine.
	Recommended bool
	Source      string
}

var majors = []Major{
	{Engine: AuroraMySQL, Major: "2", EndOfStandardSupport: "2024-10-31", Source: srcAuroraMySQL2EOS},
	{Engine: AuroraMySQL, Major: "3", Complete: true, Source: srcAuroraMySQL3},
	{Engine: AuroraPostgreSQL, Major: "11", EndOfStandardSupport: "2024-02-29", Source: srcAuroraPG11EOS},
	{Engine: AuroraPostgreSQL, Major: "12", EndOfStandardSupport: "2025-02-28", Source: srcAuroraPG12EOS},
	{Engine: AuroraPostgreSQL, Major: "13", Source: srcAuroraPGMajors},
	{Engine: AuroraPostgreSQL, Major: "14", Source: srcAuroraPGMajors},
	{Engine: AuroraPostgreSQL, Major: "15", Source: srcAuroraPGMajors},
	{Engine: AuroraPostgreSQL, Major: "16", Source: srcAuroraPGMajors},
	{Engine: AuroraPostgreSQL, Major: "17", Source: srcAuroraPGMajors},
	{Engine: Redis, Major: "4", EndOfStandardSupport: "2026-01-31", Complete: true, Source: srcRedisEOS},
	{Engine: Redis, Major: "5", EndOfStandardSupport: "2026-01-31", Complete: true, Source: srcRedisEOS},
	{Engine: Redis, Major: "6", EndOfStandardSupport: "2027-01-31", Complete: true, Source: srcRedis6EOS},
	{Engine: Redis, Major: "7", Complete: true, Closed: true, Source: srcRedisVersions},
	{Engine: Valkey, Major: "7", Source: srcValkey},
	{Engine: Valkey, Major: "8", Source: srcValkey},
}

var releases = []Release{
	// Aurora MySQL 3: the release notes' index marks each deprecated release; 3.04 and
	// 3.10 are the long-term support releases.
	mysql("3.04.0", true, srcAuroraMySQLLTS), mysql("3.04.1", true, srcAuroraMySQLLTS),
	mysql("3.04.2", true, srcAuroraMySQLLTS), mysql("3.04.3", true, srcAuroraMySQLLTS),
	mysql("3.04.4", true, srcAuroraMySQLLTS),
	mysql("3.05.0", false, srcAuroraMySQL3), mysql("3.05.1", false, srcAuroraMySQL3), mysql("3.05.2", false, srcAuroraMySQL3),
	mysql("3.06.0", false, srcAuroraMySQL3), mysql("3.06.1", false, srcAuroraMySQL3),
	mysql("3.07.0", false, srcAuroraMySQL3), mysql("3.07.1", false, srcAuroraMySQL3),
	mysql("3.08.0", true, srcAuroraMySQL3), mysql("3.08.1", true, srcAuroraMySQL3), mysql("3.08.2", true, srcAuroraMySQL3),
	mysql("3.09.0", true, srcAuroraMySQL3),
	mysql("3.10.0", true, srcAuroraMySQLLTS), mysql("3.10.1", true, srcAuroraMySQLLTS), mysql("3.10.2", true, srcAuroraMySQLLTS),
	{Engine: AuroraMySQL, Version: "8.0.mysql_aurora.3.10.3", Offered: true, Recommended: true, Source: srcAuroraMySQLLTS},
	mysql("3.10.4", true, srcAuroraMySQLLTS),
	mysql("3.11.0", true, srcAuroraMySQL3), mysql("3.11.1", true, srcAuroraMySQL3),
	mysql("3.12.0", true, srcAuroraMySQL3),

	// Aurora PostgreSQL: the minors AWS announced last (2025); AWS withdraws minors about
	// a year after release, so refresh these first. The majors are
	// not Complete: not every minor is listed, so unlisted ones are not refused.
	{Engine: AuroraPostgreSQL, Version: "14.19", Offered: true, Source: srcAuroraPGMinors},
	{Engine: AuroraPostgreSQL, Version: "15.14", Offered: true, Source: srcAuroraPGMinors},
	{Engine: AuroraPostgreSQL, Version: "16.10", Offered: true, Recommended: true, Source: srcAuroraPGMinors},
	{Engine: AuroraPostgreSQL, Version: "17.6", Offered: true, Source: srcAuroraPGMinors},

	// ElastiCache Redis OSS: 7.1 is the last Redis OSS release ElastiCache offers; newer
	// engines are Valkey.
	{Engine: Redis, Version: "4.0.10", Offered: true, Source: srcRedisVersions},
	{Engine: Redis, Version: "5.0.0", Source: srcRedisVersions},
	{Engine: Redis, Version: "5.0.3", Source: srcRedisVersions},
	{Engine: Redis, Version: "5.0.4", Source: srcRedisVersions},
	{Engine: Redis, Version: "5.0.5", Source: srcRedisVersions},
	{Engine: Redis, Version: "5.0.6", Offered: true, Source: srcRedisVersions},
	{Engine: Redis, Version: "6.0", Offered: true, Source: srcRedisVersions},
	{Engine: Redis, Version: "6.2", Offered: true, Source: srcRedisVersions},
	{Engine: Redis, Version: "7.0", Offered: true, Source: srcRedisVersions},
	{Engine: Redis, Version: "7.1", Offered: true, Recommended: true, Source: srcRedisVersions},

	{Engine: Valkey, Version: "7.2", Offered: true, Source: srcValkey},
	{Engine: Valkey, Version: "8.0", Offered: true, Recommended: true, Source: srcValkey},
}

func mysql(v string, offered bool, source string) Release {
	return Release{Engine: AuroraMySQL, Version: "8.0.mysql_aurora." + v, Offered: offered, Source: source}
}

// Status is what AWS does with an engine version.
type Status int

const (
	// Unknown: the catalog cannot tell (an engine or release it does not list, likely
	// newer than the catalog); AWS decides.
	Unknown Status = iota
	// VersionOffered: AWS creates it and standard support is not ending within NearEndOfSupport.
	VersionOffered
	// Ending: offered, but standard support ends within NearEndOfSupport.
	Ending
	// PastStandardSupport: AWS still runs it, for Extended Support charges, and will
	// upgrade it itself when Extended Support ends.
	PastStandardSupport
	// Deprecated versions are ones AWS no longer creates (the catalog lists them as withdrawn).
	Deprecated
	// NotOffered: not a release AWS offers (unlisted in a complete major, or older than
	// any major AWS lists).
	NotOffered
)

// Verdict is the catalog's answer about one version on one day.
type Verdict struct {
	Status Status
	// EndOfStandardSupport is the day standard support ends or ended, zero when unpublished.
	EndOfStandardSupport time.Time
	// Nearest is the offered version to move to (see Nearest), "" when none is known.
	Nearest string
}

// Creatable reports whether AWS accepts the version in a create call: everything but
// Deprecated and NotOffered (AWS creates versions past standard support, and charges).
func (v Verdict) Creatable() bool { return v.Status != Deprecated && v.Status != NotOffered }

// EngineVersion judges an engine version on the day at.
func EngineVersion(engine, version string, at time.Time) Verdict {
	v := Verdict{Status: judge(engine, version, at)}
	v.EndOfStandardSupport = endOfSupport(engine, version)
	if v.Status != VersionOffered && v.Status != Unknown {
		v.Nearest = Nearest(engine, version, at)
	}
	return v
}

func judge(engine, version string, at time.Time) Status {
	major, ok := majorOf(engine, version)
	if !ok {
		return Unknown
	}
	m, found := findMajor(engine, major)
	if !found {
		if lowest, any := lowestMajor(engine); any && less(major, lowest) {
			return NotOffered
		}
		return Unknown
	}
	r, listed := findRelease(engine, version)
	switch {
	case listed && !r.Offered:
		return Deprecated
	case !listed && m.Complete && !strings.HasSuffix(version, ".x") && (m.Closed || !newerThanListed(engine, m.Major, version)):
		return NotOffered
	}
	end := endOfSupport(engine, version)
	switch {
	case !end.IsZero() && !at.Before(end):
		return PastStandardSupport
	case !end.IsZero() && end.Sub(at) <= NearEndOfSupport:
		return Ending
	case !listed:
		return Unknown
	}
	return VersionOffered
}

// Nearest is the offered release to move to from version: in the same major the first
// release line at or above it (at its latest patch), else the lowest line of the next
// major that has one, else the engine's recommended release. Releases whose standard support ends within NearEndOfSupport of
// at are passed over: moving to them only buys weeks.
func Nearest(engine, version string, at time.Time) string {
	major, ok := majorOf(engine, version)
	if !ok {
		return ""
	}
	line := lineOf(engine, version)
	var best, bestMajor string
	for _, r := range releases {
		if r.Engine != engine || !r.Offered {
			continue
		}
		if end := endOfSupport(engine, r.Version); !end.IsZero() && end.Sub(at) <= NearEndOfSupport {
			continue
		}
		rm, _ := majorOf(engine, r.Version)
		switch {
		case rm == major:
			if less(lineOf(engine, r.Version), line) {
				continue
			}
		case less(rm, major):
			continue
		}
		if best == "" || better(engine, r.Version, rm, best, bestMajor) {
			best, bestMajor = r.Version, rm
		}
	}
	if best == "" && Recommended(engine) != version {
		return Recommended(engine)
	}
	return best
}

// better orders candidates: lower major, then lower line, then higher patch.
func better(engine, a, aMajor, b, bMajor string) bool {
	if aMajor != bMajor {
		return less(aMajor, bMajor)
	}
	al, bl := lineOf(engine, a), lineOf(engine, b)
	if al != bl {
		return less(al, bl)
	}
	return less(key(engine, b), key(engine, a))
}

// Recommended is the release regionctl suggests for new regions of engine.
func Recommended(engine string) string {
	for _, r := range releases {
		if r.Engine == engine && r.Recommended {
			return r.Version
		}
	}
	return ""
}

// Releases returns the catalog's releases (a copy).
func Releases() []Release { return append([]Release(nil), releases...) }

// Majors returns the catalog's major versions (a copy).
func Majors() []Major { return append([]Major(nil), majors...) }

// Downgrade reports whether moving from old to new lowers the engine version, which
// AWS refuses on a cluster (it only upgrades in place).
func Downgrade(engine, old, new string) bool {
	if old == "" || new == "" || old == new {
		return false
	}
	return less(key(engine, new), key(engine, old))
}

func endOfSupport(engine, version string) time.Time {
	if r, ok := findRelease(engine, version); ok && r.EndOfStandardSupport != "" {
		return day(r.EndOfStandardSupport)
	}
	if major, ok := majorOf(engine, version); ok {
		if m, ok := findMajor(engine, major); ok && m.EndOfStandardSupport != "" {
			return day(m.EndOfStandardSupport)
		}
	}
	return time.Time{}
}

func findMajor(engine, major string) (Major, bool) {
	for _, m := range majors {
		if m.Engine == engine && m.Major == major {
			return m, true
		}
	}
	return Major{}, false
}

func findRelease(engine, version string) (Release, bool) {
	for _, r := range releases {
		if r.Engine == engine && r.Version == version {
			return r, true
		}
	}
	return Release{}, false
}

func lowestMajor(engine string) (string, bool) {
	lowest := ""
	for _, m := range majors {
		if m.Engine == engine && (lowest == "" || less(m.Major, lowest)) {
			lowest = m.Major
		}
	}
	return lowest, lowest != ""
}

// newerThanListed reports whether version is above every listed release of its major:
// a release newer than the catalog, which AWS may well offer.
func newerThanListed(engine, major, version string) bool {
	for _, r := range releases {
		if rm, _ := majorOf(engine, r.Version); r.Engine == engine && rm == major && !less(key(engine, r.Version), key(engine, version)) {
			return false
		}
	}
	return true
}

// key is the part of a version that orders it: Aurora MySQL's own number (3.08.2)
// after "mysql_aurora.", the version itself for the others.
func key(engine, version string) string {
	if engine == AuroraMySQL {
		if _, aurora, ok := strings.Cut(version, ".mysql_aurora."); ok {
			return aurora
		}
	}
	return version
}

// majorOf is the major of a version: Aurora MySQL 3 for 8.0.mysql_aurora.3.08.2,
// PostgreSQL 16 for 16.10, Redis 7 for 7.1.
func majorOf(engine, version string) (string, bool) {
	k := key(engine, version)
	if engine == AuroraMySQL && k == version {
		return "", false
	}
	major, _, _ := strings.Cut(k, ".")
	if _, err := strconv.Atoi(major); err != nil {
		return "", false
	}
	return major, true
}

// lineOf is the release line a patch belongs to: 3.08 for Aurora MySQL 3.08.2, 5.0 for
// Redis 5.0.6; a PostgreSQL minor is its own line.
func lineOf(engine, version string) string {
	parts := strings.Split(key(engine, version), ".")
	if len(parts) > 2 {
		parts = parts[:2]
	}
	return strings.Join(parts, ".")
}

// less compares dotted versions numerically, part by part ("x" is above any number).
func less(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(as), len(bs)); i++ {
		if i >= len(as) {
			return true
		}
		if i >= len(bs) {
			return false
		}
		x, y := part(as[i]), part(bs[i])
		if x != y {
			return x < y
		}
	}
	return false
}

func part(s string) int {
	if s == "x" {
		return 1 << 30
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic("awsmodel: bad date in the catalog: " + s) // caught by the tests, never at run time
	}
	return t
}
