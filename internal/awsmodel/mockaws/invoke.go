package mockaws

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Call answers the invokes whose answer follows from the region and account alone.
// regionctl's components avoid invokes (an invoke is a network call on every preview),
// so any other token is a mistake worth failing loudly on.
func (r *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	str := resource.NewStringProperty
	switch args.Token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.PropertyMap{
			"id":        str(r.accountID),
			"accountId": str(r.accountID),
			"arn":       str("arn:" + r.partition + ":sts::" + r.accountID + ":assumed-role/regionctl/mock"),
			"userId":    str("AROAMOCKREGIONCTL:mock"),
		}, nil
	case "aws:index/getRegion:getRegion":
		return resource.PropertyMap{
			"id":          str(r.region),
			"name":        str(r.region),
			"region":      str(r.region),
			"endpoint":    str("ec2." + r.region + "." + r.dnsSuffix),
			"description": str(r.region),
		}, nil
	case "aws:index/getPartition:getPartition":
		return resource.PropertyMap{
			"id":        str(r.partition),
			"partition": str(r.partition),
			"dnsSuffix": str(r.dnsSuffix),
			"reverseDnsPrefix": str(func() string {
				if r.partition == "aws-cn" {
					return "cn.com.amazonaws"
				}
				return "com.amazonaws"
			}()),
		}, nil
	default:
		return nil, fmt.Errorf("mockaws: no fake for invoke %q: avoid the invoke or teach stacks/mockaws to answer it", args.Token)
	}
}
