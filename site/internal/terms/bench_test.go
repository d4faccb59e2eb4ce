package terms

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/corpus"
)

// BenchmarkFind recognises terms in every review of a synthetic library
// of 10,000 reviews of about 850 words (internal/corpus); one op is the
// whole library. CASEBOOK_TERMS_CORPUS names an existing library (from
// `go run ./cmd/casebook-corpus -n 10000 DIR`) to skip generating one.
func BenchmarkFind(b *testing.B) {
	dir := os.Getenv("CASEBOOK_TERMS_CORPUS")
	if dir == "" {
		dir = b.TempDir()
		if err := corpus.Generate(dir, corpus.Options{Reviews: 10000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	var reviews [][]Section
	size := 0
	err := filepath.WalkDir(filepath.Join(dir, "reviews"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		body := string(src)
		if strings.HasPrefix(body, "---\n") {
			if i := strings.Index(body[4:], "\n---\n"); i >= 0 {
				body = body[4+i+5:]
			}
		}
		size += len(body)
		reviews = append(reviews, sections(body))
		return nil
	})
	if err != nil || len(reviews) == 0 {
		b.Fatalf("%d reviews: %v", len(reviews), err)
	}
	r := New(nil)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	found := 0
	for b.Loop() {
		found = 0
		for _, secs := range reviews {
			found += len(r.Find(secs))
		}
	}
	b.ReportMetric(float64(len(reviews)), "reviews")
	b.ReportMetric(float64(found)/float64(len(reviews)), "terms/review")
}

// sections splits a body at its headings.
func sections(body string) []Section {
	var out []Section
	cur := Section{}
	lines := strings.SplitAfter(body, "\n")
	var text strings.Builder
	for _, l := range lines {
		if strings.HasPrefix(l, "#") {
			cur.Text = text.String()
			out = append(out, cur)
			cur = Section{Heading: strings.TrimSpace(strings.TrimLeft(l, "#"))}
			text.Reset()
			continue
		}
		text.WriteString(l)
	}
	cur.Text = text.String()
	return append(out, cur)
}
