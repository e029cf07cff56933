// Package awsregions answers whether an id is a real AWS region, from the region data
// AWS publishes with aws-sdk-go-v2 (its partitions.json), not from a hand-kept list.
//
// The data is generated into zz_generated.go from the pinned SDK module; after bumping
// github.com/aws/aws-sdk-go-v2 in go.mod run `go generate ./internal/spec/awsregions`.
// A test fails while the generated file is stale.
package awsregions

import "sort"

//go:generate go run ./gen -o zz_generated.go

// Region is one region of an AWS partition.
type Region struct {
	// ID is the region id (eu-west-1).
	ID string
	// Partition is the partition id, also the partition part of ARNs (aws, aws-cn, aws-us-gov).
	Partition string
	// Description is AWS's name for the region (Europe (Ireland)).
	Description string
	// Global marks a pseudo-region for global endpoints (aws-global): not a place to deploy.
	Global bool
}

// Lookup returns the region with the given id.
func Lookup(id string) (Region, bool) {
	i := sort.Search(len(regions), func(i int) bool { return regions[i].ID >= id })
	if i < len(regions) && regions[i].ID == id {
		return regions[i], true
	}
	return Region{}, false
}

// IDs returns every region id, global pseudo-regions included, sorted.
func IDs() []string {
	ids := make([]string, len(regions))
	for i, r := range regions {
		ids[i] = r.ID
	}
	return ids
}
