package cli

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"
)

// IOStreams are a command's standard streams. Results go to Out; progress, questions
// and notes to ErrOut. Whether each stream is a terminal is its own question: live
// progress follows stderr (so `up --json > out.json` still shows it), and a question
// needs a person, so stdin and stdout.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// IsTTY is whether ErrOut is a terminal: live progress views and colour.
	IsTTY bool
	// StdinTTY and StdoutTTY decide whether a question can be asked.
	StdinTTY, StdoutTTY bool
	// Width is the terminal's width in columns when IsTTY, else 0; WidthFunc reads it
	// again (after a resize), when set.
	Width     int
	WidthFunc func() int

	mu     sync.Mutex
	in     *bufio.Reader
	notice func(string)
}

// SystemIO is the process's own streams.
func SystemIO() *IOStreams {
	ios := &IOStreams{
		In:        os.Stdin,
		Out:       os.Stdout,
		ErrOut:    os.Stderr,
		IsTTY:     term.IsTerminal(int(os.Stderr.Fd())),
		StdinTTY:  term.IsTerminal(int(os.Stdin.Fd())),
		StdoutTTY: term.IsTerminal(int(os.Stdout.Fd())),
	}
	if ios.IsTTY {
		ios.WidthFunc = func() int {
			if w, _, err := term.GetSize(int(os.Stderr.Fd())); err == nil {
				return w
			}
			return 0
		}
		ios.Width = ios.WidthFunc()
	}
	return ios
}

// TestIO returns streams backed by buffers, for tests; tty makes all three terminals.
func TestIO(tty bool) (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: &bytes.Buffer{}, Out: out, ErrOut: errOut, IsTTY: tty, StdinTTY: tty, StdoutTTY: tty}, out, errOut
}

// CanPrompt reports whether there is a person to ask: stdin and stdout are terminals.
func (s *IOStreams) CanPrompt() bool { return s.StdinTTY && s.StdoutTTY }

// Ask writes question to ErrOut and reads one line. Ctrl-C (ctx cancelled) returns at
// once with ctx's error, whatever the terminal is doing.
func (s *IOStreams) Ask(ctx context.Context, question string) (string, error) {
	s.mu.Lock()
	if s.in == nil {
		s.in = bufio.NewReader(s.In)
	}
	in := s.in
	s.mu.Unlock()
	fmt.Fprint(s.ErrOut, question)
	type answer struct {
		line string
		err  error
	}
	got := make(chan answer, 1)
	go func() {
		line, err := in.ReadString('\n')
		got <- answer{strings.TrimSpace(line), err}
	}()
	select {
	case <-ctx.Done():
		fmt.Fprintln(s.ErrOut)
		return "", ctx.Err()
	case a := <-got:
		if a.err != nil && a.line == "" {
			return "", a.err
		}
		return a.line, nil
	}
}

// Notice shows a line of the program's own (the cancelling note) through the live
// progress view when one is showing, so a redraw does not wipe it.
func (s *IOStreams) Notice(msg string) {
	s.mu.Lock()
	notice := s.notice
	s.mu.Unlock()
	if notice != nil {
		notice(msg)
		return
	}
	fmt.Fprintln(s.ErrOut, msg)
}

func (s *IOStreams) setNotice(f func(string)) {
	s.mu.Lock()
	s.notice = f
	s.mu.Unlock()
}

func (s *IOStreams) width() int {
	if s.WidthFunc != nil {
		return s.WidthFunc()
	}
	return s.Width
}
