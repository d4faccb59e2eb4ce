// Package host is the server behind casebook serve --production: a
// library served to a network exactly as casebook build would publish it,
// and kept current from its Git checkout.
//
// New builds the site once, in memory, along the build's own path
// (site.Load without drafts, the theme's Render, the client search index,
// and a bleve index for /api/search); a library that does not build is a
// start-up failure carrying its located errors. Each build is one
// generation, swapped in atomically, so every request sees one whole
// site; a rebuild that fails keeps the last good generation and logs its
// errors. Nothing but the rendered files is ever served: no source, no
// draft, no restricted review unless the options include them, and no
// error overlay.
//
// Files are served with strong ETags (304 on If-None-Match), brotli or
// gzip compressed once per file on first request, a year's immutable
// caching for names carrying a content hash and revalidation for the rest.
// The HTTP server has read, write and idle timeouts, a cap on concurrent
// connections, drains in-flight requests when Run's context ends, answers
// /healthz, and writes one access-log line per request. With
// Config.Watch, the library folder is polled and rebuilt in the background
// when it changes and then stays quiet for one interval (a git pull by
// cron), with zero failed requests across the swap.
package host

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/casebook/casebook/index"
	"github.com/casebook/casebook/site"
)

// Config is what a Server serves and how.
type Config struct {
	// Library is the library folder.
	Library string
	// Addr is the host:port to listen on; port 0 picks a free one.
	Addr string
	// Options returns the site options of a build; it is called for each
	// one (Git dates change with a pull). Drafts is always turned off. A
	// zero Now is the time of the build.
	Options func() (site.Options, error)
	// Theme returns the theme a build renders with; nil means
	// library.Theme(Library), as casebook build uses.
	Theme func() fs.FS
	// Watch, when positive, is how often the library is polled for
	// changes.
	Watch time.Duration
	// MaxConns caps concurrent connections (default 1024); further clients
	// wait in the listen queue.
	MaxConns int
	// Timeouts of the HTTP server; zero means the defaults below.
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// ShutdownTimeout bounds the wait for in-flight requests when Run's
	// context ends (default 20 s).
	ShutdownTimeout time.Duration
	// AccessLog receives one line per request; nil logs nothing. Log is
	// told about builds and their problems; nil discards.
	AccessLog, Log io.Writer
	// Built, when set (tests, benchmarks), is told of each build: the
	// number of reviews, or the error.
	Built func(reviews int, err error)
	// CountReaders, when set, is a readers file (slug,count,period) in
	// which the server counts views of review pages: it is read at
	// start, written every ReadersFlush (default a minute) and at
	// shutdown, and every build reads the counts. Only counts are kept.
	CountReaders string
	ReadersFlush time.Duration
}

// Defaults of Config's zero values.
const (
	DefaultMaxConns          = 1024
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 10 * time.Second
	DefaultWriteTimeout      = 30 * time.Second
	DefaultIdleTimeout       = 60 * time.Second
	DefaultShutdownTimeout   = 20 * time.Second
)

// Server is one run of the production server: made by New, run once by
// Run.
type Server struct {
	c     Config
	ln    net.Listener
	srv   *http.Server
	h     http.Handler
	gen   atomic.Pointer[generation]
	build sync.Mutex   // one build at a time (site.Cache wants it)
	built [32]byte     // the library's fingerprint at the latest build (under build)
	ix    *index.Index // synced with each build (under build)
	ixEnd sync.Once
	cache *site.Cache
	log   *lineWriter
	reads *readers // nil unless Config.CountReaders
}

// New builds the library and listens. A library that does not build is an
// error (a site.ErrorList for the library's problems); nothing listens
// then.
func New(c Config) (*Server, error) {
	if c.MaxConns <= 0 {
		c.MaxConns = DefaultMaxConns
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.ReadHeaderTimeout, DefaultReadHeaderTimeout)
	def(&c.ReadTimeout, DefaultReadTimeout)
	def(&c.WriteTimeout, DefaultWriteTimeout)
	def(&c.IdleTimeout, DefaultIdleTimeout)
	def(&c.ShutdownTimeout, DefaultShutdownTimeout)
	if c.Log == nil {
		c.Log = io.Discard
	}
	def(&c.ReadersFlush, DefaultReadersFlush)
	s := &Server{c: c, cache: site.NewCache(), log: &lineWriter{w: c.AccessLog}}
	if c.CountReaders != "" {
		var err error
		if s.reads, err = loadReaders(c.CountReaders, time.Now); err != nil {
			return nil, err
		}
	}
	if err := s.Rebuild(context.Background()); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		s.closeIndex()
		return nil, err
	}
	s.ln = limitListener(ln, c.MaxConns)
	s.h = s.routes()
	s.srv = &http.Server{
		Handler:           s.h,
		ReadHeaderTimeout: c.ReadHeaderTimeout,
		ReadTimeout:       c.ReadTimeout,
		WriteTimeout:      c.WriteTimeout,
		IdleTimeout:       c.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          nil,
	}
	return s, nil
}

func (s *Server) closeIndex() { s.ixEnd.Do(func() { s.ix.Close() }) }

// URL is the server's address, such as http://127.0.0.1:1313/.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() + "/" }

// Handler serves the current generation: the site, /api/search and
// /healthz, with access logging.
func (s *Server) Handler() http.Handler { return s.h }

// Run serves until ctx ends, then stops accepting connections and waits
// (up to Config.ShutdownTimeout) for the requests in flight to finish.
func (s *Server) Run(ctx context.Context) error {
	fmt.Fprintf(s.c.Log, "casebook: serving %s at %s\n", s.c.Library, s.URL())
	done := make(chan struct{})
	if s.c.Watch > 0 {
		go func() {
			defer close(done)
			s.watch(ctx)
		}()
	} else {
		close(done)
	}
	if s.reads != nil {
		flushed := make(chan struct{})
		go func() {
			defer close(flushed)
			s.flushReaders(ctx)
		}()
		defer func() { <-flushed }()
	}
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.ln) }()
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		fmt.Fprintf(s.c.Log, "casebook: shutting down; finishing the requests in flight\n")
		sctx, cancel := context.WithTimeout(context.Background(), s.c.ShutdownTimeout)
		err = s.srv.Shutdown(sctx)
		cancel()
		if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
			err = e
		}
	}
	<-done
	s.build.Lock() // no build in progress
	s.closeIndex()
	s.build.Unlock()
	if ferr := s.FlushReaders(); ferr != nil {
		fmt.Fprintf(s.c.Log, "casebook: %v\n", ferr)
	}
	return err
}

// Rebuild builds the library again and, if it builds, swaps the new site
// in; otherwise the current one stays and the error is returned (and
// logged).
func (s *Server) Rebuild(ctx context.Context) error {
	s.build.Lock()
	defer s.build.Unlock()
	start := time.Now()
	if s.c.Watch > 0 {
		// Taken before the build reads the files: a change made while
		// it runs differs, so the watcher builds again.
		s.built = fingerprint(s.c.Library)
	}
	g, err := s.buildGeneration(ctx)
	if s.c.Built != nil {
		n := 0
		if g != nil {
			n = g.reviews
		}
		defer s.c.Built(n, err)
	}
	old := s.gen.Load()
	if err != nil {
		if old != nil {
			fmt.Fprintf(s.c.Log, "casebook: the library no longer builds; still serving the site built at %s:\n%s\n", old.built.Format(time.RFC3339), err)
		}
		return err
	}
	g.number = 1
	if old != nil {
		g.number = old.number + 1
	}
	s.gen.Store(g)
	fmt.Fprintf(s.c.Log, "casebook: built %d reviews, %d files in %s\n", g.reviews, len(g.files), time.Since(start).Round(time.Millisecond))
	return nil
}

// current is the generation being served, for tests.
func (s *Server) current() *generation { return s.gen.Load() }

type genKey struct{}

// requestGen is the generation a request holds.
func requestGen(r *http.Request) *generation { return r.Context().Value(genKey{}).(*generation) }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/search", func(w http.ResponseWriter, r *http.Request) {
		g := requestGen(r)
		index.NewHandler(func() *index.Index { return g.index }).ServeHTTP(w, r)
	})
	mux.HandleFunc("/healthz", s.healthz)
	mux.HandleFunc("/", s.serveFile)
	held := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		g := s.gen.Load() // the whole request is answered from one generation
		mux.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), genKey{}, g)))
	})
	return s.logged(held)
}

// healthz answers 200 with the current site's generation (1 for the
// first build, counting the builds swapped in) and build time: the server
// is up and has a site (it never runs without one).
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	g := requestGen(r)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintf(w, "{\"status\":\"ok\",\"generation\":%d,\"built\":%q,\"reviews\":%d}\n", g.number, g.built.UTC().Format(time.RFC3339), g.reviews)
}
