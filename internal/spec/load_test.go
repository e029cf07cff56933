package spec

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite golden files (testdata/**/*.err, regions/schema.json)")

// fixturePath is the path a bad fixture is loaded as. Region files must be named after
// their region, so a fixture says which file it stands for on its first line
// ("# as: regions/us-east-1.yaml"); the default is regions/eu-west-1.yaml. The golden
// output then reads exactly like what a user sees.
func fixturePath(data []byte) string {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if as, ok := bytes.CutPrefix(first, []byte("# as: ")); ok {
		return string(bytes.TrimSpace(as))
	}
	return "regions/eu-west-1.yaml"
}

func testJurisdictions(t testing.TB) Jurisdictions {
	t.Helper()
	j, err := LoadJurisdictions("testdata/jurisdictions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return j
}

// golden compares got with the golden file, or rewrites it with -update.
func golden(t *testing.T, file, got string) {
	t.Helper()
	testutil.Golden(t, file, []byte(got), *update)
}

// problemsOf asserts err is Problems and renders them as the golden files hold them.
func problemsOf(t *testing.T, err error) string {
	t.Helper()
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error is %T, want Problems: %v", err, err)
	}
	for _, p := range ps {
		if p.Line < 1 || p.Col < 1 {
			t.Errorf("problem without a position: %+v", p)
		}
		if p.Message == "" || strings.HasSuffix(p.Message, ".") || strings.ToLower(p.Message[:1]) != p.Message[:1] {
			t.Errorf("message must be lowercase without a trailing period: %q", p.Message)
		}
		for _, goName := range []string{"[]spec.", "spec.", "!!", "int64", "map[", "reflect", "yaml.Node"} {
			if strings.Contains(p.Message, goName) {
				t.Errorf("message shows an implementation name %q: %q", goName, p.Message)
			}
		}
	}
	return err.Error() + "\n"
}

func TestBadRegionFiles(t *testing.T) {
	j := testJurisdictions(t)
	files, err := filepath.Glob("testdata/bad/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Load(fixturePath(data), data, j)
			if err == nil {
				t.Fatalf("loaded without problems: %+v", r)
			}
			if r != nil {
				t.Error("a region came back with problems")
			}
			golden(t, strings.TrimSuffix(file, ".yaml")+".err", problemsOf(t, err))
		})
	}
}

func TestGoodRegionFiles(t *testing.T) {
	for _, dir := range []string{"testdata/good", "../../regions"} {
		t.Run(dir, func(t *testing.T) {
			regions, err := LoadDir(dir)
			if err != nil {
				t.Fatalf("LoadDir(%s):\n%v", dir, err)
			}
			if len(regions) == 0 {
				t.Fatal("no regions")
			}
			for i, r := range regions {
				if i > 0 && regions[i-1].Region >= r.Region {
					t.Errorf("regions not sorted by id: %s before %s", regions[i-1].Region, r.Region)
				}
				if want := filepath.Join(dir, r.Region+".yaml"); r.Source == nil || r.Source.Path != want {
					t.Errorf("%s: source %+v, want path %s", r.Region, r.Source, want)
				}
				if len(r.AZNames) < 2 {
					t.Errorf("%s: AZNames %v", r.Region, r.AZNames)
				}
			}
		})
	}
}

func TestShippedRegions(t *testing.T) {
	regions, err := LoadDir("../../regions")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range regions {
		ids = append(ids, r.Region+"/"+r.Jurisdiction)
	}
	want := []string{"ap-southeast-2/au", "eu-west-1/eu", "us-east-1/us"}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("regions = %v, want %v", ids, want)
	}
	accounts := map[string]string{}
	for _, r := range regions {
		if other, dup := accounts[r.AccountID]; dup {
			t.Errorf("%s and %s share account %s", r.Region, other, r.AccountID)
		}
		accounts[r.AccountID] = r.Region
		data, err := os.ReadFile(r.Source.Path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte("# yaml-language-server: $schema=./schema.json\n")) {
			t.Errorf("%s does not start with the yaml-language-server schema comment", r.Source.Path)
		}
	}
	if us := regions[2]; len(us.AZNames) < 3 || us.Servers[0].Max <= regions[1].Servers[0].Max {
		t.Errorf("us-east-1 should be the biggest region with 3+ AZs: %v, web max %d", us.AZNames, us.Servers[0].Max)
	}
}

func TestShippedJurisdictions(t *testing.T) {
	j, err := LoadJurisdictions("../../regions/jurisdictions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"us", "eu", "uk", "au", "ca", "jp", "in", "br", "ch", "sg", "kr", "de"} {
		if len(j[name]) == 0 {
			t.Errorf("jurisdiction %s is missing", name)
		}
	}
	tests := []struct {
		jurisdiction, region string
		in                   bool
	}{
		{"eu", "eu-west-1", true},
		{"eu", "eu-west-3", true},
		{"eu", "eu-central-1", true},
		{"eu", "eu-north-1", true},
		{"eu", "eu-south-1", true},
		{"eu", "eu-south-2", true},
		{"eu", "eu-west-2", false},    // London
		{"eu", "eu-central-2", false}, // Zurich
		{"uk", "eu-west-2", true},
		{"ch", "eu-central-2", true},
		{"au", "ap-southeast-2", true},
		{"au", "ap-southeast-4", true},
		{"us", "us-east-1", true},
		{"us", "ca-central-1", false},
		{"br", "sa-east-1", true},
	}
	for _, tt := range tests {
		got := false
		for _, r := range j[tt.jurisdiction] {
			got = got || r == tt.region
		}
		if got != tt.in {
			t.Errorf("%s in %s = %v, want %v", tt.region, tt.jurisdiction, got, tt.in)
		}
	}
}

func TestBadJurisdictionFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/bad-jurisdictions/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			j, err := LoadJurisdictions(file)
			if err == nil {
				t.Fatalf("loaded without problems: %v", j)
			}
			golden(t, strings.TrimSuffix(file, ".yaml")+".err", problemsOf(t, err))
		})
	}
}

func TestLoadDirOverlap(t *testing.T) {
	_, err := LoadDir("testdata/overlap")
	golden(t, "testdata/overlap.err", problemsOf(t, err))

	// Naming one region still checks it against every file, and reports only its file.
	_, err = LoadDir("testdata/overlap", "eu-west-1")
	got := problemsOf(t, err)
	if strings.Contains(got, "\ntestdata/overlap/eu-central-1.yaml") || !strings.HasPrefix(got, "testdata/overlap/eu-west-1.yaml:5:9: network.cidr: 10.20.0.0/16 overlaps") {
		t.Errorf("LoadDir(eu-west-1) problems:\n%s", got)
	}
}

func TestLoadDirSelect(t *testing.T) {
	regions, err := LoadDir("testdata/good", "eu-west-1", "ap-southeast-2", "eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range regions {
		ids = append(ids, r.Region)
	}
	if want := []string{"eu-west-1", "ap-southeast-2"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("got %v, want %v", ids, want)
	}

	_, err = LoadDir("testdata/good", "eu-west-9")
	want := "no region file testdata/good/eu-west-9.yaml in testdata/good; did you mean \"eu-west-1\"?; available: ap-southeast-2, eu-central-1, eu-west-1, us-east-1"
	if err == nil || err.Error() != want {
		t.Errorf("unknown id:\ngot  %v\nwant %s", err, want)
	}
	var ps Problems
	if errors.As(err, &ps) {
		t.Error("an unknown id is a usage error, not a problem in a file")
	}
}

func TestLoadDirErrors(t *testing.T) {
	if _, err := LoadDir("testdata/missing"); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing dir: %v", err)
	}
	if _, err := LoadFile("testdata/missing.yaml", nil); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := LoadJurisdictions("testdata/missing.yaml"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing jurisdictions: %v", err)
	}
}

func TestHugeFileIsRefusedBeforeParsing(t *testing.T) {
	// Valid YAML, so only the size check can refuse it.
	data := []byte("region: eu-west-1\ntags:\n" + strings.Repeat("  k: \"v\"\n", MaxFileSize/9+1))
	want := "regions/eu-west-1.yaml:1:1: file is 1.0 MiB; configuration files are limited to 1 MiB"

	_, err := Load("regions/eu-west-1.yaml", data, testJurisdictions(t))
	if got := strings.TrimSpace(problemsOf(t, err)); got != want {
		t.Errorf("Load:\ngot  %s\nwant %s", got, want)
	}

	dir := filepath.Join(t.TempDir(), "regions")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "eu-west-1.yaml")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadFile(path, testJurisdictions(t))
	if got := strings.TrimSpace(problemsOf(t, err)); got != strings.Replace(want, "regions/eu-west-1.yaml", path, 1) {
		t.Errorf("LoadFile:\ngot  %s", got)
	}
}

func TestPositionsPointAtValues(t *testing.T) {
	r, err := LoadFile("../../regions/eu-west-1.yaml", testJurisdictionsShipped(t))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile("../../regions/eu-west-1.yaml")
	lines := strings.Split(string(data), "\n")
	for field, want := range map[string]string{
		"region":                  "eu-west-1",
		"network.cidr":            "10.20.0.0/16",
		"network.azs":             "3",
		"servers[1]":              "name: worker",
		"servers[1].name":         "worker",
		"databases[0].instances":  "2",
		"tags.costCenter":         "hosting-eu",
		"servers[0].loadBalancer": "{ public: true, certificateArn: ",
		"features.whatsapp":       "false",
		"caches[0].replicas":      "1",
	} {
		p, ok := r.Source.Positions[field]
		if !ok {
			t.Errorf("no position for %s", field)
			continue
		}
		if line := lines[p.Line-1]; !strings.HasPrefix(line[p.Col-1:], want) {
			t.Errorf("%s at %d:%d is %q, want it to start with %q", field, p.Line, p.Col, line[p.Col-1:], want)
		}
	}
}

func testJurisdictionsShipped(t testing.TB) Jurisdictions {
	t.Helper()
	j, err := LoadJurisdictions("../../regions/jurisdictions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func TestDefaultsAndExplicitValues(t *testing.T) {
	regions, err := LoadDir("testdata/good", "eu-central-1")
	if err != nil {
		t.Fatal(err)
	}
	r := regions[0] // the minimal file: every optional field defaulted
	if r.Network.AZs.Count != DefaultAZCount || r.Network.NATGateways != NATPerAZ || r.Network.FlowLogs == nil || !*r.Network.FlowLogs ||
		r.Network.InterfaceEndpoints == nil || !*r.Network.InterfaceEndpoints {
		t.Errorf("network defaults: %+v", r.Network)
	}
	if r.Logs.RetentionDays != DefaultLogRetentionDays {
		t.Errorf("logs defaults: %+v", r.Logs)
	}

	regions, err = LoadDir("testdata/good", "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	r = regions[0] // the full file: every field set
	s := r.Servers[0]
	if *s.Desired != 4 || s.Port != 9000 || s.HealthCheckPath != "/ping" || s.VolumeSizeGiB != 40 || s.LoadBalancer == nil || s.LoadBalancer.Public {
		t.Errorf("explicit server values lost: %+v %+v", s, s.LoadBalancer)
	}
	if got := r.Network.AZs.Names; !reflect.DeepEqual(got, []string{"us-east-1a", "us-east-1c", "us-east-1f"}) || !reflect.DeepEqual(r.AZNames, got) {
		t.Errorf("AZ names: %v, AZNames %v", got, r.AZNames)
	}
	if *r.Buckets[0].NoncurrentVersionDays != 0 || *r.Network.FlowLogs || *r.Network.InterfaceEndpoints {
		t.Error("explicit 0 / false replaced by a default")
	}
	if len(r.Alarms.HTTPS) != 1 || !strings.HasPrefix(r.Alarms.HTTPS[0], "https://") {
		t.Errorf("alarms.https: %q", r.Alarms.HTTPS)
	}
	if r.Tags["cost center"] != "hosting us" || !r.Features["sms"] {
		t.Errorf("maps: %v %v", r.Tags, r.Features)
	}
}

func TestProblemString(t *testing.T) {
	tests := []struct {
		p    Problem
		want string
	}{
		{Problem{Path: "regions/eu-west-1.yaml", Line: 14, Col: 5, Field: "databases[0].instances", Message: "1 is too few for multi-AZ (want >= 2)"},
			"regions/eu-west-1.yaml:14:5: databases[0].instances: 1 is too few for multi-AZ (want >= 2)"},
		{Problem{Path: "a.yaml", Line: 1, Col: 1, Message: "empty file"}, "a.yaml:1:1: empty file"},
		{Problem{Path: "a.yaml", Line: 3, Message: "m"}, "a.yaml:3: m"},
		{Problem{Path: "a.yaml", Message: "m"}, "a.yaml: m"},
	}
	for _, tt := range tests {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("got  %s\nwant %s", got, tt.want)
		}
	}
	ps := Problems{
		{Path: "b.yaml", Line: 1, Col: 1, Message: "b"},
		{Path: "a.yaml", Line: 10, Col: 1, Message: "a10"},
		{Path: "a.yaml", Line: 2, Col: 7, Message: "a2.7"},
		{Path: "a.yaml", Line: 2, Col: 3, Message: "a2.3"},
	}
	want := "a.yaml:2:3: a2.3\na.yaml:2:7: a2.7\na.yaml:10:1: a10\nb.yaml:1:1: b"
	if got := ps.Error(); got != want {
		t.Errorf("Problems.Error:\n%s\nwant\n%s", got, want)
	}
	if ps[0].Message != "b" {
		t.Error("Error sorted the caller's slice")
	}
	if Problems(nil).err() != nil {
		t.Error("no problems must be a nil error")
	}
}

func BenchmarkLoad(b *testing.B) {
	data, err := os.ReadFile("../../regions/us-east-1.yaml")
	if err != nil {
		b.Fatal(err)
	}
	j := testJurisdictionsShipped(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load("regions/us-east-1.yaml", data, j); err != nil {
			b.Fatal(err)
		}
	}
}
