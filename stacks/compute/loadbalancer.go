package compute

import (
	"strconv"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/internal/sgrule"
)

// tlsPolicy allows TLS 1.3 and 1.2 with forward-secret ciphers only.
const tlsPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"

type loadBalancer struct {
	securityGroup *ec2.SecurityGroup
	alb           *lb.LoadBalancer
	targetGroup   *lb.TargetGroup
}

// newLoadBalancer creates the fleet's ALB, its security group chained to the servers'
// and its listeners: HTTPS with an HTTP redirect when there is a certificate, plain
// HTTP otherwise.
func newLoadBalancer(ctx *pulumi.Context, name string, args *FleetArgs, appSG *ec2.SecurityGroup, parent pulumi.ResourceOption) (*loadBalancer, error) {
	s := args.Server
	https := s.LoadBalancer.CertificateARN != ""

	sg, err := ec2.NewSecurityGroup(ctx, name+"-alb", &ec2.SecurityGroupArgs{
		VpcId:       args.VpcID,
		Description: pulumi.String("load balancer of fleet " + s.Name),
		Tags:        pulumi.StringMap{"Name": pulumi.String(name + "-alb")},
	}, parent)
	if err != nil {
		return nil, err
	}
	// The only 0.0.0.0/0 ingress of a region: an internet-facing ALB's listener ports.
	// An internal ALB accepts the VPC only.
	clients := sgrule.Peer{CIDR: pulumi.String("0.0.0.0/0")}
	if !s.LoadBalancer.Public {
		clients = sgrule.Peer{CIDR: args.VpcCIDR.ToStringOutput()}
	}
	ports := []int{80}
	if https {
		ports = append(ports, 443)
	}
	for _, port := range ports {
		p := strconv.Itoa(port)
		if _, err := sgrule.Ingress(ctx, name+"-alb-in-"+p, sg.ID().ToStringOutput(), "clients on "+p, clients, port, parent); err != nil {
			return nil, err
		}
	}
	// The chain: ALB → servers on the application port, and nothing else either way.
	if _, err := sgrule.Egress(ctx, name+"-alb-to-app", sg.ID().ToStringOutput(), "to the servers",
		sgrule.Peer{Group: appSG.ID().ToStringOutput()}, s.Port, parent); err != nil {
		return nil, err
	}
	if _, err := sgrule.Ingress(ctx, name+"-app-from-alb", appSG.ID().ToStringOutput(), "from the load balancer",
		sgrule.Peer{Group: sg.ID().ToStringOutput()}, s.Port, parent); err != nil {
		return nil, err
	}

	subnets := args.PrivateSubnetIDs
	if s.LoadBalancer.Public {
		subnets = args.PublicSubnetIDs
	}
	alb, err := lb.NewLoadBalancer(ctx, name+"-alb", &lb.LoadBalancerArgs{
		Name:             pulumi.String(s.Name + "-alb"),
		LoadBalancerType: pulumi.String("application"),
		Internal:         pulumi.Bool(!s.LoadBalancer.Public),
		SecurityGroups:   pulumi.StringArray{sg.ID().ToStringOutput()},
		Subnets:          subnets,
		// Malformed headers are a request-smuggling vector; the application never
		// needs them.
		DropInvalidHeaderFields: pulumi.Bool(true),
		// On except right before a destroy: deleting the load balancer by accident
		// cuts the region off the internet and gives it a new DNS name.
		EnableDeletionProtection: pulumi.Bool(!args.ReleaseDeletionProtection),
		EnableHttp2:              pulumi.Bool(true),
		IdleTimeout:              pulumi.Int(60),
	}, parent)
	if err != nil {
		return nil, err
	}
	tg, err := lb.NewTargetGroup(ctx, name+"-tg", &lb.TargetGroupArgs{
		// A new port or protocol replaces the group, and its fixed name would make the
		// provider delete the old one first, which AWS refuses while the listener uses it:
		// the name carries the port, so the new group is created next to the old one.
		Name:       pulumi.String(spec.TargetGroupName(s.Name, s.Port)),
		VpcId:      args.VpcID,
		TargetType: pulumi.String("instance"),
		Port:       pulumi.Int(s.Port),
		Protocol:   pulumi.String("HTTP"),
		// Long enough for in-flight requests, short enough for quick deploys.
		DeregistrationDelay: pulumi.Int(30),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Enabled:            pulumi.Bool(true),
			Path:               pulumi.String(s.HealthCheckPath),
			Port:               pulumi.String("traffic-port"),
			Protocol:           pulumi.String("HTTP"),
			Matcher:            pulumi.String("200-399"),
			Interval:           pulumi.Int(15),
			Timeout:            pulumi.Int(5),
			HealthyThreshold:   pulumi.Int(3),
			UnhealthyThreshold: pulumi.Int(3),
		},
	}, parent)
	if err != nil {
		return nil, err
	}

	forward := lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
		Type:           pulumi.String("forward"),
		TargetGroupArn: tg.Arn,
	}}
	if https {
		if _, err := lb.NewListener(ctx, name+"-https", &lb.ListenerArgs{
			LoadBalancerArn: alb.Arn,
			Port:            pulumi.Int(443),
			Protocol:        pulumi.String("HTTPS"),
			SslPolicy:       pulumi.String(tlsPolicy),
			CertificateArn:  pulumi.String(s.LoadBalancer.CertificateARN),
			DefaultActions:  forward,
		}, parent); err != nil {
			return nil, err
		}
		if _, err := lb.NewListener(ctx, name+"-http", &lb.ListenerArgs{
			LoadBalancerArn: alb.Arn,
			Port:            pulumi.Int(80),
			Protocol:        pulumi.String("HTTP"),
			DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
				Type: pulumi.String("redirect"),
				Redirect: &lb.ListenerDefaultActionRedirectArgs{
					Protocol:   pulumi.String("HTTPS"),
					Port:       pulumi.String("443"),
					StatusCode: pulumi.String("HTTP_301"),
				},
			}},
		}, parent); err != nil {
			return nil, err
		}
	} else {
		if _, err := lb.NewListener(ctx, name+"-http", &lb.ListenerArgs{
			LoadBalancerArn: alb.Arn,
			Port:            pulumi.Int(80),
			Protocol:        pulumi.String("HTTP"),
			DefaultActions:  forward,
		}, parent); err != nil {
			return nil, err
		}
	}
	return &loadBalancer{securityGroup: sg, alb: alb, targetGroup: tg}, nil
}
