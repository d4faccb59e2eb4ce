package preview

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// event is one Server-Sent Event.
type event struct {
	name string
	data string
}

func (e event) format() string {
	data := e.data
	if data == "" {
		data = "{}"
	}
	return "event: " + e.name + "\ndata: " + data + "\n\n"
}

// cssEvent asks browsers to fetch their stylesheets again.
func cssEvent(batch []change) event {
	var paths []string
	for _, c := range batch {
		paths = append(paths, c.rel)
	}
	b, _ := json.Marshal(map[string][]string{"changed": paths})
	return event{name: "css", data: string(b)}
}

// hub tracks the browser tabs listening for changes.
type hub struct {
	mu      sync.Mutex
	clients map[*client]bool
	closed  bool
}

// client is one open tab: the page it shows and the version of that page
// it holds.
type client struct {
	path     string // path and query, as the tab's location
	version  string
	ch       chan event
	lastGood bool
}

func newHub() *hub { return &hub{clients: map[*client]bool{}} }

// join registers a tab. When the page changed between the tab loading it
// and connecting, the tab is told to reload straight away.
func (h *hub) join(g *generation, loc, version string) (*client, bool) {
	c := &client{version: version, ch: make(chan event, 8)}
	u, err := url.Parse(loc)
	if err != nil || !strings.HasPrefix(u.Path, "/") {
		u = &url.URL{Path: "/"}
	}
	c.path = cleanPath(u.Path)
	c.lastGood = u.Query().Get("casebook") == "last-good"
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, false
	}
	if res := g.resolve(c.path, c.lastGood); version != "" && res.html && res.version != version {
		c.ch <- event{name: "reload"}
	}
	h.clients[c] = true
	return c, true
}

func (h *hub) leave(c *client) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
}

// close ends every stream (the server is shutting down).
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.clients {
		close(c.ch)
		delete(h.clients, c)
	}
}

func (h *hub) send(c *client, e event) {
	select {
	case c.ch <- e:
	default:
		// The tab has events it has not read: it is reloading anyway.
	}
}

// broadcast sends an event to every tab and returns how many there were.
func (h *hub) broadcast(e event) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		h.send(c, e)
	}
	return len(h.clients)
}

// notify tells each tab whose page changed in g to reload. The page a
// tab shows is rendered first (into g's cache), so the reload finds it
// ready; the tabs of a page are told as soon as it is rendered, so a tab
// on a small page does not wait for one on a long list. It returns the
// tabs told and the time until the last was.
func (h *hub) notify(g *generation) (int, time.Duration) {
	start := time.Now()
	h.mu.Lock()
	seen := map[viewKey]bool{}
	var keys []viewKey
	for c := range h.clients {
		if k := c.key(); !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	h.mu.Unlock()
	var wg sync.WaitGroup
	var told atomic.Int64
	sem := make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))
	for _, k := range keys {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			res := g.resolve(k.path, k.lastGood)
			<-sem
			h.mu.Lock()
			defer h.mu.Unlock()
			for c := range h.clients {
				if c.key() == k && (!res.html || res.version != c.version) {
					c.version = res.version
					h.send(c, event{name: "reload"})
					told.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	return int(told.Load()), time.Since(start)
}

// viewKey is what a tab shows.
type viewKey struct {
	path     string
	lastGood bool
}

func (c *client) key() viewKey { return viewKey{c.path, c.lastGood} }

// events is the Server-Sent Events stream of one tab:
// GET /_casebook/events?path=/reviews/x/&v=VERSION.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	g := s.wait(r)
	if g == nil {
		return
	}
	q := r.URL.Query()
	c, ok := s.hub.join(g, q.Get("path"), q.Get("v"))
	if !ok {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	defer s.hub.leave(c)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	// Reconnect quickly after a restart of the server.
	fmt.Fprint(w, "retry: 1000\n\n")
	if rc.Flush() != nil {
		return
	}
	ping := time.NewTicker(20 * time.Second)
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case e, ok := <-c.ch:
			if !ok {
				return
			}
			if _, err := fmt.Fprint(w, e.format()); err != nil {
				return
			}
		case <-ping.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
		}
		if rc.Flush() != nil {
			return
		}
	}
}
