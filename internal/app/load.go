package app

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/regionctl/regionctl/internal/engine"
	"github.com/regionctl/regionctl/internal/spec"
)

// session is one engine command's backend, runner and regions.
type session struct {
	env     *Env
	backend engine.Backend
	runner  Runner
	regions []*spec.Region
	// orphans are regions deployed in the backend whose region file is gone; they can
	// be destroyed and read, never previewed or applied.
	orphans map[string]bool
}

// Load loads the named region files (all when none); a folder that cannot be read as
// one is a ConfigError.
func (e *Env) Load(ids []string) ([]*spec.Region, error) {
	regions, err := spec.LoadDir(e.RegionsDir, ids...)
	var ps spec.Problems
	if err != nil && !errors.As(err, &ps) {
		return nil, &ConfigError{Err: err}
	}
	return regions, err
}

// open loads the regions and opens the backend. withOrphans lets a named region whose
// file is gone stand for its stack in the backend (destroy, outputs).
func (e *Env) open(ctx context.Context, req EngineRequest, settings engine.Settings, readOnly, withOrphans bool) (*session, error) {
	ids := req.Regions
	var missing []string
	if withOrphans && len(ids) > 0 {
		have, err := spec.RegionIDs(e.RegionsDir)
		if err != nil {
			return nil, err
		}
		var present []string
		for _, id := range ids {
			if slices.Contains(have, id) {
				present = append(present, id)
			} else {
				missing = append(missing, id)
			}
		}
		ids = present
	}
	var regions []*spec.Region
	if len(ids) > 0 || len(missing) == 0 {
		var err error
		if regions, err = e.Load(ids); err != nil {
			return nil, err
		}
	}
	resolve := engine.ResolveBackend
	if readOnly {
		resolve = engine.ResolveBackendReadOnly
	}
	backend, err := resolve(req.StateURL, req.Rehearse, e.Getenv)
	if err != nil {
		return nil, &UsageError{Msg: err.Error()}
	}
	settings.Backend, settings.Rehearse = backend, req.Rehearse
	runner, err := e.NewRunner(settings)
	if err != nil {
		return nil, err
	}
	s := &session{env: e, backend: backend, runner: runner, regions: regions, orphans: map[string]bool{}}
	if len(missing) > 0 {
		if err := s.addOrphans(ctx, missing); err != nil {
			runner.Close()
			return nil, err
		}
	}
	return s, nil
}

// addOrphans adds the regions that have a stack but no file; a region with neither
// is refused as the loader would refuse it.
func (s *session) addOrphans(ctx context.Context, ids []string) error {
	stacks, err := s.runner.Stacks(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if !slices.ContainsFunc(stacks, func(st engine.StackSummary) bool { return st.Region == id }) {
			// No file and no stack: let the loader say so, with its did-you-mean.
			_, err := s.env.Load([]string{id})
			if err == nil {
				err = errors.New("region " + id + " has neither a region file nor a stack")
			}
			return err
		}
		s.regions = append(s.regions, Orphan(id))
		s.orphans[id] = true
	}
	return nil
}

// Orphan stands for a deployed region whose file is gone: enough to find its stack,
// never a program to run.
func Orphan(id string) *spec.Region { return &spec.Region{Region: id} }

func (s *session) close() { s.runner.Close() }

func regionIDs(regions []*spec.Region) []string {
	ids := make([]string, len(regions))
	for i, r := range regions {
		ids[i] = r.Region
	}
	return ids
}

func joinIDs(regions []*spec.Region) string { return strings.Join(regionIDs(regions), ", ") }
