package rehearsal

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/regionctl/regionctl/internal/awsmodel"
)

// listenerTypes are the load balancer listener types (aws:alb is the older alias).
var listenerTypes = map[string]bool{
	"aws:lb/listener:Listener":  true,
	"aws:alb/listener:Listener": true,
}

// listenerFailures refuses what Elastic Load Balancing refuses of a listener's
// certificate, with its error text: an HTTPS listener without one, an HTTP listener
// with one, and a certificate of another region (an ALB only finds the ACM certificates
// of its own region). Values not known yet are not judged.
func listenerFailures(typ string, inputs resource.PropertyMap, region string) []awsmodel.Failure {
	if !listenerTypes[typ] {
		return nil
	}
	protocol, ok := awsmodel.KnownString(inputs, "protocol")
	if !ok {
		return nil
	}
	if inputs["certificateArn"].ContainsUnknowns() {
		return nil
	}
	cert, _ := awsmodel.KnownString(inputs, "certificateArn")
	switch strings.ToUpper(protocol) {
	case "HTTPS":
		if cert == "" {
			return []awsmodel.Failure{{Prop: "certificateArn", Reason: "ValidationError: A certificate must be specified for HTTPS listeners"}}
		}
		if a, err := arn.Parse(cert); err == nil && a.Service == "acm" && a.Region != region {
			return []awsmodel.Failure{{Prop: "certificateArn", Reason: fmt.Sprintf(
				"CertificateNotFound: Certificate '%s' not found (a load balancer in %s uses ACM certificates of %s only)", cert, region, region)}}
		}
	case "HTTP":
		if cert != "" {
			return []awsmodel.Failure{{Prop: "certificateArn", Reason: "ValidationError: A certificate cannot be specified for HTTP listeners"}}
		}
	}
	return nil
}
