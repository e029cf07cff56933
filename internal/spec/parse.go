package spec

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// MaxFileSize bounds a configuration file. Region files are a few kilobytes; anything
// near this size is a mistake or an attack, and is refused before parsing.
const MaxFileSize = 1 << 20

// parseDocument turns file content into its single YAML mapping node. It refuses what a
// region file never needs and what makes YAML dangerous or ambiguous: huge input, tab
// indentation, several documents, anchors and aliases (alias bombs), custom tags.
// example is a one-line sample of the expected content, for the empty-file message.
func parseDocument(path string, data []byte, example string) (*yaml.Node, Problems) {
	at := func(line, col int, format string, args ...any) Problems {
		return Problems{{Path: path, Line: line, Col: col, Message: fmt.Sprintf(format, args...)}}
	}
	if len(data) > MaxFileSize {
		return nil, at(1, 1, "file is %s; configuration files are limited to 1 MiB", sizeText(len(data)))
	}
	if ps := scanText(path, data); len(ps) > 0 {
		return nil, ps
	}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	err := decodeNode(dec, &doc)
	if errors.Is(err, io.EOF) || (err == nil && isEmptyDocument(&doc)) {
		return nil, at(1, 1, "empty file; expected a mapping like %s", example)
	}
	if err != nil {
		return nil, syntaxProblem(path, data, err)
	}
	var next yaml.Node
	switch err := decodeNode(dec, &next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, syntaxProblem(path, data, err)
	default:
		line := max(next.Line, 1)
		if next.Kind == yaml.DocumentNode && len(next.Content) > 0 {
			line = next.Content[0].Line
		}
		return nil, at(documentStart(data, line), 1, "a second YAML document starts here; a file holds exactly one (remove the ---)")
	}

	root := doc.Content[0]
	if ps := refuseAnchors(path, root); len(ps) > 0 {
		return nil, ps
	}
	if root.Kind != yaml.MappingNode {
		return nil, at(root.Line, root.Column, "the file is %s; expected a mapping like %s", describeNode(root), example)
	}
	return root, nil
}

// decodeNode reads the next document. yaml.v3 has panicked on hostile input in the
// past; a panic here becomes a parse error rather than a crash of the whole command.
func decodeNode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: cannot parse this content (%v)", r)
		}
	}()
	return dec.Decode(n)
}

func isEmptyDocument(doc *yaml.Node) bool {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return true
	}
	n := doc.Content[0]
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" && n.Value == "" && n.Anchor == ""
}

// documentStart finds the "---" that opens the document whose content starts at line,
// so the message points at the marker the user has to remove.
func documentStart(data []byte, line int) int {
	lines := strings.Split(string(data), "\n")
	for l := min(line, len(lines)); l >= 1; l-- {
		if strings.HasPrefix(lines[l-1], "---") {
			return l
		}
	}
	return max(line, 1)
}

// scanText finds what YAML would reject with a vague message, or accept in a surprising
// way, and reports it with an exact position: text that is not UTF-8, control characters
// and tab indentation.
func scanText(path string, data []byte) Problems {
	var ps Problems
	add := func(line, col int, format string, args ...any) {
		ps = append(ps, Problem{Path: path, Line: line, Col: col, Message: fmt.Sprintf(format, args...)})
	}
	for i, text := range strings.Split(string(data), "\n") {
		line := i + 1
		text = strings.TrimSuffix(text, "\r")
		col := 1
		for off := 0; off < len(text); {
			r, size := utf8.DecodeRuneInString(text[off:])
			switch {
			case r == utf8.RuneError && size == 1:
				add(line, col, "this is not UTF-8 text; save the file as UTF-8")
				return ps
			case r == '\ufeff' && line == 1 && off == 0:
				// A byte order mark is allowed at the very start.
			case r == '\r':
				add(line, col, "a carriage return without a line feed; save the file with LF or CRLF line endings")
				return ps
			case r < 0x20 && r != '\t', r == 0x7f, 0x80 <= r && r < 0xa0 && r != 0x85:
				add(line, col, "control character %U is not allowed; remove it", r)
				return ps
			}
			off += size
			col++
		}
		indent := len(text) - len(strings.TrimLeft(text, " \t"))
		rest := text[indent:]
		if tab := strings.IndexByte(text[:indent], '\t'); tab >= 0 && rest != "" && !strings.HasPrefix(rest, "#") {
			add(line, tab+1, "indented with a tab; YAML forbids tabs for indentation, use spaces")
		}
	}
	return ps
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxProblem turns a yaml.v3 error ("yaml: line 7: could not find expected ':'") into
// a problem. yaml.v3 reports a line but no column; the column is where that line's
// content starts.
func syntaxProblem(path string, data []byte, err error) Problems {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		msg = m[2]
		if n, convErr := strconv.Atoi(m[1]); convErr == nil && n >= 1 {
			line = n
			// yaml.v3 counts lines from 0 for parser errors (from 1 for scanner
			// errors), so they point one line early.
			if isParserError(msg) {
				line++
			}
		}
	}
	lines := strings.Split(string(data), "\n")
	line = min(line, len(lines))
	text := strings.TrimRight(lines[line-1], "\r")
	col := len(text) - len(strings.TrimLeft(text, " ")) + 1
	if col > len(text) {
		col = 1
	}
	for _, h := range syntaxHints {
		if strings.HasPrefix(msg, h.cause) {
			msg += "; " + h.fix
			break
		}
	}
	return Problems{{Path: path, Line: line, Col: col, Message: "invalid YAML: " + msg}}
}

// isParserError tells yaml.v3's parser errors from its scanner errors by message.
func isParserError(msg string) bool {
	for _, p := range []string{"did not find expected", "found duplicate %", "found incompatible YAML document", "found undefined tag handle"} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// syntaxHints say what usually causes yaml.v3's terser errors.
var syntaxHints = []struct{ cause, fix string }{
	{"did not find expected key", "check the indentation of this line"},
	{"mapping values are not allowed in this context", "quote a value that contains \": \", or check the indentation"},
	{"found character that cannot start any token", "quote a value that starts with @, ` or %"},
	{"could not find expected ':'", "a key needs a colon and a space after it"},
	{"did not find expected '-' indicator", "check the indentation of this list"},
	{"did not find expected ',' or ']'", "close the [ list with ]"},
	{"did not find expected ',' or '}'", "close the { mapping with }"},
	{"found unexpected end of stream", "close the open quote or bracket"},
	{"block sequence entries are not allowed", "start the list on its own line, under its key"},
	{"did not find expected node content", "a value is missing"},
	{"found undefined tag handle", "remove the ! tag"},
	{"found unknown escape character", "use single quotes, or double the backslash"},
}

// refuseAnchors reports every anchor, and the first use of each alias: region files
// need none, and aliases are how a few hundred bytes of YAML expand into gigabytes.
func refuseAnchors(path string, root *yaml.Node) Problems {
	var ps Problems
	aliases := map[string]bool{}
	stack := []*yaml.Node{root}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Anchor != "" {
			ps = append(ps, Problem{Path: path, Line: n.Line, Col: n.Column,
				Message: fmt.Sprintf("anchors like &%s are not allowed; write each value out", n.Anchor)})
		}
		if n.Kind == yaml.AliasNode {
			if !aliases[n.Value] {
				aliases[n.Value] = true
				ps = append(ps, Problem{Path: path, Line: n.Line, Col: n.Column,
					Message: fmt.Sprintf("aliases like *%s are not allowed; write the value out", n.Value)})
			}
			continue
		}
		for i := len(n.Content) - 1; i >= 0; i-- {
			stack = append(stack, n.Content[i])
		}
	}
	return ps
}

func sizeText(n int) string {
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}
