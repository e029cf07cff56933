package stackstest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/stacks/internal/stackstest"
)

// collector is a testing.TB that keeps failures instead of failing.
type collector struct {
	testing.TB
	failures []string
}

func (c *collector) Helper() {}
func (c *collector) Errorf(f string, args ...any) {
	c.failures = append(c.failures, fmt.Sprintf(f, args...))
}
func (c *collector) Fatalf(f string, args ...any) {
	c.failures = append(c.failures, fmt.Sprintf(f, args...))
}

type component struct{ pulumi.ResourceState }

// TestCheckInvariantsCatches makes sure the shared checks fail on each kind of mistake
// they exist for; a checker that never fails would pass every component.
func TestCheckInvariantsCatches(t *testing.T) {
	regs := stackstest.Run(t, stackstest.Region(), func(ctx *pulumi.Context, p pulumi.ResourceOption) error {
		c := &component{}
		if err := ctx.RegisterComponentResource("regionctl:stacks:Thing", "thing", c, p); err != nil {
			return err
		}
		// unprotected stateful resource
		if _, err := kms.NewKey(ctx, "thing-key", &kms.KeyArgs{}, pulumi.Parent(c)); err != nil {
			return err
		}
		// no component parent
		if _, err := sqs.NewQueue(ctx, "orphan", &sqs.QueueArgs{}, p, pulumi.Protect(true), pulumi.RetainOnDelete(true)); err != nil {
			return err
		}
		// default provider
		if _, err := sqs.NewQueue(ctx, "thing-defaulted", &sqs.QueueArgs{}, pulumi.Protect(true), pulumi.RetainOnDelete(true)); err != nil {
			return err
		}
		// not prefixed by its component
		_, err := sqs.NewQueue(ctx, "elsewhere", &sqs.QueueArgs{}, pulumi.Parent(c), pulumi.Protect(true), pulumi.RetainOnDelete(true))
		return err
	})
	c := &collector{TB: t}
	stackstest.CheckInvariants(c, regs)
	got := strings.Join(c.failures, "\n")
	for _, want := range []string{
		"aws:kms/key:Key thing-key: protect=false retainOnDelete=false",
		"aws:sqs/queue:Queue orphan has parent",
		"aws:sqs/queue:Queue thing-defaulted uses provider \"\"",
		"aws:sqs/queue:Queue elsewhere is not prefixed",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("CheckInvariants did not report %q; reported:\n%s", want, got)
		}
	}
}
