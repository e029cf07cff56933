package cli

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are a command's standard streams. Results go to Out; progress and
// confirmations to ErrOut. Colour and live views only when IsTTY.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	IsTTY  bool
	// Width is the terminal's width in columns when IsTTY, else 0.
	Width int
}

// SystemIO is the process's own streams.
func SystemIO() *IOStreams {
	ios := &IOStreams{
		In:     os.Stdin,
		Out:    os.Stdout,
		ErrOut: os.Stderr,
		IsTTY:  term.IsTerminal(int(os.Stdout.Fd())) && term.IsTerminal(int(os.Stderr.Fd())),
	}
	if ios.IsTTY {
		if w, _, err := term.GetSize(int(os.Stderr.Fd())); err == nil {
			ios.Width = w
		}
	}
	return ios
}

// TestIO returns streams backed by buffers, for tests.
func TestIO(tty bool) (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: &bytes.Buffer{}, Out: out, ErrOut: errOut, IsTTY: tty}, out, errOut
}
