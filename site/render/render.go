package render

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/casebook/casebook/site/internal/highlight"

	"github.com/casebook/casebook/internal/bufpool"
	"github.com/casebook/casebook/internal/parallel"
	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/diag"
)

// Output receives the files of a rendered site. Names are slash-separated
// paths relative to the site root, such as "reviews/db-failover/index.html".
// WriteFile may be called from several goroutines at once, and data is
// valid only during the call (Render reuses its page buffers): an Output
// that keeps it must copy it.
type Output interface {
	WriteFile(name string, data []byte) error
}

// Renderer executes a theme against a site.
type Renderer struct {
	site     *site.Site
	theme    fs.FS
	tmpls    map[Kind]*template.Template
	basePath string
	pages    []*Page
	byURL    map[string]*Page
	// shared holds base.html and the partials, for partialCached, and
	// caches their output by partial name (fixed once the theme is parsed,
	// so the map is only read).
	shared   *template.Template
	caches   map[string]*partialCache
	listData listData
	leave    <-chan struct{} // see LeaveACoreUntil
}

// New parses a theme's templates for a site. The theme holds templates/
// with base.html (the layout, defining "base"), any partials in
// templates/partials/, and one <kind>.html per page kind; and static/,
// copied to the site root. Its error is a diag.ErrorList naming every
// template that does not parse and every kind that has none.
func New(s *site.Site, theme fs.FS) (*Renderer, error) {
	r := &Renderer{site: s, theme: theme, tmpls: map[Kind]*template.Template{}, basePath: s.Config.BasePath(), byURL: map[string]*Page{}}
	var e diag.Collector
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
	for _, kind := range Kinds() {
		f := "templates/" + string(kind) + ".html"
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
	r.pages = makePages(s)
	for _, p := range r.pages {
		r.byURL[p.URL] = p
	}
	return r, nil
}

// ParseTheme reports a theme's template errors without a site, so that a
// library's problems and its theme's can be reported together even when
// the library does not load.
func ParseTheme(theme fs.FS) error {
	_, err := New(&site.Site{Config: &site.Config{}}, theme)
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
func templateError(file string, err error) *diag.Error {
	msg := err.Error()
	if m := tmplErrRe.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[2])
		col, _ := strconv.Atoi(m[3])
		return &diag.Error{Path: m[1], Line: line, Col: col, Msg: m[4]}
	}
	return &diag.Error{Path: file, Msg: strings.TrimPrefix(msg, "template: ")}
}

func addTemplateError(e *diag.Collector, file string, err error) {
	te := templateError(file, err)
	te.Path = file // parse errors name the file being parsed
	e.List = append(e.List, te)
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
	name := "templates/" + string(p.Kind) + ".html"
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

// LeaveACoreUntil makes Render write pages on one CPU fewer than there
// are until done is closed, for work running beside it that has a
// serial step: a build's search index (see parallel.ForContextLeavingACore).
// A nil done, the default, leaves none.
func (r *Renderer) LeaveACoreUntil(done <-chan struct{}) { r.leave = done }

// Render writes the whole site to out, or stops handing out pages and
// returns ctx's error once ctx is done: pages (in parallel), the feed and
// sitemap, generated CSS, theme static files, the library's static/ files
// and review bundles' resources.
//
// Its error is a diag.ErrorList. A template mistake usually breaks every page
// of a kind, so each is reported once, at its place in the template, with
// how many pages it broke.
func (r *Renderer) Render(ctx context.Context, out Output) error {
	var mu sync.Mutex
	var errsOut diag.ErrorList
	fail := func(err error) {
		mu.Lock()
		errsOut = append(errsOut, &diag.Error{Msg: err.Error()})
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
	var wf firstWrite
	for range 4 {
		writers.Go(func() {
			for w := range writes {
				wf.write(out, w.name, w.buf.Bytes())
				bufpool.Put(w.buf)
			}
		})
	}
	cancelled := parallel.ForContextLeavingACore(ctx, len(r.pages), r.leave, func(i int) {
		p := r.pages[i]
		if wf.failed() {
			return // the output is broken: rendering the rest is no use
		}
		b := bufpool.Get()
		if err := r.renderPage(b, p); err != nil {
			failPage(p, err)
			bufpool.Put(b)
			return
		}
		writes <- written{OutputName(p.URL), b}
	})
	close(writes)
	writers.Wait()
	if cancelled != nil {
		return cancelled
	}
	if wf.err != nil {
		return wf.err
	}
	generated := r.Generated()
	for _, name := range slices.Sorted(maps.Keys(generated)) {
		wf.write(out, name, generated[name])
	}
	if wf.err != nil {
		return wf.err
	}
	if err := r.CopyStatic(out); err != nil {
		var oe *OutputError
		if errors.As(err, &oe) {
			return oe
		}
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
	files := map[string][]byte{
		"index.xml":      r.feed(),
		"feed.json":      r.jsonFeed(),
		"css/chroma.css": highlight.CSS(),
		DepthFile:        r.depthJSON(),
	}
	r.sitemaps(files)
	for _, p := range r.site.People {
		if p.Strain != nil {
			files[StrainFile(p)] = strainJSON(p.Strain)
		}
	}
	lists := r.lists()
	files[ReviewsDataFile] = lists.reviews
	files[FollowUpsDataFile] = lists.followUps
	r.aliases(files)
	return files
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
	for _, name := range slices.Sorted(maps.Keys(files)) {
		b, err := files[name]()
		if err != nil {
			all = append(all, fmt.Errorf("%s: %w", name, err))
			continue
		}
		if err := out.WriteFile(name, b); err != nil {
			return outputError(name, err) // the output is broken: one error says so
		}
	}
	return errors.Join(all...)
}
