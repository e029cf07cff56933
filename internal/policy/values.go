package policy

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/regionctl/regionctl/internal/manifest"
)

// Inputs are plain JSON values (manifest.Plain): maps, lists, strings, numbers, bools,
// with manifest.UnknownMask for what a preview cannot know before apply and
// manifest.SecretMask for secrets. These helpers read them without panicking on a
// shape a provider version changed.

// get follows keys through nested maps; nil when any step is missing.
func get(m map[string]any, path ...string) any {
	var v any = m
	for _, k := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

// str is the string at path, "" when absent or not a string.
func str(m map[string]any, path ...string) string {
	s, _ := get(m, path...).(string)
	return s
}

// unknown reports a value a preview only learns at apply.
func unknown(v any) bool {
	s, ok := v.(string)
	return ok && (s == manifest.UnknownMask || s == manifest.SecretMask)
}

// truth reads a boolean written as a bool or as text ("true": launch template EBS
// settings are strings). known is false for an unknown value.
func truth(v any) (val, known bool) {
	switch b := v.(type) {
	case bool:
		return b, true
	case string:
		if unknown(b) {
			return false, false
		}
		p, err := strconv.ParseBool(b)
		return p && err == nil, true
	}
	return false, true // absent: the provider default, which is false for every flag read here
}

// isTrue is true for true and for a value not known before apply: the guardrails only
// refuse what they can see is wrong.
func isTrue(v any) bool {
	val, known := truth(v)
	return val || !known
}

// number reads a number, or text holding one; ok is false when absent or unknown.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case string:
		f, err := strconv.ParseFloat(n, 64)
		return f, err == nil
	}
	return 0, false
}

// list is v as a list; nil when it is not one.
func list(v any) []any {
	l, _ := v.([]any)
	return l
}

// strs are the strings of a list (unknown ones included as the mask).
func strs(v any) []string {
	var out []string
	for _, e := range list(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// walk calls fn for every string in v with its path (rules[0].destination.bucket),
// descending into text that holds JSON (policies, redrive policies), so an ARN inside a
// policy document is seen like any other.
func walk(v any, path string, fn func(path, s string)) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range manifest.SortedKeys(x) {
			walk(x[k], joinPath(path, k), fn)
		}
	case []any:
		for i, e := range x {
			walk(e, fmt.Sprintf("%s[%d]", path, i), fn)
		}
	case string:
		if doc, ok := jsonText(x); ok {
			walk(doc, path, fn)
			return
		}
		fn(path, x)
	}
}

// visitMaps calls fn for every map in v, at any depth (JSON text included), with its
// path.
func visitMaps(v any, path string, fn func(path string, m map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		fn(path, x)
		for _, k := range manifest.SortedKeys(x) {
			visitMaps(x[k], joinPath(path, k), fn)
		}
	case []any:
		for i, e := range x {
			visitMaps(e, fmt.Sprintf("%s[%d]", path, i), fn)
		}
	case string:
		if doc, ok := jsonText(x); ok {
			visitMaps(doc, path, fn)
		}
	}
}

// jsonText decodes text that holds a JSON object or list.
func jsonText(s string) (any, bool) {
	t := strings.TrimSpace(s)
	if len(t) < 2 || (t[0] != '{' && t[0] != '[') {
		return nil, false
	}
	var doc any
	if err := json.Unmarshal([]byte(t), &doc); err != nil {
		return nil, false
	}
	return doc, true
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// distinct returns the sorted distinct non-empty known strings of values.
func distinct(values []string) []string {
	seen := map[string]bool{}
	for _, v := range values {
		if v != "" && !unknown(v) {
			seen[v] = true
		}
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// quote writes a value from the inputs in a message.
func quote(s string) string { return strconv.Quote(s) }

// andList joins items as "a", "a and b", "a, b and c".
func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
