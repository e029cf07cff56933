package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/regionctl/regionctl/internal/awsmodel"
	"github.com/regionctl/regionctl/internal/manifest"
	"github.com/regionctl/regionctl/internal/spec"
)

// CheckStatus is the outcome of one preflight check.
type CheckStatus string

const (
	CheckOK   CheckStatus = "ok"
	CheckWarn CheckStatus = "warn"
	CheckFail CheckStatus = "fail"
)

// PreflightCheck is one thing preflight checked, at the place in the region file it is
// about (Path, Line, Col; Line 0 when it is about the region as a whole).
type PreflightCheck struct {
	Name   string      `json:"name"`
	Status CheckStatus `json:"status"`
	Detail string      `json:"detail"`
	Fix    string      `json:"fix,omitempty"`
	Path   string      `json:"path,omitempty"`
	Line   int         `json:"line,omitempty"`
	Col    int         `json:"col,omitempty"`
}

// Preflight is what AWS must offer a region file before an apply, checked.
type Preflight struct {
	Region string `json:"region"`
	// Source says what answered: the facts tables (and their date) or the account.
	Source string           `json:"source"`
	Live   bool             `json:"live"`
	Checks []PreflightCheck `json:"checks"`
}

// Failed counts the checks that failed.
func (p *Preflight) Failed() int {
	n := 0
	for _, c := range p.Checks {
		if c.Status == CheckFail {
			n++
		}
	}
	return n
}

// PreflightFailedError is a region file that names something the region or account
// does not offer (a zone, a class, a quota's headroom): invalid configuration, exit 4,
// because the fix is a change to the file (or a quota request) before any apply.
type PreflightFailedError struct {
	Region string
	Failed int
}

func (e *PreflightFailedError) Error() string {
	return fmt.Sprintf("region %q: preflight: %d %s failed (listed above); nothing was applied", e.Region, e.Failed, plural(e.Failed, "check", "checks"))
}

// RegionInfo is what a source knows of a region as a whole.
type RegionInfo struct {
	// Known is false when the source has nothing on the region.
	Known bool
	OptIn bool
	// Enabled is the account's opt-in status (live only; nil offline).
	Enabled *bool
	AZs     []awsmodel.AZ
}

// ClassAnswer is whether a region offers one class.
type ClassAnswer struct {
	Offered, Known bool
	// Nearest is the offered class to pick instead ("" when none is known).
	Nearest string
}

// QuotaAnswer is a quota's value in the region.
type QuotaAnswer struct {
	Value int
	// Applied is true when the value is the account's own (live), false for AWS's default.
	Applied bool
}

// RegionSource answers what AWS offers a region: the facts tables offline
// (FactsSource), the account through the AWS APIs with --live (awslive).
type RegionSource interface {
	// Describe tells opt-in status and zones.
	Describe(ctx context.Context, region string) (RegionInfo, error)
	// Class tells whether region offers class of kind.
	Class(ctx context.Context, region string, kind awsmodel.ClassKind, class string) (ClassAnswer, error)
	// Quota is q's value in region.
	Quota(ctx context.Context, region string, q awsmodel.Quota) (QuotaAnswer, error)
	// Name says what answers, for the report ("facts checked 2026-12-02").
	Name() string
}

// FactsSource answers from internal/awsmodel's tables, without credentials.
type FactsSource struct{}

func (FactsSource) Name() string {
	return "facts checked " + awsmodel.RegionFactsChecked.Format("2006-01-02") + " (offline)"
}

func (FactsSource) Describe(_ context.Context, region string) (RegionInfo, error) {
	f, ok := awsmodel.Facts(region)
	if !ok {
		return RegionInfo{}, nil
	}
	return RegionInfo{Known: true, OptIn: f.OptIn, AZs: f.AZs}, nil
}

func (FactsSource) Class(_ context.Context, region string, kind awsmodel.ClassKind, class string) (ClassAnswer, error) {
	offered, known := awsmodel.Offered(region, kind, class)
	a := ClassAnswer{Offered: offered, Known: known}
	if !offered {
		a.Nearest = awsmodel.NearestOffered(region, kind, class)
	}
	return a, nil
}

func (FactsSource) Quota(_ context.Context, _ string, q awsmodel.Quota) (QuotaAnswer, error) {
	return QuotaAnswer{Value: q.Default}, nil
}

// Preflight checks region file id against what AWS offers: opt-in status, zones,
// classes, engine versions and quota headroom for what the offline plan creates. live
// asks the account (Env.LiveSource) instead of the facts tables. A failed check makes
// the error a PreflightFailedError; the Preflight comes back either way.
func (e *Env) Preflight(ctx context.Context, id string, live bool) (*Preflight, error) {
	regions, err := e.Load([]string{id})
	if err != nil {
		return nil, err
	}
	if len(regions) != 1 {
		return nil, &ConfigError{Err: fmt.Errorf("no region file for %q", id)}
	}
	r := regions[0]
	var src RegionSource = FactsSource{}
	if live {
		if e.LiveSource == nil {
			return nil, errors.New("--live is not available in this build")
		}
		if src, err = e.LiveSource(ctx, r.Region); err != nil {
			return nil, err
		}
	}
	manifests, err := e.Planner.Plan(ctx, regions)
	if err != nil {
		return nil, fmt.Errorf("planning region %q offline: %w", id, err)
	}
	var m manifest.Region
	for _, mr := range manifests {
		if mr.Name == r.Region {
			m = mr
		}
	}
	p := &Preflight{Region: r.Region, Source: src.Name(), Live: live}
	c := &checker{ctx: ctx, r: r, src: src, p: p, env: e}
	if err := c.run(m); err != nil {
		return p, err
	}
	if n := p.Failed(); n > 0 {
		return p, &PreflightFailedError{Region: r.Region, Failed: n}
	}
	return p, nil
}

type checker struct {
	ctx context.Context
	env *Env
	r   *spec.Region
	src RegionSource
	p   *Preflight
}

func (c *checker) add(field string, ch PreflightCheck) {
	if c.r.Source != nil {
		ch.Path = c.r.Source.Path
		if field != "" {
			pos := c.r.Source.At(field)
			ch.Line, ch.Col = pos.Line, pos.Col
		}
	}
	c.p.Checks = append(c.p.Checks, ch)
}

func (c *checker) run(m manifest.Region) error {
	info, err := c.src.Describe(c.ctx, c.r.Region)
	if err != nil {
		return err
	}
	if !info.Known {
		c.add("region", PreflightCheck{Name: "region facts", Status: CheckWarn,
			Detail: fmt.Sprintf("no facts for %s; run with --live", c.r.Region),
			Fix:    fmt.Sprintf("regionctl preflight %s --live (with credentials), or add the region to internal/awsmodel/regions_table.go", c.r.Region)})
	} else {
		c.optIn(info)
		c.zones(info)
	}
	if err := c.classes(); err != nil {
		return err
	}
	c.versions()
	return c.quotas(m)
}

func (c *checker) optIn(info RegionInfo) {
	id := c.r.Region
	fix := fmt.Sprintf("enable the region: AWS console → Account → AWS Regions, or `aws account enable-region --region-name %s`", id)
	switch {
	case !info.OptIn:
		c.add("region", PreflightCheck{Name: "opt-in", Status: CheckOK, Detail: id + " is enabled in every account by default"})
	case info.Enabled == nil:
		c.add("region", PreflightCheck{Name: "opt-in", Status: CheckWarn,
			Detail: id + " is an opt-in region: an account must enable it before use (--live checks this account)", Fix: fix})
	case *info.Enabled:
		c.add("region", PreflightCheck{Name: "opt-in", Status: CheckOK, Detail: id + " is an opt-in region and this account has it enabled"})
	default:
		c.add("region", PreflightCheck{Name: "opt-in", Status: CheckFail, Detail: id + " is an opt-in region and this account has not enabled it", Fix: fix})
	}
}

func (c *checker) zones(info RegionInfo) {
	have := map[string]string{}
	var names []string
	for _, az := range info.AZs {
		have[az.Name] = az.ID
		names = append(names, az.Name)
	}
	var missing, ids []string
	for _, n := range c.r.AZNames {
		if id, ok := have[n]; ok {
			ids = append(ids, n+"="+id)
		} else {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		c.add("network.azs", PreflightCheck{Name: "availability zones", Status: CheckOK, Detail: strings.Join(ids, ", ")})
		return
	}
	ch := PreflightCheck{Name: "availability zones", Status: CheckFail,
		Detail: fmt.Sprintf("%s %s not %s in %s (it offers %s)", strings.Join(missing, ", "), plural(len(missing), "is", "are"), "a zone new accounts have", c.r.Region, strings.Join(names, ", "))}
	if want := len(c.r.AZNames); want <= len(names) {
		ch.Fix = fmt.Sprintf("azs: [%s]", strings.Join(names[:want], ", "))
	} else {
		ch.Fix = fmt.Sprintf("%s has %d zones: azs: [%s]", c.r.Region, len(names), strings.Join(names, ", "))
	}
	c.add("network.azs", ch)
}

func (c *checker) classes() error {
	type entry struct {
		field, name, class string
		kind               awsmodel.ClassKind
	}
	var entries []entry
	for i, s := range c.r.Servers {
		entries = append(entries, entry{fmt.Sprintf("servers[%d].instanceType", i), "servers/" + s.Name, s.InstanceType, awsmodel.KindInstance})
	}
	for i, d := range c.r.Databases {
		entries = append(entries, entry{fmt.Sprintf("databases[%d].instanceClass", i), "databases/" + d.Name, d.InstanceClass, awsmodel.KindDB})
	}
	for i, ca := range c.r.Caches {
		entries = append(entries, entry{fmt.Sprintf("caches[%d].nodeType", i), "caches/" + ca.Name, ca.NodeType, awsmodel.KindCache})
	}
	for _, en := range entries {
		a, err := c.src.Class(c.ctx, c.r.Region, en.kind, en.class)
		if err != nil {
			return err
		}
		ch := PreflightCheck{Name: en.name + " " + string(en.kind)}
		switch {
		case a.Offered:
			ch.Status, ch.Detail = CheckOK, fmt.Sprintf("%s is offered in %s", en.class, c.r.Region)
		case a.Known:
			ch.Status, ch.Detail = CheckFail, fmt.Sprintf("%s: %s %s is not offered in %s", en.field, string(en.kind), en.class, c.r.Region)
			if a.Nearest != "" {
				ch.Fix = "pick " + a.Nearest
			}
		default:
			ch.Status, ch.Detail = CheckWarn, fmt.Sprintf("%s: the facts do not say whether %s offers %s; run with --live", en.field, c.r.Region, en.class)
		}
		c.add(en.field, ch)
	}
	return nil
}

func (c *checker) versions() {
	now := c.env.Now()
	check := func(field, name, engine, version string) {
		v := awsmodel.EngineVersion(engine, version, now)
		ch := PreflightCheck{Name: name + " engine version"}
		switch v.Status {
		case awsmodel.VersionOffered:
			ch.Status, ch.Detail = CheckOK, fmt.Sprintf("%s %s is offered", engine, version)
		case awsmodel.Unknown:
			ch.Status, ch.Detail = CheckWarn, fmt.Sprintf("%s %s is not in the catalog (checked %s); AWS decides", engine, version, awsmodel.EngineVersionsChecked.Format("2006-01-02"))
		case awsmodel.Ending, awsmodel.PastStandardSupport:
			ch.Status, ch.Detail = CheckWarn, fmt.Sprintf("%s %s: standard support ends %s", engine, version, v.EndOfStandardSupport.Format("2006-01-02"))
		default:
			ch.Status, ch.Detail = CheckFail, fmt.Sprintf("%s: %s %s is not offered", field, engine, version)
		}
		if ch.Status != CheckOK && v.Nearest != "" {
			ch.Fix = "engineVersion: " + v.Nearest
		}
		c.add(field, ch)
	}
	for i, d := range c.r.Databases {
		check(fmt.Sprintf("databases[%d].engineVersion", i), "databases/"+d.Name, d.Engine, d.EngineVersion)
	}
	for i, ca := range c.r.Caches {
		if ca.EngineVersion != "" {
			check(fmt.Sprintf("caches[%d].engineVersion", i), "caches/"+ca.Name, ca.Engine, ca.EngineVersion)
		}
	}
}

// quotas compares what the plan creates with each quota's value. It counts only this
// region's own resources: what else the account runs in the region also counts
// against the quotas, so headroom is an upper bound.
func (c *checker) quotas(m manifest.Region) error {
	count := map[string]int{}
	for _, res := range m.Resources {
		count[res.Type]++
	}
	azs := max(len(c.r.AZNames), 1)
	for _, q := range awsmodel.Quotas() {
		a, err := c.src.Quota(c.ctx, c.r.Region, q)
		if err != nil {
			return err
		}
		where := "default quota %d; a new account has it"
		if a.Applied {
			where = "this account's quota %d"
		}
		where = fmt.Sprintf(where, a.Value)
		ask := fmt.Sprintf("ask for more with Service Quotas code %s (aws service-quotas request-service-quota-increase --service-code %s --quota-code %s --desired-value N --region %s)", q.Code, q.ServiceCode, q.Code, c.r.Region)
		name := "quota " + q.Name
		if q.Counts == "vCPU" {
			c.vcpus(q, a.Value, a.Applied, where, ask)
			continue
		}
		need, unit, field := count[q.Counts], "", quotaField(q.Counts)
		if q.PerAZ {
			need, unit = (need+azs-1)/azs, " per zone"
		}
		if need == 0 {
			continue
		}
		ch := PreflightCheck{Name: name, Status: CheckOK, Detail: fmt.Sprintf("the plan needs %d%s (%s) of %d (%s)", need, unit, q.Code, a.Value, where)}
		if need > a.Value {
			ch.Status = CheckFail
			ch.Detail = fmt.Sprintf("the plan needs %d %s%s; %s (%s)", need, q.Name, unit, where, q.Code)
			ch.Fix = ask
		}
		c.add(field, ch)
	}
	return nil
}

func quotaField(typ string) string {
	switch typ {
	case "aws:ec2/eip:Eip", "aws:ec2/natGateway:NatGateway":
		return "network.natGateways"
	case "aws:lb/loadBalancer:LoadBalancer", "aws:ec2/securityGroup:SecurityGroup":
		return "servers"
	}
	return "network"
}

func (c *checker) vcpus(q awsmodel.Quota, value int, applied bool, where, ask string) {
	desired, most := 0, 0
	var unknown []string
	for _, s := range c.r.Servers {
		n, ok := awsmodel.VCPUs(s.InstanceType)
		if !ok {
			unknown = append(unknown, s.InstanceType)
			continue
		}
		d := s.Min
		if s.Desired != nil {
			d = *s.Desired
		}
		desired += d * n
		most += s.Max * n
	}
	if len(c.r.Servers) == 0 {
		return
	}
	ch := PreflightCheck{Name: "quota " + q.Name, Status: CheckOK,
		Detail: fmt.Sprintf("the fleets need %d vCPUs at desired capacity, %d at max (%s) of %d (%s)", desired, most, q.Code, value, where)}
	switch {
	case desired > value && !applied:
		// AWS documents no fixed default for new accounts: warn, and let --live decide.
		ch.Status, ch.Fix = CheckWarn, ask
		ch.Detail = fmt.Sprintf("the fleets need %d vCPUs at desired capacity (%d at max); a new account may have as little as %d (%s; %s); --live reads this account's", desired, most, value, q.Code, q.Note)
	case desired > value:
		ch.Status, ch.Fix = CheckFail, ask
		ch.Detail = fmt.Sprintf("the fleets need %d vCPUs at desired capacity (%d at max); %s (%s; %s)", desired, most, where, q.Code, q.Note)
	case most > value:
		ch.Status, ch.Fix = CheckWarn, ask
		ch.Detail = fmt.Sprintf("the fleets need %d vCPUs at max capacity (%d at desired): scaling out stops at %d; %s (%s; %s)", most, desired, value, where, q.Code, q.Note)
	}
	if len(unknown) > 0 && ch.Status == CheckOK {
		ch.Status = CheckWarn
		ch.Detail += "; vCPUs unknown for " + strings.Join(unknown, ", ")
	}
	c.add("servers", ch)
}
