package spec

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"testing"
)

const schemaFile = "../../regions/schema.json"

func TestSchemaInSync(t *testing.T) {
	got, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(schemaFile, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("regions/schema.json is stale; run go test ./internal/spec -run TestSchemaInSync -update")
	}
}

func TestSchemaIsDeterministic(t *testing.T) {
	a, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		b, _ := Schema()
		if !bytes.Equal(a, b) {
			t.Fatal("Schema output differs between calls")
		}
	}
}

// TestSchemaShape checks the parts editors rely on, and that every pattern is one Go
// compiles too (the checks use the same expressions).
func TestSchemaShape(t *testing.T) {
	data, err := Schema()
	if err != nil {
		t.Fatal(err)
	}
	var s map[string]any
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	if s["$schema"] != "http://json-schema.org/draft-07/schema#" || s["additionalProperties"] != false {
		t.Errorf("root: $schema %v, additionalProperties %v", s["$schema"], s["additionalProperties"])
	}
	req := s["required"].([]any)
	if len(req) != 5 { // region, jurisdiction, accountId, network, alarms
		t.Errorf("required = %v", req)
	}
	defs := s["definitions"].(map[string]any)
	for _, name := range []string{"Network", "Server", "LoadBalancer", "Database", "Cache", "Queue", "Bucket", "Alarms", "Logs"} {
		d, ok := defs[name].(map[string]any)
		if !ok || d["additionalProperties"] != false {
			t.Errorf("definition %s: %v", name, d)
		}
	}
	azs := defs["Network"].(map[string]any)["properties"].(map[string]any)["azs"].(map[string]any)
	if len(azs["oneOf"].([]any)) != 3 { // count, names, or null (left out)
		t.Errorf("azs: %v", azs)
	}
	engine := defs["Database"].(map[string]any)["properties"].(map[string]any)["engine"].(map[string]any)
	if len(engine["enum"].([]any)) != 2 || engine["description"] == "" {
		t.Errorf("database engine: %v", engine)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if p, ok := v["pattern"].(string); ok {
				if _, err := regexp.Compile(p); err != nil {
					t.Errorf("pattern %q: %v", p, err)
				}
			}
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(s)
}
