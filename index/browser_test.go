package index

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/casebook/casebook/internal/browser"
	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

// memOutput collects a rendered site.
type memOutput struct {
	mu    sync.Mutex
	files map[string][]byte
}

// WriteFile keeps a copy: Render writes from pooled buffers that it
// reuses for the next page.
func (m *memOutput) WriteFile(name string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[name] = bytes.Clone(data)
	return nil
}

// serveLibrary renders the test library under /lib/ with the default
// theme and its static search bundle, and serves it; with api,
// /lib/api/search answers from an index, otherwise it is a 404 as on a
// plain static host.
func serveLibrary(t *testing.T, api bool) string {
	return serveEdited(t, api, nil)
}

// serveEdited is serveLibrary with edits to the library's files.
func serveEdited(t *testing.T, api bool, edits map[string]*string) string {
	t.Helper()
	cfg := strings.Replace(mustFile(t, "casebook.yaml"), "baseURL: https://example.com/", "baseURL: https://example.com/lib/", 1)
	all := map[string]*string{"casebook.yaml": &cfg}
	for k, v := range edits {
		all[k] = v
	}
	s := loadLibrary(t, all)
	theme, _ := fs.Sub(defaulttheme.FS, ".")
	r, err := render.New(s, theme)
	if err != nil {
		t.Fatal(err)
	}
	out := &memOutput{files: map[string][]byte{}}
	if err := r.Render(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	if err := WriteStaticBundle(s, out); err != nil {
		t.Fatal(err)
	}
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
		name := render.OutputName("/" + p)
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
		case ".bin":
			w.Header().Set("Content-Type", "application/octet-stream")
		}
		w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/lib"
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
	browser.Wait(t, ctx, "results", `document.querySelectorAll('#search-results .search-hit').length === 3`)
	if got := resultTitles(t, ctx); !sameSet(got, []string{"Kafka consumer lag delayed shipment tracking", "Kafka client upgrade duplicated events", "Webhook retry storm overwhelmed Redis"}) {
		t.Errorf("results %v", got)
	}
	if !browser.Eval[bool](t, ctx, `document.querySelector('input[name=technologies][value=kafka]').checked`) {
		t.Error("the alias msk in the URL did not check Apache Kafka")
	}
	if !browser.Eval[bool](t, ctx, `document.querySelectorAll('#search-results mark').length > 0`) {
		t.Error("no highlights")
	}
	if s := browser.Eval[string](t, ctx, `document.getElementById('search-status').textContent`); s != "3 reviews match “kafka”." {
		t.Errorf("status %q", s)
	}
	// Facet counts are over the result: redis appears once.
	if c := browser.Eval[string](t, ctx, `document.querySelector('li[data-term=redis] .count').textContent`); c != "1" {
		t.Errorf("redis count %q", c)
	}
	browser.Screenshot(t, ctx, "search-page")

	// A facet narrows the results and goes into the URL (a history entry).
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name=themes][value=capacity]`))); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "one result", `document.querySelectorAll('#search-results .search-hit').length === 1`)
	if u := browser.Eval[string](t, ctx, `location.search`); !strings.Contains(u, "themes=capacity") || !strings.Contains(u, "q=kafka") {
		t.Errorf("URL after a facet click: %s", u)
	}
	if err := chromedp.Do(ctx, chromedp.NavigateBack()); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "back to three results", `document.querySelectorAll('#search-results .search-hit').length === 3 && !document.querySelector('input[name=themes][value=capacity]').checked`)

	// Typing updates results and the URL.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/"), chromedp.SendKeys(chromedp.CSS(`#search-page-input`), "upgrade")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "typed query", `location.search.includes('q=upgrade') && document.querySelectorAll('#search-results .search-hit').length === 1`)

	// Dates filter too.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/?from=2022-01-01&to=2022-12-31")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "date range", `document.querySelectorAll('#search-results .search-hit').length === 2 && document.getElementById('search-from').value === '2022-01-01'`)
	// At desktop width the date boxes stay inside the facet column (To
	// used to stick out into the results).
	if out := browser.Eval[[]string](t, ctx, `(() => {
		const col = document.getElementById('search-facets').getBoundingClientRect();
		return ['search-from', 'search-to'].filter(id => {
			const r = document.getElementById(id).getBoundingClientRect();
			return r.width === 0 || r.left < col.left - 0.5 || r.right > col.right + 0.5;
		});
	})()`); len(out) > 0 {
		t.Errorf("date inputs outside the facet column: %v", out)
	}
	browser.Screenshot(t, ctx, "search-dates")

	// Paging: 7 reviews, 10 a page, so no pager; with a query of one
	// result neither.
	if !browser.Eval[bool](t, ctx, `document.getElementById('search-pager').hidden`) {
		t.Error("pager shown for one page")
	}

	// A malformed query shows the server's message.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/?q=nosuchfield:x")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "error", `document.getElementById('search-status').classList.contains('error')`)
	if s := browser.Eval[string](t, ctx, `document.getElementById('search-status').textContent`); !strings.Contains(s, `unknown field "nosuchfield"`) {
		t.Errorf("error status %q", s)
	}
	if !browser.Eval[bool](t, ctx, `document.getElementById('search-mode').hidden`) {
		t.Error("the static-host note is shown although the API answered")
	}

	// One result reads as one.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/?q=kafka&services=webhooks")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "one result", `document.querySelectorAll('#search-results .search-hit').length === 1`)
	if s := browser.Eval[string](t, ctx, `document.getElementById('search-status').textContent`); s != "1 review matches “kafka”." {
		t.Errorf("status with one result %q", s)
	}
}

// apiTitles asks the search API directly, so that expectations come
// from the index rather than being copied into the test.
func apiTitles(t *testing.T, base, query string) []string {
	t.Helper()
	resp, err := http.Get(base + "/api/search?size=20&" + query)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			Title string `json:"title"`
		} `json:"hits"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if res.Total != len(res.Hits) {
		t.Fatalf("%s: %d hits of %d; the test needs them all", query, len(res.Hits), res.Total)
	}
	var titles []string
	for _, h := range res.Hits {
		titles = append(titles, h.Title)
	}
	return titles
}

// facetOrder checks each facet list as shown: ticked terms first, then
// by count, most first, then by name; at most eight unticked ones until
// "Show more" is pressed. It returns what is out of order.
func facetOrder(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return browser.Eval[[]string](t, ctx, `(() => {
		const bad = [];
		document.querySelectorAll('.search-facet').forEach(fs => {
			const shown = [...fs.querySelectorAll('li')].filter(li => !li.hidden).map(li => ({
				name: li.querySelector('.term').textContent, checked: li.querySelector('input').checked,
				count: parseInt(li.querySelector('.count').textContent, 10)}));
			for (let i = 1; i < shown.length; i++) {
				const a = shown[i-1], b = shown[i];
				const cmp = (b.checked - a.checked) || (b.count - a.count) || a.name.localeCompare(b.name);
				if (cmp > 0) bad.push(fs.dataset.taxonomy + ': ' + a.name + ' before ' + b.name);
			}
			const expanded = fs.querySelector('.search-more') && fs.querySelector('.search-more').textContent === 'Show fewer';
			if (!expanded && shown.filter(x => !x.checked).length > 8) bad.push(fs.dataset.taxonomy + ': more than 8 shown');
		});
		return bad;
	})()`)
}

func count(t *testing.T, ctx context.Context, term string) string {
	t.Helper()
	return browser.Eval[string](t, ctx, `document.querySelector('li[data-term=`+term+`] .count').textContent`)
}

// TestBrowserDisjunctiveFacets ticks terms as a user would: two terms of
// one taxonomy OR (both stay reachable), a term of another ANDs.
func TestBrowserDisjunctiveFacets(t *testing.T) {
	base := serveLibrary(t, true)
	ctx := browser.New(t)
	kafka := apiTitles(t, base, "technologies=kafka")
	kube := apiTitles(t, base, "technologies=kubernetes")
	var overlap []string
	for _, k := range kafka {
		if slices.Contains(kube, k) {
			overlap = append(overlap, k)
		}
	}
	// The library must make the test meaningful: an overlap to subtract
	// and terms on both sides of it.
	if len(overlap) == 0 || len(overlap) == len(kafka) || len(overlap) == len(kube) {
		t.Fatalf("kafka %v and kubernetes %v should overlap partly", kafka, kube)
	}
	union := apiTitles(t, base, "technologies=kafka&technologies=kubernetes")
	if len(union) != len(kafka)+len(kube)-len(overlap) {
		t.Fatalf("the API ORs kafka and kubernetes into %d reviews, want %d+%d-%d", len(union), len(kafka), len(kube), len(overlap))
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "all reviews", `document.querySelectorAll('#search-results .search-hit').length === 7`)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name=technologies][value=kafka]`))); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "kafka's reviews", fmt.Sprintf(`document.querySelectorAll('#search-results .search-hit').length === %d`, len(kafka)))
	// Kubernetes is not among Kafka's results only, yet it stays on offer
	// with what ticking it would match.
	if browser.Eval[bool](t, ctx, `document.querySelector('li[data-term=kubernetes]').hidden`) {
		t.Fatal("ticking Kafka hid Kubernetes, so the OR cannot be reached")
	}
	if c, want := count(t, ctx, "kubernetes"), fmt.Sprint(len(kube)); c != want {
		t.Errorf("with Kafka ticked, Kubernetes counts %s, want %s", c, want)
	}
	if c, want := count(t, ctx, "kafka"), fmt.Sprint(len(kafka)); c != want {
		t.Errorf("Kafka counts %s, want %s", c, want)
	}
	if bad := facetOrder(t, ctx); len(bad) > 0 {
		t.Errorf("facets out of order with Kafka ticked: %v", bad)
	}

	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name=technologies][value=kubernetes]`))); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "the union", fmt.Sprintf(`document.querySelectorAll('#search-results .search-hit').length === %d`, len(union)))
	if got := resultTitles(t, ctx); !sameSet(got, union) {
		t.Errorf("kafka or kubernetes: %v, want %v", got, union)
	}
	if u := browser.Eval[string](t, ctx, `location.search`); !strings.Contains(u, "technologies=kafka") || !strings.Contains(u, "technologies=kubernetes") {
		t.Errorf("URL after two ticks: %s", u)
	}

	// Another taxonomy narrows: (kafka or kubernetes) and observability.
	obs := apiTitles(t, base, "themes=observability")
	var both []string
	for _, u := range union {
		if slices.Contains(obs, u) {
			both = append(both, u)
		}
	}
	if len(both) == 0 || len(both) == len(union) {
		t.Fatalf("observability %v should narrow %v", obs, union)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name=themes][value=observability]`))); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "the intersection", fmt.Sprintf(`document.querySelectorAll('#search-results .search-hit').length === %d`, len(both)))
	if got := resultTitles(t, ctx); !sameSet(got, both) {
		t.Errorf("(kafka or kubernetes) and observability: %v, want %v", got, both)
	}
	// Each taxonomy's counts keep the other taxonomies' filters.
	for term, query := range map[string]string{
		"kafka":    "technologies=kafka&themes=observability",
		"capacity": "technologies=kafka&technologies=kubernetes&themes=capacity",
	} {
		if c, want := count(t, ctx, term), fmt.Sprint(len(apiTitles(t, base, query))); c != want {
			t.Errorf("%s counts %s, want %s (%s)", term, c, want, query)
		}
	}
	browser.Screenshot(t, ctx, "search-disjunctive")
}

// TestBrowserResultKeys walks the search page's results with the keyboard.
func TestBrowserResultKeys(t *testing.T) {
	base := serveLibrary(t, true)
	ctx := browser.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/?q=kafka")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "results", `document.querySelectorAll('#search-results .search-hit').length === 3`)
	browser.Eval[bool](t, ctx, `(document.getElementById('search-page-input').focus(), true)`)
	// focused names the result whose link has focus (from 0), -1 for the
	// search box, -2 for anything else.
	focused := func() int {
		return browser.Eval[int](t, ctx, `(() => {
			const a = document.activeElement;
			if (a && a.id === 'search-page-input') return -1;
			const i = Array.from(document.querySelectorAll('#search-results .search-hit h2 a')).indexOf(a);
			return i >= 0 ? i : -2;
		})()`)
	}
	for i, step := range []struct {
		key  string
		want int
	}{
		{kb.ArrowDown, 0},
		{kb.ArrowDown, 1},
		{kb.ArrowDown, 2},
		{kb.ArrowDown, 2}, // the last result keeps focus
		{kb.ArrowUp, 1},
		{kb.Escape, -1},
		{kb.ArrowDown, 0},
		{kb.ArrowUp, -1}, // up from the first result is the box again
	} {
		if err := key(ctx, step.key); err != nil {
			t.Fatal(err)
		}
		if got := focused(); got != step.want {
			t.Fatalf("step %d (%q): focus on %d, want %d", i, step.key, got, step.want)
		}
	}
	// The query is untouched by the walk.
	if v := browser.Eval[string](t, ctx, `document.getElementById('search-page-input').value`); v != "kafka" {
		t.Errorf("the box holds %q after walking the results", v)
	}
	// Enter on a focused result follows its link.
	key(ctx, kb.ArrowDown)
	want := browser.Eval[string](t, ctx, `document.activeElement.pathname`)
	if err := key(ctx, kb.Enter); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "the first result", fmt.Sprintf(`location.pathname === %q`, want))
}

// focusBox focuses the header's search box, which makes the theme load
// search.js, and is true once the script has set the box up.
const focusBox = `(b => (b.focus(), b.getAttribute('role') === 'combobox'))(document.getElementById('site-search-input'))`

func TestBrowserHeaderBox(t *testing.T) {
	base := serveLibrary(t, true)
	ctx := browser.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/reviews/")); err != nil {
		t.Fatal(err)
	}
	// "/" focuses the box, and so loads search.js: the theme loads it
	// when the box is first used.
	if err := key(ctx, "/"); err != nil {
		t.Fatal(err)
	}
	if id := browser.Eval[string](t, ctx, `document.activeElement.id`); id != "site-search-input" {
		t.Fatalf("after /, focus is on %q", id)
	}
	browser.Wait(t, ctx, "script", `document.getElementById('site-search-input').getAttribute('role') === 'combobox'`)
	// A real keyboard's "/" is cancelled with its keydown; CDP sends the
	// character as a separate event, which types it. Clear it.
	browser.Eval[bool](t, ctx, `(document.activeElement.value = '', true)`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#site-search-input`), "lock")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "dropdown", `!document.getElementById('site-search-results').hidden && document.getElementById('site-search-results').dataset.query === 'lock'`)
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
	browser.Wait(t, ctx, "navigation", `location.pathname === '/lib/reviews/2022-06-01-ledger-lock/'`)

	// Enter without a selection goes to the search page.
	browser.Wait(t, ctx, "script", focusBox)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#site-search-input`), "kafka"), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "search page", `location.pathname === '/lib/search/' && location.search === '?q=kafka' && document.querySelectorAll('#search-results .search-hit').length === 3`)

	// Escape closes the dropdown.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "script", focusBox)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#site-search-input`), "redis")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "dropdown", `!document.getElementById('site-search-results').hidden`)
	key(ctx, kb.Escape)
	browser.Wait(t, ctx, "closed", `document.getElementById('site-search-results').hidden`)
}

// TestBrowserStaticFallback serves the site without /api/search, as a
// plain static host would: both boxes search the static bundle and say so.
func TestBrowserStaticFallback(t *testing.T) {
	base := serveLibrary(t, false)
	ctx := browser.New(t)
	// Record every text the mode note shows from the page's first
	// moment: while the bundle's manifest loads, it must show nothing
	// rather than the note of the titles-only fallback.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__notes = [];
			new MutationObserver(() => {
				const n = document.getElementById('search-mode');
				if (n && !n.hidden && n.textContent && __notes[__notes.length - 1] !== n.textContent) __notes.push(n.textContent);
			}).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});`,
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/?q=redis")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "results", `document.querySelectorAll('#search-results .search-hit').length >= 1`)
	if got := resultTitles(t, ctx); len(got) == 0 || got[0] != "Webhook retry storm overwhelmed Redis" {
		t.Errorf("fallback results %v", got)
	}
	browser.Wait(t, ctx, "note", `!document.getElementById('search-mode').hidden && document.getElementById('search-mode').textContent.includes('no search service')`)
	if notes := browser.Eval[[]string](t, ctx, `window.__notes`); len(notes) != 1 || !strings.HasPrefix(notes[0], "Searching in your browser") {
		t.Errorf("the mode note showed %q; want only the static bundle's", notes)
	}
	if !browser.Eval[bool](t, ctx, `!!document.querySelector('#search-results mark')`) {
		t.Error("no highlight in the fallback")
	}

	// Filters, OR within and AND across, and facets work offline too.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/?technologies=redis&technologies=postgresql")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "OR", `document.querySelectorAll('#search-results .search-hit').length === 2`)
	// Offline, too, a ticked taxonomy counts its other terms as if it
	// were not filtered: Kafka (3 reviews) stays on offer.
	browser.Wait(t, ctx, "disjunctive counts", `!document.querySelector('li[data-term=kafka]').hidden && document.querySelector('li[data-term=kafka] .count').textContent === '3'`)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/?technologies=kafka&themes=capacity")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "AND", `document.querySelectorAll('#search-results .search-hit').length === 1`)
	if c := browser.Eval[string](t, ctx, `document.querySelector('li[data-term=redis] .count').textContent`); c != "1" {
		t.Errorf("offline facet count %q", c)
	}
	// Empty query: newest first.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "all", `document.querySelectorAll('#search-results .search-hit').length === 7`)
	if got := resultTitles(t, ctx); got[0] != "Kafka client upgrade duplicated events" || got[6] != "DNS resolution failures took down checkout" {
		t.Errorf("order %v", got)
	}
	if bad := facetOrder(t, ctx); len(bad) > 0 {
		t.Errorf("facets out of order offline: %v", bad)
	}
	browser.Screenshot(t, ctx, "search-static")

	// The header dropdown falls back as well.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.SendKeys(chromedp.CSS(`#site-search-input`), "certif")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "dropdown", `!document.getElementById('site-search-results').hidden && document.querySelectorAll('#site-search-results [role=option]').length === 1`)
	if !browser.Eval[bool](t, ctx, `!!document.querySelector('#site-search-results .note')`) {
		t.Error("the dropdown does not say it is searching offline")
	}
}

// TestBrowserStaticPrefetch: on a static host, the words being typed
// have their dictionary shards asked for at once, not when the debounce
// ends and the search starts (the list turns busy).
func TestBrowserStaticPrefetch(t *testing.T) {
	base := serveLibrary(t, false)
	ctx := browser.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "newest first", `document.querySelectorAll('#search-results .search-hit').length > 0 && document.getElementById('search-mode').textContent.includes('in your browser')`)
	browser.Eval[bool](t, ctx, `(() => {
		const list = document.getElementById('search-results');
		window.__busy = 0;
		new MutationObserver(() => { if (!__busy && list.hasAttribute('aria-busy')) __busy = performance.now(); }).observe(list, {attributes: true});
		return true;
	})()`)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#search-page-input`), "redis")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "results", `location.search.includes('redis') && __busy > 0 && !document.getElementById('search-results').hasAttribute('aria-busy')`)
	shards := browser.Eval[[]float64](t, ctx, `performance.getEntriesByType('resource').filter(e => /\/search\/bundle\/t-/.test(e.name)).map(e => e.startTime)`)
	busy := browser.Eval[float64](t, ctx, `__busy`)
	if len(shards) == 0 {
		t.Fatal("no dictionary shard was fetched for the query")
	}
	if shards[0] >= busy {
		t.Errorf("the first shard was asked for at %.0f ms, after the search began at %.0f ms", shards[0], busy)
	}
}

// TestBrowserStaticSearch: on a site without /api/search, the search page
// answers from the static bundle as the API would: words found in bodies,
// with excerpts; facets that count and narrow; a phrase, an excluded
// word, an alias and a person's name.
func TestBrowserStaticSearch(t *testing.T) {
	// A review that names a person in its text, as reviews do.
	flag := strings.Replace(mustFile(t, "reviews/2024-04-20-flag-rollout.md"), "## What happened\n", "## What happened\n\n@dana-frost noticed the rollout first.\n", 1)
	edits := map[string]*string{"reviews/2024-04-20-flag-rollout.md": &flag}
	static := serveEdited(t, false, edits)
	api := serveEdited(t, true, edits)
	ctx := browser.New(t)

	// Typing: the words are in a body only, and the excerpt marks them.
	if err := chromedp.Do(ctx, chromedp.Navigate(static+"/search/"), chromedp.SendKeys(chromedp.CSS(`#search-page-input`), "pasted script")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "body results", `location.search.includes('pasted') && document.querySelectorAll('#search-results .search-hit').length > 0 && !document.getElementById('search-results').hasAttribute('aria-busy')`)
	want := apiTitles(t, api, "q=pasted+script")
	if got := resultTitles(t, ctx); !slices.Equal(got, want) || len(want) == 0 {
		t.Errorf("pasted script: %v, the API %v", got, want)
	}
	if !browser.Eval[bool](t, ctx, `[...document.querySelectorAll('#search-results .fragment mark')].some(m => m.textContent.toLowerCase() === 'pasted')`) {
		t.Errorf("no excerpt marks the body's word: %q", browser.Eval[string](t, ctx, `document.getElementById('search-results').innerText`))
	}
	if !browser.Eval[bool](t, ctx, `document.getElementById('search-mode').textContent.includes('in your browser')`) {
		t.Error("the page does not say it searches in the browser")
	}
	browser.Screenshot(t, ctx, "search-static-body")

	for _, q := range []string{`"consumer lag"`, "kafka -upgrade", "k8s", "dana", "technologies:kube", "redis OR pool"} {
		v := url.Values{"q": {q}}
		if err := chromedp.Do(ctx, chromedp.Navigate(static+"/search/?"+v.Encode())); err != nil {
			t.Fatal(err)
		}
		want := apiTitles(t, api, v.Encode())
		browser.Wait(t, ctx, q, `!document.getElementById('search-results').hasAttribute('aria-busy') && document.getElementById('search-status').textContent !== ''`)
		// Reviews that score the same (a term alone, on reviews with as
		// many terms) come in the index's internal order: compare sets.
		if got := resultTitles(t, ctx); !sameSet(got, want) {
			t.Errorf("%s: %v, the API %v", q, got, want)
		}
		if len(want) == 0 && q != "redis OR pool" {
			t.Errorf("%s: the API finds nothing; the test needs a query that finds something", q)
		}
	}

	// Facets count the result and narrow it, as with the API.
	if err := chromedp.Do(ctx, chromedp.Navigate(static+"/search/?q=kafka")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "kafka", `document.querySelectorAll('#search-results .search-hit').length === 3`)
	if c := count(t, ctx, "redis"); c != "1" {
		t.Errorf("redis counts %q among kafka's results, want 1", c)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`input[name=technologies][value=redis]`))); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "narrowed", `document.querySelectorAll('#search-results .search-hit').length === 1 && location.search.includes('technologies=redis')`)
	if got, want := resultTitles(t, ctx), apiTitles(t, api, "q=kafka&technologies=redis"); !slices.Equal(got, want) {
		t.Errorf("kafka + redis: %v, the API %v", got, want)
	}

	// The header box, too, finds a body's word.
	if err := chromedp.Do(ctx, chromedp.Navigate(static+"/"), chromedp.SendKeys(chromedp.CSS(`#site-search-input`), "pasted")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "dropdown", `!document.getElementById('site-search-results').hidden && document.querySelectorAll('#site-search-results [role=option]').length >= 1`)
}
