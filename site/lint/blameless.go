package lint

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
)

// prose is text of a body with, for each byte, its offset in the body.
type prose struct {
	text []byte
	offs []int
}

func (p *prose) add(b []byte, off int) {
	for i := range b {
		p.text = append(p.text, b[i])
		p.offs = append(p.offs, off+i)
	}
}

// checkLanguage looks for blameless-language phrases in the prose of a
// body: paragraphs, headings, list items, table cells and the text of
// timeline events, never code, raw HTML (so never guidance comments) or
// front matter.
func (c *checker) checkLanguage(r *review) {
	if len(c.settings.phrases) == 0 {
		return
	}
	_ = ast.Walk(r.doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Paragraph, *ast.Heading, *ast.TextBlock, *extast.TableCell:
			var p prose
			inlineProse(n, r.body, &p)
			c.scan(r, &p)
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock:
			if string(n.Language(r.body)) == "timeline" {
				for i := 0; i < n.Lines().Len(); i++ {
					seg := n.Lines().At(i)
					if p := timelineText(seg.Value(r.body), seg.Start); p != nil {
						c.scan(r, p)
					}
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
}

// inlineProse collects the text of a block's inlines, leaving out code
// spans, raw HTML and bare URLs.
func inlineProse(n ast.Node, src []byte, p *prose) {
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || c == n {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			p.add(c.Segment.Value(src), c.Segment.Start)
			if c.SoftLineBreak() || c.HardLineBreak() {
				p.add([]byte{' '}, c.Segment.Stop)
			}
		case *ast.CodeSpan, *ast.RawHTML, *ast.AutoLink:
			p.add([]byte{' '}, 0)
			return ast.WalkSkipChildren, nil
		case ast.Node:
			if c.Type() == ast.TypeBlock {
				// A nested block (a list inside a tight list item) is
				// walked as its own prose.
				return ast.WalkSkipChildren, nil
			}
		}
		return ast.WalkContinue, nil
	})
}

// timelineText is the TEXT column of a timeline line (TIME | KIND | TEXT),
// with code spans blanked; nil for comments and lines without one.
func timelineText(line []byte, off int) *prose {
	t := bytes.TrimSpace(line)
	if len(t) == 0 || bytes.HasPrefix(t, []byte("#")) || bytes.HasPrefix(t, []byte("//")) {
		return nil
	}
	first := bytes.IndexByte(line, '|')
	if first < 0 {
		return nil
	}
	second := bytes.IndexByte(line[first+1:], '|')
	if second < 0 {
		return nil
	}
	start := first + 1 + second + 1
	text := bytes.TrimRight(line[start:], "\r\n")
	masked := make([]byte, len(text))
	copy(masked, text)
	inCode := false
	for i, b := range masked {
		if b == '`' {
			inCode = !inCode
		}
		if inCode || b == '`' {
			masked[i] = ' '
		}
	}
	p := &prose{}
	p.add(masked, off+start)
	return p
}

func (c *checker) scan(r *review, p *prose) {
	if len(p.text) == 0 {
		return
	}
	lower := bytes.ToLower(p.text)
	for _, m := range c.settings.phrases {
		if len(m.needle) > 0 && !bytes.Contains(lower, m.needle) {
			continue
		}
		locs := m.re.FindAllIndex(p.text, -1)
		if locs == nil {
			continue
		}
		var except [][]int
		for _, e := range m.except {
			except = append(except, e.FindAllIndex(p.text, -1)...)
		}
	next:
		for _, loc := range locs {
			for _, e := range except {
				if loc[0] >= e[0] && loc[0] < e[1] {
					continue next
				}
			}
			line, col := r.lines.pos(p.offs[loc[0]])
			found := strings.Join(strings.Fields(string(p.text[loc[0]:loc[1]])), " ")
			c.add("blameless-language", r.path, line, col, fmt.Sprintf("consider rephrasing %q", found), m.Why)
		}
	}
}
