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
