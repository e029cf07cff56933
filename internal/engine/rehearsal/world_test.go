package rehearsal_test

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/regionctl/regionctl/internal/engine/rehearsal"
)

const (
	vpcType        = "aws:ec2/vpc:Vpc"
	subnetType     = "aws:ec2/subnet:Subnet"
	igwType        = "aws:ec2/internetGateway:InternetGateway"
	routeTableType = "aws:ec2/routeTable:RouteTable"
	routeType      = "aws:ec2/route:Route"
	assocType      = "aws:ec2/routeTableAssociation:RouteTableAssociation"
	eipType        = "aws:ec2/eip:Eip"
	natType        = "aws:ec2/natGateway:NatGateway"
	sgType         = "aws:ec2/securityGroup:SecurityGroup"
	ltType         = "aws:ec2/launchTemplate:LaunchTemplate"
	lbType         = "aws:lb/loadBalancer:LoadBalancer"
	tgType         = "aws:lb/targetGroup:TargetGroup"
	listenerType   = "aws:lb/listener:Listener"
	roleType       = "aws:iam/role:Role"
	attachType     = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	rolePolicyType = "aws:iam/rolePolicy:RolePolicy"
	profileType    = "aws:iam/instanceProfile:InstanceProfile"
	dbSubnetsType  = "aws:rds/subnetGroup:SubnetGroup"
	dbParamsType   = "aws:rds/clusterParameterGroup:ClusterParameterGroup"
)

// standIn drives one provider configuration the way the engine does: Check, then
// Create (or Update, Delete) with the checked inputs.
type standIn struct {
	t      *testing.T
	client pulumirpc.ResourceProviderClient
}

// made is a resource the stand-in account holds.
type made struct {
	typ, name, id   string
	inputs, outputs resource.PropertyMap
}

func (m made) str(key string) string { return m.outputs[resource.PropertyKey(key)].StringValue() }

func newStandIn(t *testing.T) standIn { return standIn{t, configured(t)} }

func (a standIn) try(typ, name string, news resource.PropertyMap, preview bool) (made, error) {
	a.t.Helper()
	inputs, failures := check(a.t, a.client, typ, name, news)
	if len(failures) > 0 {
		a.t.Fatalf("check %s %s: %v", typ, name, failureLines(failures))
	}
	resp, err := a.client.Create(context.Background(), &pulumirpc.CreateRequest{
		Urn: urn(typ, name), Type: typ, Name: name, Properties: props(a.t, inputs), Preview: preview,
	})
	if err != nil {
		return made{}, err
	}
	return made{typ: typ, name: name, id: resp.GetId(), inputs: inputs, outputs: unprops(a.t, resp.GetProperties())}, nil
}

func (a standIn) add(typ, name string, news resource.PropertyMap) made {
	a.t.Helper()
	m, err := a.try(typ, name, news, false)
	if err != nil {
		a.t.Fatalf("creating %s %s: %v", typ, name, err)
	}
	return m
}

func (a standIn) remove(m made) error {
	a.t.Helper()
	_, err := a.client.Delete(context.Background(), &pulumirpc.DeleteRequest{
		Id: m.id, Urn: urn(m.typ, m.name), Type: m.typ, Name: m.name,
		Properties: props(a.t, m.outputs), OldInputs: props(a.t, m.inputs),
	})
	return err
}

func (a standIn) mustRemove(m made) {
	a.t.Helper()
	if err := a.remove(m); err != nil {
		a.t.Fatalf("deleting %s %s: %v", m.typ, m.name, err)
	}
}

func (a standIn) update(m made, news resource.PropertyMap) made {
	a.t.Helper()
	inputs, failures := check(a.t, a.client, m.typ, m.name, news)
	if len(failures) > 0 {
		a.t.Fatalf("check %s %s: %v", m.typ, m.name, failureLines(failures))
	}
	resp, err := a.client.Update(context.Background(), &pulumirpc.UpdateRequest{
		Id: m.id, Urn: urn(m.typ, m.name), Type: m.typ, Name: m.name,
		Olds: props(a.t, m.outputs), OldInputs: props(a.t, m.inputs), News: props(a.t, inputs),
	})
	if err != nil {
		a.t.Fatalf("updating %s %s: %v", m.typ, m.name, err)
	}
	return made{typ: m.typ, name: m.name, id: m.id, inputs: inputs, outputs: unprops(a.t, resp.GetProperties())}
}

// refused checks that err is the rehearsal's refusal with exactly want.
func refused(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Errorf("accepted, want refused with %q", want)
		return
	}
	if s := status.Convert(err); s.Code() != codes.FailedPrecondition || s.Message() != want {
		t.Errorf("refused with %v %q\n                 want %v %q", s.Code(), s.Message(), codes.FailedPrecondition, want)
	}
}

func accepted(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Errorf("refused: %v", err)
	}
}

func obj(kv ...any) resource.PropertyValue {
	return resource.NewObjectProperty(with(resource.PropertyMap{}, kv...))
}

func ids(ms ...made) resource.PropertyValue {
	ss := make([]string, len(ms))
	for i, m := range ms {
		ss[i] = m.id
	}
	return strs(ss...)
}

func nameTag(name string) resource.PropertyValue { return obj("Name", str(name)) }

// The inputs below are shaped like stacks/network, stacks/compute and stacks/database's.

func (a standIn) vpc(name string) made {
	return a.add(vpcType, name, resource.PropertyMap{
		"cidrBlock": str("10.0.0.0/16"), "enableDnsSupport": yes(true), "enableDnsHostnames": yes(true), "tags": nameTag(name),
	})
}

func (a standIn) subnet(name string, vpc made, cidr, az string) made {
	return a.add(subnetType, name, resource.PropertyMap{
		"vpcId": str(vpc.id), "cidrBlock": str(cidr), "availabilityZone": str(az), "mapPublicIpOnLaunch": yes(false),
		"tags": obj("Name", str(name), "tier", str("public")),
	})
}

func igwInputs(name string, vpc made) resource.PropertyMap {
	return resource.PropertyMap{"vpcId": str(vpc.id), "tags": nameTag(name)}
}

func natInputs(name string, eip, subnet made) resource.PropertyMap {
	return resource.PropertyMap{"allocationId": str(eip.id), "subnetId": str(subnet.id), "tags": nameTag(name)}
}

func (a standIn) eip(name string) made {
	return a.add(eipType, name, resource.PropertyMap{"domain": str("vpc"), "tags": nameTag(name)})
}

func (a standIn) securityGroup(name string, vpc made) made {
	return a.add(sgType, name, resource.PropertyMap{
		"vpcId": str(vpc.id), "description": str("servers of fleet web"), "tags": nameTag(name),
	})
}

func albInputs(name string, internal bool, sg made, subnets ...made) resource.PropertyMap {
	return resource.PropertyMap{
		"name": str(name), "loadBalancerType": str("application"), "internal": yes(internal),
		"securityGroups": ids(sg), "subnets": ids(subnets...), "dropInvalidHeaderFields": yes(true),
		"enableDeletionProtection": yes(true), "enableHttp2": yes(true), "idleTimeout": num(60),
	}
}

func tgInputs(name string, vpc made) resource.PropertyMap {
	return resource.PropertyMap{
		"name": str(name), "vpcId": str(vpc.id), "targetType": str("instance"), "port": num(8080),
		"protocol": str("HTTP"), "deregistrationDelay": num(30),
		"healthCheck": obj("enabled", yes(true), "path", str("/healthz"), "port", str("traffic-port"),
			"protocol", str("HTTP"), "matcher", str("200-399"), "interval", num(15), "timeout", num(5),
			"healthyThreshold", num(3), "unhealthyThreshold", num(3)),
	}
}

func listenerInputs(lb, tg made) resource.PropertyMap {
	return resource.PropertyMap{
		"loadBalancerArn": str(lb.str("arn")), "port": num(80), "protocol": str("HTTP"),
		"defaultActions": resource.NewArrayProperty([]resource.PropertyValue{
			obj("type", str("forward"), "targetGroupArn", str(tg.str("arn"))),
		}),
	}
}

func roleInputs(name string) resource.PropertyMap {
	return resource.PropertyMap{
		"name": str(name), "description": str("servers of fleet web"),
		"assumeRolePolicy": str(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}`),
	}
}

func attachInputs(role made, policy string) resource.PropertyMap {
	return resource.PropertyMap{"role": str(role.id), "policyArn": str("arn:aws:iam::aws:policy/" + policy)}
}

func rolePolicyInputs(role made) resource.PropertyMap {
	return resource.PropertyMap{
		"name": str("regionctl-access"), "role": str(role.id),
		"policy": str(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}`),
	}
}

func ltInputs(name string, profile, sg made) resource.PropertyMap {
	return resource.PropertyMap{
		"name": str(name), "description": str("servers of fleet web"), "imageId": str("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"),
		"instanceType": str("t3.small"), "iamInstanceProfile": obj("arn", str(profile.str("arn"))),
		"vpcSecurityGroupIds": ids(sg), "metadataOptions": obj("httpEndpoint", str("enabled"), "httpTokens", str("required")),
		"updateDefaultVersion": yes(true),
	}
}

func asgInputs(name string, lt made, subnets ...made) resource.PropertyMap {
	return resource.PropertyMap{
		"name": str(name), "vpcZoneIdentifiers": ids(subnets...), "minSize": num(2), "maxSize": num(4),
		"desiredCapacity": num(2), "launchTemplate": obj("id", str(lt.id), "version", str("1")),
		"healthCheckType": str("EC2"), "healthCheckGracePeriod": num(300), "waitForCapacityTimeout": str("15m"),
		"defaultInstanceWarmup": num(300),
	}
}

func clusterInputsFor(id string, sg, subnets, params made) resource.PropertyMap {
	return resource.PropertyMap{
		"clusterIdentifier": str(id), "engine": str("aurora-mysql"), "engineMode": str("provisioned"), "port": num(3306),
		"dbSubnetGroupName": str(subnets.id), "dbClusterParameterGroupName": str(params.id), "vpcSecurityGroupIds": ids(sg),
		"masterUsername": str("dbadmin"), "manageMasterUserPassword": yes(true),
		"masterUserSecretKmsKeyId": str("arn:aws:kms:eu-west-1:210987654321:key/k"), "storageEncrypted": yes(true),
		"deletionProtection": yes(false),
	}
}

// network is a VPC with two subnets, the way stacks/network lays out a tier.
type network struct {
	vpc         made
	subnets     []made
	sg          made
	gatewayName string
}

func (a standIn) network() network {
	vpc := a.vpc("net-vpc")
	return network{
		vpc: vpc,
		subnets: []made{
			a.subnet("net-public-a", vpc, "10.0.0.0/24", "eu-west-1a"),
			a.subnet("net-public-b", vpc, "10.0.1.0/24", "eu-west-1b"),
		},
		sg:          a.securityGroup("web-alb", vpc),
		gatewayName: "net-igw",
	}
}

func (a standIn) gateway(n network) made {
	return a.add(igwType, n.gatewayName, igwInputs(n.gatewayName, n.vpc))
}

// TestWorldInternetFacingLoadBalancer: AWS refuses an internet-facing load balancer in a
// VPC without an internet gateway; an internal one never needs it.
func TestWorldInternetFacingLoadBalancer(t *testing.T) {
	a := newStandIn(t)
	n := a.network()

	_, err := a.try(lbType, "web-alb", albInputs("web-alb", false, n.sg, n.subnets...), false)
	refused(t, err, "InvalidSubnet: VPC "+n.vpc.id+" has no internet gateway")

	_, err = a.try(lbType, "api-alb", albInputs("api-alb", true, n.sg, n.subnets...), false)
	accepted(t, err)

	a.gateway(n)
	_, err = a.try(lbType, "web-alb", albInputs("web-alb", false, n.sg, n.subnets...), false)
	accepted(t, err)
}

// TestWorldNatGateway: a public NAT gateway needs the VPC's internet gateway; a private
// one does not.
func TestWorldNatGateway(t *testing.T) {
	a := newStandIn(t)
	n := a.network()
	eip := a.eip("net-nat-a")

	_, err := a.try(natType, "net-nat-a", natInputs("net-nat-a", eip, n.subnets[0]), false)
	refused(t, err, "Gateway.NotAttached: Network "+n.vpc.id+" has no Internet gateway attached")

	_, err = a.try(natType, "net-nat-private", with(natInputs("net-nat-private", eip, n.subnets[1]), "connectivityType", str("private"), "allocationId", nil), false)
	accepted(t, err)

	a.gateway(n)
	_, err = a.try(natType, "net-nat-a", natInputs("net-nat-a", eip, n.subnets[0]), false)
	accepted(t, err)
}

// fleet is what an Auto Scaling group launches with: role, profile, template.
type fleet struct {
	role, profile, lt made
}

func (a standIn) fleet(vpc made) fleet {
	role := a.add(roleType, "web-instance", roleInputs("regionctl-eu-west-1-fleet-web"))
	a.add(attachType, "web-instance-ssm", attachInputs(role, "AmazonSSMManagedInstanceCore"))
	profile := a.add(profileType, "web-instance", resource.PropertyMap{"name": str(role.id), "role": str(role.id)})
	sg := a.securityGroup("web-app", vpc)
	return fleet{role: role, profile: profile, lt: a.add(ltType, "web-lt", ltInputs("web-lt", profile, sg))}
}

// routeOut gives subnets a default route through a NAT gateway, as stacks/network does
// for the private tier, and returns the route table.
func (a standIn) routeOut(n network) made {
	a.gateway(n)
	nat := a.add(natType, "net-nat-a", natInputs("net-nat-a", a.eip("net-nat-a"), n.subnets[0]))
	rt := a.add(routeTableType, "net-private-a", resource.PropertyMap{"vpcId": str(n.vpc.id), "tags": nameTag("net-private-a")})
	a.add(routeType, "net-private-a-default", resource.PropertyMap{
		"routeTableId": str(rt.id), "destinationCidrBlock": str("0.0.0.0/0"), "natGatewayId": str(nat.id),
	})
	return rt
}

func assocInputs(subnet, rt made) resource.PropertyMap {
	return resource.PropertyMap{"subnetId": str(subnet.id), "routeTableId": str(rt.id)}
}

// TestWorldBootNeedsRoutes: servers boot the moment their group is created; every subnet
// of vpcZoneIdentifiers needs its route table's default route by then.
func TestWorldBootNeedsRoutes(t *testing.T) {
	a := newStandIn(t)
	n := a.network()
	f := a.fleet(n.vpc)
	a1, b := n.subnets[0], n.subnets[1]
	boot := func() error {
		_, err := a.try("aws:autoscaling/group:Group", "web-asg", asgInputs("web-asg", f.lt, a1, b), false)
		return err
	}
	noRoute := func(subnet made) string {
		return "the servers of Auto Scaling group web-asg would boot in subnet " + subnet.id +
			" before it has a default route (0.0.0.0/0): make the group depend on the subnets' routes"
	}
	first, second := a1, b
	if second.id < first.id {
		first, second = second, first // subnets are judged in id order
	}

	refused(t, boot(), noRoute(first))

	// A table without a default route is no way out.
	local := a.add(routeTableType, "net-isolated", resource.PropertyMap{"vpcId": str(n.vpc.id)})
	a.add(routeType, "net-isolated-peer", resource.PropertyMap{
		"routeTableId": str(local.id), "destinationCidrBlock": str("10.1.0.0/16"), "vpcPeeringConnectionId": str("pcx-0123"),
	})
	a.add(assocType, "net-isolated-"+first.name, assocInputs(first, local))
	refused(t, boot(), noRoute(first))

	rt := a.routeOut(n)
	a.add(assocType, "net-private-"+first.name, assocInputs(first, rt))
	refused(t, boot(), noRoute(second))

	a.add(assocType, "net-private-"+second.name, assocInputs(second, rt))
	accepted(t, boot())
}

// TestWorldLatePolicy: a policy a role gains after servers booted with it came too late
// for their boot; policies before the launch, and on other roles, are fine.
func TestWorldLatePolicy(t *testing.T) {
	a := newStandIn(t)
	n := a.network()
	f := a.fleet(n.vpc) // the SSM attachment exists before the launch
	rt := a.routeOut(n)
	for _, s := range n.subnets {
		a.add(assocType, "net-private-"+s.name, assocInputs(s, rt))
	}

	// A refused group launches nothing: its role may still gain policies.
	_, err := a.try("aws:autoscaling/group:Group", "bad-asg", asgInputs("bad-asg", f.lt, a.subnet("net-unrouted", n.vpc, "10.0.9.0/24", "eu-west-1c")), false)
	if err == nil {
		t.Fatal("a group in an unrouted subnet was accepted")
	}
	_, err = a.try(attachType, "web-instance-early", attachInputs(f.role, "AmazonS3ReadOnlyAccess"), false)
	accepted(t, err)

	a.add("aws:autoscaling/group:Group", "web-asg", asgInputs("web-asg", f.lt, n.subnets...))

	late := "the servers of Auto Scaling group web-asg booted with instance role regionctl-eu-west-1-fleet-web before this policy existed, " +
		"so their boot ran without it: make the group depend on the role's policies"
	_, err = a.try(attachType, "web-instance-cloudwatch-agent", attachInputs(f.role, "CloudWatchAgentServerPolicy"), false)
	refused(t, err, late)
	_, err = a.try(rolePolicyType, "web-access", rolePolicyInputs(f.role), false)
	refused(t, err, late)

	other := a.add(roleType, "database-main-monitoring", roleInputs("regionctl-eu-west-1-rds-main"))
	_, err = a.try(attachType, "database-main-monitoring", attachInputs(other, "service-role/AmazonRDSEnhancedMonitoringRole"), false)
	accepted(t, err)
}

// TestWorldDuplicateNames: AWS refuses a second resource of a type under a name taken in
// the account and region; the name is free in another region or account, and again once
// the first resource is gone.
func TestWorldDuplicateNames(t *testing.T) {
	vpc := made{id: "vpc-0123456789abcdef0"}
	for _, tc := range []struct {
		typ, code, short, physical string
		inputs                     resource.PropertyMap
		// global names (IAM) are the account's in every region: only another account
		// frees them. A rehearsal sees one region, so it cannot tell.
		global bool
	}{
		{typ: tgType, code: "DuplicateTargetGroupName", short: "lb/targetGroup", physical: "web-tg", inputs: tgInputs("web-tg", vpc)},
		{typ: lbType, code: "DuplicateLoadBalancerName", short: "lb/loadBalancer", physical: "web-alb", inputs: with(albInputs("web-alb", true, made{id: "sg-0"}), "subnets", strs(), "enableDeletionProtection", yes(false))},
		{typ: clusterType, code: "DBClusterAlreadyExistsFault", short: "rds/cluster", physical: "main", inputs: clusterInputsFor("main", made{id: "sg-0"}, made{id: "main-subnets"}, made{id: "main-params"})},
		{typ: roleType, code: "EntityAlreadyExists", short: "iam/role", physical: "regionctl-eu-west-1-fleet-web", inputs: roleInputs("regionctl-eu-west-1-fleet-web"), global: true},
		{typ: ltType, code: "InvalidLaunchTemplateName.AlreadyExistsException", short: "ec2/launchTemplate", physical: "web-lt", inputs: resource.PropertyMap{"name": str("web-lt"), "imageId": str("ami-0123")}},
		{typ: dbSubnetsType, code: "DBSubnetGroupAlreadyExists", short: "rds/subnetGroup", physical: "main-subnets", inputs: resource.PropertyMap{"name": str("main-subnets"), "subnetIds": strs("subnet-1", "subnet-2")}},
		{typ: dbParamsType, code: "DBParameterGroupAlreadyExists", short: "rds/clusterParameterGroup", physical: "main-params", inputs: resource.PropertyMap{"name": str("main-params"), "family": str("aurora-mysql8.0")}},
		{typ: "aws:sqs/queue:Queue", code: "QueueAlreadyExists", short: "sqs/queue", physical: "events", inputs: resource.PropertyMap{"name": str("events")}},
	} {
		t.Run(tc.short, func(t *testing.T) {
			srv, client := serve(t)
			configure(t, client, resource.PropertyMap{"region": str(region), "allowedAccountIds": strs(account)})
			a := standIn{t, client}
			first := a.add(tc.typ, "first", tc.inputs)

			_, err := a.try(tc.typ, "second", tc.inputs, false)
			refused(t, err, tc.code+": "+tc.short+` "`+tc.physical+`" already exists (id `+first.id+
				"): its name is fixed, so a replacement cannot be created next to it")

			// Another provider configuration is another account or region.
			others := []resource.PropertyMap{{"region": str(region), "allowedAccountIds": strs("111122223333")}}
			if !tc.global {
				others = append(others, resource.PropertyMap{"region": str("us-east-1"), "allowedAccountIds": strs(account)})
			}
			for i, cfg := range others {
				other := standIn{t, connect(t, srv)}
				configure(t, other.client, cfg)
				if _, err := other.try(tc.typ, "second", tc.inputs, false); err != nil {
					t.Errorf("config %d: %v", i, err)
				}
			}

			a.mustRemove(first)
			_, err = a.try(tc.typ, "second", tc.inputs, false)
			accepted(t, err)
		})
	}
}

// TestWorldDeleteInUse: AWS refuses to delete what another live resource still uses,
// and deletes it once the user is gone.
func TestWorldDeleteInUse(t *testing.T) {
	for _, tc := range []struct {
		name string
		// build creates the resource to delete and what uses it, and returns AWS's error.
		build func(a standIn) (target made, users []made, want string)
	}{
		{"security group used by a launch template", func(a standIn) (made, []made, string) {
			vpc := a.vpc("net-vpc")
			sg := a.securityGroup("web-app", vpc)
			lt := a.add(ltType, "web-lt", resource.PropertyMap{"name": str("web-lt"), "imageId": str("ami-0123"), "vpcSecurityGroupIds": ids(sg)})
			return sg, []made{lt}, "DependencyViolation: resource " + sg.id + " has a dependent object (still used by ec2/launchTemplate web-lt)"
		}},
		{"security group used by a database cluster", func(a standIn) (made, []made, string) {
			vpc := a.vpc("net-vpc")
			sg := a.securityGroup("database-main", vpc)
			c := a.add(clusterType, "database-main-cluster", clusterInputsFor("main", sg, made{id: "main-subnets"}, made{id: "main-params"}))
			return sg, []made{c}, "DependencyViolation: resource " + sg.id + " has a dependent object (still used by rds/cluster main)"
		}},
		{"subnet group used by a cluster", func(a standIn) (made, []made, string) {
			g := a.add(dbSubnetsType, "database-main-subnets", resource.PropertyMap{"name": str("main-subnets"), "subnetIds": strs("subnet-1", "subnet-2")})
			c := a.add(clusterType, "database-main-cluster", clusterInputsFor("main", made{id: "sg-0"}, g, made{id: "main-params"}))
			return g, []made{c}, "InvalidDBSubnetGroupStateFault: Cannot delete the subnet group 'main-subnets' because at least one database cluster: main is still using it. (still used by rds/cluster main)"
		}},
		{"parameter group used by a cluster", func(a standIn) (made, []made, string) {
			p := a.add(dbParamsType, "database-main-params", resource.PropertyMap{"name": str("main-params"), "family": str("aurora-mysql8.0")})
			c := a.add(clusterType, "database-main-cluster", clusterInputsFor("main", made{id: "sg-0"}, made{id: "main-subnets"}, p))
			return p, []made{c}, "InvalidDBParameterGroupState: One or more database clusters are still members of this parameter group main-params, so the group cannot be deleted (still used by rds/cluster main)"
		}},
		{"target group used by a listener", func(a standIn) (made, []made, string) {
			vpc := a.vpc("net-vpc")
			tg := a.add(tgType, "web-tg", tgInputs("web-tg", vpc))
			lb := a.add(lbType, "web-alb", with(albInputs("web-alb", true, made{id: "sg-0"}), "subnets", strs()))
			l := a.add(listenerType, "web-http", listenerInputs(lb, tg))
			return tg, []made{l}, "ResourceInUse: Target group '" + tg.id + "' is currently in use by a listener or a rule (still used by lb/listener " + l.id + ")"
		}},
		{"role with a policy attached", func(a standIn) (made, []made, string) {
			role := a.add(roleType, "web-instance", roleInputs("regionctl-eu-west-1-fleet-web"))
			at := a.add(attachType, "web-instance-ssm", attachInputs(role, "AmazonSSMManagedInstanceCore"))
			return role, []made{at}, "DeleteConflict: Cannot delete entity, must detach all policies first. (still used by iam/rolePolicyAttachment " + at.id + ")"
		}},
		// The fleet names its role and instance profile alike: both ids are that name.
		{"role in an instance profile of the same name", func(a standIn) (made, []made, string) {
			role := a.add(roleType, "web-instance", roleInputs("regionctl-eu-west-1-fleet-web"))
			p := a.add(profileType, "web-instance", resource.PropertyMap{"name": str(role.id), "role": str(role.id)})
			return role, []made{p}, "DeleteConflict: Cannot delete entity, must remove roles from instance profile first. (still used by iam/instanceProfile " + p.id + ")"
		}},
		{"internet gateway of a VPC with a NAT gateway", func(a standIn) (made, []made, string) {
			n := a.network()
			igw := a.gateway(n)
			nat := a.add(natType, "net-nat-a", natInputs("net-nat-a", a.eip("net-nat-a"), n.subnets[0]))
			return igw, []made{nat}, "DependencyViolation: Network " + n.vpc.id + " has some mapped public address(es). Please unmap those public address(es) before detaching the gateway."
		}},
		{"internet gateway of a VPC with an internet-facing load balancer", func(a standIn) (made, []made, string) {
			n := a.network()
			igw := a.gateway(n)
			lb := a.add(lbType, "web-alb", with(albInputs("web-alb", false, n.sg, n.subnets...), "enableDeletionProtection", yes(false)))
			// An internal load balancer has no public address: it never holds the gateway.
			a.add(lbType, "api-alb", with(albInputs("api-alb", true, n.sg, n.subnets...), "enableDeletionProtection", yes(false)))
			return igw, []made{lb}, "DependencyViolation: Network " + n.vpc.id + " has some mapped public address(es). Please unmap those public address(es) before detaching the gateway."
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newStandIn(t)
			target, users, want := tc.build(a)
			refused(t, a.remove(target), want)
			for _, u := range users {
				a.mustRemove(u)
			}
			accepted(t, a.remove(target))
		})
	}
}

// TestWorldDeletionProtection: a protected load balancer or cluster cannot be deleted
// until an update turns the protection off.
func TestWorldDeletionProtection(t *testing.T) {
	for _, tc := range []struct {
		typ, name string
		inputs    resource.PropertyMap
		flag      string
		want      func(made) string
	}{
		{lbType, "web-alb", with(albInputs("web-alb", true, made{id: "sg-0"}), "subnets", strs()), "enableDeletionProtection", func(m made) string {
			return "OperationNotPermitted: Load balancer '" + m.str("arn") + "' cannot be deleted because deletion protection is enabled"
		}},
		{clusterType, "database-main-cluster", with(clusterInputsFor("main", made{id: "sg-0"}, made{id: "main-subnets"}, made{id: "main-params"}), "deletionProtection", yes(true)), "deletionProtection", func(made) string {
			return "InvalidParameterCombination: Cannot delete protected Cluster, please disable deletion protection and try again."
		}},
	} {
		t.Run(tc.typ, func(t *testing.T) {
			a := newStandIn(t)
			m := a.add(tc.typ, tc.name, tc.inputs)
			refused(t, a.remove(m), tc.want(m))
			m = a.update(m, with(m.inputs, tc.flag, yes(false)))
			accepted(t, a.remove(m))
		})
	}
}

// TestWorldSeed: what the stack's state holds exists in the account before the run.
func TestWorldSeed(t *testing.T) {
	seeded := func(t *testing.T, rs ...rehearsal.SeedResource) standIn {
		srv, client := serve(t)
		srv.Seed(region, account, rs)
		configure(t, client, resource.PropertyMap{"region": str(region), "allowedAccountIds": strs(account)})
		return standIn{t, client}
	}
	res := func(typ, name, id string, inputs map[string]any) rehearsal.SeedResource {
		return rehearsal.SeedResource{Type: typ, URN: urn(typ, name), ID: id, Inputs: inputs, Outputs: map[string]any{"id": id}}
	}
	vpc := res(vpcType, "net-vpc", "vpc-0aaa", map[string]any{"cidrBlock": "10.0.0.0/16"})
	subnetA := res(subnetType, "net-public-a", "subnet-0aaa", map[string]any{"vpcId": "vpc-0aaa", "cidrBlock": "10.0.0.0/24"})
	subnetB := res(subnetType, "net-public-b", "subnet-0bbb", map[string]any{"vpcId": "vpc-0aaa", "cidrBlock": "10.0.1.0/24"})
	igw := res(igwType, "net-igw", "igw-0aaa", map[string]any{"vpcId": "vpc-0aaa"})
	alb := albInputs("web-alb", false, made{id: "sg-0alb"}, made{id: "subnet-0aaa"}, made{id: "subnet-0bbb"})

	t.Run("gateway", func(t *testing.T) {
		a := seeded(t, vpc, subnetA, subnetB)
		_, err := a.try(lbType, "web-alb", alb, false)
		refused(t, err, "InvalidSubnet: VPC vpc-0aaa has no internet gateway")

		a = seeded(t, vpc, subnetA, subnetB, igw)
		_, err = a.try(lbType, "web-alb", alb, false)
		accepted(t, err)
	})

	t.Run("retained cluster", func(t *testing.T) {
		sg := res(sgType, "database-main", "sg-0db", map[string]any{"vpcId": "vpc-0aaa", "description": "Aurora cluster main"})
		// A cluster retained on delete stays in the state's account after the engine
		// forgets it; its outputs hold what the state saved.
		cluster := rehearsal.SeedResource{
			Type: clusterType, URN: urn(clusterType, "database-main-cluster"), ID: "main",
			Inputs:  map[string]any{"clusterIdentifier": "main", "vpcSecurityGroupIds": []any{"sg-0db"}},
			Outputs: map[string]any{"id": "main", "arn": "arn:aws:rds:eu-west-1:210987654321:cluster:main"},
		}
		drop := made{typ: sgType, name: "database-main", id: "sg-0db", inputs: resource.PropertyMap{}, outputs: resource.PropertyMap{"id": str("sg-0db")}}

		a := seeded(t, vpc, sg, cluster)
		refused(t, a.remove(drop), "DependencyViolation: resource sg-0db has a dependent object (still used by rds/cluster main)")

		a = seeded(t, vpc, sg)
		accepted(t, a.remove(drop))
	})

	t.Run("taken name", func(t *testing.T) {
		a := seeded(t, res(tgType, "web-tg", "arn:aws:elasticloadbalancing:eu-west-1:210987654321:targetgroup/web-tg/0123", map[string]any{"name": "web-tg"}))
		_, err := a.try(tgType, "web-tg-v2", tgInputs("web-tg", made{id: "vpc-0aaa"}), false)
		refused(t, err, `DuplicateTargetGroupName: lb/targetGroup "web-tg" already exists (id arn:aws:elasticloadbalancing:eu-west-1:210987654321:targetgroup/web-tg/0123): `+
			"its name is fixed, so a replacement cannot be created next to it")
	})
}

// TestWorldPreview: a preview creates nothing, so it is never refused and leaves no name
// taken, no gateway and no launched servers behind.
func TestWorldPreview(t *testing.T) {
	a := newStandIn(t)
	n := a.network()

	// What an up would refuse, a preview does not judge.
	if _, err := a.try(lbType, "web-alb", albInputs("web-alb", false, n.sg, n.subnets...), true); err != nil {
		t.Errorf("preview of an internet-facing load balancer without a gateway: %v", err)
	}
	vpc := made{id: n.vpc.id}
	a.add(tgType, "web-tg", tgInputs("web-tg", vpc))
	if _, err := a.try(tgType, "web-tg-v2", tgInputs("web-tg", vpc), true); err != nil {
		t.Errorf("preview of a taken name: %v", err)
	}

	// What a preview "created" does not exist.
	if _, err := a.try(igwType, n.gatewayName, igwInputs(n.gatewayName, n.vpc), true); err != nil {
		t.Fatal(err)
	}
	_, err := a.try(lbType, "web-alb", albInputs("web-alb", false, n.sg, n.subnets...), false)
	refused(t, err, "InvalidSubnet: VPC "+n.vpc.id+" has no internet gateway")

	if _, err := a.try("aws:sqs/queue:Queue", "events", resource.PropertyMap{"name": str("events")}, true); err != nil {
		t.Fatal(err)
	}
	_, err = a.try("aws:sqs/queue:Queue", "events", resource.PropertyMap{"name": str("events")}, false)
	accepted(t, err)
}

// TestWorldReplaceAutonamed: a replacement of a resource the program left unnamed is
// created before the old one goes (the real provider names it afresh), so the name the
// old one holds does not stand in its way; a name the program fixed does.
func TestWorldReplaceAutonamed(t *testing.T) {
	a := newStandIn(t)
	vpc := a.vpc("net-vpc")
	old := a.securityGroup("web-app", vpc) // no name: Check generates one
	news := with(old.inputs, "description", str("servers of fleet web, v2"), "name", nil)

	inputs, _ := check(t, a.client, sgType, "web-app", news)
	diff, err := a.client.Diff(context.Background(), &pulumirpc.DiffRequest{
		Id: old.id, Urn: urn(sgType, "web-app"), Type: sgType, Name: "web-app",
		Olds: props(t, old.outputs), OldInputs: props(t, old.inputs), News: props(t, inputs),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(diff.GetReplaces()) == 0 || diff.GetDeleteBeforeReplace() {
		t.Fatalf("diff = replaces %v, delete first %v: want a create-before-delete replacement", diff.GetReplaces(), diff.GetDeleteBeforeReplace())
	}
	replacement, err := a.try(sgType, "web-app", news, false)
	accepted(t, err)
	if replacement.id == old.id {
		t.Errorf("the replacement got the old id %s", old.id)
	}
	a.mustRemove(old)

	// A fixed name stays: its replacement (the engine deletes the old one first) or
	// another resource asking for it is refused while the old one exists.
	named := a.add(sgType, "web-alb", with(old.inputs, "name", str("web-alb")))
	for _, name := range []string{"web-alb", "web-alb-2"} {
		_, err = a.try(sgType, name, named.inputs, false)
		refused(t, err, `InvalidGroup.Duplicate: ec2/securityGroup "web-alb" already exists (id `+named.id+
			"): its name is fixed, so a replacement cannot be created next to it")
	}
}

// A replacement's new resource keeps the ids AWS gave it when a later update changes
// something else: its ARN is not recomputed as if it were the old one.
func TestWorldReplacementKeepsItsARNOnUpdate(t *testing.T) {
	a := newStandIn(t)
	n := a.network()
	old := a.add(lbType, "web-alb", albInputs("web-alb", true, n.sg, n.subnets...))
	replacement := a.add(lbType, "web-alb", albInputs("web-alb-2", true, n.sg, n.subnets...))
	if replacement.str("arn") == old.str("arn") {
		t.Fatalf("the replacement got the old ARN %s", old.str("arn"))
	}
	updated := a.update(replacement, with(replacement.inputs, "idleTimeout", num(120)))
	if got := updated.str("arn"); got != replacement.str("arn") {
		t.Errorf("after an update the ARN is %s, want the replacement's own %s", got, replacement.str("arn"))
	}
}

// TestWorldRollbackNeedsAnAMI: AWS cannot roll an instance refresh back when the launch
// template resolves its image from an SSM parameter; with an AMI id it can.
func TestWorldRollbackNeedsAnAMI(t *testing.T) {
	a := newStandIn(t)
	n := a.network()
	rt := a.routeOut(n)
	for _, s := range n.subnets {
		a.add(assocType, "net-private-"+s.name, assocInputs(s, rt))
	}
	f := a.fleet(n.vpc)
	rollback := func(in resource.PropertyMap) resource.PropertyMap {
		return with(in, "instanceRefresh", obj("strategy", str("Rolling"), "preferences", obj("autoRollback", yes(true))))
	}
	_, err := a.try("aws:autoscaling/group:Group", "web-asg", rollback(asgInputs("web-asg", f.lt, n.subnets...)), false)
	refused(t, err, "ValidationError: Auto Scaling group web-asg: an instance refresh cannot roll back when the launch template resolves its image from an SSM parameter "+
		"(resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64): name an AMI id, or turn autoRollback off")

	asg := a.add("aws:autoscaling/group:Group", "web-asg", asgInputs("web-asg", f.lt, n.subnets...))
	lt := a.update(f.lt, with(f.lt.inputs, "imageId", str("ami-0123456789abcdef0")))
	a.update(asg, rollback(with(asg.inputs, "launchTemplate", obj("id", str(lt.id), "version", str("2")))))
}
