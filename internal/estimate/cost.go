package estimate

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/regionctl/regionctl/internal/awsmodel"
	"github.com/regionctl/regionctl/internal/manifest"
)

// Monthly is what a region's planned resources cost a month at on-demand list
// prices, in USD: at desired capacity (each fleet at its desired capacity, or its
// minimum when it sets none) and at max capacity (each fleet at its maximum); every
// other resource as planned.
type Monthly struct {
	Desired float64 `json:"desired"`
	Max     float64 `json:"max"`
	// PricesChecked is the day the price table was compared with its sources.
	PricesChecked string `json:"pricesChecked"`
	Lines         []Line `json:"lines"`
	// Unpriced are planned resources the table has no price for (a class it does not
	// list): the totals leave them out.
	Unpriced []string `json:"unpriced,omitempty"`
	// NotEstimated are the charges that follow usage, not the plan.
	NotEstimated []string `json:"notEstimated"`
	// Unverified repeats the table's note on figures it could not check.
	Unverified string `json:"unverified,omitempty"`
}

// Line is one priced item: Count of them at desired capacity, MaxCount at max.
type Line struct {
	Item     string  `json:"item"`
	Count    int     `json:"count"`
	MaxCount int     `json:"maxCount"`
	Hourly   float64 `json:"hourly,omitempty"`
	// UnitMonthly is the month of one (Hourly × HoursPerMonth, or a monthly price).
	UnitMonthly float64 `json:"unitMonthly"`
	Desired     float64 `json:"desired"`
	Max         float64 `json:"maxMonthly"`
}

// NoPricesError is an estimate of a region the price table does not cover.
type NoPricesError struct{ Region string }

func (e *NoPricesError) Error() string { return "no prices for " + e.Region }

// The resource types the estimate prices.
const (
	typeASG          = "aws:autoscaling/group:Group"
	typeLT           = "aws:ec2/launchTemplate:LaunchTemplate"
	typeDBInstance   = "aws:rds/clusterInstance:ClusterInstance"
	typeCache        = "aws:elasticache/replicationGroup:ReplicationGroup"
	typeNAT          = "aws:ec2/natGateway:NatGateway"
	typeLB           = "aws:lb/loadBalancer:LoadBalancer"
	typeKey          = "aws:kms/key:Key"
	typeAlarm        = "aws:cloudwatch/metricAlarm:MetricAlarm"
	typeEndpoint     = "aws:ec2/vpcEndpoint:VpcEndpoint"
	typeEIP          = "aws:ec2/eip:Eip"
	typeDBClusterRDS = "aws:rds/cluster:Cluster"
)

// CostOf prices a region's planned resources with the price table of its region
// (m.Name); a region the table does not cover is a *NoPricesError.
func CostOf(m manifest.Region) (Monthly, error) {
	p, ok := awsmodel.PricesFor(m.Name)
	if !ok {
		return Monthly{}, &NoPricesError{Region: m.Name}
	}
	return CostWith(m, p), nil
}

// CostWith prices a region's planned resources with prices.
func CostWith(m manifest.Region, p awsmodel.Prices) Monthly {
	out := Monthly{PricesChecked: awsmodel.PricesChecked.Format("2006-01-02"), Lines: []Line{}, Unverified: p.Unverified}
	byURN := map[string]manifest.Resource{}
	byID := map[string]manifest.Resource{}
	for _, r := range m.Resources {
		byURN[r.URN] = r
		if r.ID != "" {
			byID[r.ID] = r
		}
	}
	lines := map[string]*Line{}
	add := func(item string, count, maxCount int, hourly, monthly float64) {
		l := lines[item]
		if l == nil {
			unit := monthly
			if hourly > 0 {
				unit = hourly * awsmodel.HoursPerMonth
			}
			l = &Line{Item: item, Hourly: hourly, UnitMonthly: unit}
			lines[item] = l
		}
		l.Count += count
		l.MaxCount += maxCount
	}
	unpriced := func(what string) {
		if !slices.Contains(out.Unpriced, what) {
			out.Unpriced = append(out.Unpriced, what)
		}
	}
	hourlyOf := func(table map[string]float64, class, item string, count, maxCount int) {
		if h, ok := table[class]; ok {
			add(item, count, maxCount, h, 0)
		} else {
			unpriced(fmt.Sprintf("%s (no %s price for %s)", item, class, p.Region))
		}
	}

	for _, r := range m.Resources {
		if !r.Custom {
			continue
		}
		in := r.Inputs
		switch r.Type {
		case typeASG:
			lt := launchTemplateOf(r, byURN, byID)
			typ, _ := lt.Inputs["instanceType"].(string)
			if typ == "" {
				unpriced(r.Name + " (its launch template names no instance type)")
				continue
			}
			lo, hi := number(in["minSize"]), number(in["maxSize"])
			desired := lo
			if d, ok := in["desiredCapacity"]; ok {
				desired = number(d)
			}
			hourlyOf(p.EC2, typ, "EC2 "+typ, desired, max(hi, desired))
		case typeDBInstance:
			class, _ := in["instanceClass"].(string)
			hourlyOf(p.AuroraInstance, class, "Aurora "+class, 1, 1)
		case typeCache:
			node, _ := in["nodeType"].(string)
			n := number(in["numCacheClusters"])
			if groups := number(in["numNodeGroups"]); groups > 0 {
				n = groups * (1 + number(in["replicasPerNodeGroup"]))
			}
			n = max(n, 1)
			hourlyOf(p.CacheNode, node, "ElastiCache "+node, n, n)
		case typeNAT:
			add("NAT gateway", 1, 1, p.NATGatewayHour, 0)
		case typeLB:
			if t, _ := in["loadBalancerType"].(string); t != "" && t != "application" {
				unpriced(r.Name + " (a " + t + " load balancer)")
				continue
			}
			add("Application Load Balancer", 1, 1, p.LoadBalancerHour, 0)
			// An internet-facing ALB holds a public IPv4 address per AZ node, at least.
			if internal, _ := in["internal"].(bool); !internal {
				n := max(len(list(in["subnets"])), 1)
				add("public IPv4 address", n, n, p.PublicIPv4Hour, 0)
			}
		case typeEIP:
			add("public IPv4 address", 1, 1, p.PublicIPv4Hour, 0)
		case typeKey:
			add("KMS key", 1, 1, 0, p.KMSKeyMonth)
		case typeAlarm:
			add("CloudWatch alarm", 1, 1, 0, p.AlarmMonth)
		case typeEndpoint:
			if t, _ := in["vpcEndpointType"].(string); t == "Interface" {
				n := max(len(list(in["subnetIds"])), 1)
				add("interface endpoint × AZ", n, n, p.InterfaceEndpointAZHour, 0)
			}
		}
	}
	items := make([]string, 0, len(lines))
	for k := range lines {
		items = append(items, k)
	}
	sort.Strings(items)
	for _, k := range items {
		l := lines[k]
		l.Desired = cents(float64(l.Count) * l.UnitMonthly)
		l.Max = cents(float64(l.MaxCount) * l.UnitMonthly)
		l.UnitMonthly = cents(l.UnitMonthly)
		out.Desired += l.Desired
		out.Max += l.Max
		out.Lines = append(out.Lines, *l)
	}
	out.Desired, out.Max = cents(out.Desired), cents(out.Max)
	out.NotEstimated = []string{
		"NAT gateway data processing (per GB)",
		"ALB capacity units (LCU)",
		"interface endpoint data processing (per GB)",
		"data transfer out and between AZs",
		"EBS volumes of the servers",
	}
	if count(m, typeDBClusterRDS) > 0 {
		out.NotEstimated = append(out.NotEstimated, fmt.Sprintf("Aurora storage ($%.2f per GB-month) and I/O ($%.2f per million, Aurora Standard)", p.AuroraStorageGBMonth, p.AuroraIOPerMillion))
	}
	out.NotEstimated = append(out.NotEstimated, "S3, SQS, SNS, CloudWatch Logs and metrics usage", "free tiers and discounts (Savings Plans, reserved)")
	slices.Sort(out.Unpriced)
	return out
}

// launchTemplateOf finds the launch template a group launches: the resource its
// launchTemplate input comes from, else the one whose id it names.
func launchTemplateOf(asg manifest.Resource, byURN, byID map[string]manifest.Resource) manifest.Resource {
	for _, u := range asg.InputDeps["launchTemplate"] {
		if r, ok := byURN[u]; ok && r.Type == typeLT {
			return r
		}
	}
	if lt, ok := asg.Inputs["launchTemplate"].(map[string]any); ok {
		if id, _ := lt["id"].(string); id != "" {
			if r, ok := byID[id]; ok {
				return r
			}
		}
	}
	return manifest.Resource{}
}

func count(m manifest.Region, typ string) int {
	n := 0
	for _, r := range m.Resources {
		if r.Custom && r.Type == typ {
			n++
		}
	}
	return n
}

// number reads a plain JSON number (float64 after a JSON round trip, int in memory).
func number(v any) int {
	switch x := v.(type) {
	case float64:
		return int(x)
	case int:
		return x
	case int64:
		return int(x)
	}
	return 0
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func cents(x float64) float64 { return math.Round(x*100) / 100 }

// Dollars shows an amount rounded to the dollar with thousands separators: $4,210.
func Dollars(x float64) string {
	neg := x < 0
	n := int64(math.Round(math.Abs(x)))
	s := fmt.Sprintf("%d", n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg && n != 0 {
		return "−$" + b.String()
	}
	return "$" + b.String()
}
