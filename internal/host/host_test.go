package host

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"github.com/casebook/casebook/site"
)

// Canaries: words only the unpublished reviews contain.
const (
	restrictedWord = "narwhal"
	draftWord      = "ocelot"
)

var testLibrary = map[string]string{
	"casebook.yaml":                  "title: Host test library\n",
	"reviews/2024-01-02-alpha.md":    "---\ntitle: Alpha outage\ndate: 2024-01-02\nsummary: The aardvark summary.\n---\nThe alpha body mentions aardvark.\n",
	"reviews/2024-01-03-secret.md":   "---\ntitle: Secret " + restrictedWord + " outage\ndate: 2024-01-03\nvisibility: restricted\nsummary: A " + restrictedWord + " summary.\n---\nThe " + restrictedWord + " body.\n",
	"reviews/2024-01-04-draft.md":    "---\ntitle: Draft " + draftWord + " outage\ndate: 2024-01-04\nstatus: draft\nsummary: A " + draftWord + " summary.\n---\nThe " + draftWord + " body.\n",
	"static/js/app.0123abcd4567.js":  "console.log('hashed asset');\n",
	"static/css/extra.css":           strings.Repeat("body { color: black; }\n", 40),
	"reviews/2024-01-02-alpha/x.txt": "a bundle file\n",
}

func writeLibrary(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		write(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
	return dir
}

func write(t testing.TB, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func newServer(t testing.TB, c Config) *Server {
	t.Helper()
	if c.Addr == "" {
		c.Addr = "127.0.0.1:0"
	}
	if c.Options == nil {
		c.Options = func() (site.Options, error) {
			return site.Options{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}, nil
		}
	}
	s, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.ln.Close(); s.closeIndex() })
	return s
}

func get(t testing.TB, h http.Handler, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest("GET", target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func searchTotal(t *testing.T, h http.Handler, q string) int {
	t.Helper()
	w := get(t, h, "/api/search?q="+q)
	if w.Code != 200 {
		t.Fatalf("search %q: %d %s", q, w.Code, w.Body)
	}
	var res struct{ Total int }
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	return res.Total
}

// TestUnpublishedUnreachable: drafts never, restricted reviews only with
// IncludeRestricted, are reachable by URL, by search, or inside any page
// the server sends (the 404 page included).
func TestUnpublishedUnreachable(t *testing.T) {
	for _, restricted := range []bool{false, true} {
		lib := writeLibrary(t, testLibrary)
		s := newServer(t, Config{Library: lib, Options: func() (site.Options, error) {
			return site.Options{IncludeRestricted: restricted, Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}, nil
		}})
		h := s.Handler()
		if w := get(t, h, "/reviews/2024-01-02-alpha/"); w.Code != 200 || !strings.Contains(w.Body.String(), "aardvark") {
			t.Fatalf("published review: %d", w.Code)
		}
		if n := searchTotal(t, h, "aardvark"); n != 1 {
			t.Errorf("search for the published review: %d hits", n)
		}
		if n := searchTotal(t, h, draftWord); n != 0 {
			t.Errorf("search finds the draft: %d hits", n)
		}
		wantRestricted := 0
		if restricted {
			wantRestricted = 1
		}
		if n := searchTotal(t, h, restrictedWord); n != wantRestricted {
			t.Errorf("include-restricted %v: search finds the restricted review %d times, want %d", restricted, n, wantRestricted)
		}
		code := get(t, h, "/reviews/2024-01-03-secret/").Code
		if restricted != (code == 200) {
			t.Errorf("include-restricted %v: the restricted review's page answers %d", restricted, code)
		}
		for _, u := range []string{"/reviews/2024-01-04-draft/", "/reviews/2024-01-04-draft", "/reviews/2024-01-04-draft.md",
			"/reviews/2024-01-03-secret.md", "/casebook.yaml", "/reviews/2024-01-02-alpha.md", "/static/css/extra.css", "/../casebook.yaml"} {
			w := get(t, h, u)
			if w.Code == 200 {
				t.Errorf("%s answers 200", u)
			}
			if strings.Contains(w.Body.String(), draftWord) || (!restricted && strings.Contains(w.Body.String(), restrictedWord)) {
				t.Errorf("%s: the answer (%d) shows an unpublished review", u, w.Code)
			}
		}
		// Every file the server has, by its URL.
		for name := range s.current().files {
			w := get(t, h, "/"+name)
			if w.Code != 200 {
				t.Errorf("/%s: %d", name, w.Code)
			}
			body := w.Body.String()
			if strings.Contains(body, draftWord) || (!restricted && strings.Contains(body, restrictedWord)) {
				t.Errorf("/%s shows an unpublished review", name)
			}
		}
	}
}

func TestCompressionAndETag(t *testing.T) {
	s := newServer(t, Config{Library: writeLibrary(t, testLibrary)})
	h := s.Handler()
	plain := get(t, h, "/")
	if plain.Code != 200 || plain.Header().Get("Content-Encoding") != "" {
		t.Fatalf("no Accept-Encoding: %d, encoding %q", plain.Code, plain.Header().Get("Content-Encoding"))
	}
	decoders := map[string]func(io.Reader) (io.Reader, error){
		"gzip": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
		"br":   func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
	}
	etags := map[string]bool{plain.Header().Get("ETag"): true}
	for _, tc := range []struct{ accept, want string }{
		{"gzip", "gzip"}, {"gzip, deflate, br", "br"}, {"br;q=0, gzip", "gzip"}, {"gzip;q=0", ""}, {"identity", ""},
	} {
		w := get(t, h, "/", "Accept-Encoding", tc.accept)
		enc := w.Header().Get("Content-Encoding")
		if enc != tc.want {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.accept, enc, tc.want)
			continue
		}
		if w.Header().Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary %q", tc.accept, w.Header().Get("Vary"))
		}
		etag := w.Header().Get("ETag")
		if enc != "" {
			if w.Header().Get("Content-Length") != strconv.Itoa(w.Body.Len()) {
				t.Errorf("%s: Content-Length %q for %d bytes", enc, w.Header().Get("Content-Length"), w.Body.Len())
			}
			r, err := decoders[enc](w.Body)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(b, plain.Body.Bytes()) {
				t.Errorf("%s: the decoded body differs (%v)", enc, err)
			}
			etags[etag] = true
		}
		// 304 for the representation's own ETag.
		nm := get(t, h, "/", "Accept-Encoding", tc.accept, "If-None-Match", etag)
		if nm.Code != http.StatusNotModified || nm.Body.Len() != 0 {
			t.Errorf("%s: If-None-Match its ETag: %d, %d bytes", tc.accept, nm.Code, nm.Body.Len())
		}
	}
	if len(etags) != 3 {
		t.Errorf("ETags of identity, gzip and br: %v, want three distinct", etags)
	}
	if w := get(t, h, "/", "If-None-Match", `"something-else"`); w.Code != 200 {
		t.Errorf("a stale ETag: %d", w.Code)
	}
	// A changed page changes its ETag.
	s2 := newServer(t, Config{Library: writeLibrary(t, map[string]string{"casebook.yaml": "title: Another title\n", "reviews/2024-01-02-alpha.md": testLibrary["reviews/2024-01-02-alpha.md"]})})
	if get(t, s2.Handler(), "/").Header().Get("ETag") == plain.Header().Get("ETag") {
		t.Error("two different home pages have one ETag")
	}
}

func TestCacheHeaders(t *testing.T) {
	s := newServer(t, Config{Library: writeLibrary(t, testLibrary)})
	h := s.Handler()
	for _, tc := range []struct{ url, want string }{
		{"/", cacheRevalidate},
		{"/reviews/2024-01-02-alpha/", cacheRevalidate},
		{"/search-index.json", cacheRevalidate},
		{"/index.xml", cacheRevalidate},
		{"/css/extra.css", cacheShort},
		{"/js/app.0123abcd4567.js", cacheImmutable},
		{"/healthz", "no-store"},
		{"/api/search?q=alpha", "no-store"},
		{"/no-such-page/", "no-store"},
	} {
		if got := get(t, h, tc.url).Header().Get("Cache-Control"); got != tc.want {
			t.Errorf("%s: Cache-Control %q, want %q", tc.url, got, tc.want)
		}
	}
}

func TestHealthz(t *testing.T) {
	s := newServer(t, Config{Library: writeLibrary(t, testLibrary)})
	w := get(t, s.Handler(), "/healthz")
	var body struct {
		Status  string
		Reviews int
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); w.Code != 200 || err != nil || body.Status != "ok" || body.Reviews != 1 {
		t.Errorf("/healthz: %d %s", w.Code, w.Body)
	}
}

func TestStartupFailureIsLocated(t *testing.T) {
	lib := writeLibrary(t, map[string]string{
		"casebook.yaml":     "title: Broken\n",
		"reviews/bad.md":    "---\ntitle: [unclosed\n---\nBody.\n",
		"reviews/secret.md": "---\ntitle: Secret " + restrictedWord + "\nvisibility: restricted\ndate: [\n---\nThe " + restrictedWord + ".\n",
	})
	_, err := New(Config{Library: lib, Addr: "127.0.0.1:0"})
	if err == nil || !strings.Contains(err.Error(), "reviews/bad.md:2:") {
		t.Fatalf("a broken library: %v", err)
	}
	if strings.Contains(err.Error(), restrictedWord) {
		t.Errorf("the start-up error shows the restricted review's text:\n%v", err)
	}
}

func TestTimeoutsAndLimits(t *testing.T) {
	s := newServer(t, Config{Library: writeLibrary(t, testLibrary), ReadHeaderTimeout: 200 * time.Millisecond, MaxConns: 2})
	if s.srv.ReadTimeout != DefaultReadTimeout || s.srv.WriteTimeout != DefaultWriteTimeout || s.srv.IdleTimeout != DefaultIdleTimeout || s.srv.ReadHeaderTimeout != 200*time.Millisecond {
		t.Errorf("timeouts: read %v, write %v, idle %v, header %v", s.srv.ReadTimeout, s.srv.WriteTimeout, s.srv.IdleTimeout, s.srv.ReadHeaderTimeout)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() { cancel(); <-done }()
	addr := s.ln.Addr().String()
	// Two clients that never finish their headers hold both connections;
	// a third waits, and is served once the header timeout drops them.
	var slow []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n"))
		slow = append(slow, c)
	}
	start := time.Now()
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if waited := time.Since(start); waited < 150*time.Millisecond {
		t.Errorf("the third connection was served after %v, before the two slow ones timed out: no cap", waited)
	}
	for _, c := range slow {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		if _, err := io.ReadAll(c); err != nil {
			t.Errorf("a slow client was not disconnected: %v", err)
		}
	}
}

// TestShutdownDrains: when Run's context ends, a request in flight is
// answered in full, new connections are refused, and Run returns nil.
func TestShutdownDrains(t *testing.T) {
	s := newServer(t, Config{Library: writeLibrary(t, testLibrary)})
	entered, release := make(chan struct{}), make(chan struct{})
	inner := s.srv.Handler
	s.srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow/" {
			close(entered)
			<-release
			r.URL.Path = "/"
		}
		inner.ServeHTTP(w, r)
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	url := s.URL()
	type result struct {
		code int
		n    int
		err  error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := http.Get(url + "slow/")
		if err != nil {
			res <- result{err: err}
			return
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		res <- result{resp.StatusCode, len(b), err}
	}()
	<-entered
	cancel()
	// The listener closes at once; the request in flight goes on.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", s.ln.Addr().String(), time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections after shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-done:
		t.Fatalf("Run returned (%v) with a request in flight", err)
	default:
	}
	close(release)
	r := <-res
	if r.err != nil || r.code != 200 || r.n == 0 {
		t.Errorf("the request in flight: %d, %d bytes, %v", r.code, r.n, r.err)
	}
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}

// TestWatchRebuilds: an edit is served after the next quiet poll; an edit
// that breaks the library keeps the last good site, and its errors go to
// the log only.
func TestWatchRebuilds(t *testing.T) {
	lib := writeLibrary(t, testLibrary)
	var log lockedBuffer
	built := make(chan error, 10)
	s := newServer(t, Config{Library: lib, Watch: 20 * time.Millisecond, Log: &log, Built: func(_ int, err error) { built <- err }})
	<-built // the first build
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() { cancel(); <-done }()
	h := s.Handler()
	review := filepath.Join(lib, "reviews/2024-01-02-alpha.md")
	write(t, review, strings.Replace(testLibrary["reviews/2024-01-02-alpha.md"], "Alpha outage", "Alpha outage, revised", 1))
	if err := waitBuilt(t, built); err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	if !strings.Contains(get(t, h, "/reviews/2024-01-02-alpha/").Body.String(), "Alpha outage, revised") {
		t.Fatal("the edit is not served after the rebuild")
	}
	good := get(t, h, "/reviews/2024-01-02-alpha/").Body.String()
	write(t, filepath.Join(lib, "reviews/2024-01-03-secret.md"), "---\ntitle: Secret "+restrictedWord+"\nvisibility: restricted\ndate: [\n---\nThe "+restrictedWord+".\n")
	if err := waitBuilt(t, built); err == nil {
		t.Fatal("a broken library rebuilt")
	}
	for _, u := range []string{"/reviews/2024-01-02-alpha/", "/", "/no-such-page/"} {
		w := get(t, h, u)
		if strings.Contains(w.Body.String(), restrictedWord) || strings.Contains(w.Body.String(), "2024-01-03-secret.md") {
			t.Errorf("%s shows the broken restricted review", u)
		}
	}
	if got := get(t, h, "/reviews/2024-01-02-alpha/").Body.String(); got != good {
		t.Error("the last good site is no longer served")
	}
	if !strings.Contains(log.String(), "still serving the site built at") || !strings.Contains(log.String(), "reviews/2024-01-03-secret.md:4:") {
		t.Errorf("the log does not report the broken rebuild:\n%s", log.String())
	}
}

func waitBuilt(t *testing.T, built chan error) error {
	t.Helper()
	select {
	case err := <-built:
		return err
	case <-time.After(20 * time.Second):
		t.Fatal("no rebuild within 20 s")
		return nil
	}
}

// TestNoFailuresDuringRebuilds fires requests from several goroutines
// over real connections while the library is rebuilt five times: every
// answer is a 2xx (bench/host.sh does this at scale from a second
// process).
func TestNoFailuresDuringRebuilds(t *testing.T) {
	lib := writeLibrary(t, testLibrary)
	s := newServer(t, Config{Library: lib})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	defer func() { cancel(); <-done }()
	urls := []string{"", "reviews/", "reviews/2024-01-02-alpha/", "api/search?q=alpha", "search-index.json", "healthz", "css/extra.css"}
	stop := make(chan struct{})
	var mu sync.Mutex
	var failures []string
	requests := 0
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 10 * time.Second}
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				resp, err := client.Get(s.URL() + urls[i%len(urls)])
				mu.Lock()
				requests++
				if err != nil {
					failures = append(failures, err.Error())
				} else {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode/100 != 2 {
						failures = append(failures, urls[i%len(urls)]+": "+resp.Status)
					}
				}
				mu.Unlock()
			}
		}()
	}
	review := filepath.Join(lib, "reviews/2024-01-02-alpha.md")
	for i := range 5 {
		write(t, review, strings.Replace(testLibrary["reviews/2024-01-02-alpha.md"], "Alpha outage", "Alpha outage "+strconv.Itoa(i), 1))
		if err := s.Rebuild(ctx); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(100 * time.Millisecond)
	close(stop)
	wg.Wait()
	if requests < 100 || len(failures) > 0 {
		t.Errorf("%d requests, %d failures: %v", requests, len(failures), failures[:min(len(failures), 5)])
	}
}

// TestRebuildSyncsSearch: after a rebuild, search finds a new review and
// no longer finds a removed one, and a request that took the old
// generation still reads its files.
func TestRebuildSyncsSearch(t *testing.T) {
	lib := writeLibrary(t, testLibrary)
	s := newServer(t, Config{Library: lib})
	h := s.Handler()
	old := s.current()
	write(t, filepath.Join(lib, "reviews/2024-02-01-beta.md"), "---\ntitle: Beta outage\ndate: 2024-02-01\n---\nThe beta body mentions platypus.\n")
	os.Remove(filepath.Join(lib, "reviews/2024-01-02-alpha.md"))
	if err := s.Rebuild(context.Background()); err != nil {
		t.Fatal(err)
	}
	if n := searchTotal(t, h, "platypus"); n != 1 {
		t.Errorf("the new review: %d hits", n)
	}
	if n := searchTotal(t, h, "aardvark"); n != 0 {
		t.Errorf("the removed review: %d hits", n)
	}
	if old.files["reviews/2024-01-02-alpha/index.html"] == nil || s.current().files["reviews/2024-01-02-alpha/index.html"] != nil {
		t.Error("the generations do not hold their own files")
	}
	if w := get(t, h, "/reviews/2024-01-02-alpha/"); w.Code != 404 {
		t.Errorf("the removed review's page: %d", w.Code)
	}
}

func TestLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:1313": true, "localhost:0": true, "[::1]:1313": true, "127.0.0.2:80": true,
		"0.0.0.0:1313": false, ":1313": false, "[::]:1313": false, "192.168.1.2:1313": false, "example.com:80": false, "nonsense": false,
	} {
		if got := Loopback(addr); got != want {
			t.Errorf("Loopback(%q) = %v", addr, got)
		}
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
