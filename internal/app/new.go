package app

import (
	"context"
	"errors"
	"fmt"
	"github.com/regionctl/regionctl/internal/estimate"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/regionctl/regionctl/internal/policy"
	"github.com/regionctl/regionctl/internal/scaffold"
	"github.com/regionctl/regionctl/internal/spec"
	"github.com/regionctl/regionctl/internal/spec/awsregions"
)

// NewRequest asks for the region file of a new region.
type NewRequest struct {
	Region       string
	Jurisdiction string
	// From is the region whose file to start from; "" starts from the template.
	From string
	// AccountID is the new region's account; "" keeps the source's.
	AccountID string
	// Facts answers which zones and classes the region has; nil uses awsmodel's tables.
	Facts scaffold.Facts
	// AlarmEmail and AlarmHTTPS are where the region's alarms go; the template needs
	// both, a --from region's are kept when left out.
	AlarmEmail, AlarmHTTPS string
}

// NewResult is the region file written and what in it differs from its source.
type NewResult struct {
	Path   string `json:"path"`
	Region string `json:"region"`
	From   string `json:"from,omitempty"`
	// Changes are the values adapted to the new region, each with its reason.
	Changes []scaffold.Change `json:"changes"`
	// Notes are things kept that a person should know.
	Notes []string `json:"notes"`
	// Estimate is the new region's stand-up time and monthly cost (nil when the
	// environment has no planner).
	Estimate *estimate.Estimate `json:"estimate,omitempty"`
}

// New writes regions/<req.Region>.yaml for a new region, from the file of req.From or
// from the template. The file is checked in memory before anything is written (it must
// load, and plan offline without a denied guardrail), and it appears whole or not at
// all. Every refusal is a ConfigError (exit 4) naming the fix.
func (e *Env) New(ctx context.Context, req NewRequest) (*NewResult, error) {
	if req.Facts == nil {
		req.Facts = scaffold.AWSFacts{}
	}
	j, err := spec.LoadJurisdictions(filepath.Join(e.RegionsDir, spec.JurisdictionsFile))
	if err != nil {
		var ps spec.Problems
		if errors.As(err, &ps) {
			return nil, err
		}
		return nil, &ConfigError{Err: err}
	}
	info, err := e.checkNew(req, j)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(e.RegionsDir, req.Region+".yaml")
	sreq := scaffold.Request{
		Region: req.Region, Jurisdiction: req.Jurisdiction, Description: info.Description,
		AccountID: req.AccountID, From: req.From, Facts: req.Facts,
		AlarmEmail: req.AlarmEmail, AlarmHTTPS: req.AlarmHTTPS,
	}
	if req.From != "" {
		if _, err := e.Load([]string{req.From}); err != nil {
			return nil, fmt.Errorf("--from %s: its region file must be valid to start from: %w", req.From, err)
		}
		if sreq.Source, err = os.ReadFile(filepath.Join(e.RegionsDir, req.From+".yaml")); err != nil {
			return nil, &ConfigError{Err: err}
		}
	}
	if sreq.Taken, err = takenBlocks(e.RegionsDir); err != nil {
		return nil, &ConfigError{Err: err}
	}
	res, err := scaffold.Generate(sreq)
	if err != nil {
		return nil, &ConfigError{Err: err}
	}
	if err := e.checkGenerated(ctx, path, res.Data, j); err != nil {
		return nil, err
	}
	if err := writeNew(path, res.Data); err != nil {
		return nil, err
	}
	out := &NewResult{Path: path, Region: req.Region, From: req.From, Changes: nonNil(res.Changes), Notes: nonNil(res.Notes)}
	out.Estimate = e.estimateOf(ctx, req.Region)
	return out, nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// checkNew refuses a request that cannot make a region file: an unknown region or
// jurisdiction, a region outside the jurisdiction, a file that exists, an unknown --from.
func (e *Env) checkNew(req NewRequest, j spec.Jurisdictions) (awsregions.Region, error) {
	refuse := func(format string, args ...any) (awsregions.Region, error) {
		return awsregions.Region{}, &ConfigError{Err: fmt.Errorf(format, args...)}
	}
	info, ok := awsregions.Lookup(req.Region)
	if !ok || info.Global {
		return refuse("%q is not an AWS region (not in the region list of aws-sdk-go-v2 %s)%s",
			req.Region, awsregions.SDKVersion, spec.DidYouMean(req.Region, deployable()))
	}
	jfile := filepath.Join(e.RegionsDir, spec.JurisdictionsFile)
	names := sortedNames(j)
	regions, ok := j[req.Jurisdiction]
	if !ok {
		return refuse("jurisdiction %q is not in %s (%s)%s", req.Jurisdiction, jfile, strings.Join(names, ", "), spec.DidYouMean(req.Jurisdiction, names))
	}
	if !slices.Contains(regions, req.Region) {
		var holding []string
		for _, n := range names {
			if slices.Contains(j[n], req.Region) {
				holding = append(holding, n)
			}
		}
		fix := fmt.Sprintf("add it to a jurisdiction in %s first, if its data may live there", jfile)
		if len(holding) > 0 {
			fix = "pick --jurisdiction " + strings.Join(holding, " or --jurisdiction ")
		}
		return refuse("%s is not in jurisdiction %s (%s: %s); %s", req.Region, req.Jurisdiction, req.Jurisdiction, strings.Join(regions, ", "), fix)
	}
	path := filepath.Join(e.RegionsDir, req.Region+".yaml")
	if _, err := os.Lstat(path); err == nil {
		return refuse("%s exists; edit it, or delete it first", path)
	}
	if req.From == "" {
		if req.AccountID == "" {
			return refuse("a region from the template needs its account: pass --account ID (or --from REGION to copy one)")
		}
		if req.AlarmEmail == "" || req.AlarmHTTPS == "" {
			return refuse("a region from the template needs where its alarms go: pass --alarm-email ADDRESS and --alarm-https URL (a paging endpoint that confirms itself, as ha.alarm-endpoint requires), or --from REGION to copy one's")
		}
		if !strings.HasPrefix(req.AlarmHTTPS, "https://") {
			return refuse("--alarm-https %q: give an https:// URL of a paging endpoint", req.AlarmHTTPS)
		}
		return info, nil
	}
	ids, err := spec.RegionIDs(e.RegionsDir)
	if err != nil {
		return refuse("%v", err)
	}
	if !slices.Contains(ids, req.From) {
		list := "there are none; leave --from out to start from the template"
		if len(ids) > 0 {
			list = "available: " + strings.Join(ids, ", ")
		}
		return refuse("--from %s: no region file %s%s; %s", req.From, filepath.Join(e.RegionsDir, req.From+".yaml"), spec.DidYouMean(req.From, ids), list)
	}
	return info, nil
}

func deployable() []string {
	var out []string
	for _, id := range awsregions.IDs() {
		if r, _ := awsregions.Lookup(id); !r.Global {
			out = append(out, id)
		}
	}
	return out
}

func sortedNames(j spec.Jurisdictions) []string {
	names := make([]string, 0, len(j))
	for n := range j {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// takenBlocks reads network.cidr of every region file in dir, valid or not: a new block
// must overlap none of them.
func takenBlocks(dir string) ([]netip.Prefix, error) {
	ids, err := spec.RegionIDs(dir)
	if err != nil {
		return nil, err
	}
	var out []netip.Prefix
	for _, id := range ids {
		for _, ext := range []string{".yaml", ".yml"} {
			data, err := os.ReadFile(filepath.Join(dir, id+ext))
			if err != nil {
				continue
			}
			var f struct {
				Network struct {
					CIDR string `yaml:"cidr"`
				} `yaml:"network"`
			}
			if yaml.Unmarshal(data, &f) != nil {
				continue // the file's own validation reports it
			}
			if p, err := netip.ParsePrefix(f.Network.CIDR); err == nil {
				out = append(out, p.Masked())
			}
		}
	}
	return out, nil
}

// checkGenerated loads the new file from memory and plans it offline: a file that does
// not load, or that the guardrails deny, is a bug of `regionctl new`, never written.
func (e *Env) checkGenerated(ctx context.Context, path string, data []byte, j spec.Jurisdictions) error {
	bug := func(err error) error {
		return fmt.Errorf("regionctl new made a region file that does not pass its checks (a bug: please report it with the command line); nothing written: %w", err)
	}
	r, err := spec.Load(path, data, j)
	if err != nil {
		return bug(err)
	}
	if ps := policy.CheckFile(r, e.Now()); len(ps) > 0 {
		return bug(ps)
	}
	if e.Planner == nil {
		return nil
	}
	manifests, err := e.Planner.Plan(ctx, []*spec.Region{r})
	if err != nil {
		return bug(err)
	}
	for _, m := range manifests {
		if err := deniedBy(policy.Evaluate(r, j, m, e.Now())); err != nil {
			return bug(err)
		}
	}
	return nil
}

// writeNew writes data to path through a temporary file in the same folder, so the
// region file appears whole or not at all, and never replaces a file that appeared
// meanwhile.
func writeNew(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	// A hard link publishes the file only if the name is free; where links are not
	// supported, rename after checking.
	if err = os.Link(tmp.Name(), path); err == nil {
		return os.Remove(tmp.Name())
	}
	if errors.Is(err, os.ErrExist) {
		return &ConfigError{Err: fmt.Errorf("%s exists; edit it, or delete it first", path)}
	}
	if _, statErr := os.Lstat(path); statErr == nil {
		err = &ConfigError{Err: fmt.Errorf("%s exists; edit it, or delete it first", path)}
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
