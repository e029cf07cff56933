// Package playbook walks the new-region runbook (playbook/steps.yaml): per region,
// each step's automatic check and its recorded sign-off make it done, pending or
// failed. Nothing is kept on one machine: sign-offs live in the repository
// (playbook/signoffs/REGION.yaml), and every check is run again on every walk, so a
// walk resumes wherever the region stands.
package playbook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Step is one step of the runbook.
type Step struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"`
	// Check names what regionctl verifies ("none" when only a person can judge).
	Check string `yaml:"check" json:"check"`
	// Signoff is set when a person records the step as done once its check passes.
	Signoff bool   `yaml:"signoff" json:"signoff"`
	Do      string `yaml:"do" json:"do"`
}

// CheckNone marks a step with nothing to check automatically.
const CheckNone = "none"

// Parse reads the steps document, refusing unknown keys, duplicate ids and steps
// that neither check nor ask for a sign-off.
func Parse(data []byte) ([]Step, error) {
	var doc struct {
		Steps []Step `yaml:"steps"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("playbook/steps.yaml: %w", err)
	}
	seen := map[string]bool{}
	for i, s := range doc.Steps {
		switch {
		case s.ID == "" || s.Title == "" || s.Check == "":
			return nil, fmt.Errorf("playbook/steps.yaml: steps[%d]: id, title and check are required", i)
		case seen[s.ID]:
			return nil, fmt.Errorf("playbook/steps.yaml: steps[%d]: id %q is used twice", i, s.ID)
		case s.Check == CheckNone && !s.Signoff:
			return nil, fmt.Errorf("playbook/steps.yaml: steps[%d] (%s): a step with check: none needs signoff: true, or nothing could ever mark it done", i, s.ID)
		}
		seen[s.ID] = true
	}
	return doc.Steps, nil
}

// Status is where a step stands.
type Status string

// The states of a step.
const (
	Done    Status = "done"
	Pending Status = "pending"
	Failed  Status = "failed"
)

// Verdict is what an automatic check found.
type Verdict struct {
	// OK is true when the check passes; Skipped when it could not run here (no backend),
	// which leaves the step pending.
	OK, Skipped bool
	// Detail says what was found; Fix what to do when the check does not pass.
	Detail, Fix string
}

// Checker runs one kind of check for a region.
type Checker func(ctx context.Context) Verdict

// Signoff is a person's record that a step is done.
type Signoff struct {
	Step string    `yaml:"step" json:"step"`
	By   string    `yaml:"by" json:"by"`
	At   time.Time `yaml:"at" json:"at"`
	Note string    `yaml:"note,omitempty" json:"note,omitempty"`
}

// Result is one step walked.
type Result struct {
	Step    Step     `json:"step"`
	Status  Status   `json:"status"`
	Detail  string   `json:"detail,omitempty"`
	Fix     string   `json:"fix,omitempty"`
	Signoff *Signoff `json:"signoff,omitempty"`
	// Passed is true when the step's check passed (or it has none): a person may sign
	// it off.
	Passed bool `json:"passed"`
}

// Walk runs every step's check (checks by name) and reads its sign-off. A check not
// given is a bug in the caller, reported as a failure rather than skipped.
func Walk(ctx context.Context, steps []Step, checks map[string]Checker, signoffs []Signoff) []Result {
	out := make([]Result, len(steps))
	for i, s := range steps {
		r := Result{Step: s, Status: Done}
		if j := slices.IndexFunc(signoffs, func(o Signoff) bool { return o.Step == s.ID }); j >= 0 {
			r.Signoff = &signoffs[j]
		}
		if s.Check != CheckNone {
			check, ok := checks[s.Check]
			if !ok {
				out[i] = Result{Step: s, Status: Failed, Detail: fmt.Sprintf("regionctl has no check %q", s.Check)}
				continue
			}
			v := check(ctx)
			r.Detail, r.Fix = v.Detail, v.Fix
			switch {
			case v.Skipped:
				r.Status = Pending
			case !v.OK:
				r.Status = Failed
			}
		}
		r.Passed = r.Status == Done
		if r.Status == Done && s.Signoff && r.Signoff == nil {
			r.Status = Pending
			r.Fix = strings.TrimSpace(r.Fix + fmt.Sprintf(" sign it off once done: regionctl playbook REGION --sign %s --note ...", s.ID))
		}
		out[i] = r
	}
	return out
}

// Next is the first step not done, or nil when the region is launched.
func Next(results []Result) *Result {
	for i := range results {
		if results[i].Status != Done {
			return &results[i]
		}
	}
	return nil
}

// SignoffPath is where a region's sign-offs are kept, under the repository's
// playbook folder.
func SignoffPath(playbookDir, region string) string {
	return filepath.Join(playbookDir, "signoffs", region+".yaml")
}

// ReadSignoffs reads a region's sign-offs; none yet is no error.
func ReadSignoffs(path string) ([]Signoff, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var doc struct {
		Signoffs []Signoff `yaml:"signoffs"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return doc.Signoffs, nil
}

// Record adds (or replaces) the sign-off of one step and writes the file whole,
// through a temporary file, so an interrupted write leaves the old one.
func Record(path string, s Signoff) error {
	all, err := ReadSignoffs(path)
	if err != nil {
		return err
	}
	all = slices.DeleteFunc(all, func(o Signoff) bool { return o.Step == s.Step })
	all = append(all, s)
	var b bytes.Buffer
	b.WriteString("# Sign-offs of the new-region playbook (regionctl playbook REGION --sign STEP).\n# Commit this file with the region file.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(struct {
		Signoffs []Signoff `yaml:"signoffs"`
	}{all}); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".signoffs-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Markdown is the runbook for people (playbook/README.md), from the same steps.
func Markdown(steps []Step) string {
	var b strings.Builder
	b.WriteString("# Standing up a new hosting region\n\n")
	b.WriteString("<!-- generated from steps.yaml by `go test ./internal/playbook -update`; edit steps.yaml -->\n\n")
	b.WriteString("The steps a person follows to offer a new data-residency region. `regionctl playbook REGION`\n")
	b.WriteString("walks them with the region's real state: it runs each step's check, shows it done,\n")
	b.WriteString("pending or failed with why, and records sign-offs (`--sign STEP --note ...`) in\n")
	b.WriteString("`playbook/signoffs/REGION.yaml`, committed with the region file. Run it again at any time:\n")
	b.WriteString("it resumes where the region stands.\n\n")
	for i, s := range steps {
		fmt.Fprintf(&b, "%d. **%s** (`%s`", i+1, s.Title, s.ID)
		switch {
		case s.Check != CheckNone && s.Signoff:
			fmt.Fprintf(&b, "; checked: %s; then signed off", s.Check)
		case s.Check != CheckNone:
			fmt.Fprintf(&b, "; checked: %s", s.Check)
		default:
			b.WriteString("; signed off")
		}
		b.WriteString(")\n")
		for _, line := range strings.Split(strings.TrimSpace(s.Do), "\n") {
			b.WriteString("   " + line + "\n")
		}
	}
	return b.String()
}
