package awsmodel

import (
	"testing"
	"time"
)

// TestCreationTimesAreFresh fails when the creation times were checked too long ago.
func TestCreationTimesAreFresh(t *testing.T) {
	const maxAge = 365 * 24 * time.Hour
	if age := time.Since(CreationTimesChecked); age > maxAge {
		t.Errorf("creation times were checked on %s, over a year ago: compare internal/awsmodel/latency.go with its sources and update CreationTimesChecked",
			CreationTimesChecked.Format(time.DateOnly))
	}
	for typ, c := range creationTimes {
		if c.Source == "" || c.Typical <= 0 {
			t.Errorf("%s: every creation time needs a positive duration and a source", typ)
		}
	}
}

func TestScaledKeepsOrderAndCompresses(t *testing.T) {
	const scale = 0.02
	igw, subnet := Scaled(Creation("aws:ec2/internetGateway:InternetGateway").Typical, scale), Scaled(Creation("aws:ec2/subnet:Subnet").Typical, scale)
	nat, db := Scaled(Creation("aws:ec2/natGateway:NatGateway").Typical, scale), Scaled(Creation("aws:rds/clusterInstance:ClusterInstance").Typical, scale)
	if !(subnet < igw && igw < nat && nat < db) {
		t.Errorf("scaled times lost the real order: subnet %v, gateway %v, NAT %v, database instance %v", subnet, igw, nat, db)
	}
	if db > time.Second {
		t.Errorf("a database instance waits %v at scale %v; the rehearsal would be slow", db, scale)
	}
	if Scaled(time.Minute, 0) != 0 {
		t.Error("scale 0 must turn waiting off")
	}
}
