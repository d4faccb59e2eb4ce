package lint

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/frontmatter"
	"github.com/casebook/casebook/site/scaffold"
)

// heading is a top-level heading of a body and whether anything but
// comments follows it before the next heading of its level or above.
type heading struct {
	text       string
	level      int
	line, col  int
	hasContent bool
}

func (r *review) headings() []heading {
	var out []heading
	var open []int // indexes into out of headings whose section is still open
	for n := r.doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok {
			for len(open) > 0 && out[open[len(open)-1]].level >= h.Level {
				open = open[:len(open)-1]
			}
			line, col := 0, 0
			if h.Lines().Len() > 0 {
				line, _ = r.lines.pos(h.Lines().At(0).Start)
				col = 1
			}
			out = append(out, heading{text: strings.TrimSpace(plainText(h, r.body)), level: h.Level, line: line, col: col})
			open = append(open, len(out)-1)
			continue
		}
		if !isContent(n, r.body) {
			continue
		}
		for _, i := range open {
			out[i].hasContent = true
		}
	}
	return out
}

// isContent reports whether a block says something: not an HTML comment
// (template guidance) and not a timeline of nothing but commented-out
// examples.
func isContent(n ast.Node, src []byte) bool {
	switch b := n.(type) {
	case *ast.HTMLBlock:
		return false
	case *ast.FencedCodeBlock:
		if string(b.Language(src)) != "timeline" {
			return true
		}
		for i := 0; i < b.Lines().Len(); i++ {
			seg := b.Lines().At(i)
			l := bytes.TrimSpace(seg.Value(src))
			if len(l) > 0 && !bytes.HasPrefix(l, []byte("#")) && !bytes.HasPrefix(l, []byte("//")) {
				return true
			}
		}
		return false
	}
	return true
}

// plainText is a node's text without markup.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

func (c *checker) template(name string) *scaffold.Template {
	for _, t := range c.tmpls {
		if t.Name == site.Slugify(name) {
			return t
		}
	}
	return nil
}

// checkSections compares a review's headings with its template's required
// sections.
func (c *checker) checkSections(r *review) {
	if r.fields == nil {
		return
	}
	hs := r.headings()
	has := func(s scaffold.Section) *heading {
		for i := range hs {
			if s.Matches(hs[i].text) {
				return &hs[i]
			}
		}
		return nil
	}
	var t *scaffold.Template
	line, col := 1, 1
	declared := false
	if tn := r.fields.Get("template"); tn != nil && tn.Kind == frontmatter.ScalarNode && strings.TrimSpace(tn.Str) != "" {
		name := strings.TrimSpace(tn.Str)
		if site.Slugify(name) == "none" {
			return
		}
		t = c.template(name)
		if t == nil {
			var names []string
			hint := ""
			for _, x := range c.tmpls {
				names = append(names, x.Name)
				if _, _, ok := similar(site.Slugify(name), x.Name); ok && hint == "" {
					hint = fmt.Sprintf("did you mean %s? ", x.Name)
				}
			}
			hint += fmt.Sprintf("templates: %s, or none; a library adds its own as templates/NAME.md", strings.Join(names, ", "))
			c.add("unknown-template", r.path, tn.Line, tn.Col, fmt.Sprintf("template: no template named %q", name), hint)
			return
		}
		line, col, declared = tn.Line, tn.Col, true
	} else {
		// No template named: does the review evidently follow one?
		bestN := 0
		for _, x := range c.tmpls {
			n := 0
			for _, s := range x.Sections {
				if has(s) != nil {
					n++
				}
			}
			if len(x.Sections) == 0 || n < 3 || 3*n < 2*len(x.Sections) {
				continue
			}
			if t == nil || n*len(t.Sections) > bestN*len(x.Sections) {
				t, bestN = x, n
			}
		}
		if t == nil {
			return
		}
	}
	present := 0
	for _, s := range t.Sections {
		if has(s) != nil {
			present++
		}
	}
	for _, s := range t.Sections {
		h := has(s)
		if h == nil {
			hint := fmt.Sprintf("add a %q heading", "## "+s.String())
			if len(s.Names) > 1 {
				hint += fmt.Sprintf(" (or %s)", quoted(s.Names[1:]))
			}
			if !declared {
				hint += fmt.Sprintf("; this review has %d of the %s template's %d sections: if it does not follow that template, add template: none to its front matter",
					present, t.Name, len(t.Sections))
			}
			c.add("required-section", r.path, line, col, fmt.Sprintf("section %q is missing (template %s)", s.String(), t.Name), hint)
			continue
		}
		if !r.draft && !h.hasContent {
			c.add("empty-section", r.path, h.line, h.col, fmt.Sprintf("section %q is empty", h.text),
				"write it, or say in a sentence why it does not apply; guidance comments do not count")
		}
	}
}

func quoted(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, " or ")
}
