// Package storage is an S3 bucket: private (all four public access blocks, owner-
// enforced object ownership), versioned, encrypted with the region key, TLS only.
// There is deliberately no replication: a copy in another region could leave the
// region's jurisdiction.
package storage

import (
	"errors"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/stacks/internal/entry"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/internal/policydoc"
)

// BucketArgs configures one bucket.
type BucketArgs struct {
	// Region and AccountID make the bucket name globally unique and self-describing.
	Region    string
	AccountID string
	// Bucket is the bucket as the region file describes it, defaults applied.
	Bucket spec.Bucket
	// KMSKeyARN is the default encryption key of new objects.
	KMSKeyARN pulumi.StringInput
}

// Bucket is an S3 bucket and its settings.
type Bucket struct {
	pulumi.ResourceState

	// BucketName is <name>-<region>-<accountId>.
	BucketName pulumi.StringOutput
	BucketARN  pulumi.StringOutput
	// RegionalDomainName is the endpoint that keeps requests in the region.
	RegionalDomainName pulumi.StringOutput
}

// BucketName is the physical name of a bucket: S3 names are global, so the region and
// account make it unique and tell where it lives.
func BucketName(name, region, accountID string) string {
	return name + "-" + region + "-" + accountID
}

// NewBucket creates a bucket.
func NewBucket(ctx *pulumi.Context, name string, args *BucketArgs, opts ...pulumi.ResourceOption) (*Bucket, error) {
	if err := args.check(); err != nil {
		return nil, fmt.Errorf("bucket %s: %w", name, err)
	}
	b := &Bucket{}
	if err := entry.Register(ctx, "regionctl:stacks:Bucket", name, spec.Ref{Kind: spec.KindBucket, Name: args.Bucket.Name}, b, opts...); err != nil {
		return nil, err
	}
	// The settings are retained too: a bucket left behind by a destroy stays private,
	// encrypted and versioned rather than reverting to S3's defaults.
	settings := []pulumi.ResourceOption{pulumi.Parent(b), pulumi.RetainOnDelete(true)}

	bucket, err := s3.NewBucketV2(ctx, name+"-bucket", &s3.BucketV2Args{
		Bucket: pulumi.String(BucketName(args.Bucket.Name, args.Region, args.AccountID)),
		// Never delete objects to delete the bucket; that is a decision for a person.
		ForceDestroy: pulumi.Bool(false),
	}, pulumi.Parent(b), pulumi.Protect(true), pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, err
	}
	id := bucket.ID().ToStringOutput()

	publicAccess, err := s3.NewBucketPublicAccessBlock(ctx, name+"-public-access", &s3.BucketPublicAccessBlockArgs{
		Bucket:                id,
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, settings...)
	if err != nil {
		return nil, err
	}
	// ACLs off: access is decided by policies alone.
	if _, err := s3.NewBucketOwnershipControls(ctx, name+"-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: id,
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, settings...); err != nil {
		return nil, err
	}
	versioning, err := s3.NewBucketVersioningV2(ctx, name+"-versioning", &s3.BucketVersioningV2Args{
		Bucket:                  id,
		VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, settings...)
	if err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name+"-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: id,
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm:   pulumi.String("aws:kms"),
				KmsMasterKeyId: args.KMSKeyARN,
			},
			// A bucket key per bucket instead of a KMS call per object.
			BucketKeyEnabled: pulumi.Bool(true),
		}},
	}, settings...); err != nil {
		return nil, err
	}
	// After versioning: rules about noncurrent versions mean nothing until the bucket
	// keeps versions, and S3 may reject them while versioning is being turned on.
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, name+"-lifecycle", &s3.BucketLifecycleConfigurationV2Args{
		Bucket: id,
		Rules:  lifecycleRules(*args.Bucket.NoncurrentVersionDays),
	}, append(settings, pulumi.DependsOn([]pulumi.Resource{versioning}))...); err != nil {
		return nil, err
	}

	policy := bucket.Arn.ApplyT(func(arn string) (string, error) {
		return policydoc.New(policydoc.Statement{
			Sid:       "DenyInsecureTransport",
			Effect:    "Deny",
			Principal: policydoc.Principal{"AWS": "*"},
			Action:    "s3:*",
			Resource:  []string{arn, arn + "/*"},
			Condition: policydoc.Condition{"Bool": {"aws:SecureTransport": "false"}},
		}).JSON()
	}).(pulumi.StringOutput)
	// After the public access block: S3 serialises changes to a bucket's access
	// settings and fails concurrent ones.
	if _, err := s3.NewBucketPolicy(ctx, name+"-policy", &s3.BucketPolicyArgs{
		Bucket: id,
		Policy: policy,
	}, append(settings, pulumi.DependsOn([]pulumi.Resource{publicAccess}))...); err != nil {
		return nil, err
	}

	b.BucketName = bucket.Bucket
	b.BucketARN = bucket.Arn
	b.RegionalDomainName = bucket.BucketRegionalDomainName
	return b, ctx.RegisterResourceOutputs(b, pulumi.Map{
		"bucketName":         b.BucketName,
		"bucketArn":          b.BucketARN,
		"regionalDomainName": b.RegionalDomainName,
	})
}

// lifecycleRules always abort stale multipart uploads (invisible, but billed) and, when
// noncurrentDays > 0, expire old versions and the delete markers they leave.
func lifecycleRules(noncurrentDays int) s3.BucketLifecycleConfigurationV2RuleArray {
	// Every object: an empty prefix. An empty filter means the same to S3, but the
	// provider (from v5.90) warns that it will refuse one (terraform-provider-aws
	// issues 41710, 42714) and accepts filter { prefix = "" } without a warning.
	everyObject := &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")}
	rules := s3.BucketLifecycleConfigurationV2RuleArray{&s3.BucketLifecycleConfigurationV2RuleArgs{
		Id:                             pulumi.String("abort-incomplete-multipart-uploads"),
		Status:                         pulumi.String("Enabled"),
		Filter:                         everyObject,
		AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{DaysAfterInitiation: pulumi.Int(7)},
	}}
	if noncurrentDays > 0 {
		rules = append(rules, &s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:     pulumi.String("expire-noncurrent-versions"),
			Status: pulumi.String("Enabled"),
			Filter: everyObject,
			NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{
				NoncurrentDays: pulumi.Int(noncurrentDays),
			},
			Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{ExpiredObjectDeleteMarker: pulumi.Bool(true)},
		})
	}
	return rules
}

func (a *BucketArgs) check() error {
	switch {
	case a == nil:
		return errors.New("arguments are required")
	case a.Region == "" || a.AccountID == "":
		return errors.New("region and account id are required")
	case a.KMSKeyARN == nil:
		return errors.New("a KMS key is required")
	case a.Bucket.NoncurrentVersionDays == nil:
		return errors.New("bucket defaults are not applied (spec.ApplyDefaults)")
	case len(BucketName(a.Bucket.Name, a.Region, a.AccountID)) > 63:
		return fmt.Errorf("bucket name %s is longer than S3's 63 characters; shorten %q",
			BucketName(a.Bucket.Name, a.Region, a.AccountID), a.Bucket.Name)
	}
	return nil
}
