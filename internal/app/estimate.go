package app

import (
	"github.com/regionctl/regionctl/internal/estimate"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/review"
)

// Estimate is what standing a region up takes, from its offline plan: the time of a
// first `up` (the critical path of the dependency graph with typical creation times)
// and the monthly cost at desired and max capacity (the price table of its region).
// A region the price table does not cover gets its time and a NoPrices note.
func Estimate(m manifest.Region) (estimate.Estimate, error) { return estimate.Of(m) }

// costOfChange is the monthly cost at desired capacity of base and head, nil when the
// region has no prices. A region the base lacks costs nothing on the base.
func costOfChange(base, head manifest.Region) *review.Cost {
	h, err := estimate.CostOf(head)
	if err != nil {
		return nil
	}
	var b estimate.Monthly
	if len(base.Resources) > 0 {
		if b, err = estimate.CostOf(base); err != nil {
			return nil
		}
	}
	return review.NewCost(b.Desired, h.Desired, h.PricesChecked)
}
