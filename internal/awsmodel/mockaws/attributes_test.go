package mockaws_test

import (
	"reflect"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/regionctl/regionctl/internal/awsmodel/mockaws"
)

// TestAttributesMatchRecorder: the exported answer is the one the mock monitor gives,
// so a rehearsal and a plan agree on every id and ARN.
func TestAttributesMatchRecorder(t *testing.T) {
	for _, typ := range []string{"aws:rds/cluster:Cluster", "aws:sqs/queue:Queue", "aws:ec2/vpc:Vpc", "aws:acm/certificate:Certificate"} {
		inputs := resource.PropertyMap{"name": str("orders"), "clusterIdentifier": str("main"), "engine": str("aurora-mysql")}
		wantID, want, err := mockaws.New(region, account).NewResource(register(typ, "thing", stackURN, inputs))
		if err != nil {
			t.Fatal(err)
		}
		id, got := mockaws.Attributes(region, account, typ, "thing", inputs)
		if id != wantID || !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Attributes = %s %v\nrecorder answered %s %v", typ, id, got, wantID, want)
		}
		if len(inputs) != 3 {
			t.Errorf("%s: Attributes modified its inputs: %v", typ, inputs)
		}
	}
}
