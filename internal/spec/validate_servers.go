package spec

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/arn"

	"github.com/regionctl/regionctl/internal/spec/awsregions"
)

// Limits of server fleets.
const (
	maxFleetSize        = 1000
	minVolumeSizeGiB    = 8 // Amazon Linux 2023 needs 8 GiB
	maxVolumeSizeGiB    = 16384
	maxHealthCheckPath  = 1024
	maxAMIParameterName = 2048
)

func (c *checker) servers() {
	names := make([]string, len(c.r.Servers))
	for i := range c.r.Servers {
		s := &c.r.Servers[i]
		names[i] = s.Name
		c.server(fmt.Sprintf("servers[%d]", i), s)
	}
	c.uniqueNames("servers", names)
}

func (c *checker) server(at string, s *Server) {
	f := func(name string) string { return at + "." + name }
	if msg := resourceNameProblem(s.Name, "fleet", maxServerName, "so <name>-alb fits the 32 characters of a load balancer name"); msg != "" {
		c.errf(f("name"), "%s", msg)
	} else if s.Name == "internal" || strings.HasPrefix(s.Name, "internal-") {
		c.errf(f("name"), "%s would make a load balancer name starting with internal-, which AWS refuses; rename the fleet", quote(s.Name))
	}
	c.instanceType(f("instanceType"), s.InstanceType)

	if s.Min < 0 {
		c.errf(f("min"), "%d is negative; min is 0 or more", s.Min)
	}
	switch {
	case s.Max > maxFleetSize:
		c.errf(f("max"), "%d is above the limit of %d servers per fleet; split the fleet", s.Max, maxFleetSize)
	case s.Max < s.Min && s.Min >= 0:
		c.errf(f("max"), "max %d is below min %d; raise max or lower min", s.Max, s.Min)
	}
	if s.Desired != nil && s.Min >= 0 && s.Max >= s.Min {
		if d := *s.Desired; d < s.Min || d > s.Max {
			c.errf(f("desired"), "%d is outside min..max (%d..%d)", d, s.Min, s.Max)
		}
	}
	c.between(f("port"), c.num(f("port"), s.Port), 1, 65535)
	if tg := TargetGroupName(s.Name, s.Port); s.LoadBalancer != nil && len(tg) > 32 && len(s.Name) <= maxServerName {
		c.errf(f("port"), "the target group would be named %s, %d characters; AWS allows 32: shorten the fleet name or use port %d",
			tg, len(tg), DefaultServerPort)
	}
	switch p := s.HealthCheckPath; {
	case !strings.HasPrefix(p, "/"):
		c.errf(f("healthCheckPath"), "%s must start with /, like /healthz", quote(p))
	case len(p) > maxHealthCheckPath:
		c.errf(f("healthCheckPath"), "the path is %d characters; load balancers allow at most %d", len(p), maxHealthCheckPath)
	case strings.ContainsAny(p, " \t?#"):
		c.errf(f("healthCheckPath"), "%s must be a plain path without spaces, query or fragment", quote(p))
	}
	if p := s.AMIParameter; p != "" && (len(p) > maxAMIParameterName || !ssmParameterName.MatchString(p)) {
		c.errf(f("amiParameter"), "%s is not an SSM parameter name; want one like /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", quote(p))
	}
	c.image(at, s)
	c.userData(at, s)
	c.between(f("volumeSizeGiB"), c.num(f("volumeSizeGiB"), s.VolumeSizeGiB), minVolumeSizeGiB, maxVolumeSizeGiB)
	if lb := s.LoadBalancer; lb != nil && lb.CertificateARN != "" {
		c.certificate(f("loadBalancer.certificateArn"), lb.CertificateARN)
	}
	c.uses(f("uses"), s.Uses)
}

// UseKinds are the kinds of entry a fleet can use: the data stores it reaches.
var UseKinds = []string{KindQueue, KindBucket, KindDatabase, KindCache}

// uses checks a fleet's uses: each names a data store of this file, once.
func (c *checker) uses(field string, uses []string) {
	first := map[string]int{}
	for i, u := range uses {
		at := fmt.Sprintf("%s[%d]", field, i)
		kind, name, _ := strings.Cut(u, "/")
		if !slices.Contains(UseKinds, kind) || name == "" {
			c.errf(at, "%s does not name a data store; write queue/NAME, bucket/NAME, database/NAME or cache/NAME%s", quote(u), c.dataStoresHere())
			continue
		}
		c.ref(at, u, UseKinds, true)
		if j, dup := first[u]; dup {
			c.errf(at, "%s is listed twice; %s[%d] on line %d already names it, remove one", u, field, j, c.at(fmt.Sprintf("%s[%d]", field, j)).Line)
			continue
		}
		first[u] = i
	}
}

// dataStoresHere lists the data stores of the file a fleet could use, for messages.
func (c *checker) dataStoresHere() string {
	var refs []string
	for _, k := range UseKinds {
		for _, n := range c.r.Names(k) {
			refs = append(refs, Ref{Kind: k, Name: n}.String())
		}
	}
	if len(refs) == 0 {
		return "; this file has no data stores"
	}
	return "; this file has " + andList(refs)
}

// UsesRefs parses a fleet's uses; the region must have passed Load.
func (s Server) UsesRefs() []Ref {
	out := make([]Ref, 0, len(s.Uses))
	for _, u := range s.Uses {
		kind, name, _ := strings.Cut(u, "/")
		out = append(out, Ref{Kind: kind, Name: name})
	}
	return out
}

// UsedBy lists the fleets that use the entry ref, in file order.
func (r *Region) UsedBy(ref Ref) []string {
	var out []string
	for _, s := range r.Servers {
		if slices.Contains(s.Uses, ref.String()) {
			out = append(out, s.Name)
		}
	}
	return out
}

func (c *checker) instanceType(field, t string) {
	switch {
	case instanceType.MatchString(t):
	case strings.HasPrefix(t, "db.") || strings.HasPrefix(t, "cache."):
		c.errf(field, "%s is a database or cache class; servers take EC2 instance types like m6i.large", quote(t))
	default:
		c.errf(field, "%s is not an EC2 instance type; want family.size like m6i.large or c7g.xlarge", quote(t))
	}
}

// certificate checks an ACM certificate ARN: a load balancer can only use a certificate
// of its own region and account.
func (c *checker) certificate(field, s string) {
	a, err := arn.Parse(s)
	if err != nil || a.Service != "acm" || !strings.HasPrefix(a.Resource, "certificate/") || !uuid.MatchString(strings.TrimPrefix(a.Resource, "certificate/")) {
		c.errf(field, "%s is not an ACM certificate ARN; want arn:aws:acm:%s:<account>:certificate/<id>", quote(s), c.r.Region)
		return
	}
	region, ok := awsregions.Lookup(c.r.Region)
	if !ok {
		return // the region is reported already
	}
	switch {
	case a.Region != c.r.Region:
		c.errf(field, "the certificate is in %s; a load balancer in %s needs a certificate from %s (ACM certificates are regional)", a.Region, c.r.Region, c.r.Region)
	case a.Partition != region.Partition:
		c.errf(field, "the ARN is in partition %s; %s is in %s", a.Partition, c.r.Region, region.Partition)
	case accountID.MatchString(c.r.AccountID) && a.AccountID != c.r.AccountID:
		c.errf(field, "the certificate belongs to account %s; use one from this region's account %s", a.AccountID, c.r.AccountID)
	}
}
