package index

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/casebook/casebook/internal/browser"
	"github.com/casebook/casebook/site"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

// memOutput collects a rendered site.
type memOutput struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memOutput) WriteFile(name string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[name] = data
	return nil
}

// serveLibrary renders the test library under /lib/ with the default
// theme and serves it; with api, /lib/api/search answers from an index,
// otherwise it is a 404 as on a plain static host.
func serveLibrary(t *testing.T, api bool) string {
	t.Helper()
	cfg := strings.Replace(mustFile(t, "casebook.yaml"), "baseURL: https://example.com/", "baseURL: https://example.com/lib/", 1)
	s := loadLibrary(t, map[string]*string{"casebook.yaml": &cfg})
	theme, _ := fs.Sub(defaulttheme.FS, ".")
	r, err := site.NewRenderer(s, theme)
	if err != nil {
		t.Fatal(err)
	}
	out := &memOutput{files: map[string][]byte{}}
	if err := r.Render(out); err != nil {
		t.Fatal(err)
	}
	ci, err := ClientIndex(s)
	if err != nil {
		t.Fatal(err)
	}
	out.files[ClientIndexFile] = ci
	var search http.Handler = http.NotFoundHandler()
	if api {
		ix, err := Build(s)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		search = NewHandler(func() *Index { return ix })
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		p, ok := strings.CutPrefix(req.URL.Path, "/lib/")
		if !ok {
			http.NotFound(w, req)
			return
		}
		if p == "api/search" {
			search.ServeHTTP(w, req)
			return
		}
		name := site.OutputName("/" + p)
		b, ok := out.files[name]
		if !ok {
			http.NotFound(w, req)
			return
		}
		switch path.Ext(name) {
		case ".html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		case ".js":
			w.Header().Set("Content-Type", "text/javascript")
		case ".css":
			w.Header().Set("Content-Type", "text/css")
		case ".json":
			w.Header().Set("Content-Type", "application/json")
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/lib"
}

// waitJS polls a JavaScript condition until it holds.
func waitJS(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		// A navigation started by the page can leave one evaluation
		// waiting; bound each attempt.
		actx, cancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := chromedp.Run(actx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %s is still false (%v)", what, js, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func resultTitles(t *testing.T, ctx context.Context) []string {
	return browser.Eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#search-results .search-hit h2 a')).map(a => a.textContent)`)
}

func key(ctx context.Context, k string) error {
	return chromedp.Do(ctx, chromedp.KeyEvent(k))
}

func TestBrowserSearchPage(t *testing.T) {
	base := serveLibrary(t, true)
	ctx := browser.New(t)

	// State comes from the URL; results, highlights and checked facets
	// follow.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/?q=kafka&technologies=msk")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "results", `document.querySelectorAll('#search-results .search-hit').length === 3`)
	if got := resultTitles(t, ctx); !sameSet(got, []string{"Kafka consumer lag delayed shipment tracking", "Kafka client upgrade duplicated events", "Webhook retry storm overwhelmed Redis"}) {
		t.Errorf("results %v", got)
	}
	if !browser.Eval[bool](t, ctx, `document.querySelector('input[name=technologies][value=kafka]').checked`) {
		t.Error("the alias msk in the URL did not check Apache Kafka")
	}
	if !browser.Eval[bool](t, ctx, `document.querySelectorAll('#search-results mark').length > 0`) {
		t.Error("no highlights")
	}
	if s := browser.Eval[string](t, ctx, `document.getElementById('search-status').textContent`); !strings.Contains(s, "3 reviews") {
		t.Errorf("status %q", s)
	}
	// Facet counts are over the result: redis appears once.
	if c := browser.Eval[string](t, ctx, `document.querySelector('li[data-term=redis] .count').textContent`); c != "1" {
		t.Errorf("redis count %q", c)
	}
	if !browser.Eval[bool](t, ctx, `document.querySelector('li[data-term=postgresql]').hidden`) {
		t.Error("a term with no results is shown")
	}
	browser.Screenshot(t, ctx, "search-page")

	// A facet narrows the results and goes into the URL (a history entry).
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name=themes][value=capacity]`))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "one result", `document.querySelectorAll('#search-results .search-hit').length === 1`)
	if u := browser.Eval[string](t, ctx, `location.search`); !strings.Contains(u, "themes=capacity") || !strings.Contains(u, "q=kafka") {
		t.Errorf("URL after a facet click: %s", u)
	}
	if err := chromedp.Do(ctx, chromedp.NavigateBack()); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "back to three results", `document.querySelectorAll('#search-results .search-hit').length === 3 && !document.querySelector('input[name=themes][value=capacity]').checked`)

	// Typing updates results and the URL.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/"), chromedp.SendKeys(chromedp.CSS(`#search-page-input`), "upgrade")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "typed query", `location.search.includes('q=upgrade') && document.querySelectorAll('#search-results .search-hit').length === 1`)

	// Dates filter too.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/?from=2022-01-01&to=2022-12-31")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "date range", `document.querySelectorAll('#search-results .search-hit').length === 2 && document.getElementById('search-from').value === '2022-01-01'`)

	// Paging: 7 reviews, 10 a page, so no pager; with a query of one
	// result neither.
	if !browser.Eval[bool](t, ctx, `document.getElementById('search-pager').hidden`) {
		t.Error("pager shown for one page")
	}

	// A malformed query shows the server's message.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/?q=nosuchfield:x")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "error", `document.getElementById('search-status').classList.contains('error')`)
	if s := browser.Eval[string](t, ctx, `document.getElementById('search-status').textContent`); !strings.Contains(s, `unknown field "nosuchfield"`) {
		t.Errorf("error status %q", s)
	}
	if !browser.Eval[bool](t, ctx, `document.getElementById('search-mode').hidden`) {
		t.Error("the static-host note is shown although the API answered")
	}
}

func TestBrowserHeaderBox(t *testing.T) {
	base := serveLibrary(t, true)
	ctx := browser.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/reviews/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "script", `document.getElementById('site-search-input').getAttribute('role') === 'combobox'`)

	// "/" focuses the box.
	if err := key(ctx, "/"); err != nil {
		t.Fatal(err)
	}
	if id := browser.Eval[string](t, ctx, `document.activeElement.id`); id != "site-search-input" {
		t.Fatalf("after /, focus is on %q", id)
	}
	// A real keyboard's "/" is cancelled with its keydown; CDP sends the
	// character as a separate event, which types it. Clear it.
	browser.Eval[bool](t, ctx, `(document.activeElement.value = '', true)`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#site-search-input`), "lock")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "dropdown", `!document.getElementById('site-search-results').hidden && document.getElementById('site-search-results').dataset.query === 'lock'`)
	if got := browser.Eval[string](t, ctx, `document.querySelector('#site-search-results [role=option] .hit-title').textContent`); got != "Ledger migration held a lock for forty minutes" {
		t.Errorf("first option %q", got)
	}
	if !browser.Eval[bool](t, ctx, `!!document.querySelector('#site-search-results mark')`) {
		t.Error("no highlight in the dropdown")
	}
	browser.Screenshot(t, ctx, "search-dropdown")

	// Arrow keys move the selection, wrapping; Enter opens it.
	n := browser.Eval[int](t, ctx, `document.querySelectorAll('#site-search-results [role=option]').length`)
	if err := key(ctx, kb.ArrowDown); err != nil {
		t.Fatal(err)
	}
	if sel := browser.Eval[string](t, ctx, `document.getElementById('site-search-input').getAttribute('aria-activedescendant')`); sel != "site-search-opt-0" {
		t.Errorf("after ArrowDown, active option %q", sel)
	}
	if n > 1 {
		key(ctx, kb.ArrowUp)
		key(ctx, kb.ArrowDown)
	} else {
		key(ctx, kb.ArrowDown) // wraps to the same, only option
	}
	want := browser.Eval[string](t, ctx, `document.querySelector('#site-search-results [aria-selected=true] a').pathname`)
	if want != "/lib/reviews/2022-06-01-ledger-lock/" {
		t.Errorf("selected %q", want)
	}
	if err := key(ctx, kb.Enter); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "navigation", `location.pathname === '/lib/reviews/2022-06-01-ledger-lock/'`)

	// Enter without a selection goes to the search page.
	waitJS(t, ctx, "script", `document.getElementById('site-search-input').getAttribute('role') === 'combobox'`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#site-search-input`), "kafka"), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "search page", `location.pathname === '/lib/search/' && location.search === '?q=kafka' && document.querySelectorAll('#search-results .search-hit').length === 3`)
	if id := browser.Eval[string](t, ctx, `document.activeElement.id`); id == "site-search-input" {
		t.Log("focus stays in the header box")
	}

	// Escape closes the dropdown.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "script", `document.getElementById('site-search-input').getAttribute('role') === 'combobox'`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#site-search-input`), "redis")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "dropdown", `!document.getElementById('site-search-results').hidden`)
	key(ctx, kb.Escape)
	waitJS(t, ctx, "closed", `document.getElementById('site-search-results').hidden`)
}

// TestBrowserStaticFallback serves the site without /api/search, as a
// plain static host would: both boxes search /search-index.json and say so.
func TestBrowserStaticFallback(t *testing.T) {
	base := serveLibrary(t, false)
	ctx := browser.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/?q=redis")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "results", `document.querySelectorAll('#search-results .search-hit').length >= 1`)
	if got := resultTitles(t, ctx); len(got) == 0 || got[0] != "Webhook retry storm overwhelmed Redis" {
		t.Errorf("fallback results %v", got)
	}
	waitJS(t, ctx, "note", `!document.getElementById('search-mode').hidden && document.getElementById('search-mode').textContent.includes('no search service')`)
	if !browser.Eval[bool](t, ctx, `!!document.querySelector('#search-results mark')`) {
		t.Error("no highlight in the fallback")
	}

	// Filters, OR within and AND across, and facets work offline too.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/?technologies=redis&technologies=postgresql")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "OR", `document.querySelectorAll('#search-results .search-hit').length === 2`)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/?technologies=kafka&themes=capacity")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "AND", `document.querySelectorAll('#search-results .search-hit').length === 1`)
	if c := browser.Eval[string](t, ctx, `document.querySelector('li[data-term=redis] .count').textContent`); c != "1" {
		t.Errorf("offline facet count %q", c)
	}
	// Empty query: newest first.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "all", `document.querySelectorAll('#search-results .search-hit').length === 7`)
	if got := resultTitles(t, ctx); got[0] != "Kafka client upgrade duplicated events" || got[6] != "DNS resolution failures took down checkout" {
		t.Errorf("order %v", got)
	}
	browser.Screenshot(t, ctx, "search-static")

	// The header dropdown falls back as well.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.SendKeys(chromedp.CSS(`#site-search-input`), "certif")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "dropdown", `!document.getElementById('site-search-results').hidden && document.querySelectorAll('#site-search-results [role=option]').length === 1`)
	if !browser.Eval[bool](t, ctx, `!!document.querySelector('#site-search-results .note')`) {
		t.Error("the dropdown does not say it is searching offline")
	}
}
