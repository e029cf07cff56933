package scaffold

import "slices"

// fakeFacts answers from tables; a region missing from azs is not known.
type fakeFacts struct {
	azs     map[string][]string
	offered map[Kind][]string // offered in every known region
	nearest map[string]string // class → nearest
}

func (f fakeFacts) AZs(region string) ([]string, bool) {
	z, ok := f.azs[region]
	return z, ok
}

func (f fakeFacts) Offered(region string, kind Kind, class string) (bool, bool) {
	if _, ok := f.azs[region]; !ok {
		return false, false
	}
	return slices.Contains(f.offered[kind], class), true
}

func (f fakeFacts) Nearest(region string, kind Kind, class string) string { return f.nearest[class] }

var tokyo = fakeFacts{
	azs: map[string][]string{
		"ap-northeast-1": {"ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"},
		"eu-central-1":   {"eu-central-1a", "eu-central-1b", "eu-central-1c"},
	},
	offered: map[Kind][]string{
		KindInstance: {"m6i.large", "c6i.xlarge", "m6i.xlarge", "c6i.2xlarge", "c7g.xlarge"},
		KindDB:       {"db.r6g.xlarge", "db.r6g.large", "db.r6g.2xlarge"},
		KindCache:    {"cache.r6g.large", "cache.r6g.xlarge"},
	},
	nearest: map[string]string{"m7i.large": "m6i.large", "db.r7g.xlarge": "db.r6g.xlarge"},
}
