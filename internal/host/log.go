package host

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

var zeroTime time.Time

// lineWriter writes whole lines to one writer from many goroutines.
type lineWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lineWriter) printf(format string, args ...any) {
	if l.w == nil {
		return
	}
	line := fmt.Sprintf(format, args...)
	l.mu.Lock()
	io.WriteString(l.w, line)
	l.mu.Unlock()
}

// logged writes the access log: one line per request with its time,
// method, path, status, bytes and duration. The query string is left out
// (a search query says what someone looked for, and some put tokens in
// URLs), and so are the client's address and user agent: a reverse proxy
// in front logs those if an operator wants them.
func (s *Server) logged(h http.Handler) http.Handler {
	if s.log.w == nil {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		s.log.printf("%s %s %q %d %d %s\n", start.UTC().Format(time.RFC3339Nano), r.Method, r.URL.Path, rec.status, rec.bytes, time.Since(start).Round(time.Microsecond))
	})
}

type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// limitListener caps the connections open at once at n: Accept waits for
// one to close, and clients queue in the kernel's listen backlog meanwhile.
func limitListener(ln net.Listener, n int) net.Listener {
	return &limited{Listener: ln, sem: make(chan struct{}, n)}
}

type limited struct {
	net.Listener
	sem chan struct{}
}

func (l *limited) Accept() (net.Conn, error) {
	l.sem <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.sem
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.sem }}, nil
}

type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
