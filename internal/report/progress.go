package report

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// Progress shows engine events as they happen: on a TTY a live view with one line per
// region (resources done, the current operations, elapsed time), redrawn in place;
// elsewhere (CI logs) one plain timestamped line per finished step.
type Progress struct {
	// Width truncates live lines so they never wrap (a wrapped line breaks the redraw);
	// 0 leaves them whole.
	Width   int
	w       io.Writer
	tty     bool
	now     func() time.Time
	mu      sync.Mutex
	regions []string
	state   map[string]*regionProgress
	drawn   int
	stop    chan struct{}
	stopped chan struct{}
}

type regionProgress struct {
	phase   string
	start   time.Time
	total   int
	done    int
	active  map[string]string // URN → "creating type name"
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
	p := &Progress{w: w, tty: tty, now: now, regions: regions, state: map[string]*regionProgress{},
		stop: make(chan struct{}), stopped: make(chan struct{})}
	for _, r := range regions {
		p.state[r] = &regionProgress{phase: "waiting", active: map[string]string{}}
	}
	if tty {
		go p.loop()
	} else {
		close(p.stopped)
	}
	return p
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
	if !p.tty {
		p.plain(region, "%s started", phase)
	}
}

// Finish marks a region done (ok or failed).
func (p *Progress) Finish(region string, failed bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if st := p.state[region]; st != nil {
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
		if ev.ResourcePreEvent.Planning || st.phase == PhasePreview || st.phase == PhasePlanning {
			if !p.tty && st.phase == PhasePreview {
				p.plain(region, "would %s %s", m.Op, label(m.Type, m.URN))
			}
			return
		}
		st.active[m.URN] = fmt.Sprintf("%s %s", ing(m.Op), label(m.Type, m.URN))
	case ev.ResOutputsEvent != nil:
		m := ev.ResOutputsEvent.Metadata
		if m.Op == apitype.OpSame || ev.ResOutputsEvent.Planning || st.phase == PhasePreview || st.phase == PhasePlanning || isLogicalHalf(m.Op) {
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
		p.plain(region, "error: %s", strings.TrimSpace(ev.DiagnosticEvent.Message))
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
			p.mu.Lock()
			p.draw(frame)
			p.mu.Unlock()
			return
		case <-tick.C:
			p.mu.Lock()
			p.draw(frame)
			p.mu.Unlock()
		}
	}
}

var spinner = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// draw rewrites the live view: cursor up over the last frame, then one line per region.
func (p *Progress) draw(frame int) {
	var b strings.Builder
	if p.drawn > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", p.drawn)
	}
	for _, r := range p.regions {
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
			elapsed = p.now().Sub(st.start).Truncate(100 * time.Millisecond).String()
		}
		count := fmt.Sprintf("%d", st.done)
		if st.total > 0 {
			count = fmt.Sprintf("%d/%d", st.done, st.total)
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
		line := fmt.Sprintf("%s %-16s %-8s %-9s %7s  %s", mark, r, st.phase, count, elapsed, current)
		if runes := []rune(line); p.Width > 1 && len(runes) >= p.Width {
			line = string(runes[:p.Width-2]) + "…"
		}
		fmt.Fprintf(&b, "\x1b[2K%s\n", line)
	}
	p.drawn = len(p.regions)
	_, _ = io.WriteString(p.w, b.String())
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
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		name = urn[i+2:]
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
