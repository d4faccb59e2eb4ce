package markdown

import (
	"html/template"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// mentionRe is the specification forEachMention implements.
var mentionRe = regexp.MustCompile(`(^|[^\w@/.])@([A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]|[A-Za-z0-9])`)

var mentionCases = []string{
	"", "@", "@@a", "@a", "@a-", "@a.b.", "a@b", "x @sam, @priya-raman.", "(@sam)", "/@sam", ".@sam",
	"@sam@kim", "@_x", "@-x @.y", "é@sam", "\xff@sam", "`@sam`", "@a_b_c_", "mail ops@example.com @ops",
	"@sam.@kim", "@1 @2x", "@Sam-Lee--", "@a..b",
}

func mentionsOf(s string) [][2]int {
	var got [][2]int
	forEachMention(s, func(at, end int) { got = append(got, [2]int{at, end}) })
	return got
}

func mentionsByRegexp(s string) [][2]int {
	var want [][2]int
	for _, m := range mentionRe.FindAllStringSubmatchIndex(s, -1) {
		want = append(want, [2]int{m[4] - 1, m[5]})
	}
	return want
}

func TestForEachMentionMatchesRegexp(t *testing.T) {
	for _, s := range mentionCases {
		if got, want := mentionsOf(s), mentionsByRegexp(s); !slices.Equal(got, want) {
			t.Errorf("%q: got %v, the regexp finds %v", s, got, want)
		}
	}
}

func FuzzForEachMention(f *testing.F) {
	for _, s := range mentionCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := mentionsOf(s), mentionsByRegexp(s); !slices.Equal(got, want) {
			t.Errorf("%q: got %v, the regexp finds %v", s, got, want)
		}
	})
}

var inlineCases = []string{
	"Deploy starts",
	`Quotes "here" and 'there', 50% of pods`,
	"Rolled back v1.2.3 -> v1.2.2",
	"mailed ops@example.com",
	"see https://status.example.com",
	"**bold** and `code`",
	"a < b & c > d",
	"paged @sam and @priya-raman",
	"@liam-larsen tuned the queue in `java`",
	"`a` `b<c>` and `x&y`@sam `it's`",
	"`@sam` in code",
	"`` double ``", "` spaced `", "`unclosed", "a `b`` c", "``", "`a`b`c`",
	"@sam`x`@kim", "`x`", "tail `q`.", "`a``b` c",
	"@nobody-here was paged",
	"www`.`example", "a_b `c_d`", "`*not emphasis*`",
	// Block syntax at the start of a line stays text in a timeline.
	"# 0", "- rolled back", "1. paged the team", "---", "> quoted", "```go", "+", "10) x",
}

// fastInline must render what goldmark renders for every line it takes.
func checkFastInline(t *testing.T, env *Renderer, text string) (took bool) {
	t.Helper()
	got, ok := env.fastInline(text)
	if !ok {
		return false
	}
	want := env.inline(env.replaceMentions(text, func(name, url string) string {
		return "[@" + name + "](" + url + ")"
	}))
	// The two escape quotes differently; nothing else may differ, so
	// that a character left unescaped is caught.
	norm := strings.NewReplacer("&#34;", "&quot;", "&#39;", "'").Replace
	got, want = template.HTML(norm(strings.TrimSpace(string(got)))), template.HTML(norm(strings.TrimSpace(string(want))))
	if got != want {
		t.Errorf("%q: fast path %q, goldmark %q", text, got, want)
	}
	return true
}

func testEnv() *Renderer {
	// Only some people have pages: a mention of anyone else stays text.
	return New(Config{People: func(id string) bool { return id != "nobody-here" }}, nil)
}

func TestFastInlineMatchesGoldmark(t *testing.T) {
	env := testEnv()
	took := 0
	for _, text := range inlineCases {
		if checkFastInline(t, env, text) {
			took++
		}
	}
	// The fast path must actually be taken for the common shapes.
	for _, text := range []string{"Deploy starts", "@liam-larsen tuned the queue in `java`", "@nobody-here was paged", "`x`", "- rolled back"} {
		if _, ok := env.fastInline(text); !ok {
			t.Errorf("fastInline(%q) declined a line it should render", text)
		}
	}
	for _, text := range []string{"**bold** and `code`", "`@sam` in code", "` spaced `", "`unclosed", "see https://x.y"} {
		if _, ok := env.fastInline(text); ok {
			t.Errorf("fastInline(%q) took a line only goldmark renders right", text)
		}
	}
	for text, want := range map[string]bool{"plain words": true, "ops@example.com": false, "a *b*": false, "x https://y": false, "@sam paged": true} {
		if plainInline(text) != want {
			t.Errorf("plainInline(%q) = %v, want %v", text, !want, want)
		}
	}
}

func FuzzFastInline(f *testing.F) {
	for _, s := range inlineCases {
		f.Add(s)
	}
	env := testEnv()
	f.Fuzz(func(t *testing.T, s string) {
		if strings.ContainsAny(s, "\r\n") {
			return // a timeline line is one line
		}
		checkFastInline(t, env, strings.TrimSpace(s))
	})
}

func TestParseKindQualifierAndSource(t *testing.T) {
	kinds := []string{"trigger", "detection", "diagnosis", "hypothesis", "repair", "impact", "communication", "key-moment", "note", "hypothesis/partial", "deploy"}
	env := New(Config{Kinds: kinds}, nil)
	for _, c := range []struct{ col, kind, qual, source, msg string }{
		{"trigger", "trigger", "", "", ""},
		{" Key Moment ", "key-moment", "", "", ""},
		{"hypothesis/disproved [#search-incident]", "hypothesis", "disproved", "search-incident", ""},
		{"responder/joins [#inc-42]", "responder", "joins", "inc-42", ""},
		{"note [#ops]", "note", "", "ops", ""},
		{"Detection/Weak-Signal", "detection", "weak-signal", "", ""},
		{"hypothesis/partial", "hypothesis", "partial", "", ""},
		{"deploy [#releases]", "deploy", "", "releases", ""},
		{"responder", "", "", "", `unknown kind "responder"`},
		{"hypothesis/maybe", "hypothesis", "maybe", "", ""}, // kept, with a note
		{"responder/leaves [#ops]", "responder", "leaves", "ops", ""},
		{"explosion/big", "", "", "", `unknown kind "explosion/big" (want KIND or one of the qualified kinds communication/benefit,`},
		{"trigger/", "", "", "", `unknown kind "trigger/"`},
		{"note [ops]", "", "", "", `cannot read the source in "note [ops]"`},
		{"note [#]", "", "", "", `cannot read the source`},
		{"explosion [#ops]", "", "", "", `unknown kind "explosion [#ops]" (want one of trigger,`},
	} {
		kind, qual, source, msg := env.parseKind(c.col)
		if kind != c.kind || qual != c.qual || source != c.source || !strings.HasPrefix(msg, c.msg) || (c.msg == "") != (msg == "") {
			t.Errorf("%q: got %q %q %q %q, want %q %q %q %q…", c.col, kind, qual, source, msg, c.kind, c.qual, c.source, c.msg)
		}
	}
}

// The base path comes from settings or a flag, so the fast path escapes
// it as goldmark does: a quote in it must not end the href.
func TestFastInlineEscapesBasePath(t *testing.T) {
	env := New(Config{BasePath: `/x/"><img src=x onerror=alert(1)>/`}, nil)
	got, ok := env.fastInline("@sam paged")
	if !ok {
		t.Fatal("fastInline declined a plain mention")
	}
	if strings.Contains(string(got), "<img") || strings.Contains(string(got), `"><`) {
		t.Errorf("the base path is written unescaped: %s", got)
	}
}
