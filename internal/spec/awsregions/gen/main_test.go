package main

import (
	"bytes"
	"os"
	"testing"
)

func TestGeneratedFileIsCurrent(t *testing.T) {
	want, err := generate()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../zz_generated.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("internal/spec/awsregions/zz_generated.go is stale; run go generate ./internal/spec/awsregions")
	}
}

func TestParsePartitions(t *testing.T) {
	data := []byte(`{"version":"1.1","partitions":[
	  {"id":"aws","regionRegex":"^(us|eu)\\-\\w+\\-\\d+$","regions":{
	    "eu-west-1":{"description":"Europe (Ireland)"},
	    "aws-global":{"description":"aws global region"}}},
	  {"id":"aws-cn","regionRegex":"^cn\\-\\w+\\-\\d+$","regions":{
	    "cn-north-1":{"description":"China (Beijing)"}}}]}`)
	got, err := parsePartitions(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []region{
		{ID: "aws-global", Partition: "aws", Description: "aws global region", Global: true},
		{ID: "cn-north-1", Partition: "aws-cn", Description: "China (Beijing)"},
		{ID: "eu-west-1", Partition: "aws", Description: "Europe (Ireland)"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d regions, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("region %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestParsePartitionsRejectsBadData(t *testing.T) {
	for name, data := range map[string]string{
		"not json":      `{`,
		"no partitions": `{"partitions":[]}`,
		"bad regex":     `{"partitions":[{"id":"aws","regionRegex":"(","regions":{}}]}`,
		"duplicate":     `{"partitions":[{"id":"a","regionRegex":".","regions":{"x":{}}},{"id":"b","regionRegex":".","regions":{"x":{}}}]}`,
	} {
		if _, err := parsePartitions([]byte(data)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
