package engine

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/regionctl/regionctl/internal/engine/rehearsal"
)

// RehearsalResource is a resource of a rehearsal stack's state: its inputs, for an
// out-of-band change to start from. The state must be the rehearsal's own (a local
// folder), read directly.
func RehearsalResource(b Backend, regionID, typ, name string) (map[string]any, error) {
	dir, ok := localDir(b.URL)
	if !ok {
		return nil, fmt.Errorf("the rehearsal state is a local folder, not %s", redact(b.URL))
	}
	st, err := readCheckpointFile(filepath.Join(dir, filepath.FromSlash(checkpointPath(regionID))))
	if err != nil || st.Managed() == 0 {
		return nil, fmt.Errorf("region %q is not deployed in the rehearsal; run `regionctl up %s --rehearse --yes` first", regionID, regionID)
	}
	var names []string
	for _, r := range st.Resources {
		if !r.Custom || string(r.Type) != typ {
			continue
		}
		if r.URN.Name() == name {
			return r.Inputs, nil
		}
		names = append(names, r.URN.Name())
	}
	slices.Sort(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("region %q has no resource of type %s in the rehearsal state", regionID, typ)
	}
	return nil, fmt.Errorf("region %q has no %s named %s; it has: %v", regionID, typ, name, names)
}

// OutOfBandFile is the file of a rehearsal region's out-of-band changes.
func (b Backend) OutOfBandFile(regionID string) string {
	return rehearsal.OutOfBandFile(b.Root, regionID)
}
