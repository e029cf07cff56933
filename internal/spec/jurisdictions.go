package spec

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
)

// Jurisdictions maps a residency zone (eu) to the AWS regions where its data may live:
// the content of regions/jurisdictions.yaml.
type Jurisdictions map[string][]string

// JurisdictionsFile is the name of the jurisdictions file in a regions directory.
const JurisdictionsFile = "jurisdictions.yaml"

var jurisdictionName = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// LoadJurisdictions reads a jurisdictions file strictly: every key a lowercase name,
// every region a real AWS region, listed once. A configuration problem is returned as
// Problems.
func LoadJurisdictions(path string) (Jurisdictions, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	j, ps := parseJurisdictions(path, data)
	if err := ps.err(); err != nil {
		return nil, err
	}
	return j, nil
}

func parseJurisdictions(path string, data []byte) (Jurisdictions, Problems) {
	root, ps := parseDocument(path, data, `"eu: [eu-west-1, eu-central-1]"`)
	if root == nil {
		return nil, ps.capped()
	}
	d := newDecoder(path)
	var j Jurisdictions
	d.value(root, reflect.ValueOf(&j).Elem(), "")
	for _, name := range sortedKeys(j) {
		if len(d.probs) > maxProblems {
			break // capped anyway; a hostile file should not cost a suggestion per entry
		}
		field := mapField("", name)
		if d.bad[field] {
			continue
		}
		at := func(field string) Problem {
			p := d.pos[field]
			return Problem{Path: path, Line: p.Line, Col: p.Col, Field: field}
		}
		if !jurisdictionName.MatchString(name) {
			p := at(field)
			p.Message = fmt.Sprintf("%s is not a jurisdiction name; use lowercase letters, digits and hyphens, like eu", quote(name))
			d.probs = append(d.probs, p)
		}
		if len(j[name]) == 0 {
			p := at(field)
			p.Message = "no regions; list the regions where this jurisdiction's data may live"
			d.probs = append(d.probs, p)
		}
		first := map[string]int{}
		for i, id := range j[name] {
			item := fmt.Sprintf("%s[%d]", field, i)
			if d.bad[item] || len(d.probs) > maxProblems {
				continue
			}
			p := at(item)
			if k, dup := first[id]; dup {
				p.Message = fmt.Sprintf("%s is listed twice (first as %s[%d])", id, field, k)
				d.probs = append(d.probs, p)
				continue
			}
			first[id] = i
			if msg := regionProblem(id); msg != "" {
				p.Message = msg
				d.probs = append(d.probs, p)
			}
		}
	}
	return j, append(ps, d.probs...).capped()
}

// names lists the jurisdictions, sorted.
func (j Jurisdictions) names() []string {
	return sortedKeys(j)
}

// of lists the jurisdictions that contain region, sorted.
func (j Jurisdictions) of(region string) []string {
	var out []string
	for name, regions := range j {
		if slices.Contains(regions, region) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}
