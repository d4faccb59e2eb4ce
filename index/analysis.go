package index

import (
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search/searcher"
	bindex "github.com/blevesearch/bleve_index_api"
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
		return &memoAnalyzer{tokenizer: tok, filters: filters}, nil
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

// memoAnalyzer is bleve's DefaultAnalyzer over the tokenizer and
// filters, with what the filters make of each distinct word remembered:
// every prose filter works on one token at a time (stop words are
// dropped, the rest rewritten), so a word always becomes the same term,
// and a library repeats its words. Running the four filters on every
// token was a third of the time an index build spends analysing (Porter
// stemming most of it). A test holds it equal to DefaultAnalyzer.
type memoAnalyzer struct {
	tokenizer analysis.Tokenizer
	filters   []analysis.TokenFilter
	// A plain map under a lock rather than a sync.Map: a lookup of
	// string(word) in it allocates nothing, and indexing holds the read
	// lock over a whole text (addFrequencies).
	mu   sync.RWMutex
	memo map[string]memoTerm
}

// memoTerm is the term a word becomes; drop for a stop word.
type memoTerm struct {
	term []byte // shared by every token of the word: read, never written
	key  string // term, as a map key of bleve's token frequencies
	drop bool
}

// maxMemoWords bounds the memo of a long-running server's index, whose
// library may keep gaining words: past it, new words are analysed each
// time.
const maxMemoWords = 1 << 20

func (a *memoAnalyzer) Analyze(input []byte) analysis.TokenStream {
	tokens := a.tokenizer.Tokenize(input)
	out := tokens[:0]
	for _, t := range tokens {
		a.mu.RLock()
		m, ok := a.memo[string(t.Term)]
		a.mu.RUnlock()
		if !ok {
			m = a.analyse(t.Term)
		}
		if m.drop {
			continue
		}
		t.Term = m.term
		out = append(out, t)
	}
	return out
}

// analyse runs the filters on one word and remembers the term it becomes.
func (a *memoAnalyzer) analyse(word []byte) memoTerm {
	one := analysis.TokenStream{&analysis.Token{Term: slices.Clone(word), Start: 0, End: len(word), Position: 1, Type: analysis.AlphaNumeric}}
	for _, f := range a.filters {
		one = f.Filter(one)
	}
	var m memoTerm
	switch len(one) {
	case 0:
		m.drop = true
	case 1:
		m.term = one[0].Term
		m.key = string(m.term)
	default:
		// No prose filter splits a token; should one ever, it is not
		// remembered.
		panic("index: a prose filter made several tokens of one")
	}
	a.mu.Lock()
	if a.memo == nil {
		a.memo = map[string]memoTerm{}
	}
	if len(a.memo) < maxMemoWords {
		a.memo[string(word)] = m
	}
	a.mu.Unlock()
	return m
}

// addFrequencies is Analyze followed by bleve's TokenFrequency with term
// vectors, in one pass over the words and without the tokens: it adds the
// terms of input, one element of a field at arrayPositions, to tfs, and
// returns how many there were (the field's analysed length). The words
// are scanned first and counted, so that the locations, the term
// frequencies and each term's list of locations are allocated at their
// size, a few allocations a text rather than some for every term. A test
// holds the result to what bleve makes of Analyze's tokens.
func (a *memoAnalyzer) addFrequencies(tfs bindex.TokenFrequencies, input []byte, arrayPositions []uint64) int {
	hp := hitPool.Get().(*[]hit)
	hits := (*hp)[:0]
	a.mu.RLock()
	scanWords(input, func(s, e, pos int) {
		m, ok := a.memo[string(input[s:e])]
		if !ok {
			a.mu.RUnlock()
			m = a.analyse(input[s:e])
			a.mu.RLock()
		}
		if !m.drop {
			hits = append(hits, hit{m: m, start: s, end: e, pos: pos})
		}
	})
	a.mu.RUnlock()
	// The new terms first, with their counts, then the locations.
	var newFreqs []bindex.TokenFreq
	for i := range hits {
		tf, ok := tfs[hits[i].m.key]
		if !ok {
			if len(newFreqs) == cap(newFreqs) {
				newFreqs = make([]bindex.TokenFreq, 0, max(16, (len(hits)-i)/4))
			}
			newFreqs = append(newFreqs, bindex.TokenFreq{Term: hits[i].m.term})
			tf = &newFreqs[len(newFreqs)-1]
			tfs[hits[i].m.key] = tf
		}
		hits[i].tf = tf
		tf.SetFrequency(tf.Frequency() + 1)
	}
	locs := make([]bindex.TokenLocation, len(hits))
	lists := make([]*bindex.TokenLocation, 0, len(hits))
	for i := range hits {
		tf := hits[i].tf
		if tf.Locations == nil {
			// A new term: its list is its share of lists.
			n := tf.Frequency()
			tf.Locations = lists[len(lists) : len(lists) : len(lists)+n]
			lists = lists[:len(lists)+n]
		}
		locs[i] = bindex.TokenLocation{ArrayPositions: arrayPositions, Start: hits[i].start, End: hits[i].end, Position: hits[i].pos}
		tf.Locations = append(tf.Locations, &locs[i])
	}
	n := len(hits)
	clear(hits) // what the pool keeps points nowhere
	*hp = hits[:0]
	hitPool.Put(hp)
	return n
}

// hit is a word of a text that becomes a term, while addFrequencies
// counts them.
type hit struct {
	m          memoTerm
	tf         *bindex.TokenFreq
	start, end int
	pos        int
}

var hitPool = sync.Pool{New: func() any { return new([]hit) }}

type wordTokenizer struct{}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isIdeograph(r rune) bool {
	return r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r))
}

func (wordTokenizer) Tokenize(input []byte) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(input)/6+1)
	// The tokens in slabs rather than one allocation each.
	var slab []analysis.Token
	scanWords(input, func(s, e, pos int) {
		if len(slab) == cap(slab) {
			slab = make([]analysis.Token, 0, max(16, min(1024, cap(out)-len(out))))
		}
		slab = append(slab, analysis.Token{Term: input[s:e], Start: s, End: e, Position: pos, Type: analysis.AlphaNumeric})
		out = append(out, &slab[len(slab)-1])
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
