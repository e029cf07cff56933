package network

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/awsmodel/awsarn"
	"github.com/regionctl/regionctl/stacks/internal/policydoc"
	"github.com/regionctl/regionctl/stacks/internal/sgrule"
)

// InterfaceServices are the AWS services private servers call that get an interface
// endpoint: Session Manager and Run Command (ssm, ssmmessages, ec2messages), the
// CloudWatch agent (logs, monitoring), and what applications use most (kms,
// secretsmanager, sqs). With them a server keeps being managed and keeps shipping logs
// and metrics when its zone's NAT gateway is down, and that traffic stays off the
// internet and off NAT's per-GB charge. STS is left out: instance role credentials
// come from the instance metadata service, not from STS.
var InterfaceServices = []string{"ssm", "ssmmessages", "ec2messages", "logs", "monitoring", "kms", "secretsmanager", "sqs"}

// awsOwnedBuckets are the AWS-owned buckets servers read through the S3 gateway
// endpoint, by ARN pattern (%s is the region). Without them a restrictive endpoint
// policy breaks package installs and agent updates:
//   - al2023-repos-<region>-*: the Amazon Linux 2023 package repositories that dnf
//     reads through S3;
//   - the SSM Agent's buckets ("SSM Agent communications with AWS managed S3 buckets",
//     Systems Manager User Guide): agent updates, documents, Distributor packages,
//     patch baselines;
//   - amazoncloudwatch-agent-<region>: the CloudWatch agent's downloads.
var awsOwnedBuckets = []string{
	"al2023-repos-%s-*",
	"amazon-ssm-%s",
	"amazon-ssm-packages-%s",
	"aws-ssm-%s",
	"aws-ssm-document-attachments-%s",
	"aws-ssm-distributor-file-%s",
	"%s-birdwatcher-prod",
	"patch-baseline-snapshot-%s",
	"amazoncloudwatch-agent-%s",
}

// S3EndpointPolicy is the S3 gateway endpoint's policy: everything on buckets of the
// region's own account (aws:ResourceAccount), and reading objects of the AWS-owned
// buckets servers need. Nothing in the VPC can write to a bucket of another account
// through the endpoint: a stolen credential cannot copy data out that way.
func S3EndpointPolicy(region, accountID string) (string, error) {
	partition := awsarn.Partition(region)
	var owned []string
	for _, b := range awsOwnedBuckets {
		owned = append(owned, fmt.Sprintf("arn:%s:s3:::%s/*", partition, fmt.Sprintf(b, region)))
	}
	return policydoc.New(
		policydoc.Statement{
			Sid: "OwnAccountBuckets", Effect: "Allow", Principal: policydoc.Principal{"AWS": "*"},
			Action: "s3:*", Resource: "*",
			Condition: policydoc.Condition{"StringEquals": {"aws:ResourceAccount": accountID}},
		},
		policydoc.Statement{
			Sid: "AWSOwnedBucketsRead", Effect: "Allow", Principal: policydoc.Principal{"AWS": "*"},
			Action: "s3:GetObject", Resource: owned,
		},
	).JSON()
}

// interfaceEndpoints puts an interface endpoint for each of InterfaceServices in the
// private subnets (one network interface per AZ), with private DNS so the services'
// usual names resolve to it, behind one security group that admits HTTPS from the VPC.
func interfaceEndpoints(ctx *pulumi.Context, name string, args *NetworkArgs, vpc *ec2.Vpc,
	private []*ec2.Subnet, parent pulumi.ResourceOption,
) error {
	sg, err := ec2.NewSecurityGroup(ctx, name+"-endpoints", &ec2.SecurityGroupArgs{
		VpcId:       vpc.ID(),
		Description: pulumi.String("interface VPC endpoints: HTTPS from the VPC"),
		Tags:        nameTag(name + "-endpoints"),
	}, parent)
	if err != nil {
		return err
	}
	if _, err := sgrule.Ingress(ctx, name+"-endpoints-https", sg.ID().ToStringOutput(), "HTTPS from the VPC",
		sgrule.Peer{CIDR: vpc.CidrBlock}, 443, parent); err != nil {
		return err
	}
	subnetIDs := make(pulumi.StringArray, len(private))
	for i, s := range private {
		subnetIDs[i] = s.ID().ToStringOutput()
	}
	for _, svc := range InterfaceServices {
		if _, err := ec2.NewVpcEndpoint(ctx, name+"-vpce-"+svc, &ec2.VpcEndpointArgs{
			VpcId:             vpc.ID(),
			ServiceName:       pulumi.String("com.amazonaws." + args.Region + "." + svc),
			VpcEndpointType:   pulumi.String("Interface"),
			PrivateDnsEnabled: pulumi.Bool(true),
			SubnetIds:         subnetIDs,
			SecurityGroupIds:  pulumi.StringArray{sg.ID().ToStringOutput()},
			Tags:              nameTag(name + "-vpce-" + svc),
		}, parent); err != nil {
			return err
		}
	}
	return nil
}
