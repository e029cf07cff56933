package estimate

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/regionctl/regionctl/internal/manifest"
)

// Estimate is what standing a region up takes: the time of a first `up` and the
// monthly cost. Monthly is nil when the region has no prices; NoPrices then says so.
type Estimate struct {
	Region   string   `json:"-"`
	FirstUp  FirstUp  `json:"firstUp"`
	Monthly  *Monthly `json:"monthly,omitempty"`
	NoPrices string   `json:"noPrices,omitempty"`
}

// Of estimates a region from its planned resources. A region without prices still
// gets its time; only a broken dependency graph is an error.
func Of(m manifest.Region) (Estimate, error) {
	t, err := TimeOf(m)
	if err != nil {
		return Estimate{}, fmt.Errorf("estimating %s: %w", m.Name, err)
	}
	e := Estimate{Region: m.Name, FirstUp: t}
	c, err := CostOf(m)
	var np *NoPricesError
	switch {
	case errors.As(err, &np):
		e.NoPrices = np.Error()
	case err != nil:
		return Estimate{}, err
	default:
		e.Monthly = &c
	}
	return e, nil
}

// Minutes shows a duration as whole minutes (14 min), or seconds under a minute and a
// half (5 s): an estimate is no more precise than that.
func Minutes(d Duration) string {
	t := time.Duration(d)
	if t < 90*time.Second {
		return fmt.Sprintf("%d s", int(t/time.Second))
	}
	return fmt.Sprintf("%d min", int((t+30*time.Second)/time.Minute))
}

// Short shows a step's time: 4m, 90s.
func Short(d Duration) string {
	t := time.Duration(d)
	if t >= time.Minute && t%time.Minute == 0 {
		return fmt.Sprintf("%dm", int(t/time.Minute))
	}
	return t.Round(time.Second).String()
}

// Chain shows the critical path: cluster database-main-cluster (4m) → ...
func (f FirstUp) Chain() string {
	parts := make([]string, 0, len(f.Path))
	for _, s := range f.Path {
		parts = append(parts, fmt.Sprintf("%s %s (%s)", typeLabel(s.Type), s.Name, Short(s.Takes)))
	}
	return strings.Join(parts, " → ")
}

// typeLabel shortens a pulumi-aws type token: aws:rds/clusterInstance:ClusterInstance
// → rds.ClusterInstance.
func typeLabel(typ string) string {
	mod, name, ok := strings.Cut(strings.TrimPrefix(typ, "aws:"), ":")
	if !ok {
		return typ
	}
	mod, _, _ = strings.Cut(mod, "/")
	return mod + "." + name
}
