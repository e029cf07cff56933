package report

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Progress shows engine events as they happen: on a TTY a live view with one line per
// region (resources done, the current operations, elapsed time), redrawn in place;
// elsewhere (CI logs) one plain timestamped line per finished step.
type Progress struct {
	// Width truncates live lines so they never wrap (a wrapped line breaks the redraw);
	// 0 leaves them whole.
	Width int
	// WidthFunc, when set, is asked for the width at every frame instead of Width (same
	// meaning, 0 leaves lines whole), so the view follows a terminal resized mid-run.
	WidthFunc func() int
	w         io.Writer
	tty       bool
	now       func() time.Time
	mu        sync.Mutex
	regions   []string
	state     map[string]*regionProgress
	note      string
	// drawn holds the visible width of each line of the last frame: after a resize the
	// terminal rewraps them, and the redraw has to climb every row they now take.
	drawn   []int
	over    bool // the last frame is drawn; what comes later goes below it
	stop    chan struct{}
	stopped chan struct{}
}

type regionProgress struct {
	phase   string
	start   time.Time
	end     time.Time
	total   int
	done    int
	active  map[string]string // URN → "creating type name"
	found   map[string]bool   // URNs a preview would change; the engine may report one twice
	failed  bool
	finishd bool
}

// Phases with a meaning to the display: a preview lists what would change; the
// planning preview that up runs first is shown only as a phase.
const (
	PhasePreview  = "preview"
	PhasePlanning = "planning"
)

// NewProgress starts a progress display for regions. Call Stop when the run ends.
func NewProgress(w io.Writer, tty bool, regions []string, now func() time.Time) *Progress {
	return NewProgressWidth(w, tty, nil, regions, now)
}

// NewProgressWidth is NewProgress for a terminal whose width width reads at every
// frame (it changes when the window is resized); nil leaves lines whole.
func NewProgressWidth(w io.Writer, tty bool, width func() int, regions []string, now func() time.Time) *Progress {
	p := newProgress(w, tty, regions, now)
	p.WidthFunc = width
	if tty {
		go p.loop()
	} else {
		close(p.stopped)
	}
	return p
}

// newProgress is NewProgress without the ticker, so tests can draw each frame.
func newProgress(w io.Writer, tty bool, regions []string, now func() time.Time) *Progress {
	p := &Progress{w: w, tty: tty, now: now, regions: regions, state: map[string]*regionProgress{},
		stop: make(chan struct{}), stopped: make(chan struct{})}
	for _, r := range regions {
		p.state[r] = &regionProgress{phase: "waiting", active: map[string]string{}, found: map[string]bool{}}
	}
	return p
}

// Note shows a message about the whole run (such as cancelling after Ctrl-C). Written
// straight to a TTY, the next redraw would climb over it and erase it; so the live view
// keeps it as its last line instead, a later note replacing it. Once the view has
// stopped, or off a TTY, it is written as a line of its own. Safe from any goroutine.
func (p *Progress) Note(msg string) {
	// One line: a newline inside would break the count of rows the redraw climbs.
	msg = strings.Join(strings.Fields(msg), " ")
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case !p.tty:
		fmt.Fprintf(p.w, "%s %s\n", p.now().UTC().Format(time.RFC3339), msg)
	case p.over:
		fmt.Fprintln(p.w, msg)
	default:
		p.note = msg
	}
}

// Phase marks the start of an engine operation on a region (preview, up, destroy).
// total is the number of changes expected, 0 when unknown.
func (p *Progress) Phase(region, phase string, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.state[region]
	if st == nil {
		return
	}
	st.phase, st.total, st.done = phase, total, 0
	if st.start.IsZero() {
		st.start = p.now()
	}
	clear(st.active)
	clear(st.found)
	if !p.tty {
		p.plain(region, "%s started", phase)
	}
}

// Finish marks a region done (ok or failed).
func (p *Progress) Finish(region string, failed bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if st := p.state[region]; st != nil {
		if !st.finishd {
			st.end = p.now()
		}
		st.finishd, st.failed = true, failed
		clear(st.active)
	}
}

// Handle takes one engine event of a region.
func (p *Progress) Handle(region string, ev apitype.EngineEvent) {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := p.state[region]
	if st == nil {
		return
	}
	switch {
	case ev.ResourcePreEvent != nil:
		m := ev.ResourcePreEvent.Metadata
		if m.Op == apitype.OpSame || isLogicalHalf(m.Op) {
			return
		}
		if st.previewing() {
			st.found[m.URN] = true
		}
		if ev.ResourcePreEvent.Planning || st.previewing() {
			if !p.tty && st.phase == PhasePreview {
				p.plain(region, "would %s %s", m.Op, label(m.Type, m.URN))
			}
			return
		}
		st.active[m.URN] = fmt.Sprintf("%s %s", ing(m.Op), label(m.Type, m.URN))
	case ev.ResOutputsEvent != nil:
		m := ev.ResOutputsEvent.Metadata
		if m.Op == apitype.OpSame || ev.ResOutputsEvent.Planning || st.previewing() || isLogicalHalf(m.Op) {
			return
		}
		delete(st.active, m.URN)
		st.done++
		if !p.tty {
			p.plain(region, "%s %s", past(m.Op), label(m.Type, m.URN))
		}
	case ev.ResOpFailedEvent != nil:
		m := ev.ResOpFailedEvent.Metadata
		delete(st.active, m.URN)
		if !p.tty {
			p.plain(region, "failed to %s %s", m.Op, label(m.Type, m.URN))
		}
	case ev.DiagnosticEvent != nil && ev.DiagnosticEvent.Severity == "error" && !p.tty:
		p.plain(region, "error: %s", diagnostic(ev.DiagnosticEvent.Message))
	}
}

// Stop ends the live view, leaving its last frame on screen.
func (p *Progress) Stop() {
	if p.tty {
		select {
		case <-p.stop:
		default:
			close(p.stop)
		}
	}
	<-p.stopped
}

func (p *Progress) loop() {
	defer close(p.stopped)
	tick := time.NewTicker(150 * time.Millisecond)
	defer tick.Stop()
	for frame := 0; ; frame++ {
		select {
		case <-p.stop:
			p.drawLast(frame)
			return
		case <-tick.C:
			p.redraw(frame)
		}
	}
}

func (p *Progress) redraw(frame int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(frame)
}

// drawLast draws the frame left on screen; notes after it are written below it.
func (p *Progress) drawLast(frame int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(frame)
	p.over = true
}

var spinner = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// draw rewrites the live view: up over the last frame, then one line per region and
// the note.
func (p *Progress) draw(frame int) {
	width := p.Width
	if p.WidthFunc != nil {
		width = p.WidthFunc()
	}
	var b strings.Builder
	if up := rows(p.drawn, width); up > 0 {
		// Erasing to the end of the screen also clears the rows of a frame that was
		// taller than this one, e.g. before the terminal was widened.
		fmt.Fprintf(&b, "\x1b[%dA\x1b[J", up)
	}
	now := p.now()
	counts := make([]string, len(p.regions))
	countWidth := 9
	for i, r := range p.regions {
		counts[i] = p.state[r].count()
		countWidth = max(countWidth, len([]rune(counts[i])))
	}
	lines := make([]string, 0, len(p.regions)+1)
	for i, r := range p.regions {
		st := p.state[r]
		mark := spinner[frame%len(spinner)]
		switch {
		case st.finishd && st.failed:
			mark = "✗"
		case st.finishd:
			mark = "✓"
		case st.start.IsZero():
			mark = "·"
		}
		elapsed := ""
		if !st.start.IsZero() {
			end := now
			if st.finishd {
				end = st.end
			}
			elapsed = end.Sub(st.start).Truncate(100 * time.Millisecond).String()
		}
		current := ""
		for _, a := range st.active {
			if current == "" || a < current {
				current = a // the smallest, so the line does not flicker between operations
			}
		}
		if n := len(st.active); n > 1 {
			current += fmt.Sprintf(" (+%d)", n-1)
		}
		lines = append(lines, fmt.Sprintf("%s %-16s %-8s %-*s %7s  %s", mark, r, st.phase, countWidth, counts[i], elapsed, current))
	}
	if p.note != "" {
		lines = append(lines, p.note)
	}
	p.drawn = p.drawn[:0]
	for _, line := range lines {
		// One column short of the width: a line that fills the last column leaves some
		// terminals at a pending wrap, and the next newline then skips a row.
		if runes := []rune(line); width > 1 && len(runes) >= width {
			line = string(runes[:width-2]) + "…"
		}
		p.drawn = append(p.drawn, len([]rune(line)))
		fmt.Fprintf(&b, "\x1b[2K%s\n", line)
	}
	_, _ = io.WriteString(p.w, b.String())
}

// rows is how many terminal rows lines of these visible widths take at width columns.
func rows(widths []int, width int) int {
	n := 0
	for _, w := range widths {
		if width > 0 {
			n += max(1, (w+width-1)/width)
		} else {
			n++
		}
	}
	return n
}

// count is a region's progress: during a preview the changes found so far, since
// nothing gets done; during an apply the steps done (of those expected, when known).
func (st *regionProgress) count() string {
	switch {
	case st.previewing():
		return fmt.Sprintf("%d %s", len(st.found), plural(len(st.found), "change", "changes"))
	case st.total > 0:
		return fmt.Sprintf("%d/%d", st.done, st.total)
	}
	return fmt.Sprintf("%d", st.done)
}

func (st *regionProgress) previewing() bool {
	return st.phase == PhasePreview || st.phase == PhasePlanning
}

func (p *Progress) plain(region, format string, args ...any) {
	fmt.Fprintf(p.w, "%s %s %s\n", p.now().UTC().Format(time.RFC3339), region, fmt.Sprintf(format, args...))
}

// isLogicalHalf reports the two halves of a replacement, which the replace step covers.
func isLogicalHalf(op apitype.OpType) bool {
	return op == apitype.OpCreateReplacement || op == apitype.OpDeleteReplaced
}

func label(typ, urn string) string {
	name := urn
	if u := resource.URN(urn); u.IsValid() {
		name = u.Name()
	}
	return typ + " " + name
}

func ing(op apitype.OpType) string {
	switch op {
	case apitype.OpCreate:
		return "creating"
	case apitype.OpUpdate:
		return "updating"
	case apitype.OpDelete:
		return "deleting"
	case apitype.OpReplace:
		return "replacing"
	case apitype.OpRefresh:
		return "refreshing"
	}
	return string(op)
}

func past(op apitype.OpType) string {
	switch op {
	case apitype.OpCreate:
		return "created"
	case apitype.OpUpdate:
		return "updated"
	case apitype.OpDelete:
		return "deleted"
	case apitype.OpReplace:
		return "replaced"
	case apitype.OpRefresh:
		return "refreshed"
	}
	return string(op)
}

// diagnostic is an engine error as one line, without the engine's advice to run pulumi
// commands (regionctl's own fix comes with the finding or the error).
func diagnostic(msg string) string {
	if i := strings.Index(msg, " To unprotect the resource"); i > 0 {
		msg = msg[:i]
	}
	return strings.Join(strings.Fields(msg), " ")
}
