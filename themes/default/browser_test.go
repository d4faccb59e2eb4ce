package defaulttheme_test

import (
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/casebook/casebook/index"
	"github.com/casebook/casebook/internal/browser"
	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"golang.org/x/tools/txtar"
)

// fixture is a small library that exercises every script of the theme:
// three reviews (SEV3, SEV1, SEV2) sharing terms, a timeline with
// several kinds and people, follow-ups in every state, a training path
// and a term that one person carries. Its baseURL has a path, so every
// internal link must go through rel.
const fixture = `
-- casebook.yaml --
title: Fixture library
baseURL: https://incidents.example.com/lib/
repo: https://github.com/acme/reviews
timezone: Europe/London
severities: [SEV1, SEV2, SEV3]
vocabulary:
  technologies:
    kafka: {title: Apache Kafka, aliases: [msk], description: The event backbone.}
-- people/ann-lee.md --
---
name: Ann Lee
team: Data Platform
role: Staff Engineer
---
Ann built the first Kafka cluster.
-- reviews/2025-01-10-alpha.md --
---
title: Alpha lag
summary: Consumers fell behind after a config change.
severity: SEV3
started: 2025-01-10 09:40
resolved: 2025-01-10 12:10
services: [api]
technologies: [kafka]
contributing_factors: [config-change]
themes: [observability]
responders: [ann-lee, bob-stone]
investigators: [ann-lee]
follow_ups:
  - title: Alert on lag in seconds
    owner: ann-lee
    status: open
    due: 2025-02-01
    link: https://tracker.example.com/A-1
  - title: Document the poll settings
    owner: bob-stone
    status: done
    due: 2025-02-01
---
## Summary

Consumers fell behind. See [beta](2025-03-05-beta.md).

## Impact

Tracking was stale. The consumer ran with this setting:

~~~go
// pollInterval was raised in the config change.
func pollInterval() time.Duration {
	return 5 * time.Minute // was 30 * time.Second
}
~~~

## Timeline

~~~timeline
2025-01-10 09:40 | trigger | A bulk batch arrives.
09:46 | impact | Lag starts climbing.
10:58 | detection | @bob-stone is paged.
11:04 | hypothesis | @bob-stone suspects the database.
11:15 | key-moment | @bob-stone asks @ann-lee to join.
11:21 | diagnosis | @ann-lee matches rebalances to the poll interval.
11:41 | repair | The setting is reverted.
11:50 | repair | The deployment is scaled out.
12:10 | communication | Support tells customers.
~~~
-- reviews/2025-03-05-beta.md --
---
title: Beta outage
summary: The database ran out of connections.
severity: SEV1
services: [db]
technologies: [kafka, postgres]
contributing_factors: [missing-alert]
responders: [ann-lee, carl-may]
follow_ups:
  - title: Add a connection alert
    owner: carl-may
    status: in-progress
    due: 2026-01-01
  - title: Rewrite the pooler
    status: wont-do
---
## Summary

Connections ran out.

## What happened

Everything stopped.

## Lessons

Alerts matter.
-- reviews/2025-06-20-gamma.md --
---
title: Gamma duplicates
summary: Duplicate events after an upgrade.
severity: SEV2
services: [api]
technologies: [kafka]
contributing_factors: [config-change, missing-alert]
responders: [ann-lee]
follow_ups:
  - title: Deduplicate by key
    owner: ann-lee
    status: open
    due: 2026-03-01
---
## Summary

Events were duplicated.
-- paths/onboarding.md --
---
title: Onboarding
audience: New engineers
summary: Three reviews to start with.
steps:
  - review: 2025-01-10-alpha
    note: Watch where each warning went.
    questions:
      - What would you check first?
  - review: 2025-03-05-beta
  - review: 2025-06-20-gamma
---
Read them in order.
`

// TestMain closes the browser the tests share when they are done.
func TestMain(m *testing.M) { os.Exit(browser.Main(m)) }

var fixtureNow = time.Date(2025, 9, 1, 12, 0, 0, 0, time.UTC)

// dirOutput writes a rendered site under a folder.
type dirOutput string

func (d dirOutput) WriteFile(name string, data []byte) error {
	p := filepath.Join(string(d), filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

func fixtureFS(t testing.TB) fs.FS {
	t.Helper()
	lib := fstest.MapFS{}
	for _, f := range txtar.Parse([]byte(fixture)).Files {
		lib[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	return lib
}

// build renders a library with the default theme into a new folder.
func build(t testing.TB, lib fs.FS, opts site.Options) (string, *render.Renderer) {
	t.Helper()
	s, err := site.Load(context.Background(), lib, opts)
	if err != nil {
		t.Fatalf("loading the library: %v", err)
	}
	r, err := render.New(s, defaulttheme.FS)
	if err != nil {
		t.Fatalf("parsing the theme: %v", err)
	}
	dir := t.TempDir()
	if err := r.Render(context.Background(), dirOutput(dir)); err != nil {
		t.Fatalf("rendering: %v", err)
	}
	return dir, r
}

// serve serves a built site under prefix, as a web server with the
// site's baseURL path would.
func serve(t testing.TB, dir, prefix string) string {
	t.Helper()
	var h http.Handler = http.FileServer(http.Dir(dir))
	if prefix != "" {
		h = http.StripPrefix(prefix, h)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + prefix
}

// visible counts the elements matching a CSS selector that take up space
// on the page (so not hidden by the hidden attribute or display: none).
func visible(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	return browser.Eval[int](t, ctx, fmt.Sprintf(
		`Array.from(document.querySelectorAll(%q)).filter(e => e.getClientRects().length > 0).length`, sel))
}

// choose selects an option of a <select> as a user would, firing change.
func choose(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	ok := browser.Eval[bool](t, ctx, fmt.Sprintf(`(() => {
		const s = document.querySelector(%q);
		if (!s || !Array.from(s.options).some(o => o.value === %q)) return false;
		s.value = %q;
		s.dispatchEvent(new Event('change', {bubbles: true}));
		return true;
	})()`, sel, value, value))
	if !ok {
		t.Fatalf("%s has no option %q", sel, value)
	}
}

// pick types into a text box with suggestions (a datalist) as a person
// does, key by key, so that its filter applies once the text names an
// option; "" clears it.
func pick(t *testing.T, ctx context.Context, sel, text string) {
	t.Helper()
	browser.Eval[any](t, ctx, fmt.Sprintf(`(e => { e.value = ''; e.dispatchEvent(new Event('input', {bubbles: true})); })(document.querySelector(%q))`, sel))
	if text == "" {
		browser.Eval[any](t, ctx, fmt.Sprintf(`document.querySelector(%q).dispatchEvent(new Event('change', {bubbles: true}))`, sel))
		return
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(sel), text)); err != nil {
		t.Fatal(err)
	}
	// Leave the box, as one does after choosing: its list of suggestions
	// would otherwise lie over the page and take the next click.
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	browser.Eval[any](t, ctx, fmt.Sprintf(`document.querySelector(%q).blur()`, sel))
}

func texts(t *testing.T, ctx context.Context, js string) []string {
	t.Helper()
	return browser.Eval[[]string](t, ctx, js)
}

func TestBrowser(t *testing.T) {
	t.Parallel()
	ctx := browser.New(t)
	dir, r := build(t, fixtureFS(t), site.Options{Now: fixtureNow})
	base := serve(t, dir, "/lib")
	// Record script errors on every page from here on.
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__errors = [];
			addEventListener('error', e => { if (e.message) __errors.push(e.message + ' at ' + e.filename + ':' + e.lineno); });
			addEventListener('unhandledrejection', e => __errors.push(String(e.reason)));`,
	}); err != nil {
		t.Fatal(err)
	}

	open := func(t *testing.T, path string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
			t.Fatalf("opening %s: %v", path, err)
		}
	}

	t.Run("no script errors", func(t *testing.T) {
		for _, p := range r.Pages() {
			open(t, p.URL)
			if errs := browser.Eval[[]string](t, ctx, `Array.isArray(window.__errors) ? window.__errors : ["the error recorder did not run"]`); len(errs) > 0 {
				t.Errorf("%s: %v", p.URL, errs)
			}
		}
	})

	t.Run("path progress survives a reload", func(t *testing.T) {
		open(t, "/paths/")
		if got := browser.Eval[string](t, ctx, `document.querySelector('[data-path-slug=onboarding] .progress .label').textContent`); got != "Not started" {
			t.Errorf("before: progress says %q, want Not started", got)
		}
		open(t, "/paths/onboarding/")
		if visible(t, ctx, ".mark-read") != 3 {
			t.Fatalf("want 3 visible mark-as-read boxes, got %d", visible(t, ctx, ".mark-read"))
		}
		// Each box is named after its step's review, not just "Mark as read".
		if got := browser.Eval[string](t, ctx, `document.querySelector('#step-2 .mark-read').textContent.trim()`); got != "Mark as read: Beta outage" {
			t.Errorf("step 2's box is labelled %q", got)
		}
		if got := browser.Eval[string](t, ctx, `document.querySelector('.path-progress').getAttribute('aria-label')`); got != "Your progress through Onboarding" {
			t.Errorf("the progress bar is named %q", got)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#step-2 .mark-read input`))); err != nil {
			t.Fatal(err)
		}
		if got := browser.Eval[string](t, ctx, `document.querySelector('.path-progress .label').textContent`); got != "1 of 3 read" {
			t.Errorf("path page progress = %q, want 1 of 3 read", got)
		}
		if !browser.Eval[bool](t, ctx, `document.getElementById('step-2').classList.contains('is-read')`) {
			t.Error("step 2 is not marked read")
		}
		open(t, "/paths/")
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		if got := browser.Eval[string](t, ctx, `document.querySelector('[data-path-slug=onboarding] .progress .label').textContent`); got != "1 of 3 read" {
			t.Errorf("/paths/ after reload: progress = %q, want 1 of 3 read", got)
		}
		stored := browser.Eval[string](t, ctx, `localStorage.getItem('casebook:path:onboarding')`)
		if stored != `["2025-03-05-beta"]` {
			t.Errorf("localStorage holds %s", stored)
		}
		// The same step, seen from the review page, is ticked too.
		open(t, "/reviews/2025-03-05-beta/")
		if !browser.Eval[bool](t, ctx, `document.querySelector('.path-nav input[data-path=onboarding]').checked`) {
			t.Error("the review page's mark-as-read box is not ticked")
		}
		if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`localStorage.clear()`)); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("timeline kind filter", func(t *testing.T) {
		open(t, "/reviews/2025-01-10-alpha/")
		total := visible(t, ctx, "li.timeline-event")
		if total != 9 {
			t.Fatalf("want 9 visible events, got %d", total)
		}
		if visible(t, ctx, ".timeline-gap") == 0 {
			t.Fatal("the 72-minute gap before detection is not shown")
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.timeline-filters button[data-kind=repair]`))); err != nil {
			t.Fatal(err)
		}
		if got := visible(t, ctx, "li.timeline-event"); got != 2 {
			t.Errorf("after choosing repair: %d events visible, want 2", got)
		}
		if got := visible(t, ctx, "li.timeline-event:not(.kind-repair)"); got != 0 {
			t.Errorf("after choosing repair: %d other events still visible", got)
		}
		if got := visible(t, ctx, ".timeline-gap"); got != 0 {
			t.Errorf("gaps should hide while filtering, %d visible", got)
		}
		// Adding a person narrows further: repairs that name Ann (none).
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.timeline-filters button[data-person=ann-lee]`))); err != nil {
			t.Fatal(err)
		}
		if got := visible(t, ctx, "li.timeline-event"); got != 0 {
			t.Errorf("repair + Ann: %d visible, want 0", got)
		}
		// Dropping the kind leaves Ann's events.
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.timeline-filters button[data-kind=repair]`))); err != nil {
			t.Fatal(err)
		}
		if got := visible(t, ctx, "li.timeline-event"); got != 2 {
			t.Errorf("Ann only: %d visible, want 2", got)
		}
		// The choice is in the address, and a reload (or a shared link) restores it.
		if got := browser.Eval[string](t, ctx, `location.search`); got != "?person=ann-lee" {
			t.Errorf("the address keeps %q, want ?person=ann-lee", got)
		}
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		if got := visible(t, ctx, "li.timeline-event"); got != 2 {
			t.Errorf("after a reload: %d visible, want Ann's 2", got)
		}
		if !browser.Eval[bool](t, ctx, `document.querySelector('.timeline-filters button[data-person=ann-lee]').getAttribute('aria-pressed') === 'true'`) {
			t.Error("after a reload, Ann's chip is not pressed")
		}
		if got := browser.Eval[string](t, ctx, `document.querySelector('.timeline-filters button[data-person=ann-lee]').textContent`); !strings.HasPrefix(got, "Ann Lee") {
			t.Errorf("person chip reads %q, want the person's name", got)
		}
		browser.Screenshot(t, ctx, "timeline-filtered")
	})

	t.Run("reviews filter and sort", func(t *testing.T) {
		open(t, "/reviews/")
		rows := `Array.from(document.querySelectorAll('#reviews-table tbody tr')).filter(e => e.getClientRects().length > 0).map(e => e.dataset.slug)`
		want := []string{"2025-06-20-gamma", "2025-03-05-beta", "2025-01-10-alpha"}
		if got := texts(t, ctx, rows); !slices.Equal(got, want) {
			t.Fatalf("rows = %v, want newest first %v", got, want)
		}
		pick(t, ctx, "#reviews-term", "postgres")
		if got := texts(t, ctx, rows); !slices.Equal(got, []string{"2025-03-05-beta"}) {
			t.Errorf("filtered by postgres: %v", got)
		}
		pick(t, ctx, "#reviews-term", "config-change (Contributing factor)")
		if got := texts(t, ctx, rows); !slices.Equal(got, []string{"2025-06-20-gamma", "2025-01-10-alpha"}) {
			t.Errorf("filtered by config change: %v", got)
		}
		if !strings.Contains(browser.Eval[string](t, ctx, `location.search`), "term=contributing-factors") {
			t.Error("the filter is not kept in the address")
		}
		pick(t, ctx, "#reviews-term", "")
		// The text filter matches words of titles and summaries, accents folded, all of them.
		typeText := func(v string) {
			t.Helper()
			browser.Eval[any](t, ctx, fmt.Sprintf(`(e => { e.value = %q; e.dispatchEvent(new Event('input', {bubbles: true})); })(document.getElementById('reviews-text'))`, v))
		}
		typeText("CONNECTIONS ran")
		if got := texts(t, ctx, rows); !slices.Equal(got, []string{"2025-03-05-beta"}) {
			t.Errorf("text filter 'CONNECTIONS ran': %v", got)
		}
		if got := browser.Eval[string](t, ctx, `location.search`); got != "?text=CONNECTIONS+ran" {
			t.Errorf("the text filter is kept as %q", got)
		}
		typeText("upgrade lag")
		if got := texts(t, ctx, rows); len(got) != 0 {
			t.Errorf("text filter 'upgrade lag' (no review has both): %v", got)
		}
		typeText("")
		choose(t, ctx, "#reviews-sort", "severity")
		if got, want := texts(t, ctx, rows), []string{"2025-03-05-beta", "2025-06-20-gamma", "2025-01-10-alpha"}; !slices.Equal(got, want) {
			t.Errorf("by severity: %v, want %v", got, want)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`th button[data-sort=date]`))); err != nil {
			t.Fatal(err)
		}
		if got, want := texts(t, ctx, rows), []string{"2025-06-20-gamma", "2025-03-05-beta", "2025-01-10-alpha"}; !slices.Equal(got, want) {
			t.Errorf("after clicking Date: %v, want newest first %v", got, want)
		}
	})

	t.Run("follow-ups filter by status", func(t *testing.T) {
		open(t, "/follow-ups/")
		rows := `Array.from(document.querySelectorAll('table.followups tbody tr')).filter(e => e.getClientRects().length > 0).map(e => e.querySelector('td').firstChild.textContent.trim())`
		if got := texts(t, ctx, rows); len(got) != 5 || got[0] != "Alert on lag in seconds" {
			t.Fatalf("all follow-ups, overdue first: %v", got)
		}
		choose(t, ctx, "#fu-status", "done")
		if got := texts(t, ctx, rows); !slices.Equal(got, []string{"Document the poll settings"}) {
			t.Errorf("done: %v", got)
		}
		choose(t, ctx, "#fu-status", "open")
		if got := texts(t, ctx, rows); len(got) != 3 {
			t.Errorf("still to do: %v, want 3", got)
		}
		choose(t, ctx, "#fu-status", "overdue")
		if got := texts(t, ctx, rows); !slices.Equal(got, []string{"Alert on lag in seconds"}) {
			t.Errorf("overdue: %v", got)
		}
		choose(t, ctx, "#fu-status", "")
		pick(t, ctx, "#fu-owner", "nobody")
		if got := texts(t, ctx, rows); !slices.Equal(got, []string{"Rewrite the pooler"}) {
			t.Errorf("nobody's: %v", got)
		}
		pick(t, ctx, "#fu-owner", "")
		pick(t, ctx, "#fu-service", "db")
		if got := texts(t, ctx, rows); len(got) != 2 {
			t.Errorf("service db: %v, want beta's two", got)
		}
	})

	t.Run("code blocks take focus and have copy buttons", func(t *testing.T) {
		open(t, "/reviews/2025-01-10-alpha/")
		// The header stays at the top while the review scrolls.
		top := browser.Eval[[]float64](t, ctx, `(window.scrollTo(0, document.documentElement.scrollHeight), [scrollY, document.querySelector('.site-header').getBoundingClientRect().top])`)
		if top[0] < 100 || top[1] != 0 {
			t.Errorf("scrolled to %.0f px, the header's top is at %.0f px; want it stuck at 0", top[0], top[1])
		}
		if got := browser.Eval[string](t, ctx, `document.querySelector('#review-body pre').getAttribute('tabindex')`); got != "0" {
			t.Errorf("the code block's tabindex is %q, want 0", got)
		}
		if visible(t, ctx, ".highlight .copy-code") != 1 {
			t.Errorf("want one copy button, got %d", visible(t, ctx, ".highlight .copy-code"))
		}
	})

	t.Run("phone menu", func(t *testing.T) {
		open(t, "/people/")
		if visible(t, ctx, ".kbd-hint") != 1 {
			t.Error("the desktop does not show the / shortcut hint")
		}
		open(t, "/search/")
		if !browser.Eval[bool](t, ctx, `document.getElementById('search-filters').open`) || visible(t, ctx, "#search-filters > summary") != 0 {
			t.Error("on a desktop the search filters are not simply shown")
		}
		if err := browser.Viewport(ctx, browser.PhoneWidth, browser.PhoneHeight, true); err != nil {
			t.Fatal(err)
		}
		defer browser.Viewport(ctx, browser.DesktopWidth, browser.DesktopHeight, false)
		open(t, "/people/")
		if visible(t, ctx, ".kbd-hint") != 0 {
			t.Error("a touch phone shows the / shortcut hint")
		}
		// The search page folds its filters above the results.
		open(t, "/search/")
		if browser.Eval[bool](t, ctx, `document.getElementById('search-filters').open`) {
			t.Error("on a phone the search filters start open")
		}
		if !browser.Eval[bool](t, ctx, `(f => f.getBoundingClientRect().bottom <= document.getElementById('search-results').getBoundingClientRect().top)(document.querySelector('#search-filters > summary'))`) {
			t.Error("on a phone the Filters control is not above the results")
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#search-filters > summary`))); err != nil {
			t.Fatal(err)
		}
		if visible(t, ctx, "#search-facets fieldset") == 0 {
			t.Error("opening Filters shows no facets")
		}
		browser.Screenshot(t, ctx, "phone-search-filters")
		open(t, "/people/")
		if got := browser.Eval[string](t, ctx, `document.querySelector('.nav-toggle .current').textContent`); got != "People" {
			t.Errorf("the menu button names %q, want the current section, People", got)
		}
		if visible(t, ctx, ".site-nav a") != 0 {
			t.Error("on a phone the sections show before the menu is opened")
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.nav-toggle`))); err != nil {
			t.Fatal(err)
		}
		if n := visible(t, ctx, ".site-nav a"); n != len(r.Pages()[0].Site.Taxonomies)+5 {
			t.Errorf("after opening the menu %d section links show", n)
		}
		browser.Screenshot(t, ctx, "phone-menu-open")
		if browser.Eval[string](t, ctx, `document.querySelector('.nav-toggle').getAttribute('aria-expanded')`) != "true" {
			t.Error("the menu button does not say it is expanded")
		}
		// Every link on its row, none past the right edge.
		if browser.Eval[bool](t, ctx, `Array.from(document.querySelectorAll('.site-nav a')).some(a => a.getBoundingClientRect().right > innerWidth)`) {
			t.Error("a section link is past the right edge")
		}
	})

	t.Run("concentration warning", func(t *testing.T) {
		open(t, "/technologies/kafka/")
		got := browser.Eval[string](t, ctx, `document.querySelector('.notice').textContent`)
		if !strings.Contains(got, "Ann Lee took part in 3 of 3 Apache Kafka reviews: knowledge is concentrated") {
			t.Errorf("warning reads %q", got)
		}
	})
}

var hrefRe = regexp.MustCompile(`(?:href|src)="([^"#?]*)`)

// fragmentRe matches a link within the page, capturing the id it targets.
var fragmentRe = regexp.MustCompile(`href="#([^"]+)"`)

// TestLinks renders the fixture (served under /lib/) and the example
// library, and checks that every page carries the header search box and
// base-path meta tag and that every internal link and asset resolves.
func TestLinks(t *testing.T) {
	libs := map[string]fs.FS{"fixture": fixtureFS(t)}
	if content := os.DirFS("../../content"); fileExists(content, "casebook.yaml") {
		libs["content"] = content
	}
	for name, lib := range libs {
		t.Run(name, func(t *testing.T) {
			dir, r := build(t, lib, site.Options{Now: fixtureNow})
			prefix := strings.TrimSuffix(mustRel(t, r), "/")
			unprefixed := map[string]string{}
			for _, p := range r.Pages() {
				b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(render.OutputName(p.URL))))
				if err != nil {
					t.Fatal(err)
				}
				html := string(b)
				for _, want := range []string{
					`<form class="site-search" role="search" aria-label="Site" action="` + prefix + `/search/">`,
					`id="site-search-input"`,
					`<meta name="casebook-base" content="` + prefix + `/">`,
					`type="application/rss+xml"`,
				} {
					if !strings.Contains(html, want) {
						t.Errorf("%s lacks %s", p.URL, want)
					}
				}
				// The search page runs search.js at once; the others load it
				// when the header's box takes focus.
				search := `s.src="` + prefix + `/js/search.js"`
				if p.Kind == "search" {
					search = `<script src="` + prefix + `/js/search.js" defer></script>`
				}
				if !strings.Contains(html, search) {
					t.Errorf("%s lacks %s", p.URL, search)
				}
				// Skip links and contents: every in-page link has its target.
				for _, m := range fragmentRe.FindAllStringSubmatch(html, -1) {
					if !strings.Contains(html, `id="`+m[1]+`"`) {
						t.Errorf("%s: the link to #%s has no target", p.URL, m[1])
					}
				}
				for _, m := range hrefRe.FindAllStringSubmatch(html, -1) {
					u := m[1]
					if !strings.HasPrefix(u, "/") || strings.HasPrefix(u, "//") {
						continue
					}
					rest, ok := strings.CutPrefix(u, prefix+"/")
					if !ok {
						// The theme wraps every URL in rel, so these would
						// come from HTML that package site makes (review
						// bodies, timelines, charts), and be dead under a
						// base path.
						unprefixed[u] = p.URL
						continue
					}
					if rest == "js/search.js" || rest == "search/" {
						continue // the search engineer's files
					}
					target := filepath.Join(dir, filepath.FromSlash(render.OutputName("/"+rest)))
					if _, err := os.Stat(target); err != nil {
						t.Errorf("%s: broken link %s", p.URL, u)
					}
				}
			}
			if len(unprefixed) > 0 {
				var eg []string
				for u, page := range unprefixed {
					eg = append(eg, u+" on "+page)
				}
				slices.Sort(eg)
				t.Errorf("%d links ignore the base path %s, e.g. %s", len(unprefixed), prefix, eg[0])
			}
		})
	}
}

func mustRel(t *testing.T, r *render.Renderer) string {
	t.Helper()
	for _, p := range r.Pages() {
		u := p.Site.Config.BaseURL
		if i := strings.Index(u, "://"); i >= 0 {
			u = u[i+3:]
		}
		if i := strings.Index(u, "/"); i >= 0 {
			return u[i:]
		}
		return "/"
	}
	t.Fatal("no pages")
	return ""
}

func fileExists(fsys fs.FS, name string) bool {
	_, err := fs.Stat(fsys, name)
	return err == nil
}

// library is a built site served for a browser test.
type library struct {
	name, base string
	r          *render.Renderer
}

// libraries builds the fixture (served under /lib/, as its baseURL says)
// and, when it loads, the example library in ../../content (served at the
// root): the fixture is small and known, the example is long and varied.
func libraries(t *testing.T) []library {
	t.Helper()
	dir, r := buildSearchable(t, fixtureFS(t))
	libs := []library{{"fixture", serve(t, dir, "/lib"), r}}
	content := os.DirFS("../../content")
	if !fileExists(content, "casebook.yaml") {
		return libs
	}
	dir, r = buildSearchable(t, content)
	return append(libs, library{"content", serve(t, dir, ""), r})
}

// buildSearchable builds a library with the search index a static host
// would have, so that the search page shows results rather than an error.
func buildSearchable(t *testing.T, lib fs.FS) (string, *render.Renderer) {
	t.Helper()
	dir, r := build(t, lib, site.Options{Now: fixtureNow})
	ci, err := index.ClientIndex(r.Pages()[0].Site)
	if err != nil {
		t.Fatal(err)
	}
	if err := dirOutput(dir).WriteFile(index.ClientIndexFile, ci); err != nil {
		t.Fatal(err)
	}
	return dir, r
}

// kindPages returns a page of every kind a theme renders (the first of
// each) and every review, since review bodies are where content varies.
// It fails the test when a kind is missing, so that a check over the
// pages cannot pass by leaving one out.
func kindPages(t *testing.T, r *render.Renderer) []*render.Page {
	t.Helper()
	seen := map[render.Kind]bool{}
	var pages []*render.Page
	for _, p := range r.Pages() {
		if !seen[p.Kind] || p.Kind == render.KindReview {
			pages = append(pages, p)
		}
		seen[p.Kind] = true
	}
	for _, k := range render.Kinds() {
		if !seen[k] {
			t.Errorf("no page of kind %s", k)
		}
	}
	return pages
}

// load opens a page and waits until its scripts have done what they do on
// load: on the search page, the first search (which fetches).
func load(t *testing.T, ctx context.Context, base string, p *render.Page) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+p.URL)); err != nil {
		t.Fatalf("opening %s: %v", p.URL, err)
	}
	if p.Kind == "search" {
		// The static server has no API, so this waits for the fallback to
		// search-index.json as well.
		browser.Wait(t, ctx, "the first results on "+p.URL, `document.querySelectorAll('#search-results .search-hit').length > 0`)
	}
}

// TestBrowserNoExternalRequests loads a page of every kind and fails on
// any request that leaves the test server: the theme promises no CDNs,
// fonts or trackers.
func TestBrowserNoExternalRequests(t *testing.T) {
	t.Parallel()
	for _, lib := range libraries(t) {
		t.Run(lib.name, func(t *testing.T) {
			ctx := browser.New(t)
			srv, err := url.Parse(lib.base)
			if err != nil {
				t.Fatal(err)
			}
			var (
				mu   sync.Mutex
				urls []string
			)
			// Listen rather than Events: the callback runs before the
			// command that caused the request returns, so nothing is
			// missed between pages.
			if err := chromedp.Listen(ctx, func(ev any) {
				if e, ok := ev.(*network.EventRequestWillBeSent); ok {
					mu.Lock()
					urls = append(urls, e.Request.URL)
					mu.Unlock()
				}
			}); err != nil {
				t.Fatal(err)
			}
			for _, p := range kindPages(t, lib.r) {
				load(t, ctx, lib.base, p)
			}
			mu.Lock()
			defer mu.Unlock()
			ownCSS := false
			for _, raw := range urls {
				u, err := url.Parse(raw)
				if err != nil {
					t.Errorf("unparsable request URL %q", raw)
					continue
				}
				if u.Scheme == "data" {
					continue // inline, never on the network
				}
				if u.Host != srv.Host {
					t.Errorf("external request: %s", raw)
				}
				if strings.HasSuffix(u.Path, "/css/site.css") {
					ownCSS = true
				}
			}
			// Without this a recorder that saw nothing would pass.
			if !ownCSS {
				t.Fatalf("the recorder did not see the stylesheet load; saw %d requests", len(urls))
			}
		})
	}
}

// luminanceJS defines lum(cssColour), the relative luminance (WCAG) of a
// computed colour, contrast(a, b), and bg(el), the colour behind el: its
// and its ancestors' backgrounds composited down to the first opaque one
// (color-mix with transparent makes translucent ones).
const luminanceJS = `
const rgb = c => {
	const v = (c.match(/[\d.]+/g) || []).map(Number);
	// color-mix computes to color(srgb r g b / a), with channels from 0 to 1.
	if (c.startsWith('color(')) return v.slice(0, 3).map(x => x * 255).concat(v.slice(3, 4));
	return v;
};
const lum = c => {
	const [r, g, b] = rgb(c).slice(0, 3).map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
const bg = el => {
	const layers = [];
	for (let e = el; e; e = e.parentElement) {
		const v = rgb(getComputedStyle(e).backgroundColor);
		const a = v.length > 3 ? v[3] : 1;
		if (a > 0) layers.push([v[0], v[1], v[2], a]);
		if (a >= 1) break;
	}
	let c = [255, 255, 255];
	for (const [r, g, b, a] of layers.reverse()) c = [r * a + c[0] * (1 - a), g * a + c[1] * (1 - a), b * a + c[2] * (1 - a)];
	return 'rgb(' + c.join(', ') + ')';
};
`

// codeColours reports, for the first code block of the page, its
// background's luminance, the lowest contrast of any token against it
// (with that token) and the colour of its first keyword.
type codeColours struct {
	Background float64 `json:"background"`
	Body       float64 `json:"body"`
	Worst      float64 `json:"worst"`
	WorstToken string  `json:"worstToken"`
	Keyword    string  `json:"keyword"`
}

func colours(t *testing.T, ctx context.Context) codeColours {
	t.Helper()
	return browser.Eval[codeColours](t, ctx, `(() => {`+luminanceJS+`
		const pre = document.querySelector('.highlight pre.chroma');
		if (!pre) return {worst: -1};
		const back = bg(pre);
		let worst = Infinity, worstToken = '';
		for (const s of pre.querySelectorAll('span')) {
			if (s.children.length || !s.textContent.trim()) continue;
			const c = contrast(getComputedStyle(s).color, back);
			if (c < worst) { worst = c; worstToken = s.className + ' ' + s.textContent.trim(); }
		}
		const k = pre.querySelector('.k, .kd, .kt');
		return {background: lum(back), body: lum(bg(document.body)), worst, worstToken, keyword: k ? getComputedStyle(k).color : ''};
	})()`)
}

// TestBrowserDarkMode emulates prefers-color-scheme: dark and checks that
// the page and its code blocks turn dark and stay readable; light first,
// so that an emulation that does nothing fails.
func TestBrowserDarkMode(t *testing.T) {
	t.Parallel()
	ctx := browser.New(t)
	dir, _ := build(t, fixtureFS(t), site.Options{Now: fixtureNow})
	base := serve(t, dir, "/lib")
	const review = "/reviews/2025-01-10-alpha/" // the one with a code block
	scheme := func(value string) {
		t.Helper()
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: value}},
		}); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+review)); err != nil {
			t.Fatal(err)
		}
	}

	scheme("light")
	light := colours(t, ctx)
	if light.Worst < 0 {
		t.Fatalf("%s has no highlighted code block", review)
	}
	if light.Body < 0.8 || light.Background < 0.6 {
		t.Errorf("light: page luminance %.2f, code %.2f; want light backgrounds", light.Body, light.Background)
	}
	if light.Worst < 3 {
		t.Errorf("light: token %q has contrast %.2f against its code block, want at least 3", light.WorstToken, light.Worst)
	}

	scheme("dark")
	dark := colours(t, ctx)
	browser.Screenshot(t, ctx, "review-dark")
	if dark.Body > 0.05 {
		t.Errorf("dark: the body background has luminance %.3f, want a dark one (at most 0.05)", dark.Body)
	}
	if dark.Background > 0.05 {
		t.Errorf("dark: the code block background has luminance %.3f, want a dark one", dark.Background)
	}
	if dark.Worst < 3 {
		t.Errorf("dark: token %q has contrast %.2f against its code block, want at least 3 (light chroma colours on a dark block?)", dark.WorstToken, dark.Worst)
	}
	if dark.Keyword == "" || dark.Keyword == light.Keyword {
		t.Errorf("keywords are %q in light and %q in dark; the dark chroma style should recolour them", light.Keyword, dark.Keyword)
	}

	// The toggle: with the system dark, choosing light makes the page and
	// its code light, the choice survives a reload, and auto goes back to
	// the system's.
	if !browser.Eval[bool](t, ctx, `!document.querySelector('.theme-toggle').hidden`) {
		t.Fatal("the theme toggle is hidden with JavaScript on")
	}
	clickToggle := func() {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.theme-toggle`))); err != nil {
			t.Fatal(err)
		}
	}
	clickToggle() // auto → light
	if got := browser.Eval[string](t, ctx, `localStorage.getItem('casebook:theme')`); got != "light" {
		t.Errorf("after one click the stored theme is %q, want light", got)
	}
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	chosen := colours(t, ctx)
	if chosen.Body < 0.8 || chosen.Background < 0.6 || chosen.Keyword != light.Keyword {
		t.Errorf("light chosen under a dark system: page %.2f, code %.2f, keyword %q (light's is %q)", chosen.Body, chosen.Background, chosen.Keyword, light.Keyword)
	}
	if got := browser.Eval[string](t, ctx, `document.querySelector('.theme-toggle .value').textContent`); got != "light" {
		t.Errorf("the toggle reads %q, want light", got)
	}
	clickToggle() // light → dark
	clickToggle() // dark → auto: the system's dark again
	if again := colours(t, ctx); again.Body > 0.05 || browser.Eval[bool](t, ctx, `localStorage.getItem('casebook:theme') !== null`) {
		t.Errorf("back on auto: body luminance %.3f, stored %q", again.Body, browser.Eval[string](t, ctx, `String(localStorage.getItem('casebook:theme'))`))
	}
}

// TestBrowserPrint emulates print media on a review: navigation and search
// go, the review itself stays.
func TestBrowserPrint(t *testing.T) {
	t.Parallel()
	ctx := browser.New(t)
	dir, _ := build(t, fixtureFS(t), site.Options{Now: fixtureNow})
	base := serve(t, dir, "/lib")
	media := func(m string) {
		t.Helper()
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m}); err != nil {
			t.Fatal(err)
		}
	}
	display := func(sel string) string {
		t.Helper()
		return browser.Eval[string](t, ctx, fmt.Sprintf(`(e => e ? getComputedStyle(e).display : 'missing')(document.querySelector(%q))`, sel))
	}
	rendered := func(sel string) bool {
		t.Helper()
		return browser.Eval[bool](t, ctx, fmt.Sprintf(`(e => !!e && e.getClientRects().length > 0 && e.getBoundingClientRect().height > 0)(document.querySelector(%q))`, sel))
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/reviews/2025-01-10-alpha/")); err != nil {
		t.Fatal(err)
	}
	// On screen all of it shows, so the checks below test print styles.
	for _, sel := range []string{".site-header", ".site-nav", ".site-search", ".prose"} {
		if !rendered(sel) {
			t.Fatalf("on screen, %s is not shown", sel)
		}
	}
	media("print")
	for _, sel := range []string{".site-header", ".site-search", ".site-footer", ".timeline-filters"} {
		if d := display(sel); d != "none" {
			t.Errorf("print: %s has display %s, want none", sel, d)
		}
	}
	if rendered(".site-nav") {
		t.Error("print: the site navigation is shown")
	}
	for _, sel := range []string{".review-head h1", ".prose", ".prose .timeline", ".highlight pre"} {
		if !rendered(sel) {
			t.Errorf("print: %s is not shown", sel)
		}
	}
	if n := visible(t, ctx, "li.timeline-event"); n != 9 {
		t.Errorf("print: %d timeline events shown, want all 9", n)
	}
	browser.Screenshot(t, ctx, "review-print")

	// The search page's own box goes as well.
	media("")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/")); err != nil {
		t.Fatal(err)
	}
	if !rendered("#search-page-input") {
		t.Fatal("on screen, the search page's box is not shown")
	}
	media("print")
	if rendered("#search-page-input") || rendered("#site-search-input") {
		t.Error("print: a search box is shown on the search page")
	}
}

// TestBrowserPhone loads every page kind at 320 and 390 px wide and fails
// when the page scrolls sideways, naming the elements that stick out, or
// when the header's search dropdown leaves the viewport.
func TestBrowserPhone(t *testing.T) {
	t.Parallel()
	for _, lib := range libraries(t) {
		for _, width := range []int{320, browser.PhoneWidth} {
			t.Run(fmt.Sprintf("%s/%d", lib.name, width), func(t *testing.T) {
				t.Parallel()
				ctx := browser.New(t)
				if err := browser.Viewport(ctx, width, browser.PhoneHeight, true); err != nil {
					t.Fatal(err)
				}
				shot := map[string]bool{}
				for _, p := range kindPages(t, lib.r) {
					load(t, ctx, lib.base, p)
					if w := browser.Eval[int](t, ctx, `document.documentElement.clientWidth`); w != width {
						t.Fatalf("%s: the page is %d px wide, want the phone's %d", p.URL, w, width)
					}
					if wide := browser.Eval[[]string](t, ctx, overflowJS); len(wide) > 0 {
						t.Errorf("%s (%s) scrolls sideways at %d px: %v", p.URL, p.Kind, width, wide)
					}
					if !shot[string(p.Kind)] {
						shot[string(p.Kind)] = true
						browser.Screenshot(t, ctx, fmt.Sprintf("phone%d-%s-%s", width, lib.name, p.Kind))
					}
				}
				checkDropdown(t, ctx, lib.base, width)
			})
		}
	}
}

// overflowJS lists what sticks out past the right edge when the page is
// wider than the viewport: the outermost such elements, to say what to fix.
const overflowJS = `(() => {
	const d = document.documentElement;
	if (d.scrollWidth <= d.clientWidth) return [];
	const out = [];
	for (const e of document.body.querySelectorAll('*')) {
		const r = e.getBoundingClientRect();
		if (r.right <= d.clientWidth + 0.5 || !r.width) continue;
		if (out.some(o => o.el.contains(e))) continue;
		out.push({el: e, text: e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') + ' right=' + Math.round(r.right)});
	}
	return ['scrollWidth ' + d.scrollWidth].concat(out.slice(0, 6).map(o => o.text));
})()`

// checkDropdown types into the header's search box on the home page and
// fails when the results dropdown reaches past either side of the viewport.
func checkDropdown(t *testing.T, ctx context.Context, base string, width int) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/")); err != nil {
		t.Fatal(err)
	}
	if browser.Eval[bool](t, ctx, `!!document.querySelector('script[src$="/js/search.js"]')`) {
		t.Error("the home page loads search.js before the search box is used")
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#site-search-input`), "kafka")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "the header dropdown's results", `(d => d && !d.hidden && d.querySelectorAll('a').length > 0)(document.getElementById('site-search-results'))`)
	r := browser.Eval[map[string]float64](t, ctx, `(r => ({left: r.left, right: r.right}))(document.getElementById('site-search-results').getBoundingClientRect())`)
	if r["left"] < 0 || r["right"] > float64(width)+0.5 {
		t.Errorf("at %d px the header dropdown spans %.0f to %.0f px, outside the viewport", width, r["left"], r["right"])
	}
	browser.Screenshot(t, ctx, fmt.Sprintf("phone%d-dropdown", width))
}

// lowContrastJS lists the visible text on the page whose colour has less
// than 3:1 contrast with the first opaque background behind it (WCAG's
// floor for large text; body text should do better).
const lowContrastJS = `(() => {` + luminanceJS + `
	const out = [];
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	const seen = new Set();
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		const e = n.parentElement;
		if (!n.textContent.trim() || seen.has(e)) continue;
		seen.add(e);
		if (!e.getClientRects().length || e.closest('[hidden], .visually-hidden, svg, noscript')) continue;
		const st = getComputedStyle(e);
		if (st.visibility !== 'visible' || +st.opacity === 0 || /transparent|rgba\(0, 0, 0, 0\)/.test(st.color)) continue;
		const c = contrast(st.color, bg(e));
		if (c < 3) out.push(e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/\s+/).join('.') : '') + ' "' + n.textContent.trim().slice(0, 30) + '" ' + c.toFixed(2));
	}
	return out.slice(0, 8);
})()`

// TestBrowserDarkPages checks every page kind in both colour schemes:
// the body follows the scheme and no text fades into its background.
func TestBrowserDarkPages(t *testing.T) {
	t.Parallel()
	for _, lib := range libraries(t) {
		t.Run(lib.name, func(t *testing.T) {
			ctx := browser.New(t)
			pages := kindPages(t, lib.r)
			for _, scheme := range []string{"light", "dark"} {
				if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
					Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
				}); err != nil {
					t.Fatal(err)
				}
				for _, p := range pages {
					load(t, ctx, lib.base, p)
					body := browser.Eval[float64](t, ctx, `(() => {`+luminanceJS+` return lum(bg(document.body)); })()`)
					if (scheme == "dark") != (body < 0.05) {
						t.Errorf("%s, %s: the body background has luminance %.3f", scheme, p.URL, body)
					}
					if low := browser.Eval[[]string](t, ctx, lowContrastJS); len(low) > 0 {
						t.Errorf("%s, %s: text below 3:1 contrast: %v", scheme, p.URL, low)
					}
				}
			}
		})
	}
}

// TestBrowserNoScript loads every page kind of the fixture on a phone with
// JavaScript off: nothing scrolls sideways, every section link shows (no
// menu button that could not open), the theme toggle stays hidden, and the
// search page's filters are open.
func TestBrowserNoScript(t *testing.T) {
	t.Parallel()
	ctx := browser.New(t)
	dir, r := build(t, fixtureFS(t), site.Options{Now: fixtureNow})
	base := serve(t, dir, "/lib")
	if err := browser.Viewport(ctx, 320, browser.PhoneHeight, true); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	links := len(r.Pages()[0].Site.Taxonomies) + 5
	for _, p := range kindPages(t, r) {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+p.URL)); err != nil {
			t.Fatalf("opening %s: %v", p.URL, err)
		}
		if browser.Eval[bool](t, ctx, `document.documentElement.classList.contains('js')`) {
			t.Fatal("scripts ran: the emulation did not turn them off")
		}
		if wide := browser.Eval[[]string](t, ctx, overflowJS); len(wide) > 0 {
			t.Errorf("%s without JavaScript scrolls sideways at 320 px: %v", p.URL, wide)
		}
		if n := visible(t, ctx, ".site-nav a"); n != links {
			t.Errorf("%s without JavaScript: %d section links show, want all %d", p.URL, n, links)
		}
		if n := visible(t, ctx, ".theme-toggle, .nav-toggle, .copy-code"); n != 0 {
			t.Errorf("%s without JavaScript shows %d controls that need it", p.URL, n)
		}
		if p.Kind == "search" && !browser.Eval[bool](t, ctx, `document.getElementById('search-filters').open`) {
			t.Error("without JavaScript the search filters are folded")
		}
		if p.Kind == "home" || p.Kind == "search" {
			browser.Screenshot(t, ctx, "phone320-noscript-"+string(p.Kind))
		}
	}
}
