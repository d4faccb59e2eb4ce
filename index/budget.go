package index

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// Limits on the clauses that expand into many dictionary terms. Bleve
// compiles wildcards and regular expressions into automata without
// looking at the search's deadline, and some small patterns (/(.?){999}/)
// take minutes, so they are measured before they run.
const (
	maxExpanding     = 8  // wildcard, regexp and fuzzy clauses in one query
	maxPatternBytes  = 64 // one wildcard or regexp
	maxPatternNodes  = 64 // parse-tree nodes of a pattern, after expanding x{n}
	maxPatternRepeat = 10 // *, +, ? and x{n,} operators in one pattern
	maxFuzzyBytes    = 48
	maxClassRanges   = 8 // ranges of one character class: \p{L} has hundreds
)

// budget counts the expanding clauses of one query.
type budget struct{ expanding int }

func (b *budget) spend(what string) error {
	b.expanding++
	if b.expanding > maxExpanding {
		return badQuery("at most %d wildcard, fuzzy or regular-expression terms in one query", maxExpanding)
	}
	return nil
}

func (b *budget) fuzzy(term string) error {
	if len(term) > maxFuzzyBytes {
		return badQuery("a fuzzy term is at most %d bytes", maxFuzzyBytes)
	}
	return b.spend("fuzzy term")
}

var wildcardToRegexp = strings.NewReplacer(
	"*", ".*", "?", ".",
	// Everything else regexp-special is literal in a wildcard.
	".", `\.`, "+", `\+`, "(", `\(`, ")", `\)`, "[", `\[`, "]", `\]`, "{", `\{`, "}", `\}`,
	"|", `\|`, "^", `\^`, "$", `\$`, `\`, `\\`,
)

// checkPattern rejects a regular expression that is malformed or too
// complex to compile quickly.
func checkPattern(kind, pattern string) error {
	if len(pattern) > maxPatternBytes {
		return badQuery("a %s is at most %d bytes", kind, maxPatternBytes)
	}
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return badQuery("bad %s %q: %s", kind, trunc(pattern), strings.TrimPrefix(err.Error(), "error parsing regexp: "))
	}
	if _, err := regexp.Compile(pattern); err != nil {
		return badQuery("bad %s %q", kind, trunc(pattern))
	}
	nodes, repeats, tooBig := 0, 0, false
	var walk func(r *syntax.Regexp) bool
	walk = func(r *syntax.Regexp) bool {
		nodes++
		switch r.Op {
		case syntax.OpStar, syntax.OpPlus, syntax.OpQuest:
			repeats++
		case syntax.OpRepeat:
			if r.Max == -1 || r.Max > 1 {
				repeats++
			}
		case syntax.OpCharClass:
			// Rune pairs; a class spanning most of Unicode explodes
			// into a huge UTF-8 automaton.
			if len(r.Rune)/2 > maxClassRanges {
				tooBig = true
				return false
			}
		}
		if nodes > maxPatternNodes || repeats > maxPatternRepeat {
			return false
		}
		for _, s := range r.Sub {
			if !walk(s) {
				return false
			}
		}
		return true
	}
	if !walk(re.Simplify()) {
		if tooBig {
			return badQuery("the %s %q uses a character class that is too large (such as \\p{L}); list the characters instead", kind, trunc(pattern))
		}
		return badQuery("the %s %q is too complex; use fewer repetitions", kind, trunc(pattern))
	}
	return nil
}
