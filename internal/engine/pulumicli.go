package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
)

// PulumiVersion is the CLI version regionctl is built and tested against; tools/pulumi
// pins the same version and `make tools` builds it into bin/pulumi.
var PulumiVersion = semver.MustParse("3.250.0")

// ErrNoPulumiCLI says there is no Pulumi CLI to drive, and how to get one.
var ErrNoPulumiCLI = errors.New("the Pulumi CLI was not found in bin/ or on PATH; " +
	"build the pinned one with `make tools` (several minutes the first time, needs only Go)")

// FindPulumi returns the Pulumi CLI to drive: bin/pulumi next to the running
// regionctl, then bin/pulumi under the working directory, then pulumi on PATH.
func FindPulumi() (auto.PulumiCommand, error) {
	path, err := PulumiPath()
	if err != nil {
		return nil, err
	}
	return newPulumiCLI(path)
}

// PulumiPath is where the Pulumi CLI FindPulumi drives is (another regionctl, a
// rollback's, is given it on PATH).
func PulumiPath() (string, error) {
	var candidates []string
	if exe, err := os.Executable(); err == nil {
		if dir := filepath.Dir(exe); filepath.Base(dir) == "bin" {
			candidates = append(candidates, filepath.Join(dir, "pulumi"))
		}
	}
	if wd, err := os.Getwd(); err == nil {
		candidates = append(candidates, filepath.Join(wd, "bin", "pulumi"))
	}
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			return c, nil
		}
	}
	if path, err := exec.LookPath("pulumi"); err == nil {
		return path, nil
	}
	return "", ErrNoPulumiCLI
}

// pulumiCLI runs the Pulumi CLI for the Automation API.
//
// It differs from the SDK's own runner in two ways that matter here. Interrupted, the
// engine is given all the time it needs to finish the cloud operations in flight (the
// SDK kills it after 10 seconds, which leaves "creating" operations pending in the
// state when a database takes minutes); a second Ctrl-C still aborts regionctl at once.
// And the version check runs once per binary, not once per command: it costs a CLI
// start, a quarter of a no-op preview.
type pulumiCLI struct {
	path    string
	version semver.Version
}

func newPulumiCLI(path string) (auto.PulumiCommand, error) {
	v, err := cliVersion(path)
	if err != nil {
		return nil, fmt.Errorf("the Pulumi CLI %s is not usable (%v); rebuild the pinned one with `make tools`", path, err)
	}
	if v.LT(PulumiVersion) {
		return nil, fmt.Errorf("the Pulumi CLI %s is version %s, older than the %s regionctl needs; rebuild the pinned one with `make tools`", path, v, PulumiVersion)
	}
	return pulumiCLI{path: path, version: v}, nil
}

func (c pulumiCLI) Version() semver.Version { return c.version }

func (c pulumiCLI) Run(ctx context.Context, workdir string, stdin io.Reader, outs, errs []io.Writer, env []string, args ...string) (string, string, int, error) {
	flags := args
	if i := slices.Index(args, "--"); i >= 0 {
		flags = args[:i]
	}
	if !slices.Contains(flags, "--non-interactive") {
		args = append([]string{"--non-interactive"}, args...) // never wait for a prompt
	}
	cmd := exec.CommandContext(ctx, c.path, args...)
	cmd.Dir, cmd.Stdin = workdir, stdin
	cmd.Env = append(append(os.Environ(), env...), "PULUMI_AUTOMATION_API=true")
	var stdout, stderr bytes.Buffer
	cmd.Stdout = io.MultiWriter(append(outs, &stdout)...)
	cmd.Stderr = io.MultiWriter(append(errs, &stderr)...)
	// Its own process group: a terminal's Ctrl-C reaches regionctl alone, which then
	// interrupts the engine once (a second interrupt would make it abort mid-operation).
	ownProcessGroup(cmd)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	err := cmd.Run()
	code := -2
	var exit *exec.ExitError
	switch {
	case err == nil:
		code = 0
	case errors.As(err, &exit):
		code = exit.ExitCode()
	}
	return stdout.String(), stderr.String(), code, err
}

// cliVersion is the version of the CLI at path, from a cache keyed by the binary's
// size and modification time, else from `pulumi version` (then cached). The cache is
// only a cache: a missing or stale entry means asking the binary again.
func cliVersion(path string) (semver.Version, error) {
	info, err := os.Stat(path)
	if err != nil {
		return semver.Version{}, err
	}
	key := fmt.Sprintf("%s %d %d", path, info.Size(), info.ModTime().UnixNano())
	cacheFile := ""
	if dir, err := os.UserCacheDir(); err == nil {
		cacheFile = filepath.Join(dir, "regionctl", "pulumi-versions.json")
	}
	cache := map[string]string{}
	if b, err := os.ReadFile(cacheFile); err == nil {
		_ = json.Unmarshal(b, &cache)
	}
	if v, err := semver.ParseTolerant(cache[key]); err == nil {
		return v, nil
	}
	cmd := exec.Command(path, "version")
	cmd.Env = append(os.Environ(), "PULUMI_SKIP_UPDATE_CHECK=true")
	out, err := cmd.Output()
	if err != nil {
		return semver.Version{}, err
	}
	text := strings.TrimSpace(string(out))
	v, err := semver.ParseTolerant(text)
	if err != nil {
		return semver.Version{}, fmt.Errorf("it reports version %q", text)
	}
	if cacheFile != "" {
		cache[key] = text
		if b, err := json.Marshal(cache); err == nil && os.MkdirAll(filepath.Dir(cacheFile), 0o755) == nil {
			_ = os.WriteFile(cacheFile, b, 0o644)
		}
	}
	return v, nil
}
