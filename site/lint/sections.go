package lint

import (
	"fmt"
	"strings"

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
	out := make([]heading, len(r.outline.Sections))
	for i, s := range r.outline.Sections {
		out[i] = heading{text: s.Text, level: s.Level, line: s.Line, col: s.Col, hasContent: s.HasContent}
	}
	return out
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
