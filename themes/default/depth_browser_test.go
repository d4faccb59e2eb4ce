package defaulttheme_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/browser"
	"github.com/casebook/casebook/site"
	"github.com/chromedp/chromedp"
)

// TestBrowserCompare: /compare/?a=x&b=y shows both reviews' depth from
// the build's data file, and a picker changed by typing updates the
// table and the URL.
func TestBrowserCompare(t *testing.T) {
	t.Parallel()
	ctx := browser.New(t)
	dir, _ := build(t, fixtureFS(t), site.Options{Now: fixtureNow})
	base := serve(t, dir, "/lib")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/compare/?a=2025-01-10-alpha&b=2025-03-05-beta")); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "the comparison", `!document.getElementById("compare-wrap").hidden`)
	cell := func(measure, col string) string {
		return browser.Eval[string](t, ctx, `document.querySelector('tr[data-measure=`+measure+`] td[data-col=`+col+`]').textContent`)
	}
	for _, c := range []struct{ measure, a, b string }{
		{"date", "2025-01-10", "2025-03-05"},
		{"factors", "1", "1"},
		{"followUps", "1 of 2", "0 of 1"}, // a dropped follow-up is neither
		{"people", "2", "2"},
		{"reachDays", "0", "no timeline"},
		{"readers", "unknown", "unknown"},
		{"difficulties", "not described", "not described"},
	} {
		if got := cell(c.measure, "a"); got != c.a {
			t.Errorf("%s, first column: %q, want %q", c.measure, got, c.a)
		}
		if got := cell(c.measure, "b"); got != c.b {
			t.Errorf("%s, second column: %q, want %q", c.measure, got, c.b)
		}
	}
	if got := browser.Eval[string](t, ctx, `document.getElementById('compare-a').value`); got != "Alpha lag (2025-01-10)" {
		t.Errorf("first picker shows %q", got)
	}
	if got := browser.Eval[string](t, ctx, `document.querySelector('#compare-head-b a').getAttribute('href')`); got != "/lib/reviews/2025-03-05-beta/" {
		t.Errorf("second column's heading links to %q", got)
	}

	// Typing suggests matching reviews only; choosing one updates the
	// table and the URL.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('compare-b').value = ''`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#compare-b"), "gamm")); err != nil {
		t.Fatal(err)
	}
	if got := texts(t, ctx, `Array.from(document.querySelectorAll('#compare-b-list option')).map(o => o.value)`); strings.Join(got, "|") != "Gamma duplicates (2025-06-20)" {
		t.Errorf("suggestions for gamm: %q", got)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`(() => { const i = document.getElementById('compare-b'); i.value = 'Gamma duplicates (2025-06-20)'; i.dispatchEvent(new Event('change')); })()`)); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "the URL naming gamma", `location.search.includes("b=2025-06-20-gamma")`)
	u, err := url.Parse(browser.Eval[string](t, ctx, `location.href`))
	if err != nil {
		t.Fatal(err)
	}
	if q := u.Query(); q.Get("a") != "2025-01-10-alpha" || q.Get("b") != "2025-06-20-gamma" {
		t.Errorf("URL after choosing: %s", u)
	}
	if got := cell("factors", "b"); got != "2" {
		t.Errorf("gamma's factors: %q, want 2", got)
	}

	// The depth card links here with the review chosen.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/reviews/2025-06-20-gamma/")); err != nil {
		t.Fatal(err)
	}
	if got := browser.Eval[string](t, ctx, `document.querySelector('.depth-compare a').getAttribute('href')`); got != "/lib/compare/?a=2025-06-20-gamma" {
		t.Errorf("Compare with… links to %q", got)
	}
}

// TestBrowserReviewsDepthSort: the depth columns of /reviews/ sort, and
// the text and term filters keep working with them.
func TestBrowserReviewsDepthSort(t *testing.T) {
	t.Parallel()
	ctx := browser.New(t)
	dir, _ := build(t, fixtureFS(t), site.Options{Now: fixtureNow})
	base := serve(t, dir, "/lib")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/reviews/")); err != nil {
		t.Fatal(err)
	}
	order := func() string {
		return strings.Join(texts(t, ctx, `Array.from(document.querySelectorAll('#reviews-table tbody tr')).filter(r => !r.hidden).map(r => r.dataset.slug)`), " ")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`th[data-sort-key=factors] button`))); err != nil {
		t.Fatal(err)
	}
	if got := order(); got != "2025-06-20-gamma 2025-03-05-beta 2025-01-10-alpha" {
		t.Errorf("by factors: %s", got)
	}
	if got := browser.Eval[string](t, ctx, `document.querySelector('th[data-sort-key=factors]').getAttribute('aria-sort')`); got != "descending" {
		t.Errorf("factors column aria-sort = %q", got)
	}
	if !strings.Contains(browser.Eval[string](t, ctx, `location.search`), "sort=factors") {
		t.Errorf("the sort is not in the URL: %s", browser.Eval[string](t, ctx, `location.search`))
	}
	pick(t, ctx, "#reviews-term", "api")
	if got := order(); got != "2025-06-20-gamma 2025-01-10-alpha" {
		t.Errorf("by factors, services: api: %s", got)
	}
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#reviews-text"), "alpha")); err != nil {
		t.Fatal(err)
	}
	if got := order(); got != "2025-01-10-alpha" {
		t.Errorf("by factors, services: api, text alpha: %s", got)
	}
}
