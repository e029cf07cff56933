package app

import (
	"github.com/regionctl/regionctl/internal/estimate"
	"github.com/regionctl/regionctl/internal/manifest"
)

// Estimate is what standing a region up takes, from its offline plan: the time of a
// first `up` (the critical path of the dependency graph with typical creation times)
// and the monthly cost at desired and max capacity (the price table of its region).
// A region the price table does not cover gets its time and a NoPrices note.
func Estimate(m manifest.Region) (estimate.Estimate, error) { return estimate.Of(m) }

// monthlyAtDesired is a plan's monthly cost at desired capacity, nil when its region
// has no prices or it cannot be estimated.
func monthlyAtDesired(m manifest.Region) *float64 {
	c, err := estimate.CostOf(m)
	if err != nil {
		return nil
	}
	return &c.Desired
}
