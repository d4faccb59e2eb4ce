package index

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/casebook/casebook/internal/corpus"
	"github.com/casebook/casebook/site"
)

// The prose analyzer, which remembers what its filters make of each word,
// gives the tokens bleve's DefaultAnalyzer gives with the same tokenizer
// and filters: terms, positions and offsets, on a generated library and
// on awkward text, analysed twice (the second time from the memo) and from
// several goroutines at once.
func TestMemoAnalyzerMatchesDefault(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{Reviews: 30, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	s, err := site.Load(context.Background(), os.DirFS(dir), site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"The team's on-call engineers' runbooks weren't followed; Kafka’s brokers RE-BALANCED",
		"Ünïcode façade naïve café CAFÉ Straße ΣΊΣΥΦΟΣ İstanbul DŽungla",
		"東京の障害 で ログ 2024-03-01 v1.2.3 10ms p99 x86_64 k8s",
		"generalizations operational relational conditional hopefulness sensitivity probabilities",
		"the a an and THE The of it's 's ＇s s",
		"'quoted' don't rock'n'roll O'Brien's l'été it's",
		"",
	}
	for _, r := range s.Reviews {
		texts = append(texts, r.Title, r.Summary, r.Text())
		texts = append(texts, r.Headings...)
	}
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
