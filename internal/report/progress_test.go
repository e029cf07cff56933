package report

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// clock is a fake time source advanced by the test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

const vpcURN = "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Network$aws:ec2/vpc:Vpc::network-vpc"

func step(op apitype.OpType, typ, urn string) apitype.StepEventMetadata {
	return apitype.StepEventMetadata{Op: op, Type: typ, URN: urn}
}

// syncBuffer lets the live view's goroutine and the test share a buffer.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestProgressPlainLines(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	var out syncBuffer
	p := NewProgress(&out, false, []string{"eu-west-1"}, c.now)
	p.Phase("eu-west-1", PhasePreview, 0)
	p.Handle("eu-west-1", apitype.EngineEvent{ResourcePreEvent: &apitype.ResourcePreEvent{Metadata: step(apitype.OpCreate, "aws:ec2/vpc:Vpc", vpcURN)}})
	p.Handle("eu-west-1", apitype.EngineEvent{ResourcePreEvent: &apitype.ResourcePreEvent{Metadata: step(apitype.OpSame, "aws:ec2/vpc:Vpc", vpcURN)}})
	c.add(2 * time.Second)
	p.Phase("eu-west-1", "up", 1)
	p.Handle("eu-west-1", apitype.EngineEvent{ResourcePreEvent: &apitype.ResourcePreEvent{Metadata: step(apitype.OpCreate, "aws:ec2/vpc:Vpc", vpcURN)}})
	p.Handle("eu-west-1", apitype.EngineEvent{ResOutputsEvent: &apitype.ResOutputsEvent{Metadata: step(apitype.OpCreate, "aws:ec2/vpc:Vpc", vpcURN)}})
	p.Handle("eu-west-1", apitype.EngineEvent{DiagnosticEvent: &apitype.DiagnosticEvent{Severity: "error", Message: "boom\n"}})
	p.Finish("eu-west-1", false)
	p.Stop()
	want := "2026-11-22T10:00:00Z eu-west-1 preview started\n" +
		"2026-11-22T10:00:00Z eu-west-1 would create aws:ec2/vpc:Vpc network-vpc\n" +
		"2026-11-22T10:00:02Z eu-west-1 up started\n" +
		"2026-11-22T10:00:02Z eu-west-1 created aws:ec2/vpc:Vpc network-vpc\n" +
		"2026-11-22T10:00:02Z eu-west-1 error: boom\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

func TestProgressPlanningPhaseIsQuiet(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	var out syncBuffer
	p := NewProgress(&out, false, []string{"eu-west-1"}, c.now)
	p.Phase("eu-west-1", PhasePlanning, 0)
	p.Handle("eu-west-1", apitype.EngineEvent{ResourcePreEvent: &apitype.ResourcePreEvent{Metadata: step(apitype.OpCreate, "aws:ec2/vpc:Vpc", vpcURN)}})
	p.Stop()
	if want := "2026-11-22T10:00:00Z eu-west-1 planning started\n"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestProgressLiveView(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	var out syncBuffer
	p := NewProgress(&out, true, []string{"eu-west-1", "ap-southeast-2"}, c.now)
	p.Width = 60
	p.Phase("eu-west-1", "up", 10)
	p.Handle("eu-west-1", apitype.EngineEvent{ResourcePreEvent: &apitype.ResourcePreEvent{Metadata: step(apitype.OpCreate, "aws:ec2/vpc:Vpc", vpcURN)}})
	c.add(1500 * time.Millisecond)
	p.Finish("ap-southeast-2", true)
	p.Stop()
	frames := strings.Split(out.String(), "\x1b[2A")
	last := frames[len(frames)-1]
	want := "\x1b[2K⠋ eu-west-1        up       0/10         1.5s  creating aw…\n" +
		"\x1b[2K✗ ap-southeast-2   waiting  0                  \n"
	// The spinner frame depends on timing; compare the rest of the line.
	gotLines, wantLines := strings.Split(last, "\n"), strings.Split(want, "\n")
	if len(gotLines) != len(wantLines) {
		t.Fatalf("last frame %q, want %q", last, want)
	}
	for i := range wantLines {
		g, w := []rune(gotLines[i]), []rune(wantLines[i])
		if len(g) != len(w) || (len(g) > 5 && string(g[5:]) != string(w[5:])) {
			t.Errorf("line %d = %q, want %q", i, gotLines[i], wantLines[i])
		}
	}
	for _, l := range gotLines {
		if n := len([]rune(strings.TrimPrefix(l, "\x1b[2K"))); n >= 60 {
			t.Errorf("line of %d columns wraps a 60-column terminal: %q", n, l)
		}
	}
}
