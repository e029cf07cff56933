package engine

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Folders under the working directory; rehearsal never shares the real state.
const (
	StateDir          = ".regionctl/state"
	RehearsalDir      = ".regionctl/rehearsal"
	rehearsalPassword = "regionctl-rehearsal"
)

// Backend is where stacks keep their state and how their secrets are encrypted.
type Backend struct {
	URL string
	// Passphrase encrypts secrets for self-managed backends; empty for Pulumi Cloud,
	// which encrypts them itself.
	Passphrase string
	// Root holds the per-region work folders (Pulumi.yaml, PULUMI_HOME).
	Root string
}

// backendSchemes are the state backends Pulumi can use, as URL schemes.
var backendSchemes = []string{"file://", "s3://", "gs://", "azblob://", "postgres://", "https://", "http://"}

// ResolveBackend picks the state backend: --state, else PULUMI_BACKEND_URL, else a
// file:// folder under .regionctl/. Rehearsal always uses its own folder.
// A file:// folder is created when missing: Pulumi refuses to log in to one that is not there.
func ResolveBackend(stateFlag string, rehearse bool, getenv func(string) string) (Backend, error) {
	return resolveBackend(stateFlag, rehearse, false, getenv)
}

// ResolveBackendReadOnly is ResolveBackend for commands that read only names, counts
// and dates: those need no passphrase.
func ResolveBackendReadOnly(stateFlag string, rehearse bool, getenv func(string) string) (Backend, error) {
	return resolveBackend(stateFlag, rehearse, true, getenv)
}

func resolveBackend(stateFlag string, rehearse, readOnly bool, getenv func(string) string) (Backend, error) {
	wd, err := os.Getwd()
	if err != nil {
		return Backend{}, err
	}
	b := Backend{Root: filepath.Join(wd, ".regionctl")}
	switch {
	case rehearse && stateFlag != "":
		return Backend{}, errors.New("--state cannot be used with --rehearse: a rehearsal keeps its own state in " + RehearsalDir)
	case rehearse:
		b.Root = filepath.Join(wd, RehearsalDir)
		b.URL = "file://" + filepath.Join(b.Root, "state")
	case stateFlag != "":
		b.URL = stateFlag
	case getenv("PULUMI_BACKEND_URL") != "":
		b.URL = getenv("PULUMI_BACKEND_URL")
	default:
		b.URL = "file://" + filepath.Join(wd, StateDir)
	}
	if !slices.ContainsFunc(backendSchemes, func(p string) bool { return strings.HasPrefix(b.URL, p) }) {
		return Backend{}, fmt.Errorf("%s is not a state backend URL; use file://DIR, s3://BUCKET, gs://BUCKET, azblob://CONTAINER or https://api.pulumi.com", redact(b.URL))
	}
	if strings.HasPrefix(b.URL, "file://") {
		dir := strings.TrimPrefix(b.URL, "file://")
		if !filepath.IsAbs(dir) && !strings.HasPrefix(dir, "~") {
			dir = filepath.Join(wd, dir)
			b.URL = "file://" + dir
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return Backend{}, fmt.Errorf("creating state folder: %w", err)
		}
	}
	if IsCloudBackend(b.URL) {
		return b, nil
	}
	b.Passphrase = getenv("PULUMI_CONFIG_PASSPHRASE")
	if b.Passphrase == "" && getenv("PULUMI_CONFIG_PASSPHRASE_FILE") == "" {
		if readOnly && !rehearse {
			return b, nil
		}
		if !rehearse {
			return Backend{}, fmt.Errorf("PULUMI_CONFIG_PASSPHRASE is not set: the state backend %s encrypts secrets "+
				"with a passphrase; set it (from your secret store) and use the same one on every run", redact(b.URL))
		}
		// Rehearsal state holds only fake values; a fixed passphrase keeps it usable with no set-up.
		b.Passphrase = rehearsalPassword
	}
	return b, nil
}

// IsCloudBackend reports whether url is Pulumi Cloud (or a self-hosted Pulumi service),
// which encrypts secrets itself.
func IsCloudBackend(u string) bool {
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
}

// redact hides credentials a backend URL may carry (postgres://user:pw@host).
func redact(u string) string {
	parsed, err := url.Parse(u)
	if err != nil || parsed.User == nil {
		return u
	}
	parsed.User = url.User(parsed.User.Username())
	return parsed.String()
}
