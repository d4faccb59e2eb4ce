package preview

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
)

// problem is why the library cannot be shown: every error of a failed
// load, each with the source lines around it, read when the load failed.
type problem struct {
	errs   []problemItem
	more   int  // errors not shown
	render bool // a page failed to render, the library itself loaded
}

type problemItem struct {
	loc       string // path:line:col as the terminal shows it
	msg, hint string
	lines     []sourceLine
	col       int
	// restricted: the file is a restricted review the server does not
	// show, so the overlay (served to every browser) names its location
	// only; the terminal still has the message.
	restricted bool
}

type sourceLine struct {
	N    int
	Text string
	Hit  bool
}

// maxShown bounds the errors an overlay lists.
const maxShown = 50

// contextLines are shown above and below an error's line.
const contextLines = 3

// sourceFS finds a problem's file: its name for people and its bytes.
type sourceFS interface {
	source(path string) (name string, data []byte, ok bool)
}

// libSource reads error paths from the library. restricted says the
// server shows restricted reviews (--include-restricted).
type libSource struct {
	fsys       fs.FS
	restricted bool
}

// hides reports whether a file's errors must not show its content: it is
// restricted and the server does not show restricted reviews.
func (l libSource) hides(data []byte) bool { return !l.restricted && restrictedSource(data) }

// restrictedValue is a front matter line whose value is "restricted",
// under any key: a library may map its own key to visibility (fields:),
// and a file whose front matter does not parse cannot say which key it
// meant, so any such line hides the file. Hiding too much on an error
// page costs an author a look at the terminal; too little leaks.
var restrictedValue = regexp.MustCompile(`(?im)^[ \t]*["']?[\w.-]+["']?[ \t]*[:=][ \t]*["']?restricted\b`)

// maxFrontMatter bounds the bytes read for the front matter of a file
// whose front matter is never closed.
const maxFrontMatter = 64 << 10

// restrictedSource reports whether a review's front matter (the text up
// to its closing fence, or the start of the file when it has none) marks
// it restricted. It is a cheap scan, not a parse: the file is broken.
func restrictedSource(data []byte) bool {
	head := data[:min(len(data), maxFrontMatter)]
	for _, fence := range []string{"\n---", "\n+++"} {
		if i := bytes.Index(head[min(len(head), 3):], []byte(fence)); i >= 0 {
			head = head[:i+3]
			break
		}
	}
	return restrictedValue.Match(head)
}

func (l libSource) source(p string) (string, []byte, bool) {
	b, err := fs.ReadFile(l.fsys, p)
	return p, b, err == nil
}

// themeSource reads template error paths (templates/x.html) from the
// library's theme/ folder when it has the file, else the default theme.
type themeSource struct{ lib, theme fs.FS }

func (t themeSource) source(p string) (string, []byte, bool) {
	b, err := fs.ReadFile(t.theme, p)
	return render.ThemeFile(t.lib, p), b, err == nil
}

func newProblem(err error, src sourceFS) *problem {
	var list site.ErrorList
	if !errors.As(err, &list) {
		return &problem{errs: []problemItem{{loc: "library", msg: err.Error()}}}
	}
	pr := &problem{}
	files := map[string][]byte{}
	for i, e := range list {
		if i == maxShown {
			pr.more = len(list) - i
			break
		}
		name, data, ok := e.Path, []byte(nil), false
		if e.Path != "" && e.Path != "." {
			if d, seen := files[e.Path]; seen {
				data, ok = d, d != nil
				name, _, _ = src.source(e.Path)
			} else {
				name, data, ok = src.source(e.Path)
				files[e.Path] = data
			}
		}
		it := problemItem{loc: location(name, e.Line, e.Col), msg: e.Msg, hint: e.Hint, col: e.Col}
		if h, isLib := src.(libSource); isLib && ok && h.hides(data) {
			it.restricted = true
		} else if ok && e.Line > 0 {
			it.lines = excerpt(data, e.Line)
		}
		pr.errs = append(pr.errs, it)
	}
	return pr
}

// templatePos finds the template file and position in an execution error
// such as "/x/: template: templates/review.html:12:5: executing ...".
var templatePos = regexp.MustCompile(`(templates/[^:\s"]+\.html):(\d+)(?::(\d+))?: ?`)

// renderProblem is a page that failed to render: a template executed
// against data it did not expect.
func renderProblem(err error, src sourceFS) *problem {
	msg := err.Error()
	it := problemItem{loc: "theme", msg: msg}
	if m := templatePos.FindStringSubmatchIndex(msg); m != nil {
		file := msg[m[2]:m[3]]
		line, _ := strconv.Atoi(msg[m[4]:m[5]])
		col := 0
		if m[6] >= 0 {
			col, _ = strconv.Atoi(msg[m[6]:m[7]])
		}
		it.msg = strings.TrimSpace(msg[m[1]:])
		it.col = col
		name, data, ok := src.source(file)
		it.loc = location(name, line, col)
		if ok {
			it.lines = excerpt(data, line)
		}
	}
	return &problem{errs: []problemItem{it}, render: true}
}

func location(name string, line, col int) string {
	var b strings.Builder
	b.WriteString(name)
	if line > 0 {
		fmt.Fprintf(&b, ":%d", line)
		if col > 0 {
			fmt.Fprintf(&b, ":%d", col)
		}
	}
	return b.String()
}

// excerpt returns the lines around line (1-based) of data.
func excerpt(data []byte, line int) []sourceLine {
	lines := bytes.Split(data, []byte("\n"))
	if line > len(lines) {
		return nil
	}
	var out []sourceLine
	for n := max(1, line-contextLines); n <= min(len(lines), line+contextLines); n++ {
		text := strings.TrimRight(string(lines[n-1]), "\r")
		if !utf8.ValidString(text) {
			text = strings.ToValidUTF8(text, "\uFFFD")
		}
		out = append(out, sourceLine{N: n, Text: text, Hit: n == line})
	}
	return out
}

// text is the problem as the terminal shows it.
func (p *problem) text() string {
	var b strings.Builder
	for _, e := range p.errs {
		fmt.Fprintf(&b, "%s: %s", e.loc, e.msg)
		if e.hint != "" {
			fmt.Fprintf(&b, " (%s)", e.hint)
		}
		b.WriteString("\n")
	}
	if p.more > 0 {
		fmt.Fprintf(&b, "... and %d more\n", p.more)
	}
	return b.String()
}

type overlayError struct {
	Loc, Msg, Hint string
	Lines          []overlayLine
}

type overlayLine struct {
	N             int
	Before, After string
	At            string // the character at the error's column
	Hit, Caret    bool
}

// overlay is the page shown instead of every page while the library has
// problems. It has no external resources, so it renders whatever state
// the theme is in.
func (p *problem) overlay(lastGood bool) []byte {
	data := struct {
		Title    string
		Errors   []overlayError
		More     int
		LastGood bool
		Render   bool
	}{More: p.more, LastGood: lastGood, Render: p.render}
	n := len(p.errs) + p.more
	data.Title = fmt.Sprintf("%d problems in the library", n)
	if n == 1 {
		data.Title = "1 problem in the library"
	}
	if p.render {
		data.Title = "This page cannot be rendered"
	}
	for _, e := range p.errs {
		oe := overlayError{Loc: e.loc, Msg: e.msg, Hint: e.hint}
		if e.restricted {
			oe.Msg, oe.Hint = "a problem in a restricted review", "the terminal shows it; the page does with casebook serve --include-restricted"
		}
		for _, l := range e.lines {
			ol := overlayLine{N: l.N, Before: l.Text, Hit: l.Hit}
			if l.Hit && e.col > 0 && e.col <= len(l.Text)+1 {
				// Columns count bytes; split there, on a rune boundary.
				at := e.col - 1
				for at > 0 && !utf8.RuneStart(l.Text[at]) {
					at--
				}
				ol.Before, ol.Caret = l.Text[:at], true
				if at < len(l.Text) {
					_, size := utf8.DecodeRuneInString(l.Text[at:])
					ol.At, ol.After = l.Text[at:at+size], l.Text[at+size:]
				}
			}
			oe.Lines = append(oe.Lines, ol)
		}
		data.Errors = append(data.Errors, oe)
	}
	var b bytes.Buffer
	if err := overlayTmpl.Execute(&b, data); err != nil {
		return []byte("<!doctype html><title>casebook</title><pre>" + template.HTMLEscapeString(p.text()) + "</pre>")
	}
	return b.Bytes()
}

var overlayTmpl = template.Must(template.New("overlay").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>casebook: {{.Title}}</title>
<style>
:root { color-scheme: light dark; --bg: #fff; --fg: #1d1d1f; --muted: #5f6368; --err: #b3261e; --hit: #fde7e4; --code: #f6f8fa; --rule: #e2e2e2; }
@media (prefers-color-scheme: dark) { :root { --bg: #17181a; --fg: #e8e8e8; --muted: #a0a4a8; --err: #ff8a80; --hit: #4a2220; --code: #202226; --rule: #333; } }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; color: var(--err); }
.lead { color: var(--muted); margin: 0 0 2rem; }
.lead a { color: inherit; }
section { border-top: 1px solid var(--rule); padding: 1rem 0; }
h2 { font: 600 1rem/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; margin: 0 0 .25rem; overflow-wrap: anywhere; }
.msg { margin: 0 0 .5rem; }
.hint { margin: 0 0 .5rem; color: var(--muted); }
pre { background: var(--code); padding: .5rem 0; margin: 0; overflow-x: auto; font: 13px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; border-radius: 4px; }
.line { display: block; padding: 0 .75rem; white-space: pre; }
.line.hit { background: var(--hit); }
.n { display: inline-block; min-width: 3.5em; color: var(--muted); user-select: none; }
.col { outline: 2px solid var(--err); border-radius: 2px; }
.col:empty::after { content: " "; }
</style>
</head>
<body>
<main id="casebook-error-overlay">
<h1>{{.Title}}</h1>
<p class="lead">{{if .Render}}The library loaded, but its theme failed on this page.{{else}}casebook could not load the library.{{end}}
This page reloads by itself once the files are fixed.{{if .LastGood}}
The last good version of the site is still in memory: <a href="?casebook=last-good">show this page as it was</a>.{{end}}</p>
{{range .Errors}}<section class="casebook-error">
<h2>{{.Loc}}</h2>
<p class="msg">{{.Msg}}</p>
{{- if .Hint}}
<p class="hint">{{.Hint}}</p>{{end}}
{{- if .Lines}}
<pre>{{range .Lines}}<span class="line{{if .Hit}} hit{{end}}"><span class="n">{{.N}}</span>{{.Before}}{{if .Caret}}<span class="col">{{.At}}</span>{{.After}}{{end}}</span>{{end}}</pre>{{end}}
</section>
{{end}}{{if .More}}<p class="lead">… and {{.More}} more.</p>
{{end}}</main>
</body>
</html>
`))
