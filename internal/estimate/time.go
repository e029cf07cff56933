// Package estimate says what standing a region up takes before anyone runs it: how long
// its first `up` should take (the critical path of the plan's dependency graph with
// awsmodel's typical creation times) and what it costs a month (the plan's resources
// priced with awsmodel's price table). It reads a manifest only, so the offline plan,
// `regionctl new` and the playbook all get the same figures.
package estimate

import (
	"fmt"
	"slices"
	"time"

	"github.com/regionctl/regionctl/internal/awsmodel"
	"github.com/regionctl/regionctl/internal/manifest"
)

// Duration is a time.Duration that reads as whole seconds in JSON.
type Duration time.Duration

// MarshalJSON writes the duration in seconds.
func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(fmt.Sprintf("%d", int64(time.Duration(d)/time.Second))), nil
}

// Step is one resource on the critical path.
type Step struct {
	Type string `json:"type"`
	Name string `json:"name"`
	URN  string `json:"urn"`
	// Takes is the resource's typical creation time; Done is when it is done,
	// counted from the start of the `up`.
	Takes Duration `json:"seconds"`
	Done  Duration `json:"doneAtSeconds"`
	// Explicit says the step waits for the one before it only through an explicit
	// pulumi.DependsOn, not because an input needs one of its outputs.
	Explicit bool `json:"explicit,omitempty"`
}

// Edge is an explicit-only dependency on the critical path: Resource waits for
// WaitsFor because the program says so, not because of an input, so it is where the
// program may serialise what could run in parallel.
type Edge struct {
	Resource string `json:"resource"`
	WaitsFor string `json:"waitsFor"`
	// Via is the component the explicit dependency names, when it names one (waiting
	// for a component is waiting for every resource in it).
	Via string `json:"via,omitempty"`
}

// FirstUp is the estimate of a first `up` of a region: nothing exists yet, every
// resource is created, and the engine starts each as soon as everything it depends
// on is done (Pulumi creates independent resources in parallel; the estimate assumes
// no bound on that parallelism).
type FirstUp struct {
	Total Duration `json:"seconds"`
	// Path is the longest chain of dependencies, first to last; its creation times
	// add up to Total.
	Path []Step `json:"criticalPath"`
	// Serialised are the explicit-only edges on the path.
	Serialised []Edge `json:"serialised"`
}

// node is a resource of the graph, with the edges it waits on.
type node struct {
	res   manifest.Resource
	takes time.Duration
	// deps are the resources it waits for; explicit marks those no input names.
	deps     []string
	explicit map[string]bool
	children []string
}

// creation is how long AWS takes to create a resource: nothing for what AWS does not
// create (components, the stack, providers).
func creation(r manifest.Resource) time.Duration {
	if !r.Custom || manifest.IsProvider(r.Type) || r.Type == manifest.StackType {
		return 0
	}
	return awsmodel.Creation(r.Type).Typical
}

// TimeOf estimates a region's first `up` from its planned resources. A component takes
// no time of its own and is done when all its children are: that is what depending on
// a component means to the engine. A dependency on a resource missing from the plan,
// or a cycle, is an error (the engine would refuse the program too).
func TimeOf(m manifest.Region) (FirstUp, error) {
	nodes := make(map[string]*node, len(m.Resources))
	for _, r := range m.Resources {
		n := &node{res: r, takes: creation(r), explicit: map[string]bool{}}
		inputs := map[string]bool{}
		for _, urns := range r.InputDeps {
			for _, u := range urns {
				inputs[u] = true
			}
		}
		for _, d := range r.DependsOn {
			n.deps = append(n.deps, d)
			n.explicit[d] = !inputs[d]
		}
		// An input dependency the engine reported but the dependency list lacks
		// (a manifest from an older regionctl) still orders the resources.
		for u := range inputs {
			if !slices.Contains(n.deps, u) {
				n.deps = append(n.deps, u)
			}
		}
		slices.Sort(n.deps)
		nodes[r.URN] = n
	}
	for _, r := range m.Resources {
		if p, ok := nodes[r.Parent]; ok {
			p.children = append(p.children, r.URN)
		}
	}

	g := graph{nodes: nodes, done: map[string]time.Duration{}, via: map[string]string{}, state: map[string]int{}}
	var last string
	var total time.Duration
	for _, r := range m.Resources { // URN order: ties resolve the same way every run
		d, err := g.finish(r.URN)
		if err != nil {
			return FirstUp{}, err
		}
		if d > total || last == "" {
			total, last = d, r.URN
		}
	}
	out := FirstUp{Total: Duration(total), Path: []Step{}, Serialised: []Edge{}}
	if last == "" {
		return out, nil
	}
	// Walk back from the last resource done through what it waited for last. A
	// component on the way stands for its latest child.
	var path []Step
	for urn := last; urn != ""; {
		n := nodes[urn]
		if n.takes == 0 && !n.res.Custom {
			urn = g.via[urn]
			continue
		}
		step := Step{Type: n.res.Type, Name: n.res.Name, URN: urn, Takes: Duration(n.takes), Done: Duration(g.done[urn])}
		prev, component := g.blocker(urn)
		if prev != "" && n.explicit[g.via[urn]] {
			step.Explicit = true
			e := Edge{Resource: n.res.Name, WaitsFor: nodes[prev].res.Name}
			if component != "" {
				e.Via = nodes[component].res.Name
			}
			out.Serialised = append(out.Serialised, e)
		}
		path = append(path, step)
		urn = prev
	}
	slices.Reverse(path)
	slices.Reverse(out.Serialised)
	// Resources that take no time (quick links: providers) start the walk back but
	// are not worth a line on the path.
	out.Path = slices.DeleteFunc(path, func(s Step) bool { return s.Takes == 0 })
	return out, nil
}

type graph struct {
	nodes map[string]*node
	done  map[string]time.Duration
	// via is, per resource, the dependency as the resource names it (or, for a
	// component, the child) that finished last: what it waited for.
	via   map[string]string
	state map[string]int // 1 visiting, 2 done
}

// finish is when a resource is done: the latest of its dependencies, plus its own
// creation time; a component's is its latest child's.
func (g *graph) finish(urn string) (time.Duration, error) {
	switch g.state[urn] {
	case 2:
		return g.done[urn], nil
	case 1:
		return 0, fmt.Errorf("dependency cycle through %s", urn)
	}
	n, ok := g.nodes[urn]
	if !ok {
		return 0, fmt.Errorf("a dependency on %s, which is not in the plan", urn)
	}
	g.state[urn] = 1
	var start time.Duration
	wait := func(dep string) error {
		d, err := g.finish(dep)
		if err != nil {
			return err
		}
		if d > start || g.via[urn] == "" {
			start, g.via[urn] = d, dep
		}
		return nil
	}
	for _, dep := range n.deps {
		if isAncestor(g.nodes, dep, urn) {
			continue // a child never waits for its own component
		}
		if err := wait(dep); err != nil {
			return 0, err
		}
	}
	if !n.res.Custom {
		for _, c := range n.children {
			if err := wait(c); err != nil {
				return 0, err
			}
		}
	}
	g.state[urn] = 2
	g.done[urn] = start + n.takes
	return g.done[urn], nil
}

// blocker is the custom resource urn waited for last, looking through components, and
// the component its dependency named ("" when it named the resource itself).
func (g *graph) blocker(urn string) (prev, component string) {
	prev = g.via[urn]
	for prev != "" && !g.nodes[prev].res.Custom {
		if component == "" {
			component = prev
		}
		prev = g.via[prev]
	}
	return prev, component
}

func isAncestor(nodes map[string]*node, anc, urn string) bool {
	for n := nodes[urn]; n != nil && n.res.Parent != ""; n = nodes[n.res.Parent] {
		if n.res.Parent == anc {
			return true
		}
	}
	return false
}
