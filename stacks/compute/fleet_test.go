package compute_test

import (
	"encoding/base64"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/compute"
	"github.com/regionctl/regionctl/stacks/internal/stackstest"
)

const (
	sgType       = "aws:ec2/securityGroup:SecurityGroup"
	ingressType  = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	egressType   = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	ltType       = "aws:ec2/launchTemplate:LaunchTemplate"
	asgType      = "aws:autoscaling/group:Group"
	albType      = "aws:lb/loadBalancer:LoadBalancer"
	tgType       = "aws:lb/targetGroup:TargetGroup"
	listenerType = "aws:lb/listener:Listener"
	certARN      = "arn:aws:acm:eu-west-1:123456789012:certificate/0f0f0f0f-0000-4000-8000-000000000000"
)

var (
	publicSubnets  = stackstest.SubnetIDs("public", 3)
	privateSubnets = stackstest.SubnetIDs("private", 3)
)

type result struct {
	regs         stackstest.Registrations
	appSG, albSG func() string
	albSuffix    func() string
	tgSuffix     func() string
}

func run(t *testing.T, s spec.Server) result {
	t.Helper()
	res, err := runErr(s)
	if err != nil {
		t.Fatalf("program failed: %v", err)
	}
	stackstest.CheckInvariants(t, res.regs)
	return res
}

func runErr(s spec.Server) (result, error) {
	r := stackstest.Region(func(r *spec.Region) { r.Servers = []spec.Server{s} })
	var res result
	var err error
	res.regs, err = stackstest.RunErr(r, func(ctx *pulumi.Context, p pulumi.ResourceOption) error {
		f, err := compute.NewFleet(ctx, "compute-"+s.Name, &compute.FleetArgs{
			Region:           r.Region,
			AccountID:        r.AccountID,
			Server:           r.Servers[0],
			VpcID:            pulumi.String(stackstest.VpcID),
			VpcCIDR:          pulumi.String(stackstest.VpcCIDR),
			PublicSubnetIDs:  pulumi.ToStringArray(publicSubnets),
			PrivateSubnetIDs: pulumi.ToStringArray(privateSubnets),
			KMSKeyARN:        pulumi.String(stackstest.KeyARN),
			InstanceTags:     map[string]string{"costCenter": "hosting-eu", "region": "eu-west-1"},
		}, p)
		if err != nil {
			return err
		}
		res.appSG = stackstest.Capture[string](f.AppSecurityGroupID)
		res.albSG = stackstest.Capture[string](f.LoadBalancerSecurityGroupID)
		res.albSuffix = stackstest.Capture[string](f.LoadBalancerARNSuffix)
		res.tgSuffix = stackstest.Capture[string](f.TargetGroupARNSuffix)
		return nil
	})
	return res, err
}

func web(lb *spec.LoadBalancer) spec.Server {
	return spec.Server{Name: "web", InstanceType: "m6i.large", Min: 3, Max: 12, LoadBalancer: lb}
}

func TestLaunchTemplate(t *testing.T) {
	res := run(t, web(nil))
	lt := res.regs.Named(t, ltType, "compute-web-lt")

	if got := stackstest.Str(lt, "metadataOptions.httpTokens"); got != "required" {
		t.Errorf("httpTokens = %q, want required (IMDSv2 only)", got)
	}
	if hop := stackstest.Num(lt, "metadataOptions.httpPutResponseHopLimit"); hop < 1 || hop > 2 {
		t.Errorf("hop limit %v, want 1 or 2", hop)
	}
	ebs := "blockDeviceMappings[0].ebs."
	if stackstest.Str(lt, ebs+"encrypted") != "true" || stackstest.Str(lt, ebs+"kmsKeyId") != stackstest.KeyARN {
		t.Errorf("root volume encrypted=%q key=%q, want the region key", stackstest.Str(lt, ebs+"encrypted"), stackstest.Str(lt, ebs+"kmsKeyId"))
	}
	if got := stackstest.Str(lt, ebs+"volumeType"); got != "gp3" {
		t.Errorf("volume type %s", got)
	}
	if got := stackstest.Num(lt, ebs+"volumeSize"); got != spec.DefaultVolumeSizeGiB {
		t.Errorf("volume size %v", got)
	}
	if got := stackstest.Str(lt, "imageId"); got != "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" {
		t.Errorf("image %s, want the AMI SSM parameter", got)
	}
	if got := stackstest.Str(lt, "iamInstanceProfile.arn"); got != "arn:aws:iam::123456789012:instance-profile/regionctl-eu-west-1-fleet-web" {
		t.Errorf("instance profile %s", got)
	}
	if got := stackstest.Strs(lt, "vpcSecurityGroupIds"); !slices.Equal(got, []string{res.appSG()}) {
		t.Errorf("security groups %v, want the app group %s", got, res.appSG())
	}
	if got := stackstest.Str(lt, "tagSpecifications[0].tags.costCenter"); got != "hosting-eu" {
		t.Errorf("instances are not tagged with the region's tags: %q", got)
	}

	ssm := res.regs.Named(t, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "compute-web-instance-ssm")
	if got := stackstest.Str(ssm, "policyArn"); got != "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" {
		t.Errorf("ssm policy %s", got)
	}
}

// TestWhatTheFleetRuns: the image and user data of the region file reach the launch
// template, as EC2 takes them.
func TestWhatTheFleetRuns(t *testing.T) {
	script := "#!/bin/sh\nexec /opt/web/serve\n"
	tests := []struct {
		name          string
		edit          func(*spec.Server)
		image         string
		userData      string
		userDataIsSet bool
	}{
		{"default image, no user data", func(*spec.Server) {}, "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", "", false},
		{"AMI parameter", func(s *spec.Server) { s.AMIParameter = "/images/web" }, "resolve:ssm:/images/web", "", false},
		{"AMI id", func(s *spec.Server) { s.Image = "ami-0123456789abcdef0" }, "ami-0123456789abcdef0", "", false},
		{"SSM parameter", func(s *spec.Server) { s.Image = "ssm:/images/web" }, "resolve:ssm:/images/web", "", false},
		{"SSM parameter version", func(s *spec.Server) { s.Image = "ssm:/images/web:3" }, "resolve:ssm:/images/web:3", "", false},
		{"user data", func(s *spec.Server) { s.UserDataContent = []byte(script) }, "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
			base64.StdEncoding.EncodeToString([]byte(script)), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := web(nil)
			tt.edit(&s)
			lt := run(t, s).regs.Named(t, ltType, "compute-web-lt")
			if got := stackstest.Str(lt, "imageId"); got != tt.image {
				t.Errorf("imageId %q, want %q", got, tt.image)
			}
			_, set := lt.Inputs["userData"]
			if got := stackstest.Str(lt, "userData"); got != tt.userData || set != tt.userDataIsSet {
				t.Errorf("userData %q (set %v), want %q (set %v)", got, set, tt.userData, tt.userDataIsSet)
			}
		})
	}
}

func TestAutoScalingGroup(t *testing.T) {
	desired := 4
	tests := []struct {
		name        string
		server      spec.Server
		healthCheck string
		targets     int
		policy      bool
		// minELB is how many servers must pass the load balancer's health check
		// before creating the group succeeds; -1 for no such gate.
		minELB float64
	}{
		{"behind a load balancer", web(&spec.LoadBalancer{Public: true}), "ELB", 1, true, 3},
		{"worker", spec.Server{Name: "worker", InstanceType: "c6i.xlarge", Min: 2, Max: 20, Desired: &desired}, "EC2", 0, true, -1},
		{"fixed size", spec.Server{Name: "fixed", InstanceType: "c6i.xlarge", Min: 2, Max: 2}, "EC2", 0, false, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, tt.server)
			asg := res.regs.Named(t, asgType, "compute-"+tt.server.Name+"-asg")
			if got := stackstest.Strs(asg, "vpcZoneIdentifiers"); !slices.Equal(got, privateSubnets) {
				t.Errorf("subnets %v, want the private ones", got)
			}
			want := tt.server.Min
			if tt.server.Desired != nil {
				want = *tt.server.Desired
			}
			if stackstest.Num(asg, "minSize") != float64(tt.server.Min) || stackstest.Num(asg, "maxSize") != float64(tt.server.Max) ||
				stackstest.Num(asg, "desiredCapacity") != float64(want) {
				t.Errorf("size %v..%v desired %v", stackstest.Num(asg, "minSize"), stackstest.Num(asg, "maxSize"), stackstest.Num(asg, "desiredCapacity"))
			}
			if got := stackstest.Str(asg, "healthCheckType"); got != tt.healthCheck {
				t.Errorf("health check %s, want %s", got, tt.healthCheck)
			}
			if got := len(stackstest.Strs(asg, "targetGroupArns")); got != tt.targets {
				t.Errorf("%d target groups, want %d", got, tt.targets)
			}
			if got := stackstest.Num(asg, "minElbCapacity"); got != tt.minELB {
				t.Errorf("minElbCapacity %v, want %v", got, tt.minELB)
			}
			if _, exact := asg.Inputs["waitForElbCapacity"]; exact {
				t.Error("waitForElbCapacity is set: on update it wants exactly that many healthy servers, which a scaled fleet never has")
			}
			if got := stackstest.Str(asg, "waitForCapacityTimeout"); got != "15m" {
				t.Errorf("waitForCapacityTimeout %q, want 15m", got)
			}
			if got := stackstest.Str(asg, "instanceRefresh.strategy"); got != "Rolling" {
				t.Errorf("instance refresh %q", got)
			}
			if got := stackstest.Str(asg, "launchTemplate.version"); got != "1" {
				t.Errorf("launch template version %q, want the template's latest version number", got)
			}
			if !slices.Contains(asg.IgnoreChanges, "desiredCapacity") {
				t.Errorf("ignoreChanges %v, want desiredCapacity (owned by scaling)", asg.IgnoreChanges)
			}
			if got := len(res.regs.OfType("aws:autoscaling/policy:Policy")) == 1; got != tt.policy {
				t.Errorf("scaling policy present = %v, want %v", got, tt.policy)
			}
		})
	}
}

func TestLoadBalancer(t *testing.T) {
	tests := []struct {
		name      string
		lb        *spec.LoadBalancer
		internal  bool
		subnets   []string
		source    string
		ports     []string
		listeners map[string]string // logical name → protocol
	}{
		{"public https", &spec.LoadBalancer{Public: true, CertificateARN: certARN}, false, publicSubnets, "0.0.0.0/0",
			[]string{"443", "80"}, map[string]string{"compute-web-https": "HTTPS", "compute-web-http": "HTTP"}},
		{"public http", &spec.LoadBalancer{Public: true}, false, publicSubnets, "0.0.0.0/0",
			[]string{"80"}, map[string]string{"compute-web-http": "HTTP"}},
		{"internal", &spec.LoadBalancer{}, true, privateSubnets, stackstest.VpcCIDR,
			[]string{"80"}, map[string]string{"compute-web-http": "HTTP"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := run(t, web(tt.lb))

			alb := res.regs.Named(t, albType, "compute-web-alb")
			if stackstest.Str(alb, "name") != "web-alb" || stackstest.Bool(alb, "internal") != tt.internal {
				t.Errorf("ALB %s internal=%v", stackstest.Str(alb, "name"), stackstest.Bool(alb, "internal"))
			}
			if got := stackstest.Strs(alb, "subnets"); !slices.Equal(got, tt.subnets) {
				t.Errorf("ALB subnets %v, want %v", got, tt.subnets)
			}
			if !stackstest.Bool(alb, "dropInvalidHeaderFields") || !stackstest.Bool(alb, "enableDeletionProtection") {
				t.Error("ALB must drop invalid headers and be deletion protected")
			}
			if got := stackstest.Strs(alb, "securityGroups"); !slices.Equal(got, []string{res.albSG()}) {
				t.Errorf("ALB security groups %v", got)
			}
			if !strings.HasPrefix(res.albSuffix(), "app/web-alb/") || !strings.HasPrefix(res.tgSuffix(), "targetgroup/web-tg/") {
				t.Errorf("ARN suffixes %q %q", res.albSuffix(), res.tgSuffix())
			}

			tg := res.regs.Named(t, tgType, "compute-web-tg")
			if stackstest.Str(tg, "name") != "web-tg" || stackstest.Num(tg, "port") != spec.DefaultServerPort ||
				stackstest.Str(tg, "healthCheck.path") != spec.DefaultHealthCheckPath {
				t.Errorf("target group %s port %v path %s", stackstest.Str(tg, "name"), stackstest.Num(tg, "port"), stackstest.Str(tg, "healthCheck.path"))
			}

			listeners := res.regs.OfType(listenerType)
			if len(listeners) != len(tt.listeners) {
				t.Fatalf("listeners %v, want %v", listeners.Names(), tt.listeners)
			}
			for _, l := range listeners {
				if got := stackstest.Str(l, "protocol"); got != tt.listeners[l.Name] {
					t.Errorf("%s: protocol %s, want %s", l.Name, got, tt.listeners[l.Name])
				}
				action := stackstest.Str(l, "defaultActions[0].type")
				switch {
				case stackstest.Str(l, "protocol") == "HTTPS":
					if stackstest.Str(l, "certificateArn") != certARN || !strings.HasPrefix(stackstest.Str(l, "sslPolicy"), "ELBSecurityPolicy-TLS13-") {
						t.Errorf("HTTPS listener cert %q policy %q", stackstest.Str(l, "certificateArn"), stackstest.Str(l, "sslPolicy"))
					}
					if action != "forward" {
						t.Errorf("HTTPS listener %s", action)
					}
				case len(tt.listeners) == 2:
					if action != "redirect" || stackstest.Str(l, "defaultActions[0].redirect.protocol") != "HTTPS" {
						t.Errorf("HTTP listener does not redirect to HTTPS: %s", action)
					}
				default:
					if action != "forward" {
						t.Errorf("HTTP listener %s, want forward", action)
					}
				}
			}

			var open []string
			for _, rule := range res.regs.OfType(ingressType) {
				sg := stackstest.Str(rule, "securityGroupId")
				switch sg {
				case res.albSG():
					if stackstest.Str(rule, "cidrIpv4") != tt.source {
						t.Errorf("%s: ALB admits %s, want %s", rule.Name, stackstest.Str(rule, "cidrIpv4"), tt.source)
					}
					open = append(open, strings.TrimPrefix(rule.Name, "compute-web-alb-in-"))
				case res.appSG():
					if stackstest.Str(rule, "referencedSecurityGroupId") != res.albSG() || stackstest.Str(rule, "cidrIpv4") != "" {
						t.Errorf("%s: servers admit something other than the ALB", rule.Name)
					}
					if stackstest.Num(rule, "fromPort") != spec.DefaultServerPort || stackstest.Num(rule, "toPort") != spec.DefaultServerPort {
						t.Errorf("%s: servers open %v-%v, want the app port", rule.Name, stackstest.Num(rule, "fromPort"), stackstest.Num(rule, "toPort"))
					}
				default:
					t.Errorf("%s: ingress to unknown group %s", rule.Name, sg)
				}
			}
			slices.Sort(open)
			if !slices.Equal(open, tt.ports) {
				t.Errorf("ALB ports %v, want %v", open, tt.ports)
			}
			toApp := res.regs.Named(t, egressType, "compute-web-alb-to-app")
			if stackstest.Str(toApp, "referencedSecurityGroupId") != res.appSG() {
				t.Errorf("ALB egress goes to %s, want the app group", stackstest.Str(toApp, "referencedSecurityGroupId"))
			}
		})
	}
}

func TestWorkerHasNoIngress(t *testing.T) {
	res := run(t, spec.Server{Name: "worker", InstanceType: "c6i.xlarge", Min: 2, Max: 20})
	count := res.regs.CountByType()
	for _, typ := range []string{albType, tgType, listenerType, ingressType} {
		if count[typ] != 0 {
			t.Errorf("a fleet without load balancer has %d %s", count[typ], typ)
		}
	}
	if count[sgType] != 1 {
		t.Errorf("%d security groups, want the app group only", count[sgType])
	}
	if res.albSuffix() != "" || res.tgSuffix() != "" || res.albSG() != "" {
		t.Error("load balancer outputs of a fleet without one must be empty")
	}
}

func TestNoOpenIngressBesidesTheALB(t *testing.T) {
	res := run(t, web(&spec.LoadBalancer{Public: true, CertificateARN: certARN}))
	for _, rule := range res.regs.OfType(ingressType) {
		if stackstest.Str(rule, "cidrIpv4") != "0.0.0.0/0" {
			continue
		}
		port := stackstest.Num(rule, "fromPort")
		if stackstest.Str(rule, "securityGroupId") != res.albSG() || (port != 80 && port != 443) || stackstest.Num(rule, "toPort") != port {
			t.Errorf("%s opens %v to the internet", rule.Name, port)
		}
	}
}

func TestBadFleet(t *testing.T) {
	tests := map[string]spec.Server{
		"name too long for an ALB":      {Name: strings.Repeat("w", 29), InstanceType: "m6i.large", Min: 1, Max: 2, LoadBalancer: &spec.LoadBalancer{}},
		"name too long for an IAM role": {Name: strings.Repeat("w", 40), InstanceType: "m6i.large", Min: 1, Max: 2},
		"defaults not applied":          {Name: "web", InstanceType: "m6i.large", Min: 1, Max: 2},
	}
	for name, s := range tests {
		t.Run(name, func(t *testing.T) {
			r := stackstest.Region()
			_, err := stackstest.RunErr(r, func(ctx *pulumi.Context, p pulumi.ResourceOption) error {
				_, err := compute.NewFleet(ctx, "compute-"+s.Name, &compute.FleetArgs{
					Region: r.Region, AccountID: r.AccountID, Server: s,
					VpcID: pulumi.String(stackstest.VpcID), VpcCIDR: pulumi.String(stackstest.VpcCIDR),
					PublicSubnetIDs: pulumi.ToStringArray(publicSubnets), PrivateSubnetIDs: pulumi.ToStringArray(privateSubnets),
					KMSKeyARN: pulumi.String(stackstest.KeyARN),
				}, p)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), "fleet compute-"+s.Name+": ") {
				t.Errorf("err = %v, want a fleet error", err)
			}
		})
	}
}

// A new port replaces the target group; its name follows the port, so the new group is
// created next to the old one the listener still uses (AWS refuses to delete that).
func TestTargetGroupNameFollowsPort(t *testing.T) {
	for _, tt := range []struct {
		port int
		want string
	}{{spec.DefaultServerPort, "web-tg"}, {9090, "web-tg9090"}} {
		s := web(&spec.LoadBalancer{Public: true, CertificateARN: certARN})
		s.Port = tt.port
		res := run(t, s)
		if got := stackstest.Str(res.regs.Named(t, tgType, "compute-web-tg"), "name"); got != tt.want {
			t.Errorf("port %d: target group %s, want %s", tt.port, got, tt.want)
		}
	}
}
