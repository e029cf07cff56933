// Command bareprogram is the region program as a plain Pulumi Go program, for the
// benchmark that runs the bare Pulumi CLI on a region's stack next to regionctl. It
// reads the region file named by REGIONCTL_REGIONS_DIR and the stack name.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/region"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		regions, err := spec.LoadDir(os.Getenv("REGIONCTL_REGIONS_DIR"), ctx.Stack())
		if err != nil {
			return fmt.Errorf("loading the region: %w", err)
		}
		return region.Program(regions[0])(ctx)
	})
}
