package lint

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/casebook/casebook/site"
)

// termUse is one term written in one review's front matter.
type termUse struct {
	path      string
	line, col int
	raw, id   string
}

// knownForm is a way of writing a vocabulary term: its id, an alias or its
// title, normalised.
type knownForm struct {
	form, term, kind string // kind: term, alias, title
}

// checkTerms finds terms that are probably another term written
// differently.
func (c *checker) checkTerms() {
	for _, tax := range c.cfg.Taxonomies {
		vocab := c.cfg.Vocabulary[tax.Key]
		var known []knownForm
		for id := range vocab {
			known = append(known, knownForm{id, id, "term"})
		}
		for alias, id := range c.cfg.Aliases(tax.Key) {
			if _, isTerm := vocab[alias]; !isTerm {
				known = append(known, knownForm{alias, id, "alias"})
			}
		}
		for id, v := range vocab {
			t := site.Normalize(v.Title)
			if _, isTerm := vocab[t]; isTerm || t == "" {
				continue
			}
			if _, isAlias := c.cfg.Aliases(tax.Key)[t]; isAlias {
				continue
			}
			known = append(known, knownForm{t, id, "title"})
		}
		slices.SortFunc(known, func(a, b knownForm) int {
			return cmp.Or(strings.Compare(a.form, b.form), strings.Compare(a.term, b.term))
		})
		known = slices.Compact(known)

		// Unknown terms, with the reviews using each.
		uses := map[string][]termUse{}
		reviews := map[string]map[string]bool{}
		for _, r := range c.reviews {
			if r.fields == nil {
				continue
			}
			for _, it := range items(r.fields.Get(tax.Field)) {
				raw := strings.TrimSpace(it.Str)
				id := c.cfg.Canonical(tax.Key, raw)
				if id == "" {
					continue
				}
				if _, ok := vocab[id]; ok {
					continue
				}
				uses[id] = append(uses[id], termUse{path: r.path, line: it.Line, col: it.Col, raw: raw, id: id})
				if reviews[id] == nil {
					reviews[id] = map[string]bool{}
				}
				reviews[id][r.path] = true
			}
		}
		var unknown []string
		for id := range uses {
			unknown = append(unknown, id)
		}
		slices.Sort(unknown)

		for _, id := range unknown {
			var msg func(raw string) string
			hint := ""
			if k, reason, ok := bestKnown(id, known); ok {
				msg = func(raw string) string {
					return fmt.Sprintf("%s: %q is not in the vocabulary; did you mean %s?", tax.Field, raw, k.term)
				}
				hint = reason + "; a second spelling makes a second term page and splits the reviews between them"
			} else if other, reason, ok := bestOther(id, unknown, reviews, uses); ok {
				n := len(reviews[other])
				msg = func(raw string) string {
					return fmt.Sprintf("%s: %q is probably the same term as %s (in %s)", tax.Field, raw, other, plural(n, "review", "reviews"))
				}
				hint = reason + "; use one spelling, or add the term to casebook.yaml's vocabulary with the other as an alias"
			} else {
				continue
			}
			for _, u := range uses[id] {
				c.add("term-duplicate", u.path, u.line, u.col, msg(u.raw), hint)
			}
		}
	}
}

// bestKnown finds the vocabulary form an unknown term most probably means.
func bestKnown(id string, known []knownForm) (knownForm, string, bool) {
	var best knownForm
	bestDist, reason := -1, ""
	for _, k := range known {
		d, why, ok := similar(id, k.form)
		if !ok || (bestDist >= 0 && d >= bestDist) {
			continue
		}
		best, bestDist = k, d
		switch k.kind {
		case "alias":
			reason = fmt.Sprintf("%s %q, an alias of %s", why, k.form, k.term)
		case "title":
			reason = fmt.Sprintf("%s %q, the title of %s", why, k.form, k.term)
		default:
			reason = fmt.Sprintf("%s %q", why, k.form)
		}
	}
	return best, reason, bestDist >= 0
}

// bestOther finds another unknown term that id is probably a variant of:
// one used in more reviews (the less used spelling is the one to change),
// or in as many and first used earlier (by path, line and column), so that
// a pair is reported once, at the newer spelling, never in both
// directions. A spelling used in more than 3 reviews, and in more than a
// tenth as many as the other, is evidently deliberate.
func bestOther(id string, unknown []string, reviews map[string]map[string]bool, uses map[string][]termUse) (string, string, bool) {
	best, bestDist, reason := "", -1, ""
	n := len(reviews[id])
	for _, o := range unknown {
		if o == id || len(reviews[o]) < n || n > 3 && 10*n > len(reviews[o]) {
			continue
		}
		if len(reviews[o]) == n && compareUse(firstUse(uses[o]), firstUse(uses[id])) > 0 {
			continue
		}
		d, why, ok := similar(id, o)
		if !ok {
			continue
		}
		if best == "" || len(reviews[o]) > len(reviews[best]) || len(reviews[o]) == len(reviews[best]) && d < bestDist {
			best, bestDist, reason = o, d, fmt.Sprintf("%s %q", why, o)
		}
	}
	return best, reason, best != ""
}

// firstUse is the earliest of a term's uses.
func firstUse(us []termUse) termUse {
	return slices.MinFunc(us, compareUse)
}

// compareUse orders uses by path, line and column, then by the spelling,
// so that two terms first used at one place still have an order.
func compareUse(a, b termUse) int {
	return cmp.Or(strings.Compare(a.path, b.path), cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col), strings.Compare(a.id, b.id))
}

// similar reports whether two normalised terms are probably one, with a
// distance for ranking and the reason, phrased to precede the other term.
//
// Beyond hyphens and plurals, terms are compared word by word (words are
// separated by '-'): they must have as many words, and each word that
// differs must be a likely misspelling of the other (see closeWords).
// Terms whose digits differ are different things (http2, http3).
func similar(a, b string) (int, string, bool) {
	if a == b {
		return 0, "it is the same as", true
	}
	ca, cb := strings.ReplaceAll(a, "-", ""), strings.ReplaceAll(b, "-", "")
	if ca == cb {
		return 0, "it differs only in spaces or hyphens from", true
	}
	if isPlural(a, b) || isPlural(b, a) || isPlural(ca, cb) || isPlural(cb, ca) {
		return 1, "it is the singular or plural of", true
	}
	if digits(a) != digits(b) {
		return 0, "", false
	}
	wa, wb := strings.Split(a, "-"), strings.Split(b, "-")
	if len(wa) != len(wb) {
		return 0, "", false
	}
	for i := range wa {
		if wa[i] != wb[i] && !closeWords([]rune(wa[i]), []rune(wb[i])) {
			return 0, "", false
		}
	}
	d := distance([]rune(a), []rune(b))
	return d, fmt.Sprintf("it is %s from", plural(d, "edit", "edits")), true
}

// closeWords reports whether two different words are probably one word
// misspelt. Below eight letters a single edit already turns most words
// into other words (token and tokyo, reddit and redis, gitlab and github,
// stuck and slack are two edits apart), so only one is allowed: for 5 to 7
// letters a Damerau-Levenshtein distance of 1; for 3 or 4 letters one
// insertion, deletion or swap of neighbours, but not a substitution, which
// usually makes another word or acronym (aws, aks; rest, rust); never for
// shorter words (ui, ux). From eight letters, two edits, provided the
// first letter is the same (people seldom get it wrong).
func closeWords(a, b []rune) bool {
	n := min(len(a), len(b))
	switch {
	case n >= 8:
		d := distance(a, b)
		return d <= 1 || d == 2 && a[0] == b[0]
	case n >= 5:
		return distance(a, b) == 1
	case n >= 3:
		if len(a) == len(b) {
			return isSwap(a, b)
		}
		return abs(len(a)-len(b)) == 1 && distance(a, b) == 1
	}
	return false
}

// isSwap reports whether b is a with two neighbouring letters swapped.
func isSwap(a, b []rune) bool {
	i := 0
	for i < len(a) && a[i] == b[i] {
		i++
	}
	if i+1 >= len(a) || a[i] != b[i+1] || a[i+1] != b[i] {
		return false
	}
	return string(a[i+2:]) == string(b[i+2:])
}

// digits is the digits of s, in order.
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlural reports whether p is a plural of s.
func isPlural(p, s string) bool {
	switch {
	case p == s+"s", p == s+"es":
		return true
	case strings.HasSuffix(s, "y") && p == s[:len(s)-1]+"ies":
		return true
	}
	return false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// distance is the Damerau-Levenshtein distance (optimal string alignment:
// insertions, deletions, substitutions and transpositions of neighbours).
func distance(a, b []rune) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
