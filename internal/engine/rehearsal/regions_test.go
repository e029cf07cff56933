package rehearsal_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/regionctl/regionctl/internal/awsmodel/mockaws"
	"github.com/regionctl/regionctl/internal/spec"
	regionprogram "github.com/regionctl/regionctl/stacks/region"
)

// TestRegionsPassCheck: every resource the region files in regions/ produce passes the
// rehearsal's checks, so a rehearsal of a valid region never stops on a false alarm.
// The program runs under mocks here; the engine's end-to-end tests run it for real.
func TestRegionsPassCheck(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "regions")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no region files: %v", err)
	}
	regions, err := spec.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range regions {
		t.Run(r.Region, func(t *testing.T) {
			rec := mockaws.New(r.Region, r.AccountID)
			if err := pulumi.RunErr(regionprogram.Program(r), pulumi.WithMocks("regionctl", r.Region, rec)); err != nil {
				t.Fatal(err)
			}
			_, client := serve(t)
			configure(t, client, resource.PropertyMap{"region": str(r.Region), "allowedAccountIds": strs(r.AccountID)})
			checked := 0
			for _, reg := range rec.Registrations() {
				if !reg.Custom || !strings.HasPrefix(reg.Type, "aws:") {
					continue
				}
				_, failures := check(t, client, reg.Type, reg.Name, reg.Inputs)
				for _, f := range failureLines(failures) {
					t.Errorf("%s %s: %s", reg.Type, reg.Name, f)
				}
				checked++
			}
			if checked < 50 {
				t.Errorf("checked %d resources; a region has more", checked)
			}
		})
	}
}
