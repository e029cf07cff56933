package awsmodel

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// RegionFactsChecked is the day the region facts below were last compared with their
// sources; MaxRegionFactsAge is how old that may get before TestRegionFactsFresh asks
// for a refresh (AWS adds instance families to regions every few months).
var RegionFactsChecked = time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)

const MaxRegionFactsAge = 120 * 24 * time.Hour

// Sources of the region facts.
const (
	srcOptIn = "https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html (Regions launched after March 20, 2019 are opt-in)"
	srcAZs   = "https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html and az-ids.html (AZ ids per Region)"
	srcAPNE1 = "aws ec2 describe-availability-zones --region ap-northeast-1 in accounts created since 2018: 1a=apne1-az4, 1c=apne1-az1, 1d=apne1-az2 (1b/apne1-az3 is closed to new accounts)"
	srcCAC1  = "ca-central-1: cac1-az3 (ca-central-1c) is closed to new accounts; ca-central-1d (cac1-az4) opened 2021"
	srcEC2   = "https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-regions.html (Amazon EC2 instance types by Region) and DescribeInstanceTypeOfferings"
	srcAur   = "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.DBInstanceClass.SupportAurora.html and Concepts.DBInstanceClass.RegionSupportAurora.html (describe-orderable-db-instance-options)"
	srcEC    = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html (Supported node types by AWS Region)"
)

// AZ is one availability zone of a region: its name (as the EC2 API shows it in most
// accounts) and its zone id (the same physical zone in every account).
type AZ struct{ Name, ID string }

// RegionFacts is what one AWS region offers.
type RegionFacts struct {
	ID string
	// OptIn: must be enabled per account before use (regions launched after March 2019).
	OptIn bool
	// AZs are the zones usable by default, in name order (ap-northeast-1: a, c, d — there
	// is no 1b for new accounts). In the regions AWS launched before November 2012 names
	// map to ids per account (for accounts created before November 2025), so there the
	// ids are the usual mapping, not a promise; the names are.
	AZs []AZ
	// InstanceTypes are EC2 instance types offered in the region, DBClasses Aurora
	// (MySQL and PostgreSQL) DB instance classes, CacheNodeTypes ElastiCache node types.
	// Only the families regionctl tracks (see trackedFamilies) are listed, and only
	// those the sources confirm: a class absent from a list is not known to be missing
	// unless it is in Missing.
	InstanceTypes  []string
	DBClasses      []string
	CacheNodeTypes []string
	// Missing are classes of tracked families the sources say the region does not offer.
	Missing []string
	// Sources say where each part of the facts comes from.
	Sources []string
}

// ClassKind says which catalogue a class belongs to.
type ClassKind string

const (
	KindInstance ClassKind = "instance type"
	KindDB       ClassKind = "DB instance class"
	KindCache    ClassKind = "cache node type"
)

// Facts returns what the table knows about region.
func Facts(region string) (RegionFacts, bool) {
	r, ok := regionTable[region]
	if !ok {
		return RegionFacts{}, false
	}
	f := RegionFacts{ID: region, OptIn: r.optIn, AZs: slices.Clone(r.azs), Sources: []string{srcAZs}}
	if r.optIn {
		f.Sources = append(f.Sources, srcOptIn)
	}
	if r.azSource != "" {
		f.Sources = append(f.Sources, r.azSource)
	}
	if r.classes != nil {
		f.InstanceTypes = expand(KindInstance, r.classes.ec2)
		f.DBClasses = expand(KindDB, r.classes.db)
		f.CacheNodeTypes = expand(KindCache, r.classes.cache)
		for _, k := range []ClassKind{KindInstance, KindDB, KindCache} {
			f.Missing = append(f.Missing, expand(k, r.classes.missing[k])...)
		}
		f.Sources = append(f.Sources, srcEC2, srcAur, srcEC)
		if r.classes.note != "" {
			f.Sources = append(f.Sources, r.classes.note)
		}
	}
	return f, true
}

// Regions returns the ids of every region the table covers, sorted.
func Regions() []string {
	ids := make([]string, 0, len(regionTable))
	for id := range regionTable {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Offered reports whether region offers class of kind; known is false when the facts do
// not cover the region, or not the class's family there (AWS decides; --live asks it).
func Offered(region string, kind ClassKind, class string) (offered, known bool) {
	f, ok := Facts(region)
	if !ok {
		return false, false
	}
	if slices.Contains(f.list(kind), class) {
		return true, true
	}
	if slices.Contains(f.Missing, class) {
		return false, true
	}
	return false, false
}

func (f RegionFacts) list(kind ClassKind) []string {
	switch kind {
	case KindInstance:
		return f.InstanceTypes
	case KindDB:
		return f.DBClasses
	case KindCache:
		return f.CacheNodeTypes
	}
	return nil
}

// NearestOffered is the offered class of kind in region closest to class: the class
// itself if offered, else the same size in the nearest family of the same purpose (same
// letter m/c/r/t; the same architecture, arm64 or x86, first, because the AMI and the
// software follow it; then the newest generation), else the nearest size of those
// families; "" when none.
func NearestOffered(region string, kind ClassKind, class string) string {
	f, ok := Facts(region)
	if !ok {
		return ""
	}
	return nearestIn(f.list(kind), class)
}

// nearestIn picks the candidate closest to class (see NearestOffered).
func nearestIn(candidates []string, class string) string {
	if slices.Contains(candidates, class) {
		return class
	}
	want, ok := parseClass(class)
	if !ok {
		return ""
	}
	best, bestScore := "", []int(nil)
	for _, c := range candidates {
		got, ok := parseClass(c)
		if !ok || got.prefix != want.prefix || got.letter != want.letter {
			continue
		}
		score := []int{
			abs(sizeRank(got.size) - sizeRank(want.size)), // the size first: capacity is what the file asked for
			b2i(got.arm != want.arm),                      // then the architecture
			-got.gen,                                      // then the newest generation
			b2i(got.family != want.family),
			sizeRank(got.size), // ties: the smaller size
		}
		if best == "" || slices.Compare(score, bestScore) < 0 {
			best, bestScore = c, score
		}
	}
	return best
}

type classParts struct {
	prefix, family, size string // "db.", "r6g", "xlarge"
	letter               byte
	gen                  int
	arm                  bool
}

// parseClass splits m6i.large, db.r6g.xlarge and cache.t4g.micro into their parts.
func parseClass(class string) (classParts, bool) {
	var p classParts
	rest := class
	for _, pre := range []string{"db.", "cache."} {
		if strings.HasPrefix(rest, pre) {
			p.prefix, rest = pre, strings.TrimPrefix(rest, pre)
		}
	}
	family, size, ok := strings.Cut(rest, ".")
	if !ok || len(family) < 2 || sizeRank(size) < 0 {
		return p, false
	}
	p.family, p.size, p.letter = family, size, family[0]
	i := 1
	for i < len(family) && family[i] >= '0' && family[i] <= '9' {
		i++
	}
	gen, err := strconv.Atoi(family[1:i])
	if err != nil {
		return p, false
	}
	p.gen = gen
	p.arm = strings.HasPrefix(family[i:], "g")
	return p, true
}

var sizes = []string{"nano", "micro", "small", "medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge", "32xlarge", "48xlarge"}

func sizeRank(size string) int { return slices.Index(sizes, size) }

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
