package awsmodel

import "strings"

// VCPUsSource is where the vCPUs per size of the tracked families come from: the EC2
// instance type specifications (general purpose, compute optimized, memory optimized
// pages) give 2 vCPUs for large, 4 for xlarge, 8 for 2xlarge, 16 for 4xlarge in every m/c/r family of the 5th to 8th
// generation, and t3/t4g 2 for micro..large, 4 for xlarge, 8 for 2xlarge. Checked on
// RegionFactsChecked.
const VCPUsSource = "https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html, co.html, mo.html (vCPUs per instance type)"

var vcpusMCR = map[string]int{"medium": 1, "large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32, "12xlarge": 48, "16xlarge": 64, "24xlarge": 96}

var vcpusT = map[string]int{"nano": 2, "micro": 2, "small": 2, "medium": 2, "large": 2, "xlarge": 4, "2xlarge": 8}

// VCPUs is the number of vCPUs of an EC2 instance type of a tracked family (what the
// Running On-Demand instances quota counts); false for one the table does not know.
func VCPUs(instanceType string) (int, bool) {
	p, ok := parseClass(instanceType)
	if !ok || p.prefix != "" {
		return 0, false
	}
	tracked := false
	for _, f := range trackedFamilies[KindInstance] {
		tracked = tracked || f == p.family
	}
	if !tracked {
		return 0, false
	}
	table := vcpusMCR
	if strings.HasPrefix(p.family, "t") {
		table = vcpusT
	}
	n, ok := table[p.size]
	return n, ok
}
