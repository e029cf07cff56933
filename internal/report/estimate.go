package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/regionctl/regionctl/internal/estimate"
)

// EstimateText writes the estimate block of a plan: per region the time of a first
// `up` with its critical path, the explicit dependencies on that path (where the
// program may serialise what could run in parallel), and the monthly cost:
//
//	estimate (typical creation times, on-demand list prices):
//	  eu-west-1: first up ≈ 14 min (critical path: ... → rds.ClusterInstance database-main-1 (10m)); monthly ≈ $2,038 at desired, $5,263 at max capacity (prices 2026-12-02)
//	    waits only by an explicit dependsOn: database-main-cluster waits for database-main-log-audit
func EstimateText(w io.Writer, estimates []estimate.Estimate) error {
	if len(estimates) == 0 {
		return nil
	}
	p := &printer{w: w}
	p.line("estimate (typical creation times, on-demand list prices):")
	for _, e := range estimates {
		p.line("  %s: first up ≈ %s (critical path: %s); %s", e.Region, estimate.Minutes(e.FirstUp.Total), e.FirstUp.Chain(), monthlyText(e))
		for _, s := range e.FirstUp.Serialised {
			via := ""
			if s.Via != "" {
				via = " (all of " + s.Via + ")"
			}
			p.line("    waits only by an explicit dependsOn: %s waits for %s%s", s.Resource, s.WaitsFor, via)
		}
		if e.Monthly != nil && len(e.Monthly.Unpriced) > 0 {
			p.line("    not priced: %s", strings.Join(e.Monthly.Unpriced, "; "))
		}
	}
	return p.err
}

func monthlyText(e estimate.Estimate) string {
	if e.Monthly == nil {
		return "monthly: " + e.NoPrices
	}
	m := e.Monthly
	return fmt.Sprintf("monthly ≈ %s at desired, %s at max capacity (prices %s)", estimate.Dollars(m.Desired), estimate.Dollars(m.Max), m.PricesChecked)
}
