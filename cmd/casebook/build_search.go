package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/casebook/casebook/index"
	"github.com/casebook/casebook/internal/publish"
	"github.com/casebook/casebook/site"
)

// The build's search artefacts:
//
//   - the static search bundle under search/bundle/, always: what
//     search.js searches in the browser on a host without /api/search;
//   - with --search-index FILE (or $CASEBOOK_SEARCH_INDEX), the bleve
//     index as one archive, for the Netlify function to embed. It is
//     built while the pages render and written (atomically) only when
//     the whole build succeeds.

// writeStaticBundle writes the static search bundle under search/bundle/.
func writeStaticBundle(s *site.Site, out publish.Dir) error {
	if noStaticBundle() {
		return nil
	}
	return index.WriteStaticBundle(s, out)
}

// noStaticBundle reports whether CASEBOOK_BENCH_NO_BUNDLE=1 turns the
// static bundle off, which only bench/static-search.sh does, to measure
// what the bundle adds to a build.
func noStaticBundle() bool { return os.Getenv("CASEBOOK_BENCH_NO_BUNDLE") == "1" }

// startSearchIndex begins building the index archive for file, when one
// is named, alongside the rendering of the pages. The function it returns
// waits for it and, with commit, puts the archive in place, or else
// discards it; calling it again is a no-op. The channel is closed when
// the archive is made or has failed (nil when there is none to make):
// until then the pages render on one CPU fewer.
func startSearchIndex(s *site.Site, file string) (func(commit bool) error, <-chan struct{}) {
	if file == "" {
		return func(bool) error { return nil }, nil
	}
	target, err := filepath.Abs(file)
	if err != nil {
		return func(bool) error { return err }, nil
	}
	done := make(chan error, 1)
	finished := make(chan struct{})
	var tmp *publish.Temp
	go func() {
		defer close(finished)
		done <- func() error {
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return fmt.Errorf("search index: %w", err)
			}
			parent, prefix := filepath.Dir(target), publish.TempPrefix(target)
			publish.Sweep(parent, prefix) // what killed builds left
			var err error
			if tmp, err = publish.MkdirTemp(parent, prefix); err != nil {
				return fmt.Errorf("search index: %w", err)
			}
			f, err := os.Create(tmp.Sub("archive"))
			if err != nil {
				return fmt.Errorf("search index: %w", err)
			}
			if err := index.BuildArchive(s, f); err != nil {
				f.Close()
				return err // it says "search index:" itself
			}
			if err := f.Close(); err != nil {
				return fmt.Errorf("search index: %w", err)
			}
			return os.Chmod(f.Name(), 0o644)
		}()
	}()
	var once sync.Once
	var result error
	return func(commit bool) error {
		once.Do(func() {
			err := <-done // tmp is set before done is sent
			switch {
			case err != nil:
				result = err
			case commit:
				result = os.Rename(tmp.Sub("archive"), target)
			}
			if tmp != nil {
				tmp.Remove()
			}
		})
		return result
	}, finished
}
