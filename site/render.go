package site

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/casebook/casebook/internal/parallel"
)

// Output receives the files of a rendered site. Names are slash-separated
// paths relative to the site root, such as "reviews/db-failover/index.html".
// WriteFile may be called from several goroutines at once, and data is
// valid only during the call (Render reuses its page buffers): an Output
// that keeps it must copy it.
type Output interface {
	WriteFile(name string, data []byte) error
}

// Page is what a theme template is executed with.
type Page struct {
	Site     *Site
	Kind     string // home, reviews, review, taxonomy, term, paths, path, people, person, expertise, follow-ups, insights, search, 404
	URL      string // root-relative, e.g. /reviews/db-failover/
	Title    string
	Review   *Review
	Taxonomy *Taxonomy
	Term     *Term
	Path     *Path
	Person   *Person
}

// Renderer executes a theme against a site.
type Renderer struct {
	site     *Site
	theme    fs.FS
	tmpls    map[string]*template.Template
	basePath string
	pages    []*Page
	byURL    map[string]*Page
	// shared holds base.html and the partials, for partialCached, and
	// caches their output by partial name (fixed once the theme is parsed,
	// so the map is only read).
	shared *template.Template
	caches map[string]*partialCache
}

// partialCache holds one partial's output by data pointer or by variants.
// Keys are as small as they can be: a large site looks them up hundreds
// of thousands of times.
type partialCache struct {
	byData     htmlCache // pointer → HTML
	byVariants htmlCache // [maxVariants]any → HTML
}

// htmlCache is a map guarded for the renderers. A sync.Map took twice the
// memory per entry, and a large site caches a hundred thousand fragments
// for the whole render: the heap the GC works against.
type htmlCache struct {
	mu sync.RWMutex
	m  map[any]template.HTML
}

func (c *htmlCache) load(key any) (template.HTML, bool) {
	c.mu.RLock()
	h, ok := c.m[key]
	c.mu.RUnlock()
	return h, ok
}

func (c *htmlCache) store(key any, h template.HTML) {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[any]template.HTML{}
	}
	c.m[key] = h
	c.mu.Unlock()
}

// maxVariants bounds partialCached's variant keys, so that a key stays a
// comparable value.
const maxVariants = 3

// templateKinds are the page templates a theme provides, one per kind.
var templateKinds = []string{"home", "reviews", "review", "taxonomy", "term", "paths", "path", "people", "person", "expertise", "follow-ups", "insights", "search", "404"}

// NewRenderer parses a theme's templates. The theme holds templates/ with
// base.html (the layout, defining "base"), any partials in
// templates/partials/, and one <kind>.html per page kind; and static/,
// copied to the site root.
func NewRenderer(s *Site, theme fs.FS) (*Renderer, error) {
	r := &Renderer{site: s, theme: theme, tmpls: map[string]*template.Template{}, basePath: s.Config.BasePath(), byURL: map[string]*Page{}}
	var e errs
	base := template.New("").Funcs(r.funcs())
	var shared []string
	if _, err := fs.Stat(theme, "templates/base.html"); err == nil {
		shared = append(shared, "templates/base.html")
	}
	partials, _ := fs.Glob(theme, "templates/partials/*.html")
	shared = append(shared, partials...)
	for _, f := range shared {
		if err := parseTemplateFile(base, theme, f); err != nil {
			addTemplateError(&e, f, err)
		}
	}
	if sh, err := base.Clone(); err == nil {
		r.shared = sh
		r.caches = map[string]*partialCache{}
		for _, t := range sh.Templates() {
			r.caches[t.Name()] = &partialCache{}
		}
	}
	for _, kind := range templateKinds {
		f := "templates/" + kind + ".html"
		if _, err := fs.Stat(theme, f); err != nil {
			e.Add(f, 0, 0, "the theme has no template for %s pages", kind)
			continue
		}
		t, err := base.Clone()
		if err == nil {
			err = parseTemplateFile(t, theme, f)
		}
		if err != nil {
			addTemplateError(&e, f, err)
			continue
		}
		r.tmpls[kind] = t
	}
	if err := e.List.Err(); err != nil {
		return nil, err
	}
	r.pages = r.makePages()
	for _, p := range r.pages {
		r.byURL[p.URL] = p
	}
	return r, nil
}

// ParseTheme reports a theme's template errors without a site, so that a
// library's problems and its theme's can be reported together even when
// the library does not load.
func ParseTheme(theme fs.FS) error {
	_, err := NewRenderer(&Site{Config: parseConfig(nil, &errs{})}, theme)
	return err
}

func parseTemplateFile(t *template.Template, theme fs.FS, name string) error {
	b, err := fs.ReadFile(theme, name)
	if err != nil {
		return err
	}
	_, err = t.New(name).Parse(string(b))
	return err
}

var tmplErrRe = regexp.MustCompile(`^template: ([^:]+):(\d+)(?::(\d+))?: (.*)$`)

// templateError reads text/template's "template: FILE:LINE:COL: MSG" as an
// Error at that place; file is where it is when the message names none.
func templateError(file string, err error) *Error {
	msg := err.Error()
	if m := tmplErrRe.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		return &Error{Path: m[1], Line: line, Col: col, Msg: m[4]}
	}
	return &Error{Path: file, Msg: strings.TrimPrefix(msg, "template: ")}
}

func addTemplateError(e *errs, file string, err error) {
	te := templateError(file, err)
	te.Path = file // parse errors name the file being parsed
	e.List = append(e.List, te)
}

func (r *Renderer) makePages() []*Page {
	s := r.site
	pages := []*Page{
		{Kind: "home", URL: "/", Title: s.Config.Title},
		{Kind: "reviews", URL: "/reviews/", Title: "All reviews"},
		{Kind: "paths", URL: "/paths/", Title: "Training paths"},
		{Kind: "people", URL: "/people/", Title: "People"},
		{Kind: "expertise", URL: "/expertise/", Title: "Expertise map"},
		{Kind: "follow-ups", URL: "/follow-ups/", Title: "Follow-ups"},
		{Kind: "insights", URL: "/insights/", Title: "Insights"},
		{Kind: "search", URL: "/search/", Title: "Search"},
		{Kind: "404", URL: "/404.html", Title: "Page not found"},
	}
	for _, rv := range s.Reviews {
		pages = append(pages, &Page{Kind: "review", URL: rv.URL(), Title: rv.Title, Review: rv})
	}
	for _, t := range s.Taxonomies {
		pages = append(pages, &Page{Kind: "taxonomy", URL: t.URL(), Title: t.Title, Taxonomy: t})
		for _, term := range t.Terms {
			pages = append(pages, &Page{Kind: "term", URL: term.URL(), Title: term.Title, Taxonomy: t, Term: term})
		}
	}
	for _, p := range s.Paths {
		pages = append(pages, &Page{Kind: "path", URL: p.URL(), Title: p.Title, Path: p})
	}
	for _, p := range s.People {
		pages = append(pages, &Page{Kind: "person", URL: p.URL(), Title: p.Name, Person: p})
	}
	for _, p := range pages {
		p.Site = s
	}
	return pages
}

// Pages lists every HTML page of the site.
func (r *Renderer) Pages() []*Page { return r.pages }

// Page finds the page at a root-relative URL ("/reviews/x/"), or nil.
func (r *Renderer) Page(u string) *Page { return r.byURL[u] }

// RenderPage executes one page's template.
func (r *Renderer) RenderPage(p *Page) ([]byte, error) {
	var b bytes.Buffer
	if err := r.renderPage(&b, p); err != nil {
		return nil, fmt.Errorf("%s: %w", p.URL, err)
	}
	return b.Bytes(), nil
}

func (r *Renderer) renderPage(b *bytes.Buffer, p *Page) error {
	t := r.tmpls[p.Kind]
	name := "templates/" + p.Kind + ".html"
	if t.Lookup("base") != nil {
		name = "base"
	}
	return t.ExecuteTemplate(b, name, p)
}

// OutputName is the file a page URL is written to.
func OutputName(u string) string {
	u = strings.TrimPrefix(u, "/")
	if u == "" || strings.HasSuffix(u, "/") {
		return u + "index.html"
	}
	return u
}

// Render writes the whole site to out: pages (in parallel), the feed and
// sitemap, generated CSS, theme static files, the library's static/ files
// and review bundles' resources.
//
// Its error is an ErrorList. A template mistake usually breaks every page
// of a kind, so each is reported once, at its place in the template, with
// how many pages it broke.
func (r *Renderer) Render(out Output) error {
	var mu sync.Mutex
	var errsOut ErrorList
	fail := func(err error) {
		mu.Lock()
		errsOut = append(errsOut, &Error{Msg: err.Error()})
		mu.Unlock()
	}
	type broken struct {
		n     int
		first string // the first page URL in byte order, so output is stable
	}
	brokenBy := map[string]*broken{} // by template error
	failPage := func(p *Page, err error) {
		mu.Lock()
		defer mu.Unlock()
		b := brokenBy[err.Error()]
		if b == nil {
			b = &broken{first: p.URL}
			brokenBy[err.Error()] = b
		}
		b.n++
		b.first = min(b.first, p.URL)
	}
	// Pages render on every CPU into reused buffers (a large site's pages
	// would otherwise be most of the garbage a build makes), and are
	// written by separate goroutines, so that rendering does not wait
	// while the file system is slow to create files.
	type written struct {
		name string
		buf  *bytes.Buffer
	}
	writes := make(chan written, 64)
	var writers sync.WaitGroup
	for range 4 {
		writers.Go(func() {
			for w := range writes {
				if err := out.WriteFile(w.name, w.buf.Bytes()); err != nil {
					fail(err)
				}
				putBuf(w.buf)
			}
		})
	}
	parallel.For(len(r.pages), func(i int) {
		p := r.pages[i]
		b := getBuf()
		if err := r.renderPage(b, p); err != nil {
			failPage(p, err)
			putBuf(b)
			return
		}
		writes <- written{OutputName(p.URL), b}
	})
	close(writes)
	writers.Wait()
	for name, data := range r.Generated() {
		if err := out.WriteFile(name, data); err != nil {
			fail(err)
		}
	}
	if err := r.CopyStatic(out); err != nil {
		fail(err)
	}
	for msg, b := range brokenBy {
		e := templateError("templates/", errors.New(msg))
		if b.n == 1 {
			e.Msg += " (on " + b.first + ")"
		} else {
			e.Msg += fmt.Sprintf(" (on %d pages, such as %s)", b.n, b.first)
		}
		errsOut = append(errsOut, e)
	}
	return errsOut.Err()
}

// Generated returns files made from the model rather than a template.
func (r *Renderer) Generated() map[string][]byte {
	return map[string][]byte{
		"index.xml":      r.feed(),
		"sitemap.xml":    r.sitemap(),
		"css/chroma.css": ChromaCSS(),
	}
}

// StaticFiles maps output names to a reader of their bytes: the theme's
// static files, overridden by the library's, plus review bundle files.
func (r *Renderer) StaticFiles() map[string]func() ([]byte, error) {
	files := map[string]func() ([]byte, error){}
	_ = fs.WalkDir(r.theme, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files[strings.TrimPrefix(p, "static/")] = func() ([]byte, error) { return fs.ReadFile(r.theme, p) }
		}
		return nil
	})
	for name, src := range r.site.Static {
		files[name] = func() ([]byte, error) { return fs.ReadFile(r.site.Source, src) }
	}
	return files
}

// CopyStatic writes StaticFiles to out.
func (r *Renderer) CopyStatic(out Output) error {
	files := r.StaticFiles()
	var all []error
	for _, name := range sortedKeys(files) {
		b, err := files[name]()
		if err == nil {
			err = out.WriteFile(name, b)
		}
		if err != nil {
			all = append(all, fmt.Errorf("%s: %w", name, err))
		}
	}
	return errors.Join(all...)
}

// AbsURL makes a site URL ("/reviews/x/") absolute with the library's
// baseURL, path included.
func (s *Site) AbsURL(u string) string {
	return strings.TrimSuffix(s.Config.BaseURL, "/") + u
}

func (r *Renderer) rel(u string) string {
	if strings.HasPrefix(u, "/") && r.basePath != "/" {
		return strings.TrimSuffix(r.basePath, "/") + u
	}
	return u
}

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"rel": r.rel,
		"abs": func(u string) string { return r.site.AbsURL(u) },
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format("2 Jan 2006")
		},
		"isodate": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format("2006-01-02")
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format("2 Jan 2006 15:04 MST")
		},
		"rfc3339":  func(t time.Time) string { return t.Format(time.RFC3339) },
		"timeTag":  timeTag,
		"dur":      HumanDuration,
		"lower":    strings.ToLower,
		"join":     strings.Join,
		"slugify":  Slugify,
		"add":      func(a, b int) int { return a + b },
		"sub":      func(a, b int) int { return a - b },
		"percent":  func(a, b int) int { return pct(a, b) },
		"contains": strings.Contains,
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return fmt.Sprintf("%d %s", n, one)
			}
			return fmt.Sprintf("%d %s", n, many)
		},
		"json": func(v any) (template.JS, error) {
			b, err := json.Marshal(v)
			return template.JS(b), err
		},
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, errors.New("dict: odd number of arguments")
			}
			m := map[string]any{}
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, errors.New("dict: keys must be strings")
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"first": func(n int, v any) any {
			switch l := v.(type) {
			case []*Review:
				return l[:min(n, len(l))]
			case []*Term:
				return l[:min(n, len(l))]
			case []TermCount:
				return l[:min(n, len(l))]
			case []PersonCount:
				return l[:min(n, len(l))]
			case []*FollowUp:
				return l[:min(n, len(l))]
			case []PersonReview:
				return l[:min(n, len(l))]
			}
			return v
		},
		"sevrank":           func(s string) int { return r.site.Config.SeverityRank(s) },
		"partial":           r.partial,
		"partialCached":     r.partialCached,
		"partialCachedEach": r.partialCachedEach,
		"now":               func() time.Time { return r.site.Now },
		"termIDs": func(rv *Review) string {
			var ids []string
			for _, tl := range rv.Terms {
				for _, t := range tl.Terms {
					ids = append(ids, tl.Taxonomy.Key+":"+t.ID)
				}
			}
			slices.Sort(ids)
			return strings.Join(ids, " ")
		},
	}
}

// timeTag is a <time> element for t: its RFC 3339 form for machines, its
// full date and time as a tooltip, and shown as the time of day alone when
// it falls on the day of ref (as a review's start falls on the day of its
// date). It is one call where the same markup in a template was a dozen
// evaluations, a seventh of a review page's time for three times.
func timeTag(t, ref time.Time) template.HTML {
	if t.IsZero() {
		return ""
	}
	full := t.Format("2 Jan 2006 15:04 MST")
	shown := full
	if !ref.IsZero() && t.Format(time.DateOnly) == ref.Format(time.DateOnly) {
		shown = t.Format("15:04 MST")
	}
	return template.HTML(`<time datetime="` + escapeHTML(t.Format(time.RFC3339)) + `" title="` + escapeHTML(full) + `">` + escapeHTML(shown) + `</time>`)
}

// escapeHTML escapes text and attribute values exactly as html/template
// does, so that markup built in Go matches the template's byte for byte.
var escapeHTML = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;").Replace

func pct(a, b int) int {
	if b == 0 {
		return 0
	}
	return a * 100 / b
}

// partialCached executes a partial once per value and reuses the HTML, as
// Hugo's partialCached does. A review's card is the same on every list it
// appears in, and a large library lists each review on many pages: term
// pages, people, paths. Values that are not pointers are not cached.
//
// With variants, as in Hugo, the variants alone are the key and the data
// only feeds the first execution: the default theme's header is the same on
// all 10,000 review pages of a large library, so it is keyed by page kind.
func (r *Renderer) partialCached(name string, data any, variants ...any) (template.HTML, error) {
	if len(variants) > maxVariants {
		return "", fmt.Errorf("partialCached %q: at most %d variant keys, got %d", name, maxVariants, len(variants))
	}
	pc := r.caches[name] // one for each template in r.shared
	if pc == nil {
		return "", fmt.Errorf("partialCached: no partial %q", name)
	}
	var cache *htmlCache
	var key any
	if len(variants) > 0 {
		var k [maxVariants]any
		for i, v := range variants {
			if v != nil && !reflect.TypeOf(v).Comparable() {
				return "", fmt.Errorf("partialCached %q: variant key %d is a %T, which cannot be a key", name, i+1, v)
			}
			k[i] = v
		}
		cache, key = &pc.byVariants, k
	} else if data != nil && reflect.TypeOf(data).Kind() == reflect.Pointer {
		cache, key = &pc.byData, data
	}
	if cache != nil {
		if h, ok := cache.load(key); ok {
			return h, nil
		}
	}
	h, err := r.partial(name, data)
	if err == nil && cache != nil {
		cache.store(key, h)
	}
	return h, err
}

// partial executes a partial and returns its HTML, as Hugo's partial does,
// so that a page can show one fragment in two places and execute it once.
func (r *Renderer) partial(name string, data any) (template.HTML, error) {
	b := getBuf()
	defer putBuf(b)
	if err := r.shared.ExecuteTemplate(b, name, data); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}

// partialCachedEach is partialCached NAME X for each X of a list, joined.
// Each template call costs microseconds of reflection, and a large
// library's term pages list tens of thousands of reviews between them:
// one call per list instead of one per item is most of their time.
func (r *Renderer) partialCachedEach(name string, list any) (template.HTML, error) {
	v := reflect.ValueOf(list)
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
	case reflect.Invalid:
		return "", nil
	default:
		return "", fmt.Errorf("partialCachedEach %q: %T is not a list", name, list)
	}
	parts := make([]template.HTML, v.Len())
	size := 0
	for i := range parts {
		h, err := r.partialCached(name, v.Index(i).Interface())
		if err != nil {
			return "", err
		}
		parts[i] = h
		size += len(h)
	}
	var b strings.Builder
	b.Grow(size)
	for _, h := range parts {
		b.WriteString(string(h))
	}
	return template.HTML(b.String()), nil
}
