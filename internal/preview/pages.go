package preview

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"html"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/casebook/casebook/index"
	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
)

// generation is the state of the library after one load.
type generation struct {
	n       int
	lib     fs.FS
	theme   fs.FS
	good    *goodSite // the latest site that loaded; nil if none ever did
	problem *problem  // why this load failed; nil when it did not

	loadTime, rendererTime time.Duration

	overlayOnce sync.Once
	overlay     *response
}

// goodSite is a site that loaded, with the pages rendered from it so far.
// An unsuccessful load shares its predecessor's goodSite, so the last good
// pages stay cached.
type goodSite struct {
	site  *site.Site
	r     *render.Renderer
	theme sourceFS // where template errors point
	base  string   // the site's path on the server ("/" or "/incidents/")
	// patches are reviews edited since the site loaded, by page URL, made
	// by site.PatchReview while the full reload runs (see Server.react).
	patches map[string]*site.Review

	staticOnce    sync.Once
	generatedOnce sync.Once
	generated     map[string][]byte
	static        map[string]func() ([]byte, error)
	sources       map[string]string // library path of a static file → its output name

	mu    sync.Mutex
	pages map[string]*cachedPage

	client *clientIndex // shared with patched copies: it is made from site
}

// clientIndex is the site's search-index.json, made when first asked for:
// search.js fetches it only while /api/search cannot answer.
type clientIndex struct {
	once sync.Once
	body []byte
	err  error
}

type cachedPage struct {
	once sync.Once
	res  *response
}

func newGoodSite(s *site.Site, r *render.Renderer, theme sourceFS) *goodSite {
	return &goodSite{site: s, r: r, theme: theme, base: s.Config.BasePath(), pages: map[string]*cachedPage{}, client: &clientIndex{}}
}

// patched returns a copy of g in which the given reviews replace theirs.
// Pages already rendered from g are kept, except the patched reviews'.
func (g *goodSite) patched(reviews []*site.Review) *goodSite {
	g.staticFiles()
	n := &goodSite{site: g.site, r: g.r, theme: g.theme, base: g.base, patches: map[string]*site.Review{},
		static: g.static, sources: g.sources, pages: map[string]*cachedPage{}, client: g.client}
	n.staticOnce.Do(func() {})
	for u, r := range g.patches {
		n.patches[u] = r
	}
	for _, r := range reviews {
		n.patches[r.URL()] = r
	}
	g.mu.Lock()
	for u, c := range g.pages {
		if n.patches[u] == nil {
			n.pages[u] = c
		}
	}
	g.mu.Unlock()
	return n
}

// generatedFiles makes the renderer's generated files (feed, sitemap,
// stylesheet for code) once, when one is first asked for.
func (g *goodSite) generatedFiles() map[string][]byte {
	g.generatedOnce.Do(func() { g.generated = g.r.Generated() })
	return g.generated
}

// staticFiles lists the static files once (theme, library, bundles), by
// output name, and where each comes from.
func (g *goodSite) staticFiles() {
	g.staticOnce.Do(func() {
		g.static = g.r.StaticFiles()
		g.sources = map[string]string{}
		for out, src := range g.site.Static {
			g.sources[src] = out
		}
		for out := range g.static {
			if _, ok := g.site.Static[out]; !ok {
				g.sources["theme/static/"+out] = out
			}
		}
	})
}

// response is what the server answers for a path.
type response struct {
	status   int
	ctype    string
	body     []byte
	redirect string
	html     bool   // gets the live-reload script
	overlay  bool   // the error overlay
	version  string // of an HTML body, to tell a browser whether its copy is current
	modtime  time.Time
}

// resolve answers a root-relative, unescaped path. lastGood asks for the
// last good site even while the library has problems.
func (g *generation) resolve(p string, lastGood bool) *response {
	// A site whose baseURL has a path is served under it, so that links
	// written into review bodies work as they will when published.
	if g.good != nil && g.good.base != "/" {
		base := g.good.base
		if p == "/" || p+"/" == base {
			return &response{status: http.StatusFound, redirect: base}
		}
		rest, ok := strings.CutPrefix(p, base)
		if !ok {
			return &response{status: http.StatusNotFound, ctype: "text/plain; charset=utf-8",
				body: []byte("404 page not found: this library's site is at " + base + "\n")}
		}
		p = "/" + rest
	}
	if g.problem != nil && !lastGood {
		if g.good != nil {
			// Stylesheets, images and feeds keep working.
			if res := g.good.file(p); res != nil {
				return res
			}
		}
		return g.overlayPage()
	}
	if g.good == nil {
		return g.overlayPage()
	}
	return g.good.resolve(p)
}

func (g *generation) overlayPage() *response {
	g.overlayOnce.Do(func() {
		pr := g.problem
		if pr == nil {
			pr = &problem{}
		}
		g.overlay = htmlResponse(http.StatusInternalServerError, pr.overlay(g.good != nil))
		g.overlay.overlay = true
	})
	return g.overlay
}

func (g *goodSite) resolve(p string) *response {
	if pg := g.r.Page(p); pg != nil {
		return g.page(pg, http.StatusOK)
	}
	if dir, ok := strings.CutSuffix(p, "/index.html"); ok {
		if pg := g.r.Page(dir + "/"); pg != nil {
			return g.page(pg, http.StatusOK)
		}
	}
	if res := g.file(p); res != nil {
		return res
	}
	if !strings.HasSuffix(p, "/") && g.r.Page(p+"/") != nil {
		return &response{status: http.StatusMovedPermanently, redirect: (&url.URL{Path: strings.TrimSuffix(g.base, "/") + p + "/"}).EscapedPath()}
	}
	if pg := g.r.Page("/404.html"); pg != nil {
		return g.page(pg, http.StatusNotFound)
	}
	return &response{status: http.StatusNotFound, ctype: "text/plain; charset=utf-8", body: []byte("404 page not found\n")}
}

// file answers a generated or static file, or returns nil.
func (g *goodSite) file(p string) *response {
	g.staticFiles()
	name := strings.TrimPrefix(p, "/")
	if name == index.ClientIndexFile {
		// Before the library's static files, as in a build, where it is
		// written last.
		return g.clientIndex()
	}
	read, ok := g.static[name]
	if !ok && strings.HasSuffix(name, "/") {
		read, ok = g.static[name+"index.html"]
		if ok {
			name += "index.html"
		}
	}
	if !ok {
		if b, ok := g.generatedFiles()[name]; ok {
			return &response{status: http.StatusOK, ctype: contentType(name), body: b}
		}
		return nil
	}
	b, err := read()
	if err != nil {
		// Deleted since the load; the watcher will catch up.
		return nil
	}
	ct := contentType(name)
	if strings.HasPrefix(ct, "text/html") {
		return htmlResponse(http.StatusOK, b)
	}
	return &response{status: http.StatusOK, ctype: ct, body: b}
}

func (g *goodSite) clientIndex() *response {
	c := g.client
	c.once.Do(func() { c.body, c.err = index.ClientIndex(g.site) })
	if c.err != nil {
		return &response{status: http.StatusInternalServerError, ctype: "text/plain; charset=utf-8",
			body: []byte("search-index.json: " + c.err.Error() + "\n")}
	}
	return &response{status: http.StatusOK, ctype: "application/json", body: c.body}
}

// page renders a page once per site.
func (g *goodSite) page(pg *render.Page, status int) *response {
	g.mu.Lock()
	c := g.pages[pg.URL]
	if c == nil {
		c = &cachedPage{}
		g.pages[pg.URL] = c
	}
	g.mu.Unlock()
	c.once.Do(func() {
		if r := g.patches[pg.URL]; r != nil && pg.Review != nil {
			cp := *pg
			cp.Review, cp.Title = r, r.Title
			pg = &cp
		}
		b, err := g.r.RenderPage(pg)
		if err != nil {
			pr := renderProblem(err, g.theme)
			c.res = htmlResponse(http.StatusInternalServerError, pr.overlay(false))
			c.res.overlay = true
			return
		}
		c.res = htmlResponse(status, b)
	})
	return c.res
}

func htmlResponse(status int, body []byte) *response {
	sum := sha256.Sum256(body)
	return &response{status: status, ctype: "text/html; charset=utf-8", body: body, html: true,
		version: fmt.Sprintf("%d-%s", status, hex.EncodeToString(sum[:8]))}
}

func contentType(name string) string {
	if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// serveHTTP is the whole server: the live-reload endpoints, search, and
// the site.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if s.loopback && !loopbackHost(r.Host) {
		// A web page could otherwise point a name it controls at
		// 127.0.0.1 (DNS rebinding) and read drafts and restricted
		// reviews through the visitor's browser.
		http.Error(w, "casebook serve answers only requests for localhost; listen elsewhere with --addr", http.StatusForbidden)
		return
	}
	switch r.URL.Path {
	case eventsPath:
		s.events(w, r)
		return
	case scriptPath:
		s.script(w, r)
		return
	case searchPath:
		s.ixHandle.ServeHTTP(w, r)
		return
	}
	if strings.HasSuffix(r.URL.Path, searchPath) {
		// search.js asks for <base>api/search, where the base is the
		// path of the library's baseURL.
		g := s.wait(r)
		if g == nil {
			return
		}
		if g.good != nil && r.URL.Path == strings.TrimSuffix(g.good.base, "/")+searchPath {
			s.ixHandle.ServeHTTP(w, r)
			return
		}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	g := s.wait(r)
	if g == nil {
		return
	}
	p := cleanPath(r.URL.Path)
	if p != r.URL.Path {
		http.Redirect(w, r, (&url.URL{Path: p, RawQuery: r.URL.RawQuery}).String(), http.StatusMovedPermanently)
		return
	}
	res := g.resolve(p, r.URL.Query().Get("casebook") == "last-good")
	s.write(w, r, res)
}

// cleanPath is path.Clean keeping a trailing slash.
func cleanPath(p string) string {
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	return c
}

// wait returns the current generation, waiting for the first load; nil
// when the client gave up.
func (s *Server) wait(r *http.Request) *generation {
	select {
	case <-s.ready:
		return s.cur.Load()
	case <-r.Context().Done():
		return nil
	}
}

func (s *Server) write(w http.ResponseWriter, r *http.Request, res *response) {
	h := w.Header()
	if res.redirect != "" {
		http.Redirect(w, r, res.redirect, res.status)
		return
	}
	h.Set("Content-Type", res.ctype)
	h.Set("Cache-Control", "no-cache")
	body := res.body
	if res.html {
		h.Set("Cache-Control", "no-store")
		body = injectScript(body, res.version, res.overlay)
	}
	if res.status == http.StatusOK {
		http.ServeContent(w, r, "", res.modtime, bytes.NewReader(body))
		return
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(res.status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// injectScript adds the live-reload script to an HTML page, before its
// closing body tag (or at the end when it has none). The version tells
// the event stream which copy of the page the browser holds.
func injectScript(body []byte, version string, overlay bool) []byte {
	tag := `<script src="` + scriptPath + `" data-version="` + html.EscapeString(version) + `"`
	if overlay {
		tag += ` data-overlay="1"`
	}
	tag += "></script>\n"
	at := lastIndexFold(body, []byte("</body>"))
	if at < 0 {
		at = lastIndexFold(body, []byte("</html>"))
	}
	if at < 0 {
		at = len(body)
	}
	out := make([]byte, 0, len(body)+len(tag))
	out = append(out, body[:at]...)
	out = append(out, tag...)
	return append(out, body[at:]...)
}

// lastIndexFold is bytes.LastIndex for an ASCII needle, ignoring case.
func lastIndexFold(s, sep []byte) int {
	for i := len(s) - len(sep); i >= 0; i-- {
		if bytes.EqualFold(s[i:i+len(sep)], sep) {
			return i
		}
	}
	return -1
}

// livereloadJS is the live-reload client. It belongs to the preview
// server, not the theme, so a built site never ships it.
//
//go:embed livereload.js
var livereloadJS []byte

// script serves the live-reload client.
func (s *Server) script(w http.ResponseWriter, r *http.Request) {
	b := livereloadJS
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
}
