package app

import (
	"testing"

	"github.com/regionctl/regionctl/internal/spec"
)

func TestFeaturesAlike(t *testing.T) {
	m := Features([]*spec.Region{
		{Region: "eu-west-1", Features: map[string]bool{"sms": true, "chat": false}},
		{Region: "ap-southeast-2", Features: map[string]bool{"sms": true}},
	})
	if len(m.Gaps) != 0 {
		t.Errorf("gaps %+v: a feature off everywhere it is mentioned is no gap", m.Gaps)
	}
	if len(m.Features) != 2 || m.Features[0].Name != "chat" || m.Regions[0] != "ap-southeast-2" {
		t.Errorf("matrix %+v", m)
	}
}
