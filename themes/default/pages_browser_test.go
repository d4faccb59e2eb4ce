package defaulttheme_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/casebook/casebook/internal/browser"
	"github.com/casebook/casebook/site"
	"github.com/chromedp/chromedp"
)

// pagedFS is a library of seven reviews with page_size: 3, so that
// /reviews/, /follow-ups/ and a term span pages: r7 r6 r5 | r4 r3 r2 | r1,
// newest first. Odd reviews are on the api service, even ones on db;
// Ann is on r2 (SEV1), r4 (SEV3) and r6 (SEV2); Bob on the rest. Each
// review has one follow-up, done on r2 and r5 and open otherwise.
func pagedFS() fs.FS {
	lib := fstest.MapFS{
		"casebook.yaml": {Data: []byte("title: Paged\nbaseURL: https://example.com/lib/\nseverities: [SEV1, SEV2, SEV3]\npage_size: 3\n")},
	}
	sev := map[int]string{1: "SEV3", 2: "SEV1", 3: "SEV2", 4: "SEV3", 5: "SEV1", 6: "SEV2", 7: "SEV3"}
	for i := 1; i <= 7; i++ {
		svc, who, status := "db", "ann-lee", "open"
		if i%2 == 1 {
			svc, who = "api", "bob-stone"
		}
		if i == 2 || i == 5 {
			status = "done"
		}
		lib[fmt.Sprintf("reviews/2025-0%d-01-r%d.md", i, i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(`---
title: Review %d
summary: The summary of review %d.
severity: %s
services: [%s]
responders: [%s]
follow_ups:
  - title: Follow-up %d
    owner: %s
    status: %s
    due: 2026-01-01
---
Body.
`, i, i, sev[i], svc, who, i, who, status))}
	}
	return lib
}

// TestBrowserPagination: the build splits long lists into pages, and the
// filters of a split list cover all of it, keep their state (page
// included) in the address, and turn pages without reloading.
func TestBrowserPagination(t *testing.T) {
	t.Parallel()
	ctx := browser.New(t)
	dir, _ := build(t, pagedFS(), site.Options{Now: fixtureNow})
	base := serve(t, dir, "/lib")
	open := func(t *testing.T, path string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
			t.Fatal(err)
		}
		browser.Wait(t, ctx, "the filters", `!document.querySelector('form.filters') || !document.querySelector('form.filters').hidden`)
	}
	const rows = `Array.from(document.querySelectorAll('#reviews-table tbody tr')).map(e => e.dataset.slug.replace(/.*-/, ''))`
	want := func(t *testing.T, what string, js string, w ...string) {
		t.Helper()
		browser.Wait(t, ctx, what, fmt.Sprintf(`JSON.stringify(%s) === %q`, js, mustJSON(w)))
	}
	fetchedData := `performance.getEntriesByType('resource').some(e => e.name.includes('/reviews/data.json'))`

	t.Run("reviews pages", func(t *testing.T) {
		open(t, "/reviews/")
		want(t, "page 1", rows, "r7", "r6", "r5")
		if browser.Eval[bool](t, ctx, fetchedData) {
			t.Error("the first page fetched the list's data before any filter was used")
		}
		if got := texts(t, ctx, `Array.from(document.querySelectorAll('#reviews-pager nav.pager a')).map(a => a.textContent)`); !slices.Equal(got, []string{"Page 1", "Page 2", "Page 3", "Next page"}) {
			t.Errorf("pager links: %q", got)
		}
		if got := browser.Eval[string](t, ctx, `document.querySelector('#reviews-pager a[aria-current=page]').textContent`); got != "Page 1" {
			t.Errorf("current page: %q", got)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#reviews-pager a[rel=next]`))); err != nil {
			t.Fatal(err)
		}
		browser.Wait(t, ctx, "page 2's address", `location.pathname === '/lib/reviews/page/2/'`)
		want(t, "page 2", rows, "r4", "r3", "r2")
		if got := browser.Eval[string](t, ctx, `document.title`); !strings.Contains(got, "page 2 of 3") {
			t.Errorf("page 2's title: %q", got)
		}
		if got := browser.Eval[int](t, ctx, `document.querySelectorAll('#reviews-table .title-cell p').length`); got != 3 {
			t.Errorf("the build's rows have %d summaries, want 3", got)
		}
	})

	t.Run("filter across pages", func(t *testing.T) {
		open(t, "/reviews/page/2/")
		browser.Eval[any](t, ctx, `window.stillHere = true`)
		pick(t, ctx, "#reviews-term", "api")
		want(t, "api reviews, first page", rows, "r7", "r5", "r3")
		if got := browser.Eval[string](t, ctx, `location.pathname + location.search`); got != "/lib/reviews/?term=services%3Aapi" {
			t.Errorf("address after filtering on page 2: %s", got)
		}
		if got := browser.Eval[string](t, ctx, `document.getElementById('reviews-count').textContent`); got != "4 of 7 reviews" {
			t.Errorf("count: %q", got)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#reviews-pager a[data-page="2"]`))); err != nil {
			t.Fatal(err)
		}
		want(t, "api reviews, second page", rows, "r1")
		if !browser.Eval[bool](t, ctx, `window.stillHere === true`) {
			t.Error("turning a filtered list's page reloaded the page")
		}
		if got := browser.Eval[string](t, ctx, `location.search`); got != "?term=services%3Aapi&page=2" {
			t.Errorf("address on the filtered list's page 2: %s", got)
		}
		// The address holds the whole state: opening it again shows the same.
		open(t, "/reviews/?term=services%3Aapi&page=2")
		want(t, "api reviews, second page, reloaded", rows, "r1")
		if got := browser.Eval[string](t, ctx, `document.getElementById('reviews-term').value`); got != "api (Service)" {
			t.Errorf("term box after a reload: %q", got)
		}
		if got := browser.Eval[string](t, ctx, `document.querySelector('#reviews-pager a[aria-current=page]').textContent`); got != "Page 2" {
			t.Errorf("current page after a reload: %q", got)
		}
	})

	t.Run("person and severity", func(t *testing.T) {
		open(t, "/reviews/?person=ann-lee&sort=severity")
		want(t, "Ann's reviews, most severe first", rows, "r2", "r6", "r4")
		if got := browser.Eval[string](t, ctx, `document.getElementById('reviews-person').value`); got != "Ann Lee" {
			t.Errorf("person box: %q", got)
		}
		// Rows the script draws link where the build's do.
		if got := browser.Eval[string](t, ctx, `document.querySelector('#reviews-table tbody tr a.title').getAttribute('href')`); got != "/lib/reviews/2025-02-01-r2/" {
			t.Errorf("a drawn row links to %s", got)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#reviews-reset`))); err != nil {
			t.Fatal(err)
		}
		// Clearing the filters keeps the order chosen.
		want(t, "cleared, most severe first", rows, "r5", "r2", "r6")
		choose(t, ctx, "#reviews-sort", "date-desc")
		want(t, "cleared: the build's first page", rows, "r7", "r6", "r5")
		if got := browser.Eval[string](t, ctx, `location.pathname + location.search`); got != "/lib/reviews/" {
			t.Errorf("address after clearing: %s", got)
		}
		if got := browser.Eval[int](t, ctx, `document.querySelectorAll('#reviews-table .title-cell p').length`); got != 3 {
			t.Errorf("after clearing, %d summaries, want the build's 3", got)
		}
	})

	t.Run("a person page links to all their reviews", func(t *testing.T) {
		open(t, "/people/bob-stone/")
		link := browser.Eval[string](t, ctx, `(document.querySelector('p.more a[href*="/reviews/?person="]') || {}).getAttribute ? document.querySelector('p.more a[href*="/reviews/?person="]').getAttribute('href') : ''`)
		if link != "/lib/reviews/?person=bob-stone" {
			t.Fatalf("link to all of Bob's reviews: %q", link)
		}
		if got := browser.Eval[int](t, ctx, `document.querySelectorAll('#person-reviews + ul.review-list > li').length`); got != 3 {
			t.Errorf("Bob's page lists %d reviews, want page_size 3", got)
		}
		open(t, link[len("/lib"):])
		want(t, "all of Bob's", rows, "r7", "r5", "r3")
		if got := browser.Eval[string](t, ctx, `document.querySelector('#reviews-pager .pager-range').textContent`); got != "1–3 of 4" {
			t.Errorf("pager range: %q", got)
		}
	})

	t.Run("follow-ups across pages", func(t *testing.T) {
		open(t, "/follow-ups/")
		fu := `Array.from(document.querySelectorAll('table.followups tbody tr')).map(e => e.querySelector('td').firstChild.textContent.trim())`
		if got := len(texts(t, ctx, fu)); got != 3 {
			t.Errorf("follow-ups page 1 has %d rows, want 3", got)
		}
		choose(t, ctx, "#fu-status", "done")
		want(t, "done follow-ups from every page", fu, "Follow-up 5", "Follow-up 2")
		if got := browser.Eval[string](t, ctx, `location.search`); got != "?status=done" {
			t.Errorf("address: %s", got)
		}
		choose(t, ctx, "#fu-status", "")
		pick(t, ctx, "#fu-owner", "Ann Lee")
		want(t, "Ann's open follow-ups", `Array.from(document.querySelectorAll('table.followups tbody tr')).map(e => e.dataset.owner)`, "ann-lee", "ann-lee", "ann-lee")
		if got := browser.Eval[string](t, ctx, `document.querySelector('table.followups tbody tr a.review-ref').getAttribute('href')`); !strings.HasPrefix(got, "/lib/reviews/") {
			t.Errorf("a drawn follow-up links its review at %q", got)
		}
		open(t, "/follow-ups/?owner=bob-stone&status=open")
		want(t, "Bob's open follow-ups, from the address", fu, "Follow-up 7", "Follow-up 3", "Follow-up 1")
	})

	t.Run("term pages", func(t *testing.T) {
		open(t, "/services/api/")
		if got := browser.Eval[int](t, ctx, `document.querySelectorAll('ul.review-list > li').length`); got != 3 {
			t.Errorf("api's first page lists %d reviews, want 3", got)
		}
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`nav.pager a[rel=next]`))); err != nil {
			t.Fatal(err)
		}
		browser.Wait(t, ctx, "api's second page", `location.pathname === '/lib/services/api/page/2/'`)
		want(t, "api's second page", `Array.from(document.querySelectorAll('ul.review-list > li h3')).map(h => h.textContent)`, "Review 1")
		browser.Screenshot(t, ctx, "term-page-2")
	})
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestBrowserPaginationAxe runs axe-core on the pages of a split list as
// the build writes them and as the filters draw them (rows, pager and
// suggestion boxes), light and dark, desktop and phone.
func TestBrowserPaginationAxe(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser tests are skipped under -short")
	}
	axeJS, err := os.ReadFile(tool(t, "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := build(t, pagedFS(), site.Options{Now: fixtureNow})
	base := serve(t, dir, "/lib")
	pages := []string{"/reviews/page/2/", "/reviews/?term=services%3Aapi&sort=severity&page=2", "/follow-ups/page/2/",
		"/follow-ups/?status=open&owner=ann-lee", "/services/api/page/2/", "/people/bob-stone/"}
	for _, vp := range viewports {
		for _, scheme := range []string{"light", "dark"} {
			t.Run(vp.name+"/"+scheme, func(t *testing.T) {
				t.Parallel()
				ctx := browser.New(t)
				if err := browser.Viewport(ctx, vp.width, vp.height, vp.mobile); err != nil {
					t.Fatal(err)
				}
				emulateScheme(t, ctx, scheme)
				for i, u := range pages {
					if err := chromedp.Do(ctx, chromedp.Navigate(base+u)); err != nil {
						t.Fatal(err)
					}
					if strings.Contains(u, "?") {
						browser.Wait(t, ctx, "the filtered list", `(c => c && c.textContent !== '' && !c.textContent.startsWith('Loading'))(document.querySelector('output.result-count'))`)
					}
					checkAxe(t, ctx, axeJS, u)
					browser.Screenshot(t, ctx, fmt.Sprintf("paged-%d-%s-%s", i, vp.name, scheme))
				}
			})
		}
	}
}
