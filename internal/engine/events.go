package engine

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"

	"github.com/regionctl/regionctl/internal/manifest"
)

// collector drains one operation's engine events: it forwards them to the progress
// display and keeps what the result needs (steps, change counts, error diagnostics).
type collector struct {
	region   string
	progress func(RegionEvent)
	events   chan events.EngineEvent
	done     chan struct{}

	mu      sync.Mutex // record runs on the stream's goroutine, results are read after wait
	changes Changes
	// componentUpdates counts components whose only change is their own inputs: the
	// engine counts them as updates, the cloud sees nothing.
	componentUpdates int
	// skipped counts the new resources an up targeted elsewhere left uncreated: the
	// engine counts them as unchanged.
	skipped int
	byURN   map[string]manifest.Resource
	order   []string
	errs    []string
	refused []string // URNs the engine would replace or delete but refused to, being protected
	// refusedDeletes are the refused URNs it would have deleted.
	refusedDeletes []string
	// streamed is set once an event arrived: the CLI opened its stream, which it closes.
	streamed bool
}

// protectedReplace matches the engine's refusal to plan the replacement or deletion of
// a protected resource; the engine then stops the preview, so it would not show it.
var protectedReplace = regexp.MustCompile(`unable to replace resource "([^"]+)"|resource "([^"]+)"\s+cannot be deleted\s+because it is protected`)

func (c *collector) protectedReplacements() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.refused...)
}

func (a *Automation) collector(region string, progress func(RegionEvent)) *collector {
	c := &collector{
		region:   region,
		progress: progress,
		events:   make(chan events.EngineEvent, 64),
		done:     make(chan struct{}),
		byURN:    map[string]manifest.Resource{},
	}
	go func() {
		defer close(c.done)
		for ev := range c.events {
			if ev.Error != nil {
				continue // a torn stream; the operation's own error tells
			}
			c.mu.Lock()
			c.streamed = true
			c.record(ev.EngineEvent)
			c.mu.Unlock()
			if c.progress != nil {
				c.progress(RegionEvent{Region: region, Event: ev.EngineEvent})
			}
		}
	}()
	return c
}

// streamGrace is how long to wait, after the operation returned, for the event stream
// to end. The Automation API closes the channel only when the CLI's stream ends, and a
// CLI that failed before streaming (a held lock, a missing stack) never opens one:
// without a single event, the wait is short.
const (
	streamGrace   = 2 * time.Second
	noStreamGrace = 100 * time.Millisecond
)

// wait returns once the engine has closed the event stream, or the stream never came.
func (c *collector) wait() {
	c.mu.Lock()
	grace := noStreamGrace
	if c.streamed {
		grace = streamGrace
	}
	c.mu.Unlock()
	select {
	case <-c.done:
	case <-time.After(grace):
	}
}

func (c *collector) record(ev apitype.EngineEvent) {
	switch {
	case ev.ResourcePreEvent != nil:
		c.step(ev.ResourcePreEvent.Metadata)
	case ev.SummaryEvent != nil:
		rc := ev.SummaryEvent.ResourceChanges
		c.changes = Changes{
			Create:  rc[apitype.OpCreate],
			Update:  rc[apitype.OpUpdate],
			Replace: rc[apitype.OpReplace],
			Delete:  rc[apitype.OpDelete],
			Same:    rc[apitype.OpSame],
		}
	case ev.DiagnosticEvent != nil && ev.DiagnosticEvent.Severity == "error":
		d := ev.DiagnosticEvent
		msg := strings.TrimSpace(d.Message)
		// The engine's advice for protected resources names pulumi commands; regionctl's
		// own fix (an allowance, then destroy --unprotect) is in the guardrail finding.
		if i := strings.Index(msg, " To unprotect the resource"); i > 0 {
			msg = msg[:i]
		}
		msg = strings.Join(strings.Fields(msg), " ")
		if d.URN != "" {
			msg = urnLabel(d.URN) + ": " + msg
		}
		c.errs = append(c.errs, msg)
		if m := protectedReplace.FindStringSubmatch(d.Message); m != nil {
			c.refused = append(c.refused, m[1]+m[2])
			if m[2] != "" {
				c.refusedDeletes = append(c.refusedDeletes, m[2])
			}
		}
	}
}

// step keeps the logical operation of every resource; the halves of a replacement
// (create-replacement, delete-replaced) are folded into the replace step.
func (c *collector) step(m apitype.StepEventMetadata) {
	var op manifest.Op
	switch m.Op {
	case apitype.OpCreate:
		op = manifest.OpCreate
	case apitype.OpUpdate:
		op = manifest.OpUpdate
	case apitype.OpReplace:
		op = manifest.OpReplace
	case apitype.OpDelete:
		op = manifest.OpDelete
	case apitype.OpSame:
		op = manifest.OpSame
	default:
		return
	}
	state := m.New
	if state == nil {
		state = m.Old
	}
	res := manifest.Resource{URN: m.URN, Type: m.Type, Name: resource.URN(m.URN).Name(), Op: op}
	if state != nil {
		res.Parent, res.Custom = state.Parent, state.Custom
		res.Protect, res.RetainOnDelete = state.Protect, state.RetainOnDelete
		res.Inputs = maskUnknowns(state.Inputs).(map[string]any)
	}
	if res.Inputs == nil {
		res.Inputs = map[string]any{}
	}
	if op == manifest.OpUpdate && state != nil && !state.Custom && !isProviderType(m.Type) {
		// A component's own inputs (the entry it records) changed: bookkeeping in the
		// state, nothing in the cloud, so not a change to review or to apply.
		op, res.Op = manifest.OpSame, manifest.OpSame
		if _, seen := c.byURN[m.URN]; !seen {
			c.componentUpdates++
		}
	}
	if (op == manifest.OpUpdate || op == manifest.OpReplace) && m.Old != nil && m.New != nil {
		olds, _ := maskUnknowns(m.Old.Inputs).(map[string]any)
		res.Changed = manifest.PropertyChanges(olds, res.Inputs)
	}
	if op == manifest.OpReplace {
		// Sorted: the engine does not keep one order, and findings must not flicker.
		res.ReplaceKeys = slices.Sorted(slices.Values(m.Keys))
	}
	// The program protects it but the state does not (an interrupted destroy
	// --unprotect, a `pulumi state unprotect`): the engine shows that as unchanged,
	// yet it is a change to make, or a later destroy deletes the data store.
	if m.Old != nil && m.New != nil && m.New.Protect && !m.Old.Protect {
		res.Unprotected = true
	}
	if _, seen := c.byURN[m.URN]; !seen {
		c.order = append(c.order, m.URN)
	}
	c.byURN[m.URN] = res
}

func (c *collector) counts() Changes {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.changes
	out.Update, out.Same = out.Update-c.componentUpdates, out.Same+c.componentUpdates
	out.Same, out.Skipped = out.Same-c.skipped, c.skipped
	for _, res := range c.byURN {
		if res.Unprotected {
			out.Protect++
		}
	}
	return out
}

// skip counts the unchanged steps of resources the state does not hold as skipped: an
// up targeted elsewhere shows each resource it did not create as unchanged.
func (c *collector) skip(state State) {
	c.mu.Lock()
	defer c.mu.Unlock()
	held := make(map[string]bool, len(state.Resources))
	for _, r := range state.Resources {
		held[string(r.URN)] = true
	}
	for urn, res := range c.byURN {
		if res.Op == manifest.OpSame && !held[urn] {
			c.skipped++
		}
	}
}

func (c *collector) steps() manifest.Region {
	c.mu.Lock()
	defer c.mu.Unlock()
	m := manifest.Region{Name: c.region}
	for _, urn := range c.order {
		m.Resources = append(m.Resources, c.byURN[urn])
	}
	m.Sort()
	return m
}

// failure attaches the error diagnostics the engine reported to err, which on its
// own carries the whole CLI output.
func (c *collector) failure(err error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil || errors.Is(err, context.Canceled) || auto.IsConcurrentUpdateError(err) || isTornState(err) || len(c.errs) == 0 {
		return err // explain recognises these by their own type
	}
	diags := slices.Clone(c.errs)
	for _, d := range c.errs {
		if strings.Contains(d, "AlreadyExists") || strings.Contains(d, "BucketAlreadyOwnedByYou") || strings.Contains(d, "Duplicate") {
			diags = append(diags, "a resource of that name already exists in the account: one an earlier destroy retained (regionctl keeps data stores and what they use), "+
				"or one made outside regionctl; import it into the stack (pulumi import), delete it, or give the entry a new identifier")
			break
		}
	}
	return &EngineError{Region: c.region, Diagnostics: diags, Err: err}
}

// maskUnknowns replaces the engine's marker for values not known until apply with
// manifest.UnknownMask, the form policy and reports understand in both engines' output.
func maskUnknowns(v any) any {
	return manifest.MapStrings(v, func(s string) any {
		if s == plugin.UnknownStringValue {
			return manifest.UnknownMask
		}
		return s
	})
}

// urnLabel is "type name" for a URN, as users read resources in the tree.
func urnLabel(urn string) string {
	u := resource.URN(urn)
	if !u.IsValid() {
		return urn
	}
	return string(u.Type()) + " " + u.Name()
}
