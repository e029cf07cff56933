package spec

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// suggest returns the candidates closest to word (at most three, in candidate order), or
// none when nothing is close enough to be a plausible typo. Case, '-' and '_' are
// ignored when comparing, so instance_type finds instanceType.
func suggest(word string, candidates []string) []string {
	w := fold(word)
	limit := max(1, utf8.RuneCountInString(w)/3)
	best := limit + 1
	var out []string
	for _, c := range candidates {
		fc := fold(c)
		d := distance(w, fc)
		if len(w) >= 3 && strings.Contains(fc, w) {
			d = min(d, limit) // mysql → aurora-mysql
		}
		switch {
		case d < best:
			best, out = d, []string{c}
		case d == best && len(out) < 3:
			out = append(out, c)
		}
	}
	return out
}

// didYouMean renders suggestions as `; did you mean "a", "b" or "c"?`, or "" when there
// are none.
func didYouMean(word string, candidates []string) string {
	s := suggest(word, candidates)
	if len(s) == 0 {
		return ""
	}
	return "; did you mean " + orList(quoteAll(s)) + "?"
}

func fold(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' {
			return -1
		}
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// distance is the Levenshtein edit distance between a and b, in runes. Inputs come from
// files of at most 1 MiB, but a key can be long: the cost is bounded by only comparing
// words of similar length.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		if a == b {
			return 0
		}
		return max(len(ra), len(rb))
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// orList joins items as `a`, `a or b`, `a, b or c`.
func orList(items []string) string {
	return joinList(items, " or ")
}

// andList joins items as `a`, `a and b`, `a, b and c`.
func andList(items []string) string {
	return joinList(items, " and ")
}

func joinList(items []string, last string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + last + items[len(items)-1]
}

func quoteAll(items []string) []string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = quote(s)
	}
	return out
}

// maxQuoted bounds how much of a value a message repeats: a problem line should fit a
// terminal even when the value is a pasted blob.
const maxQuoted = 60

// quote renders a value from the file in double quotes, shortened when long.
func quote(s string) string {
	if utf8.RuneCountInString(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	r := []rune(s)
	return strconv.Quote(string(r[:maxQuoted])) + "..."
}
