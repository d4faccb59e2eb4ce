package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
)

// takeTitle finds the heading that titles the body and takes it out (the
// page shows the title above the body): the first H1, among the first
// three headings, whose words are not a section word ("# Overview", "#
// Summary", "# Metadata" stay as sections). "# Title: X" gives X; a bare
// "# Title:" gives the paragraph under it, which leaves with it. A date
// before the title ("# 2024-03-13: Title") is the review's date and not
// part of its title. It returns the title, "" when the body has none.
func (st *bodyState) takeTitle(doc ast.Node) string {
	s := &st.b.Structure
	headings := 0
	for c := doc.FirstChild(); c != nil && headings < 3; c = c.NextSibling() {
		h, ok := c.(*ast.Heading)
		if !ok {
			continue
		}
		headings++
		if h.Level != 1 {
			continue
		}
		raw := strings.TrimSpace(plainText(h, st.src))
		line, col := 0, 0
		if h.Lines().Len() > 0 {
			line, col = st.li.pos(h.Lines().At(0).Start)
		}
		title, from := raw, "the first heading"
		var par ast.Node
		if loc := titlePrefixRe.FindStringIndex(raw); loc != nil {
			title = strings.TrimSpace(raw[loc[1]:])
			if title == "" {
				p, isPar := h.NextSibling().(*ast.Paragraph)
				if !isPar {
					continue // "# Title:" over something else: a section
				}
				par = p
				title = firstLine(plainText(p, st.src))
				from = "the paragraph under the Title: heading"
			}
		} else if _, section := classifySection(raw); section {
			continue
		}
		if m := h1DateRe.FindStringSubmatch(title); m != nil {
			if rest := strings.TrimSpace(m[2]); rest != "" {
				s.Date = &Fact{Value: m[1], Line: line, Col: col, From: "the date in the first heading"}
				title = rest
			}
		}
		if title == "" {
			continue
		}
		s.Title = &Fact{Value: title, Line: line, Col: col, From: from}
		h.Parent().RemoveChild(h.Parent(), h)
		if par != nil {
			par.Parent().RemoveChild(par.Parent(), par)
			st.titlePar = par
		}
		return title
	}
	return ""
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
