// Package kms is the region's customer-managed encryption key: every data store, queue,
// bucket, topic and log group of a region encrypts with it, so that access to the data
// can be audited and revoked in one place and the key never leaves the region.
package kms

import (
	"errors"
	"fmt"

	awskms "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/internal/entry"

	"github.com/regionctl/regionctl/internal/awsmodel/awsarn"
	"github.com/regionctl/regionctl/stacks/internal/policydoc"
)

// KeyArgs configures the region key.
type KeyArgs struct {
	// Region is the AWS region id; it scopes the CloudWatch Logs principal and the alias.
	Region string
	// AccountID is the account whose IAM policies may grant use of the key.
	AccountID string
}

// Key is the region's customer-managed KMS key and its alias.
type Key struct {
	pulumi.ResourceState

	// KeyARN is what encrypting resources reference: an ARN works for every service,
	// a bare key id does not.
	KeyARN pulumi.StringOutput
	KeyID  pulumi.StringOutput
	// AliasName is alias/regionctl-<region>.
	AliasName pulumi.StringOutput
}

// NewKey creates the region key (rotation on, single-region) and its alias.
func NewKey(ctx *pulumi.Context, name string, args *KeyArgs, opts ...pulumi.ResourceOption) (*Key, error) {
	if args == nil || args.Region == "" || args.AccountID == "" {
		return nil, errors.New("kms: region and account id are required")
	}
	k := &Key{}
	if err := entry.Register(ctx, "regionctl:stacks:Key", name, spec.Ref{Kind: spec.KindKey}, k, opts...); err != nil {
		return nil, err
	}

	policy, err := keyPolicy(args.Region, args.AccountID)
	if err != nil {
		return nil, fmt.Errorf("kms %s: %w", name, err)
	}
	key, err := awskms.NewKey(ctx, name+"-key", &awskms.KeyArgs{
		Description:       pulumi.String("regionctl " + args.Region + ": data stores, queues, buckets, topics and logs"),
		KeyUsage:          pulumi.String("ENCRYPT_DECRYPT"),
		EnableKeyRotation: pulumi.Bool(true),
		// A multi-Region key could be replicated outside the jurisdiction; keep it here.
		MultiRegion: pulumi.Bool(false),
		// The longest window: a mistaken deletion can be cancelled for a month.
		DeletionWindowInDays: pulumi.Int(30),
		Policy:               pulumi.String(policy),
	}, pulumi.Parent(k), pulumi.Protect(true), pulumi.RetainOnDelete(true))
	if err != nil {
		return nil, err
	}
	alias, err := awskms.NewAlias(ctx, name+"-alias", &awskms.AliasArgs{
		Name:        pulumi.String("alias/regionctl-" + args.Region),
		TargetKeyId: key.KeyId,
	}, pulumi.Parent(k))
	if err != nil {
		return nil, err
	}

	k.KeyARN = key.Arn
	k.KeyID = key.KeyId
	k.AliasName = alias.Name
	return k, ctx.RegisterResourceOutputs(k, pulumi.Map{
		"keyArn":    k.KeyARN,
		"keyId":     k.KeyID,
		"aliasName": k.AliasName,
	})
}

// keyPolicy lets the account administer the key through IAM and lets the AWS services
// that encrypt on the region's behalf use it. Services acting with the caller's
// credentials (RDS, ElastiCache, SQS, S3, Secrets Manager) need no statement of their
// own: the root statement delegates to the deployer's IAM permissions.
func keyPolicy(region, accountID string) (string, error) {
	root := awsarn.IAM(region, accountID, "root")
	return policydoc.New(
		policydoc.Statement{
			Sid:       "AccountAdministersThroughIAM",
			Effect:    "Allow",
			Principal: policydoc.Principal{"AWS": root},
			Action:    "kms:*",
			Resource:  "*",
		},
		policydoc.Statement{
			// CloudWatch Logs encrypts log groups (VPC flow logs, application logs) as the
			// regional service principal, limited to this account's log groups.
			Sid:       "CloudWatchLogsEncryptsLogGroups",
			Effect:    "Allow",
			Principal: policydoc.Principal{"Service": "logs." + region + "." + awsarn.DNSSuffix(region)},
			Action:    []string{"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"},
			Resource:  "*",
			Condition: policydoc.Condition{"ArnLike": {
				"kms:EncryptionContext:aws:logs:arn": awsarn.Regional(region, "logs", accountID, "log-group:*"),
			}},
		},
		policydoc.Statement{
			// CloudWatch alarms publish to the encrypted alarm topic and need a data key:
			// only for this account's alarms in this region (aws:SourceAccount and
			// aws:SourceArn reach KMS for this path, unlike EventBridge's; AWS's own
			// accelerator conditions it so: aws.github.io/modern-data-architecture-accelerator,
			// grantCloudWatchAlarmsTopicAccess), so no other account's alarm can use it.
			Sid:       "AlarmsPublishToEncryptedTopic",
			Effect:    "Allow",
			Principal: policydoc.Principal{"Service": "cloudwatch.amazonaws.com"},
			Action:    []string{"kms:Decrypt", "kms:GenerateDataKey*"},
			Resource:  "*",
			Condition: policydoc.Condition{
				"StringEquals": {"aws:SourceAccount": accountID},
				"ArnLike":      {"aws:SourceArn": awsarn.Regional(region, "cloudwatch", accountID, "alarm:*")},
			},
		},
		policydoc.Statement{
			// SNS delivers from the encrypted topic. Left without a source condition:
			// AWS does not document which keys SNS's own calls carry, and a condition
			// they lack would drop every alarm silently.
			Sid:       "TopicDeliversEncryptedMessages",
			Effect:    "Allow",
			Principal: policydoc.Principal{"Service": "sns.amazonaws.com"},
			Action:    []string{"kms:Decrypt", "kms:GenerateDataKey*"},
			Resource:  "*",
		},
		policydoc.Statement{
			// Auto Scaling launches instances with EBS volumes encrypted by this key as
			// its service-linked role. That role may not exist yet when the key is
			// created, and a key policy naming a missing principal is rejected, so the
			// role is matched by aws:PrincipalArn instead of named as the principal.
			Sid:       "AutoScalingUsesKeyForEBS",
			Effect:    "Allow",
			Principal: policydoc.Principal{"AWS": "*"},
			Action:    []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"},
			Resource:  "*",
			Condition: autoScalingRole(region, accountID),
		},
		policydoc.Statement{
			Sid:       "AutoScalingGrantsKeyToEC2",
			Effect:    "Allow",
			Principal: policydoc.Principal{"AWS": "*"},
			Action:    "kms:CreateGrant",
			Resource:  "*",
			Condition: func() policydoc.Condition {
				c := autoScalingRole(region, accountID)
				c["Bool"] = map[string]any{"kms:GrantIsForAWSResource": true}
				return c
			}(),
		},
	).JSON()
}

// autoScalingRole matches the account's Auto Scaling service-linked role.
func autoScalingRole(region, accountID string) policydoc.Condition {
	return policydoc.Condition{
		"StringEquals": {"kms:CallerAccount": accountID},
		"ArnEquals": {"aws:PrincipalArn": awsarn.IAM(region, accountID,
			"role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")},
	}
}
