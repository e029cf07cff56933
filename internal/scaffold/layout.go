package scaffold

import (
	"slices"
	"strings"
)

// restoreLayout puts the source's own text back where the encoder only re-spaced it:
// yaml.v3 keeps comments and structure but not the column of a line comment or the
// spaces inside a flow mapping's braces. A line of out that equals a line of src but
// for white space becomes that source line; a changed line keeps the comment column and
// brace spacing of the source line with the same key, so a diff of the two files shows
// only real changes.
func restoreLayout(src, out []byte) []byte {
	a := lines(src)
	b := lines(out)
	na, nb := make([]string, len(a)), make([]string, len(b))
	for i, l := range a {
		na[i] = squash(l)
	}
	for i, l := range b {
		nb[i] = squash(l)
	}
	// lcs[i][j] is the length of the longest common subsequence of na[i:] and nb[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if na[i] == nb[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	res := make([]string, 0, len(b))
	var gotA, gotB []string // an unmatched hunk: source lines and their replacements
	flush := func() {
		for _, l := range gotB {
			for k, s := range gotA {
				if key := lineKey(l); key != "" && key == lineKey(s) {
					l = likeSource(s, l)
					gotA = slices.Delete(gotA, k, k+1)
					break
				}
			}
			res = append(res, l)
		}
		gotA, gotB = gotA[:0], gotB[:0]
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && na[i] == nb[j]:
			flush()
			res = append(res, a[i])
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			gotB = append(gotB, b[j])
			j++
		default:
			gotA = append(gotA, a[i])
			i++
		}
	}
	flush()
	return []byte(strings.Join(res, "\n") + "\n")
}

func lines(b []byte) []string {
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// lineKey is the mapping key a line starts with ("- name" for a sequence item's first
// key), "" for a comment or a line without one.
func lineKey(l string) string {
	code, _ := splitComment(l)
	key, _, ok := strings.Cut(strings.TrimSpace(code), ":")
	if !ok || key == "" {
		return ""
	}
	return key
}

// squash drops every space and tab: two lines equal after it differ only in layout.
func squash(l string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, l)
}

// likeSource lays out a changed line l like the source line it replaces: the same
// spaces inside flow braces, the line comment in the same column.
func likeSource(src, l string) string {
	if strings.Contains(src, "{ ") && !strings.ContainsAny(l, `"'`) {
		code, comment := splitComment(l)
		if open := strings.Index(code, "{"); open >= 0 && !strings.HasPrefix(code[open:], "{ ") && !strings.HasPrefix(code[open:], "{}") {
			code = code[:open] + "{ " + code[open+1:]
			if close := strings.LastIndex(code, "}"); close > 0 && code[close-1] != ' ' {
				code = code[:close] + " " + code[close:]
			}
		}
		l = code + comment
	}
	srcCode, srcComment := splitComment(src)
	code, comment := splitComment(l)
	if srcComment != "" && comment != "" {
		col := len(strings.TrimRight(srcCode, " ")) + len(srcCode) - len(strings.TrimRight(srcCode, " "))
		trimmed := strings.TrimRight(code, " ")
		if len(trimmed) < col {
			return trimmed + strings.Repeat(" ", col-len(trimmed)) + comment
		}
	}
	return l
}

// splitComment splits a line before its line comment (" #" outside quotes); the code
// keeps its trailing spaces.
func splitComment(l string) (code, comment string) {
	var quote rune
	for i, r := range l {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '"' || r == '\'':
			quote = r
		case r == '#' && (i == 0 || l[i-1] == ' '):
			return l[:i], l[i:]
		}
	}
	return l, ""
}
