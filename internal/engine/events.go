package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
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

	changes Changes
	byURN   map[string]manifest.Resource
	order   []string
	errs    []string
}

func (a *Automation) collector(region string, _ Operation) *collector {
	c := &collector{
		region:   region,
		progress: a.Progress,
		events:   make(chan events.EngineEvent, 64),
		done:     make(chan struct{}),
		byURN:    map[string]manifest.Resource{},
	}
	go func() {
		defer close(c.done)
		for ev := range c.events {
			if ev.Error != nil {
				continue // a torn line of the event log; the operation's own error tells
			}
			c.record(ev.EngineEvent)
			if c.progress != nil {
				c.progress(RegionEvent{Region: region, Event: ev.EngineEvent})
			}
		}
	}()
	return c
}

// wait blocks until the engine has closed the event stream.
func (c *collector) wait() { <-c.done }

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
		if d.URN != "" {
			msg = urnLabel(d.URN) + ": " + msg
		}
		c.errs = append(c.errs, msg)
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
	res := manifest.Resource{URN: m.URN, Type: m.Type, Name: urnName(m.URN), Op: op}
	if state != nil {
		res.Parent, res.Custom = state.Parent, state.Custom
		res.Protect, res.RetainOnDelete = state.Protect, state.RetainOnDelete
		res.Inputs = maskUnknowns(state.Inputs).(map[string]any)
	}
	if res.Inputs == nil {
		res.Inputs = map[string]any{}
	}
	if op == manifest.OpReplace {
		res.ReplaceKeys = append([]string(nil), m.Keys...)
	}
	if _, seen := c.byURN[m.URN]; !seen {
		c.order = append(c.order, m.URN)
	}
	c.byURN[m.URN] = res
}

func (c *collector) steps() manifest.Region {
	m := manifest.Region{Name: c.region}
	for _, urn := range c.order {
		m.Resources = append(m.Resources, c.byURN[urn])
	}
	m.Sort()
	return m
}

// EngineError is an engine failure with the engine's own error diagnostics.
type EngineError struct {
	Region      string
	Diagnostics []string
	Err         error
}

func (e *EngineError) Error() string {
	if len(e.Diagnostics) == 0 {
		return fmt.Sprintf("region %q: %v", e.Region, e.Err)
	}
	return fmt.Sprintf("region %q: %s", e.Region, strings.Join(e.Diagnostics, "; "))
}

func (e *EngineError) Unwrap() error { return e.Err }

// failure attaches the error diagnostics the engine reported to err, which on its
// own carries the whole CLI output.
func (c *collector) failure(err error) error {
	if err == nil || errors.Is(err, context.Canceled) || len(c.errs) == 0 {
		return err
	}
	return &EngineError{Region: c.region, Diagnostics: c.errs, Err: err}
}

// maskUnknowns replaces the engine's marker for values not known until apply with
// manifest.UnknownMask, the form policy and reports understand in both engines' output.
func maskUnknowns(v any) any {
	switch x := v.(type) {
	case string:
		if x == plugin.UnknownStringValue {
			return manifest.UnknownMask
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = maskUnknowns(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = maskUnknowns(e)
		}
		return out
	}
	return v
}

// urnName is the resource name of a URN (the part after the last "::").
func urnName(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}

// urnLabel is "type name" for a URN, as users read resources in the tree.
func urnLabel(urn string) string {
	parts := strings.Split(urn, "::")
	if len(parts) < 4 {
		return urn
	}
	typ := parts[len(parts)-2]
	if i := strings.LastIndex(typ, "$"); i >= 0 {
		typ = typ[i+1:]
	}
	return typ + " " + parts[len(parts)-1]
}
