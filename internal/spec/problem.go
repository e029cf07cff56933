package spec

import (
	"fmt"
	"sort"
	"strings"
)

// Problem is one thing wrong with a configuration file, at the place it is written.
type Problem struct {
	// Path is the file as given to the loader (regions/eu-west-1.yaml).
	Path string
	// Line and Col are 1-based; 0 when the problem has no place in the file.
	Line, Col int
	// Field is the field path (databases[0].instances); empty for file-level problems.
	Field string
	// Message says what is wrong and how to fix it: lowercase, no trailing period.
	Message string
}

// String formats the problem as path:line:col: field: message, the form editors and CI
// annotators jump to.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Path)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Col > 0 {
			fmt.Fprintf(&b, ":%d", p.Col)
		}
	}
	b.WriteString(": ")
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// Problems is every problem found in one or more files. As an error it prints one
// problem per line, sorted by file, line and column.
type Problems []Problem

// Error implements error.
func (ps Problems) Error() string {
	sorted := append(Problems(nil), ps...)
	sorted.Sort()
	lines := make([]string, len(sorted))
	for i, p := range sorted {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Sort orders problems by file, line and column, keeping the order of problems found at
// the same place.
func (ps Problems) Sort() {
	sort.SliceStable(ps, func(i, j int) bool {
		a, b := ps[i], ps[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// err returns the problems as an error, or nil when there are none (never a nil Problems
// inside a non-nil error).
func (ps Problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	ps.Sort()
	return ps
}

// maxProblems bounds the problems reported for one file: past that the file is not a
// region file with mistakes but something else, and more lines would only bury the first.
const maxProblems = 50

// capped sorts ps and keeps the first maxProblems, saying how many more there were.
func (ps Problems) capped() Problems {
	ps.Sort()
	if len(ps) <= maxProblems {
		return ps
	}
	more := ps[maxProblems]
	more.Field = ""
	more.Message = fmt.Sprintf("and %d more problems; fix the ones above first", len(ps)-maxProblems)
	return append(ps[:maxProblems:maxProblems], more)
}
