package awsmodel

import (
	"testing"
	"time"
)

// TestPricesAreFresh fails once the price table is older than MaxPriceAge on the real
// clock, and when a covered region lacks a figure an estimate needs.
func TestPricesAreFresh(t *testing.T) {
	if age := time.Since(PricesChecked); age > MaxPriceAge {
		t.Errorf("the price table was checked on %s, %d days ago (at most %d allowed): refresh internal/awsmodel/prices.go (see the package doc) and set PricesChecked",
			PricesChecked.Format(time.DateOnly), int(age.Hours()/24), int(MaxPriceAge.Hours()/24))
	}
	for _, region := range []string{"us-east-1", "eu-west-1", "ap-southeast-2", "ap-northeast-1", "eu-central-1"} {
		p, ok := PricesFor(region)
		if !ok {
			t.Errorf("%s: no prices", region)
			continue
		}
		for what, v := range map[string]float64{
			"NAT gateway hour": p.NATGatewayHour, "ALB hour": p.LoadBalancerHour, "interface endpoint hour": p.InterfaceEndpointAZHour,
			"public IPv4 hour": p.PublicIPv4Hour, "KMS key month": p.KMSKeyMonth, "alarm month": p.AlarmMonth,
			"Aurora storage": p.AuroraStorageGBMonth, "Aurora I/O": p.AuroraIOPerMillion,
		} {
			if v <= 0 {
				t.Errorf("%s: no %s price", region, what)
			}
		}
		// The shipped regions' classes and their neighbours.
		for _, typ := range []string{"m6i.large", "m6i.xlarge", "c6i.large", "c6i.xlarge", "c6i.2xlarge", "c7g.xlarge"} {
			if p.EC2[typ] <= 0 {
				t.Errorf("%s: no price for %s", region, typ)
			}
		}
		for _, class := range []string{"db.r6g.large", "db.r6g.xlarge", "db.r6g.2xlarge"} {
			if p.AuroraInstance[class] <= 0 {
				t.Errorf("%s: no price for %s", region, class)
			}
		}
		for _, node := range []string{"cache.r6g.large", "cache.r6g.xlarge"} {
			if p.CacheNode[node] <= 0 {
				t.Errorf("%s: no price for %s", region, node)
			}
		}
		if p.PublicIPv4Hour != 0.005 {
			t.Errorf("%s: public IPv4 is $0.005/h in every region since 2024-02-01, not %v", region, p.PublicIPv4Hour)
		}
	}
	if _, ok := PricesFor("xx-nowhere-1"); ok {
		t.Error("a region outside the table has prices")
	}
}

func TestSizesArePricedInProportion(t *testing.T) {
	p, _ := PricesFor("us-east-1")
	if p.EC2["m6i.large"] != 0.096 || p.EC2["m6i.xlarge"] != 0.192 || p.EC2["m6i.2xlarge"] != 0.384 {
		t.Errorf("m6i sizes: %v %v %v", p.EC2["m6i.large"], p.EC2["m6i.xlarge"], p.EC2["m6i.2xlarge"])
	}
}
