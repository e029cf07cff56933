package compute

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/awsmodel/awsarn"
	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/internal/policydoc"
)

// Access is one data store a fleet uses (servers[].uses): what its servers may do to
// it and, for stores reached over the network, where they connect. The constructors
// below hold what each kind of store needs, so the fleet is granted that and no more.
type Access struct {
	// Ref is the entry used: queue/events.
	Ref spec.Ref
	// Statements are the IAM statements on the store's own resources; their resources
	// are outputs of the store's component, so the ARNs are exact.
	Statements []AccessStatement
	// KMSActions are what the servers need of the region key, which AWS checks when the
	// store's service (KMSViaService) uses the key on their behalf; none when the
	// store's encryption is invisible to clients.
	KMSActions    []string
	KMSViaService string
	// SecurityGroupID and Port are the store's security group and port, for stores the
	// servers connect to (databases, caches); nil for stores reached through AWS APIs.
	SecurityGroupID pulumi.StringInput
	Port            int
}

// AccessStatement allows Actions on Resources.
type AccessStatement struct {
	Actions   []string
	Resources pulumi.StringArrayInput
}

// QueueAccess is what a producer and consumer of an SQS queue need
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html).
// The dead-letter queue is left out: SQS moves messages there itself, and redriving
// them back is an operator's decision, taken with the operator's own permissions.
// With SSE-KMS, sending needs kms:GenerateDataKey and receiving kms:Decrypt
// (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html).
func QueueAccess(name string, queueARN pulumi.StringInput) Access {
	return Access{
		Ref: spec.Ref{Kind: spec.KindQueue, Name: name},
		Statements: []AccessStatement{{
			Actions: []string{"sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
				"sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:SendMessage"},
			Resources: pulumi.StringArray{queueARN},
		}},
		KMSActions:    []string{"kms:Decrypt", "kms:GenerateDataKey"},
		KMSViaService: "sqs",
	}
}

// BucketAccess is reading, writing and deleting the bucket's objects and listing them
// (s3:ListBucket is on the bucket, object actions on bucket/*). Objects are SSE-KMS:
// PutObject needs kms:GenerateDataKey, GetObject kms:Decrypt
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html).
func BucketAccess(name string, bucketARN pulumi.StringOutput) Access {
	return Access{
		Ref: spec.Ref{Kind: spec.KindBucket, Name: name},
		Statements: []AccessStatement{
			{Actions: []string{"s3:ListBucket"}, Resources: pulumi.StringArray{bucketARN}},
			{
				Actions:   []string{"s3:DeleteObject", "s3:GetObject", "s3:PutObject"},
				Resources: pulumi.StringArray{pulumi.Sprintf("%s/*", bucketARN)},
			},
		},
		KMSActions:    []string{"kms:Decrypt", "kms:GenerateDataKey"},
		KMSViaService: "s3",
	}
}

// DatabaseAccess is reading the cluster's RDS-managed master secret, encrypted with
// the region key (GetSecretValue needs kms:Decrypt through Secrets Manager,
// https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html),
// and the cluster's port. rds-db:connect is not granted although the cluster has IAM
// authentication on: it only works for a database user created with the AWS
// authentication plugin, and regionctl creates none (the master user has a password).
func DatabaseAccess(name string, secretARN, securityGroupID pulumi.StringInput, port int) Access {
	return Access{
		Ref: spec.Ref{Kind: spec.KindDatabase, Name: name},
		Statements: []AccessStatement{{
			Actions:   []string{"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"},
			Resources: pulumi.StringArray{secretARN},
		}},
		KMSActions:      []string{"kms:Decrypt"},
		KMSViaService:   "secretsmanager",
		SecurityGroupID: securityGroupID,
		Port:            port,
	}
}

// CacheAccess is connecting to the replication group as its IAM-authenticated user:
// elasticache:Connect on both the group and the user
// (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html), and the
// cache's port. The cache's encryption at rest is invisible to clients: no key use.
func CacheAccess(name string, groupARN, userARN, securityGroupID pulumi.StringInput, port int) Access {
	return Access{
		Ref: spec.Ref{Kind: spec.KindCache, Name: name},
		Statements: []AccessStatement{{
			Actions:   []string{"elasticache:Connect"},
			Resources: pulumi.StringArray{groupARN, userARN},
		}},
		SecurityGroupID: securityGroupID,
		Port:            port,
	}
}

// accessPolicy is the fleet's inline role policy (<name>-access): the statements of
// every store it uses, and the region key only through those stores' services
// (kms:ViaService, https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service).
// nil when the fleet uses nothing.
func accessPolicy(ctx *pulumi.Context, name string, args *FleetArgs, role *iam.Role, parent pulumi.ResourceOption) (*iam.RolePolicy, error) {
	if len(args.Uses) == 0 {
		return nil, nil
	}
	type part struct {
		sid       string
		actions   []string
		resources pulumi.StringArrayInput
	}
	var parts []part
	kms := map[string][]string{} // service -> actions
	for _, u := range args.Uses {
		for i, s := range u.Statements {
			parts = append(parts, part{sid: sid(u.Ref, i), actions: s.Actions, resources: s.Resources})
		}
		if u.KMSViaService != "" {
			kms[u.KMSViaService] = union(kms[u.KMSViaService], u.KMSActions)
		}
	}
	resources := make([]any, len(parts))
	for i, p := range parts {
		resources[i] = p.resources
	}
	doc := pulumi.All(append(resources, args.KMSKeyARN)...).ApplyT(func(vs []any) (string, error) {
		var st []policydoc.Statement
		for i, p := range parts {
			st = append(st, policydoc.Statement{Sid: p.sid, Effect: "Allow", Action: p.actions, Resource: vs[i].([]string)})
		}
		key := vs[len(parts)].(string)
		services := make([]string, 0, len(kms))
		for s := range kms {
			services = append(services, s)
		}
		sort.Strings(services)
		for _, s := range services {
			st = append(st, policydoc.Statement{
				Sid: "RegionKeyVia" + title(s), Effect: "Allow", Action: kms[s], Resource: key,
				Condition: policydoc.Condition{"StringEquals": {
					"kms:ViaService": s + "." + args.Region + "." + awsarn.DNSSuffix(args.Region),
				}},
			})
		}
		return policydoc.New(st...).JSON()
	}).(pulumi.StringOutput)
	return iam.NewRolePolicy(ctx, name+"-access", &iam.RolePolicyArgs{
		Name:   pulumi.String("regionctl-access"),
		Role:   role.Name,
		Policy: doc,
	}, parent)
}

// sid names a statement after the entry it grants: QueueEvents0. Statement ids allow
// only ASCII letters and digits.
func sid(ref spec.Ref, i int) string {
	out := []rune(title(ref.Kind))
	upper := true
	for _, r := range ref.Name {
		switch {
		case r >= 'a' && r <= 'z':
			if upper {
				r -= 'a' - 'A'
			}
			out, upper = append(out, r), false
		case r >= 'A' && r <= 'Z' || r >= '0' && r <= '9':
			out, upper = append(out, r), false
		default:
			upper = true
		}
	}
	return fmt.Sprintf("%s%d", string(out), i)
}

func title(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// union is a and the items of b it lacks, in order.
func union(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, s := range b {
		found := false
		for _, t := range out {
			found = found || t == s
		}
		if !found {
			out = append(out, s)
		}
	}
	return out
}
