package awsmodel

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/regionctl/regionctl/internal/spec/awsregions"
)

// TestRegionFactsFresh fails once the region facts are older than MaxRegionFactsAge on
// the real clock: AWS adds families to regions every few months, and stale facts refuse
// classes AWS now offers (or miss ones it withdrew).
func TestRegionFactsFresh(t *testing.T) {
	if age := time.Since(RegionFactsChecked); age > MaxRegionFactsAge {
		t.Fatalf("the region facts were checked on %s, %d days ago (at most %d allowed): refresh internal/awsmodel/regions_table.go from its sources (see the package doc) and set RegionFactsChecked",
			RegionFactsChecked.Format("2006-01-02"), int(age.Hours()/24), int(MaxRegionFactsAge.Hours()/24))
	}
}

// TestRegionFactsCoverAWSPartition: every region of the commercial partition has facts
// (opt-in and AZs) and the table names no region AWS does not list.
func TestRegionFactsCoverAWSPartition(t *testing.T) {
	for _, id := range awsregions.IDs() {
		r, _ := awsregions.Lookup(id)
		if r.Partition != "aws" || r.Global {
			continue
		}
		if _, ok := Facts(id); !ok {
			t.Errorf("%s: no facts", id)
		}
	}
	for _, id := range Regions() {
		if r, ok := awsregions.Lookup(id); !ok || r.Partition != "aws" {
			t.Errorf("%s: not a region of the aws partition", id)
		}
	}
}

func TestRegionFactsWellFormed(t *testing.T) {
	for _, id := range Regions() {
		f, _ := Facts(id)
		if len(f.AZs) < 2 {
			t.Errorf("%s: %d AZs", id, len(f.AZs))
		}
		if len(f.Sources) == 0 {
			t.Errorf("%s: no source", id)
		}
		ids := map[string]bool{}
		for i, az := range f.AZs {
			if !strings.HasPrefix(az.Name, id) || len(az.Name) != len(id)+1 {
				t.Errorf("%s: AZ name %q", id, az.Name)
			}
			if i > 0 && f.AZs[i-1].Name >= az.Name {
				t.Errorf("%s: AZs not in name order", id)
			}
			if ids[az.ID] || !strings.Contains(az.ID, "-az") {
				t.Errorf("%s: AZ id %q duplicated or malformed", id, az.ID)
			}
			ids[az.ID] = true
		}
		for _, m := range f.Missing {
			for _, k := range []ClassKind{KindInstance, KindDB, KindCache} {
				if slices.Contains(f.list(k), m) {
					t.Errorf("%s: %s both offered and missing", id, m)
				}
			}
		}
		for _, k := range []ClassKind{KindInstance, KindDB, KindCache} {
			for _, c := range f.list(k) {
				p, ok := parseClass(c)
				if !ok || !slices.Contains(trackedFamilies[k], p.prefix+p.family) {
					t.Errorf("%s: %s %q is not of a tracked family", id, k, c)
				}
				if _, ok := VCPUs(c); k == KindInstance && !ok {
					t.Errorf("%s: no vCPU count for %s", id, c)
				}
			}
		}
	}
}

func TestOffered(t *testing.T) {
	tests := []struct {
		region       string
		kind         ClassKind
		class        string
		offered, kno bool
	}{
		{"eu-west-1", KindInstance, "m6i.large", true, true},
		{"us-east-1", KindInstance, "c7g.xlarge", true, true},
		{"ap-southeast-2", KindDB, "db.r6g.large", true, true},
		{"ap-northeast-1", KindCache, "cache.r7g.large", true, true},
		{"ap-southeast-4", KindDB, "db.r8g.large", false, true},
		{"ap-southeast-4", KindInstance, "r8g.xlarge", false, true},
		{"ap-southeast-4", KindInstance, "m7i.large", false, false}, // not in the facts: AWS decides
		{"eu-south-2", KindInstance, "m6i.large", false, false},     // AZs only
		{"mars-north-1", KindInstance, "m6i.large", false, false},
	}
	for _, tt := range tests {
		o, k := Offered(tt.region, tt.kind, tt.class)
		if o != tt.offered || k != tt.kno {
			t.Errorf("Offered(%s, %s, %s) = %v, %v; want %v, %v", tt.region, tt.kind, tt.class, o, k, tt.offered, tt.kno)
		}
	}
}

func TestNearestOffered(t *testing.T) {
	tests := []struct {
		region string
		kind   ClassKind
		class  string
		want   string
	}{
		{"eu-west-1", KindInstance, "m6i.large", "m6i.large"},
		{"ap-southeast-4", KindDB, "db.r8g.large", "db.r6g.large"},     // arm64 kept, newest offered
		{"ap-southeast-4", KindInstance, "m8g.2xlarge", "m6g.2xlarge"}, // same size, same arch
		{"ap-southeast-4", KindInstance, "m7i.large", "m6i.large"},     // x86 kept
		{"ap-southeast-4", KindInstance, "m6i.16xlarge", "m6i.4xlarge"},
		{"ap-southeast-4", KindCache, "cache.r7g.large", "cache.r6g.large"},
		{"eu-south-2", KindInstance, "m6i.large", ""},
		{"eu-west-1", KindInstance, "x2iedn.large", ""},
		{"eu-west-1", KindInstance, "garbage", ""},
	}
	for _, tt := range tests {
		if got := NearestOffered(tt.region, tt.kind, tt.class); got != tt.want {
			t.Errorf("NearestOffered(%s, %s, %s) = %q, want %q", tt.region, tt.kind, tt.class, got, tt.want)
		}
	}
}

func TestNearestInPrefersArchitectureThenGeneration(t *testing.T) {
	got := nearestIn([]string{"m5.large", "m7g.large", "m7i.large"}, "m6i.large")
	if got != "m7i.large" {
		t.Errorf("got %s, want m7i.large", got)
	}
	got = nearestIn([]string{"m5.large", "m7g.large"}, "m6i.large")
	if got != "m5.large" {
		t.Errorf("got %s, want m5.large (x86 kept)", got)
	}
}

// TestQuotasFresh: AWS changes default quotas rarely, but does (the On-Demand vCPU
// default for new accounts moved twice since 2019).
func TestQuotasFresh(t *testing.T) {
	if age := time.Since(QuotasChecked); age > MaxRegionFactsAge {
		t.Fatalf("the default quotas were checked on %s, %d days ago: refresh internal/awsmodel/quotas.go (see the package doc) and set QuotasChecked",
			QuotasChecked.Format("2006-01-02"), int(age.Hours()/24))
	}
}

func TestQuotasWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, q := range Quotas() {
		if !strings.HasPrefix(q.Code, "L-") || len(q.Code) != 10 || seen[q.Code] {
			t.Errorf("quota %q: malformed or duplicated code", q.Code)
		}
		seen[q.Code] = true
		if q.Default <= 0 || q.Source == "" || q.ServiceCode == "" || q.Counts == "" {
			t.Errorf("quota %s: missing default, source, service code or what it counts", q.Code)
		}
	}
	if q, ok := LookupQuota(QuotaElasticIPs); !ok || q.Default != 5 {
		t.Errorf("Elastic IPs: %+v", q)
	}
}
