// Package awslive answers preflight's questions (app.RegionSource) from an AWS account
// through the AWS SDK for Go v2: opt-in status, zones, instance type offerings, Aurora
// orderable classes and the account's quotas. Tests use fakes of the small client
// interfaces below; nothing here runs without credentials.
package awslive

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/servicequotas"
	sqtypes "github.com/aws/aws-sdk-go-v2/service/servicequotas/types"
	"github.com/aws/smithy-go"

	"github.com/regionctl/regionctl/internal/app"
	"github.com/regionctl/regionctl/internal/awsmodel"
)

// EC2 is the part of the EC2 client preflight uses.
type EC2 interface {
	DescribeRegions(context.Context, *ec2.DescribeRegionsInput, ...func(*ec2.Options)) (*ec2.DescribeRegionsOutput, error)
	DescribeAvailabilityZones(context.Context, *ec2.DescribeAvailabilityZonesInput, ...func(*ec2.Options)) (*ec2.DescribeAvailabilityZonesOutput, error)
	DescribeInstanceTypeOfferings(context.Context, *ec2.DescribeInstanceTypeOfferingsInput, ...func(*ec2.Options)) (*ec2.DescribeInstanceTypeOfferingsOutput, error)
}

// RDS is the part of the RDS client preflight uses.
type RDS interface {
	DescribeOrderableDBInstanceOptions(context.Context, *rds.DescribeOrderableDBInstanceOptionsInput, ...func(*rds.Options)) (*rds.DescribeOrderableDBInstanceOptionsOutput, error)
}

// Quotas is the part of the Service Quotas client preflight uses.
type Quotas interface {
	GetServiceQuota(context.Context, *servicequotas.GetServiceQuotaInput, ...func(*servicequotas.Options)) (*servicequotas.GetServiceQuotaOutput, error)
}

// Source is an account's answers. Cache node types come from the facts tables (the
// ElastiCache client is not wired in yet).
type Source struct {
	Account string
	EC2     EC2
	RDS     RDS
	Quotas  Quotas
	facts   app.FactsSource
}

// New builds a Source for region from the default credential chain; without
// credentials it fails with a message saying so, not the SDK's.
func New(ctx context.Context, region string) (app.RegionSource, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(region))
	if err != nil {
		return nil, fmt.Errorf("--live: reading the AWS configuration: %s", short(err))
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := cfg.Credentials.Retrieve(cctx); err != nil {
		return nil, errors.New("--live needs AWS credentials and found none (set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run `aws sso login`); without --live preflight answers from the facts tables")
	}
	return &Source{Account: "the account of the default credentials", EC2: ec2.NewFromConfig(cfg), RDS: rds.NewFromConfig(cfg), Quotas: servicequotas.NewFromConfig(cfg)}, nil
}

func (s *Source) Name() string { return "live: " + s.Account }

func (s *Source) Describe(ctx context.Context, region string) (app.RegionInfo, error) {
	regs, err := s.EC2.DescribeRegions(ctx, &ec2.DescribeRegionsInput{AllRegions: aws.Bool(true), RegionNames: []string{region}})
	if err != nil {
		return app.RegionInfo{}, wrap("EC2 DescribeRegions", err)
	}
	if len(regs.Regions) == 0 {
		return app.RegionInfo{}, nil
	}
	status := aws.ToString(regs.Regions[0].OptInStatus)
	enabled := status != "not-opted-in"
	info := app.RegionInfo{Known: true, OptIn: status != "opt-in-not-required", Enabled: &enabled}
	if !enabled {
		// A region not enabled answers nothing else; the facts' zones stand in.
		f, _ := s.facts.Describe(ctx, region)
		info.AZs = f.AZs
		return info, nil
	}
	zs, err := s.EC2.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{
		Filters: []ec2types.Filter{{Name: aws.String("zone-type"), Values: []string{"availability-zone"}}},
	})
	if err != nil {
		return app.RegionInfo{}, wrap("EC2 DescribeAvailabilityZones", err)
	}
	for _, z := range zs.AvailabilityZones {
		if z.State == ec2types.AvailabilityZoneStateAvailable {
			info.AZs = append(info.AZs, awsmodel.AZ{Name: aws.ToString(z.ZoneName), ID: aws.ToString(z.ZoneId)})
		}
	}
	return info, nil
}

// Class asks the account. An instance type counts as offered when at least one zone
// id of the region offers it.
func (s *Source) Class(ctx context.Context, region string, kind awsmodel.ClassKind, class string) (app.ClassAnswer, error) {
	var offered bool
	switch kind {
	case awsmodel.KindInstance:
		out, err := s.EC2.DescribeInstanceTypeOfferings(ctx, &ec2.DescribeInstanceTypeOfferingsInput{
			LocationType: ec2types.LocationTypeAvailabilityZoneId,
			Filters:      []ec2types.Filter{{Name: aws.String("instance-type"), Values: []string{class}}},
		})
		if err != nil {
			return app.ClassAnswer{}, wrap("EC2 DescribeInstanceTypeOfferings", err)
		}
		offered = len(out.InstanceTypeOfferings) > 0
	case awsmodel.KindDB:
		for _, engine := range []string{awsmodel.AuroraMySQL, awsmodel.AuroraPostgreSQL} {
			out, err := s.RDS.DescribeOrderableDBInstanceOptions(ctx, &rds.DescribeOrderableDBInstanceOptionsInput{Engine: aws.String(engine), DBInstanceClass: aws.String(class), MaxRecords: aws.Int32(20)})
			if err != nil {
				return app.ClassAnswer{}, wrap("RDS DescribeOrderableDBInstanceOptions", err)
			}
			offered = offered || len(out.OrderableDBInstanceOptions) > 0
		}
	default:
		return s.facts.Class(ctx, region, kind, class)
	}
	a := app.ClassAnswer{Offered: offered, Known: true}
	if !offered {
		a.Nearest = awsmodel.NearestOffered(region, kind, class)
	}
	return a, nil
}

// Quota is the account's applied value; AWS's default when the quota was never
// changed (GetServiceQuota answers NoSuchResourceException for some then).
func (s *Source) Quota(ctx context.Context, _ string, q awsmodel.Quota) (app.QuotaAnswer, error) {
	out, err := s.Quotas.GetServiceQuota(ctx, &servicequotas.GetServiceQuotaInput{ServiceCode: aws.String(q.ServiceCode), QuotaCode: aws.String(q.Code)})
	var missing *sqtypes.NoSuchResourceException
	switch {
	case errors.As(err, &missing):
		return app.QuotaAnswer{Value: q.Default}, nil
	case err != nil:
		return app.QuotaAnswer{}, wrap("Service Quotas GetServiceQuota "+q.Code, err)
	case out.Quota == nil || out.Quota.Value == nil:
		return app.QuotaAnswer{Value: q.Default}, nil
	}
	return app.QuotaAnswer{Value: int(*out.Quota.Value), Applied: true}, nil
}

// wrap keeps an AWS error to its code and message: no request ids, no SDK dump.
func wrap(call string, err error) error {
	return fmt.Errorf("--live: asking %s: %s", call, short(err))
}

func short(err error) string {
	var api smithy.APIError
	if errors.As(err, &api) {
		return api.ErrorCode() + ": " + api.ErrorMessage()
	}
	return err.Error()
}
