package lint

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/casebook/casebook/internal/parallel"
	"github.com/casebook/casebook/site/internal/markdown"
)

// phraseHit is one blameless-language phrase found in one review.
type phraseHit struct {
	phrase    int // index into settings.phrases
	path      string
	line, col int
	found     string
}

// checkLanguage looks for blameless-language phrases in the prose of every
// body: paragraphs, list items, table cells and the text of timeline
// events, never headings, code, raw HTML (so never guidance comments) or
// front matter (see markdown.Outline).
//
// Headings are left out because they are usually the team's template
// ("## Root cause"), not the author's choice of words. A phrase found in
// one review is reported at each place it is used; a phrase found in
// several reviews is a habit of the library, reported once, at its first
// use (by path, line and column), with the number of other reviews using
// it, so that a library adopting casebook is not buried in one suggestion
// repeated a hundred times.
func (c *checker) checkLanguage() {
	if len(c.settings.phrases) == 0 {
		return
	}
	perReview := make([][]phraseHit, len(c.reviews))
	parallel.For(len(c.reviews), func(i int) {
		r := c.reviews[i]
		headings := map[int]bool{}
		for _, s := range r.outline.Sections {
			headings[s.Line] = true
		}
		for j := range r.outline.Prose {
			perReview[i] = c.scan(r, &r.outline.Prose[j], headings, perReview[i])
		}
	})

	byPhrase := make([][]phraseHit, len(c.settings.phrases))
	for _, hits := range perReview {
		for _, h := range hits {
			byPhrase[h.phrase] = append(byPhrase[h.phrase], h)
		}
	}
	for i, hits := range byPhrase {
		if len(hits) == 0 {
			continue
		}
		why := c.settings.phrases[i].Why
		slices.SortFunc(hits, func(a, b phraseHit) int {
			return cmp.Or(strings.Compare(a.path, b.path), cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col))
		})
		others := -1 // reviews other than the first's
		for j, h := range hits {
			if j == 0 || h.path != hits[j-1].path {
				others++
			}
		}
		if others == 0 {
			for _, h := range hits {
				c.add("blameless-language", h.path, h.line, h.col, fmt.Sprintf("consider rephrasing %q", h.found), why)
			}
			continue
		}
		h := hits[0]
		c.add("blameless-language", h.path, h.line, h.col,
			fmt.Sprintf("consider rephrasing %q (here, and in %s)", h.found, plural(others, "other review", "other reviews")), why)
	}
}

// scan appends the phrases found in one run of prose, except in headings
// (a prose run whose match lies on a heading's line).
func (c *checker) scan(r *review, p *markdown.Prose, headings map[int]bool, hits []phraseHit) []phraseHit {
	if len(p.Text) == 0 {
		return hits
	}
	lower := bytes.ToLower(p.Text)
	for i, m := range c.settings.phrases {
		if len(m.needle) > 0 && !bytes.Contains(lower, m.needle) {
			continue
		}
		locs := m.re.FindAllIndex(p.Text, -1)
		if locs == nil {
			continue
		}
		var except [][]int
		for _, e := range m.except {
			except = append(except, e.FindAllIndex(p.Text, -1)...)
		}
	next:
		for _, loc := range locs {
			for _, e := range except {
				if loc[0] >= e[0] && loc[0] < e[1] {
					continue next
				}
			}
			line, col := r.outline.Pos(p.Offs[loc[0]])
			if headings[line] {
				continue
			}
			found := strings.Join(strings.Fields(string(p.Text[loc[0]:loc[1]])), " ")
			hits = append(hits, phraseHit{phrase: i, path: r.path, line: line, col: col, found: found})
		}
	}
	return hits
}
