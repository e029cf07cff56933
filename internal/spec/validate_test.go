package spec

import (
	"reflect"
	"strings"
	"testing"
)

func TestInstanceTypePatterns(t *testing.T) {
	tests := []struct {
		s                  string
		ec2, db, cacheNode bool
	}{
		{s: "m6i.large", ec2: true},
		{s: "c7gn.16xlarge", ec2: true},
		{s: "t4g.micro", ec2: true},
		{s: "m7i-flex.2xlarge", ec2: true},
		{s: "mac2-m2pro.metal", ec2: true},
		{s: "u-6tb1.112xlarge", ec2: true},
		{s: "c6id.metal-48xl", ec2: true},
		{s: "db.r6g.xlarge", db: true},
		{s: "db.serverless", db: true},
		{s: "db.x2iedn.24xlarge", db: true},
		{s: "cache.r6g.large", cacheNode: true},
		{s: "cache.t4g.micro", cacheNode: true},
		{s: "m6i"},
		{s: "m6i."},
		{s: ".large"},
		{s: "m6i.huge"},
		{s: "M6i.large"},
		{s: "mi.large"},
		{s: "m6i-.large"},
		{s: "db.r6g"},
		{s: "cache.serverless"},
		{s: "m6i.large "},
	}
	for _, tt := range tests {
		if got := instanceType.MatchString(tt.s); got != tt.ec2 {
			t.Errorf("EC2 %q = %v, want %v", tt.s, got, tt.ec2)
		}
		if got := dbClass.MatchString(tt.s); got != tt.db {
			t.Errorf("DB %q = %v, want %v", tt.s, got, tt.db)
		}
		if got := cacheNodeType.MatchString(tt.s); got != tt.cacheNode {
			t.Errorf("cache %q = %v, want %v", tt.s, got, tt.cacheNode)
		}
	}
}

func TestResourceNameProblem(t *testing.T) {
	tests := []struct{ name, want string }{
		{"web", ""},
		{"web-2", ""},
		{"a", ""},
		{"", "is empty"},
		{"Web", `use "web"`},
		{"web_api", `has "_"`},
		{"wéb", `has "é"`},
		{"2web", "must start with a letter"},
		{"-web", "must start with a letter"},
		{"web--api", "two hyphens"},
		{"web-", "ends with a hyphen"},
		{strings.Repeat("a", 29), "is 29 characters; fleet names are at most 28"},
		{strings.Repeat("a", 28), ""},
	}
	for _, tt := range tests {
		got := resourceNameProblem(tt.name, "fleet", 28, "why")
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("resourceNameProblem(%q) = %q, want it to contain %q", tt.name, got, tt.want)
		}
		if matches := resourceName.MatchString(tt.name) && len(tt.name) <= 28; matches != (got == "") {
			t.Errorf("%q: pattern says %v, checks say %q", tt.name, matches, got)
		}
	}
}

func TestWindows(t *testing.T) {
	tests := []struct {
		backup, maintenance string
		overlap             bool
	}{
		{"02:00-03:00", "sun:04:00-sun:05:00", false},
		{"04:00-05:00", "sun:04:00-sun:05:00", true},
		{"03:30-04:00", "sun:04:00-sun:05:00", false}, // ends as maintenance starts
		{"03:30-04:01", "sun:04:00-sun:05:00", true},
		{"05:00-06:00", "sun:04:00-sun:05:00", false},
		{"23:50-00:20", "mon:00:00-mon:00:30", true}, // backup wraps midnight into monday
		{"23:00-23:30", "sun:23:30-mon:00:15", false},
		{"00:00-00:30", "sun:23:30-mon:00:15", true}, // maintenance wraps into monday
		{"12:00-13:00", "sat:22:00-tue:01:00", true}, // a long maintenance window
		{"12:00-13:00", "sun:23:45-mon:00:15", false},
	}
	for _, tt := range tests {
		c := &checker{}
		b, okB := c.window("b", tt.backup, false)
		m, okM := c.window("m", tt.maintenance, true)
		if !okB || !okM || len(c.probs) > 0 {
			t.Fatalf("%s / %s: %v", tt.backup, tt.maintenance, c.probs)
		}
		if got := b.overlapsDaily(m); got != tt.overlap {
			t.Errorf("%s overlaps %s = %v, want %v", tt.backup, tt.maintenance, got, tt.overlap)
		}
	}
	for _, bad := range []string{"2:00-3:00", "24:00-01:00", "02:00-02:29", "02:00", "02:00-03:00 ", ""} {
		c := &checker{}
		if _, ok := c.window("b", bad, false); ok {
			t.Errorf("backup window %q accepted", bad)
		}
	}
	for _, bad := range []string{"sun:04:00-05:00", "Sun:04:00-sun:05:00", "sunday:04:00-sunday:05:00", "sun:04:00-sun:04:29"} {
		c := &checker{}
		if _, ok := c.window("m", bad, true); ok {
			t.Errorf("maintenance window %q accepted", bad)
		}
	}
}

func TestSuggest(t *testing.T) {
	fields := []string{"cidr", "azs", "natGateways", "flowLogs"}
	tests := []struct {
		word       string
		candidates []string
		want       []string
	}{
		{"natGateway", fields, []string{"natGateways"}},
		{"nat_gateways", fields, []string{"natGateways"}},
		{"FLOWLOGS", fields, []string{"flowLogs"}},
		{"az", fields, []string{"azs"}},
		{"colour", fields, nil},
		{"x", fields, nil},
		{"mysql", []string{"aurora-mysql", "aurora-postgresql"}, []string{"aurora-mysql"}},
		{"postgres", []string{"aurora-mysql", "aurora-postgresql"}, []string{"aurora-postgresql"}},
		{"eu-west-9", deployableRegions(), []string{"eu-west-1", "eu-west-2", "eu-west-3"}},
		{"us-east1", deployableRegions(), []string{"us-east-1"}},
		{strings.Repeat("a", 1000), fields, nil},
	}
	for _, tt := range tests {
		if got := suggest(tt.word, tt.candidates); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("suggest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
	if got := didYouMean("eu-west-9", deployableRegions()); got != `; did you mean "eu-west-1", "eu-west-2" or "eu-west-3"?` {
		t.Errorf("didYouMean = %q", got)
	}
}

func TestRegionProblem(t *testing.T) {
	tests := []struct{ id, want string }{
		{"eu-west-1", ""},
		{"eu-central-2", ""},
		{"ap-southeast-2", ""},
		{"us-gov-west-1", ""},
		{"", "empty"},
		{"aws-global", "global endpoints"},
		{"eu-west-9", "not an AWS region"},
		{"EU-WEST-1", `did you mean "eu-west-1"?`},
	}
	for _, tt := range tests {
		got := regionProblem(tt.id)
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("regionProblem(%q) = %q, want %q", tt.id, got, tt.want)
		}
	}
}

func TestParentField(t *testing.T) {
	tests := map[string]string{
		"databases[0].instances":  "databases[0]",
		"databases[0]":            "databases",
		"databases":               "",
		"":                        "",
		`tags["a.b[c]"]`:          "tags",
		"network.azs[2]":          "network.azs",
		"servers[1].loadBalancer": "servers[1]",
	}
	for in, want := range tests {
		if got := parentField(in); got != want {
			t.Errorf("parentField(%q) = %q, want %q", in, got, want)
		}
	}
}
