package site_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/corpus"
	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

// benchCorpus generates (once per process) a synthetic library of
// CASEBOOK_BENCH_N reviews, default 1,000. The 10,000-review figure in the
// README comes from CASEBOOK_BENCH_N=10000.
var benchCorpus = sync.OnceValues(func() (string, error) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("CASEBOOK_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	dir := filepath.Join(os.TempDir(), "casebook-bench", "corpus-"+strconv.Itoa(n))
	if _, err := os.Stat(filepath.Join(dir, "casebook.yaml")); err == nil {
		return dir, nil
	}
	tmp := dir + ".tmp"
	os.RemoveAll(tmp)
	if err := corpus.Generate(tmp, corpus.Options{Reviews: n, Seed: 1}); err != nil {
		return "", err
	}
	return dir, os.Rename(tmp, dir)
})

type discard struct{}

func (discard) WriteFile(string, []byte) error { return nil }

func benchOpts() site.Options {
	return site.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// BenchmarkLoad measures reading, parsing, rendering Markdown and linking.
func BenchmarkLoad(b *testing.B) {
	dir, err := benchCorpus()
	if err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	for b.Loop() {
		if _, err := site.Load(context.Background(), fsys, benchOpts()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuild is a whole build minus disk writes: Load and Render.
func BenchmarkBuild(b *testing.B) {
	dir, err := benchCorpus()
	if err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	for b.Loop() {
		s, err := site.Load(context.Background(), fsys, benchOpts())
		if err != nil {
			b.Fatal(err)
		}
		r, err := render.New(s, defaulttheme.FS)
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Render(context.Background(), discard{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReloadOneEdit is the preview server's rebuild after one file
// changes: Load with a warm Cache.
func BenchmarkReloadOneEdit(b *testing.B) {
	dir, err := benchCorpus()
	if err != nil {
		b.Fatal(err)
	}
	fsys := os.DirFS(dir)
	opts := benchOpts()
	opts.Cache = site.NewCache()
	if _, err := site.Load(context.Background(), fsys, opts); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	if p := os.Getenv("CASEBOOK_RELOAD_PROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			b.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	for b.Loop() {
		if _, err := site.Load(context.Background(), fsys, opts); err != nil {
			b.Fatal(err)
		}
	}
}
