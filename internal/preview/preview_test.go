package preview

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// The bound on how long a change may take to show. Generous: these tests
// share small CI machines; the latency itself is measured by
// BenchmarkServeReload.
const serveWait = 10 * time.Second

var serveLib = map[string]string{
	"casebook.yaml": "title: Serve test library\n",
	"reviews/a.md": `---
title: Alpha outage
date: 2024-01-02
summary: Alpha went down.
services: [alpha]
---
The alpha body says hello.
`,
	"reviews/b.md": `---
title: Beta outage
date: 2024-02-03
summary: Beta went down.
services: [beta]
---
The beta body.
`,
	"reviews/c.md": `---
title: Gamma draft
date: 2024-03-04
summary: Not finished.
status: draft
---
Work in progress.
`,
	"static/css/extra.css": "body { color: black; }\n",
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testServer is a running Server.
type testServer struct {
	t              *testing.T
	dir, url       string
	srv            *Server
	stdout, stderr *syncBuffer
	cancel         context.CancelFunc
	done           chan error
}

func writeServeLibrary(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
	return dir
}

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

var servingRe = regexp.MustCompile(`Serving on (http://\S+)/\n`)

// startServe runs a Server on a free port of the library in dir and waits
// until it has printed its address. configure adjusts its Config.
func startServe(t *testing.T, dir string, configure ...func(*Config)) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{t: t, dir: dir, stdout: &syncBuffer{}, stderr: &syncBuffer{}, cancel: cancel, done: make(chan error, 1)}
	c := Config{Library: dir, Addr: "127.0.0.1:0", Stdout: ts.stdout, Stderr: ts.stderr}
	for _, f := range configure {
		f(&c)
	}
	srv, err := New(c)
	if err != nil {
		cancel()
		t.Fatalf("New: %v", err)
	}
	ts.srv = srv
	go func() { ts.done <- srv.Run(ctx) }()
	t.Cleanup(func() { ts.stop() })
	deadline := time.Now().Add(serveWait)
	for {
		if m := servingRe.FindStringSubmatch(ts.stdout.String()); m != nil {
			ts.url = m[1]
			if m[1]+"/" != srv.URL() {
				t.Fatalf("printed %s/, URL() is %s", m[1], srv.URL())
			}
			return ts
		}
		select {
		case err := <-ts.done:
			t.Fatalf("Run ended before serving: %v\nstdout:\n%s\nstderr:\n%s", err, ts.stdout, ts.stderr)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("Run printed no address in %s; stdout:\n%s\nstderr:\n%s", serveWait, ts.stdout, ts.stderr)
		}
	}
}

// stop cancels the server's context and returns Run's result.
func (ts *testServer) stop() error {
	if ts.cancel == nil {
		return nil
	}
	ts.cancel()
	ts.cancel = nil
	select {
	case err := <-ts.done:
		return err
	case <-time.After(serveWait):
		ts.t.Errorf("Run did not return within %s after its context was cancelled", serveWait)
		return errors.New("Run did not return")
	}
}

// get fetches a path and returns the status and body.
func (ts *testServer) get(p string) (int, string) {
	ts.t.Helper()
	resp, err := http.Get(ts.url + p)
	if err != nil {
		ts.t.Fatalf("GET %s: %v", p, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.t.Fatalf("GET %s: %v", p, err)
	}
	return resp.StatusCode, string(b)
}

func (ts *testServer) write(rel, content string) {
	ts.t.Helper()
	writeFile(ts.t, filepath.Join(ts.dir, filepath.FromSlash(rel)), content)
}

// waitFor polls a page until cond holds.
func (ts *testServer) waitFor(p string, what string, cond func(status int, body string) bool) (int, string) {
	ts.t.Helper()
	deadline := time.Now().Add(serveWait)
	for {
		status, body := ts.get(p)
		if cond(status, body) {
			return status, body
		}
		if time.Now().After(deadline) {
			ts.t.Fatalf("%s: after %s still not %s: status %d, body:\n%s\nstdout:\n%s\nstderr:\n%s", p, serveWait, what, status, body, ts.stdout, ts.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var versionRe = regexp.MustCompile(`<script src="/_casebook/livereload.js" data-version="([^"]+)"`)

// sseClient is a tab's event stream.
type sseClient struct {
	t      *testing.T
	events chan string
	cancel context.CancelFunc
}

// listen opens the event stream for the page at p, as livereload.js does
// after loading it.
func (ts *testServer) listen(p string) *sseClient {
	ts.t.Helper()
	_, body := ts.get(p)
	m := versionRe.FindStringSubmatch(body)
	if m == nil {
		ts.t.Fatalf("%s has no live-reload script:\n%s", p, body)
	}
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.url+eventsPath+"?path="+url.QueryEscape(p)+"&v="+url.QueryEscape(m[1]), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		ts.t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/event-stream" {
		cancel()
		ts.t.Fatalf("events: status %d, Content-Type %q", resp.StatusCode, ct)
	}
	c := &sseClient{t: ts.t, events: make(chan string, 16), cancel: cancel}
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				c.events <- name
			}
		}
		close(c.events)
	}()
	ts.t.Cleanup(cancel)
	return c
}

// next waits for the next event.
func (c *sseClient) next(within time.Duration) (string, bool) {
	select {
	case e, ok := <-c.events:
		return e, ok
	case <-time.After(within):
		return "", false
	}
}

func (c *sseClient) expect(name string) {
	c.t.Helper()
	e, ok := c.next(serveWait)
	if !ok || e != name {
		c.t.Fatalf("want event %q, got %q (ok=%v)", name, e, ok)
	}
}

func (c *sseClient) expectNone(within time.Duration) {
	c.t.Helper()
	if e, ok := c.next(within); ok {
		c.t.Fatalf("want no event, got %q", e)
	}
}

func TestServePagesAndLiveReload(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveLib))

	status, body := ts.get("/")
	if status != 200 || !strings.Contains(body, "Alpha outage") {
		t.Fatalf("home: status %d, body:\n%s", status, body)
	}
	status, body = ts.get("/reviews/a/")
	if status != 200 || !strings.Contains(body, "The alpha body says hello.") {
		t.Fatalf("review: status %d, body:\n%s", status, body)
	}
	if n := strings.Count(body, "/_casebook/livereload.js"); n != 1 {
		t.Errorf("review page has %d live-reload scripts, want 1", n)
	}
	if i, j := strings.Index(body, "/_casebook/livereload.js"), strings.LastIndex(strings.ToLower(body), "</body>"); j >= 0 && i > j {
		t.Errorf("live-reload script after </body>")
	}
	// Drafts are part of the preview, marked as such by the theme.
	if status, body := ts.get("/reviews/c/"); status != 200 || !strings.Contains(body, "Work in progress.") || !strings.Contains(body, `class="badge badge-draft"`) {
		t.Errorf("draft: status %d, body:\n%s", status, body)
	}
	if status, body := ts.get("/css/extra.css"); status != 200 || !strings.Contains(body, "color: black") {
		t.Errorf("static file: status %d, body %q", status, body)
	}
	if status, body := ts.get("/index.xml"); status != 200 || !strings.Contains(body, "<rss") {
		t.Errorf("feed: status %d, body %q", status, body)
	}
	if status, _ := ts.get("/no/such/page/"); status != 404 {
		t.Errorf("missing page: status %d, want 404", status)
	}
	resp, err := http.Get(ts.url + scriptPath)
	if err != nil || resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "javascript") {
		t.Errorf("livereload.js: %v %v", resp, err)
	}
	resp.Body.Close()
	// A path without its slash is redirected, as a static host does.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noFollow.Get(ts.url + "/reviews/a")
	if err != nil || resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/reviews/a/" {
		t.Errorf("GET /reviews/a: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}

	tabA := ts.listen("/reviews/a/")
	tabB := ts.listen("/reviews/b/")
	ts.write("reviews/a.md", strings.Replace(serveLib["reviews/a.md"], "says hello", "says goodbye", 1))
	tabA.expect("reload")
	// The page is ready when the event is sent.
	if status, body := ts.get("/reviews/a/"); status != 200 || !strings.Contains(body, "The alpha body says goodbye.") {
		t.Fatalf("after the edit: status %d, body:\n%s", status, body)
	}
	// Beta's page does not show alpha's body: its tab stays as it is.
	tabB.expectNone(300 * time.Millisecond)

	// A new review appears, and the pages listing reviews change.
	ts.write("reviews/d.md", "---\ntitle: Delta outage\ndate: 2024-04-05\n---\nDelta body.\n")
	tabA.expectNone(0) // drain nothing
	ts.waitFor("/reviews/d/", "served", func(status int, body string) bool {
		return status == 200 && strings.Contains(body, "Delta body.")
	})
	ts.waitFor("/", "listing Delta", func(status int, body string) bool { return strings.Contains(body, "Delta outage") })
}

func TestServeBrokenEditShowsOverlayAndRecovers(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveLib))
	tab := ts.listen("/reviews/a/")

	broken := strings.Replace(serveLib["reviews/a.md"], "services: [alpha]", "services: [alpha]\nrelated: [no-such-review]", 1)
	ts.write("reviews/a.md", broken)
	tab.expect("reload")
	for _, p := range []string{"/reviews/a/", "/reviews/b/", "/", "/no/such/page/"} {
		status, body := ts.get(p)
		if status != 500 {
			t.Fatalf("%s: status %d, want 500; body:\n%s", p, status, body)
		}
		for _, want := range []string{
			"reviews/a.md:6:11",                  // path:line:col
			`related: no review with slug`,       // the message
			`<span class="n">6</span>related: [`, // the offending line, highlighted
			`class="line hit"`,                   //
			`<span class="n">5</span>services:`,  // and its context
			"/_casebook/livereload.js",           // it recovers by itself
			`href="?casebook=last-good"`,         // the last good site is kept
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: overlay lacks %q:\n%s", p, want, body)
			}
		}
	}
	// The terminal shows it too (printed after the browsers are told).
	waitForOutput(t, ts.stderr, "reviews/a.md:6:11: related: no review with slug")
	// Static files and the last good pages stay available.
	if status, _ := ts.get("/css/extra.css"); status != 200 {
		t.Errorf("static file while broken: status %d", status)
	}
	if status, body := ts.get("/reviews/a/?casebook=last-good"); status != 200 || !strings.Contains(body, "The alpha body says hello.") {
		t.Errorf("last good page: status %d, body:\n%s", status, body)
	}

	// A second, different mistake replaces the first.
	ts.write("reviews/a.md", strings.Replace(serveLib["reviews/a.md"], "title: Alpha outage", "title: [unclosed", 1))
	tab.expect("reload")
	_, body := ts.waitFor("/reviews/a/", "showing the YAML error", func(status int, body string) bool {
		return status == 500 && regexp.MustCompile(`reviews/a\.md:\d+:\d+`).MatchString(body) && strings.Contains(body, "YAML")
	})
	if strings.Contains(body, "no-such-review") {
		t.Errorf("the overlay still shows the fixed problem:\n%s", body)
	}

	// Fixing it recovers without a restart, and the page is current.
	ts.write("reviews/a.md", strings.Replace(serveLib["reviews/a.md"], "says hello", "is fixed", 1))
	tab.expect("reload")
	status, body := ts.get("/reviews/a/")
	if status != 200 || !strings.Contains(body, "The alpha body is fixed.") {
		t.Fatalf("after the fix: status %d, body:\n%s", status, body)
	}
	waitForOutput(t, ts.stdout, "problems are fixed")
}

// Every problem in the library is on the overlay at once, each with its
// own source excerpt, not just the first one found.
func TestServeOverlayListsEveryProblem(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveLib))
	ts.write("reviews/a.md", strings.Replace(serveLib["reviews/a.md"], "services: [alpha]", "services: [alpha]\nrelated: [no-such-review]", 1))
	ts.write("reviews/b.md", serveLib["reviews/b.md"]+"\nSee [the gone one](gone.md).\n")
	_, body := ts.waitFor("/", "both problems on the overlay", func(status int, body string) bool {
		return status == 500 && strings.Contains(body, "reviews/a.md:6:11") && strings.Contains(body, "reviews/b.md:9:5")
	})
	for _, want := range []string{
		`related: no review with slug`,
		`link to a review that does not exist: gone.md`,
		`<span class="n">6</span>related: [`,
		`<span class="n">9</span>See <span class="col">[</span>the gone one](gone.md).`, // the column marked
	} {
		if !strings.Contains(body, want) {
			t.Errorf("overlay lacks %q:\n%s", want, body)
		}
	}
}

func TestServeStartsWithBrokenLibrary(t *testing.T) {
	files := map[string]string{}
	for k, v := range serveLib {
		files[k] = v
	}
	files["reviews/b.md"] = "---\ntitle: Beta\ndate: 2024-02-03\n---\n```timeline\n2024-02-03 10:00 | nonsense | what kind is this\n```\n"
	ts := startServe(t, writeServeLibrary(t, files))
	status, body := ts.get("/reviews/a/")
	if status != 500 || !strings.Contains(body, "reviews/b.md:6:") {
		t.Fatalf("status %d, body:\n%s", status, body)
	}
	if strings.Contains(body, "last-good") {
		t.Errorf("the overlay offers a last good site that never existed")
	}
	tab := ts.listen("/reviews/a/")
	ts.write("reviews/b.md", serveLib["reviews/b.md"])
	tab.expect("reload")
	if status, _ := ts.get("/reviews/a/"); status != 200 {
		t.Fatalf("after the fix: status %d", status)
	}
}

func TestServeIgnoresEditorFiles(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveLib))
	tab := ts.listen("/reviews/a/")
	for _, name := range []string{".a.md.swp", ".a.md.swx", "a.md~", ".#a.md", "#a.md#", "4913", "a.md.tmp", ".DS_Store", "a.md.tmp.1234.5678", "sedAb3xYz"} {
		ts.write("reviews/"+name, "---\ntitle: [broken\n---\n")
	}
	ts.write(".git/index", "x")
	tab.expectNone(500 * time.Millisecond)
	if strings.Contains(ts.stdout.String(), "changed") {
		t.Errorf("editor files caused a rebuild:\n%s", ts.stdout)
	}
	if status, _ := ts.get("/reviews/a/"); status != 200 {
		t.Errorf("status %d", status)
	}
	// The watcher is alive: a real edit still arrives.
	ts.write("reviews/a.md", strings.Replace(serveLib["reviews/a.md"], "says hello", "says hi", 1))
	tab.expect("reload")
}

// TestServeAtomicSaves saves the way editors do: vim's backup and rename,
// and "write a temporary file, then rename it over the original".
func TestServeAtomicSaves(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveLib))
	tab := ts.listen("/reviews/a/")
	a := filepath.Join(ts.dir, "reviews", "a.md")

	// vim (backupcopy=no): probe file, original renamed to a backup, new
	// file written, backup removed.
	probe := filepath.Join(ts.dir, "reviews", "4913")
	writeFile(t, probe, "")
	os.Remove(probe)
	if err := os.Rename(a, a+"~"); err != nil {
		t.Fatal(err)
	}
	writeFile(t, a, strings.Replace(serveLib["reviews/a.md"], "says hello", "says vim", 1))
	os.Remove(a + "~")
	tab.expect("reload")
	if status, body := ts.get("/reviews/a/"); status != 200 || !strings.Contains(body, "says vim") {
		t.Fatalf("after vim's save: status %d body:\n%s", status, body)
	}

	// Temporary file renamed over the original (VS Code, JetBrains, Go's
	// renameio).
	tmp := a + ".tmp"
	writeFile(t, tmp, strings.Replace(serveLib["reviews/a.md"], "says hello", "says rename", 1))
	if err := os.Rename(tmp, a); err != nil {
		t.Fatal(err)
	}
	tab.expect("reload")
	if status, body := ts.get("/reviews/a/"); status != 200 || !strings.Contains(body, "says rename") {
		t.Fatalf("after the rename: status %d body:\n%s", status, body)
	}
	if strings.Contains(ts.stderr.String(), "problem") {
		t.Errorf("a save showed a transient problem:\n%s", ts.stderr)
	}
}

func TestServeNewFolders(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveLib))
	// A bundle in a new folder, with an image.
	ts.write("reviews/e/index.md", "---\ntitle: Epsilon outage\ndate: 2024-05-06\n---\nEpsilon body.\n")
	ts.write("reviews/e/graph.svg", "<svg/>")
	ts.waitFor("/reviews/e/", "served", func(status int, body string) bool {
		return status == 200 && strings.Contains(body, "Epsilon body.")
	})
	// The image may arrive in a batch of its own, after the page.
	ts.waitFor("/reviews/e/graph.svg", "the bundle's image served", func(status int, body string) bool {
		return status == 200 && body == "<svg/>"
	})
	// The new folder is watched: edits inside it arrive.
	tab := ts.listen("/reviews/e/")
	ts.write("reviews/e/index.md", "---\ntitle: Epsilon outage\ndate: 2024-05-06\n---\nEpsilon edited.\n")
	tab.expect("reload")
	if _, body := ts.get("/reviews/e/"); !strings.Contains(body, "Epsilon edited.") {
		t.Errorf("edit in a new folder not shown:\n%s", body)
	}
	// Nested folders created at once (mkdir -p) are watched too.
	ts.write("reviews/2025/q1/f.md", "---\ntitle: Phi outage\ndate: 2025-01-02\n---\nPhi body.\n")
	ts.waitFor("/reviews/f/", "served", func(status int, body string) bool { return status == 200 })
	tab = ts.listen("/reviews/f/")
	ts.write("reviews/2025/q1/f.md", "---\ntitle: Phi outage\ndate: 2025-01-02\n---\nPhi edited.\n")
	tab.expect("reload")
}

func TestServeSettingsChange(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveLib))
	tab := ts.listen("/")
	ts.write("casebook.yaml", "title: Renamed library\n")
	tab.expect("reload")
	if _, body := ts.get("/"); !strings.Contains(body, "Renamed library") {
		t.Errorf("the new title is not shown:\n%s", body)
	}
	// A broken casebook.yaml is shown like any other problem.
	ts.write("casebook.yaml", "title: [oops\n")
	tab.expect("reload")
	if status, body := ts.get("/"); status != 500 || !strings.Contains(body, "casebook.yaml:") {
		t.Errorf("status %d, body:\n%s", status, body)
	}
}

func TestServeStylesheetChangeSwapsCSS(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveLib))
	tab := ts.listen("/reviews/a/")
	ts.write("static/css/extra.css", "body { color: red; }\n")
	tab.expect("css")
	if _, body := ts.get("/css/extra.css"); !strings.Contains(body, "red") {
		t.Errorf("stylesheet not updated: %q", body)
	}
	// Other static files reload the page.
	ts.write("static/css/extra.js", "1")
	tab.expect("reload")
}

func TestServeTemplateChange(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveLib))
	tab := ts.listen("/reviews/a/")
	ts.write("theme/templates/review.html", `{{define "main"}}<p>custom {{.Review.Title}}</p>{{end}}`)
	tab.expect("reload")
	if _, body := ts.get("/reviews/a/"); !strings.Contains(body, "custom Alpha outage") {
		t.Fatalf("template override not used:\n%s", body)
	}
	// A template error is shown with its file and line.
	ts.write("theme/templates/review.html", "{{define \"main\"}}\n<p>{{.Review.Title</p>{{end}}")
	tab.expect("reload")
	status, body := ts.get("/reviews/a/")
	if status != 500 || !strings.Contains(body, "theme/templates/review.html:2") {
		t.Fatalf("template error: status %d, body:\n%s", status, body)
	}
	// So is a template that fails while rendering a page; other kinds of
	// page still work.
	ts.write("theme/templates/review.html", "{{define \"main\"}}\n<p>{{.Review.NoSuchField}}</p>{{end}}")
	tab.expect("reload")
	status, body = ts.get("/reviews/a/")
	if status != 500 || !strings.Contains(body, "theme/templates/review.html:2:") || !strings.Contains(body, "NoSuchField") {
		t.Fatalf("render error: status %d, body:\n%s", status, body)
	}
	if status, _ := ts.get("/"); status != 200 {
		t.Errorf("home page while a review template fails: status %d", status)
	}
	os.Remove(filepath.Join(ts.dir, "theme/templates/review.html"))
	tab.expect("reload")
	if status, _ := ts.get("/reviews/a/"); status != 200 {
		t.Fatalf("after removing the override: status %d", status)
	}
}

// A tab whose page changed while it was loading (or while the server was
// restarting) reloads as soon as it connects.
func TestServeStaleTabReloadsOnConnect(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveLib))
	req, _ := http.NewRequest("GET", ts.url+eventsPath+"?path=/reviews/a/&v=200-stale", nil)
	ctx, cancel := context.WithTimeout(context.Background(), serveWait)
	defer cancel()
	resp, err := http.DefaultClient.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if sc.Text() == "event: reload" {
			return
		}
	}
	t.Fatal("no reload event for a stale tab")
}

func TestServeShutsDownOnCancel(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveLib))
	tab := ts.listen("/reviews/a/") // a stream must not hold the shutdown up
	start := time.Now()
	if err := ts.stop(); err != nil {
		t.Fatalf("Run returned %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("shutdown took %s", d)
	}
	if _, ok := tab.next(serveWait); ok {
		t.Errorf("the event stream is still open")
	}
	u, _ := url.Parse(ts.url)
	if c, err := net.DialTimeout("tcp", u.Host, time.Second); err == nil {
		c.Close()
		t.Errorf("still listening on %s", u.Host)
	}
}

// An edit to a review's body is shown first (patched into the loaded
// site), then the library reloads; pages that show something of the body
// elsewhere follow, and the edited page does not reload twice.
func TestServeFastPathThenFullReload(t *testing.T) {
	files := map[string]string{}
	for k, v := range serveLib {
		files[k] = v
	}
	// Title and summary come from the body.
	files["reviews/d.md"] = "---\ndate: 2024-04-05\n---\n# Delta outage\n\nDelta lead paragraph.\n"
	ts := startServe(t, writeServeLibrary(t, files))
	tabD := ts.listen("/reviews/d/")
	tabList := ts.listen("/reviews/")
	tabB := ts.listen("/reviews/b/")

	ts.write("reviews/d.md", "---\ndate: 2024-04-05\n---\n# Delta incident\n\nDelta lead paragraph.\n")
	tabD.expect("reload")
	if _, body := ts.get("/reviews/d/"); !strings.Contains(body, "Delta incident") {
		t.Fatalf("the edited page is not current:\n%s", body)
	}
	tabList.expect("reload") // after the full reload: the list shows the new title
	if _, body := ts.get("/reviews/"); !strings.Contains(body, "Delta incident") {
		t.Errorf("the list does not show the new title")
	}
	tabD.expectNone(300 * time.Millisecond)
	tabB.expectNone(0)
	ts.waitForLog("reviews/d.md changed: shown in")
}

// waitForLog waits until stdout contains s.
func (ts *testServer) waitForLog(s string) {
	ts.t.Helper()
	waitForOutput(ts.t, ts.stdout, s)
}

// waitForOutput waits until the server has written s to out.
func waitForOutput(t *testing.T, out *syncBuffer, s string) {
	t.Helper()
	deadline := time.Now().Add(serveWait)
	for !strings.Contains(out.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("the output has no %q:\n%s", s, out)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A library whose baseURL has a path is served under it, so that links
// in bodies work.
func TestServeBasePath(t *testing.T) {
	files := map[string]string{}
	for k, v := range serveLib {
		files[k] = v
	}
	files["casebook.yaml"] = "title: Serve test library\nbaseURL: https://example.com/incidents/\n"
	files["reviews/a.md"] = strings.Replace(serveLib["reviews/a.md"], "says hello.", "says hello. See [beta](b.md).", 1)
	ts := startServe(t, writeServeLibrary(t, files))
	status, body := ts.get("/incidents/reviews/a/")
	if status != 200 || !strings.Contains(body, `href="/incidents/reviews/b/"`) {
		t.Fatalf("status %d, body:\n%s", status, body)
	}
	if strings.Contains(body, "https://example.com") {
		t.Errorf("the page links to the published site")
	}
	// Absolute links (the feed's) point at this server, under the path.
	if status, body := ts.get("/incidents/index.xml"); status != 200 || !strings.Contains(body, "<link>"+ts.url+"/incidents/reviews/a/</link>") || strings.Contains(body, "example.com") {
		t.Errorf("feed: status %d, body:\n%s", status, body)
	}
	if status, body := ts.get("/"); status != 200 || !strings.Contains(body, "Alpha outage") {
		t.Errorf("/ does not lead to the site: %d", status)
	}
	if status, _ := ts.get("/reviews/a/"); status != 404 {
		t.Errorf("/reviews/a/ outside the base path: status %d", status)
	}
	ts.waitForLog("the site is at " + ts.url + "/incidents/")
	tab := ts.listen("/incidents/reviews/a/")
	ts.write("reviews/a.md", strings.Replace(files["reviews/a.md"], "says hello", "says goodbye", 1))
	tab.expect("reload")
	if _, body := ts.get("/incidents/reviews/a/"); !strings.Contains(body, "says goodbye") {
		t.Errorf("edit not shown")
	}
}

func TestServeRejectsForeignHosts(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveLib))
	u, _ := url.Parse(ts.url)
	for host, want := range map[string]int{
		u.Host:                     200,
		"localhost:" + u.Port():    200,
		"evil.example:" + u.Port(): 403,
		"evil.example":             403,
		"127.0.0.1.evil.example":   403,
	} {
		req, _ := http.NewRequest("GET", ts.url+"/", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %q: status %d, want %d", host, resp.StatusCode, want)
		}
	}
}

// Handler is the server's whole answer, usable without its listener.
func TestServeHandler(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveLib))
	for p, want := range map[string]int{"/reviews/a/": 200, "/no/such/page/": 404} {
		rec := httptest.NewRecorder()
		ts.srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost"+p, nil))
		if rec.Code != want || !strings.Contains(rec.Body.String(), scriptPath) {
			t.Errorf("%s: status %d, want %d; body:\n%s", p, rec.Code, want, rec.Body)
		}
	}
	rec := httptest.NewRecorder()
	ts.srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "http://localhost/reviews/a/", nil))
	if _, body := ts.get("/reviews/a/"); rec.Body.String() != body {
		t.Errorf("the handler and the listener answer differently")
	}
}

func TestInjectScript(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"<html><body><p>x</p></body></html>", `<html><body><p>x</p><script src="/_casebook/livereload.js" data-version="v"></script>` + "\n</body></html>"},
		{"<P>x</P></BODY>", `<P>x</P><script src="/_casebook/livereload.js" data-version="v"></script>` + "\n</BODY>"},
		{"<p>no body</p>", `<p>no body</p><script src="/_casebook/livereload.js" data-version="v"></script>` + "\n"},
		{"<p>a</p></body>x</body>", `<p>a</p></body>x<script src="/_casebook/livereload.js" data-version="v"></script>` + "\n</body>"},
	} {
		if got := string(injectScript([]byte(tc.in), "v", false)); got != tc.want {
			t.Errorf("injectScript(%q) =\n%q, want\n%q", tc.in, got, tc.want)
		}
	}
}

func TestIgnoredNames(t *testing.T) {
	for _, name := range []string{".a.md.swp", "a.md.swo", "a.md~", ".#a.md", "#a.md#", "4913", "a.tmp", ".DS_Store", "a.md.tmp.123", "a.md___jb_tmp___", "sedX1y2Z3"} {
		if !ignored(name) {
			t.Errorf("%q is not ignored", name)
		}
	}
	for _, name := range []string{"a.md", "2024-01-02-outage.md", "casebook.yaml", "site.css", "index.md", "sedation.md", "graph.svg"} {
		if ignored(name) {
			t.Errorf("%q is ignored", name)
		}
	}
}
