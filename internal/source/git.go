// Package source reads the repository regions live in through git: which files a
// change touches between a base ref and the working tree. It runs the git CLI the
// checkout already has (CI runners clone with it), the way Atlantis and the peers do.
package source

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// Change is one file a change touches, by its path from the repository's top.
type Change struct {
	// Status is A (added), M (modified), D (deleted) or R (renamed; From is the old path).
	Status string
	Path   string
	From   string
}

// Repo is a git working tree.
type Repo struct {
	// Top is the working tree's top folder.
	Top string
}

// Open finds the git working tree that holds dir.
func Open(dir string) (*Repo, error) {
	out, err := git(dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, fmt.Errorf("%s is not in a git checkout: %w", dir, err)
	}
	return &Repo{Top: strings.TrimSpace(out)}, nil
}

// DefaultBase is the commit a pull request is compared with: the merge base of HEAD and
// the default branch (origin's HEAD when the clone knows it, else main or master).
func (r *Repo) DefaultBase() (string, error) {
	var branches []string
	if out, err := git(r.Top, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"); err == nil {
		branches = append(branches, strings.TrimSpace(out))
	}
	branches = append(branches, "origin/main", "main", "origin/master", "master")
	for _, b := range branches {
		if out, err := git(r.Top, "merge-base", "HEAD", b); err == nil {
			return strings.TrimSpace(out), nil
		}
	}
	return "", errors.New("no default branch to compare with (main or master, locally or on origin): pass --changed-since REF")
}

// Resolve turns a ref (a branch, tag or commit) into a commit id.
func (r *Repo) Resolve(ref string) (string, error) {
	out, err := git(r.Top, "rev-parse", "--verify", "--quiet", ref+"^{commit}")
	if err != nil {
		return "", fmt.Errorf("%q is not a commit of this repository (fetch it, or name a branch, tag or commit)", ref)
	}
	return strings.TrimSpace(out), nil
}

// Changes lists what the working tree changes against base: committed and uncommitted
// edits, renames followed (a renamed file is one change, not a delete and an add), and
// files git does not track yet but does not ignore.
func (r *Repo) Changes(base string) ([]Change, error) {
	out, err := git(r.Top, "diff", "--name-status", "-z", "--find-renames", base)
	if err != nil {
		return nil, fmt.Errorf("comparing with %s: %w", base, err)
	}
	fields := strings.Split(strings.TrimSuffix(out, "\x00"), "\x00")
	var changes []Change
	for i := 0; i < len(fields) && fields[i] != ""; {
		status := fields[i][:1]
		switch status {
		case "R", "C":
			if i+2 >= len(fields) {
				return nil, fmt.Errorf("comparing with %s: unexpected git output", base)
			}
			c := Change{Status: status, From: fields[i+1], Path: fields[i+2]}
			if status == "C" { // a copy leaves the original: only the new file is a change
				c = Change{Status: "A", Path: fields[i+2]}
			}
			changes = append(changes, c)
			i += 3
		default:
			if i+1 >= len(fields) {
				return nil, fmt.Errorf("comparing with %s: unexpected git output", base)
			}
			if status == "T" {
				status = "M"
			}
			changes = append(changes, Change{Status: status, Path: fields[i+1]})
			i += 2
		}
	}
	untracked, err := git(r.Top, "ls-files", "-z", "--others", "--exclude-standard")
	if err != nil {
		return nil, err
	}
	for _, p := range strings.Split(untracked, "\x00") {
		if p != "" {
			changes = append(changes, Change{Status: "A", Path: p})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].Path < changes[j].Path })
	return changes, nil
}

// Rel is path (absolute, or relative to the current folder) relative to the top, with
// forward slashes as git writes them.
func (r *Repo) Rel(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	top, err := filepath.EvalSymlinks(r.Top)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", fmt.Errorf("%s is outside the repository at %s", path, r.Top)
	}
	return filepath.ToSlash(rel), nil
}

func git(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", errors.New(firstLine(msg))
		}
		return "", err
	}
	return stdout.String(), nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimPrefix(line, "fatal: ")
}

// Head is the commit the working tree is on.
func (r *Repo) Head() (string, error) {
	out, err := git(r.Top, "rev-parse", "--verify", "HEAD")
	if err != nil {
		return "", fmt.Errorf("reading HEAD: %w", err)
	}
	return strings.TrimSpace(out), nil
}

// Export writes the files under dir (relative to the top) as they are at commit into
// dest, which must exist: dir/<file> lands at dest/<file>. One git process, whatever
// the number of files.
func (r *Repo) Export(commit, dir, dest string) error {
	cmd := exec.Command("git", "archive", "--format=tar", commit, "--", dir)
	cmd.Dir = r.Top
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	tr := tar.NewReader(out)
	var extractErr error
	for {
		h, err := tr.Next()
		if err != nil {
			if err != io.EOF {
				extractErr = err
			}
			break
		}
		rel, ok := strings.CutPrefix(h.Name, strings.TrimSuffix(dir, "/")+"/")
		if h.Typeflag != tar.TypeReg || !ok || strings.Contains(rel, "..") {
			continue
		}
		target := filepath.Join(dest, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			extractErr = err
			break
		}
		data, err := io.ReadAll(tr)
		if err == nil {
			err = os.WriteFile(target, data, 0o644)
		}
		if err != nil {
			extractErr = err
			break
		}
	}
	_, _ = io.Copy(io.Discard, out)
	if err := cmd.Wait(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return fmt.Errorf("reading %s at %s: %s", dir, short(commit), firstLine(msg))
		}
		return fmt.Errorf("reading %s at %s: %w", dir, short(commit), err)
	}
	return extractErr
}

// AddWorktree checks commit out into a new, detached working tree at dest (git
// worktree), sharing this repository's objects; RemoveWorktree takes it away.
func (r *Repo) AddWorktree(commit, dest string) error {
	if _, err := git(r.Top, "worktree", "add", "--detach", "--force", dest, commit); err != nil {
		return fmt.Errorf("checking out %s: %w", short(commit), err)
	}
	return nil
}

// RemoveWorktree removes a working tree AddWorktree made.
func (r *Repo) RemoveWorktree(dest string) error {
	_, err := git(r.Top, "worktree", "remove", "--force", dest)
	return err
}

func short(commit string) string { return commit[:min(len(commit), 12)] }

// Dirty reports whether the working tree differs from HEAD in any of paths (pathspecs
// from the top, like "*.go"): edited, staged or untracked files.
func (r *Repo) Dirty(paths ...string) (bool, error) {
	out, err := git(r.Top, append([]string{"status", "--porcelain", "--"}, paths...)...)
	if err != nil {
		return false, fmt.Errorf("reading the working tree's changes: %w", err)
	}
	return strings.TrimSpace(out) != "", nil
}

// Config is a git setting as this checkout sees it (its own, then the user's), "" when
// unset.
func (r *Repo) Config(key string) string {
	out, _ := git(r.Top, "config", "--get", key)
	return strings.TrimSpace(out)
}
