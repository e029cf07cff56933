package awsregions

import (
	"sort"
	"testing"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		id        string
		ok        bool
		partition string
		global    bool
	}{
		{id: "eu-west-1", ok: true, partition: "aws"},
		{id: "eu-central-2", ok: true, partition: "aws"},
		{id: "us-gov-west-1", ok: true, partition: "aws-us-gov"},
		{id: "cn-north-1", ok: true, partition: "aws-cn"},
		{id: "aws-global", ok: true, partition: "aws", global: true},
		{id: "eu-west-9"},
		{id: ""},
		{id: "EU-WEST-1"},
	}
	for _, tt := range tests {
		r, ok := Lookup(tt.id)
		if ok != tt.ok || r.Partition != tt.partition || r.Global != tt.global {
			t.Errorf("Lookup(%q) = %+v, %v; want partition %q global %v ok %v", tt.id, r, ok, tt.partition, tt.global, tt.ok)
		}
		if ok && (r.ID != tt.id || r.Description == "") {
			t.Errorf("Lookup(%q) = %+v: want its id and a description", tt.id, r)
		}
	}
}

func TestIDsSortedAndComplete(t *testing.T) {
	ids := IDs()
	if !sort.StringsAreSorted(ids) {
		t.Fatal("IDs are not sorted")
	}
	for _, id := range ids {
		if _, ok := Lookup(id); !ok {
			t.Errorf("Lookup(%q) fails for an id of IDs()", id)
		}
	}
	ids[0] = "changed"
	if IDs()[0] == "changed" {
		t.Error("IDs shares its slice with the caller")
	}
}
