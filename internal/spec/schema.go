package spec

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// Schema returns a JSON Schema (draft-07) of region files, for editors: completion,
// hover text and early errors. It is derived from the types (yaml tags, desc and enum
// tags, omitempty for optional fields) plus the limits the checks enforce, so it cannot
// drift from the loader; regions/schema.json is a copy a test keeps current. The loader
// remains the authority: some checks (file name, jurisdictions, overlaps) need more
// than a schema can say.
func Schema() ([]byte, error) {
	g := &schemaGen{defs: map[string]any{}}
	root := g.object(reflect.TypeOf(Region{}))
	root["$schema"] = "http://json-schema.org/draft-07/schema#"
	root["$id"] = "https://github.com/regionctl/regionctl/regions/schema.json"
	root["title"] = "regionctl region file"
	root["description"] = "One hosting region: regions/<region>.yaml. Validate with regionctl validate."
	root["definitions"] = g.defs

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("encoding the region file schema: %w", err)
	}
	return buf.Bytes(), nil
}

type schemaGen struct {
	defs map[string]any
}

// object is the schema of a struct: its yaml fields, no others.
func (g *schemaGen) object(t reflect.Type) map[string]any {
	limits := schemaLimits()
	props := map[string]any{}
	required := []string{}
	for _, f := range fieldsOf(t) {
		sf := t.Field(f.index)
		p := g.of(sf.Type)
		if enum := sf.Tag.Get("enum"); enum != "" {
			p["enum"] = strings.Split(enum, ",")
		}
		for k, v := range limits[t.Name()+"."+f.name] {
			p[k] = v
		}
		if !f.required {
			p = orNull(p)
		} else if ref, ok := p["$ref"]; ok {
			// Keywords next to $ref are ignored in draft-07; wrap it to carry a description.
			p = map[string]any{"allOf": []any{map[string]any{"$ref": ref}}}
		}
		if f.desc != "" {
			p["description"] = f.desc
		}
		props[f.name] = p
		if f.required {
			required = append(required, f.name)
		}
	}
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

// orNull also accepts null, as the loader does for an optional field written without a
// value ("caches:").
func orNull(p map[string]any) map[string]any {
	null := map[string]any{"type": "null"}
	switch {
	case p["$ref"] != nil:
		return map[string]any{"anyOf": []any{p, null}}
	case p["oneOf"] != nil:
		p["oneOf"] = append(p["oneOf"].([]any), null)
	case p["type"] != nil:
		p["type"] = []any{p["type"], "null"}
		switch enum := p["enum"].(type) {
		case []string:
			p["enum"] = append(stringsToAny(enum), nil)
		case []int:
			p["enum"] = append(intsToAny(enum), nil)
		}
	}
	return p
}

func stringsToAny(v []string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = s
	}
	return out
}

func intsToAny(v []int) []any {
	out := make([]any, len(v))
	for i, n := range v {
		out[i] = n
	}
	return out
}

// of is the schema of a field type; struct types go to definitions and are referenced.
func (g *schemaGen) of(t reflect.Type) map[string]any {
	switch {
	case t == azsType:
		return map[string]any{"oneOf": []any{
			map[string]any{"type": "integer", "minimum": 2, "maximum": MaxAZs},
			map[string]any{"type": "array", "minItems": 2, "maxItems": MaxAZs, "uniqueItems": true,
				"items": map[string]any{"type": "string", "pattern": azNamePattern}},
		}}
	case t.Kind() == reflect.Pointer:
		return g.of(t.Elem())
	case t.Kind() == reflect.Struct:
		if _, done := g.defs[t.Name()]; !done {
			g.defs[t.Name()] = nil // reserve: breaks recursion
			g.defs[t.Name()] = g.object(t)
		}
		return map[string]any{"$ref": "#/definitions/" + t.Name()}
	case t.Kind() == reflect.Slice:
		return map[string]any{"type": "array", "items": g.of(t.Elem())}
	case t.Kind() == reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.of(t.Elem())}
	case t.Kind() == reflect.String:
		return map[string]any{"type": "string"}
	case t.Kind() == reflect.Int:
		return map[string]any{"type": "integer"}
	case t.Kind() == reflect.Bool:
		return map[string]any{"type": "boolean"}
	}
	panic(fmt.Sprintf("spec: schema does not handle %s fields", t))
}

// schemaLimits are the checks' limits as schema keywords, keyed by Go type and yaml name.
func schemaLimits() map[string]map[string]any {
	return map[string]map[string]any{
		"Region.region":       {"enum": deployableRegions()},
		"Region.jurisdiction": {"pattern": jurisdictionName.String()},
		"Region.accountId":    {"pattern": accountIDPattern},
		"Region.tags": {
			"maxProperties":        maxTags,
			"propertyNames":        map[string]any{"minLength": 1, "maxLength": maxTagKeyLen, "not": map[string]any{"pattern": "^[aA][wW][sS]:"}},
			"additionalProperties": map[string]any{"type": "string", "maxLength": maxTagValueLen},
		},
		"Region.features": {"propertyNames": map[string]any{"pattern": featureNamePattern}},

		"Network.cidr": {"pattern": `^[0-9]{1,3}(\.[0-9]{1,3}){3}/(1[6-9]|20)$`},

		"Server.name":            {"pattern": resourceNamePattern, "maxLength": maxServerName},
		"Server.instanceType":    {"pattern": instanceTypePattern},
		"Server.min":             {"minimum": 0, "maximum": maxFleetSize},
		"Server.max":             {"minimum": 0, "maximum": maxFleetSize},
		"Server.desired":         {"minimum": 0, "maximum": maxFleetSize},
		"Server.port":            {"minimum": 1, "maximum": 65535},
		"Server.healthCheckPath": {"pattern": "^/", "maxLength": maxHealthCheckPath},
		"Server.volumeSizeGiB":   {"minimum": minVolumeSizeGiB, "maximum": maxVolumeSizeGiB},
		"LoadBalancer.certificateArn": {
			"pattern": `^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[0-9a-f-]{36}$`,
		},

		"Database.name":                {"pattern": resourceNamePattern, "maxLength": maxDatabaseName},
		"Database.engineVersion":       {"minLength": 1},
		"Database.instanceClass":       {"pattern": dbClassPattern},
		"Database.instances":           {"minimum": minDBInstances, "maximum": maxDBInstances},
		"Database.backupRetentionDays": {"minimum": minBackupDays, "maximum": maxBackupDays},
		"Database.backupWindow":        {"pattern": backupWindowPattern},
		"Database.maintenanceWindow":   {"pattern": maintenanceWindowPattern},

		"Cache.name":          {"pattern": resourceNamePattern, "maxLength": maxCacheName},
		"Cache.engineVersion": {"pattern": redisVersion.String()},
		"Cache.nodeType":      {"pattern": cacheNodePattern},
		"Cache.replicas":      {"minimum": minCacheReplicas, "maximum": maxCacheReplicas},

		"Queue.name":                     {"pattern": queueNamePattern, "maxLength": maxQueueName - len(dlqSuffix)},
		"Queue.visibilityTimeoutSeconds": {"minimum": 1, "maximum": maxVisibilitySeconds},
		"Queue.maxReceiveCount":          {"minimum": 1, "maximum": maxReceiveCount},
		"Queue.retentionSeconds":         {"minimum": minRetentionSeconds, "maximum": maxRetentionSeconds},
		"Queue.maxAgeAlarmSeconds":       {"minimum": 1},

		"Bucket.name":                  {"pattern": bucketNamePattern, "maxLength": maxBucketName - len("--123456789012") - shortestRegionID()},
		"Bucket.noncurrentVersionDays": {"minimum": 0},

		"Alarms.email": {"format": "email", "minLength": 3},

		"Logs.retentionDays": {"enum": logRetentionDays},

		"Waiver.rule":       {"pattern": ruleID.String()},
		"Waiver.resource":   {"pattern": `^(\*|network|key|alarms|region|(fleet|database|cache|queue|bucket)/.+)$`},
		"Waiver.reason":     {"minLength": 1},
		"Waiver.expires":    {"pattern": datePattern},
		"Allowance.replace": {"pattern": dataStoreRefPattern},
		"Allowance.delete":  {"pattern": dataStoreRefPattern},
		"Allowance.reason":  {"minLength": 1},
		"Allowance.expires": {"pattern": datePattern},
	}
}

// shortestRegionID is the length of the shortest region id: the schema can only give
// the loosest bucket name limit, the loader checks the exact one.
func shortestRegionID() int {
	n := maxBucketName
	for _, id := range deployableRegions() {
		n = min(n, len(id))
	}
	return n
}
