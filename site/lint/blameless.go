package lint

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/casebook/casebook/site/internal/markdown"
)

// checkLanguage looks for blameless-language phrases in the prose of a
// body: paragraphs, headings, list items, table cells and the text of
// timeline events, never code, raw HTML (so never guidance comments) or
// front matter (see markdown.Outline).
func (c *checker) checkLanguage(r *review) {
	if len(c.settings.phrases) == 0 {
		return
	}
	for i := range r.outline.Prose {
		c.scan(r, &r.outline.Prose[i])
	}
}

func (c *checker) scan(r *review, p *markdown.Prose) {
	if len(p.Text) == 0 {
		return
	}
	lower := bytes.ToLower(p.Text)
	for _, m := range c.settings.phrases {
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
			found := strings.Join(strings.Fields(string(p.Text[loc[0]:loc[1]])), " ")
			c.add("blameless-language", r.path, line, col, fmt.Sprintf("consider rephrasing %q", found), m.Why)
		}
	}
}
