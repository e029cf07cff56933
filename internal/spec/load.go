package spec

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
)

// LoadFile reads one region file: strict decoding, defaults, then every semantic check.
// Problems in the file are returned together as Problems; j is the content of
// jurisdictions.yaml (LoadJurisdictions), against which the region's jurisdiction is
// always checked. Cross-region checks (CIDR overlap) need LoadDir.
func LoadFile(path string, j Jurisdictions) (*Region, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, data, j)
}

// Load is LoadFile for content already read; path names it in problems and must end in
// <region>.yaml.
func Load(path string, data []byte, j Jurisdictions) (*Region, error) {
	r, ps := load(path, data, j, true)
	if err := ps.err(); err != nil {
		return nil, err
	}
	return r, nil
}

// load decodes, defaults and checks one region. It returns the region even when there
// are problems (nil only when the file is not a YAML mapping), so cross-file checks can
// still use what was readable.
func load(path string, data []byte, j Jurisdictions, checkJurisdiction bool) (*Region, Problems) {
	root, ps := parseDocument(path, data, `"region: eu-west-1"`)
	if root == nil {
		return nil, ps.capped()
	}
	d := newDecoder(path)
	d.pos[""] = Pos{Line: root.Line, Col: root.Column}
	r := &Region{}
	d.value(root, reflect.ValueOf(r).Elem(), "")
	r.Source = &Source{Path: path, Positions: d.pos}
	ApplyDefaults(r)
	return r, append(ps, append(d.probs, validate(r, d, j, checkJurisdiction)...)...).capped()
}

// LoadDir loads the regions of a directory: <dir>/jurisdictions.yaml and every other
// <dir>/*.yaml. With ids it returns those regions, in that order; without, all of them
// sorted by id. Problems of the returned regions (and of jurisdictions.yaml) come back
// together as Problems; cross-region checks always look at every file.
func LoadDir(dir string, ids ...string) ([]*Region, error) {
	jpath := filepath.Join(dir, JurisdictionsFile)
	jdata, err := readFile(jpath)
	if err != nil {
		return nil, err
	}
	j, problems := parseJurisdictions(jpath, jdata)
	// Region files are not blamed for a broken jurisdictions file.
	jurisdictionsOK := len(problems) == 0

	files, err := regionFiles(dir)
	if err != nil {
		return nil, err
	}
	wanted, err := selectFiles(dir, files, ids)
	if err != nil {
		return nil, err
	}

	type loaded struct {
		region   *Region
		problems Problems
	}
	all := map[string]*loaded{}
	for id, path := range files {
		l := &loaded{}
		data, err := readFile(path)
		var tooBig Problems
		switch {
		case errors.As(err, &tooBig):
			l.problems = tooBig
		case err != nil:
			return nil, err
		case !strings.HasSuffix(path, ".yaml"):
			l.problems = Problems{{Path: path, Line: 1, Col: 1,
				Message: fmt.Sprintf("region files end in .yaml; rename it to %s.yaml", id)}}
		default:
			l.region, l.problems = load(path, data, j, jurisdictionsOK)
		}
		all[id] = l
	}
	var regions []*Region
	for _, r := range all {
		if r.region != nil {
			regions = append(regions, r.region)
		}
	}
	for _, p := range cidrOverlaps(regions) {
		id := strings.TrimSuffix(filepath.Base(p.Path), ".yaml")
		all[id].problems = append(all[id].problems, p)
	}

	var out []*Region
	for _, id := range wanted {
		l := all[id]
		problems = append(problems, l.problems...)
		out = append(out, l.region)
	}
	if err := problems.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// regionFiles maps a region id (file name without extension) to its file. .yml files
// are listed too, so a misnamed file is reported rather than silently skipped;
// jurisdictions.yaml and fleet.yaml are not region files.
func regionFiles(dir string) (map[string]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading regions directory: %w", err)
	}
	files := map[string]string{}
	for _, e := range entries {
		name := e.Name()
		ext := filepath.Ext(name)
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") || name == JurisdictionsFile || name == FleetFile {
			continue
		}
		id := strings.TrimSuffix(name, ext)
		if _, dup := files[id]; dup {
			return nil, fmt.Errorf("%s has both %s.yaml and %s.yml; keep %s.yaml", dir, id, id, id)
		}
		files[id] = filepath.Join(dir, name)
	}
	return files, nil
}

// RegionIDs lists the ids of the region files in dir, sorted, without loading them
// (shell completion, finding stacks whose file is gone).
func RegionIDs(dir string) ([]string, error) {
	files, err := regionFiles(dir)
	if err != nil {
		return nil, err
	}
	return sortedKeys(files), nil
}

// selectFiles resolves the requested ids (all, sorted, when none) against the files.
func selectFiles(dir string, files map[string]string, ids []string) ([]string, error) {
	available := sortedKeys(files)
	if len(ids) == 0 {
		return available, nil
	}
	var out []string
	seen := map[string]bool{}
	for _, id := range ids {
		if _, ok := files[id]; !ok {
			list := "there are none"
			if len(available) > 0 {
				list = "available: " + strings.Join(available, ", ")
			}
			return nil, fmt.Errorf("no region file %s in %s%s; %s", filepath.Join(dir, id+".yaml"), dir, didYouMean(id, available), list)
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}

// cidrOverlaps reports every pair of regions whose VPC blocks overlap, on both files: the
// blocks must stay disjoint so regions can be peered later.
func cidrOverlaps(regions []*Region) Problems {
	sort.Slice(regions, func(i, j int) bool { return regions[i].Source.Path < regions[j].Source.Path })
	var ps Problems
	report := func(r, other *Region) {
		p, q := r.Source.Positions["network.cidr"], other.Source.Positions["network.cidr"]
		ps = append(ps, Problem{Path: r.Source.Path, Line: p.Line, Col: p.Col, Field: "network.cidr",
			Message: fmt.Sprintf("%s overlaps %s of %s (%s:%d:%d); pick a block no other region uses",
				r.Network.CIDR, other.Network.CIDR, other.Region, other.Source.Path, q.Line, q.Col)})
	}
	for i, a := range regions {
		pa, ok := vpcPrefix(a.Network.CIDR)
		if !ok {
			continue
		}
		for _, b := range regions[i+1:] {
			if pb, ok := vpcPrefix(b.Network.CIDR); ok && pa.Overlaps(pb) {
				report(a, b)
				report(b, a)
			}
		}
	}
	return ps
}

// readFile reads a configuration file, refusing one over MaxFileSize before reading it
// whole.
func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		size := len(data)
		if st, err := f.Stat(); err == nil {
			size = int(st.Size())
		}
		return nil, Problems{{Path: path, Line: 1, Col: 1,
			Message: fmt.Sprintf("file is %s; configuration files are limited to 1 MiB", sizeText(size))}}
	}
	return data, nil
}
