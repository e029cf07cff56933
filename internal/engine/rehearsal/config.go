package rehearsal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/regionctl/regionctl/internal/awsmodel"
)

// Version is the pulumi-aws release the rehearsal provider stands in for: the one the
// region program's SDK (github.com/pulumi/pulumi-aws/sdk/v6) registers its resources
// with, so the engine records the same provider version as a real run.
const Version = "6.83.2"

// FakeAccountID is the account a provider without allowedAccountIds acts in: the
// example account of AWS's own documentation.
const FakeAccountID = "123456789012"

// defaultRegion is the region of a provider that was never configured; the engine
// always configures one before using it, so only direct callers see it.
const defaultRegion = "us-east-1"

// config is one configured provider instance: where its fake resources live.
type config struct {
	region    string
	accountID string
	// defaultTags are the provider's default tags, merged into every taggable
	// resource's tagsAll as the real provider does.
	defaultTags resource.PropertyMap
}

// provider implements the resource provider protocol. Embedding the unimplemented
// server only covers what the engine never asks of an AWS provider (Construct, Call,
// Parameterize, List, GetMapping): those answer Unimplemented.
type provider struct {
	pulumirpc.UnimplementedResourceProviderServer

	mu      sync.RWMutex
	configs map[string]*config // by engine connection (connOf)
	last    *config            // the latest Configure, for a connection never configured

	// worlds are what exists in each stand-in account and region.
	worlds map[string]*world
	// latencyScale slows creates down like AWS, scaled (awsmodel.Scaled); 0 is instant.
	latencyScale float64
	// outOfBand are the changes made outside regionctl that Read reports.
	outOfBand *outOfBand
}

func newProvider(opts Options) *provider {
	return &provider{
		configs:      make(map[string]*config),
		last:         &config{region: defaultRegion, accountID: FakeAccountID},
		worlds:       map[string]*world{},
		latencyScale: opts.LatencyScale,
		outOfBand:    &outOfBand{},
	}
}

// config returns the configuration of the provider instance a call belongs to.
func (p *provider) config(ctx context.Context) *config {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if c, ok := p.configs[connOf(ctx)]; ok {
		return c
	}
	return p.last
}

// worldOf is the stand-in account and region of a call's provider instance.
func (p *provider) worldOf(ctx context.Context) *world {
	c := p.config(ctx)
	return p.world(c.region, c.accountID)
}

func (p *provider) world(region, accountID string) *world {
	p.mu.Lock()
	defer p.mu.Unlock()
	key := region + "/" + accountID
	w, ok := p.worlds[key]
	if !ok {
		w = newWorld()
		p.worlds[key] = w
	}
	return w
}

func (p *provider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: Version}, nil
}

// Handshake is the engine's first call when it attaches. The answers match Configure's.
func (p *provider) Handshake(context.Context, *pulumirpc.ProviderHandshakeRequest) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{
		AcceptSecrets:   true,
		AcceptResources: true,
		// Autonaming stays the provider's: names derive from the URN (see autoname),
		// so they are stable across runs, which the engine's proposals are not.
		SupportsAutonamingConfiguration: false,
	}, nil
}

// Attach follows Handshake for a provider the engine did not start itself. There is
// nothing to connect back to: the rehearsal provider never calls the engine.
func (p *provider) Attach(context.Context, *pulumirpc.PluginAttach) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// GetSchema answers with the package's name and version only. The engine does not
// need the schema to run a Go program; code generators would, and do not run here.
func (p *provider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: `{"name":"aws","version":"` + Version + `"}`}, nil
}

var (
	regionPattern  = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	accountPattern = regexp.MustCompile(`^[0-9]{12}$`)
)

// CheckConfig validates the provider's own inputs: a region that looks like one and
// account ids that are account ids. The inputs go back unchanged.
func (p *provider) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	var failures []*pulumirpc.CheckFailure
	fail := func(prop, format string, args ...any) {
		failures = append(failures, &pulumirpc.CheckFailure{Property: prop, Reason: fmt.Sprintf(format, args...)})
	}
	region := news["region"]
	switch {
	case region.IsNull():
		fail("region", "a region is required: set region on the aws provider")
	case region.IsString() && !regionPattern.MatchString(region.StringValue()):
		fail("region", "region %q is not an AWS region name (like eu-west-1)", region.StringValue())
	}
	for _, prop := range []resource.PropertyKey{"allowedAccountIds", "forbiddenAccountIds"} {
		ids, _ := stringList(news[prop])
		for _, id := range ids {
			if !accountPattern.MatchString(id) {
				fail(string(prop), "%q is not an AWS account id (12 digits)", id)
			}
		}
	}
	return &pulumirpc.CheckResponse{Inputs: req.GetNews(), Failures: failures}, nil
}

// DiffConfig reports what changed in the provider's configuration. Nothing forces the
// provider's replacement, which would replace every resource it manages.
func (p *provider) DiffConfig(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds, err := unmarshal(oldInputs(req))
	if err != nil {
		return nil, err
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	delete(olds, "version")
	delete(news, "version")
	return diffResponse(diffProperties(olds, news), nil, false), nil
}

// Configure records where this provider instance's resources live.
func (p *provider) Configure(ctx context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	args, err := unmarshal(req.GetArgs())
	if err != nil {
		return nil, err
	}
	c, err := parseConfig(args)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	p.mu.Lock()
	p.configs[connOf(ctx)] = c
	p.last = c
	p.mu.Unlock()
	return &pulumirpc.ConfigureResponse{
		AcceptSecrets:   true,
		AcceptResources: true,
		SupportsPreview: true,
	}, nil
}

// parseConfig reads the provider configuration from Configure's args. Structured
// values may arrive as JSON strings: some SDKs send provider inputs so.
func parseConfig(args resource.PropertyMap) (*config, error) {
	get := func(key string) resource.PropertyValue {
		return awsmodel.Unsecret(args[resource.PropertyKey(key)])
	}

	c := &config{accountID: FakeAccountID}
	region := get("region")
	if !region.IsString() || region.StringValue() == "" {
		return nil, errors.New("the aws provider has no region: set region on the provider")
	}
	c.region = region.StringValue()

	allowed, err := stringList(get("allowedAccountIds"))
	if err != nil {
		return nil, fmt.Errorf("allowedAccountIds: %w", err)
	}
	if len(allowed) > 0 {
		c.accountID = allowed[0]
	}

	tags := decodeJSON(get("defaultTags"))
	if tags.IsObject() {
		if inner := decodeJSON(awsmodel.Unsecret(tags.ObjectValue()["tags"])); inner.IsObject() {
			c.defaultTags = inner.ObjectValue()
		}
	}
	return c, nil
}

// stringList reads a list of strings given as an array or as a JSON-encoded array.
func stringList(v resource.PropertyValue) ([]string, error) {
	v = decodeJSON(awsmodel.Unsecret(v))
	if v.IsNull() || v.IsComputed() {
		return nil, nil
	}
	if !v.IsArray() {
		return nil, fmt.Errorf("want a list of strings, got %v", v)
	}
	var out []string
	for _, e := range v.ArrayValue() {
		e = awsmodel.Unsecret(e)
		if e.IsString() {
			out = append(out, e.StringValue())
		}
	}
	return out, nil
}

// decodeJSON turns a JSON-encoded array or object string into its value; anything else
// is returned as it is.
func decodeJSON(v resource.PropertyValue) resource.PropertyValue {
	if !v.IsString() {
		return v
	}
	s := v.StringValue()
	if len(s) == 0 || (s[0] != '[' && s[0] != '{') {
		return v
	}
	var decoded any
	if err := json.Unmarshal([]byte(s), &decoded); err != nil {
		return v
	}
	return resource.NewPropertyValue(decoded)
}
