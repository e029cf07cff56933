package spec

import (
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"
)

// decoder walks a YAML node tree against a Go value, guided by the yaml tags of its
// struct fields. Unlike yaml.Unmarshal it keeps going after a problem, knows where every
// value is written, and never converts between kinds: "3" is text, not a number.
type decoder struct {
	path  string
	probs Problems
	// pos is where each field path's value is written.
	pos map[string]Pos
	// bad holds field paths whose value could not be read or is missing; semantic
	// checks skip them so one mistake is reported once.
	bad map[string]bool
	// zeros holds number fields written as 0. Defaults treat 0 as "not set", so without
	// this an explicit 0 would silently become the default.
	zeros map[string]bool
}

func newDecoder(path string) *decoder {
	return &decoder{path: path, pos: map[string]Pos{}, bad: map[string]bool{}, zeros: map[string]bool{}}
}

func (d *decoder) add(n *yaml.Node, field, format string, args ...any) {
	d.probs = append(d.probs, Problem{
		Path: d.path, Line: n.Line, Col: n.Column, Field: shortField(field), Message: fmt.Sprintf(format, args...),
	})
}

var (
	azsType  = reflect.TypeOf(AZs{})
	dateType = reflect.TypeOf(Date(""))
)

// value decodes n into v; field is the path of v, for positions and messages.
func (d *decoder) value(n *yaml.Node, v reflect.Value, field string) {
	if n.Kind == yaml.AliasNode {
		d.bad[field] = true // reported by refuseAnchors
		return
	}
	if isCustomTag(n.Tag) {
		d.add(n, field, "tags like %s are not allowed; remove it", n.Tag)
		d.bad[field] = true
		return
	}
	t := v.Type()
	switch {
	case t == azsType:
		d.azs(n, v.Addr().Interface().(*AZs), field)
	case t.Kind() == reflect.Pointer:
		if isNull(n) {
			return
		}
		p := reflect.New(t.Elem())
		d.value(n, p.Elem(), field)
		v.Set(p)
	case t.Kind() == reflect.Struct:
		d.object(n, v, field)
	case t.Kind() == reflect.Slice:
		d.list(n, v, field)
	case t.Kind() == reflect.Map:
		d.mapping(n, v, field)
	default:
		d.scalar(n, v, field)
	}
}

// fieldInfo is what the decoder knows about one struct field.
type fieldInfo struct {
	name     string // yaml key
	index    int
	required bool // no omitempty: the file must set it
	desc     string
}

var fieldCache sync.Map // reflect.Type -> []fieldInfo

// fieldsOf lists the yaml-visible fields of a struct type in declaration order.
func fieldsOf(t reflect.Type) []fieldInfo {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]fieldInfo)
	}
	var fs []fieldInfo
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tag := sf.Tag.Get("yaml")
		if tag == "-" || !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = strings.ToLower(sf.Name)
		}
		fs = append(fs, fieldInfo{
			name:     name,
			index:    i,
			required: !strings.Contains(","+opts+",", ",omitempty,"),
			desc:     sf.Tag.Get("desc"),
		})
	}
	fieldCache.Store(t, fs)
	return fs
}

func (d *decoder) object(n *yaml.Node, v reflect.Value, field string) {
	if n.Kind != yaml.MappingNode {
		d.typeProblem(n, field, "a mapping")
		return
	}
	fields := fieldsOf(v.Type())
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key, ok := d.key(k, field)
		if !ok {
			continue
		}
		child := joinField(field, key)
		if line, dup := seen[key]; dup {
			d.add(k, child, "duplicate key; it is first set on line %d, remove one", line)
			continue
		}
		seen[key] = k.Line
		f, known := lookupField(fields, key)
		if !known {
			d.unknownField(k, child, key, fields)
			continue
		}
		d.pos[child] = Pos{Line: val.Line, Col: val.Column}
		if isNull(val) && val.Kind == yaml.ScalarNode {
			if f.required {
				d.add(val, child, "needs a value (%s)", f.desc)
				d.bad[child] = true
			}
			continue
		}
		d.value(val, v.Field(f.index), child)
	}
	for _, f := range fields {
		if _, ok := seen[f.name]; !ok && f.required {
			child := joinField(field, f.name)
			d.add(n, child, "required field is missing (%s)", f.desc)
			d.bad[child] = true
		}
	}
}

// key reads a mapping key, which must be plain text.
func (d *decoder) key(k *yaml.Node, field string) (string, bool) {
	switch {
	case k.Kind == yaml.AliasNode:
		return "", false // reported by refuseAnchors
	case k.Kind != yaml.ScalarNode:
		d.add(k, field, "a key is %s; keys must be plain text", describeNode(k))
		return "", false
	case k.ShortTag() == "!!merge":
		d.add(k, field, "merge keys (<<) are not allowed; write the fields out")
		return "", false
	case isCustomTag(k.Tag):
		d.add(k, field, "tags like %s are not allowed; remove it", k.Tag)
		return "", false
	}
	return k.Value, true
}

func lookupField(fields []fieldInfo, key string) (fieldInfo, bool) {
	for _, f := range fields {
		if f.name == key {
			return f, true
		}
	}
	return fieldInfo{}, false
}

func (d *decoder) unknownField(k *yaml.Node, child, key string, fields []fieldInfo) {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	if hint := didYouMean(key, names); hint != "" {
		d.add(k, child, "unknown field%s", hint)
		return
	}
	d.add(k, child, "unknown field; the fields here are %s", andList(names))
}

func (d *decoder) list(n *yaml.Node, v reflect.Value, field string) {
	if n.Kind != yaml.SequenceNode {
		d.typeProblem(n, field, "a list")
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, e := range n.Content {
		child := fmt.Sprintf("%s[%d]", field, i)
		d.pos[child] = Pos{Line: e.Line, Col: e.Column}
		d.value(e, s.Index(i), child)
	}
	v.Set(s)
}

// mapping decodes a YAML mapping into a Go map with text keys (tags, features,
// jurisdictions).
func (d *decoder) mapping(n *yaml.Node, v reflect.Value, field string) {
	if n.Kind != yaml.MappingNode {
		d.typeProblem(n, field, "a mapping")
		return
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key, ok := d.key(k, field)
		if !ok {
			continue
		}
		child := mapField(field, key)
		if k.ShortTag() != "!!str" {
			d.add(k, child, "the key is %s; quote it to make it text: %s", describeNode(k), quote(key))
			continue
		}
		if line, dup := seen[key]; dup {
			d.add(k, child, "duplicate key; it is first set on line %d, remove one", line)
			continue
		}
		seen[key] = k.Line
		d.pos[child] = Pos{Line: val.Line, Col: val.Column}
		e := reflect.New(v.Type().Elem()).Elem()
		if !(isNull(val) && e.Kind() == reflect.Slice) { // "eu:" is an empty list, checked as such
			d.value(val, e, child)
		}
		m.SetMapIndex(reflect.ValueOf(key).Convert(v.Type().Key()), e)
	}
	v.Set(m)
}

func (d *decoder) scalar(n *yaml.Node, v reflect.Value, field string) {
	switch v.Kind() {
	case reflect.String:
		if v.Type() == dateType && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!timestamp" {
			v.SetString(n.Value) // an unquoted date is still its text; the checks parse it
			return
		}
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
			d.typeProblem(n, field, "text")
			return
		}
		v.SetString(n.Value)
	case reflect.Int:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
			d.typeProblem(n, field, "a whole number")
			return
		}
		var i int64
		if err := n.Decode(&i); err != nil || int64(int(i)) != i {
			if numeric.MatchString(n.Value) {
				d.add(n, field, "%s is too large", n.Value)
				d.bad[field] = true
			} else {
				d.add(n, field, "want a whole number, got %s", quote(n.Value))
				d.bad[field] = true
			}
			return
		}
		v.SetInt(i)
		if i == 0 {
			d.zeros[field] = true
		}
	case reflect.Bool:
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			d.typeProblem(n, field, "true or false")
			return
		}
		var b bool
		if err := n.Decode(&b); err != nil {
			d.typeProblem(n, field, "true or false")
			return
		}
		v.SetBool(b)
	default:
		// Every field type of the region file is handled above; a new one must be too.
		panic(fmt.Sprintf("spec: decoder does not handle %s fields", v.Type()))
	}
}

// azs reads network.azs: a count or a list of AZ names.
func (d *decoder) azs(n *yaml.Node, azs *AZs, field string) {
	switch {
	case n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int":
		v := reflect.ValueOf(&azs.Count).Elem()
		d.scalar(n, v, field)
		// Report an impossible count here: ApplyDefaults sizes a slice by it.
		if azs.Count < 0 || azs.Count > MaxAZs {
			d.add(n, field, "%s", azCountProblem(azs.Count))
			d.bad[field] = true
			azs.Count = 0
		}
	case n.Kind == yaml.SequenceNode:
		d.list(n, reflect.ValueOf(&azs.Names).Elem(), field)
		if len(n.Content) == 0 {
			d.zeros[field] = true
		}
	default:
		d.typeProblem(n, field, fmt.Sprintf("a count (2 to %d) or a list of availability zone names", MaxAZs))
	}
}

var numeric = regexp.MustCompile(`^[-+]?[0-9][0-9_]*$`)

// typeProblem reports a value of the wrong kind, in words a user knows, with the fix.
func (d *decoder) typeProblem(n *yaml.Node, field, want string) {
	d.bad[field] = true
	got := describeNode(n)
	hint := ""
	switch {
	case n.Kind != yaml.ScalarNode:
	case want == "text" && n.ShortTag() != "!!null":
		hint = "; quote it: " + quote(n.Value)
	case want == "a whole number" && n.ShortTag() == "!!str" && numeric.MatchString(n.Value):
		hint = "; remove the quotes"
	case want == "true or false" && n.ShortTag() == "!!str":
		switch strings.ToLower(n.Value) {
		case "yes", "on", "y", "true":
			hint = "; write true"
		case "no", "off", "n", "false":
			hint = "; write false"
		}
	}
	d.add(n, field, "want %s, got %s%s", want, got, hint)
}

// describeNode says what a node holds, without Go or YAML type names.
func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	switch n.ShortTag() {
	case "!!str":
		return "text " + quote(n.Value)
	case "!!int":
		return "the whole number " + n.Value
	case "!!float":
		return "the number " + n.Value
	case "!!bool":
		return n.Value
	case "!!null":
		return "nothing"
	case "!!timestamp":
		return "the date " + n.Value
	case "!!binary":
		return "binary data"
	}
	return quote(n.Value)
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// isCustomTag reports an explicit tag other than YAML's own (!foo, !!python/object):
// the loader reads values by their plain YAML meaning and nothing else.
func isCustomTag(tag string) bool {
	switch tag {
	case "", "!!str", "!!int", "!!float", "!!bool", "!!null", "!!map", "!!seq", "!!timestamp", "!!binary", "!!merge":
		return false
	}
	return true
}

func joinField(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// mapField is the path of a map entry: tags.costCenter, or tags["cost center"] when the
// key would be ambiguous after a dot.
func mapField(parent, key string) string {
	if plainKey.MatchString(key) {
		return joinField(parent, key)
	}
	return parent + "[" + strconv.Quote(key) + "]"
}

// parentField strips the last element of a field path: servers[1].name → servers[1] →
// servers → "".
func parentField(field string) string {
	i := strings.LastIndexAny(field, ".[")
	if i < 0 {
		return ""
	}
	// A quoted map key can hold dots and brackets; step over it whole.
	if strings.HasSuffix(field, "\"]") {
		if j := strings.LastIndex(field, "[\""); j >= 0 {
			return field[:j]
		}
	}
	return field[:i]
}

// maxFieldLen bounds a field path in a message; only pasted or hostile keys get there.
const maxFieldLen = 100

// shortField shortens a field path for display.
func shortField(field string) string {
	if r := []rune(field); len(r) > maxFieldLen {
		return string(r[:maxFieldLen]) + "..."
	}
	return field
}
