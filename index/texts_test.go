package index

import (
	"context"
	"os"
	"testing"

	"github.com/casebook/casebook/internal/corpus"
	"github.com/casebook/casebook/site"
)

// awkwardTexts are what analysis gets wrong first: possessives and
// apostrophes of several kinds, case, accents and other scripts, numbers
// and versions, stop words, and words the stemmer changes.
var awkwardTexts = []string{
	"The team's on-call engineers' runbooks weren't followed; Kafka’s brokers RE-BALANCED",
	"Ünïcode façade naïve café CAFÉ Straße ΣΊΣΥΦΟΣ İstanbul DŽungla",
	"東京の障害 で ログ 2024-03-01 v1.2.3 10ms p99 x86_64 k8s",
	"generalizations operational relational conditional hopefulness sensitivity probabilities",
	"running hopping agreed feed sized filing happy sky controlling rolling cry tries ties",
	"the a an and THE The of it's 's ＇s s",
	"'quoted' don't rock'n'roll O'Brien's l'été ＇s it's",
	"",
}

// generatedSite loads a generated library of n reviews.
func generatedSite(t *testing.T, n int, seed int64) *site.Site {
	t.Helper()
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{Reviews: n, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	s, err := site.Load(context.Background(), os.DirFS(dir), site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// analysisTexts are awkwardTexts and every text of s's reviews that
// search analyses: titles, summaries, bodies and headings.
func analysisTexts(s *site.Site) []string {
	texts := append([]string(nil), awkwardTexts...)
	for _, r := range s.Reviews {
		texts = append(texts, r.Title, r.Summary, r.Text())
		texts = append(texts, r.Headings...)
	}
	return texts
}
