package defaulttheme_test

import (
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/browser"
	"github.com/casebook/casebook/site"
	"github.com/chromedp/chromedp"
)

// A person's "Taking part" section filters its incidents by period,
// service and technology: the choice comes from the URL and goes back to
// it, the counts follow the rows, and the opened table passes axe-core in
// both schemes on a desktop and a phone. The example library's rota makes
// Jonah Whitfield the ledger expert pulled in while others are on call.
func TestBrowserParticipation(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser tests are skipped under -short")
	}
	content := os.DirFS("../../content")
	if !fileExists(content, "oncall.yaml") {
		t.Skip("no example library")
	}
	axeJS, err := os.ReadFile(tool(t, "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := build(t, content, site.Options{Now: fixtureNow})
	base := serve(t, dir, "")
	ctx := browser.New(t)
	open := func(t *testing.T, path string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
			t.Fatalf("opening %s: %v", path, err)
		}
	}
	counts := func(t *testing.T) map[string]string {
		t.Helper()
		return browser.Eval[map[string]string](t, ctx, `Object.fromEntries(Array.from(document.querySelectorAll('[data-strain] [data-n]')).map(e => [e.dataset.n, e.textContent]))`)
	}
	shown := func(t *testing.T) []string {
		t.Helper()
		return texts(t, ctx, `Array.from(document.querySelectorAll('.strain-table tbody tr')).filter(r => !r.hidden).map(r => r.dataset.q + ' ' + r.dataset.service.trim())`)
	}
	query := func(t *testing.T) url.Values {
		t.Helper()
		u, err := url.Parse(browser.Eval[string](t, ctx, `location.href`))
		if err != nil {
			t.Fatal(err)
		}
		return u.Query()
	}

	t.Run("totals, then filters from the URL", func(t *testing.T) {
		open(t, "/people/jonah-whitfield/")
		if visible(t, ctx, ".strain-filters") != 1 {
			t.Fatal("the filters do not show")
		}
		all := counts(t)
		if all["all"] != "8" || all["off"] != "8" || all["on"] != "0" {
			t.Errorf("unfiltered counts %v, want 8 incidents, all 8 not on call", all)
		}
		open(t, "/people/jonah-whitfield/?from=2024-q1&service=ledger")
		got := shown(t)
		if len(got) == 0 || slices.ContainsFunc(got, func(s string) bool { return s < "2024-q1" || !strings.Contains(" "+s+" ", " ledger ") }) {
			t.Errorf("from 2024 Q1, ledger: rows %v", got)
		}
		// The filtered counts come from strain.json, fetched when a filter
		// is first applied: wait for them rather than read them at once.
		browser.Wait(t, ctx, "the filtered counts", `(() => { const e = document.querySelector('[data-strain] [data-n=all]'); return !!e && e.textContent === '5'; })()`)
		if c := counts(t); c["all"] != "5" {
			t.Errorf("from 2024 Q1, ledger: counts %v, want 5 incidents", c)
		}
	})

	t.Run("a choice goes to the URL and back out", func(t *testing.T) {
		open(t, "/people/jonah-whitfield/?from=2024-q1&service=ledger")
		choose(t, ctx, ".strain-filters [name=service]", "")
		choose(t, ctx, ".strain-filters [name=technology]", "kafka")
		q := query(t)
		if q.Get("technology") != "kafka" || q.Has("service") || q.Get("from") != "2024-q1" || q.Has("to") {
			t.Errorf("URL query %v, want from=2024-q1&technology=kafka only", q)
		}
		for _, s := range texts(t, ctx, `Array.from(document.querySelectorAll('.strain-table tbody tr')).filter(r => !r.hidden).map(r => r.dataset.technology)`) {
			if !strings.Contains(s, " kafka ") {
				t.Errorf("a row without Kafka shows: %q", s)
			}
		}
		// From after To is read as the period between them, not as none.
		choose(t, ctx, ".strain-filters [name=technology]", "")
		choose(t, ctx, ".strain-filters [name=to]", "2023-q1")
		if c := counts(t); c["all"] == "0" {
			t.Errorf("from 2024 Q1 to 2023 Q1 counts nothing: %v", c)
		}
	})

	for _, vp := range viewports {
		for _, scheme := range []string{"light", "dark"} {
			t.Run("axe/"+vp.name+"/"+scheme, func(t *testing.T) {
				if err := browser.Viewport(ctx, vp.width, vp.height, vp.mobile); err != nil {
					t.Fatal(err)
				}
				emulateScheme(t, ctx, scheme)
				for _, path := range []string{"/people/jonah-whitfield/?service=ledger", "/insights/"} {
					open(t, path)
					browser.Eval[bool](t, ctx, `(document.querySelectorAll('details.numbers').forEach(d => d.open = true), true)`)
					checkAxe(t, ctx, axeJS, path)
					name := "strain-person-"
					if path == "/insights/" {
						name = "strain-insights-"
					}
					browser.Screenshot(t, ctx, name+vp.name+"-"+scheme)
				}
			})
		}
	}
}
