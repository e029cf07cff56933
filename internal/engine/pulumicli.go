package engine

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
)

// PulumiVersion is the CLI version regionctl is built and tested against; tools/pulumi
// pins the same version and `make tools` builds it into bin/pulumi.
var PulumiVersion = semver.MustParse("3.250.0")

// ErrNoPulumiCLI says there is no Pulumi CLI to drive, and how to get one.
var ErrNoPulumiCLI = errors.New("the Pulumi CLI was not found in bin/ or on PATH; " +
	"build the pinned one with `make tools` (about 5 minutes, needs only Go)")

// FindPulumi returns the Pulumi CLI to drive: bin/pulumi next to the running
// regionctl, then bin/pulumi under the working directory, then pulumi on PATH.
func FindPulumi() (auto.PulumiCommand, error) {
	var roots []string
	if exe, err := os.Executable(); err == nil {
		if dir := filepath.Dir(exe); filepath.Base(dir) == "bin" {
			roots = append(roots, filepath.Dir(dir))
		}
	}
	if wd, err := os.Getwd(); err == nil {
		roots = append(roots, wd)
	}
	for _, root := range roots {
		if _, err := os.Stat(filepath.Join(root, "bin", "pulumi")); err == nil {
			return newPulumiCommand(root)
		}
	}
	if _, err := exec.LookPath("pulumi"); err == nil {
		return newPulumiCommand("")
	}
	return nil, ErrNoPulumiCLI
}

// newPulumiCommand checks the CLI under root/bin (or on PATH when root is empty)
// is at least the pinned version: older engines lack features the runner relies on.
func newPulumiCommand(root string) (auto.PulumiCommand, error) {
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: root, Version: PulumiVersion})
	if err != nil {
		where := "on PATH"
		if root != "" {
			where = filepath.Join(root, "bin", "pulumi")
		}
		return nil, fmt.Errorf("the Pulumi CLI %s is not usable (%v); rebuild the pinned one with `make tools`", where, err)
	}
	return cmd, nil
}
