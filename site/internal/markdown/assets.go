package markdown

import (
	"html"
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// This file publishes the library files a body references (images
// beside the review, in media/ or assets/, written relative, with ../ or
// root-absolute) and sanitises raw HTML instead of dropping it, so that
// graphs pasted as <img> tags survive.

// resolveFile maps a reference written in srcPath to a library path:
// relative to the file, or from the library root when it starts with /.
// ok is false for URLs with a scheme or host (http:, data:, mailto:) and
// for references that leave the library.
func resolveFile(srcPath, dest string) (full string, u *url.URL, rooted, ok bool) {
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
		return "", nil, false, false
	}
	if rooted = strings.HasPrefix(u.Path, "/"); rooted {
		full = path.Clean(strings.TrimPrefix(u.Path, "/"))
	} else {
		full = path.Join(path.Dir(srcPath), u.Path)
	}
	if full == ".." || strings.HasPrefix(full, "../") || full == "." {
		return full, u, rooted, false
	}
	return full, u, rooted, true
}

// assetURL is where the site publishes a library file: BasePath + path,
// keeping the reference's query and fragment.
func (env *Renderer) assetURL(full string, u *url.URL) string {
	out := (&url.URL{Path: env.cfg.BasePath + full}).EscapedPath()
	if u.RawQuery != "" {
		out += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		out += "#" + u.EscapedFragment()
	}
	return out
}

// addAsset records a library file the site must publish.
func (st *bodyState) addAsset(full string) {
	for _, a := range st.b.Assets {
		if a == full {
			return
		}
	}
	st.b.Assets = append(st.b.Assets, full)
}

// resolveImage is the src a body's image reference is published under
// ("" to leave it as written), noting at line, col an image that is not
// in the library. Without Config.File, only static/ is rewritten, as
// before casebook knew the library's files.
func (st *bodyState) resolveImage(dest string, line, col int) string {
	env := st.env
	full, u, rooted, ok := resolveFile(st.path, dest)
	if u == nil {
		return "" // http(s), data: and the like
	}
	if !rooted && ok {
		if rest, isStatic := strings.CutPrefix(full, staticDir+"/"); isStatic {
			return env.cfg.BasePath + rest
		}
	}
	if env.cfg.File == nil {
		return ""
	}
	if !ok {
		st.noteAt(line, col, "image outside the library: %s", dest)
		return ""
	}
	// A bundle's own files are published beside its page.
	if dir := env.targets[st.path].Dir; dir != "" && !rooted && strings.HasPrefix(full, dir+"/") {
		if !env.cfg.File(full) {
			st.noteAt(line, col, "image not found: %s", dest)
		}
		return ""
	}
	if env.cfg.File(full) {
		st.addAsset(full)
		return env.assetURL(full, u)
	}
	if rooted && env.cfg.File(staticDir+"/"+full) {
		return "" // a site-root URL of a static/ file
	}
	st.noteAt(line, col, "image not found: %s", dest)
	return ""
}

// rewriteImage points a Markdown image at its published place.
func (st *bodyState) rewriteImage(n *ast.Image) {
	off := nodeOffset(n)
	if off >= 2 && string(st.src[off-2:off]) == "![" {
		off -= 2
	}
	line, col := st.li.pos(off)
	if src := st.resolveImage(string(n.Destination), line, col); src != "" {
		n.Destination = []byte(src)
	}
}

// rewriteFileLink points a link to a library file that is not Markdown
// (an attachment, a log) at its published place, when the library has it.
func (st *bodyState) rewriteFileLink(n *ast.Link) {
	env := st.env
	if env.cfg.File == nil {
		return
	}
	full, u, rooted, ok := resolveFile(st.path, string(n.Destination))
	if !ok || strings.HasPrefix(full, staticDir+"/") {
		return
	}
	if dir := env.targets[st.path].Dir; dir != "" && !rooted && strings.HasPrefix(full, dir+"/") {
		return
	}
	if env.cfg.File(full) {
		st.addAsset(full)
		n.Destination = []byte(env.assetURL(full, u))
	}
}

// sanitizer is the policy for raw HTML without unsafe_html: images,
// tables, details and inline emphasis; no scripts, handlers or styles.
var sanitizer = sync.OnceValue(func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.AllowURLSchemes("http", "https")
	size := regexp.MustCompile(`^\d{1,5}(%|px)?$`)
	p.AllowAttrs("src", "alt").OnElements("img")
	p.AllowAttrs("width", "height").Matching(size).OnElements("img")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("colspan", "rowspan").Matching(regexp.MustCompile(`^\d{1,3}$`)).OnElements("td", "th")
	p.AllowAttrs("open").Matching(regexp.MustCompile(`^(open|)$`)).OnElements("details")
	p.AllowElements("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption",
		"details", "summary", "br", "b", "i", "em", "strong", "code", "pre", "sub", "sup",
		"p", "ul", "ol", "li", "hr", "blockquote", "kbd", "del", "s")
	return p
})

// imgSrcRe finds an img tag's src attribute value.
var imgSrcRe = regexp.MustCompile(`(?i)(<img\b[^>]*?\ssrc\s*=\s*)("[^"]*"|'[^']*'|[^\s>"']+)`)

const omitted = "<!-- raw HTML omitted -->"

// rawHTML is what a block or inline of raw HTML renders as: sanitised
// unless Config.UnsafeHTML, its images resolved like Markdown ones.
// changed is false when it renders as goldmark would render it anyway.
func (st *bodyState) rawHTML(segs *text.Segments, closure *text.Segment, block bool) (out string, changed bool) {
	var b strings.Builder
	var starts []int // where each segment starts in b
	var offs []int   // and in the source
	add := func(seg text.Segment) {
		starts = append(starts, b.Len())
		offs = append(offs, seg.Start)
		b.Write(seg.Value(st.src))
	}
	for i := 0; i < segs.Len(); i++ {
		add(segs.At(i))
	}
	if closure != nil {
		add(*closure)
	}
	raw := b.String()
	hasImg := strings.Contains(strings.ToLower(raw), "<img")
	if st.env.cfg.UnsafeHTML && !hasImg {
		return "", false
	}
	srcs := map[string]string{}
	if hasImg {
		for _, m := range imgSrcRe.FindAllStringSubmatchIndex(raw, -1) {
			val := html.UnescapeString(strings.Trim(raw[m[4]:m[5]], `"'`))
			i := len(starts) - 1
			for i > 0 && starts[i] > m[4] {
				i--
			}
			line, col := st.li.pos(offs[i] + m[4] - starts[i])
			if to := st.resolveImage(val, line, col); to != "" {
				srcs[val] = to
			}
		}
	}
	out = raw
	if !st.env.cfg.UnsafeHTML {
		out = sanitizer().Sanitize(raw)
		if strings.TrimSpace(out) == "" {
			out = omitted
			if block {
				out += "\n"
			}
			return out, true
		}
		if block && !strings.HasSuffix(out, "\n") {
			out += "\n"
		}
	}
	if len(srcs) > 0 {
		out = imgSrcRe.ReplaceAllStringFunc(out, func(tag string) string {
			m := imgSrcRe.FindStringSubmatch(tag)
			if to, ok := srcs[html.UnescapeString(strings.Trim(m[2], `"'`))]; ok {
				return m[1] + `"` + html.EscapeString(to) + `"`
			}
			return tag
		})
	}
	return out, true
}

// kindRawOut marks raw HTML that casebook sanitised or rewrote.
var (
	kindRawBlock  = ast.NewNodeKind("CasebookRawBlock")
	kindRawInline = ast.NewNodeKind("CasebookRawInline")
)

type rawBlockNode struct {
	ast.BaseBlock
	html string
}

func (n *rawBlockNode) Kind() ast.NodeKind         { return kindRawBlock }
func (n *rawBlockNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }
func (n *rawBlockNode) IsRaw() bool                { return true }

type rawInlineNode struct {
	ast.BaseInline
	html string
}

func (n *rawInlineNode) Kind() ast.NodeKind         { return kindRawInline }
func (n *rawInlineNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }
