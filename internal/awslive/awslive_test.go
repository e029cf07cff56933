package awslive

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/servicequotas"
	sqtypes "github.com/aws/aws-sdk-go-v2/service/servicequotas/types"

	"github.com/regionctl/regionctl/internal/awsmodel"
)

type fakeEC2 struct{ optIn string }

func (f fakeEC2) DescribeRegions(context.Context, *ec2.DescribeRegionsInput, ...func(*ec2.Options)) (*ec2.DescribeRegionsOutput, error) {
	return &ec2.DescribeRegionsOutput{Regions: []ec2types.Region{{RegionName: aws.String("ap-southeast-4"), OptInStatus: aws.String(f.optIn)}}}, nil
}

func (fakeEC2) DescribeAvailabilityZones(context.Context, *ec2.DescribeAvailabilityZonesInput, ...func(*ec2.Options)) (*ec2.DescribeAvailabilityZonesOutput, error) {
	return &ec2.DescribeAvailabilityZonesOutput{AvailabilityZones: []ec2types.AvailabilityZone{
		{ZoneName: aws.String("ap-southeast-4a"), ZoneId: aws.String("apse4-az1"), State: ec2types.AvailabilityZoneStateAvailable},
		{ZoneName: aws.String("ap-southeast-4b"), ZoneId: aws.String("apse4-az2"), State: ec2types.AvailabilityZoneStateAvailable},
	}}, nil
}

func (fakeEC2) DescribeInstanceTypeOfferings(_ context.Context, in *ec2.DescribeInstanceTypeOfferingsInput, _ ...func(*ec2.Options)) (*ec2.DescribeInstanceTypeOfferingsOutput, error) {
	if in.Filters[0].Values[0] == "m6i.large" {
		return &ec2.DescribeInstanceTypeOfferingsOutput{InstanceTypeOfferings: []ec2types.InstanceTypeOffering{{InstanceType: "m6i.large", Location: aws.String("apse4-az1")}}}, nil
	}
	return &ec2.DescribeInstanceTypeOfferingsOutput{}, nil
}

type fakeRDS struct{}

func (fakeRDS) DescribeOrderableDBInstanceOptions(_ context.Context, in *rds.DescribeOrderableDBInstanceOptionsInput, _ ...func(*rds.Options)) (*rds.DescribeOrderableDBInstanceOptionsOutput, error) {
	if aws.ToString(in.DBInstanceClass) == "db.r6g.large" {
		return &rds.DescribeOrderableDBInstanceOptionsOutput{OrderableDBInstanceOptions: []rdstypes.OrderableDBInstanceOption{{DBInstanceClass: in.DBInstanceClass}}}, nil
	}
	return &rds.DescribeOrderableDBInstanceOptionsOutput{}, nil
}

type fakeQuotas struct{}

func (fakeQuotas) GetServiceQuota(_ context.Context, in *servicequotas.GetServiceQuotaInput, _ ...func(*servicequotas.Options)) (*servicequotas.GetServiceQuotaOutput, error) {
	if aws.ToString(in.QuotaCode) == awsmodel.QuotaElasticIPs {
		return nil, &sqtypes.NoSuchResourceException{Message: aws.String("no")}
	}
	return &servicequotas.GetServiceQuotaOutput{Quota: &sqtypes.ServiceQuota{Value: aws.Float64(64)}}, nil
}

func TestSourceMapsAnswers(t *testing.T) {
	ctx := context.Background()
	s := &Source{Account: "test", EC2: fakeEC2{optIn: "opted-in"}, RDS: fakeRDS{}, Quotas: fakeQuotas{}}
	info, err := s.Describe(ctx, "ap-southeast-4")
	if err != nil || !info.Known || !info.OptIn || info.Enabled == nil || !*info.Enabled || len(info.AZs) != 2 || info.AZs[1].ID != "apse4-az2" {
		t.Fatalf("Describe = %+v, %v", info, err)
	}
	s.EC2 = fakeEC2{optIn: "not-opted-in"}
	if info, _ = s.Describe(ctx, "ap-southeast-4"); *info.Enabled || len(info.AZs) != 3 {
		t.Errorf("not opted in: %+v (want disabled, the facts' 3 zones)", info)
	}
	if a, _ := s.Class(ctx, "ap-southeast-4", awsmodel.KindInstance, "m6i.large"); !a.Offered || !a.Known {
		t.Errorf("m6i.large: %+v", a)
	}
	if a, _ := s.Class(ctx, "ap-southeast-4", awsmodel.KindDB, "db.r8g.large"); a.Offered || !a.Known || a.Nearest != "db.r6g.large" {
		t.Errorf("db.r8g.large: %+v", a)
	}
	q, _ := awsmodel.LookupQuota(awsmodel.QuotaOnDemandStandard)
	if a, _ := s.Quota(ctx, "ap-southeast-4", q); a.Value != 64 || !a.Applied {
		t.Errorf("vCPU quota: %+v", a)
	}
	q, _ = awsmodel.LookupQuota(awsmodel.QuotaElasticIPs)
	if a, _ := s.Quota(ctx, "ap-southeast-4", q); a.Value != 5 || a.Applied {
		t.Errorf("EIP quota (never changed): %+v", a)
	}
}
