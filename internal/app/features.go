package app

import (
	"slices"
	"sort"
	"strings"

	"github.com/regionctl/regionctl/internal/spec"
)

// FeatureMatrix is the `features:` of every region file side by side, and what each
// region lacks that another has on. Launching a region without an integration is
// normal; the matrix makes it visible.
type FeatureMatrix struct {
	// Regions are the region ids, sorted: the columns.
	Regions []string `json:"regions"`
	// Features are the rows, sorted by name.
	Features []FeatureRow `json:"features"`
	// Gaps are the features a region has off or does not mention while another has
	// them on, by region then feature.
	Gaps []FeatureGap `json:"gaps"`
}

// FeatureRow is one feature across the regions: On holds the regions that mention
// it (true on, false off); a region that does not mention it is absent.
type FeatureRow struct {
	Name string          `json:"name"`
	On   map[string]bool `json:"regions"`
}

// FeatureGap is a feature a region lacks: off in its file, or not in it (Missing).
type FeatureGap struct {
	Region  string   `json:"region"`
	Feature string   `json:"feature"`
	Missing bool     `json:"missing,omitempty"`
	OnIn    []string `json:"onIn"`
}

// Features loads every region file and compares their features.
func (e *Env) Features() (*FeatureMatrix, error) {
	regions, err := e.Load(nil)
	if err != nil {
		return nil, err
	}
	return Features(regions), nil
}

// Features compares the features of regions.
func Features(regions []*spec.Region) *FeatureMatrix {
	out := &FeatureMatrix{Regions: []string{}, Features: []FeatureRow{}, Gaps: []FeatureGap{}}
	rows := map[string]map[string]bool{}
	for _, r := range regions {
		out.Regions = append(out.Regions, r.Region)
		for f, on := range r.Features {
			if rows[f] == nil {
				rows[f] = map[string]bool{}
			}
			rows[f][r.Region] = on
		}
	}
	sort.Strings(out.Regions)
	for f, on := range rows {
		out.Features = append(out.Features, FeatureRow{Name: f, On: on})
	}
	slices.SortFunc(out.Features, func(a, b FeatureRow) int { return strings.Compare(a.Name, b.Name) })
	for _, id := range out.Regions {
		for _, row := range out.Features {
			var onIn []string
			for _, other := range out.Regions {
				if row.On[other] {
					onIn = append(onIn, other)
				}
			}
			on, mentioned := row.On[id]
			if len(onIn) > 0 && !on {
				out.Gaps = append(out.Gaps, FeatureGap{Region: id, Feature: row.Name, Missing: !mentioned, OnIn: onIn})
			}
		}
	}
	return out
}
