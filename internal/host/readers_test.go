package host

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/site"
)

// TestCountReaders: with CountReaders, views of review pages by browsers
// are counted (GET, not HEAD, prefetches, robots, other pages, bundle
// files or unpublished reviews), carried on from the file a previous run
// wrote, written back with nothing but slug, count and period, and read by
// the next build.
func TestCountReaders(t *testing.T) {
	lib := writeLibrary(t, testLibrary)
	counts := filepath.Join(t.TempDir(), "readers.csv")
	write(t, counts, "slug,count,period\n2024-01-02-alpha,5,since 2024-12-01\nold-review,2,since 2024-11-01\n")
	s := newServer(t, Config{Library: lib, CountReaders: counts})
	h := s.Handler()
	browser := "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0"
	for range 3 {
		get(t, h, "/reviews/2024-01-02-alpha/", "User-Agent", browser)
	}
	get(t, h, "/reviews/2024-01-02-alpha/", "User-Agent", browser, "If-None-Match", `"x"`)
	// Not readers:
	get(t, h, "/reviews/2024-01-02-alpha/", "User-Agent", browser, "Sec-Purpose", "prefetch")
	get(t, h, "/reviews/2024-01-02-alpha/", "User-Agent", "Mozilla/5.0 (compatible; Googlebot/2.1)")
	get(t, h, "/reviews/2024-01-02-alpha/x.txt", "User-Agent", browser)
	get(t, h, "/reviews/2024-01-04-draft/", "User-Agent", browser)
	get(t, h, "/reviews/2024-01-03-secret/", "User-Agent", browser)
	get(t, h, "/reviews/", "User-Agent", browser)
	head := httptest.NewRequest("HEAD", "/reviews/2024-01-02-alpha/", nil)
	head.Header.Set("User-Agent", browser)
	h.ServeHTTP(httptest.NewRecorder(), head)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(counts)
	if err != nil {
		t.Fatal(err)
	}
	want := "slug,count,period\n2024-01-02-alpha,9,since 2024-12-01\nold-review,2,since 2024-11-01\n"
	if string(b) != want {
		t.Errorf("counts file:\n%s\nwant:\n%s", b, want)
	}
	if _, list := site.ParseReaders(counts, b); len(list) > 0 {
		t.Errorf("the file does not read back: %v", list)
	}

	// The next build shows the counts on the review's page.
	if err := s.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	page := string(s.current().files["reviews/2024-01-02-alpha/index.html"].body)
	if !strings.Contains(page, "<dt>Readers</dt><dd>9 <span class=\"muted\">(since 2024-12-01)</span></dd>") {
		t.Errorf("the review page does not show the counted readers:\n%s", page[strings.Index(page, "depth-card"):][:1500])
	}
}

// TestCountReadersBadFile: a count file that does not read stops the
// server at start with its located errors.
func TestCountReadersBadFile(t *testing.T) {
	lib := writeLibrary(t, testLibrary)
	counts := filepath.Join(t.TempDir(), "readers.csv")
	write(t, counts, "x,many\n")
	_, err := New(Config{Library: lib, Addr: "127.0.0.1:0", CountReaders: counts})
	if err == nil || !strings.Contains(err.Error(), "readers.csv:1:3: count \"many\" is not a whole number of readers") {
		t.Fatalf("err = %v", err)
	}
}

// TestReadersNewSlug: a review counted for the first time is counted
// since that day; the file is written only when a count changed.
func TestReadersNewSlug(t *testing.T) {
	p := filepath.Join(t.TempDir(), "readers.csv")
	day := func() time.Time { return time.Date(2026, 3, 4, 23, 59, 0, 0, time.UTC) }
	rc, err := loadReaders(p, day)
	if err != nil {
		t.Fatal(err)
	}
	if err := rc.flush(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); !os.IsNotExist(err) {
		t.Fatalf("a flush with nothing counted wrote the file (%v)", err)
	}
	r := httptest.NewRequest("GET", "/reviews/x/", nil)
	r.Header.Set("User-Agent", "Mozilla/5.0 Firefox/140.0")
	rc.view(r, "x")
	rc.view(r, "x")
	if err := rc.flush(); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(p)
	if want := "slug,count,period\nx,2,since 2026-03-04\n"; string(b) != want {
		t.Errorf("file:\n%s\nwant:\n%s", b, want)
	}
	if entries, _ := os.ReadDir(filepath.Dir(p)); len(entries) != 1 {
		t.Errorf("the flush left %d files behind, want only the counts", len(entries))
	}
}
