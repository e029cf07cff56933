package engine

import (
	"context"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/opthistory"

	"github.com/regionctl/regionctl/internal/spec"
)

// Update is one entry of a stack's update history as the backend keeps it: what ran,
// when, how it ended, what it changed, and the message it was given (regionctl's
// ledger line, app.LedgerEntry). The backend keeps it, so every checkout sees it.
type Update struct {
	Version int
	// Kind is the engine's: update, refresh, destroy, import.
	Kind      string
	Message   string
	StartTime string
	EndTime   string
	// Result is succeeded, failed or in-progress.
	Result  string
	Changes Changes
}

// History reads a region's update history from the backend, newest first. A region
// whose file is gone is read from its stack (app.Orphan).
func (a *Automation) History(ctx context.Context, r *spec.Region) ([]Update, error) {
	st, err := a.stack(ctx, r)
	if err != nil {
		return nil, a.explain(r.Region, "", err)
	}
	if st.missing {
		return nil, &NotDeployedError{Region: r.Region, Backend: a.Backend.URL}
	}
	list, err := st.stack.History(ctx, 0, 0, opthistory.ShowSecrets(false)) // no secret is needed: no passphrase
	if err != nil {
		return nil, a.explain(r.Region, "", err)
	}
	out := make([]Update, 0, len(list))
	for _, u := range list {
		up := Update{Version: u.Version, Kind: u.Kind, Message: u.Message, StartTime: u.StartTime, Result: u.Result}
		if u.EndTime != nil {
			up.EndTime = *u.EndTime
		}
		if u.ResourceChanges != nil {
			up.Changes = changesOf(*u.ResourceChanges)
		}
		out = append(out, up)
	}
	// The CLI lists newest first; a self-managed backend numbers no versions, so the
	// start time orders them (the same format throughout), ties kept as listed.
	slices.SortStableFunc(out, func(x, y Update) int { return strings.Compare(y.StartTime, x.StartTime) })
	return out, nil
}

// changesOf counts an update's resource changes by the engine's operation names.
func changesOf(m map[string]int) Changes {
	var c Changes
	for op, n := range m {
		switch op {
		case "create", "import":
			c.Create += n
		case "update":
			c.Update += n
		case "replace": // its create-replacement and delete-replaced halves are not counted again
			c.Replace += n
		case "delete":
			c.Delete += n
		case "same":
			c.Same += n
		}
	}
	return c
}
