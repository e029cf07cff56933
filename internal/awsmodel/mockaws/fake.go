package mockaws

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/awsmodel/awsarn"
)

// account is where the fake resources live: the region and account their ARNs and
// endpoints name.
type account struct {
	region, accountID, partition, dnsSuffix string
}

func newAccount(region, accountID string) account {
	return account{
		region:    region,
		accountID: accountID,
		partition: awsarn.Partition(region),
		dnsSuffix: awsarn.DNSSuffix(region),
	}
}

// fake holds what one registration's fake answer is built from. Everything it returns
// is a function of the region, the account, the type, the logical name and the inputs.
type fake struct {
	r    *account
	typ  string
	name string
	in   resource.PropertyMap
	out  resource.PropertyMap
	sum  string // hex digest of region, type and name: the source of every fake id
}

// attributes fills f.out with a type's computed attributes and returns its id.
type attributes func(f *fake) string

// Attributes answers for a custom resource of type typ whose logical name is name, in
// region and accountID, as the mock monitor would: it returns the id AWS would assign
// and the outputs (the inputs plus the attributes AWS computes: id, arn, endpoints).
// The answer is a function of its arguments alone, so anything else that fakes AWS
// (the rehearsal provider) gives the same ids and ARNs as `regionctl plan`.
//
// inputs is not modified; the outputs share its values.
func Attributes(region, accountID, typ, name string, inputs resource.PropertyMap) (string, resource.PropertyMap) {
	acct := newAccount(region, accountID)
	f := newFake(&acct, typ, name, inputs)
	id := f.build()
	f.set("id", id)
	return id, f.out
}

func newFake(acct *account, typ, name string, inputs resource.PropertyMap) *fake {
	sum := sha256.Sum256([]byte(acct.region + "\x00" + typ + "\x00" + name))
	f := &fake{
		r:    acct,
		typ:  typ,
		name: name,
		in:   inputs,
		out:  make(resource.PropertyMap, len(inputs)+8),
		sum:  hex.EncodeToString(sum[:]),
	}
	for k, v := range inputs {
		f.out[k] = v
	}
	return f
}

// build fills f.out with the type's attributes and returns its id.
func (f *fake) build() string {
	if build, ok := byType[f.typ]; ok {
		return build(f)
	}
	return generic(f)
}

// fake answers one registration.
func (r *Recorder) fake(args pulumi.MockResourceArgs) (string, resource.PropertyMap) {
	f := newFake(&r.account, args.TypeToken, args.Name, args.Inputs)

	var id string
	switch {
	case strings.HasPrefix(args.TypeToken, "pulumi:providers:"):
		id = f.uuid()
	case !args.Custom && args.ReadRPC == nil:
		// Components have no id and compute nothing.
		return "", f.out
	default:
		id = f.build()
	}
	if args.ID != "" {
		// Imports and reads name their id; keep it.
		id = args.ID
	}
	f.set("id", id)
	return id, f.out
}

// generic answers a type without a dedicated fake: an id from the name and an ARN in
// the type's service namespace.
func generic(f *fake) string {
	if strings.HasPrefix(f.typ, "aws:") {
		f.set("arn", f.arn(f.module(), f.physical("name")))
	}
	return f.name + "-id"
}

// module is the pulumi-aws module of the type: "ec2" for aws:ec2/vpc:Vpc.
func (f *fake) module() string {
	_, rest, _ := strings.Cut(f.typ, ":")
	mod, _, _ := strings.Cut(rest, "/")
	return mod
}

// str returns a string input, unwrapping secrets; "" when absent or not a string.
func (f *fake) str(key string) string {
	v, ok := f.in[resource.PropertyKey(key)]
	if !ok {
		return ""
	}
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	if !v.IsString() {
		return ""
	}
	return v.StringValue()
}

// num returns a number input, or def when absent.
func (f *fake) num(key string, def int) int {
	v, ok := f.in[resource.PropertyKey(key)]
	if !ok {
		return def
	}
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	if !v.IsNumber() {
		return def
	}
	return int(v.NumberValue())
}

// flag returns a bool input, false when absent.
func (f *fake) flag(key string) bool {
	v, ok := f.in[resource.PropertyKey(key)]
	if !ok {
		return false
	}
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	return v.IsBool() && v.BoolValue()
}

// physical is the resource's physical name: the named input, or the logical name where
// the real provider would autoname (the mock leaves out the random suffix).
func (f *fake) physical(key string) string {
	if s := f.str(key); s != "" {
		return s
	}
	return f.name
}

func (f *fake) set(key, v string) { f.out[resource.PropertyKey(key)] = resource.NewStringProperty(v) }

func (f *fake) setNum(key string, v int) {
	f.out[resource.PropertyKey(key)] = resource.NewNumberProperty(float64(v))
}

// hex returns n lowercase hex digits of the digest (n <= 64), salted so that two
// attributes of one resource differ.
func (f *fake) hex(salt, n int) string {
	s := f.sum
	if salt > 0 {
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s/%d", f.sum, salt)))
		s = hex.EncodeToString(sum[:])
	}
	return s[:n]
}

// digits returns n decimal digits (n <= 18) from the digest.
func (f *fake) digits(salt, n int) string {
	b, _ := hex.DecodeString(f.hex(salt, 16))
	v := binary.BigEndian.Uint64(b)
	mod := uint64(1)
	for range n {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", n, v%mod)
}

// uuid formats the digest like an AWS key id or request id.
func (f *fake) uuid() string {
	h := f.sum
	return h[0:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:32]
}

// arn builds a regional ARN of the fake's account.
func (f *fake) arn(service, res string) string {
	return "arn:" + f.r.partition + ":" + service + ":" + f.r.region + ":" + f.r.accountID + ":" + res
}

// globalARN builds an ARN of a global service (IAM, S3) that carries no region.
func (f *fake) globalARN(service, account, res string) string {
	return "arn:" + f.r.partition + ":" + service + "::" + account + ":" + res
}

// regionCode is the short region code AWS uses in some host names: eu-west-1 → euw1.
func regionCode(region string) string {
	parts := strings.Split(region, "-")
	var b strings.Builder
	for i, p := range parts {
		if i == 0 || i == len(parts)-1 {
			b.WriteString(p)
			continue
		}
		for _, w := range []struct{ word, code string }{
			{"north", "n"}, {"south", "s"}, {"east", "e"}, {"west", "w"}, {"central", "c"},
		} {
			p = strings.ReplaceAll(p, w.word, w.code)
		}
		b.WriteString(p)
	}
	return b.String()
}
