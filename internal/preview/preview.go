// Package preview is the server behind casebook serve: a library shown as
// its site would be built, kept current while its author edits it.
//
// New listens; Run loads the library once with site.Load (drafts
// included), then keeps one generation: the result of the latest load
// (the site and its Renderer, or the problems that stopped it, alongside
// the last site that loaded). HTML pages are rendered on demand from the
// current generation and cached in it; a change to the library makes a new
// generation, so nothing rendered from old files survives a reload, and
// only the pages someone then views are rendered again.
//
// A watcher (watch.go) follows the library folder with fsnotify, every
// folder of it, and batches events until the library has been quiet for
// 50 ms. The rebuild loop (rebuild.go) then reacts to the batch:
//
//   - stylesheets and other static files are served fresh from disk, so
//     browsers are only told to swap the stylesheets or to reload;
//   - edits to published reviews take a fast path: site.PatchReview links
//     each edited review into the loaded site as a full load would, its
//     page is rendered and its tabs are told to reload at once;
//   - then (and for every other change) the library is loaded again with
//     a shared site.Cache, so only changed files are parsed, and each
//     open tab whose page's bytes changed is told to reload.
//
// Tabs listen over Server-Sent Events (events.go) through a script the
// server adds to every HTML page (livereload.js); a built site never ships
// it. When a load fails, every page shows an error overlay (problem.go)
// with each problem and the source lines around it, and links to the last
// good version of the page, until the files are fixed.
//
// /api/search is package index's handler over an index built in memory in
// the background after the first load (it answers 503 until then) and
// synced with each later one; /search-index.json is made from the current
// site on demand, as a build writes it.
//
// The server never changes a loaded *site.Site: its address reaches the
// site's absolute links through site.Options.BaseURL.
package preview

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/casebook/casebook/index"
	"github.com/casebook/casebook/internal/library"
	"github.com/casebook/casebook/site"
)

const (
	eventsPath = "/_casebook/events"
	scriptPath = "/_casebook/livereload.js"
	searchPath = "/api/search"
)

// Config is what a Server shows and where.
type Config struct {
	// Library is the library folder, read and watched.
	Library string
	// Addr is the host:port to listen on; port 0 picks a free one.
	Addr string
	// Options are the site options of every load. The server adds Drafts
	// (the preview shows them), its Cache and its BaseURL. A zero Now is
	// the time of each load, so "overdue" stays current while it runs.
	Options site.Options
	// Theme returns the theme a load renders with. It is called for every
	// load, since a library's theme/ folder may appear while the server
	// runs; nil means library.Theme(Library), as casebook build uses.
	Theme func() fs.FS
	// Stdout is told what each load found, Stderr about problems. Nil
	// writers discard.
	Stdout, Stderr io.Writer
	// Debounce is how long the library must be quiet before a batch of
	// file events is acted on; zero means 50 ms.
	Debounce time.Duration
	// Trace, when set (benchmarks), is told what each reaction to a batch
	// of file events took, and TraceIndex how long each update of the
	// search index took.
	Trace      func(Rebuild)
	TraceIndex func(time.Duration)
}

// Rebuild times one reaction to a batch of file events.
type Rebuild struct {
	Paths     []string
	FirstSeen time.Time     // the batch's first file event
	Fast      bool          // the edited reviews were patched in first
	Patch     time.Duration // site.PatchReview, on the fast path
	Load      time.Duration // site.Load (zero when no reload was needed)
	Renderer  time.Duration // render.New
	Prerender time.Duration // rendering the pages open in browsers
	Notified  time.Time     // the first events sent to browsers
	Reloaded  int           // tabs told to reload then
	// FullNotified is when the tabs were told about the full reload, and
	// Rereloaded how many were told to reload again after a fast patch.
	FullNotified time.Time
	Rereloaded   int
}

// Server is one run of the preview: made by New, run once by Run.
type Server struct {
	lib     string // absolute library folder
	libName string // as the caller named it, for messages
	libFS   fs.FS
	opts    site.Options
	theme   func() fs.FS
	ln      net.Listener
	addr    string // as asked, for the warning about every interface
	baseURL string
	// loopback: the server listens on the loopback interface only, and so
	// answers only requests addressed to a loopback name (see serveHTTP).
	loopback  bool
	shownBase string // the base path last printed
	debounce  time.Duration

	cur   atomic.Pointer[generation]
	ready chan struct{} // closed once the first load is done
	hub   *hub

	ix       atomic.Pointer[index.Index]
	ixNext   chan struct{} // capacity 1: "a newer site wants indexing"
	ixSite   atomic.Pointer[site.Site]
	ixHandle http.Handler

	logMu          sync.Mutex
	stdout, stderr io.Writer

	trace   func(Rebuild)
	indexed func(time.Duration)
	ran     atomic.Bool
}

// New checks the library folder and listens on c.Addr at once, so that a
// port in use is New's error and URL is known before Run. Nothing is
// loaded until Run, which closes the listener when it returns.
func New(c Config) (*Server, error) {
	libAbs, err := filepath.Abs(c.Library)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(libAbs); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("library %s is not a folder", c.Library)
	}
	opts := c.Options
	opts.Drafts = true
	opts.Cache = site.NewCache()
	s := &Server{
		lib: libAbs, libName: c.Library, libFS: library.FS(libAbs), opts: opts, theme: c.Theme, addr: c.Addr, debounce: c.Debounce,
		ready: make(chan struct{}), hub: newHub(), ixNext: make(chan struct{}, 1),
		stdout: c.Stdout, stderr: c.Stderr, trace: c.Trace, indexed: c.TraceIndex,
	}
	if s.theme == nil {
		s.theme = func() fs.FS { return library.Theme(libAbs) }
	}
	if s.debounce == 0 {
		s.debounce = 50 * time.Millisecond
	}
	if s.stdout == nil {
		s.stdout = io.Discard
	}
	if s.stderr == nil {
		s.stderr = io.Discard
	}
	s.ixHandle = index.NewHandler(s.ix.Load)
	s.ln, err = net.Listen("tcp", c.Addr)
	if err != nil {
		return nil, err
	}
	a := s.ln.Addr().(*net.TCPAddr)
	s.baseURL = serveURL(a, c.Addr)
	s.loopback = a.IP.IsLoopback()
	return s, nil
}

// URL is where the server is reached, ending in "/": the address it
// prints and puts in the site's absolute links.
func (s *Server) URL() string { return s.baseURL }

// Handler answers the live-reload endpoints, search and the site.
// Requests wait for Run's first load.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Run watches and loads the library and serves it until ctx ends, then
// shuts down (open event streams included) and closes the listener. It
// returns an error only when the server could not run.
func (s *Server) Run(ctx context.Context) error {
	if s.ran.Swap(true) {
		return errors.New("preview: Run called twice")
	}
	// Watch before the first load, so that nothing saved while it runs is
	// missed.
	w, err := newWatcher(s.lib, s.debounce, s.errorf)
	if err != nil {
		s.ln.Close()
		return fmt.Errorf("cannot watch %s: %w", s.libName, err)
	}

	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	srv.RegisterOnShutdown(s.hub.close)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(s.ln) }()
	s.logf("Serving on %s\n", s.baseURL)
	if host, _, _ := net.SplitHostPort(s.addr); isUnspecified(host) {
		s.errorf("casebook serve: listening on every network interface; anyone who can reach this machine can read the library (drafts included)\n")
	}

	bg, stopBG := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); s.loop(bg, w) }()
	go func() { defer wg.Done(); s.indexLoop(bg) }()

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served:
	}
	s.logf("Shutting down\n")
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	cancel()
	stopBG()
	w.close()
	// A load of a large library cannot be interrupted; do not keep the
	// terminal waiting for it.
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
	}
	if ix := s.ix.Swap(nil); ix != nil {
		ix.Close()
	}
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return serveErr
	}
	return nil
}

// serveURL is the address to print and to use as the site's baseURL.
func serveURL(a *net.TCPAddr, asked string) string {
	host, _, _ := net.SplitHostPort(asked)
	switch {
	case isUnspecified(host):
		host = "localhost"
	case a.IP != nil:
		host = a.IP.String()
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(a.Port)) + "/"
}

// loopbackHost reports whether a request's Host names this machine.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isUnspecified(host string) bool {
	if host == "" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsUnspecified()
}

func (s *Server) logf(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.stdout, format, args...)
}

func (s *Server) errorf(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.stderr, format, args...)
}
