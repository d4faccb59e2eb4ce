package markdown

import (
	"fmt"
	"html/template"
	"net/url"
	"path"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/casebook/casebook/internal/bufpool"
	"github.com/casebook/casebook/site/diag"
	"github.com/casebook/casebook/site/internal/blob"
	"github.com/casebook/casebook/site/internal/highlight"
	"github.com/casebook/casebook/site/internal/slug"
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

// Config is what rendering bodies needs to know about the library.
type Config struct {
	// BasePath is the site's URL path prefix ("/" or "/incidents/"), for
	// links written into bodies.
	BasePath string
	// UnsafeHTML lets raw HTML through; otherwise it is sanitised (see
	// sanitizer): images, tables, details and emphasis stay, scripts,
	// event handlers, styles and other URLs than http(s) and relative go.
	UnsafeHTML bool
	// File reports whether a library path (slash-separated, from the
	// library root) is a file of the library. With it, images and links
	// to library files are published (Body.Assets), missing images are
	// noted, and links to library Markdown files that are not reviews
	// are not errors. nil keeps the behaviour of before: only static/ is
	// resolved.
	File func(libPath string) bool
	// Forge, when set, is the URL of a library file on the forge that
	// hosts the library (built from casebook.yaml's repo and branch), or
	// "" when it has none: a link to a library Markdown file that is not
	// a review goes there.
	Forge func(libPath string) string
	// Location is the library's time zone, for timeline times.
	Location *time.Location
	// WorkHours reports whether a time, read in Location, falls within
	// working hours (casebook.yaml's work_hours); events outside them are
	// marked off-hours. nil: Monday to Friday, 09:00 to 18:00.
	WorkHours func(time.Time) bool
	// Kinds are the timeline event kinds a line may name.
	Kinds []string
	// People, when set, says which @mentions may become links. A review's
	// mention creates the person, but a path or a profile bio cannot, so
	// there a mention of anyone without a page would be a dead link.
	People func(id string) bool
	// Compress keeps each body's HTML and text compressed (see package
	// blob), for a one-off build.
	Compress bool
	// NoText leaves Body.Text empty: only a search index reads it.
	NoText bool
	// Outline keeps each body's Outline, for casebook check.
	Outline bool
	// Highlighter colours code; nil means a new one. The preview server
	// keeps one across loads so that its memo stays warm.
	Highlighter *highlight.Highlighter
}

// Target is a review file that a body may link to.
type Target struct {
	Slug string
	Dir  string // the bundle folder, "" for a single file
	// Published: a link to a review outside the build (a draft, a
	// restricted review) keeps its words and loses its link.
	Published bool
}

// Renderer renders review bodies, paths and bios. It is shared, read-only
// but for its interned headings, by all parsing goroutines.
type Renderer struct {
	cfg      Config
	md       goldmark.Markdown
	targets  map[string]Target // every review file, by library path
	byName   map[string]string // library path by file name, for links written without a folder
	kinds    map[string]bool
	kindList string // for messages
	headings struct {
		sync.Mutex
		m map[Heading]*Heading
	}
}

// linksPerson reports whether a mention of id becomes a link.
func (env *Renderer) linksPerson(id string) bool {
	return env.cfg.People == nil || env.cfg.People(id)
}

// New makes a Renderer for bodies that may link to targets, by library
// path of their Markdown file.
func New(cfg Config, targets map[string]Target) *Renderer {
	if cfg.WorkHours == nil {
		cfg.WorkHours = defaultWorkHours
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.BasePath == "" {
		cfg.BasePath = "/"
	}
	if cfg.Highlighter == nil {
		cfg.Highlighter = highlight.New()
	}
	env := &Renderer{cfg: cfg, targets: targets, byName: map[string]string{}, kinds: map[string]bool{},
		kindList: strings.Join(cfg.Kinds, ", ")}
	env.headings.m = map[Heading]*Heading{}
	for p, t := range targets {
		env.byName[path.Base(p)] = p
		if t.Dir != "" {
			env.byName[path.Base(t.Dir)] = p
		}
	}
	for _, k := range cfg.Kinds {
		env.kinds[slug.Make(k)] = true
	}
	ropts := []renderer.Option{
		renderer.WithNodeRenderers(util.Prioritized(&blockRenderer{hl: cfg.Highlighter}, 100)),
	}
	if cfg.UnsafeHTML {
		ropts = append(ropts, html.WithUnsafe())
	}
	env.md = goldmark.New(
		goldmark.WithExtensions(gfm, extension.Footnote),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(),
			// After the footnote transformer (999), so that footnotes'
			// text comes where the page shows it.
			parser.WithASTTransformers(util.Prioritized(bodyTransformer{env}, 1000))),
		goldmark.WithRendererOptions(ropts...),
	)
	return env
}

// Body is the result of rendering one review's Markdown.
type Body struct {
	HTML     blob.Text
	TOC      []*Heading // the level 2 and 3 headings
	Headings []string   // plain text of every heading, for search
	Text     blob.Text  // plain text, for search
	Words    int
	Lead     string // the first paragraph, as plain text
	H1       string // the first level 1 heading, which leaves the body
	Timeline *Timeline
	Links    []string // library paths of linked reviews, in order, unique
	Mentions []string // ids of the people mentioned, in order, unique
	Errors   diag.ErrorList
	// Notes are what rendering inferred or could not use but did not
	// refuse: a timeline row whose time cannot be read, a missing image.
	Notes   diag.ErrorList
	Outline *Outline // with Config.Outline
	// Image is the first image the body shows, as its page links it
	// (relative to the page, or site-absolute), for link previews.
	Image string
	// Structure is what the body's shape tells about the review.
	Structure Structure
	// Assets are the library files (images, attachments) the body
	// references, by library path, which the site must publish at
	// BasePath + path.
	Assets []string
}

// Heading is an entry in a review's table of contents. Reviews share
// their section headings ("Impact", "Timeline"), and equal entries are one
// *Heading, so a theme's partialCached fragment for an entry is rendered
// once per distinct heading, not once per review.
type Heading struct {
	Level int
	ID    string
	Text  string
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

// Render parses a body written in srcPath from file line firstLine on,
// and renders it to HTML. base anchors timeline times written as HH:MM
// before any date: the incident's start, or its date.
func (env *Renderer) Render(srcPath string, src []byte, firstLine int, base time.Time) *Body {
	st := &bodyState{env: env, path: srcPath, src: src, li: newLineIndex(src, firstLine),
		rc: &reviewContext{loc: env.cfg.Location, workHours: env.cfg.WorkHours, base: base}, b: &Body{}, seenLink: map[string]bool{}}
	st.text = bufpool.Get()
	defer bufpool.Put(st.text)
	if off, why := checkLimits(src); off >= 0 {
		// Shown as text: the error fails the build, and the preview
		// shows the page without spending minutes on it.
		st.errAt(off, "%s", why)
		st.b.HTML = blob.Plain(`<pre tabindex="0">` + template.HTMLEscapeString(string(src)) + "</pre>")
		return st.b
	}
	pc := parser.NewContext(parser.WithIDs(&headingIDs{seen: map[string]int{}}))
	pc.Set(stateKey, st)
	doc := env.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	b := st.b
	out := bufpool.Get()
	if err := env.md.Renderer().Render(out, src, doc); err != nil {
		st.errAt(0, "cannot render Markdown: %v", err)
	}
	if env.cfg.Compress {
		b.HTML = blob.Compress(out.Bytes())
	} else {
		b.HTML = blob.Plain(out.String())
	}
	bufpool.Put(out)
	b.Words = countWords(st.text.Bytes())
	var all string // the plain text, made once for Text and the sections
	if !env.cfg.NoText {
		if env.cfg.Compress {
			b.Text = blob.Compress(st.text.Bytes())
		} else {
			all = st.text.String()
			b.Text = blob.Plain(all)
		}
	}
	st.sections(all)
	return b
}

// HTML renders a fragment (a path's introduction or a step's note, a
// bio) and returns its HTML, its first H1 and its problems.
func (env *Renderer) HTML(srcPath string, src []byte, firstLine int) (template.HTML, string, diag.ErrorList) {
	b := env.Render(srcPath, src, firstLine, time.Time{})
	return template.HTML(b.HTML.String()), b.H1, b.Errors
}

const maxInternedHeadings = 100_000

// internHeading returns the one *Heading equal to h (see Heading), up to
// a bound on how many it keeps.
func (env *Renderer) internHeading(h Heading) *Heading {
	env.headings.Lock()
	defer env.headings.Unlock()
	if p, ok := env.headings.m[h]; ok {
		return p
	}
	p := &h
	if len(env.headings.m) < maxInternedHeadings {
		env.headings.m[h] = p
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
func plainText(n ast.Node, src []byte) string { return textOf(n, src, true) }

// textOf is a node's text without markup, with autolinks' URLs or not.
func textOf(n ast.Node, src []byte, urls bool) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(plainSegment(c, c.Segment.Value(src)))
			if c.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.AutoLink:
			if urls {
				b.Write(c.URL(src))
			}
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
func (env *Renderer) resolveReview(srcPath, dest string) (target string, frag string, isReview bool) {
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
		return "", "", false
	}
	p := u.Path
	lower := strings.ToLower(p)
	if !strings.HasSuffix(lower, ".md") && !strings.HasSuffix(lower, ".markdown") {
		return "", "", false
	}
	var full string
	if strings.HasPrefix(p, "/") {
		full = path.Clean(strings.TrimPrefix(p, "/"))
	} else {
		full = path.Join(path.Dir(srcPath), p)
	}
	if _, ok := env.targets[full]; ok {
		return full, u.Fragment, true
	}
	if env.cfg.File != nil && env.cfg.File(full) {
		return "", u.Fragment, true // a library file, but not a review
	}
	if path.Base(p) == "index.md" {
		if t, ok := env.byName[path.Base(path.Dir(p))]; ok {
			return t, u.Fragment, true
		}
	} else if t, ok := env.byName[path.Base(p)]; ok {
		return t, u.Fragment, true
	}
	return "", u.Fragment, true
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
	reg.Register(kindRawBlock, r.raw)
	reg.Register(kindRawInline, r.raw)
	reg.Register(extast.KindTaskCheckBox, r.taskCheckBox)
}

// raw writes HTML that the transformer sanitised or rewrote.
func (r *blockRenderer) raw(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		switch n := n.(type) {
		case *rawBlockNode:
			w.WriteString(n.html)
		case *rawInlineNode:
			w.WriteString(n.html)
		}
	}
	return ast.WalkSkipChildren, nil
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
	pre := focusablePre{w: w}
	if err := r.hl.WriteHTML(&pre, lang, code.String()); err != nil {
		pre.WriteString(`<pre class="chroma"><code>`)
		pre.WriteString(template.HTMLEscapeString(code.String()))
		pre.WriteString(`</code></pre>`)
	}
	pre.flush()
	w.WriteString("</div>\n")
	return ast.WalkSkipChildren, nil
}

func (r *blockRenderer) timeline(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		writeTimelineHTML(w, n.(*timelineNode).tl)
	}
	return ast.WalkSkipChildren, nil
}

// headingIDs makes heading anchors the way slugs are made, keeping
// non-ASCII letters ("Étude" → "étude"), unique within a document.
type headingIDs struct{ seen map[string]int }

func (h *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	id := slug.Make(string(value))
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
