package network

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/awsmodel/awsarn"
	"github.com/regionctl/regionctl/stacks/internal/policydoc"
)

// flowLogs records all VPC traffic to a KMS-encrypted log group: the evidence needed
// after a security incident, kept for the region's log retention.
func flowLogs(ctx *pulumi.Context, name string, vpc *ec2.Vpc, args *NetworkArgs, parent pulumi.ResourceOption) (pulumi.StringOutput, error) {
	group, err := cloudwatch.NewLogGroup(ctx, name+"-flow-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String("/regionctl/vpc-flow-logs/" + name),
		RetentionInDays: pulumi.Int(args.LogRetentionDays),
		KmsKeyId:        args.KMSKeyARN,
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}

	trust := policydoc.AssumeRole("vpc-flow-logs.amazonaws.com", args.AccountID)
	trust.Statement[0].Condition["ArnLike"] = map[string]any{
		"aws:SourceArn": awsarn.Regional(args.Region, "ec2", args.AccountID, "vpc-flow-log/*"),
	}
	role, err := iam.NewRole(ctx, name+"-flow-logs", &iam.RoleArgs{
		// IAM is global: the region in the name keeps regions of one account apart.
		Name:             pulumi.String("regionctl-" + args.Region + "-vpc-flow-logs"),
		Description:      pulumi.String("VPC flow logs of " + name + " write to their log group"),
		AssumeRolePolicy: pulumi.String(trust.MustJSON()),
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	policy := group.Arn.ApplyT(func(arn string) (string, error) {
		return policydoc.New(
			policydoc.Statement{
				Effect:   "Allow",
				Action:   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
				Resource: []string{arn, arn + ":*"},
			},
			policydoc.Statement{
				Effect:   "Allow",
				Action:   "logs:DescribeLogGroups",
				Resource: awsarn.Regional(args.Region, "logs", args.AccountID, "log-group:*"),
			},
		).JSON()
	}).(pulumi.StringOutput)
	rolePolicy, err := iam.NewRolePolicy(ctx, name+"-flow-logs", &iam.RolePolicyArgs{
		Role:   role.Name,
		Policy: policy,
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}

	if _, err := ec2.NewFlowLog(ctx, name+"-flow-logs", &ec2.FlowLogArgs{
		VpcId:              vpc.ID(),
		TrafficType:        pulumi.String("ALL"),
		LogDestinationType: pulumi.String("cloud-watch-logs"),
		LogDestination:     group.Arn,
		IamRoleArn:         role.Arn,
		// One-minute aggregation: incidents are investigated minute by minute.
		MaxAggregationInterval: pulumi.Int(60),
		Tags:                   nameTag(name + "-flow-logs"),
	}, parent, pulumi.DependsOn([]pulumi.Resource{rolePolicy})); err != nil {
		return pulumi.StringOutput{}, err
	}
	return group.Name, nil
}
