package app

import (
	"errors"

	"github.com/regionctl/regionctl/internal/spec"
)

// validateFleet checks regions/fleet.yaml when there is one: validate reports its
// problems with the region files'.
func (e *Env) validateFleet() error {
	_, err := spec.LoadFleet(e.RegionsDir)
	if errors.Is(err, spec.ErrNoFleet) {
		return nil
	}
	return err
}

// problemsOf is the problems of err (nil when it holds none).
func problemsOf(err error) spec.Problems {
	var ps spec.Problems
	errors.As(err, &ps)
	return ps
}

// joinProblems puts the fleet file's problems next to the region files' in one sorted
// Problems; any other error of either is kept whole.
func joinProblems(err, fleet error) error {
	ps, fps := problemsOf(err), problemsOf(fleet)
	if fleet == nil {
		return err
	}
	if ps != nil && fps != nil {
		all := append(append(spec.Problems(nil), ps...), fps...)
		all.Sort()
		return all
	}
	return errors.Join(err, fleet)
}
