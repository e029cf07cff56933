package rehearsal_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// TestCheckListener: Check refuses the listener certificates Elastic Load Balancing
// refuses, with its error text, on the provider's own region (eu-west-1).
func TestCheckListener(t *testing.T) {
	const cert = "arn:aws:acm:eu-west-1:" + account + ":certificate/0f0f0f0f-0000-4000-8000-000000000000"
	tests := []struct {
		name   string
		typ    string
		inputs resource.PropertyMap
		want   string // the failure's reason, "" for none
	}{
		{"HTTPS with a certificate of the region", "aws:lb/listener:Listener",
			resource.PropertyMap{"protocol": str("HTTPS"), "port": num(443), "certificateArn": str(cert)}, ""},
		{"HTTPS without a certificate", "aws:lb/listener:Listener",
			resource.PropertyMap{"protocol": str("HTTPS"), "port": num(443)}, "ValidationError: A certificate must be specified for HTTPS listeners"},
		{"HTTPS with a certificate of another region", "aws:alb/listener:Listener",
			resource.PropertyMap{"protocol": str("HTTPS"), "certificateArn": str(strings.Replace(cert, "eu-west-1", "us-east-1", 1))},
			"CertificateNotFound: Certificate 'arn:aws:acm:us-east-1:210987654321:certificate/0f0f0f0f-0000-4000-8000-000000000000' not found (a load balancer in eu-west-1 uses ACM certificates of eu-west-1 only)"},
		{"HTTPS with a certificate known after apply", "aws:lb/listener:Listener",
			resource.PropertyMap{"protocol": str("HTTPS"), "certificateArn": unknown()}, ""},
		{"HTTP with a certificate", "aws:lb/listener:Listener",
			resource.PropertyMap{"protocol": str("HTTP"), "port": num(80), "certificateArn": str(cert)}, "ValidationError: A certificate cannot be specified for HTTP listeners"},
		{"HTTP", "aws:lb/listener:Listener", resource.PropertyMap{"protocol": str("HTTP"), "port": num(80)}, ""},
	}
	client := configured(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, failures := check(t, client, tt.typ, "compute-web-https", tt.inputs)
			if tt.want == "" {
				if len(failures) > 0 {
					t.Errorf("refused: %s", failureLines(failures))
				}
				return
			}
			if len(failures) != 1 || failures[0].GetProperty() != "certificateArn" || failures[0].GetReason() != tt.want {
				t.Errorf("failures:\n%s\nwant certificateArn: %s", failureLines(failures), tt.want)
			}
		})
	}
}
