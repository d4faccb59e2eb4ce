package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
)

// Outline is what casebook check reads of a body, taken from the parse as
// the author wrote it (before the title heading leaves and timelines
// replace their blocks): its top-level sections and its prose.
type Outline struct {
	Sections []Section
	// Prose is the body's running text: paragraphs, headings, list items,
	// table cells and the TEXT column of timeline lines, never code, raw
	// HTML (so never guidance comments) or front matter.
	Prose []Prose
	li    *lineIndex
}

// Section is a top-level heading and whether anything but comments follows
// it before the next heading of its level or above.
type Section struct {
	Text       string
	Level      int
	Line, Col  int
	HasContent bool
}

// Prose is a run of text with, for each byte, its offset in the body.
type Prose struct {
	Text []byte
	Offs []int
}

func (p *Prose) add(b []byte, off int) {
	for i := range b {
		p.Text = append(p.Text, b[i])
		p.Offs = append(p.Offs, off+i)
	}
}

// Pos is the file line and column of a byte offset in the body.
func (o *Outline) Pos(off int) (line, col int) { return o.li.pos(off) }

func outline(doc ast.Node, src []byte, li *lineIndex) *Outline {
	o := &Outline{li: li}
	var open []int // indexes into Sections of headings whose section is still open
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok {
			for len(open) > 0 && o.Sections[open[len(open)-1]].Level >= h.Level {
				open = open[:len(open)-1]
			}
			line, col := 0, 0
			if h.Lines().Len() > 0 {
				line, _ = li.pos(h.Lines().At(0).Start)
				col = 1
			}
			o.Sections = append(o.Sections, Section{Text: strings.TrimSpace(sectionText(h, src)), Level: h.Level, Line: line, Col: col})
			open = append(open, len(o.Sections)-1)
			continue
		}
		if !isContent(n, src) {
			continue
		}
		for _, i := range open {
			o.Sections[i].HasContent = true
		}
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Paragraph, *ast.Heading, *ast.TextBlock, *extast.TableCell:
			var p Prose
			inlineProse(n, src, &p)
			if len(p.Text) > 0 {
				o.Prose = append(o.Prose, p)
			}
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock:
			if string(n.Language(src)) == "timeline" {
				for i := 0; i < n.Lines().Len(); i++ {
					seg := n.Lines().At(i)
					if p := timelineText(seg.Value(src), seg.Start); p != nil && len(p.Text) > 0 {
						o.Prose = append(o.Prose, *p)
					}
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return o
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

// sectionText is a heading's text without markup; unlike plainText it
// leaves out autolinks' URLs, as a template's section names never hold
// one.
func sectionText(n ast.Node, src []byte) string { return textOf(n, src, false) }

// inlineProse collects the text of a block's inlines, leaving out code
// spans, raw HTML and bare URLs.
func inlineProse(n ast.Node, src []byte, p *Prose) {
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
func timelineText(line []byte, off int) *Prose {
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
	p := &Prose{}
	p.add(masked, off+start)
	return p
}
