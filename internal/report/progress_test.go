package report

import (
	"bytes"
	"fmt"
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
	frames := strings.Split(out.String(), "\x1b[2A\x1b[J")
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

const (
	subnetURN = "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Network$aws:ec2/subnet:Subnet::network-private-a"
	dbURN     = "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Database$aws:rds/cluster:Cluster::database-main"
	sgURN     = "urn:pulumi:eu-west-1::regionctl::regionctl:stacks:Database$aws:ec2/securityGroup:SecurityGroup::database-main-sg"
	cancelMsg = "cancelling: waiting for running operations to stop cleanly (Ctrl-C again to abort)"
)

// live is a TTY view without its ticker: the test draws every frame itself, so the
// output does not depend on how fast the machine is.
func live(regions ...string) (*Progress, *clock, *syncBuffer) {
	c := &clock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	out := &syncBuffer{}
	return newProgress(out, true, regions, c.now), c, out
}

// written returns what f wrote to out.
func written(out *syncBuffer, f func()) string {
	before := len(out.String())
	f()
	return out.String()[before:]
}

func pre(op apitype.OpType, typ, urn string) apitype.EngineEvent {
	return apitype.EngineEvent{ResourcePreEvent: &apitype.ResourcePreEvent{Metadata: step(op, typ, urn)}}
}

func outputs(op apitype.OpType, typ, urn string) apitype.EngineEvent {
	return apitype.EngineEvent{ResOutputsEvent: &apitype.ResOutputsEvent{Metadata: step(op, typ, urn)}}
}

func TestProgressFinishedRegionStopsItsClock(t *testing.T) {
	p, c, out := live("eu-west-1", "ap-southeast-2")
	p.Phase("eu-west-1", "up", 1)
	p.Phase("ap-southeast-2", "up", 1)
	c.add(2 * time.Second)
	p.Handle("eu-west-1", outputs(apitype.OpCreate, "aws:ec2/vpc:Vpc", vpcURN))
	p.Finish("eu-west-1", false)
	c.add(3 * time.Second)
	got := written(out, func() { p.drawLast(0) })
	want := "\x1b[2K✓ eu-west-1        up       1/1            2s  \n" +
		"\x1b[2K⠋ ap-southeast-2   up       0/1            5s  \n"
	if got != want {
		t.Errorf("frame\n%q\nwant\n%q", got, want)
	}
}

func TestProgressNote(t *testing.T) {
	p, c, out := live("eu-west-1")
	p.Phase("eu-west-1", "up", 2)
	p.redraw(0)
	c.add(time.Second)
	p.Note(cancelMsg)
	for i, want := range []string{
		// The note arrives after a frame: the redraw goes up over the region line only.
		"\x1b[1A\x1b[J\x1b[2K⠙ eu-west-1        up       0/2            1s  \n\x1b[2K" + cancelMsg + "\n",
		// From then on the note is part of the frame, so the redraw goes up over it too.
		"\x1b[2A\x1b[J\x1b[2K⠹ eu-west-1        up       0/2            1s  \n\x1b[2K" + cancelMsg + "\n",
	} {
		if got := written(out, func() { p.redraw(i + 1) }); got != want {
			t.Errorf("frame %d\n%q\nwant\n%q", i+1, got, want)
		}
	}

	p.Note("interrupted: abandoning the running operations")
	p.Finish("eu-west-1", true)
	got := written(out, func() { p.drawLast(3) })
	want := "\x1b[2A\x1b[J\x1b[2K✗ eu-west-1        up       0/2            1s  \n\x1b[2Kinterrupted: abandoning the running operations\n"
	if got != want {
		t.Errorf("last frame (a later note replaces the earlier)\n%q\nwant\n%q", got, want)
	}

	if got, want := written(out, func() { p.Note("after the view") }), "after the view\n"; got != want {
		t.Errorf("note after the last frame wrote %q, want %q", got, want)
	}
}

func TestProgressNotePlain(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	var out syncBuffer
	p := NewProgress(&out, false, []string{"eu-west-1"}, c.now)
	p.Phase("eu-west-1", "up", 1)
	c.add(time.Second)
	p.Note(cancelMsg)
	p.Stop()
	c.add(time.Second)
	p.Note("after stop")
	want := "2026-11-22T10:00:00Z eu-west-1 up started\n" +
		"2026-11-22T10:00:01Z " + cancelMsg + "\n" +
		"2026-11-22T10:00:02Z after stop\n"
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
}

// TestProgressNoteFromAnotherGoroutine runs the real ticker; under -race it checks that
// a note racing the engine's events and Stop is neither a data race nor lost.
func TestProgressNoteFromAnotherGoroutine(t *testing.T) {
	c := &clock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	var out syncBuffer
	p := NewProgress(&out, true, []string{"eu-west-1"}, c.now)
	p.Phase("eu-west-1", "up", 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		p.Note(cancelMsg)
	}()
	p.Handle("eu-west-1", pre(apitype.OpCreate, "aws:ec2/vpc:Vpc", vpcURN))
	p.Stop()
	wg.Wait()
	if !strings.HasSuffix(out.String(), cancelMsg+"\n") {
		t.Errorf("output does not end with the note: %q", out.String())
	}
}

func TestProgressFollowsTerminalWidth(t *testing.T) {
	p, _, out := live("eu-west-1", "ap-southeast-2")
	width := 80
	p.Width = 200 // WidthFunc, when set, wins over the width at start
	p.WidthFunc = func() int { return width }
	p.Phase("eu-west-1", "up", 10)
	p.Handle("eu-west-1", pre(apitype.OpCreate, "aws:ec2/vpc:Vpc", vpcURN))
	p.Note(cancelMsg)

	full := []string{ // 83, 47 and 82 runes
		"⠋ eu-west-1        up       0/10           0s  creating aws:ec2/vpc:Vpc network-vpc",
		"· ap-southeast-2   waiting  0                  ",
		cancelMsg,
	}
	for i, want := range []struct {
		width int
		up    string
		lines []string
	}{
		{80, "", []string{
			"⠋ eu-west-1        up       0/10           0s  creating aws:ec2/vpc:Vpc networ…",
			full[1],
			"cancelling: waiting for running operations to stop cleanly (Ctrl-C again to ab…",
		}},
		// Narrower: the 79- and 47-rune lines drawn at 80 columns now take two rows each.
		{40, "\x1b[6A\x1b[J", []string{
			"⠋ eu-west-1        up       0/10      …",
			"· ap-southeast-2   waiting  0         …",
			"cancelling: waiting for running operat…",
		}},
		// Wider: the 39-rune lines take a row each; nothing needs cutting any more.
		{100, "\x1b[3A\x1b[J", full},
		// As wide as the widest line drawn: it still takes one row.
		{83, "\x1b[3A\x1b[J", []string{
			"⠋ eu-west-1        up       0/10           0s  creating aws:ec2/vpc:Vpc network-v…",
			full[1],
			full[2],
		}},
	} {
		width = want.width
		frame := want.up
		for _, l := range want.lines {
			if n := len([]rune(l)); n >= width {
				t.Fatalf("test case %d: a line of %d runes does not fit %d columns", i, n, width)
			}
			frame += "\x1b[2K" + l + "\n"
		}
		if got := written(out, func() { p.redraw(0) }); got != frame {
			t.Errorf("frame %d at %d columns\n%q\nwant\n%q", i, width, got, frame)
		}
	}
}

func TestProgressPreviewCountsChanges(t *testing.T) {
	found := []apitype.EngineEvent{
		pre(apitype.OpCreate, "aws:ec2/vpc:Vpc", vpcURN),
		pre(apitype.OpSame, "aws:ec2/subnet:Subnet", subnetURN),
		pre(apitype.OpCreate, "aws:ec2/vpc:Vpc", vpcURN), // the same change seen twice
		pre(apitype.OpCreateReplacement, "aws:rds/cluster:Cluster", dbURN),
		pre(apitype.OpReplace, "aws:rds/cluster:Cluster", dbURN),
		pre(apitype.OpDeleteReplaced, "aws:rds/cluster:Cluster", dbURN),
		pre(apitype.OpDelete, "aws:ec2/securityGroup:SecurityGroup", sgURN),
	}
	for _, tc := range []struct {
		name   string
		phase  string
		total  int
		events []apitype.EngineEvent
		want   string
	}{
		{"nothing found yet", PhasePreview, 0, nil,
			"⠋ eu-west-1        preview  0 changes      0s  "},
		{"one change", PhasePreview, 0, found[:1],
			"⠋ eu-west-1        preview  1 change       0s  "},
		{"each resource once, no sames, no replacement halves", PhasePreview, 0, found,
			"⠋ eu-west-1        preview  3 changes      0s  "},
		{"planning before up", PhasePlanning, 0, found,
			"⠋ eu-west-1        planning 3 changes      0s  "},
		{"apply counts what is done", "up", 3, append(found[:1:1], outputs(apitype.OpCreate, "aws:ec2/vpc:Vpc", vpcURN)),
			"⠋ eu-west-1        up       1/3            0s  "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _, out := live("eu-west-1")
			p.Phase("eu-west-1", tc.phase, tc.total)
			for _, ev := range tc.events {
				p.Handle("eu-west-1", ev)
			}
			if got, want := written(out, func() { p.redraw(0) }), "\x1b[2K"+tc.want+"\n"; got != want {
				t.Errorf("got  %q\nwant %q", got, want)
			}
		})
	}
}

// TestProgressCountColumnGrows keeps the elapsed column aligned when a count outgrows
// its usual width ("12 changes").
func TestProgressCountColumnGrows(t *testing.T) {
	p, _, out := live("eu-west-1", "ap-southeast-2")
	p.Phase("eu-west-1", PhasePreview, 0)
	p.Phase("ap-southeast-2", PhasePreview, 0)
	for i := range 12 {
		p.Handle("eu-west-1", pre(apitype.OpCreate, "aws:ec2/subnet:Subnet", fmt.Sprintf("%s-%d", subnetURN, i)))
	}
	p.Handle("ap-southeast-2", pre(apitype.OpCreate, "aws:ec2/vpc:Vpc", vpcURN))
	want := "\x1b[2K⠋ eu-west-1        preview  12 changes      0s  \n" +
		"\x1b[2K⠋ ap-southeast-2   preview  1 change        0s  \n"
	if got := written(out, func() { p.redraw(0) }); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}
