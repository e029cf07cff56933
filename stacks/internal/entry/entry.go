// Package entry registers regionctl's components with the region-file entry each one
// builds (database/main, fleet/web, network), as the component's input: the offline
// plan's mock recorder and the engine's events both see it, so policy maps resources
// to entries through data rather than by their names.
package entry

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/spec"
)

// Register registers the component res of type typ for the entry ref.
func Register(ctx *pulumi.Context, typ, name string, ref spec.Ref, res pulumi.ComponentResource, opts ...pulumi.ResourceOption) error {
	return ctx.RegisterComponentResourceV2(typ, name, pulumi.Map{spec.EntryInput: pulumi.String(ref.String())}, res, opts...)
}
