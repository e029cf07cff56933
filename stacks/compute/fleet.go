// Package compute is a server fleet: a launch template and an Auto Scaling group in the
// private subnets, and for fleets that serve traffic an Application Load Balancer with
// its target group and listeners.
//
// Security groups are chained so that each hop only accepts the one before it: the
// internet (or the VPC, for an internal ALB) reaches the ALB on 80/443, the ALB reaches
// the servers on the application port, and data stores accept only the servers'
// security group (AppSecurityGroupID).
package compute

import (
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/stacks/internal/entry"

	"github.com/regionctl/regionctl/internal/awsmodel/awsarn"
	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/internal/policydoc"
	"github.com/regionctl/regionctl/stacks/internal/sgrule"
)

// FleetArgs configures one server fleet.
type FleetArgs struct {
	// Region and AccountID name the fleet's IAM role, which is global.
	Region    string
	AccountID string
	// Server is the fleet as the region file describes it, defaults applied.
	Server spec.Server

	VpcID            pulumi.StringInput
	VpcCIDR          pulumi.StringInput // the only source an internal ALB accepts
	PublicSubnetIDs  pulumi.StringArrayInput
	PrivateSubnetIDs pulumi.StringArrayInput
	// KMSKeyARN encrypts the servers' EBS volumes.
	KMSKeyARN pulumi.StringInput
	// InstanceTags are put on instances and volumes the Auto Scaling group launches:
	// the provider's default tags only reach resources the provider itself creates.
	InstanceTags map[string]string
	// RefreshAlarms stop a rolling instance refresh of a load-balanced fleet when they
	// fire (observability.FleetRefreshAlarms).
	RefreshAlarms []string
	// ReleaseDeletionProtection turns the load balancer's deletion protection off, for
	// the update right before a destroy (AWS refuses to delete it while it is on).
	ReleaseDeletionProtection bool
	// Uses are the data stores the servers reach (servers[].uses): the role may use
	// them, the security group may connect to them, and to nothing else but HTTPS.
	Uses []Access
}

// Fleet is an Auto Scaling group of identical servers, optionally behind an ALB.
type Fleet struct {
	pulumi.ResourceState

	// AppSecurityGroupID is the servers' security group: data stores admit it.
	AppSecurityGroupID   pulumi.StringOutput
	AutoScalingGroupName pulumi.StringOutput
	LaunchTemplateID     pulumi.StringOutput
	// InstanceRoleName lets other components grant the servers access.
	InstanceRoleName pulumi.StringOutput

	// The load balancer's outputs are "" for a fleet without one.
	LoadBalancerSecurityGroupID pulumi.StringOutput
	LoadBalancerARN             pulumi.StringOutput
	LoadBalancerDNSName         pulumi.StringOutput
	// LoadBalancerARNSuffix and TargetGroupARNSuffix are the CloudWatch dimensions.
	LoadBalancerARNSuffix pulumi.StringOutput
	TargetGroupARN        pulumi.StringOutput
	TargetGroupARNSuffix  pulumi.StringOutput
}

// NewFleet creates a server fleet.
func NewFleet(ctx *pulumi.Context, name string, args *FleetArgs, opts ...pulumi.ResourceOption) (*Fleet, error) {
	if err := args.check(); err != nil {
		return nil, fmt.Errorf("fleet %s: %w", name, err)
	}
	f := &Fleet{}
	if err := entry.Register(ctx, "regionctl:stacks:Fleet", name, spec.Ref{Kind: spec.KindFleet, Name: args.Server.Name}, f, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(f)
	s := args.Server

	appSG, err := ec2.NewSecurityGroup(ctx, name+"-app", &ec2.SecurityGroupArgs{
		VpcId:       args.VpcID,
		Description: pulumi.String("servers of fleet " + s.Name),
		Tags:        pulumi.StringMap{"Name": pulumi.String(name + "-app")},
	}, parent)
	if err != nil {
		return nil, err
	}
	if err := egress(ctx, name, args, appSG, parent); err != nil {
		return nil, err
	}

	var lb *loadBalancer
	if s.LoadBalancer != nil {
		if lb, err = newLoadBalancer(ctx, name, args, appSG, parent); err != nil {
			return nil, err
		}
	}

	role, profile, grants, err := instanceRole(ctx, name, args, parent)
	if err != nil {
		return nil, err
	}
	access, err := accessPolicy(ctx, name, args, role, parent)
	if err != nil {
		return nil, err
	}
	if access != nil {
		grants = append(grants, access)
	}

	lt, err := ec2.NewLaunchTemplate(ctx, name+"-lt", &ec2.LaunchTemplateArgs{
		Name:        pulumi.String(s.Name + "-lt"),
		Description: pulumi.String("servers of fleet " + s.Name),
		// An AMI id, or an SSM parameter resolved by EC2 at launch: a new AMI in an
		// unversioned parameter reaches the fleet on the next instance refresh without a
		// code change or an invoke at preview; a new image or version is a new template
		// version, which refreshes the fleet.
		ImageId:             pulumi.String(s.ImageID()),
		UserData:            userData(s.UserDataContent),
		InstanceType:        pulumi.String(s.InstanceType),
		IamInstanceProfile:  &ec2.LaunchTemplateIamInstanceProfileArgs{Arn: profile.Arn},
		VpcSecurityGroupIds: pulumi.StringArray{appSG.ID().ToStringOutput()},
		MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{
			HttpEndpoint: pulumi.String("enabled"),
			// IMDSv2 only: a session token defeats SSRF-style credential theft.
			HttpTokens: pulumi.String("required"),
			// 2 lets containers on the host reach IMDS; more would let it leak further.
			HttpPutResponseHopLimit: pulumi.Int(2),
			InstanceMetadataTags:    pulumi.String("disabled"),
		},
		BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{
			&ec2.LaunchTemplateBlockDeviceMappingArgs{
				// The root device of Amazon Linux AMIs.
				DeviceName: pulumi.String("/dev/xvda"),
				Ebs: &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{
					VolumeType:          pulumi.String("gp3"),
					VolumeSize:          pulumi.Int(s.VolumeSizeGiB),
					Encrypted:           pulumi.String("true"),
					KmsKeyId:            args.KMSKeyARN,
					DeleteOnTermination: pulumi.String("true"),
				},
			},
		},
		Monitoring:           &ec2.LaunchTemplateMonitoringArgs{Enabled: pulumi.Bool(true)},
		TagSpecifications:    tagSpecifications(name, args.InstanceTags),
		UpdateDefaultVersion: pulumi.Bool(true),
	}, parent)
	if err != nil {
		return nil, err
	}

	healthCheck := "EC2"
	var targetGroups pulumi.StringArray
	var minELBCapacity pulumi.IntPtrInput
	if lb != nil {
		// Replace servers the load balancer finds unhealthy, not only dead ones.
		healthCheck = "ELB"
		targetGroups = pulumi.StringArray{lb.targetGroup.Arn}
		// The health gate: creating the group waits until min servers pass the target
		// group's health check, so an up whose servers never serve fails instead of
		// reporting success behind a load balancer answering 502. minElbCapacity, not
		// waitForElbCapacity: the provider only waits for it on create, while
		// waitForElbCapacity on update wants exactly that many healthy servers, which a
		// fleet the scaling policy has grown never has.
		minELBCapacity = pulumi.Int(s.Min)
	}
	asg, err := autoscaling.NewGroup(ctx, name+"-asg", &autoscaling.GroupArgs{
		Name:               pulumi.String(s.Name + "-asg"),
		VpcZoneIdentifiers: args.PrivateSubnetIDs,
		MinSize:            pulumi.Int(s.Min),
		MaxSize:            pulumi.Int(s.Max),
		DesiredCapacity:    pulumi.Int(*s.Desired),
		LaunchTemplate: &autoscaling.GroupLaunchTemplateArgs{
			Id: lt.ID(),
			// The concrete version (not $Latest) makes a template change a change of the
			// group, which starts the instance refresh below.
			Version: lt.LatestVersion.ApplyT(func(v int) string { return strconv.Itoa(v) }).(pulumi.StringOutput),
		},
		HealthCheckType:        pulumi.String(healthCheck),
		HealthCheckGracePeriod: pulumi.Int(300),
		MinElbCapacity:         minELBCapacity,
		// Boot, the grace period and three passing health checks 15 s apart fit with
		// room to spare; the provider's default is 10m.
		WaitForCapacityTimeout: pulumi.String(capacityTimeout),
		DefaultInstanceWarmup:  pulumi.Int(300),
		TargetGroupArns:        targetGroups,
		InstanceRefresh: &autoscaling.GroupInstanceRefreshArgs{
			Strategy:    pulumi.String("Rolling"),
			Preferences: refreshPreferences(s, lb != nil, args.RefreshAlarms),
		},
		EnabledMetrics: pulumi.StringArray{
			pulumi.String("GroupDesiredCapacity"), pulumi.String("GroupInServiceInstances"),
			pulumi.String("GroupMaxSize"), pulumi.String("GroupMinSize"),
			pulumi.String("GroupPendingInstances"), pulumi.String("GroupTerminatingInstances"),
			pulumi.String("GroupTotalInstances"),
		},
		Tags: autoscaling.GroupTagArray{&autoscaling.GroupTagArgs{
			Key: pulumi.String("Name"), Value: pulumi.String(name), PropagateAtLaunch: pulumi.Bool(true),
		}},
	},
		parent,
		// The scaling policy owns the desired capacity once the group exists; a deploy
		// must not reset it to the file's value in the middle of a traffic peak.
		pulumi.IgnoreChanges([]string{"desiredCapacity"}),
		// Servers that boot before their role's policies exist fail their first calls
		// (and their health checks); IAM is also eventually consistent, so the group
		// waits for every policy of the role, not only the instance profile.
		pulumi.DependsOn(grants))
	if err != nil {
		return nil, err
	}
	if s.Max > s.Min {
		if _, err := autoscaling.NewPolicy(ctx, name+"-cpu", &autoscaling.PolicyArgs{
			Name:                 pulumi.String(s.Name + "-cpu-target"),
			AutoscalingGroupName: asg.Name,
			PolicyType:           pulumi.String("TargetTrackingScaling"),
			TargetTrackingConfiguration: &autoscaling.PolicyTargetTrackingConfigurationArgs{
				PredefinedMetricSpecification: &autoscaling.PolicyTargetTrackingConfigurationPredefinedMetricSpecificationArgs{
					PredefinedMetricType: pulumi.String("ASGAverageCPUUtilization"),
				},
				TargetValue: pulumi.Float64(60),
			},
		}, parent); err != nil {
			return nil, err
		}
	}

	empty := pulumi.String("").ToStringOutput()
	f.AppSecurityGroupID = appSG.ID().ToStringOutput()
	f.AutoScalingGroupName = asg.Name
	f.LaunchTemplateID = lt.ID().ToStringOutput()
	f.InstanceRoleName = role.Name
	f.LoadBalancerSecurityGroupID, f.LoadBalancerARN, f.LoadBalancerDNSName = empty, empty, empty
	f.LoadBalancerARNSuffix, f.TargetGroupARN, f.TargetGroupARNSuffix = empty, empty, empty
	if lb != nil {
		f.LoadBalancerSecurityGroupID = lb.securityGroup.ID().ToStringOutput()
		f.LoadBalancerARN = lb.alb.Arn
		f.LoadBalancerDNSName = lb.alb.DnsName
		f.LoadBalancerARNSuffix = lb.alb.ArnSuffix
		f.TargetGroupARN = lb.targetGroup.Arn
		f.TargetGroupARNSuffix = lb.targetGroup.ArnSuffix
	}
	return f, ctx.RegisterResourceOutputs(f, pulumi.Map{
		"appSecurityGroupId":    f.AppSecurityGroupID,
		"autoScalingGroupName":  f.AutoScalingGroupName,
		"loadBalancerDnsName":   f.LoadBalancerDNSName,
		"loadBalancerArnSuffix": f.LoadBalancerARNSuffix,
		"targetGroupArnSuffix":  f.TargetGroupARNSuffix,
	})
}

func (a *FleetArgs) check() error {
	switch {
	case a == nil:
		return errors.New("arguments are required")
	case a.Region == "" || a.AccountID == "":
		return errors.New("region and account id are required")
	case a.VpcID == nil || a.PrivateSubnetIDs == nil || a.KMSKeyARN == nil:
		return errors.New("VPC, private subnets and KMS key are required")
	case a.Server.Desired == nil || a.Server.Port == 0 || a.Server.ImageID() == "" || a.Server.VolumeSizeGiB == 0:
		return errors.New("server defaults are not applied (spec.ApplyDefaults)")
	case a.Server.LoadBalancer != nil && (a.VpcCIDR == nil || a.PublicSubnetIDs == nil):
		return errors.New("a load balancer needs the VPC CIDR and the public subnets")
	case len(instanceRoleName(a.Region, a.Server.Name)) > 64:
		return fmt.Errorf("fleet name %q is too long for the IAM role name %s (max 64)", a.Server.Name, instanceRoleName(a.Region, a.Server.Name))
	case a.Server.LoadBalancer != nil && len(a.Server.Name)+len("-alb") > 32:
		// ALB and target group names are limited to 32 characters.
		return fmt.Errorf("fleet name %q is too long for a load balancer name (max 28)", a.Server.Name)
	}
	return nil
}

// capacityTimeout bounds how long an up waits for a new fleet's servers to be healthy.
const capacityTimeout = "15m"

// userData is the launch template's user data: base64, as EC2 takes it; nil for none.
func userData(content []byte) pulumi.StringPtrInput {
	if len(content) == 0 {
		return nil
	}
	return pulumi.String(base64.StdEncoding.EncodeToString(content))
}

// instanceRole is the servers' identity: Systems Manager for shell access and patching
// (no SSH keys, no port 22), and the CloudWatch agent for logs and metrics.
func instanceRole(ctx *pulumi.Context, name string, args *FleetArgs, parent pulumi.ResourceOption) (*iam.Role, *iam.InstanceProfile, []pulumi.Resource, error) {
	physical := instanceRoleName(args.Region, args.Server.Name)
	role, err := iam.NewRole(ctx, name+"-instance", &iam.RoleArgs{
		Name:             pulumi.String(physical),
		Description:      pulumi.String("servers of fleet " + args.Server.Name),
		AssumeRolePolicy: pulumi.String(policydoc.AssumeRoleUnconditional("ec2.amazonaws.com").MustJSON()),
	}, parent)
	if err != nil {
		return nil, nil, nil, err
	}
	var attachments []pulumi.Resource
	for _, p := range []struct{ short, policy string }{
		{"ssm", "AmazonSSMManagedInstanceCore"},
		{"cloudwatch-agent", "CloudWatchAgentServerPolicy"},
	} {
		a, err := iam.NewRolePolicyAttachment(ctx, name+"-instance-"+p.short, &iam.RolePolicyAttachmentArgs{
			Role:      role.Name,
			PolicyArn: pulumi.String(awsarn.ManagedPolicy(args.Region, p.policy)),
		}, parent)
		if err != nil {
			return nil, nil, nil, err
		}
		attachments = append(attachments, a)
	}
	profile, err := iam.NewInstanceProfile(ctx, name+"-instance", &iam.InstanceProfileArgs{
		Name: pulumi.String(physical),
		Role: role.Name,
	}, parent)
	if err != nil {
		return nil, nil, nil, err
	}
	return role, profile, attachments, nil
}

// httpsPort is the one port servers reach anywhere: AWS APIs (SSM, CloudWatch, SQS,
// S3, Secrets Manager) and package repositories, through NAT or VPC endpoints. DNS,
// NTP and instance metadata are link-local and not filtered by security groups.
const httpsPort = 443

// egress lets the servers reach HTTPS anywhere and each data store they use on its
// port, at its security group: nothing else leaves them.
func egress(ctx *pulumi.Context, name string, args *FleetArgs, appSG *ec2.SecurityGroup, parent pulumi.ResourceOption) error {
	group := appSG.ID().ToStringOutput()
	if _, err := sgrule.Egress(ctx, name+"-app-https", group, "HTTPS to AWS APIs and package repositories",
		sgrule.Peer{CIDR: pulumi.String("0.0.0.0/0")}, httpsPort, parent); err != nil {
		return err
	}
	for _, u := range args.Uses {
		if u.SecurityGroupID == nil {
			continue
		}
		if _, err := sgrule.Egress(ctx, name+"-app-to-"+u.Ref.Kind+"-"+u.Ref.Name, group, "to "+u.Ref.String(),
			sgrule.Peer{Group: u.SecurityGroupID.ToStringOutput()}, u.Port, parent); err != nil {
			return err
		}
	}
	return nil
}

// instanceRoleName names the fleet's role and instance profile. IAM is global: the
// region keeps regions of one account apart, "fleet-" keeps fleets apart from the
// region's other roles.
func instanceRoleName(region, fleet string) string {
	return "regionctl-" + region + "-fleet-" + fleet
}

// tagSpecifications tags what the Auto Scaling group launches, in a stable key order.
func tagSpecifications(name string, tags map[string]string) ec2.LaunchTemplateTagSpecificationArray {
	m := pulumi.StringMap{"Name": pulumi.String(name)}
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		if k != "Name" {
			m[k] = pulumi.String(tags[k])
		}
	}
	var out ec2.LaunchTemplateTagSpecificationArray
	for _, kind := range []string{"instance", "volume", "network-interface"} {
		out = append(out, &ec2.LaunchTemplateTagSpecificationArgs{ResourceType: pulumi.String(kind), Tags: m})
	}
	return out
}

// refreshPreferences roll a new launch template version out 10% at a time. For a
// load-balanced fleet the refresh fails when its health alarms fire, and rolls the
// servers back to the previous version where AWS supports it: only for an AMI id, not
// for an image resolved from an SSM parameter (RefreshPreferences.AutoRollback,
// https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html).
func refreshPreferences(s spec.Server, balanced bool, alarms []string) *autoscaling.GroupInstanceRefreshPreferencesArgs {
	p := &autoscaling.GroupInstanceRefreshPreferencesArgs{
		MinHealthyPercentage: pulumi.Int(90),
		MaxHealthyPercentage: pulumi.Int(110),
	}
	if balanced && len(alarms) > 0 {
		p.AlarmSpecification = &autoscaling.GroupInstanceRefreshPreferencesAlarmSpecificationArgs{
			Alarms: pulumi.ToStringArray(alarms),
		}
		p.AutoRollback = pulumi.Bool(!strings.HasPrefix(s.ImageID(), "resolve:ssm:"))
	}
	return p
}
