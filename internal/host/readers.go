package host

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/casebook/casebook/site"
)

// DefaultReadersFlush is how often counted readers are written out.
const DefaultReadersFlush = time.Minute

// readers counts views of review pages for Config.CountReaders. It keeps
// one number a review and nothing about who read it: no address, no
// identity, no cookie, no time of a view.
type readers struct {
	path   string
	mu     sync.Mutex
	counts site.ReaderCounts
	dirty  bool
	today  func() time.Time
}

// loadReaders reads a count file a previous run wrote, so that a restart
// continues its counts; a file that does not exist yet starts at zero.
func loadReaders(path string, now func() time.Time) (*readers, error) {
	rc := &readers{path: path, counts: site.ReaderCounts{}, today: now}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return rc, nil
	case err != nil:
		return nil, err
	}
	counts, list := site.ParseReaders(path, b)
	if len(list) > 0 {
		return nil, list.Err()
	}
	rc.counts = counts
	return rc, nil
}

// view counts one view of the review with this slug. A prefetch (the
// browser guessing where the reader goes next) and a client that says it
// is a robot are not readers.
func (rc *readers) view(r *http.Request, slug string) {
	if r.Method != http.MethodGet || prefetch(r) || robot(r.UserAgent()) {
		return
	}
	rc.mu.Lock()
	c, ok := rc.counts[slug]
	if !ok {
		c = site.Readers{Period: "since " + rc.today().UTC().Format(time.DateOnly)}
	}
	c.Count++
	c.From = filepath.Base(rc.path)
	rc.counts[slug] = c
	rc.dirty = true
	rc.mu.Unlock()
}

func prefetch(r *http.Request) bool {
	p := r.Header.Get("Sec-Purpose") + r.Header.Get("Purpose") + r.Header.Get("X-Moz")
	return strings.Contains(p, "prefetch") || strings.Contains(p, "prerender")
}

func robot(ua string) bool {
	ua = strings.ToLower(ua)
	for _, w := range []string{"bot", "crawl", "spider", "slurp", "monitor", "curl/", "wget/"} {
		if strings.Contains(ua, w) {
			return true
		}
	}
	return false
}

// snapshot is a copy of the counts, for a build.
func (rc *readers) snapshot() site.ReaderCounts {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := make(site.ReaderCounts, len(rc.counts))
	for k, v := range rc.counts {
		out[k] = v
	}
	return out
}

// flush writes the counts when they changed since the last flush,
// replacing the file in one rename so that a build never reads half of
// it.
func (rc *readers) flush() error {
	rc.mu.Lock()
	if !rc.dirty {
		rc.mu.Unlock()
		return nil
	}
	b := rc.counts.CSV()
	rc.dirty = false
	rc.mu.Unlock()
	tmp, err := os.CreateTemp(filepath.Dir(rc.path), "."+filepath.Base(rc.path)+".*")
	if err == nil {
		_, err = tmp.Write(b)
		if cerr := tmp.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(tmp.Name(), rc.path)
		}
		if err != nil {
			os.Remove(tmp.Name())
		}
	}
	if err != nil {
		rc.mu.Lock()
		rc.dirty = true // try again next time
		rc.mu.Unlock()
		return fmt.Errorf("counted readers: %w", err)
	}
	return nil
}

// reviewSlug is the slug of a review page's file name
// (reviews/x/index.html → x), or "".
func reviewSlug(name string) string {
	rest, ok := strings.CutPrefix(name, "reviews/")
	if !ok {
		return ""
	}
	slug, ok := strings.CutSuffix(rest, "/index.html")
	if !ok || strings.Contains(slug, "/") {
		return ""
	}
	return slug
}

// merged is over with the counts on top: what a build of the server reads.
func (rc *readers) merged(over site.ReaderCounts) site.ReaderCounts {
	out := rc.snapshot()
	for k, v := range over {
		if _, ok := out[k]; !ok {
			out[k] = v
		}
	}
	return out
}

// flushReaders writes the counts every ReadersFlush until ctx ends, and
// once more after the last request has been answered.
func (s *Server) flushReaders(ctx context.Context) {
	t := time.NewTicker(s.c.ReadersFlush)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if err := s.reads.flush(); err != nil {
				fmt.Fprintf(s.c.Log, "casebook: %v\n", err)
			}
		case <-ctx.Done():
			return
		}
	}
}

// FlushReaders writes the counted readers now (Run does so at its end).
func (s *Server) FlushReaders() error {
	if s.reads == nil {
		return nil
	}
	return s.reads.flush()
}
