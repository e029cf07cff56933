package app

import (
	"testing"

	"github.com/regionctl/regionctl/internal/manifest"
)

func keys(region string, n int) manifest.Region {
	m := manifest.Region{Name: region}
	for i := range n {
		m.Resources = append(m.Resources, manifest.Resource{URN: "urn:k" + string(rune('a'+i)), Type: "aws:kms/key:Key", Custom: true})
	}
	return m
}

// A review's cost compares the base and the head at desired capacity; a region the
// base lacks costs nothing there; a region without prices has no cost at all.
func TestCostOfChange(t *testing.T) {
	c := costOfChange(keys("eu-west-1", 1), keys("eu-west-1", 3))
	if c == nil || c.Base != 1 || c.Head != 3 || c.Delta != 2 {
		t.Errorf("cost %+v, want $1 → $3 (KMS keys at $1 a month)", c)
	}
	if c := costOfChange(manifest.Region{}, keys("eu-west-1", 2)); c == nil || c.Base != 0 || c.Delta != 2 {
		t.Errorf("new region: cost %+v", c)
	}
	if c := costOfChange(keys("xx-nowhere-1", 1), keys("xx-nowhere-1", 2)); c != nil {
		t.Errorf("no prices: cost %+v, want none", c)
	}
}
