package site

import (
	"strings"
	"testing"
)

func TestCountWordsIsLenFields(t *testing.T) {
	for _, s := range []string{
		"", " ", "one", " one  two\tthree\nfour\r\nfive\vsix\fseven ",
		"héllo wörld", "a\u00a0b", "x\u2003y\u3000z", "\u0085lead", "trail\u2028",
		"\xff\xfe broken utf8 \xc3", "mixed, punctuation! and-dashes",
	} {
		if got, want := countWords([]byte(s)), len(strings.Fields(s)); got != want {
			t.Errorf("countWords(%q) = %d, want %d", s, got, want)
		}
	}
}

func FuzzCountWords(f *testing.F) {
	f.Add("a b\u00a0c")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := countWords([]byte(s)), len(strings.Fields(s)); got != want {
			t.Errorf("countWords(%q) = %d, want %d", s, got, want)
		}
	})
}

// Reviews with the same section share its contents entry, so a theme's
// cached fragment for it renders once.
func TestTOCEntriesAreShared(t *testing.T) {
	env := newRenderEnv(&Config{}, map[string]*source{})
	render := func(src string) body {
		return env.renderBody("r.md", []byte(src), 1, &reviewContext{}, false)
	}
	a := render("## Impact\n\nx\n\n## Timeline\n")
	b := render("## Summary\n\n## Impact\n")
	if len(a.TOC) != 2 || len(b.TOC) != 2 {
		t.Fatalf("TOC %v and %v", a.TOC, b.TOC)
	}
	if a.TOC[0] != b.TOC[1] {
		t.Errorf("two %q entries are different pointers", a.TOC[0].Text)
	}
	if a.TOC[1] == b.TOC[0] {
		t.Errorf("%q and %q are one entry", a.TOC[1].Text, b.TOC[0].Text)
	}
}
