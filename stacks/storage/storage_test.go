package storage_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/internal/stackstest"
	"github.com/regionctl/regionctl/stacks/storage"
)

func run(t *testing.T, b spec.Bucket) (stackstest.Registrations, func() string) {
	t.Helper()
	r := stackstest.Region(func(r *spec.Region) { r.Buckets = []spec.Bucket{b} })
	var name func() string
	regs := stackstest.Run(t, r, func(ctx *pulumi.Context, p pulumi.ResourceOption) error {
		bb, err := storage.NewBucket(ctx, "storage-"+b.Name, &storage.BucketArgs{
			Region: r.Region, AccountID: r.AccountID, Bucket: r.Buckets[0], KMSKeyARN: pulumi.String(stackstest.KeyARN),
		}, p)
		if err != nil {
			return err
		}
		name = stackstest.Capture[string](bb.BucketName)
		return nil
	})
	stackstest.CheckInvariants(t, regs)
	return regs, name
}

func TestBucket(t *testing.T) {
	regs, name := run(t, spec.Bucket{Name: "uploads"})
	const want = "uploads-eu-west-1-123456789012"
	if name() != want {
		t.Errorf("bucket name %s, want %s", name(), want)
	}
	if got := stackstest.Str(regs.Named(t, "aws:s3/bucketV2:BucketV2", "storage-uploads-bucket"), "bucket"); got != want {
		t.Errorf("bucket input %s", got)
	}
	for _, r := range regs {
		if r.Custom && r.Type != "pulumi:providers:aws" && r.Type != "aws:s3/bucketV2:BucketV2" {
			if got := stackstest.Str(r, "bucket"); got != want {
				t.Errorf("%s configures bucket %q, want %s", r.Name, got, want)
			}
			if !r.RetainOnDelete {
				t.Errorf("%s is not retained with the bucket", r.Name)
			}
		}
		if strings.Contains(strings.ToLower(r.Type), "replication") {
			t.Errorf("%s: buckets must not replicate out of the region", r.Type)
		}
	}

	pab := regs.Named(t, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "storage-uploads-public-access")
	for _, flag := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
		if !stackstest.Bool(pab, flag) {
			t.Errorf("public access block %s is not true", flag)
		}
	}
	if got := stackstest.Str(regs.Named(t, "aws:s3/bucketVersioningV2:BucketVersioningV2", "storage-uploads-versioning"),
		"versioningConfiguration.status"); got != "Enabled" {
		t.Errorf("versioning %q", got)
	}
	if got := stackstest.Str(regs.Named(t, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "storage-uploads-ownership"),
		"rule.objectOwnership"); got != "BucketOwnerEnforced" {
		t.Errorf("ownership %q", got)
	}
	sse := regs.Named(t, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "storage-uploads-encryption")
	if stackstest.Str(sse, "rules[0].applyServerSideEncryptionByDefault.sseAlgorithm") != "aws:kms" ||
		stackstest.Str(sse, "rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId") != stackstest.KeyARN ||
		!stackstest.Bool(sse, "rules[0].bucketKeyEnabled") {
		t.Errorf("default encryption is not SSE-KMS with the region key and a bucket key: %v", sse.Inputs)
	}

	var policy struct {
		Statement []struct {
			Effect    string
			Resource  []string
			Condition map[string]map[string]string
		}
	}
	pol := regs.Named(t, "aws:s3/bucketPolicy:BucketPolicy", "storage-uploads-policy")
	if err := json.Unmarshal([]byte(stackstest.Str(pol, "policy")), &policy); err != nil {
		t.Fatalf("bucket policy: %v", err)
	}
	if len(policy.Statement) != 1 || policy.Statement[0].Effect != "Deny" ||
		policy.Statement[0].Condition["Bool"]["aws:SecureTransport"] != "false" ||
		len(policy.Statement[0].Resource) != 2 || policy.Statement[0].Resource[0] != "arn:aws:s3:::"+want {
		t.Errorf("bucket policy does not deny plain HTTP: %+v", policy)
	}
}

func TestLifecycle(t *testing.T) {
	tests := []struct {
		days  int
		rules []string
	}{
		{90, []string{"abort-incomplete-multipart-uploads", "expire-noncurrent-versions"}},
		{7, []string{"abort-incomplete-multipart-uploads", "expire-noncurrent-versions"}},
		{0, []string{"abort-incomplete-multipart-uploads"}},
	}
	for _, tt := range tests {
		days := tt.days
		regs, _ := run(t, spec.Bucket{Name: "archive", NoncurrentVersionDays: &days})
		lc := regs.Named(t, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "storage-archive-lifecycle")
		for i, id := range tt.rules {
			path := fmt.Sprintf("rules[%d]", i)
			if got := stackstest.Str(lc, path+".id"); got != id {
				t.Errorf("%d days: rule %d is %q, want %q", days, i, got, id)
			}
			// An empty filter draws the provider's "will be an error" warning; an
			// empty prefix is every object too.
			if prefix, ok := stackstest.Get(lc, path+".filter.prefix"); !ok || !prefix.IsString() || prefix.StringValue() != "" {
				t.Errorf("%d days: rule %s filter prefix %v, want the empty prefix (every object)", days, id, prefix)
			}
			if id == "expire-noncurrent-versions" && stackstest.Num(lc, path+".noncurrentVersionExpiration.noncurrentDays") != float64(days) {
				t.Errorf("%d days: noncurrent days %v", days, stackstest.Num(lc, path+".noncurrentVersionExpiration.noncurrentDays"))
			}
		}
		if _, extra := stackstest.Get(lc, fmt.Sprintf("rules[%d]", len(tt.rules))); extra {
			t.Errorf("%d days: more rules than %v", days, tt.rules)
		}
	}
}

func TestBucketNameTooLong(t *testing.T) {
	r := stackstest.Region()
	b := spec.Bucket{Name: strings.Repeat("b", 41)}
	days := 0
	b.NoncurrentVersionDays = &days
	_, err := stackstest.RunErr(r, func(ctx *pulumi.Context, p pulumi.ResourceOption) error {
		_, err := storage.NewBucket(ctx, "storage-long", &storage.BucketArgs{
			Region: r.Region, AccountID: r.AccountID, Bucket: b, KMSKeyARN: pulumi.String(stackstest.KeyARN),
		}, p)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "63 characters") {
		t.Fatalf("err = %v, want a name length error", err)
	}
}
