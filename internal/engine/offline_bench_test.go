package engine

import (
	"context"
	"fmt"
	"syscall"
	"testing"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/internal/spec/awsregions"
)

// reportPeakRSS adds the process's peak resident memory to the benchmark line.
// make bench runs the fleet benchmark in its own process so the figure is its own.
func reportPeakRSS(b *testing.B) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-MB") // Linux reports KiB
	}
}

func BenchmarkPlanOneRegion(b *testing.B) {
	r := findRegion(b, shippedRegions(b), "eu-west-1")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PlanRegion(r); err != nil {
			b.Fatal(err)
		}
	}
	reportPeakRSS(b)
}

func BenchmarkPlanAllRegions(b *testing.B) {
	regions := shippedRegions(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := (Offline{}).Plan(context.Background(), regions); err != nil {
			b.Fatal(err)
		}
	}
	reportPeakRSS(b)
}

// BenchmarkPlanFleet50 plans 50 regions made from the shipped eu-west-1 file, each
// in a different real AWS region with its own CIDR: the size of a large fleet.
func BenchmarkPlanFleet50(b *testing.B) {
	fleet := generateFleet(b, 50)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := (Offline{}).Plan(context.Background(), fleet); err != nil {
			b.Fatal(err)
		}
	}
	reportPeakRSS(b)
}

func generateFleet(b *testing.B, n int) []*spec.Region {
	base := findRegion(b, shippedRegions(b), "eu-west-1")
	ids := awsregions.IDs()
	fleet := make([]*spec.Region, n)
	for i := range fleet {
		r := *base
		r.Region = ids[i%len(ids)]
		r.Network.CIDR = fmt.Sprintf("10.%d.0.0/16", 100+i)
		r.AZNames = nil
		for j := range base.AZNames {
			r.AZNames = append(r.AZNames, fmt.Sprintf("%s%c", r.Region, 'a'+j))
		}
		fleet[i] = &r
	}
	return fleet
}
