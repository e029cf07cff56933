package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/regionctl/regionctl/internal/manifest"
)

// TestCheckFile checks the waivers and allowances of testdata/waivers: each mistake is
// refused with the rule id and its place in the file.
func TestCheckFile(t *testing.T) {
	r, _ := loadRegion(t, "testdata/waivers")
	ps := CheckFile(r, testNow)
	for _, p := range ps {
		if p.Path == "" || p.Line < 1 || p.Col < 1 || p.Field == "" {
			t.Errorf("problem without a place: %+v", p)
		}
	}
	golden(t, "testdata/waivers.golden", ps.Error()+"\n")
}

func TestCheckFileDates(t *testing.T) {
	r, _ := loadRegion(t, "testdata/waivers")
	r.Waivers, r.Allow = r.Waivers[:1], nil // expires 2026-12-31
	for _, tc := range []struct {
		now  time.Time
		want string
	}{
		{time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC), ""}, // the last day still counts
		{time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), "expired on 2026-12-31"},
		{time.Date(2025, 12, 30, 0, 0, 0, 0, time.UTC), "more than a year ahead; exceptions are reviewed at least yearly, so expire it by 2026-12-30"},
		{time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC), ""},
	} {
		ps := CheckFile(r, tc.now)
		switch {
		case tc.want == "" && len(ps) > 0:
			t.Errorf("%s: %v", tc.now, ps)
		case tc.want != "" && (len(ps) != 1 || !strings.Contains(ps[0].Message, tc.want)):
			t.Errorf("%s: got %v, want %q", tc.now, ps, tc.want)
		}
	}
}

// TestExceptions applies the same waivers and allowances to a plan with findings.
func TestExceptions(t *testing.T) {
	r, j := loadRegion(t, "testdata/waivers")
	b := compliant()
	b.set("compute-web-lt", "metadataOptions.httpTokens", `"optional"`) // waived by waivers[0]
	b.remove("observability-eu-west-1-queue-events-age")                // waivers[1] has expired
	cl := b.res("database-main-cluster")
	cl.Op, cl.ReplaceKeys = manifest.OpReplace, []string{"engine"} // allowed by allow[0]
	b.res("queue-events-dlq").Op = manifest.OpReplace              // allowed by nothing
	rep := Evaluate(r, j, b.m, testNow)

	golden(t, "testdata/exceptions.golden", render(rep.Findings))
	if !rep.Denied() {
		t.Error("the report must deny: an expired waiver and a replaced queue")
	}
	if n := rep.Counts(); n.Waived != 2 || n.Warnings != 1 {
		t.Errorf("counts %+v, want 2 waived (imdsv2, replace) and 1 warning (unused waiver)", n)
	}
	want := []struct {
		kind, rule string
		status     Status
		covers     int
	}{
		{KindWaiver, "security.imdsv2", Active, 1},
		{KindWaiver, "ha.alarms", Expired, 0},
		{KindWaiver, "security.imdvs2", Invalid, 0},
		{KindWaiver, RuleBlastReplace, Invalid, 0},
		{KindWaiver, "security.imdsv2", Invalid, 0},
		{KindWaiver, "ha.nat-per-az", Invalid, 0},
		{KindWaiver, "security.encryption", Active, 0},
		{KindAllow, RuleBlastReplace, Active, 1},
		{KindAllow, RuleBlastDelete, Expired, 0},
	}
	if len(rep.Exceptions) != len(want) {
		t.Fatalf("%d exceptions, want %d", len(rep.Exceptions), len(want))
	}
	for i, w := range want {
		e := rep.Exceptions[i]
		if e.Kind != w.kind || e.Rule != w.rule || e.Status != w.status || e.Covers != w.covers {
			t.Errorf("exception %d = %+v, want %+v", i, e, w)
		}
		if e.Path == "" || e.Line < 1 {
			t.Errorf("exception %d has no place", i)
		}
	}
	for _, f := range rep.Findings {
		if f.Rule == "security.imdsv2" && (f.Waived == nil || f.Waived.Reason == "" || f.Waived.Line != 34) {
			t.Errorf("imdsv2 finding should be waived by the waiver on line 34: %+v", f.Waived)
		}
	}
}

// TestWaiverForWholeRegion: resource "*" covers every finding of its rule.
func TestWaiverForWholeRegion(t *testing.T) {
	r, j := loadRegion(t, "testdata/waivers")
	r.Waivers = r.Waivers[6:7] // security.encryption for *, expires 2026-06-15
	r.Allow = nil
	b := compliant()
	b.set("queue-events-dlq", "kmsMasterKeyId", "-")
	b.set("network-eu-west-1-flow-logs", "kmsKeyId", "-")
	rep := Evaluate(r, j, b.m, testNow)
	if n := rep.Counts(); n.Waived != 2 || n.Denied != 0 || n.Warnings != 0 {
		t.Errorf("counts %+v, want 2 waived:\n%s", n, render(rep.Findings))
	}
	// The next day the waiver has expired: both findings deny again, and so does the waiver.
	rep = Evaluate(r, j, b.m, testNow.AddDate(0, 0, 1))
	if n := rep.Counts(); n.Denied != 3 {
		t.Errorf("counts %+v, want 3 denied:\n%s", n, render(rep.Findings))
	}
}
