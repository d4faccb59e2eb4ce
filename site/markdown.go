package site

import (
	"bytes"
	"fmt"
	"html/template"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/casebook/casebook/site/internal/highlight"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// renderEnv is what rendering a Markdown body needs to know about the rest
// of the library. It is shared, read-only, by all parsing goroutines.
type renderEnv struct {
	cfg     *Config
	md      goldmark.Markdown
	targets map[string]*source // every review file, by library path
	byName  map[string]*source // by file name, for links written without a folder
	// included holds review paths that this build publishes; a link to a
	// review outside it is rendered as plain text.
	included map[string]bool
	kinds    map[string]bool
	// base is the site's URL path prefix ("/" or "/incidents/"), for links
	// written into bodies.
	base string
	// people, when set, says which @mentions may become links. A review's
	// mention creates the person, but a path or a profile bio cannot, so
	// there a mention of anyone without a page would be a dead link.
	people func(id string) bool
	// noText: see Options.NoText.
	noText bool
	// compress keeps each body's HTML and text compressed (see
	// compressed), for a one-off build.
	compress bool
}

// linksPerson reports whether a mention of id becomes a link.
func (env *renderEnv) linksPerson(id string) bool {
	return env.people == nil || env.people(id)
}

func newRenderEnv(cfg *Config, targets map[string]*source) *renderEnv {
	env := &renderEnv{cfg: cfg, targets: targets, byName: map[string]*source{}, kinds: map[string]bool{}, base: cfg.BasePath()}
	env.indexTargets()
	for _, k := range cfg.TimelineKinds {
		env.kinds[Normalize(k)] = true
	}
	ropts := []renderer.Option{
		renderer.WithNodeRenderers(util.Prioritized(&blockRenderer{hl: highlight.New()}, 100)),
	}
	if cfg.UnsafeHTML {
		ropts = append(ropts, html.WithUnsafe())
	}
	env.md = goldmark.New(
		goldmark.WithExtensions(gfm, extension.Footnote),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
		goldmark.WithRendererOptions(ropts...),
	)
	return env
}

// indexTargets indexes review files by name, for links written without
// their folder.
func (env *renderEnv) indexTargets() {
	for p, s := range env.targets {
		env.byName[path.Base(p)] = s
		if s.dir != "" {
			env.byName[path.Base(s.dir)] = s
		}
	}
}

// body is the result of rendering one review's Markdown.
type body struct {
	HTML     template.HTML
	TOC      []*Heading
	Headings []string
	Text     string
	Words    int
	Lead     string // the first paragraph, as plain text
	H1       string
	Timeline *Timeline
	Links    []string // library paths of linked reviews, in order, unique
	Mentions []string
	Errors   []*Error
	unlink   []*ast.Link
	// zHTML and zText replace HTML and Text when the renderEnv compresses.
	zHTML, zText func() string
}

// lineIndex maps byte offsets of a body to lines of its file.
type lineIndex struct {
	starts []int
	first  int // file line of the body's first line
}

func newLineIndex(src []byte, first int) *lineIndex {
	li := &lineIndex{starts: []int{0}, first: first}
	for i, c := range src {
		if c == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

func (li *lineIndex) pos(off int) (line, col int) {
	i := sort.Search(len(li.starts), func(i int) bool { return li.starts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return li.first + i, off - li.starts[i] + 1
}

// render parses a body and, when withHTML is set, renders it to HTML.
func (env *renderEnv) render(srcPath string, src []byte, firstLine int, rc *reviewContext) body {
	return env.renderBody(srcPath, src, firstLine, rc, true)
}

func (env *renderEnv) renderBody(srcPath string, src []byte, firstLine int, rc *reviewContext, withHTML bool) body {
	var b body
	li := newLineIndex(src, firstLine)
	pc := parser.NewContext(parser.WithIDs(&headingIDs{seen: map[string]int{}}))
	doc := env.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	errAt := func(off int, format string, args ...any) {
		line, col := li.pos(off)
		e := errs{}
		e.Add(srcPath, line, col, format, args...)
		b.Errors = append(b.Errors, e.List...)
	}

	// The first H1 is the title when the front matter gives none; the page
	// template shows the title, so the heading leaves the body either way.
	if h := firstH1(doc); h != nil {
		b.H1 = strings.TrimSpace(plainText(h, src))
		h.Parent().RemoveChild(h.Parent(), h)
	}

	seenLink := map[string]bool{}
	var timelines []*Timeline
	var replace [][2]ast.Node
	textBuf := getBuf()
	defer putBuf(textBuf)
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
				b.TOC = append(b.TOC, internHeading(Heading{Level: n.Level, ID: string(id.([]byte)), Text: t}))
			}
			textBuf.WriteString(t)
			textBuf.WriteString("\n")
			if strings.EqualFold(t, "timeline") {
				if tbl := nextTable(n); tbl != nil {
					if tl := env.tableTimeline(tbl, src, li, rc); tl != nil {
						timelines = append(timelines, tl)
						replace = append(replace, [2]ast.Node{tbl, &timelineNode{tl: tl}})
					}
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.FencedCodeBlock:
			lang := string(n.Language(src))
			if lang == "timeline" {
				tl, errs := env.parseTimeline(srcPath, n, src, li, rc)
				b.Errors = append(b.Errors, errs...)
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
			env.rewriteLink(srcPath, n, src, &b, seenLink, errAt)
		case *ast.Image:
			env.rewriteStatic(srcPath, n)
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
	for _, n := range mentionTexts {
		env.linkMentions(n, src, rc)
	}
	for _, n := range b.unlink {
		parent := n.Parent()
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
	b.unlink = nil
	if len(timelines) > 0 {
		b.Timeline = mergeTimelines(timelines)
		for _, ev := range b.Timeline.Events {
			textBuf.WriteString(ev.Text)
			textBuf.WriteByte('\n')
		}
	}
	b.Mentions = rc.mentions
	if withHTML {
		out := getBuf()
		if err := env.md.Renderer().Render(out, src, doc); err != nil {
			errAt(0, "cannot render Markdown: %v", err)
		}
		if env.compress {
			b.zHTML = compressed(out.Bytes())
		} else {
			b.HTML = template.HTML(out.String())
		}
		putBuf(out)
	}
	b.Words = countWords(textBuf.Bytes())
	if !env.noText {
		if env.compress {
			b.zText = compressed(textBuf.Bytes())
		} else {
			b.Text = textBuf.String()
		}
	}
	return b
}

// bufs hold what a build makes and throws away by the thousand: a body's
// HTML and text, a partial's output, a page until it is written. Growing
// a new buffer for each was a tenth of what a large build allocated.
var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuf() *bytes.Buffer {
	b := bufs.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// putBuf returns b to the pool unless it grew past maxPooledBuf.
func putBuf(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuf {
		bufs.Put(b)
	}
}

// maxPooledBuf is the largest buffer reused: ten times a typical review
// page. The few huge list pages would otherwise keep buffers of their size
// alive for the rest of the build.
const maxPooledBuf = 256 << 10

// headings interns table-of-contents entries (see Heading), up to a bound
// so that a long-running preview server cannot grow it without limit.
var headings = struct {
	sync.Mutex
	m map[Heading]*Heading
}{m: map[Heading]*Heading{}}

const maxInternedHeadings = 100_000

func internHeading(h Heading) *Heading {
	headings.Lock()
	defer headings.Unlock()
	if p, ok := headings.m[h]; ok {
		return p
	}
	p := &h
	if len(headings.m) < maxInternedHeadings {
		headings.m[h] = p
	}
	return p
}

// countWords is len(strings.Fields(s)) without making the slice.
func countWords(s []byte) int {
	// Arithmetic rather than a branch on each word start: the branch was
	// mispredicted at every word, and this loop runs over every review.
	n, prev := 0, 0
	for i := 0; i < len(s); {
		var w int // 1 in a word, 0 in space
		if c := s[i]; c < utf8.RuneSelf {
			w = wordByte[c]
			i++
		} else {
			r, size := utf8.DecodeRune(s[i:])
			if !unicode.IsSpace(r) {
				w = 1
			}
			i += size
		}
		n += w &^ prev
		prev = w
	}
	return n
}

// wordByte is 0 for the ASCII bytes unicode.IsSpace counts as space, 1
// for the rest.
var wordByte = func() (t [utf8.RuneSelf]int) {
	for c := range t {
		t[c] = 1
	}
	for _, c := range "\t\n\v\f\r " {
		t[c] = 0
	}
	return t
}()

func firstH1(doc ast.Node) *ast.Heading {
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		if h, ok := c.(*ast.Heading); ok && h.Level == 1 {
			return h
		}
	}
	return nil
}

func nextTable(h *ast.Heading) *extast.Table {
	for c := h.NextSibling(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *extast.Table:
			return c
		case *ast.Heading:
			return nil
		}
	}
	return nil
}

// plainText is a node's text content without markup.
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
		case *ast.AutoLink:
			b.Write(c.URL(src))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}

// nodeOffset finds a byte offset in the source for an inline node, whose
// AST carries no position of its own: that of its first text, or of its
// block.
func nodeOffset(n ast.Node) int {
	off := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			off = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if off >= 0 {
		return off
	}
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}

// resolveReview maps a link destination written in srcPath to a review
// file, if it names one.
func (env *renderEnv) resolveReview(srcPath, dest string) (target *source, frag string, isReview bool) {
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
		return nil, "", false
	}
	p := u.Path
	lower := strings.ToLower(p)
	if !strings.HasSuffix(lower, ".md") && !strings.HasSuffix(lower, ".markdown") {
		return nil, "", false
	}
	var full string
	if strings.HasPrefix(p, "/") {
		full = path.Clean(strings.TrimPrefix(p, "/"))
	} else {
		full = path.Join(path.Dir(srcPath), p)
	}
	if t, ok := env.targets[full]; ok {
		return t, u.Fragment, true
	}
	if path.Base(p) == "index.md" {
		if t, ok := env.byName[path.Base(path.Dir(p))]; ok {
			return t, u.Fragment, true
		}
	} else if t, ok := env.byName[path.Base(p)]; ok {
		return t, u.Fragment, true
	}
	return nil, u.Fragment, true
}

func (env *renderEnv) rewriteLink(srcPath string, n *ast.Link, src []byte, b *body, seen map[string]bool, errAt func(int, string, ...any)) {
	dest := string(n.Destination)
	t, frag, isReview := env.resolveReview(srcPath, dest)
	if !isReview {
		env.rewriteStatic(srcPath, n)
		return
	}
	off := nodeOffset(n)
	if off > 0 && src[off-1] == '[' {
		off--
	}
	if t == nil {
		errAt(off, "link to a review that does not exist: %s", dest)
		return
	}
	if t.path == srcPath {
		n.Destination = []byte("#" + frag)
		return
	}
	if !env.included[t.path] {
		// The target is a draft or restricted: keep the words, drop the
		// link, once the walk is over.
		b.unlink = append(b.unlink, n)
		return
	}
	u := env.base + "reviews/" + t.slug + "/"
	if frag != "" {
		u += "#" + frag
	}
	n.Destination = []byte(u)
	if !seen[t.path] {
		seen[t.path] = true
		b.Links = append(b.Links, t.path)
	}
}

// rewriteStatic points links to files under static/ at their published
// place at the site root.
func (env *renderEnv) rewriteStatic(srcPath string, n ast.Node) {
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
		*dest = []byte(env.base + rest)
	}
}

// kindTimeline marks where a timeline replaces a code block or table.
var kindTimeline = ast.NewNodeKind("CasebookTimeline")

type timelineNode struct {
	ast.BaseBlock
	tl *Timeline
}

func (n *timelineNode) Kind() ast.NodeKind               { return kindTimeline }
func (n *timelineNode) Dump(src []byte, level int)       { ast.DumpHelper(n, src, level, nil, nil) }
func (n *timelineNode) IsRaw() bool                      { return true }
func (n *timelineNode) HasBlankPreviousLines() bool      { return true }
func (n *timelineNode) SetBlankPreviousLines(bool)       {}
func (n *timelineNode) Lines() *text.Segments            { return text.NewSegments() }
func (n *timelineNode) SetLines(*text.Segments)          {}
func (n *timelineNode) Text(src []byte) []byte           { return nil }
func (n *timelineNode) AppendChild(self, child ast.Node) {}

// blockRenderer renders highlighted code and timelines.
type blockRenderer struct{ hl *highlight.Highlighter }

func (r *blockRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.code)
	reg.Register(ast.KindCodeBlock, r.code)
	reg.Register(kindTimeline, r.timeline)
	reg.Register(ast.KindHeading, r.heading)
}

// heading renders a heading as goldmark does, adding to h2 and h3 a link
// to itself so that readers can share a section. The "#" is added here, at
// render time, so the table of contents and search text never contain it.
func (r *blockRenderer) heading(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	if entering {
		w.WriteString("<h")
		w.WriteByte("0123456"[n.Level])
		if n.Attributes() != nil {
			html.RenderAttributes(w, node, html.HeadingAttributeFilter)
		}
		w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	if id, ok := n.AttributeString("id"); ok && (n.Level == 2 || n.Level == 3) {
		if b, ok := id.([]byte); ok {
			w.WriteString(`<a class="heading-anchor" href="#`)
			w.Write(util.EscapeHTML(b))
			w.WriteString(`" aria-label="Link to this section">#</a>`)
		}
	}
	w.WriteString("</h")
	w.WriteByte("0123456"[n.Level])
	w.WriteString(">\n")
	return ast.WalkContinue, nil
}

func (r *blockRenderer) code(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	var code strings.Builder
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		code.Write(seg.Value(src))
	}
	lang := ""
	if fc, ok := n.(*ast.FencedCodeBlock); ok {
		lang = strings.ToLower(string(fc.Language(src)))
	}
	w.WriteString(`<div class="highlight"`)
	if lang != "" {
		w.WriteString(` data-lang="`)
		w.WriteString(template.HTMLEscapeString(lang))
		w.WriteString(`"`)
	}
	w.WriteString(">")
	if err := r.hl.WriteHTML(w, lang, code.String()); err != nil {
		w.WriteString(`<pre class="chroma"><code>`)
		w.WriteString(template.HTMLEscapeString(code.String()))
		w.WriteString(`</code></pre>`)
	}
	w.WriteString("</div>\n")
	return ast.WalkSkipChildren, nil
}

func (r *blockRenderer) timeline(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		writeTimelineHTML(w, n.(*timelineNode).tl)
	}
	return ast.WalkSkipChildren, nil
}

// ChromaCSS is the stylesheet for highlighted code.
func ChromaCSS() []byte { return highlight.CSS() }

// headingIDs makes heading anchors the way slugs are made, keeping
// non-ASCII letters ("Étude" → "étude"), unique within a document.
type headingIDs struct{ seen map[string]int }

func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	id := Slugify(string(value))
	if id == "" {
		id = "section"
	}
	if n, ok := h.seen[id]; ok {
		h.seen[id] = n + 1
		id = fmt.Sprintf("%s-%d", id, n+1)
	}
	h.seen[id] = 0
	return []byte(id)
}

func (h *headingIDs) Put(value []byte) { h.seen[string(value)] = 0 }

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
func (env *renderEnv) linkMentions(n *ast.Text, src []byte, rc *reviewContext) {
	seg := n.Segment
	val := seg.Value(src)
	parent := n.Parent()
	pos, found := 0, false
	forEachMention(val, func(at, end int) {
		id := Normalize(string(val[at+1 : end]))
		if !env.linksPerson(id) {
			return // left in the text that follows
		}
		found = true
		if at > pos {
			parent.InsertBefore(parent, n, ast.NewTextSegment(text.NewSegment(seg.Start+pos, seg.Start+at)))
		}
		rc.mention(id)
		link := ast.NewLink()
		link.Destination = []byte(env.base + "people/" + id + "/")
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
