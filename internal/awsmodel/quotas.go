package awsmodel

import "time"

// QuotasChecked is the day the default quotas below were last compared with their
// sources; TestQuotasFresh fails once it is older than MaxRegionFactsAge.
var QuotasChecked = time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)

// Quota is one AWS default quota a region of regionctl consumes.
type Quota struct {
	// Code is the Service Quotas code (L-...), ServiceCode its service (vpc, ec2,
	// elasticloadbalancing): aws service-quotas get-service-quota --service-code S --quota-code C.
	Code, ServiceCode string
	Name              string
	// Default is the value a new account has; per Region unless PerAZ or PerVPC.
	Default int
	PerAZ   bool
	PerVPC  bool
	// Counts is what one unit of the quota is: the pulumi-aws type a plan counts, or
	// "vCPU" for the instance quota.
	Counts string
	// Note says what the default depends on, where AWS says it does.
	Note   string
	Source string
}

// Quota codes.
const (
	QuotaVPCs             = "L-F678F1CE"
	QuotaElasticIPs       = "L-0263D0A3"
	QuotaNATPerAZ         = "L-FE5A380F"
	QuotaInternetGateways = "L-A4707A72"
	QuotaOnDemandStandard = "L-1216C47A"
	QuotaALBs             = "L-53DA6B97"
	QuotaSecurityGroups   = "L-E79EC296"
)

const (
	srcVPCQuotas = "https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html and https://docs.aws.amazon.com/general/latest/gr/vpc-service.html"
	srcEC2Quotas = "https://docs.aws.amazon.com/general/latest/gr/ec2-service.html and https://docs.aws.amazon.com/ec2/latest/instancetypes/ec2-instance-quotas.html"
	srcELBQuotas = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html"
)

var quotas = []Quota{
	{Code: QuotaVPCs, ServiceCode: "vpc", Name: "VPCs per Region", Default: 5, Counts: "aws:ec2/vpc:Vpc", Source: srcVPCQuotas},
	{Code: QuotaInternetGateways, ServiceCode: "vpc", Name: "Internet gateways per Region", Default: 5, Counts: "aws:ec2/internetGateway:InternetGateway",
		Note: "tied to VPCs per Region: raising one raises the other", Source: srcVPCQuotas},
	{Code: QuotaNATPerAZ, ServiceCode: "vpc", Name: "NAT gateways per Availability Zone", Default: 5, PerAZ: true, Counts: "aws:ec2/natGateway:NatGateway", Source: srcVPCQuotas},
	{Code: QuotaSecurityGroups, ServiceCode: "vpc", Name: "VPC security groups per Region", Default: 2500, Counts: "aws:ec2/securityGroup:SecurityGroup", Source: srcVPCQuotas},
	{Code: QuotaElasticIPs, ServiceCode: "ec2", Name: "EC2-VPC Elastic IPs", Default: 5, Counts: "aws:ec2/eip:Eip", Source: srcEC2Quotas},
	{Code: QuotaOnDemandStandard, ServiceCode: "ec2", Name: "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances", Default: 5, Counts: "vCPU",
		Note:   "in vCPUs; AWS documents no fixed default: new accounts start low (commonly 5 to 32 vCPUs) and AWS raises it with use, so the live value is what counts",
		Source: srcEC2Quotas},
	{Code: QuotaALBs, ServiceCode: "elasticloadbalancing", Name: "Application Load Balancers per Region", Default: 50, Counts: "aws:lb/loadBalancer:LoadBalancer", Source: srcELBQuotas},
}

// Quotas returns the default quota table (a copy).
func Quotas() []Quota { return append([]Quota(nil), quotas...) }

// LookupQuota returns the quota with the Service Quotas code.
func LookupQuota(code string) (Quota, bool) {
	for _, q := range quotas {
		if q.Code == code {
			return q, true
		}
	}
	return Quota{}, false
}
