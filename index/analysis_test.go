package index

import (
	"fmt"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// The prose analyzer, which remembers what its filters make of each word,
// gives the tokens bleve's DefaultAnalyzer gives with the same tokenizer
// and filters: terms, positions and offsets, on a generated library and
// on awkward text, analysed twice (the second time from the memo) and from
// several goroutines at once.
func TestMemoAnalyzerMatchesDefault(t *testing.T) {
	texts := analysisTexts(generatedSite(t, 30, 5))
	memo := newMapping().AnalyzerNamed(analyzerName)
	if _, ok := memo.(*memoAnalyzer); !ok {
		t.Fatalf("the prose analyzer is a %T", memo)
	}
	cache := registry.NewCache()
	tok, err := cache.TokenizerNamed(tokenizerName)
	if err != nil {
		t.Fatal(err)
	}
	def := &analysis.DefaultAnalyzer{Tokenizer: tok}
	for _, name := range proseFilters {
		f, err := cache.TokenFilterNamed(name)
		if err != nil {
			t.Fatal(err)
		}
		def.TokenFilters = append(def.TokenFilters, f)
	}
	show := func(ts analysis.TokenStream) string {
		out := ""
		for _, t := range ts {
			out += fmt.Sprintf("%q@%d[%d:%d] ", t.Term, t.Position, t.Start, t.End)
		}
		return out
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for pass := range 2 {
				for i, text := range texts {
					want, got := show(def.Analyze([]byte(text))), show(memo.Analyze([]byte(text)))
					if got != want {
						t.Errorf("goroutine %d, pass %d, text %d:\n got %s\nwant %s", g, pass, i, got, want)
						return
					}
				}
			}
		})
	}
	wg.Wait()
}
