package markdown

import (
	"bytes"
	"net/url"
	"path"
	"strings"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/casebook/casebook/site/diag"
	"github.com/casebook/casebook/site/internal/slug"
)

// stateKey finds a body's bodyState in goldmark's parser context. A parse
// without one (a timeline line's inline Markdown) is left as it is.
var stateKey = parser.NewContextKey()

// bodyState is one body's parse: where it came from and what the
// transformer finds in it.
type bodyState struct {
	env      *Renderer
	path     string
	src      []byte
	li       *lineIndex
	rc       *reviewContext
	b        *Body
	text     *bytes.Buffer // the plain text, for search and counting words
	seenLink map[string]bool
	unlink   []*ast.Link
	titlePar ast.Node  // the paragraph a bare "# Title:" heading titles
	tlDate   *Fact     // the first date a timeline writes
	secs     []secMark // the top-level headings, for Structure.Sections
	textEnd  int       // where the plain text of the sections ends
}

// noteAt records a note (an inference or something left as written) at a
// file position.
func (st *bodyState) noteAt(line, col int, format string, args ...any) {
	var e diag.Collector
	e.Add(st.path, line, col, format, args...)
	st.b.Notes = append(st.b.Notes, e.List...)
}

func (st *bodyState) errAt(off int, format string, args ...any) {
	line, col := st.li.pos(off)
	var e diag.Collector
	e.Add(st.path, line, col, format, args...)
	st.b.Errors = append(st.b.Errors, e.List...)
}

// bodyTransformer is casebook's AST transformer: in one walk of a parsed
// body it takes out the title heading, resolves links to reviews and to
// static files, turns timeline code blocks and tables into timelines,
// links @mentions, and gathers the headings, lead and plain text. One walk
// rather than a transformer each, because this runs over every review of
// a large library.
type bodyTransformer struct{ env *Renderer }

func (t bodyTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st, ok := pc.Get(stateKey).(*bodyState)
	if !ok {
		return
	}
	env, src, b, rc, textBuf := st.env, st.src, st.b, st.rc, st.text
	if env.cfg.Outline {
		b.Outline = outline(doc, src, st.li)
	}

	// The title heading is the title when the front matter gives none; the
	// page template shows the title, so the heading leaves the body either
	// way (see takeTitle).
	b.H1 = st.takeTitle(doc)
	st.readStructure(doc)

	var timelines []*Timeline
	var replace [][2]ast.Node
	var remove []ast.Node
	var mentionTexts []*ast.Text
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			// Block ends separate words in the plain text.
			switch n.(type) {
			case *ast.Paragraph, *ast.ListItem, *extast.TableCell:
				textBuf.WriteByte('\n')
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			t := strings.TrimSpace(plainText(n, src))
			b.Headings = append(b.Headings, t)
			if id, ok := n.AttributeString("id"); ok && n.Level >= 2 && n.Level <= 3 {
				b.TOC = append(b.TOC, env.internHeading(Heading{Level: n.Level, ID: string(id.([]byte)), Text: t}))
			}
			textBuf.WriteString(t)
			textBuf.WriteString("\n")
			if _, top := n.Parent().(*ast.Document); top {
				line := 0
				if n.Lines().Len() > 0 {
					line, _ = st.li.pos(n.Lines().At(0).Start)
				}
				st.secs = append(st.secs, secMark{heading: t, level: n.Level, line: line, start: textBuf.Len()})
			}
			if isTimelineHeading(t) {
				if tbl := nextTable(n); tbl != nil {
					if tl := st.tableTimeline(tbl); tl != nil {
						timelines = append(timelines, tl)
						replace = append(replace, [2]ast.Node{tbl, &timelineNode{tl: tl}})
					}
				} else if tl, blocks := st.proseTimeline(n); tl != nil {
					timelines = append(timelines, tl)
					replace = append(replace, [2]ast.Node{blocks[0], &timelineNode{tl: tl}})
					remove = append(remove, blocks[1:]...)
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock:
			lang := string(n.Language(src))
			if lang == "timeline" {
				tl, errs, notes := env.parseTimeline(st.path, n, src, st.li, rc)
				b.Errors = append(b.Errors, errs...)
				b.Notes = append(b.Notes, notes...)
				timelines = append(timelines, tl)
				replace = append(replace, [2]ast.Node{n, &timelineNode{tl: tl}})
				return ast.WalkSkipChildren, nil
			}
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				textBuf.Write(seg.Value(src))
			}
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			st.rewriteLink(n)
		case *ast.Image:
			st.rewriteImage(n)
			if b.Image == "" {
				b.Image = string(n.Destination)
			}
		case *ast.HTMLBlock:
			var closure *text.Segment
			if n.HasClosure() {
				c := n.ClosureLine
				closure = &c
			}
			if h, changed := st.rawHTML(n.Lines(), closure, true); changed {
				replace = append(replace, [2]ast.Node{n, &rawBlockNode{html: h}})
			}
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			if h, changed := st.rawHTML(n.Segments, nil, false); changed {
				replace = append(replace, [2]ast.Node{n, &rawInlineNode{html: h}})
			}
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if mentionable(n) && bytes.IndexByte(n.Segment.Value(src), '@') >= 0 {
				mentionTexts = append(mentionTexts, n)
			}
			textBuf.Write(n.Segment.Value(src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				textBuf.WriteByte(' ')
			}
		case *ast.String:
			textBuf.Write(n.Value)
		case *ast.Paragraph:
			if b.Lead == "" {
				if _, top := n.Parent().(*ast.Document); top {
					b.Lead = strings.TrimSpace(plainText(n, src))
				}
			}
		}
		return ast.WalkContinue, nil
	})
	for _, r := range replace {
		r[0].Parent().ReplaceChild(r[0].Parent(), r[0], r[1])
	}
	for _, n := range remove {
		n.Parent().RemoveChild(n.Parent(), n)
	}
	for _, n := range mentionTexts {
		env.linkMentions(n, src, rc)
	}
	for _, n := range st.unlink {
		parent := n.Parent()
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
	st.textEnd = textBuf.Len()
	st.dateFromTimeline()
	if len(timelines) > 0 {
		b.Timeline = mergeTimelines(timelines)
		for _, ev := range b.Timeline.Events {
			textBuf.WriteString(ev.Text)
			textBuf.WriteByte('\n')
		}
	}
	b.Mentions = rc.mentions
}

// rewriteLink points a link to a review's Markdown file at its page, and
// records it as a cross-reference.
func (st *bodyState) rewriteLink(n *ast.Link) {
	env, src := st.env, st.src
	dest := string(n.Destination)
	target, frag, isReview := env.resolveReview(st.path, dest)
	if !isReview {
		env.rewriteStatic(st.path, n)
		st.rewriteFileLink(n)
		return
	}
	off := nodeOffset(n)
	if off > 0 && src[off-1] == '[' {
		off--
	}
	if target == "" {
		if full, _, _, ok := resolveFile(st.path, dest); ok && env.cfg.File != nil && env.cfg.File(full) {
			st.libraryFileLink(n, full, frag, dest, off)
			return
		}
		st.errAt(off, "link to a review that does not exist: %s", dest)
		return
	}
	if target == st.path {
		n.Destination = []byte("#" + frag)
		return
	}
	t := env.targets[target]
	if !t.Published {
		// The target is a draft or restricted: keep the words, drop the
		// link, once the walk is over.
		st.unlink = append(st.unlink, n)
		return
	}
	u := env.cfg.BasePath + "reviews/" + t.Slug + "/"
	if frag != "" {
		u += "#" + frag
	}
	n.Destination = []byte(u)
	if !st.seenLink[target] {
		st.seenLink[target] = true
		st.b.Links = append(st.b.Links, target)
	}
}

// libraryFileLink points a link to a library Markdown file that is not a
// review (a README, a runbook, a template) at the forge, or keeps its
// words without the link, with a note.
func (st *bodyState) libraryFileLink(n *ast.Link, full, frag, dest string, off int) {
	if st.env.cfg.Forge != nil {
		if u := st.env.cfg.Forge(full); u != "" {
			if frag != "" {
				u += "#" + frag
			}
			n.Destination = []byte(u)
			return
		}
	}
	st.unlink = append(st.unlink, n)
	line, col := st.li.pos(off)
	st.noteAt(line, col, "link to %s, a library file that is not a review: its words are kept without the link (set repo in casebook.yaml to link to it on the forge)", dest)
}

// staticDir is the library folder published at the site root.
const staticDir = "static"

// rewriteStatic points links to files under static/ at their published
// place at the site root.
func (env *Renderer) rewriteStatic(srcPath string, n ast.Node) {
	var dest *[]byte
	switch n := n.(type) {
	case *ast.Link:
		dest = &n.Destination
	case *ast.Image:
		dest = &n.Destination
	default:
		return
	}
	u, err := url.Parse(string(*dest))
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" || strings.HasPrefix(u.Path, "/") {
		return
	}
	full := path.Join(path.Dir(srcPath), u.Path)
	if rest, ok := strings.CutPrefix(full, staticDir+"/"); ok {
		*dest = []byte(env.cfg.BasePath + rest)
	}
}

// mentionable reports whether a text node may hold @mentions: not inside
// code or a link.
func mentionable(n *ast.Text) bool {
	switch n.Parent().(type) {
	case *ast.Link, *ast.CodeSpan, *ast.AutoLink, *ast.Image:
		return false
	}
	return true
}

// linkMentions turns @person-id in a text node into links to people pages.
func (env *Renderer) linkMentions(n *ast.Text, src []byte, rc *reviewContext) {
	seg := n.Segment
	val := seg.Value(src)
	parent := n.Parent()
	pos, found := 0, false
	forEachMention(val, func(at, end int) {
		id := slug.Make(string(val[at+1 : end]))
		if !env.linksPerson(id) {
			return // left in the text that follows
		}
		found = true
		if at > pos {
			parent.InsertBefore(parent, n, ast.NewTextSegment(text.NewSegment(seg.Start+pos, seg.Start+at)))
		}
		rc.mention(id)
		link := ast.NewLink()
		link.Destination = []byte(env.cfg.BasePath + "people/" + id + "/")
		link.AppendChild(link, ast.NewTextSegment(text.NewSegment(seg.Start+at, seg.Start+end)))
		parent.InsertBefore(parent, n, link)
		pos = end
	})
	if !found {
		return
	}
	rest := ast.NewTextSegment(text.NewSegment(seg.Start+pos, seg.Stop))
	rest.SetSoftLineBreak(n.SoftLineBreak())
	rest.SetHardLineBreak(n.HardLineBreak())
	parent.ReplaceChild(parent, n, rest)
}
