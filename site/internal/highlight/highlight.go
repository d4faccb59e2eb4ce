// Package highlight colours code blocks with chroma, writing exactly the
// HTML chroma's formatter writes for the whole block, and quickly: see
// Highlighter for the line memo that makes that cheap.
package highlight

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"sync"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// Highlighting is most of the cost of a build: chroma's regexp lexers take
// hundreds of microseconds per code block. Code in incident reviews
// repeats line by line (the same kubectl, psql and log lines with other
// names), so tokens are memoised per line.
//
// A line may be lexed on its own only when the lexer ends it in the state
// it started in. That is tested, not assumed: a new line is lexed followed
// by a probe line, and counts as self-contained only if the probe comes out
// exactly as it does when lexed alone. Some lexers match a multi-line
// construct with one regexp rather than a state (Go raw strings, bash
// heredocs); a line holding an opener of such a construct, or lexing to an
// Error token on its own, is not self-contained either. A block with any
// line that is not self-contained is lexed whole, as chroma always would.
//
// The probe cannot see everything a lexer may do: a rule may match only at
// the start of the text (Markdown front matter), or one regexp may span
// lines only when its closer comes later. Measured on chroma's own samples,
// the lexers of about a dozen languages disagree with the memo that way.
// So the memo serves only memoLexers, the languages incident reviews are
// written in, each checked by TestHighlightMemoMatchesChroma against
// chroma's samples and ours; code in any other language is lexed whole.

// probeLine mixes identifiers, strings, numbers, brackets, operators and
// comment starters, so that a lexer left in any state other than its first
// (inside an object, a string, a comment, a tag) lexes it differently. It
// is one line because lexing it is most of the cost of a new line: a probe
// with two more lines of comment starters made a 10,000-review build 5 %
// slower and caught nothing more in the test's samples of memoLexers.
const probeLine = "casebookprobe \"k\": 1, 'c' (a) [b] {d} <e> = f; # g\n"

// memoLexers are the lexers (by chroma's name for them) whose lines the
// memo takes alone. Add one only with samples of its language that
// TestHighlightMemoMatchesChroma checks.
var memoLexers = map[string]bool{
	"Bash": true, "Bash Session": true, "C": true, "C#": true, "C++": true,
	"CSV": true, "Diff": true, "Docker": true, "Go": true, "GraphQL": true,
	"INI": true, "Java": true, "JavaScript": true, "JSON": true, "Kotlin": true,
	"MySQL": true, "Nginx configuration file": true, "PHP": true,
	"PostgreSQL SQL dialect": true, "PromQL": true, "properties": true,
	"Protocol Buffer": true, "Python": true, "Ruby": true, "Scala": true,
	"SQL": true, "SYSTEMD": true, "TOML": true, "TypeScript": true, "YAML": true,
	// Plain text, named or not, has no state to leave.
	"plaintext": true, "fallback": true,
}

// hangingLexers never return on some inputs (chroma issue 1377: a cycle of
// zero-width rules that never advances), so their code is shown as plain
// text rather than hang the build.
var hangingLexers = map[string]bool{"JSONata": true, "Jungle": true}

// maxMemoLines bounds the memo so a huge library cannot grow it without
// limit; past it, new lines are lexed but not remembered.
const maxMemoLines = 500_000

type lineKey struct{ lang, line string }

// memoEntry keeps a line's HTML and not its tokens: a large library's
// memo would otherwise hold a token for every word of its code.
type memoEntry struct {
	safe bool
	html string // the line as the HTML formatter writes it
}

type lineMemo struct {
	mu     sync.RWMutex
	lines  map[lineKey]memoEntry
	probes map[string][]chroma.Token
}

// Highlighter highlights code blocks and remembers the lines it has seen
// and the lexers it has looked up. One lives as long as the load, or the
// preview server, that owns it; it is safe for concurrent use.
type Highlighter struct {
	memo lineMemo
	// lexers caches lookups by the info string an author typed: bounded,
	// since anyone can type anything there.
	lexMu  sync.RWMutex
	lexers map[string]chroma.Lexer
}

// maxLexerNames bounds the lexer cache; past it, lookups are not kept.
const maxLexerNames = 1000

// New returns a Highlighter with empty caches.
func New() *Highlighter {
	return &Highlighter{
		memo:   lineMemo{lines: map[lineKey]memoEntry{}, probes: map[string][]chroma.Token{}},
		lexers: map[string]chroma.Lexer{},
	}
}

// WriteHTML writes code as chroma's HTML formatter would. The
// formatter writes each line on its own, so a memoised line's HTML is
// reused as well as its tokens.
func (h *Highlighter) WriteHTML(w io.Writer, lang, code string) error {
	memo := &h.memo
	lexer := h.lexer(lang)
	if !strings.HasSuffix(code, "\n") {
		code += "\n"
	}
	if longLine(code) {
		lexer = lexers.Fallback
	}
	if !memoLexers[lexer.Config().Name] {
		return formatWhole(w, lexer, code)
	}
	probe, err := memo.probe(lang, lexer)
	if err != nil {
		return err
	}
	// Look every line up before writing any, so that a line the memo
	// cannot take alone sends the whole block to the lexer unwritten.
	lines := make([]string, 0, 64)
	for rest := code; rest != ""; {
		i := strings.IndexByte(rest, '\n')
		line := rest[:i+1]
		rest = rest[i+1:]
		e, err := memo.entry(lang, line, lexer, probe)
		if err != nil {
			return err
		}
		if !e.safe {
			return formatWhole(w, lexer, code)
		}
		lines = append(lines, e.html)
	}
	if _, err := io.WriteString(w, preStart); err != nil {
		return err
	}
	for _, l := range lines {
		if _, err := io.WriteString(w, l); err != nil {
			return err
		}
	}
	_, err = io.WriteString(w, preEnd)
	return err
}

// The wrapper the formatter puts around lines.
const (
	preStart = `<pre class="chroma"><code>`
	preEnd   = `</code></pre>`
)

// formatLine is a line's HTML without the <pre><code> wrapper.
func formatLine(toks []chroma.Token) string {
	var b strings.Builder
	if err := codeFormatter.Format(&b, styles.Fallback, chroma.Literator(coalesce(toks)...)); err != nil {
		return ""
	}
	h := b.String()
	if !strings.HasPrefix(h, preStart) || !strings.HasSuffix(h, preEnd) {
		return ""
	}
	return h[len(preStart) : len(h)-len(preEnd)]
}

func formatWhole(w io.Writer, lexer chroma.Lexer, code string) error {
	toks, err := lexWhole(lexer, code)
	if err != nil {
		return err
	}
	return codeFormatter.Format(w, styles.Fallback, chroma.Literator(toks...))
}

func lexWhole(lexer chroma.Lexer, code string) ([]chroma.Token, error) {
	it, err := lexer.Tokenise(nil, code)
	if err != nil {
		return nil, err
	}
	return coalesce(it.Tokens()), nil
}

func (m *lineMemo) probe(lang string, lexer chroma.Lexer) ([]chroma.Token, error) {
	m.mu.RLock()
	p, ok := m.probes[lang]
	m.mu.RUnlock()
	if ok {
		return p, nil
	}
	it, err := lexer.Tokenise(nil, probeLine)
	if err != nil {
		return nil, err
	}
	p = it.Tokens()
	m.mu.Lock()
	m.probes[lang] = p
	m.mu.Unlock()
	return p, nil
}

// multiLineOpeners start constructs that lexers may match across lines
// with a single regexp.
var multiLineOpeners = []string{"`", "<<", `"""`, "'''", "/*", "<!--", "\\\n"}

func opensMultiLine(line string) bool {
	for _, o := range multiLineOpeners {
		if strings.Contains(line, o) {
			return true
		}
	}
	// A YAML block scalar header: "key: |", "- >-".
	t := strings.TrimRight(line, " \t\r\n")
	t = strings.TrimRight(t, "+-0123456789")
	return strings.HasSuffix(t, "|") || strings.HasSuffix(t, ">")
}

func hasError(toks []chroma.Token) bool {
	for _, t := range toks {
		if t.Type == chroma.Error {
			return true
		}
	}
	return false
}

func (m *lineMemo) entry(lang, line string, lexer chroma.Lexer, probe []chroma.Token) (memoEntry, error) {
	if opensMultiLine(line) {
		return memoEntry{}, nil
	}
	k := lineKey{lang, line}
	m.mu.RLock()
	e, ok := m.lines[k]
	m.mu.RUnlock()
	if ok {
		return e, nil
	}
	it, err := lexer.Tokenise(nil, line+probeLine)
	if err != nil {
		return memoEntry{}, err
	}
	toks := it.Tokens()
	e = memoEntry{}
	if n := len(toks) - len(probe); n >= 0 && sameTokens(toks[n:], probe) && joined(toks[:n]) == line && !hasError(toks[:n]) {
		e = memoEntry{safe: true}
		if e.html = formatLine(toks[:n]); e.html == "" {
			e.safe = false
		}
	}
	m.mu.Lock()
	if len(m.lines) < maxMemoLines {
		// The line is a slice of its whole code block, which the memo
		// would otherwise keep alive for the rest of the process.
		m.lines[lineKey{strings.Clone(lang), strings.Clone(line)}] = e
	}
	m.mu.Unlock()
	return e, nil
}

func sameTokens(a, b []chroma.Token) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Type != b[i].Type || a[i].Value != b[i].Value {
			return false
		}
	}
	return true
}

func joined(toks []chroma.Token) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.Value)
	}
	return b.String()
}

// coalesce merges adjacent tokens of one type, as chroma.Coalesce does.
func coalesce(toks []chroma.Token) []chroma.Token {
	out := make([]chroma.Token, 0, len(toks))
	for _, t := range toks {
		if t.Value == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].Type == t.Type {
			out[n-1].Value += t.Value
			continue
		}
		out = append(out, t)
	}
	return out
}

func (h *Highlighter) lexer(lang string) chroma.Lexer {
	h.lexMu.RLock()
	l, ok := h.lexers[lang]
	h.lexMu.RUnlock()
	if ok {
		return l
	}
	l = lexerFor(lang)
	h.lexMu.Lock()
	if len(h.lexers) < maxLexerNames {
		h.lexers[strings.Clone(lang)] = l
	}
	h.lexMu.Unlock()
	return l
}

// maxLine is the longest line a block may have to be highlighted. Some
// of chroma's lexers backtrack over a line in time that grows with the
// square of its length (make took 1.4 s over 4,000 unclosed brackets,
// rst and r too); a line this short costs a few milliseconds at worst,
// so a block costs in proportion to its size. Code with longer lines
// (minified JSON, a log line) is shown as plain text: the budget is in
// bytes, not time, so the same page is written at every build.
const maxLine = 512

// longLine reports whether a line of code is longer than maxLine.
func longLine(code string) bool {
	for len(code) > maxLine {
		i := strings.IndexByte(code, '\n')
		if i < 0 || i > maxLine {
			return true
		}
		code = code[i+1:]
	}
	return false
}

// lexerFor is chroma's lexer for an info string, or plain text.
func lexerFor(lang string) chroma.Lexer {
	l := lexers.Get(lang)
	if l == nil || hangingLexers[l.Config().Name] {
		l = lexers.Fallback
	}
	return l
}

// codeFormatter writes CSS classes rather than colours, so that one
// stylesheet serves light and dark.
var codeFormatter = chromahtml.New(chromahtml.WithClasses(true), chromahtml.TabWidth(4))

// CSS is the stylesheet for highlighted code: a light style, and a
// dark one that applies when the reader's system prefers dark.
func CSS() []byte {
	var b bytes.Buffer
	light := styles.Get("github")
	dark := styles.Get("github-dark")
	_ = codeFormatter.WriteCSS(&b, light)
	b.WriteString("@media (prefers-color-scheme: dark) {\n")
	// A token class the dark style leaves undefined would keep the light
	// style's colour; reset them all first, and let the dark rules follow.
	var classes []string
	for tt, cls := range chroma.StandardTypes {
		if tt >= 0 && cls != "" {
			classes = append(classes, ".chroma ."+cls)
		}
	}
	slices.Sort(classes)
	b.WriteString(strings.Join(classes, ", "))
	b.WriteString(" { color: inherit; background-color: transparent; font-weight: inherit; font-style: inherit }\n")
	_ = codeFormatter.WriteCSS(&b, dark)
	b.WriteString("}\n")
	return b.Bytes()
}
