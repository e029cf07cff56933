package rehearsal

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/autoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TestUnhealthyFleetFailsUp: through the real engine, an up whose load-balanced fleet
// never becomes healthy fails, naming the group, as the real provider's capacity wait
// does; the same program succeeds once the fleet is healthy.
func TestUnhealthyFleetFailsUp(t *testing.T) {
	root := needPulumi(t)
	srv, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Error(err)
		}
	})
	program := func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws-eu-west-1", &aws.ProviderArgs{
			Region:            pulumi.String("eu-west-1"),
			AllowedAccountIds: pulumi.StringArray{pulumi.String(e2eAccount)},
		})
		if err != nil {
			return err
		}
		lt, err := ec2.NewLaunchTemplate(ctx, "compute-web-lt", &ec2.LaunchTemplateArgs{
			Name:         pulumi.String("web-lt"),
			ImageId:      pulumi.String("ami-0123456789abcdef0"),
			InstanceType: pulumi.String("m6i.large"),
		}, pulumi.Provider(p))
		if err != nil {
			return err
		}
		_, err = autoscaling.NewGroup(ctx, "compute-web-asg", &autoscaling.GroupArgs{
			Name:                   pulumi.String("web-asg"),
			VpcZoneIdentifiers:     pulumi.StringArray{pulumi.String("subnet-0a"), pulumi.String("subnet-0b")},
			MinSize:                pulumi.Int(2),
			MaxSize:                pulumi.Int(4),
			LaunchTemplate:         &autoscaling.GroupLaunchTemplateArgs{Id: lt.ID(), Version: pulumi.String("1")},
			HealthCheckType:        pulumi.String("ELB"),
			MinElbCapacity:         pulumi.Int(2),
			WaitForCapacityTimeout: pulumi.String("15m"),
		}, pulumi.Provider(p))
		return err
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	state := t.TempDir()
	stack := rehearsalStack(ctx, t, cmd, state, "rehearsal-health", program, srv.Port())

	t.Setenv(UnhealthyEnv, "web-asg")
	if _, err := stack.Preview(ctx); err != nil {
		t.Fatalf("a preview must not wait for capacity: %v", err)
	}
	_, err = stack.Up(ctx)
	const want = "waiting for Auto Scaling Group (web-asg) capacity satisfied: timeout while waiting for state to become 'ok' (last state: 'want at least 2 healthy instance(s) registered to Load Balancer, have 0', timeout: 15m0s)"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("up with an unhealthy fleet: %v\nwant an error saying %s", err, want)
	}

	t.Setenv(UnhealthyEnv, "")
	if _, err := stack.Up(ctx); err != nil {
		t.Fatalf("up with a healthy fleet: %v", err)
	}
}
