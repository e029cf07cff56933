// Package stackstest runs components under the mockaws recorder and checks the
// properties every regionctl resource tree must have, so that each component's tests
// only say what is particular to that component.
package stackstest

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/awsmodel/mockaws"
	"github.com/regionctl/regionctl/internal/spec"
)

// Project is the Pulumi project name regionctl runs its stacks under.
const Project = "regionctl"

// Fixed inputs for component tests, standing in for other components' outputs.
const (
	KeyARN  = "arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-4333-a444-555555555555"
	VpcID   = "vpc-0123456789abcdef0"
	VpcCIDR = "10.20.0.0/16"
)

// Region is the region of ARCHITECTURE.md's example file, changed by edits, with
// defaults applied as spec loading would.
func Region(edits ...func(*spec.Region)) *spec.Region {
	r := &spec.Region{
		Region:       "eu-west-1",
		Jurisdiction: "eu",
		AccountID:    "123456789012",
		Tags:         map[string]string{"costCenter": "hosting-eu"},
		Network:      spec.Network{CIDR: "10.20.0.0/16", AZs: spec.AZs{Count: 3}, NATGateways: spec.NATPerAZ},
		Servers: []spec.Server{
			{Name: "web", InstanceType: "m6i.large", Min: 3, Max: 12, LoadBalancer: &spec.LoadBalancer{Public: true},
				Uses: []string{"database/main", "cache/sessions", "bucket/uploads"}},
			{Name: "worker", InstanceType: "c6i.xlarge", Min: 2, Max: 20, Uses: []string{"queue/events", "database/main"}},
		},
		Databases: []spec.Database{{
			Name: "main", Engine: "aurora-mysql", EngineVersion: "8.0.mysql_aurora.3.10.3",
			InstanceClass: "db.r6g.xlarge", Instances: 2, BackupRetentionDays: 14,
		}},
		Caches:   []spec.Cache{{Name: "sessions", Engine: "redis", NodeType: "cache.r6g.large", Replicas: 1}},
		Queues:   []spec.Queue{{Name: "events", VisibilityTimeoutSeconds: 60, MaxReceiveCount: 5}},
		Buckets:  []spec.Bucket{{Name: "uploads"}},
		Alarms:   spec.Alarms{Email: "oncall-eu@example.com"},
		Features: map[string]bool{"whatsapp": false},
	}
	for _, edit := range edits {
		edit(r)
	}
	spec.ApplyDefaults(r)
	return r
}

// SubnetIDs returns n fake subnet ids of a tier, standing in for network outputs.
func SubnetIDs(tier string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("subnet-%s%d", tier, i)
	}
	return ids
}

// Program is a test program: it gets an explicit provider, as the region composition
// passes one to every component.
type Program func(ctx *pulumi.Context, provider pulumi.ResourceOption) error

// Run runs program under mocks for r's region and account and returns what it
// registered. It fails the test if the program fails.
func Run(t testing.TB, r *spec.Region, program Program) Registrations {
	t.Helper()
	regs, err := RunErr(r, program)
	if err != nil {
		t.Fatalf("program failed: %v", err)
	}
	return regs
}

// RunErr runs program under mocks and returns what it registered and its error.
func RunErr(r *spec.Region, program Program) (Registrations, error) {
	rec := mockaws.New(r.Region, r.AccountID)
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws", &aws.ProviderArgs{
			Region:            pulumi.String(r.Region),
			AllowedAccountIds: pulumi.StringArray{pulumi.String(r.AccountID)},
		})
		if err != nil {
			return err
		}
		return program(ctx, pulumi.Provider(p))
	}, pulumi.WithMocks(Project, r.Region, rec))
	return Registrations(rec.Registrations()), err
}

// Capture returns a function that yields an output's value after the run. The
// function waits for the apply: pulumi.RunErr only waits for outputs of resources, not
// for applies on outputs that were known from the start.
func Capture[T any](o pulumi.Output) func() T {
	ch := make(chan T, 1)
	o.ApplyT(func(v T) T { ch <- v; return v })
	var (
		once sync.Once
		v    T
	)
	return func() T {
		once.Do(func() {
			select {
			case v = <-ch:
			case <-time.After(10 * time.Second):
				panic("stackstest: output never resolved")
			}
		})
		return v
	}
}

// Registrations are the recorded registrations of one run, sorted by URN.
type Registrations []mockaws.Registration

// OfType returns the registrations of a type token, in URN order.
func (rs Registrations) OfType(typ string) Registrations {
	var out Registrations
	for _, r := range rs {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// Named returns the registration of a type with a logical name, failing the test when
// there is none.
func (rs Registrations) Named(t testing.TB, typ, name string) mockaws.Registration {
	t.Helper()
	for _, r := range rs {
		if r.Type == typ && r.Name == name {
			return r
		}
	}
	t.Fatalf("no %s named %q; have %v", typ, name, rs.OfType(typ).Names())
	return mockaws.Registration{}
}

// Names returns the logical names, in URN order.
func (rs Registrations) Names() []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Name
	}
	return out
}

// Get returns the input at a property path ("metadataOptions.httpTokens",
// "rules[0].status"), unwrapping secrets; ok is false when it is absent.
func Get(reg mockaws.Registration, path string) (resource.PropertyValue, bool) {
	p, err := resource.ParsePropertyPath(path)
	if err != nil {
		panic(err)
	}
	v, ok := p.Get(resource.NewObjectProperty(reg.Inputs))
	for ok && v.IsSecret() {
		v = v.SecretValue().Element
	}
	return v, ok && !v.IsNull()
}

// Str returns a string input, "" when absent or not a string.
func Str(reg mockaws.Registration, path string) string {
	v, ok := Get(reg, path)
	if !ok || !v.IsString() {
		return ""
	}
	return v.StringValue()
}

// Bool returns a bool input, false when absent.
func Bool(reg mockaws.Registration, path string) bool {
	v, ok := Get(reg, path)
	return ok && v.IsBool() && v.BoolValue()
}

// Num returns a number input, -1 when absent.
func Num(reg mockaws.Registration, path string) float64 {
	v, ok := Get(reg, path)
	if !ok || !v.IsNumber() {
		return -1
	}
	return v.NumberValue()
}

// Strs returns a string array input, nil when absent.
func Strs(reg mockaws.Registration, path string) []string {
	v, ok := Get(reg, path)
	if !ok || !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		for e.IsSecret() {
			e = e.SecretValue().Element
		}
		if e.IsString() {
			out = append(out, e.StringValue())
		}
	}
	return out
}

// StatefulTypes are the resource types holding data that a replacement or a destroy
// would lose; they must be protected and retained on delete.
var StatefulTypes = []string{
	"aws:kms/key:Key",
	"aws:rds/cluster:Cluster",
	"aws:rds/clusterInstance:ClusterInstance",
	"aws:elasticache/replicationGroup:ReplicationGroup",
	"aws:sqs/queue:Queue",
	"aws:s3/bucketV2:BucketV2",
}

// CheckInvariants checks what holds for every regionctl resource tree:
//   - exactly one AWS provider, and every AWS resource uses it (no default provider);
//   - every AWS resource is a child of a regionctl component;
//   - every component's children carry its name as a prefix;
//   - logical names are unique per type;
//   - every stateful resource is protected and retained on delete.
func CheckInvariants(t testing.TB, regs Registrations) {
	t.Helper()
	providers := regs.OfType("pulumi:providers:aws")
	if len(providers) != 1 {
		t.Fatalf("want exactly one AWS provider, got %d: %v", len(providers), providers.Names())
	}
	providerURN := providers[0].URN

	components := map[string]mockaws.Registration{}
	for _, r := range regs {
		if !r.Custom {
			components[r.URN] = r
		}
	}
	seen := map[string]bool{}
	for _, r := range regs {
		key := r.Type + " " + r.Name
		if seen[key] {
			t.Errorf("two %s named %q", r.Type, r.Name)
		}
		seen[key] = true

		switch {
		case r.Type == "pulumi:providers:aws":
			continue
		case !r.Custom:
			if !strings.HasPrefix(r.Type, "regionctl:stacks:") {
				t.Errorf("component %s has type %s, want regionctl:stacks:*", r.Name, r.Type)
			}
			continue
		}
		if !strings.HasPrefix(r.Provider, providerURN+"::") {
			t.Errorf("%s %s uses provider %q, want the explicit %s", r.Type, r.Name, r.Provider, providerURN)
		}
		parent, ok := components[r.Parent]
		if !ok || !strings.HasPrefix(parent.Type, "regionctl:stacks:") {
			t.Errorf("%s %s has parent %q, want a regionctl component", r.Type, r.Name, r.Parent)
			continue
		}
		if !strings.HasPrefix(r.Name, parent.Name+"-") {
			t.Errorf("%s %s is not prefixed by its component's name %q", r.Type, r.Name, parent.Name)
		}
	}
	for _, typ := range StatefulTypes {
		for _, r := range regs.OfType(typ) {
			if !r.Protect || !r.RetainOnDelete {
				t.Errorf("%s %s: protect=%v retainOnDelete=%v, want both", typ, r.Name, r.Protect, r.RetainOnDelete)
			}
		}
	}
}

// CountByType counts registrations per type token.
func (rs Registrations) CountByType() map[string]int {
	out := map[string]int{}
	for _, r := range rs {
		out[r.Type]++
	}
	return out
}
