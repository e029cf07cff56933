package rehearsal

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/regionctl/regionctl/internal/awsmodel"
)

// world is what exists in the rehearsal's stand-in AWS account: every resource created
// and not yet deleted. Retained resources stay here after the engine forgets them (the
// engine never asks to delete them), which is what lets the rehearsal refuse what AWS
// refuses: a second resource of a name already taken, deleting what something else
// still uses, a load balancer with deletion protection on, an internet-facing load
// balancer in a VPC without its gateway.
//
// A run starts from the stack's state (Seed): what earlier runs left in the account.
type world struct {
	mu sync.Mutex
	// byID is keyed by type and id (ref): ids are unique per type only, and regionctl
	// gives a fleet's role and instance profile the same name, which is both their ids.
	byID map[string]*object
	// launched maps an instance role name to the Auto Scaling groups whose servers
	// booted with it: a policy the role gains later came too late for their boot.
	launched map[string][]string
}

// object is one resource in the account.
type object struct {
	typ   string
	urn   resource.URN
	id    string
	props resource.PropertyMap // inputs and outputs
}

// SeedResource is one resource of a stack's state, for Seed.
type SeedResource struct {
	Type    string
	URN     string
	ID      string
	Inputs  map[string]any
	Outputs map[string]any
}

func ref(typ, id string) string { return typ + " " + id }

func newWorld() *world {
	return &world{byID: map[string]*object{}, launched: map[string][]string{}}
}

// seed adds resources that exist before this run.
func (w *world) seed(rs []SeedResource) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, r := range rs {
		if r.ID == "" || strings.HasPrefix(r.Type, "pulumi:") {
			continue
		}
		props := resource.NewPropertyMapFromMap(r.Outputs)
		for k, v := range resource.NewPropertyMapFromMap(r.Inputs) {
			props[k] = v
		}
		w.byID[ref(r.Type, r.ID)] = &object{typ: r.Type, urn: resource.URN(r.URN), id: r.ID, props: props}
	}
}

// generation is how many live resources already carry urn: a create-before-delete
// replacement's new resource exists next to the old one and needs an id of its own.
func (w *world) generation(urn resource.URN) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, o := range w.byID {
		if o.urn == urn {
			n++
		}
	}
	return n
}

func (w *world) put(o *object) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.byID[ref(o.typ, o.id)] = o
}

func (w *world) update(typ, id string, props resource.PropertyMap) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if o, ok := w.byID[ref(typ, id)]; ok {
		o.props = props
	}
}

func (w *world) remove(typ, id string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.byID, ref(typ, id))
}

// live lists the resources of a type, in a stable order.
func (w *world) live(typ string) []*object {
	var out []*object
	for _, o := range w.byID {
		if o.typ == typ {
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// nameTaken returns the id of another live resource of typ whose physical name is
// name. The resource urn replaces does not count when name is the one generated for
// urn: the real provider gives a replacement a fresh name, the rehearsal the same one.
func (w *world) nameTaken(typ string, urn resource.URN, n awsmodel.Naming, name string, inputs resource.PropertyMap) (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, o := range w.live(typ) {
		if s, ok := awsmodel.KnownString(o.props, n.Prop); ok && s == name &&
			(o.urn != urn || name != awsmodel.GeneratedName(urn, n, inputs)) {
			return o.id, true
		}
	}
	return "", false
}

// collectStrings collects every known string in a property value.
func collectStrings(v resource.PropertyValue, out map[string]bool) {
	v = awsmodel.Unsecret(v)
	switch {
	case v.IsString():
		out[v.StringValue()] = true
	case v.IsArray():
		for _, e := range v.ArrayValue() {
			collectStrings(e, out)
		}
	case v.IsObject():
		for _, e := range v.ObjectValue() {
			collectStrings(e, out)
		}
	}
}

// users lists the live resources (of the given types; any type when none) whose
// properties name one of handles, other than the resource itself.
func (w *world) users(self *object, handles []string, types ...string) []*object {
	var out []*object
	for _, o := range w.byID {
		if (o.typ == self.typ && o.id == self.id) || (len(types) > 0 && !slices.Contains(types, o.typ)) {
			continue
		}
		found := map[string]bool{}
		for k, v := range o.props {
			if k == "id" || k == "arn" || strings.HasPrefix(string(k), "__") {
				continue
			}
			collectStrings(v, found)
		}
		for _, h := range handles {
			if h != "" && found[h] {
				out = append(out, o)
				break
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// label names a resource in an error: its physical name or id.
func (o *object) label() string {
	if n, ok := awsmodel.Namings[o.typ]; ok {
		if s, ok := awsmodel.KnownString(o.props, n.Prop); ok {
			return s
		}
	}
	return o.id
}

func idList(objs []*object) string {
	ids := make([]string, len(objs))
	for i, o := range objs {
		ids[i] = o.label()
	}
	return strings.Join(ids, ", ")
}

// duplicateName is AWS's error code, per type, for creating a resource whose name is
// taken. Types missing here either have no name or (SNS topics, alarms, inline
// policies) quietly return or overwrite the existing one.
var duplicateName = map[string]string{
	"aws:autoscaling/group:Group":                         "AlreadyExists",
	"aws:cloudwatch/logGroup:LogGroup":                    "ResourceAlreadyExistsException",
	"aws:ec2/launchTemplate:LaunchTemplate":               "InvalidLaunchTemplateName.AlreadyExistsException",
	"aws:ec2/securityGroup:SecurityGroup":                 "InvalidGroup.Duplicate",
	"aws:elasticache/replicationGroup:ReplicationGroup":   "ReplicationGroupAlreadyExists",
	"aws:elasticache/subnetGroup:SubnetGroup":             "CacheSubnetGroupAlreadyExists",
	"aws:iam/instanceProfile:InstanceProfile":             "EntityAlreadyExists",
	"aws:iam/role:Role":                                   "EntityAlreadyExists",
	"aws:kms/alias:Alias":                                 "AlreadyExistsException",
	"aws:lb/loadBalancer:LoadBalancer":                    "DuplicateLoadBalancerName",
	"aws:lb/targetGroup:TargetGroup":                      "DuplicateTargetGroupName",
	"aws:rds/cluster:Cluster":                             "DBClusterAlreadyExistsFault",
	"aws:rds/clusterInstance:ClusterInstance":             "DBInstanceAlreadyExists",
	"aws:rds/clusterParameterGroup:ClusterParameterGroup": "DBParameterGroupAlreadyExists",
	"aws:rds/subnetGroup:SubnetGroup":                     "DBSubnetGroupAlreadyExists",
	"aws:s3/bucketV2:BucketV2":                            "BucketAlreadyOwnedByYou",
	"aws:sqs/queue:Queue":                                 "QueueAlreadyExists",
}

// inUse says, per type, what keeps AWS from deleting a resource: which of its
// properties others refer to it by, which types' references count (all when nil), and
// AWS's error.
type inUse struct {
	handles []string // "id", "name", "arn"
	users   []string
	err     func(o *object, users []*object) string
}

var deleteBlockers = map[string]inUse{
	"aws:ec2/securityGroup:SecurityGroup": {handles: []string{"id"}, err: func(o *object, _ []*object) string {
		return fmt.Sprintf("DependencyViolation: resource %s has a dependent object", o.id)
	}},
	"aws:ec2/subnet:Subnet": {handles: []string{"id"}, err: func(o *object, _ []*object) string {
		return fmt.Sprintf("DependencyViolation: The subnet '%s' has dependencies and cannot be deleted.", o.id)
	}},
	"aws:ec2/vpc:Vpc": {handles: []string{"id"}, err: func(o *object, _ []*object) string {
		return fmt.Sprintf("DependencyViolation: The vpc '%s' has dependencies and cannot be deleted.", o.id)
	}},
	"aws:ec2/routeTable:RouteTable": {
		handles: []string{"id"}, users: []string{"aws:ec2/routeTableAssociation:RouteTableAssociation"},
		err: func(o *object, _ []*object) string {
			return fmt.Sprintf("DependencyViolation: The routeTable '%s' has dependencies and cannot be deleted.", o.id)
		},
	},
	"aws:rds/subnetGroup:SubnetGroup": {
		handles: []string{"name"}, users: []string{"aws:rds/cluster:Cluster", "aws:rds/clusterInstance:ClusterInstance"},
		err: func(o *object, users []*object) string {
			return fmt.Sprintf("InvalidDBSubnetGroupStateFault: Cannot delete the subnet group '%s' because at least one database cluster: %s is still using it.", o.label(), idList(users))
		},
	},
	"aws:rds/clusterParameterGroup:ClusterParameterGroup": {
		handles: []string{"name"}, users: []string{"aws:rds/cluster:Cluster"},
		err: func(o *object, _ []*object) string {
			return fmt.Sprintf("InvalidDBParameterGroupState: One or more database clusters are still members of this parameter group %s, so the group cannot be deleted", o.label())
		},
	},
	"aws:elasticache/subnetGroup:SubnetGroup": {
		handles: []string{"name"}, users: []string{"aws:elasticache/replicationGroup:ReplicationGroup"},
		err: func(o *object, _ []*object) string {
			return fmt.Sprintf("CacheSubnetGroupInUse: Cache subnet group %s is currently in use by a cache cluster.", o.label())
		},
	},
	"aws:lb/targetGroup:TargetGroup": {
		handles: []string{"arn"}, users: []string{"aws:lb/listener:Listener", "aws:lb/listenerRule:ListenerRule", "aws:autoscaling/group:Group"},
		err: func(o *object, _ []*object) string {
			arn, _ := awsmodel.KnownString(o.props, "arn")
			return fmt.Sprintf("ResourceInUse: Target group '%s' is currently in use by a listener or a rule", arn)
		},
	},
	"aws:iam/role:Role": {
		handles: []string{"name"},
		users: []string{
			"aws:iam/instanceProfile:InstanceProfile", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/rolePolicy:RolePolicy",
		},
		err: func(o *object, users []*object) string {
			if users[0].typ == "aws:iam/instanceProfile:InstanceProfile" {
				return "DeleteConflict: Cannot delete entity, must remove roles from instance profile first."
			}
			return "DeleteConflict: Cannot delete entity, must detach all policies first."
		},
	},
}

// handle returns the values others refer to o by.
func (o *object) handles(props []string) []string {
	var out []string
	for _, p := range props {
		if p == "id" {
			out = append(out, o.id)
			continue
		}
		if p == "name" {
			if n, ok := awsmodel.Namings[o.typ]; ok {
				p = n.Prop
			}
		}
		if s, ok := awsmodel.KnownString(o.props, p); ok {
			out = append(out, s)
		}
	}
	return out
}

// refuseDelete says why AWS would refuse to delete the resource id, or "".
func (w *world) refuseDelete(id, typ string, olds resource.PropertyMap) string {
	w.mu.Lock()
	defer w.mu.Unlock()
	o, ok := w.byID[ref(typ, id)]
	if !ok {
		o = &object{typ: typ, id: id, props: olds}
	}
	switch typ {
	case "aws:lb/loadBalancer:LoadBalancer":
		if awsmodel.Flag(o.props, "enableDeletionProtection") {
			arn, _ := awsmodel.KnownString(o.props, "arn")
			return fmt.Sprintf("OperationNotPermitted: Load balancer '%s' cannot be deleted because deletion protection is enabled", arn)
		}
	case "aws:rds/cluster:Cluster":
		if awsmodel.Flag(o.props, "deletionProtection") {
			return "InvalidParameterCombination: Cannot delete protected Cluster, please disable deletion protection and try again."
		}
	case "aws:ec2/internetGateway:InternetGateway":
		// Detaching fails while the VPC has public addresses mapped: NAT gateways'
		// Elastic IPs, internet-facing load balancers.
		vpc, _ := awsmodel.KnownString(o.props, "vpcId")
		if mapped := w.publicAddresses(vpc); len(mapped) > 0 {
			return fmt.Sprintf("DependencyViolation: Network %s has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.", vpc)
		}
	}
	if b, ok := deleteBlockers[typ]; ok {
		if users := w.users(o, o.handles(b.handles), b.users...); len(users) > 0 {
			return b.err(o, users) + " (still used by " + describe(users) + ")"
		}
	}
	return ""
}

// describe names resources for the rehearsal's own explanation after AWS's error.
func describe(objs []*object) string {
	parts := make([]string, 0, len(objs))
	for _, o := range objs {
		parts = append(parts, fmt.Sprintf("%s %s", shortType(o.typ), o.label()))
	}
	if len(parts) > 3 {
		parts = append(parts[:3], strconv.Itoa(len(parts)-3)+" more")
	}
	return strings.Join(parts, ", ")
}

// shortType is "rds/cluster" for aws:rds/cluster:Cluster.
func shortType(typ string) string {
	_, rest, _ := strings.Cut(typ, ":")
	mod, _, _ := strings.Cut(rest, ":")
	return mod
}

// publicAddresses lists the NAT gateways and internet-facing load balancers in vpc.
func (w *world) publicAddresses(vpc string) []*object {
	var out []*object
	for _, nat := range w.live("aws:ec2/natGateway:NatGateway") {
		if cs, _ := awsmodel.KnownString(nat.props, "connectivityType"); cs != "private" && w.subnetVPC(first(nat.props, "subnetId")) == vpc {
			out = append(out, nat)
		}
	}
	for _, lb := range w.live("aws:lb/loadBalancer:LoadBalancer") {
		if !awsmodel.Flag(lb.props, "internal") && slices.Contains(w.subnetVPCs(lb.props["subnets"]), vpc) {
			out = append(out, lb)
		}
	}
	return out
}

func first(m resource.PropertyMap, key string) string {
	s, _ := awsmodel.KnownString(m, key)
	return s
}

// subnetVPC is the VPC of a live subnet, "" when unknown.
func (w *world) subnetVPC(subnet string) string {
	if o, ok := w.byID[ref("aws:ec2/subnet:Subnet", subnet)]; ok {
		s, _ := awsmodel.KnownString(o.props, "vpcId")
		return s
	}
	return ""
}

func (w *world) subnetVPCs(v resource.PropertyValue) []string {
	ids := map[string]bool{}
	collectStrings(v, ids)
	var out []string
	for id := range ids {
		if vpc := w.subnetVPC(id); vpc != "" && !slices.Contains(out, vpc) {
			out = append(out, vpc)
		}
	}
	sort.Strings(out)
	return out
}

// refuseCreate says why AWS (or, for servers, their boot) would fail creating a
// resource of typ with inputs now, or "".
func (w *world) refuseCreate(typ string, urn resource.URN, inputs resource.PropertyMap) string {
	if n, ok := awsmodel.Namings[typ]; ok {
		if code, ok := duplicateName[typ]; ok {
			if name, ok := awsmodel.KnownString(inputs, n.Prop); ok {
				if id, taken := w.nameTaken(typ, urn, n, name, inputs); taken {
					return fmt.Sprintf("%s: %s %q already exists (id %s): its name is fixed, so a replacement cannot be created next to it", code, shortType(typ), name, id)
				}
			}
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	switch typ {
	case "aws:lb/loadBalancer:LoadBalancer":
		if awsmodel.Flag(inputs, "internal") {
			return ""
		}
		for _, vpc := range w.subnetVPCs(inputs["subnets"]) {
			if !w.hasGateway(vpc) {
				return fmt.Sprintf("InvalidSubnet: VPC %s has no internet gateway", vpc)
			}
		}
	case "aws:ec2/natGateway:NatGateway":
		if ct, _ := awsmodel.KnownString(inputs, "connectivityType"); ct == "private" {
			return ""
		}
		if vpc := w.subnetVPC(first(inputs, "subnetId")); vpc != "" && !w.hasGateway(vpc) {
			return fmt.Sprintf("Gateway.NotAttached: Network %s has no Internet gateway attached", vpc)
		}
	case "aws:autoscaling/group:Group":
		if why := w.rollbackCheck(inputs); why != "" {
			return why
		}
		return w.bootCheck(inputs)
	case "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:iam/rolePolicy:RolePolicy":
		role, _ := awsmodel.KnownString(inputs, "role")
		if groups := w.launched[role]; len(groups) > 0 {
			return fmt.Sprintf("the servers of Auto Scaling group %s booted with instance role %s before this policy existed, so their boot ran without it: make the group depend on the role's policies",
				strings.Join(groups, ", "), role)
		}
	}
	return ""
}

func (w *world) hasGateway(vpc string) bool {
	for _, igw := range w.live("aws:ec2/internetGateway:InternetGateway") {
		if s, _ := awsmodel.KnownString(igw.props, "vpcId"); s == vpc {
			return true
		}
	}
	return false
}

// bootCheck is what servers need the moment their group launches them: a route out of
// every subnet they boot in (packages, the SSM agent, AWS APIs).
func (w *world) bootCheck(inputs resource.PropertyMap) string {
	ids := map[string]bool{}
	collectStrings(inputs["vpcZoneIdentifiers"], ids)
	subnets := make([]string, 0, len(ids))
	for id := range ids {
		subnets = append(subnets, id)
	}
	sort.Strings(subnets)
	for _, subnet := range subnets {
		if _, known := w.byID[ref("aws:ec2/subnet:Subnet", subnet)]; !known {
			continue
		}
		if !w.routesOut(subnet) {
			name, _ := awsmodel.KnownString(inputs, "name")
			return fmt.Sprintf("the servers of Auto Scaling group %s would boot in subnet %s before it has a default route (0.0.0.0/0): make the group depend on the subnets' routes", name, subnet)
		}
	}
	return ""
}

// routesOut is true when subnet's route table has a default route.
func (w *world) routesOut(subnet string) bool {
	for _, a := range w.live("aws:ec2/routeTableAssociation:RouteTableAssociation") {
		if first(a.props, "subnetId") != subnet {
			continue
		}
		table := first(a.props, "routeTableId")
		for _, r := range w.live("aws:ec2/route:Route") {
			if first(r.props, "routeTableId") == table && first(r.props, "destinationCidrBlock") == "0.0.0.0/0" {
				return true
			}
		}
	}
	return false
}

// launch records that a group's servers booted with their instance role.
func (w *world) launch(inputs resource.PropertyMap) {
	w.mu.Lock()
	defer w.mu.Unlock()
	group, _ := awsmodel.KnownString(inputs, "name")
	lt := inputs["launchTemplate"]
	if !lt.IsObject() {
		return
	}
	tmpl, ok := w.byID[ref("aws:ec2/launchTemplate:LaunchTemplate", first(lt.ObjectValue(), "id"))]
	if !ok {
		return
	}
	profile := tmpl.props["iamInstanceProfile"]
	if !profile.IsObject() {
		return
	}
	arn := first(profile.ObjectValue(), "arn")
	for _, p := range w.live("aws:iam/instanceProfile:InstanceProfile") {
		if first(p.props, "arn") == arn {
			role := first(p.props, "role")
			if !slices.Contains(w.launched[role], group) {
				w.launched[role] = append(w.launched[role], group)
			}
		}
	}
}

// refuseUpdate says why AWS would refuse an update of a resource of typ to inputs.
func (w *world) refuseUpdate(typ string, inputs resource.PropertyMap) string {
	if typ != "aws:autoscaling/group:Group" {
		return ""
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.rollbackCheck(inputs)
}

// rollbackCheck: an instance refresh with auto rollback needs the launch template to
// name an AMI; AWS does not support a rollback when it resolves the image from an SSM
// parameter (RefreshPreferences.AutoRollback). Callers hold the lock.
func (w *world) rollbackCheck(inputs resource.PropertyMap) string {
	refresh := inputs["instanceRefresh"]
	if !refresh.IsObject() {
		return ""
	}
	prefs := refresh.ObjectValue()["preferences"]
	if !prefs.IsObject() || !awsmodel.Flag(prefs.ObjectValue(), "autoRollback") {
		return ""
	}
	lt := inputs["launchTemplate"]
	if !lt.IsObject() {
		return ""
	}
	tmpl, ok := w.byID[ref("aws:ec2/launchTemplate:LaunchTemplate", first(lt.ObjectValue(), "id"))]
	if !ok {
		return ""
	}
	if image := first(tmpl.props, "imageId"); strings.HasPrefix(image, "resolve:ssm:") {
		group, _ := awsmodel.KnownString(inputs, "name")
		return fmt.Sprintf("ValidationError: Auto Scaling group %s: an instance refresh cannot roll back when the launch template resolves its image from an SSM parameter (%s): name an AMI id, or turn autoRollback off", group, image)
	}
	return ""
}
