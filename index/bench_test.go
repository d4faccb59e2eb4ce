package index

import (
	"bytes"
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/corpus"
	"github.com/casebook/casebook/site"
)

// The benchmarks run on a synthetic library from package corpus:
// CASEBOOK_BENCH_N reviews (default 10000), generated once into
// $CASEBOOK_BENCH_CACHE (default $TMPDIR/casebook-search-bench) and reused.
//
//	go test ./index -run '^$' -bench . -benchtime 1x    # build + archive
//	go test ./index -run '^$' -bench Search              # in-process latency
//
// bench/search.sh measures /api/search over HTTP from a second process.

var (
	benchOnce sync.Once
	benchSite *site.Site
	benchErr  error
)

func benchLibrary(b *testing.B) *site.Site {
	b.Helper()
	benchOnce.Do(func() {
		n := 10000
		if v := os.Getenv("CASEBOOK_BENCH_N"); v != "" {
			n, benchErr = strconv.Atoi(v)
			if benchErr != nil {
				return
			}
		}
		cache := os.Getenv("CASEBOOK_BENCH_CACHE")
		if cache == "" {
			cache = filepath.Join(os.TempDir(), "casebook-search-bench")
		}
		dir := filepath.Join(cache, "corpus-"+strconv.Itoa(n))
		if _, err := os.Stat(filepath.Join(dir, "casebook.yaml")); err != nil {
			os.RemoveAll(dir)
			if benchErr = corpus.Generate(dir, corpus.Options{Reviews: n, Seed: 1}); benchErr != nil {
				return
			}
		}
		benchSite, benchErr = site.Load(context.Background(), os.DirFS(dir), site.Options{Now: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)})
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchSite
}

func BenchmarkBuild(b *testing.B) {
	s := benchLibrary(b)
	b.ResetTimer()
	for b.Loop() {
		ix, err := Build(s)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		ix.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(s.Reviews)), "reviews")
}

func BenchmarkBuildArchive(b *testing.B) {
	s := benchLibrary(b)
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := BuildArchive(s, &buf); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1e6, "MB")
}

// benchWords are words from the library's titles and summaries, for
// realistic two-word queries.
func benchWords(s *site.Site) []string {
	seen := map[string]bool{}
	var words []string
	for _, r := range s.Reviews[:min(len(s.Reviews), 2000)] {
		for _, w := range strings.FieldsFunc(strings.ToLower(r.Title+" "+r.Summary), func(c rune) bool {
			return !(c >= 'a' && c <= 'z')
		}) {
			if len(w) >= 4 && !seen[w] {
				seen[w] = true
				words = append(words, w)
			}
		}
	}
	slices.Sort(words)
	return words
}

func BenchmarkSearchTwoWords(b *testing.B) {
	s := benchLibrary(b)
	ix, err := Build(s)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	benchQueries(b, ix, s)
}

func BenchmarkSearchTwoWordsArchive(b *testing.B) {
	s := benchLibrary(b)
	var buf bytes.Buffer
	if err := BuildArchive(s, &buf); err != nil {
		b.Fatal(err)
	}
	disk, err := OpenArchive(buf.Bytes())
	if err != nil {
		b.Fatal(err)
	}
	defer disk.Close()
	benchQueries(b, disk, s)
}

func benchQueries(b *testing.B, ix *Index, s *site.Site) {
	words := benchWords(s)
	r := rand.New(rand.NewPCG(1, 2))
	var lat []time.Duration
	b.ResetTimer()
	for b.Loop() {
		q := Query{Text: words[r.IntN(len(words))] + " " + words[r.IntN(len(words))]}
		t := time.Now()
		if _, err := ix.Search(context.Background(), q); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "ms-p99")
}

// BenchmarkStaticBundle writes the static bundle into a discarding
// output: the analysis and encoding without the file system, which is
// what profiling the bundle's share of a build needs.
//
//	go test ./index -run '^$' -bench StaticBundle -benchtime 3x -cpuprofile /tmp/bundle.prof
func BenchmarkStaticBundle(b *testing.B) {
	s := benchLibrary(b)
	var out *countingOut
	for b.Loop() {
		out = &countingOut{}
		if err := WriteStaticBundle(s, out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out.bytes.Load())/1e6, "MB")
	b.ReportMetric(float64(len(s.Reviews)), "reviews")
}

// countingOut is an output that keeps nothing but the bytes' count. It
// renames, as a build's folder does, so each document is made once.
type countingOut struct{ bytes atomic.Int64 }

func (c *countingOut) Rename(_, _ string) error { return nil }

func (c *countingOut) WriteFile(_ string, data []byte) error {
	c.bytes.Add(int64(len(data)))
	return nil
}
