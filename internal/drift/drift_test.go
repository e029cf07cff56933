package drift

import (
	"strings"
	"testing"

	"github.com/regionctl/regionctl/internal/manifest"
)

func queueDrift(region string, from, to any) Region {
	return Region{Name: region, Resources: []Resource{{
		URN: "urn:pulumi:" + region + "::regionctl::aws:sqs/queue:Queue::queue-events-queue", Type: "aws:sqs/queue:Queue", Name: "queue-events-queue",
		Changes: []manifest.PropertyChange{{Path: "visibilityTimeoutSeconds", Old: from, New: to}},
	}}}
}

func TestGroupSameDriftIsOneRow(t *testing.T) {
	rows := Group([]Region{queueDrift("eu-west-1", 60.0, 120.0), queueDrift("ap-southeast-2", 60.0, 120.0)})
	if len(rows) != 1 {
		t.Fatalf("rows = %+v, want one", rows)
	}
	want := "aws:sqs/queue:Queue queue-events-queue visibilityTimeoutSeconds 60 → 120"
	if got := rows[0].String(); got != want || strings.Join(rows[0].Regions, ", ") != "eu-west-1, ap-southeast-2" {
		t.Errorf("row %q %v, want %q in both regions", got, rows[0].Regions, want)
	}
}

func TestGroupDifferentValuesAreTwoRows(t *testing.T) {
	rows := Group([]Region{queueDrift("eu-west-1", 60.0, 120.0), queueDrift("ap-southeast-2", 60.0, 90.0)})
	if len(rows) != 2 || rows[0].Cloud == rows[1].Cloud {
		t.Fatalf("rows = %+v, want one per value", rows)
	}
}

// Names and values that only name the region (its id, account) still group.
func TestGroupLeavesTheRegionOut(t *testing.T) {
	alarm := func(region, account string) Region {
		return Region{Name: region, AccountID: account, Resources: []Resource{{
			Type: "aws:cloudwatch/metricAlarm:MetricAlarm", Name: "observability-" + region + "-queue-events-age",
			Changes: []manifest.PropertyChange{{Path: "alarmActions[0]", Old: "arn:aws:sns:" + region + ":" + account + ":regionctl-alarms", New: nil}},
		}}}
	}
	rows := Group([]Region{alarm("eu-west-1", "210987654321"), alarm("ap-southeast-2", "345678901234")})
	if len(rows) != 1 || rows[0].Name != "observability-<region>-queue-events-age" || rows[0].Kind != KindRemoved || len(rows[0].Regions) != 2 {
		t.Fatalf("rows = %+v, want one removed alarm action in both regions", rows)
	}
	if rows[0].State != "arn:aws:sns:<region>:<account>:regionctl-alarms" {
		t.Errorf("state %v, want the normalised ARN (the regions' own differ)", rows[0].State)
	}
}

func TestGroupGone(t *testing.T) {
	rows := Group([]Region{{Name: "eu-west-1", Resources: []Resource{{Type: "aws:s3/bucket:Bucket", Name: "bucket-uploads", Gone: true}}}})
	if len(rows) != 1 || rows[0].Kind != KindGone || !strings.Contains(rows[0].String(), "gone") {
		t.Fatalf("rows = %+v", rows)
	}
}

func TestSummaryRoundTrip(t *testing.T) {
	last, ok := ParseSummary("3 drifted 2026-12-02T10:00Z")
	if !ok || last.Drifted != 3 || last.Checked != "2026-12-02T10:00Z" {
		t.Fatalf("ParseSummary = %+v %v", last, ok)
	}
	if _, ok := ParseSummary("something else"); ok {
		t.Error("a foreign tag parsed")
	}
}
