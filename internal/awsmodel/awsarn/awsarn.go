// Package awsarn builds the partition-dependent parts of ARNs and service principals,
// so that a region in another AWS partition (China, GovCloud) gets valid policies
// without an invoke to ask the provider.
package awsarn

import "strings"

// Partition is the ARN partition of a region: aws, aws-cn or aws-us-gov.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	default:
		return "aws"
	}
}

// DNSSuffix is the domain of the region's service endpoints.
func DNSSuffix(region string) string {
	if strings.HasPrefix(region, "cn-") {
		return "amazonaws.com.cn"
	}
	return "amazonaws.com"
}

// IAM returns an ARN in the global IAM namespace of the region's partition:
// IAM("eu-west-1", "123456789012", "root") is arn:aws:iam::123456789012:root.
func IAM(region, account, resource string) string {
	return "arn:" + Partition(region) + ":iam::" + account + ":" + resource
}

// ManagedPolicy returns the ARN of an AWS managed IAM policy, path included
// ("service-role/AmazonRDSEnhancedMonitoringRole").
func ManagedPolicy(region, name string) string {
	return IAM(region, "aws", "policy/"+name)
}

// Regional returns an ARN of a regional service: Regional("eu-west-1", "logs",
// "123456789012", "log-group:*").
func Regional(region, service, account, resource string) string {
	return "arn:" + Partition(region) + ":" + service + ":" + region + ":" + account + ":" + resource
}
