package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/casebook/casebook/index"
	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
)

// The preview server
//
// serve loads the library once, then keeps one *generation: the result of
// the latest load (the site and its Renderer, or the problems that stopped
// it, alongside the last site that loaded). HTML pages are rendered on
// demand from the current generation and cached in it; a change to the
// library makes a new generation, so nothing rendered from old files
// survives a reload, and only the pages someone then views are rendered
// again.
//
// A watcher (serve_watch.go) batches file events; the rebuild loop (below)
// reloads the library with a shared site.Cache, swaps the generation in,
// renders the pages the open browser tabs show, and tells each tab over
// Server-Sent Events (serve_events.go) to reload if, and only if, the bytes
// of its page changed. A change to stylesheets alone swaps them in place.

const (
	eventsPath = "/_casebook/events"
	scriptPath = "/_casebook/livereload.js"
	searchPath = "/api/search"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlags("serve", "[--library DIR] [--addr 127.0.0.1:1313] [--open] [--include-restricted]", stderr)
	lib := fl.String("library", "content", "the review library `folder`")
	addr := fl.String("addr", "127.0.0.1:1313", "the `host:port` to listen on; port 0 picks a free one")
	open := fl.Bool("open", false, "open the site in a browser")
	restricted := fl.Bool("include-restricted", false, "include reviews with visibility: restricted")
	if err := parseFlags(fl, args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return usagef("unexpected argument %q", fl.Arg(0))
	}
	var err error
	var cleanup func()
	if *lib, cleanup, err = resolveLibrary(fl, *lib, stderr); err != nil {
		return err
	}
	defer cleanup()
	return serve(ctx, serveConfig{library: *lib, addr: *addr, open: *open, restricted: *restricted, debounce: 50 * time.Millisecond}, stdout, stderr)
}

type serveConfig struct {
	library, addr    string
	open, restricted bool
	debounce         time.Duration
}

// server is one run of casebook serve.
type server struct {
	lib     string // absolute library folder
	libFS   fs.FS
	opts    site.Options
	nowSet  bool // SOURCE_DATE_EPOCH fixes "now"
	baseURL string
	// loopback: the server listens on the loopback interface only, and so
	// answers only requests addressed to a loopback name (see ServeHTTP).
	loopback  bool
	shownBase string // the base path last printed

	cur   atomic.Pointer[generation]
	ready chan struct{} // closed once the first load is done
	hub   *hub

	ix       atomic.Pointer[index.Index]
	ixNext   chan struct{} // capacity 1: "a newer site wants indexing"
	ixSite   atomic.Pointer[site.Site]
	ixHandle http.Handler

	logMu          sync.Mutex
	stdout, stderr io.Writer

	// trace, when set (benchmarks), is told how long each rebuild's
	// steps took, and indexed how long each search index update took.
	trace   func(rebuildTrace)
	indexed func(time.Duration)
}

// rebuildTrace times one reaction to a batch of file events.
type rebuildTrace struct {
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

// serveHook, when set by tests and benchmarks, receives the server once it
// is listening.
var serveHook func(*server)

func serve(ctx context.Context, c serveConfig, stdout, stderr io.Writer) error {
	libAbs, err := filepath.Abs(c.library)
	if err != nil {
		return err
	}
	if st, err := os.Stat(libAbs); err != nil || !st.IsDir() {
		return usagef("library %s is not a folder", c.library)
	}
	opts, err := libraryOptions(libAbs)
	if err != nil {
		return err
	}
	opts.Drafts, opts.IncludeRestricted = true, c.restricted
	opts.Cache = site.NewCache()

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return fmt.Errorf("casebook serve: %w", err)
	}
	s := &server{
		lib: libAbs, libFS: os.DirFS(libAbs), opts: opts, nowSet: os.Getenv("SOURCE_DATE_EPOCH") != "",
		ready: make(chan struct{}), hub: newHub(), ixNext: make(chan struct{}, 1),
		stdout: stdout, stderr: stderr,
	}
	s.ixHandle = index.NewHandler(s.ix.Load)
	s.baseURL = serveURL(ln.Addr().(*net.TCPAddr), c.addr)
	s.loopback = ln.Addr().(*net.TCPAddr).IP.IsLoopback()

	// Watch before the first load, so that nothing saved while it runs is
	// missed.
	w, err := newWatcher(libAbs, c.debounce, s.errorf)
	if err != nil {
		ln.Close()
		return fmt.Errorf("casebook serve: cannot watch %s: %w", c.library, err)
	}

	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	srv.RegisterOnShutdown(s.hub.close)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	s.logf("Serving on %s\n", s.baseURL)
	if host, _, _ := net.SplitHostPort(c.addr); isUnspecified(host) {
		s.errorf("casebook serve: listening on every network interface; anyone who can reach this machine can read the library (drafts included)\n")
	}
	if serveHook != nil {
		serveHook(s)
	}
	if c.open {
		openBrowser(s.baseURL)
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
		return fmt.Errorf("casebook serve: %w", serveErr)
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

// openBrowser opens url with the desktop's browser; failures are ignored
// (a headless machine has none).
func openBrowser(url string) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err == nil {
		go cmd.Wait()
	}
}

func (s *server) logf(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.stdout, format, args...)
}

func (s *server) errorf(format string, args ...any) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	fmt.Fprintf(s.stderr, format, args...)
}

// loop loads the library, then reacts to each batch of changes until ctx
// ends. It is the only writer of s.cur.
func (s *server) loop(ctx context.Context, w *watcher) {
	start := time.Now()
	g := s.load(nil)
	s.cur.Store(g)
	close(s.ready)
	s.report(g, nil, 0, time.Since(start))
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.ready:
		}
		batch := w.take()
		if len(batch) == 0 {
			continue
		}
		s.react(batch)
	}
}

// react handles one batch of changes.
//
// Files that pages only refer to (stylesheets, images) are served fresh
// from disk already: browsers are told, nothing is reloaded. Anything else
// reloads the library. Before that, edits to published reviews take a fast
// path: site.PatchReview makes each review's page as the full reload will,
// its page is rendered and its tabs told at once, and the full reload
// follows (tabs whose page it changes reload again; the edited review's
// own page normally comes out the same).
func (s *server) react(batch []change) {
	tr := rebuildTrace{FirstSeen: batch[0].at}
	for _, c := range batch {
		tr.Paths = append(tr.Paths, c.rel)
	}
	old := s.cur.Load()
	kind := classify(batch, old)
	if kind == assetsOnly || kind == cssOnly {
		ev := event{name: "reload"}
		if kind == cssOnly {
			ev = cssEvent(batch)
		}
		tr.Reloaded = s.hub.broadcast(ev)
		tr.Notified = time.Now()
		tr.FullNotified = tr.Notified
		s.logf("casebook: %s changed: %s\n", describe(batch), map[bool]string{true: "swapping stylesheets", false: "reloading"}[kind == cssOnly])
		s.traceDone(tr)
		return
	}
	var fast time.Duration
	if kind == pagesOnly {
		t := time.Now()
		if g := s.patch(old, batch); g != nil {
			tr.Patch = time.Since(t)
			s.cur.Store(g)
			tr.Fast = true
			tr.Reloaded, tr.Prerender = s.hub.notify(g)
			tr.Notified = time.Now()
			fast = tr.Notified.Sub(tr.FirstSeen)
			old = g
		}
	}

	start := time.Now()
	g := s.load(old)
	tr.Load, tr.Renderer = g.loadTime, g.rendererTime
	s.cur.Store(g)
	n := 0
	var render time.Duration
	switch {
	case kind == cssNew && g.problem == nil && old.problem == nil:
		n = s.hub.broadcast(cssEvent(batch))
	case kind == pagesOnly:
		n, render = s.hub.notify(g)
	default:
		n = s.hub.broadcast(event{name: "reload"})
	}
	tr.FullNotified = time.Now()
	if !tr.Fast {
		tr.Notified, tr.Reloaded, tr.Prerender = tr.FullNotified, n, render
	} else {
		tr.Rereloaded = n
	}
	if old.problem != nil && g.problem == nil {
		s.logf("casebook: the library's problems are fixed\n")
	}
	s.report(g, batch, fast, time.Since(start))
	s.traceDone(tr)
}

// patch is the fast path of react: a generation in which the edited
// reviews are patched into the current site, or nil when the batch is
// not only edits that site.PatchReview takes.
func (s *server) patch(old *generation, batch []change) *generation {
	if old.problem != nil || old.good == nil {
		return nil
	}
	seen := map[string]bool{}
	var reviews []*site.Review
	for _, c := range batch {
		if seen[c.rel] {
			continue
		}
		seen[c.rel] = true
		lower := strings.ToLower(c.rel)
		if c.dir || c.removed || !(strings.HasSuffix(lower, ".md") || strings.HasSuffix(lower, ".markdown")) {
			return nil
		}
		r, ok := old.good.site.PatchReview(s.libFS, c.rel)
		if !ok {
			return nil
		}
		reviews = append(reviews, r)
	}
	return &generation{n: old.n + 1, lib: old.lib, theme: old.theme, good: old.good.patched(reviews)}
}

func (s *server) traceDone(tr rebuildTrace) {
	if s.trace != nil {
		s.trace(tr)
	}
}

// load reads the library into a new generation. When it fails, the
// generation keeps the last good site of prev.
func (s *server) load(prev *generation) *generation {
	g := &generation{n: 1, lib: s.libFS}
	if prev != nil {
		g.n = prev.n + 1
	}
	opts := s.opts
	if !s.nowSet {
		opts.Now = time.Now()
	}
	th := theme(s.lib)
	g.theme = th
	start := time.Now()
	st, err := site.Load(s.libFS, opts)
	g.loadTime = time.Since(start)
	var r *render.Renderer
	if err == nil {
		// Absolute URLs (feeds, canonical links) point at this server,
		// under the library's own base path.
		st.Config.BaseURL = strings.TrimSuffix(s.baseURL, "/") + st.Config.BasePath()
		start = time.Now()
		r, err = render.New(st, th)
		g.rendererTime = time.Since(start)
		if err != nil {
			g.problem = newProblem(err, themeSource{lib: s.libFS, theme: th})
		}
	} else {
		g.problem = newProblem(err, libSource{s.libFS})
	}
	if g.problem == nil {
		g.good = newGoodSite(st, r, themeSource{lib: s.libFS, theme: th})
		s.ixSite.Store(st)
		select {
		case s.ixNext <- struct{}{}:
		default:
		}
	} else if prev != nil {
		g.good = prev.good
	}
	return g
}

// report prints what a (re)load found; fast is how long the edited page
// took to show when it was patched in first.
func (s *server) report(g *generation, batch []change, fast, took time.Duration) {
	what := "loaded"
	if batch != nil {
		what = describe(batch) + " changed: rebuilt"
		if fast > 0 {
			what = fmt.Sprintf("%s changed: shown in %s, rebuilt", describe(batch), fast.Round(time.Millisecond))
		}
	}
	if g.problem != nil {
		kept := ""
		if g.good != nil {
			kept = "; the last good site is still in memory"
		}
		s.errorf("casebook: %s with %s%s; pages show them until they are fixed:\n%s", what,
			plural(len(g.problem.errs), "problem", "problems"), kept, indent(g.problem.text()))
		return
	}
	st := g.good.site
	drafts := 0
	for _, r := range st.Reviews {
		if r.Draft() {
			drafts++
		}
	}
	extra := ""
	if drafts > 0 {
		extra = fmt.Sprintf(" (%s)", plural(drafts, "draft", "drafts"))
	}
	s.logf("casebook: %s %s%s in %s\n", what, plural(len(st.Reviews), "review", "reviews"), extra, took.Round(time.Millisecond))
	if base := g.good.base; base != s.shownBase {
		s.shownBase = base
		if base != "/" {
			s.logf("casebook: the site is at %s (its baseURL's path)\n", strings.TrimSuffix(s.baseURL, "/")+base)
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("  ")
		b.WriteString(l)
		b.WriteString("\n")
	}
	return b.String()
}

// describe names a batch's files for the log: one name, or the first and
// a count.
func describe(batch []change) string {
	seen := map[string]bool{}
	var names []string
	for _, c := range batch {
		if !seen[c.rel] {
			seen[c.rel] = true
			names = append(names, c.rel)
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return fmt.Sprintf("%s and %d more", names[0], len(names)-1)
}

// indexLoop keeps the search index in step with the latest good site:
// built once, then synced; searches keep being answered meanwhile.
func (s *server) indexLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.ixNext:
		}
		st := s.ixSite.Load()
		if st == nil {
			continue
		}
		start := time.Now()
		if ix := s.ix.Load(); ix != nil {
			if err := ix.Sync(st); err != nil {
				s.errorf("casebook: search index: %v\n", err)
			}
			if s.indexed != nil {
				s.indexed(time.Since(start))
			}
			continue
		}
		ix, err := index.Build(st)
		if err != nil {
			s.errorf("casebook: search index: %v\n", err)
			continue
		}
		if ctx.Err() != nil {
			ix.Close()
			return
		}
		s.ix.Store(ix)
		if len(st.Reviews) > 500 {
			s.logf("casebook: search index ready in %s\n", time.Since(start).Round(time.Millisecond))
		}
		if s.ixSite.Load() != st {
			// The library changed while the index was built.
			select {
			case s.ixNext <- struct{}{}:
			default:
			}
		}
	}
}
