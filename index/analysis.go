package index

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/searcher"
)

// The prose analyzer is bleve's English analyzer (possessives, lower
// case, English stop words, Porter stemming) over a simpler tokenizer
// than Unicode word segmentation, which dominated indexing time: a word
// is a run of letters, digits and combining marks, with an apostrophe
// allowed between letters (so the possessive filter sees "team's"), and
// every ideograph or kana is a word of its own, as in UAX #29.
// Registered by name, so an index written to disk opens with it.
const (
	tokenizerName = "casebook-words"
	analyzerName  = "casebook-en"
)

// register makes the tokenizer and analyzer known to bleve's registry,
// once, before the first index is made or opened: bleve looks analyzers
// up by name, and a name can be registered only once per process.
var register = sync.OnceFunc(func() {
	if err := registry.RegisterTokenizer(tokenizerName, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return wordTokenizer{}, nil
	}); err != nil {
		panic(err)
	}
	if err := registry.RegisterAnalyzer(analyzerName, func(_ map[string]any, cache *registry.Cache) (analysis.Analyzer, error) {
		tok, err := cache.TokenizerNamed(tokenizerName)
		if err != nil {
			return nil, err
		}
		var filters []analysis.TokenFilter
		for _, name := range proseFilters {
			f, err := cache.TokenFilterNamed(name)
			if err != nil {
				return nil, err
			}
			filters = append(filters, f)
		}
		return &analysis.DefaultAnalyzer{Tokenizer: tok, TokenFilters: filters}, nil
	}); err != nil {
		panic(err)
	}
	// Wildcards, regular expressions and fuzzy terms expand to one clause
	// per matching dictionary term; cap them so one query cannot build an
	// enormous disjunction. Exceeding the cap is a 400, not a slow answer.
	if searcher.DisjunctionMaxClauseCount == 0 {
		searcher.DisjunctionMaxClauseCount = maxClauses
	}
})

// proseFilters are the prose analyzer's token filters, in order.
var proseFilters = []string{en.PossessiveName, lowercase.Name, en.StopName, porter.Name}

type wordTokenizer struct{}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isIdeograph(r rune) bool {
	return r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r))
}

func (wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(input)/6+1)
	scanWords(input, func(s, e, pos int) {
		out = append(out, &analysis.Token{Term: input[s:e], Start: s, End: e, Position: pos, Type: analysis.AlphaNumeric})
	})
	return out
}

// scanWords calls emit with the byte range and position of every word of
// input, in order: the tokenizer without its tokens, for the static
// bundle's analysis (bundle.go).
func scanWords(input []byte, emit func(start, end, pos int)) {
	pos := 0
	start := -1
	word := func(s, e int) {
		pos++
		emit(s, e, pos)
	}
	for i := 0; i < len(input); {
		r, size := rune(input[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(input[i:])
		}
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'):
			if start < 0 {
				start = i
			}
		case r >= utf8.RuneSelf && r != utf8.RuneError && isIdeograph(r):
			if start >= 0 {
				word(start, i)
				start = -1
			}
			word(i, i+size)
		case r >= utf8.RuneSelf && r != utf8.RuneError && isWordRune(r):
			if start < 0 {
				start = i
			}
		case (r == '\'' || r == '’') && start >= 0 && i+size < len(input) && startsLetter(input[i+size:]):
			// An apostrophe inside a word.
		default:
			if start >= 0 {
				word(start, i)
				start = -1
			}
		}
		i += size
	}
	if start >= 0 {
		word(start, len(input))
	}
}

func startsLetter(b []byte) bool {
	r, _ := utf8.DecodeRune(b)
	return unicode.IsLetter(r)
}
