package awsmodel

import "fmt"

// The region table. What is written here, and how sure it is:
//   - opt-in status: AWS's rule (launched after March 20, 2019) and its list of opt-in
//     Regions; sure.
//   - AZs: the zones a new account sees; sure for the names, for regions whose names map
//     to ids per account the ids are the common mapping (see RegionFacts.AZs).
//   - classes: only the families regionctl tracks, and only where the sources (or AWS's
//     launch announcements) confirm them. Large, long-established regions list every
//     tracked family; in others only the families every region of that age has (5th and
//     6th generation) are listed and newer ones are left unknown rather than guessed, so
//     preflight warns ("not in the facts; run with --live") instead of refusing. Missing
//     lists only absences a source states; those are refused.

// tracked families per kind and the sizes regionctl uses of each.
var (
	sizesMCR   = []string{"large", "xlarge", "2xlarge", "4xlarge"}
	sizesT     = []string{"medium", "large", "xlarge", "2xlarge"}
	sizesDBR   = []string{"large", "xlarge", "2xlarge", "4xlarge", "8xlarge"}
	sizesDBT   = []string{"medium", "large"}
	sizesCache = []string{"large", "xlarge", "2xlarge", "4xlarge"}
	sizesCT    = []string{"micro", "small", "medium"}
)

// trackedFamilies are the families the class lists speak about.
var trackedFamilies = map[ClassKind][]string{
	KindInstance: {"m5", "m6i", "m6g", "m7i", "m7g", "m8g", "c5", "c6i", "c6g", "c7i", "c7g", "c8g", "r5", "r6i", "r6g", "r7i", "r7g", "r8g", "t3", "t4g"},
	KindDB:       {"db.r5", "db.r6g", "db.r6i", "db.r7g", "db.r7i", "db.r8g", "db.t3", "db.t4g"},
	KindCache:    {"cache.m5", "cache.r5", "cache.t3", "cache.m6g", "cache.r6g", "cache.t4g", "cache.m7g", "cache.r7g"},
}

// familySizes is the sizes of a tracked family.
func familySizes(kind ClassKind, family string) []string {
	switch {
	case kind == KindDB && (family == "db.t3" || family == "db.t4g"):
		return sizesDBT
	case kind == KindDB:
		return sizesDBR
	case kind == KindCache && (family == "cache.t3" || family == "cache.t4g"):
		return sizesCT
	case kind == KindCache:
		return sizesCache
	case family == "t3" || family == "t4g":
		return sizesT
	}
	return sizesMCR
}

// expand turns families into classes: every size regionctl tracks of each.
func expand(kind ClassKind, families []string) []string {
	var out []string
	for _, fam := range families {
		for _, s := range familySizes(kind, fam) {
			out = append(out, fam+"."+s)
		}
	}
	return out
}

type regionRow struct {
	optIn    bool
	azs      []AZ
	azSource string
	classes  *classRow // nil: no class facts for the region
}

type classRow struct {
	ec2, db, cache []string
	missing        map[ClassKind][]string
	note           string
}

// Class rows by how much the sources confirm.
var (
	// every tracked family: the largest, oldest regions, where each generation launched first.
	classesAll = &classRow{
		ec2:   []string{"m5", "m6i", "m6g", "m7i", "m7g", "m8g", "c5", "c6i", "c6g", "c7i", "c7g", "c8g", "r5", "r6i", "r6g", "r7i", "r7g", "r8g", "t3", "t4g"},
		db:    []string{"db.r5", "db.r6g", "db.r6i", "db.r7g", "db.r7i", "db.r8g", "db.t3", "db.t4g"},
		cache: []string{"cache.m5", "cache.r5", "cache.t3", "cache.m6g", "cache.r6g", "cache.t4g", "cache.m7g", "cache.r7g"},
	}
	// up to the 7th generation; Graviton4 (8g) left unknown.
	classesGen7 = &classRow{
		ec2:   []string{"m5", "m6i", "m6g", "m7i", "m7g", "c5", "c6i", "c6g", "c7i", "c7g", "r5", "r6i", "r6g", "r7i", "r7g", "t3", "t4g"},
		db:    []string{"db.r5", "db.r6g", "db.r6i", "db.r7g", "db.t3", "db.t4g"},
		cache: []string{"cache.m5", "cache.r5", "cache.t3", "cache.m6g", "cache.r6g", "cache.t4g", "cache.m7g", "cache.r7g"},
	}
	// 5th and 6th generation only; newer ones left unknown.
	classesGen6 = &classRow{
		ec2:   []string{"m5", "m6i", "m6g", "c5", "c6i", "c6g", "r5", "r6i", "r6g", "t3", "t4g"},
		db:    []string{"db.r5", "db.r6g", "db.t3", "db.t4g"},
		cache: []string{"cache.m5", "cache.r5", "cache.t3", "cache.m6g", "cache.r6g", "cache.t4g"},
	}
	// Melbourne launched (January 2023) with 5th and 6th generation families; Graviton4
	// (8g, and Aurora's db.r8g) was not among the Regions AWS named for it.
	classesMelbourne = &classRow{
		ec2:   classesGen6.ec2,
		db:    classesGen6.db,
		cache: classesGen6.cache,
		missing: map[ClassKind][]string{
			KindInstance: {"m8g", "c8g", "r8g"},
			KindDB:       {"db.r8g"},
		},
		note: "https://aws.amazon.com/blogs/aws/now-open-aws-region-in-melbourne/ (launch families) and the Graviton4 (R8g/M8g/C8g, Aurora db.r8g) Region lists, which do not name Melbourne; not re-checked after 2025",
	}
)

// zones builds AZs from letters and zone id numbers: zones("euw1", "a1", "b2", "c3").
func zones(region, idPrefix string, letterIDs ...string) []AZ {
	azs := make([]AZ, len(letterIDs))
	for i, li := range letterIDs {
		azs[i] = AZ{Name: region + li[:1], ID: fmt.Sprintf("%s-az%s", idPrefix, li[1:])}
	}
	return azs
}

func abc(region, idPrefix string) []AZ { return zones(region, idPrefix, "a1", "b2", "c3") }

// regionTable covers every region of the aws partition.
var regionTable = map[string]regionRow{
	// North America
	"us-east-1": {azs: zones("us-east-1", "use1", "a1", "b2", "c3", "d4", "e5", "f6"), azSource: "us-east-1: six zones; names map to ids per account (accounts before November 2025), so the ids here are placeholders in name order; use1-az3 is a constrained zone that lacks newer families", classes: classesAll},
	"us-east-2": {azs: abc("us-east-2", "use2"), classes: classesAll},
	// us-west-1 offers two zones to new accounts (usw1-az2 is closed); which letters
	// they get varies (a/c or b/c).
	"us-west-1":    {azs: zones("us-west-1", "usw1", "a1", "c3"), azSource: "us-west-1: two zones for new accounts; the letters vary per account (a, c or b, c)", classes: classesGen6},
	"us-west-2":    {azs: zones("us-west-2", "usw2", "a1", "b2", "c3", "d4"), classes: classesAll},
	"ca-central-1": {azs: zones("ca-central-1", "cac1", "a1", "b2", "d4"), azSource: srcCAC1, classes: classesGen7},
	"ca-west-1":    {optIn: true, azs: abc("ca-west-1", "caw1")},
	"mx-central-1": {optIn: true, azs: abc("mx-central-1", "mxc1")},
	"sa-east-1":    {azs: abc("sa-east-1", "sae1"), classes: classesGen6},

	// Europe
	"eu-west-1":    {azs: abc("eu-west-1", "euw1"), classes: classesAll},
	"eu-west-2":    {azs: abc("eu-west-2", "euw2"), classes: classesGen7},
	"eu-west-3":    {azs: abc("eu-west-3", "euw3"), classes: classesGen6},
	"eu-central-1": {azs: abc("eu-central-1", "euc1"), classes: classesAll},
	"eu-central-2": {optIn: true, azs: abc("eu-central-2", "euc2")},
	"eu-north-1":   {azs: abc("eu-north-1", "eun1"), classes: classesGen7},
	"eu-south-1":   {optIn: true, azs: abc("eu-south-1", "eus1"), classes: classesGen6},
	"eu-south-2":   {optIn: true, azs: abc("eu-south-2", "eus2")},

	// Asia Pacific
	"ap-northeast-1": {azs: zones("ap-northeast-1", "apne1", "a4", "c1", "d2"), azSource: srcAPNE1, classes: classesAll},
	"ap-northeast-2": {azs: zones("ap-northeast-2", "apne2", "a1", "b2", "c3", "d4"), classes: classesGen7},
	"ap-northeast-3": {azs: abc("ap-northeast-3", "apne3"), classes: classesGen6},
	"ap-south-1":     {azs: abc("ap-south-1", "aps1"), classes: classesGen7},
	"ap-south-2":     {optIn: true, azs: abc("ap-south-2", "aps2")},
	"ap-southeast-1": {azs: abc("ap-southeast-1", "apse1"), classes: classesGen7},
	"ap-southeast-2": {azs: abc("ap-southeast-2", "apse2"), classes: classesGen7},
	"ap-southeast-3": {optIn: true, azs: abc("ap-southeast-3", "apse3")},
	"ap-southeast-4": {optIn: true, azs: abc("ap-southeast-4", "apse4"), classes: classesMelbourne},
	"ap-southeast-5": {optIn: true, azs: abc("ap-southeast-5", "apse5")},
	"ap-southeast-6": {optIn: true, azs: abc("ap-southeast-6", "apse6")},
	"ap-southeast-7": {optIn: true, azs: abc("ap-southeast-7", "apse7")},
	"ap-east-1":      {optIn: true, azs: abc("ap-east-1", "ape1")},
	"ap-east-2":      {optIn: true, azs: abc("ap-east-2", "ape2")},

	// Middle East, Africa
	"me-south-1":   {optIn: true, azs: abc("me-south-1", "mes1")},
	"me-central-1": {optIn: true, azs: abc("me-central-1", "mec1")},
	"il-central-1": {optIn: true, azs: abc("il-central-1", "ilc1")},
	"af-south-1":   {optIn: true, azs: abc("af-south-1", "afs1")},

	// In aws-sdk-go-v2 v1.48.0's partitions.json; opt-in by AWS's rule. Three zones,
	// named a-c with ids by AWS's naming rule, as every region launched since 2019 has:
	// not checked against an account.
	"me-west-1": {optIn: true, azs: abc("me-west-1", "mew1")},
	"sa-west-1": {optIn: true, azs: abc("sa-west-1", "saw1")},
}
