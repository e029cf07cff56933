package network_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/stacks/internal/stackstest"
	"github.com/regionctl/regionctl/stacks/network"
)

const endpointType = "aws:ec2/vpcEndpoint:VpcEndpoint"

// The S3 gateway endpoint lets through the account's own buckets and reads of the
// AWS-owned buckets servers install packages and agents from, and nothing else.
func TestS3EndpointPolicy(t *testing.T) {
	res := run(t, stackstest.Region())
	ep := res.regs.Named(t, endpointType, "network-eu-west-1-s3")
	var doc struct {
		Statement []struct {
			Effect    string
			Principal map[string]any
			Action    any
			Resource  any
			Condition map[string]map[string]any
		}
	}
	if err := json.Unmarshal([]byte(stackstest.Str(ep, "policy")), &doc); err != nil {
		t.Fatalf("policy %q: %v", stackstest.Str(ep, "policy"), err)
	}
	if len(doc.Statement) != 2 {
		t.Fatalf("%d statements, want 2: %s", len(doc.Statement), stackstest.Str(ep, "policy"))
	}
	own, aws := doc.Statement[0], doc.Statement[1]
	if own.Effect != "Allow" || own.Condition["StringEquals"]["aws:ResourceAccount"] != "123456789012" {
		t.Errorf("first statement does not limit to the account's buckets: %+v", own)
	}
	if aws.Action != "s3:GetObject" {
		t.Errorf("AWS-owned buckets get %v, want only s3:GetObject", aws.Action)
	}
	var resources []string
	for _, r := range aws.Resource.([]any) {
		resources = append(resources, r.(string))
	}
	for _, want := range []string{"arn:aws:s3:::al2023-repos-eu-west-1-*/*", "arn:aws:s3:::amazon-ssm-eu-west-1/*", "arn:aws:s3:::amazoncloudwatch-agent-eu-west-1/*"} {
		if !slices.Contains(resources, want) {
			t.Errorf("AWS-owned buckets %v lack %s", resources, want)
		}
	}
	for _, r := range resources {
		if strings.Contains(r, "us-east-1") || r == "*" {
			t.Errorf("AWS-owned bucket %s is not of this region", r)
		}
	}
}

func TestInterfaceEndpoints(t *testing.T) {
	t.Run("on", func(t *testing.T) {
		res := run(t, stackstest.Region())
		vpc := res.regs.Named(t, "aws:ec2/vpc:Vpc", "network-eu-west-1-vpc")
		res.regs.Named(t, "aws:ec2/securityGroup:SecurityGroup", "network-eu-west-1-endpoints")
		rule := res.regs.Named(t, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "network-eu-west-1-endpoints-https")
		if stackstest.Num(rule, "fromPort") != 443 || stackstest.Num(rule, "toPort") != 443 || stackstest.Str(rule, "cidrIpv4") != stackstest.Str(vpc, "cidrBlock") {
			t.Errorf("endpoint security group rule %v, want 443 from the VPC", rule.Inputs)
		}
		var services []string
		for _, ep := range res.regs.OfType(endpointType) {
			if stackstest.Str(ep, "vpcEndpointType") != "Interface" {
				continue
			}
			svc := strings.TrimPrefix(stackstest.Str(ep, "serviceName"), "com.amazonaws.eu-west-1.")
			services = append(services, svc)
			if ep.Name != "network-eu-west-1-vpce-"+svc {
				t.Errorf("endpoint of %s named %s", svc, ep.Name)
			}
			if !stackstest.Bool(ep, "privateDnsEnabled") {
				t.Errorf("%s: private DNS off, so the service's usual name still goes out through NAT", svc)
			}
			if got := stackstest.Strs(ep, "subnetIds"); !slices.Equal(got, res.private()) {
				t.Errorf("%s: subnets %v, want the private ones %v", svc, got, res.private())
			}
			if got := stackstest.Strs(ep, "securityGroupIds"); len(got) != 1 || !strings.HasPrefix(got[0], "sg-") {
				t.Errorf("%s: security groups %v, want the endpoints' group", svc, got)
			}
		}
		slices.Sort(services)
		if want := slices.Sorted(slices.Values(network.InterfaceServices)); !slices.Equal(services, want) {
			t.Errorf("interface endpoints for %v, want %v", services, want)
		}
		for _, need := range []string{"ssm", "ssmmessages", "ec2messages", "logs", "monitoring", "kms", "secretsmanager", "sqs"} {
			if !slices.Contains(services, need) {
				t.Errorf("no interface endpoint for %s", need)
			}
		}
	})
	t.Run("off", func(t *testing.T) {
		off := false
		res := run(t, stackstest.Region(func(r *spec.Region) { r.Network.InterfaceEndpoints = &off }))
		for _, ep := range res.regs.OfType(endpointType) {
			if ep.Name != "network-eu-west-1-s3" {
				t.Errorf("interface endpoints are off but %s is registered", ep.Name)
			}
		}
		if n := len(res.regs.OfType("aws:ec2/securityGroup:SecurityGroup")); n != 0 {
			t.Errorf("%d security groups with interface endpoints off", n)
		}
	})
}
