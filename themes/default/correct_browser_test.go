package defaulttheme_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/casebook/casebook/index"
	"github.com/casebook/casebook/internal/browser"
	"github.com/casebook/casebook/site"
)

// TestBrowserFollowUpCards follows the home page's follow-up cards, as a
// reader would, and counts the rows the filtered list then shows: each
// card's number must be the rows it leads to, and the person page's open
// count the rows its link leads to, since "open" means one thing.
func TestBrowserFollowUpCards(t *testing.T) {
	t.Parallel()
	ctx := browser.New(t)
	for _, lib := range libraries(t) {
		t.Run(lib.name, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(lib.base+"/")); err != nil {
				t.Fatal(err)
			}
			cards := browser.Eval[[][]string](t, ctx, `Array.from(document.querySelectorAll('.stats a.stat')).
				filter(a => a.href.includes('/follow-ups/')).map(a => [a.href, a.querySelector('strong').textContent])`)
			if len(cards) != 2 {
				t.Fatalf("want the open and the overdue card, got %v", cards)
			}
			var owner string
			for _, c := range cards {
				want, _ := strconv.Atoi(c[1])
				if got := rowsAt(t, ctx, c[0]); got != want {
					t.Errorf("the card saying %d leads to %s, which shows %d rows", want, c[0], got)
				}
				browser.Screenshot(t, ctx, lib.name+"-follow-ups-from-card-"+strings.TrimPrefix(c[0][strings.Index(c[0], "?"):], "?status="))
				if want == 0 {
					t.Errorf("%s: the library has no such follow-up, so the test proves nothing", c[0])
				}
				if owner == "" {
					owner = browser.Eval[string](t, ctx, `(r => r ? r.dataset.owner : '')(Array.from(document.querySelectorAll('table.followups tbody tr')).find(r => !r.hidden && r.dataset.owner))`)
				}
			}
			// The open count on the follow-ups page, and an owner's.
			if err := chromedp.Do(ctx, chromedp.Navigate(lib.base+"/follow-ups/")); err != nil {
				t.Fatal(err)
			}
			listed := browser.Eval[string](t, ctx, `document.querySelector('.summary-counts a[href$="/follow-ups/?status=open"] strong').textContent`)
			if listed != cards[0][1] {
				t.Errorf("/follow-ups/ counts %s open, the home page %s", listed, cards[0][1])
			}
			if owner == "" {
				t.Fatal("no open follow-up has an owner")
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(lib.base+"/people/"+owner+"/")); err != nil {
				t.Fatal(err)
			}
			link := browser.Eval[[]string](t, ctx, `(a => a ? [a.href, a.querySelector('strong').textContent] : [])(document.querySelector('.person-stats a'))`)
			if len(link) != 2 {
				t.Fatalf("%s's open follow-ups are not a link", owner)
			}
			want, _ := strconv.Atoi(link[1])
			if got := rowsAt(t, ctx, link[0]); got != want {
				t.Errorf("%s's page says %d open, its link shows %d rows", owner, want, got)
			}
		})
	}
}

// rowsAt opens a follow-ups address and counts the rows it shows.
func rowsAt(t *testing.T, ctx context.Context, url string) int {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "the follow-ups filter", `document.getElementById('fu-count').textContent !== ''`)
	return visible(t, ctx, "table.followups tbody tr")
}

// TestBrowserSearchDates checks the search page's own handling of a date
// range it cannot run, with the search service and with the static
// bundle: the problem is said beside the date boxes, in the page's words,
// with no raw message from the engine and no "Clear the query" button
// (the query is fine); and the page's title carries the query.
func TestBrowserSearchDates(t *testing.T) {
	t.Parallel()
	ctx := browser.New(t)
	dir, r := build(t, fixtureFS(t), site.Options{Now: fixtureNow})
	s := r.Pages()[0].Site
	if err := index.WriteStaticBundle(s, dirOutput(dir)); err != nil {
		t.Fatal(err)
	}
	ix, err := index.Build(s)
	if err != nil {
		t.Fatal(err)
	}
	files := http.StripPrefix("/lib", http.FileServer(http.Dir(dir)))
	mux := http.NewServeMux()
	mux.Handle("/lib/api/search", index.NewHandler(func() *index.Index { return ix }))
	mux.Handle("/", files)
	api := httptest.NewServer(mux)
	t.Cleanup(api.Close)
	modes := []struct{ name, base, note string }{
		{"api", api.URL + "/lib", ""},
		{"static bundle", serve(t, dir, "/lib"), "static"},
	}
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			open := func(q string) {
				t.Helper()
				if err := chromedp.Do(ctx, chromedp.Navigate(m.base+"/search/?"+q)); err != nil {
					t.Fatal(err)
				}
				// The status holds the noscript text until the script speaks.
				browser.Wait(t, ctx, "the search page's first answer", `!document.querySelector('#search-status noscript') && document.getElementById('search-status').textContent !== ''`)
			}
			state := func() (msg, status string, invalid []string, hits int, clear bool) {
				t.Helper()
				v := browser.Eval[map[string]any](t, ctx, `({
					msg: (e => e.hidden ? '' : e.textContent)(document.getElementById('search-date-error')),
					status: document.getElementById('search-status').textContent,
					invalid: Array.from(document.querySelectorAll('.search-dates input[aria-invalid=true]')).map(i => i.name),
					hits: document.querySelectorAll('#search-results .search-hit').length,
					clear: Array.from(document.querySelectorAll('#search-status button')).some(b => b.textContent === 'Clear the query'),
				})`)
				for _, i := range v["invalid"].([]any) {
					invalid = append(invalid, i.(string))
				}
				return v["msg"].(string), v["status"].(string), invalid, int(v["hits"].(float64)), v["clear"].(bool)
			}

			open("q=kafka")
			browser.Wait(t, ctx, "kafka's results", `document.querySelectorAll('#search-results .search-hit').length > 0`)
			if got := browser.Eval[string](t, ctx, `document.title`); got != "kafka · Search · Fixture library" {
				t.Errorf("the title is %q", got)
			}
			if local := browser.Eval[bool](t, ctx, `!document.getElementById('search-mode').hidden`); local != (m.note != "") {
				t.Errorf("searching in the browser: %v", local)
			}

			open("q=kafka&from=2025-06-01&to=2025-01-31")
			msg, status, invalid, hits, clear := state()
			if msg != "The end date, 31 Jan 2025, is before the start date, 1 Jun 2025." {
				t.Errorf("from after to: the message beside the dates reads %q", msg)
			}
			if !slices.Equal(invalid, []string{"from", "to"}) || hits != 0 || clear || strings.Contains(status, "before from") {
				t.Errorf("from after to: invalid %v, %d hits, clear button %v, status %q", invalid, hits, clear, status)
			}
			browser.Screenshot(t, ctx, "search-date-range-"+strings.ReplaceAll(m.name, " ", "-"))

			// Correcting the end date runs the search again.
			browser.Eval[any](t, ctx, `(e => { e.value = '2025-12-31'; e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true})); })(document.getElementById('search-to'))`)
			browser.Wait(t, ctx, "results in the corrected range", `document.querySelectorAll('#search-results .search-hit').length > 0`)
			if msg, _, invalid, _, _ := state(); msg != "" || len(invalid) != 0 {
				t.Errorf("after correcting: message %q, invalid %v", msg, invalid)
			}
			if got := browser.Eval[string](t, ctx, `location.search`); got != "?q=kafka&from=2025-06-01&to=2025-12-31" {
				t.Errorf("the address keeps %q", got)
			}

			open("q=kafka&from=2025-13-45")
			msg, status, invalid, hits, clear = state()
			if msg != "The start date “2025-13-45” is not a date: write it as YYYY-MM-DD." {
				t.Errorf("malformed from: the message reads %q", msg)
			}
			if !slices.Equal(invalid, []string{"from"}) || hits != 0 || clear || strings.Contains(status, "is not a date") {
				t.Errorf("malformed from: invalid %v, %d hits, clear button %v, status %q", invalid, hits, clear, status)
			}
		})
	}
}

// TestBrowserMentionNames reads a review of the example library as a
// reader sees it: its body and timeline name the people whose profiles
// give a name, and no handle of theirs shows.
func TestBrowserMentionNames(t *testing.T) {
	t.Parallel()
	libs := libraries(t)
	if len(libs) < 2 {
		t.Skip("the example library is not here")
	}
	ctx := browser.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(libs[1].base+"/reviews/2023-01-19-expired-ingress-certificate/")); err != nil {
		t.Fatal(err)
	}
	text := browser.Eval[string](t, ctx, `document.getElementById('review-body').innerText`)
	if !strings.Contains(text, "rolled out by Tomáš Novák") {
		t.Errorf("the timeline does not name Tomáš Novák:\n%s", text)
	}
	for _, handle := range []string{"@tomas-novak", "@amara-okafor"} {
		if strings.Contains(text, handle) {
			t.Errorf("the body shows %s, whose profile gives a name", handle)
		}
	}
	browser.Screenshot(t, ctx, "content-review-mention-names")
}
