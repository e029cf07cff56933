package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/regionctl/regionctl/internal/estimate"
	"github.com/regionctl/regionctl/internal/playbook"
	"github.com/regionctl/regionctl/internal/source"
	"github.com/regionctl/regionctl/internal/spec"
	shipped "github.com/regionctl/regionctl/playbook"
)

// PlaybookRequest asks for the new-region playbook of one region.
type PlaybookRequest struct {
	Region string
	// Engine says which backend the engine steps read (state URL, --rehearse);
	// Offline skips them (they stay pending).
	Engine  EngineRequest
	Offline bool
	// Live makes the preflight ask the account (Preflight's live).
	Live bool
}

// PlaybookReport is the playbook walked for one region.
type PlaybookReport struct {
	Region  string            `json:"region"`
	Results []playbook.Result `json:"steps"`
	// Signoffs is where the sign-offs are kept.
	Signoffs string `json:"signoffs"`
	// Estimate is the region's stand-up time and monthly cost, from the offline plan.
	Estimate *estimate.Estimate `json:"estimate,omitempty"`
}

// Playbook walks the new-region runbook for a region: every step's check is run
// against the region's real state (the engine's steps only with a backend), and its
// sign-off read from the repository. It changes nothing.
func (e *Env) Playbook(ctx context.Context, req PlaybookRequest) (*PlaybookReport, error) {
	steps, err := playbook.Parse(shipped.Steps)
	if err != nil {
		return nil, err
	}
	path := e.signoffPath(req.Region)
	signoffs, err := playbook.ReadSignoffs(path)
	if err != nil {
		return nil, &ConfigError{Err: err}
	}
	// One offline plan serves the guardrails step and the estimate.
	plan := sync.OnceValues(func() (*Planned, error) { return e.Plan(ctx, []string{req.Region}) })
	report := &PlaybookReport{Region: req.Region, Signoffs: path, Results: playbook.Walk(ctx, steps, e.playbookChecks(req, plan), signoffs)}
	if e.Planner != nil {
		planned, _ := plan() // a plan that fails is the guardrails step's failure
		report.Estimate = estimateIn(planned)
	}
	return report, nil
}

// estimateOf is a region's estimate from its offline plan; nil when it does not plan.
func (e *Env) estimateOf(ctx context.Context, id string) *estimate.Estimate {
	if e.Planner == nil {
		return nil
	}
	planned, _ := e.Plan(ctx, []string{id})
	return estimateIn(planned)
}

// estimateIn is the first region's estimate of a plan; nil when there is none.
func estimateIn(planned *Planned) *estimate.Estimate {
	if planned == nil || len(planned.Estimates) == 0 {
		return nil
	}
	return &planned.Estimates[0]
}

// SignOffRequest records that a person has done a step.
type SignOffRequest struct {
	Playbook PlaybookRequest
	Step     string
	Note     string
	// By is who signs; "" means the git identity of the checkout (user.name
	// <user.email>), else $USER.
	By string
}

// SignOff records a step of the playbook as done, once its check passes and every
// step before it is done: the sign-off is written to playbook/signoffs/REGION.yaml,
// for the person to commit.
func (e *Env) SignOff(ctx context.Context, req SignOffRequest) (*PlaybookReport, error) {
	steps, err := playbook.Parse(shipped.Steps)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(steps, func(s playbook.Step) bool { return s.ID == req.Step })
	switch {
	case i < 0:
		return nil, &UsageError{Msg: fmt.Sprintf("--sign %s: no such step; the steps are %s", req.Step, stepIDs(steps))}
	case !steps[i].Signoff:
		return nil, &UsageError{Msg: fmt.Sprintf("--sign %s: regionctl checks that step itself; nothing to sign", req.Step)}
	}
	report, err := e.Playbook(ctx, req.Playbook)
	if err != nil {
		return nil, err
	}
	for _, r := range report.Results[:i] {
		if r.Status != playbook.Done {
			return nil, &UsageError{Msg: fmt.Sprintf("--sign %s: step %q (%s) is %s: finish it first", req.Step, r.Step.ID, r.Step.Title, r.Status)}
		}
	}
	if r := report.Results[i]; !r.Passed {
		return nil, &UsageError{Msg: fmt.Sprintf("--sign %s: its check has not passed (%s): %s", req.Step, r.Status, r.Detail)}
	}
	by := req.By
	if by == "" {
		by = e.identity()
	}
	s := playbook.Signoff{Step: req.Step, By: by, At: e.Now().UTC().Truncate(time.Second), Note: req.Note}
	if err := playbook.Record(report.Signoffs, s); err != nil {
		return nil, err
	}
	report.Results[i].Status, report.Results[i].Signoff, report.Results[i].Fix = playbook.Done, &s, ""
	return report, nil
}

func stepIDs(steps []playbook.Step) string {
	ids := make([]string, len(steps))
	for i, s := range steps {
		ids[i] = s.ID
	}
	return strings.Join(ids, ", ")
}

// signoffPath is playbook/signoffs/REGION.yaml at the top of the repository the
// regions folder is in (next to the regions folder outside a git checkout).
func (e *Env) signoffPath(region string) string {
	top := filepath.Dir(filepath.Clean(e.RegionsDir))
	if repo, err := source.Open(e.RegionsDir); err == nil {
		top = repo.Top
	}
	return playbook.SignoffPath(filepath.Join(top, "playbook"), region)
}

// identity is who signs off: the checkout's git identity, else the login name.
func (e *Env) identity() string {
	name, _ := exec.Command("git", "-C", e.RegionsDir, "config", "user.name").Output()
	mail, _ := exec.Command("git", "-C", e.RegionsDir, "config", "user.email").Output()
	n, m := strings.TrimSpace(string(name)), strings.TrimSpace(string(mail))
	switch {
	case n != "" && m != "":
		return n + " <" + m + ">"
	case n != "":
		return n
	case e.Getenv != nil && e.Getenv("USER") != "":
		return e.Getenv("USER")
	}
	return "unknown"
}

// playbookChecks are the automatic checks of the steps, for one region. The engine's
// checks share one preview and one status read; plan is the region's offline plan.
func (e *Env) playbookChecks(req PlaybookRequest, plan func() (*Planned, error)) map[string]playbook.Checker {
	id := req.Region
	load := sync.OnceValues(func() (*spec.Region, error) {
		regions, err := e.Validate([]string{id})
		if err != nil {
			return nil, err
		}
		return regions[0], nil
	})
	engineReq := req.Engine
	engineReq.Regions = []string{id}
	preview := sync.OnceValues(func() (*Outcome, error) {
		return e.Preview(context.Background(), engineReq)
	})
	status := sync.OnceValues(func() (*RegionStatus, error) {
		all, err := e.Status(context.Background(), engineReq)
		if err != nil || len(all) == 0 {
			return nil, errors.Join(err, fmt.Errorf("no status for %s", id))
		}
		return &all[0], nil
	})
	needsEngine := playbook.Verdict{Skipped: true, Detail: "needs the state backend", Fix: "run with --state URL (or --rehearse to walk a rehearsal)"}
	deployed := func() (playbook.Verdict, bool) {
		if req.Offline {
			return needsEngine, false
		}
		st, err := status()
		switch {
		case err != nil:
			return playbook.Verdict{Detail: oneLine(err)}, false
		case !st.Deployed:
			return playbook.Verdict{Skipped: true, Detail: "not deployed yet", Fix: fmt.Sprintf("regionctl up %s --staged", id)}, false
		case len(st.Pending) > 0:
			return playbook.Verdict{Detail: fmt.Sprintf("%d operations an interrupted run left pending", len(st.Pending)), Fix: fmt.Sprintf("regionctl refresh %s", id)}, false
		}
		return playbook.Verdict{OK: true}, true
	}
	return map[string]playbook.Checker{
		"validate": func(context.Context) playbook.Verdict {
			if _, err := load(); err != nil {
				return playbook.Verdict{Detail: oneLine(err), Fix: fmt.Sprintf("regionctl validate %s", id)}
			}
			return playbook.Verdict{OK: true, Detail: "the region file is valid"}
		},
		"preflight": func(ctx context.Context) playbook.Verdict {
			p, err := e.Preflight(ctx, id, req.Live)
			var failed *PreflightFailedError
			if err != nil && !errors.As(err, &failed) {
				return playbook.Verdict{Detail: oneLine(err), Fix: fmt.Sprintf("regionctl preflight %s", id)}
			}
			var fails, warns []string
			for _, c := range p.Checks {
				switch c.Status {
				case CheckFail:
					fails = append(fails, c.Name+": "+c.Detail)
				case CheckWarn:
					warns = append(warns, c.Name)
				}
			}
			if len(fails) > 0 {
				return playbook.Verdict{Detail: fmt.Sprintf("%d failed: %s", len(fails), strings.Join(fails, "; ")), Fix: fmt.Sprintf("regionctl preflight %s names each fix", id)}
			}
			detail := fmt.Sprintf("%d checks pass against %s", len(p.Checks), p.Source)
			if len(warns) > 0 {
				detail += fmt.Sprintf(" (%d warnings: %s)", len(warns), strings.Join(warns, ", "))
			}
			return playbook.Verdict{OK: true, Detail: detail}
		},
		"guardrails": func(context.Context) playbook.Verdict {
			planned, err := plan()
			if err != nil {
				return playbook.Verdict{Detail: oneLine(err), Fix: fmt.Sprintf("regionctl policy %s", id)}
			}
			n := planned.Reports[0].Counts()
			return playbook.Verdict{OK: true, Detail: fmt.Sprintf("every guardrail passes (%d warnings, %d waived)", n.Warnings, n.Waived)}
		},
		"preview": func(context.Context) playbook.Verdict {
			if req.Offline {
				return needsEngine
			}
			out, err := preview()
			if err != nil {
				return playbook.Verdict{Detail: oneLine(err), Fix: fmt.Sprintf("regionctl preview %s", id)}
			}
			c := out.Results[0].Changes
			return playbook.Verdict{OK: true, Detail: fmt.Sprintf("the engine plans %d to create, %d to update, %d to replace, %d to delete; guardrails pass", c.Create, c.Update, c.Replace, c.Delete)}
		},
		"deployed": func(context.Context) playbook.Verdict {
			if v, ok := deployed(); !ok {
				return v
			}
			out, err := preview()
			if err != nil {
				return playbook.Verdict{Detail: oneLine(err)}
			}
			if c := out.Results[0].Changes; c.Pending() {
				return playbook.Verdict{Detail: fmt.Sprintf("deployed, but the file and the region differ (%d to create, %d to update, %d to replace, %d to delete)", c.Create, c.Update, c.Replace, c.Delete),
					Fix: fmt.Sprintf("regionctl up %s", id)}
			}
			st, _ := status()
			return playbook.Verdict{OK: true, Detail: fmt.Sprintf("deployed (%d resources, last update %s), nothing to change", st.Resources, st.LastUpdate)}
		},
		"healthy": func(ctx context.Context) playbook.Verdict {
			if v, ok := deployed(); !ok {
				return v
			}
			return e.healthy(ctx, engineReq, status)
		},
		"features": func(context.Context) playbook.Verdict {
			r, err := load()
			if err != nil {
				return playbook.Verdict{Detail: oneLine(err)}
			}
			gaps, err := e.featureGaps(r)
			if err != nil {
				return playbook.Verdict{Detail: oneLine(err)}
			}
			if len(gaps) == 0 {
				return playbook.Verdict{OK: true, Detail: "the region has every feature another region has"}
			}
			return playbook.Verdict{OK: true, Detail: "off at launch: " + strings.Join(gaps, ", ")}
		},
		"tags": func(context.Context) playbook.Verdict {
			r, err := load()
			if err != nil {
				return playbook.Verdict{Detail: oneLine(err)}
			}
			if cc := r.Tags["costCenter"]; cc != "" {
				return playbook.Verdict{OK: true, Detail: "costCenter: " + cc + " on every resource (the provider's default tags)"}
			}
			return playbook.Verdict{Detail: "no costCenter tag: the bill cannot split by region", Fix: fmt.Sprintf("%s: add tags: {costCenter: hosting-%s}", r.Source.Path, r.Jurisdiction)}
		},
	}
}

// healthy checks a deployed region's outputs: its endpoints are there (and resolve,
// against AWS), its alarms reach someone, and every fleet has its group.
func (e *Env) healthy(ctx context.Context, req EngineRequest, status func() (*RegionStatus, error)) playbook.Verdict {
	outputs, err := e.Outputs(ctx, req)
	if err != nil {
		return playbook.Verdict{Detail: oneLine(err)}
	}
	// The stack's endpoint outputs map each entry to its host name (stacks/region).
	var hosts []string
	for _, k := range []string{"albDnsNames", "databaseEndpoints", "databaseReaderEndpoints", "cacheEndpoints"} {
		byEntry, _ := outputs[k].(map[string]any)
		for _, name := range sortedKeys(byEntry) {
			if s, ok := byEntry[name].(string); ok && s != "" {
				hosts = append(hosts, s)
			}
		}
	}
	var problems []string
	if len(hosts) == 0 {
		problems = append(problems, "the stack has no endpoints in its outputs")
	}
	if !req.Rehearse {
		for _, h := range hosts {
			lookup, cancel := context.WithTimeout(ctx, 5*time.Second)
			if _, err := net.DefaultResolver.LookupHost(lookup, h); err != nil {
				problems = append(problems, fmt.Sprintf("%s does not resolve", h))
			}
			cancel()
		}
	}
	st, err := status()
	if err != nil {
		return playbook.Verdict{Detail: oneLine(err)}
	}
	detail := fmt.Sprintf("%d endpoints", len(hosts))
	if req.Rehearse {
		detail += " (not resolved: a rehearsal's names are not in DNS)"
	}
	switch {
	case !st.Alarms.Reaches():
		problems = append(problems, "no alarm reaches anyone yet: confirm the e-mail subscription (AWS sent the link to the alarm address), or add alarms.https")
	case len(st.Alarms.Pending) > 0:
		detail += fmt.Sprintf("; alarms reach %s, %s still to confirm", strings.Join(st.Alarms.Confirmed, ", "), strings.Join(st.Alarms.Pending, ", "))
	default:
		detail += "; alarms reach " + strings.Join(st.Alarms.Confirmed, ", ")
	}
	if len(problems) > 0 {
		return playbook.Verdict{Detail: strings.Join(problems, "; "), Fix: "see regionctl status and regionctl outputs"}
	}
	return playbook.Verdict{OK: true, Detail: detail}
}

// featureGaps lists the features on in another region and not in r.
func (e *Env) featureGaps(r *spec.Region) ([]string, error) {
	all, err := spec.LoadDir(e.RegionsDir)
	if err != nil {
		return nil, err
	}
	var gaps []string
	for _, other := range all {
		for name, on := range other.Features {
			if on && !r.Features[name] && !slices.Contains(gaps, name) {
				gaps = append(gaps, name)
			}
		}
	}
	slices.Sort(gaps)
	return gaps, nil
}

func oneLine(err error) string {
	var ps spec.Problems
	if errors.As(err, &ps) && len(ps) > 0 {
		return fmt.Sprintf("%s (%d problems)", ps[0].String(), len(ps))
	}
	line, _, _ := strings.Cut(err.Error(), "\n")
	return line
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
