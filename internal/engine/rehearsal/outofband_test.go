package rehearsal

import (
	"path/filepath"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// An out-of-band change is read back on every run until regionctl changes the resource.
func TestOutOfBandPersistsUntilOverwritten(t *testing.T) {
	path := OutOfBandFile(t.TempDir(), "eu-west-1")
	if filepath.Base(filepath.Dir(path)) != "outofband" {
		t.Fatalf("file %s, want it under outofband/", path)
	}
	ch := OutOfBandChange{Type: "aws:sqs/queue:Queue", Name: "queue-events-queue", Properties: map[string]any{"visibilityTimeoutSeconds": 120.0}}
	if err := RecordOutOfBand(path, ch); err != nil {
		t.Fatal(err)
	}
	o, err := loadOutOfBand(path) // a later run
	if err != nil {
		t.Fatal(err)
	}
	outputs := resource.PropertyMap{"visibilityTimeoutSeconds": resource.NewNumberProperty(60), "arn": resource.NewStringProperty("arn")}
	inputs := resource.PropertyMap{"visibilityTimeoutSeconds": resource.NewNumberProperty(60)}
	if !o.apply("aws:sqs/queue:Queue", "queue-events-queue", outputs, inputs) ||
		outputs["visibilityTimeoutSeconds"].NumberValue() != 120 || inputs["visibilityTimeoutSeconds"].NumberValue() != 120 {
		t.Fatalf("read: outputs %v inputs %v, want 120", outputs, inputs)
	}
	if o.apply("aws:sqs/queue:Queue", "queue-events-dlq", resource.PropertyMap{}, resource.PropertyMap{}) {
		t.Error("another resource got the change")
	}
	if err := o.forget("aws:sqs/queue:Queue", "queue-events-queue"); err != nil {
		t.Fatal(err)
	}
	if left, err := LoadOutOfBand(path); err != nil || len(left) != 0 {
		t.Errorf("after an update: %v %v, want the change gone from the file", left, err)
	}
}
