// Package awsmodel is what AWS does, in one place, so that validation, the offline plan
// and the rehearsal provider can never disagree about it.
//
// It holds dated facts tables. Each table names its sources and the day it was last
// compared with them (EngineVersionsChecked); a test fails when that day is older than
// MaxCatalogAge, because AWS deprecates engine versions every quarter.
//
// Refreshing the engine version catalog (engineversions.go):
//   - open each source URL of the table (the release notes' indexes mark deprecated
//     versions, the release calendars and the Extended Support pages give the end of
//     standard support dates), or run
//     aws rds describe-db-engine-versions --engine aurora-mysql --query 'DBEngineVersions[].EngineVersion'
//     aws elasticache describe-cache-engine-versions --engine redis
//   - add new releases, set Offered false on the ones AWS stopped creating, add dates
//     AWS published, move Recommended to the release new regions should use;
//   - set EngineVersionsChecked to the day you did it and run
//     go test ./internal/awsmodel/ ./internal/spec/ ./stacks/...
//
// Refreshing the region facts (regions_table.go, vcpus.go; RegionFactsChecked, at most
// MaxRegionFactsAge old):
//   - opt-in and zones, per region R, with credentials of an account created recently
//     (older accounts map names to ids differently in the oldest regions):
//     aws ec2 describe-regions --all-regions --query 'Regions[].[RegionName,OptInStatus]'
//     aws ec2 describe-availability-zones --region R --query 'AvailabilityZones[?ZoneType==`availability-zone`].[ZoneName,ZoneId]'
//   - instance types, per zone id (a family must be in every zone a region uses):
//     aws ec2 describe-instance-type-offerings --region R --location-type availability-zone-id --query 'InstanceTypeOfferings[].[Location,InstanceType]'
//   - Aurora classes:
//     aws rds describe-orderable-db-instance-options --region R --engine aurora-mysql --query 'OrderableDBInstanceOptions[].DBInstanceClass'
//     (and --engine aurora-postgresql), or the pages in srcAur;
//   - ElastiCache node types: the "Supported node types by AWS Region" page (srcEC), or
//     aws elasticache describe-reserved-cache-nodes-offerings --region R --query 'ReservedCacheNodesOfferings[].CacheNodeType'
//   - move a region to the class row the output supports (classesAll, classesGen7,
//     classesGen6) or give it its own row; put in Missing only what a source says is
//     absent; set RegionFactsChecked and run go test ./internal/awsmodel/ ./internal/app/.
//     `regionctl preflight R --live` asks the same questions of one account.
//
// Refreshing the default quotas (quotas.go, QuotasChecked): the Service Quotas console
// or aws service-quotas get-aws-default-service-quota --service-code ec2 --quota-code L-...
// for each code in the table; the pages in each entry's Source.
//
// Refreshing the price table (prices.go; TestPricesAreFresh asks after MaxPriceAge):
//   - read the AWS Price List Bulk API's offer files, no credentials needed: the index
//     https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/index.json names each
//     service's regional index (offers/v1.0/aws/<service>/current/region_index.json),
//     which names one offer file per region, e.g.
//     https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/eu-west-1/index.json
//     (large: hundreds of MB for EC2). Services: AmazonEC2 (instances: operatingSystem
//     Linux, tenancy Shared, preInstalledSw NA, capacitystatus Used; NAT gateway and
//     public IPv4 are productFamily "NAT Gateway" and "VPC" / usagetype PublicIPv4),
//     AmazonRDS (databaseEngine "Aurora MySQL", deploymentOption Single-AZ, the
//     instance and "Database Storage" / "System Operation" products), AmazonElastiCache
//     (cacheEngine Redis), AWSELB (productFamily "Load Balancer-Application"),
//     AmazonVPC (VpcEndpoint usage), awskms, AmazonCloudWatch (Alarm);
//     the OnDemand term's pricePerUnit.USD is the figure.
//   - or, with credentials (the Price List query API answers only in us-east-1,
//     ap-south-1 and eu-central-1):
//     aws pricing get-products --region us-east-1 --service-code AmazonEC2 \
//     --filters Type=TERM_MATCH,Field=instanceType,Value=m6i.large \
//     Type=TERM_MATCH,Field=regionCode,Value=eu-west-1 \
//     Type=TERM_MATCH,Field=operatingSystem,Value=Linux Type=TERM_MATCH,Field=tenancy,Value=Shared \
//     Type=TERM_MATCH,Field=preInstalledSw,Value=NA Type=TERM_MATCH,Field=capacitystatus,Value=Used
//   - update the figures (a family's .large price; sizes follow in proportion), clear a
//     region's Unverified note once its figures come from the offer files, add a region
//     before its first plan (an estimate says "no prices for REGION" until then);
//   - set PricesChecked to the day you did it and run go test ./internal/awsmodel/ ./internal/estimate/
//
// The creation times (latency.go) are refreshed from their sources the same way, with
// CreationTimesChecked.
package awsmodel
