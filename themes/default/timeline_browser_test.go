package defaulttheme_test

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/casebook/casebook/internal/browser"
	"github.com/casebook/casebook/site"
	"github.com/chromedp/chromedp"
	"golang.org/x/tools/txtar"
)

// taggedFixture is a review with two tagged timelines: the first built
// from two chat channels, the second (a follow-up incident) with its own
// state in the address.
const taggedFixture = `
-- casebook.yaml --
title: Tagged
timezone: UTC
-- people/ann-lee.md --
---
name: Ann Lee
---
-- reviews/2025-02-01-search.md --
---
title: Search went red
---
## Timeline

~~~timeline
2025-02-01 14:02 | trigger/actual [#search-incident] | Alias swapped by @bob-stone
14:05 | detection/weak-signal [#search-alerts] | Heap graph crept up
14:10 | responder/joins [#search-incident] | @ann-lee joined
14:20 | hypothesis/disproved [#search-incident] | @ann-lee rules out the broker
14:25 | hypothesis/proved [#search-incident] | @bob-stone finds the alias
14:31 | communication/issue [#search-alerts] | Two status updates disagree
14:40 | repair | @bob-stone swaps the alias back
~~~

## The second day

~~~timeline
2025-02-02 09:00 | detection/alert [#search-alerts] | Paged again
09:10 | hypothesis/disproved [#search-incident] | Not the alias this time
09:20 | repair [#search-incident] | Restarted
~~~
`

func taggedFS(t testing.TB) fs.FS {
	t.Helper()
	lib := fstest.MapFS{}
	for _, f := range txtar.Parse([]byte(taggedFixture)).Files {
		lib[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	return lib
}

// TestBrowserTimelineFilters selects chips in every row of two timelines,
// checks which events stay visible and what the summary says, reloads the
// address and checks the same state comes back, then clears it all.
func TestBrowserTimelineFilters(t *testing.T) {
	t.Parallel()
	ctx := browser.New(t)
	dir, _ := build(t, taggedFS(t), site.Options{Now: fixtureNow})
	base := serve(t, dir, "")
	const page = "/reviews/2025-02-01-search/"
	if err := chromedp.Do(ctx, chromedp.Navigate(base+page)); err != nil {
		t.Fatal(err)
	}
	// shown lists the visible events' texts of timeline n (1-based).
	shown := func(n int) []string {
		t.Helper()
		return texts(t, ctx, fmt.Sprintf(`Array.from(document.querySelectorAll('figure.timeline')[%d].querySelectorAll('li.timeline-event'))
			.filter(e => e.getClientRects().length > 0).map(e => e.querySelector('.event-text').textContent.trim())`, n-1))
	}
	click := func(sel string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
			t.Fatalf("clicking %s: %v", sel, err)
		}
	}
	summary := func(n int) string {
		t.Helper()
		return browser.Eval[string](t, ctx, fmt.Sprintf(`(s => s.hidden ? '' : s.textContent)(document.querySelector('#timeline-filters-%d .filter-summary'))`, n))
	}
	if got := len(shown(1)); got != 7 {
		t.Fatalf("before filtering: %d events, want 7", got)
	}
	rows := texts(t, ctx, `Array.from(document.querySelectorAll('#timeline-filters-1 .row-label')).map(e => e.textContent)`)
	if want := []string{"Type", "Tag", "Participant", "Source"}; !slices.Equal(rows, want) {
		t.Errorf("rows %v, want %v", rows, want)
	}

	// Two tags OR together; a source ANDs with them.
	click(`#timeline-filters-1 button[data-tag="hypothesis/disproved"]`)
	click(`#timeline-filters-1 button[data-tag="hypothesis/proved"]`)
	if got, want := shown(1), []string{"Ann Lee rules out the broker", "@bob-stone finds the alias"}; !slices.Equal(got, want) {
		t.Errorf("two tags: %q, want %q", got, want)
	}
	click(`#timeline-filters-1 button[data-person="ann-lee"]`)
	if got, want := shown(1), []string{"Ann Lee rules out the broker"}; !slices.Equal(got, want) {
		t.Errorf("tags and Ann: %q, want %q", got, want)
	}
	if got, want := summary(1), "Filtered by tag: hypothesis/disproved or hypothesis/proved · participant: Ann Lee."; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	// The second timeline is filtered on its own.
	if got := len(shown(2)); got != 3 {
		t.Errorf("the second timeline shows %d events, want all 3", got)
	}
	click(`#timeline-filters-2 button[data-source="search-incident"]`)
	click(`#timeline-filters-2 button[data-kind="repair"]`)
	if got, want := shown(2), []string{"Restarted"}; !slices.Equal(got, want) {
		t.Errorf("second timeline, source and type: %q, want %q", got, want)
	}
	if got, want := summary(2), "Filtered by type: repair · source: #search-incident."; got != want {
		t.Errorf("second summary %q, want %q", got, want)
	}
	search := browser.Eval[string](t, ctx, `location.search`)
	for _, want := range []string{"tag=hypothesis/disproved,hypothesis/proved", "person=ann-lee", "kind2=repair", "source2=search-incident"} {
		if !strings.Contains(search, want) {
			t.Errorf("the address %q lacks %q", search, want)
		}
	}

	// A reload (or the address shared) gives the same view.
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	if got, want := shown(1), []string{"Ann Lee rules out the broker"}; !slices.Equal(got, want) {
		t.Errorf("after a reload: %q, want %q", got, want)
	}
	if got, want := shown(2), []string{"Restarted"}; !slices.Equal(got, want) {
		t.Errorf("second timeline after a reload: %q, want %q", got, want)
	}
	pressed := texts(t, ctx, `Array.from(document.querySelectorAll('#timeline-filters-1 [aria-pressed=true]')).map(b => b.getAttribute('data-tag') || b.getAttribute('data-person'))`)
	if want := []string{"hypothesis/disproved", "hypothesis/proved", "ann-lee"}; !slices.Equal(pressed, want) {
		t.Errorf("after a reload, pressed chips %v, want %v", pressed, want)
	}
	if got := summary(1); !strings.HasPrefix(got, "Filtered by tag:") {
		t.Errorf("after a reload the summary reads %q", got)
	}
	browser.Screenshot(t, ctx, "timeline-tagged-filtered")
	if browser.Eval[bool](t, ctx, `Array.from(document.querySelectorAll('.timeline-event .kind')).some(k => k.getBoundingClientRect().right > k.parentElement.querySelector('.event-text').getBoundingClientRect().left + 1)`) {
		t.Error("a tag runs into its event's text")
	}

	// Clear all empties the first timeline's filters, not the second's.
	click(`#timeline-filters-1 .filter-clear`)
	if got := len(shown(1)); got != 7 {
		t.Errorf("after clear all: %d events, want 7", got)
	}
	if got := summary(1); got != "" {
		t.Errorf("after clear all the summary still reads %q", got)
	}
	if got := browser.Eval[int](t, ctx, `document.querySelectorAll('#timeline-filters-1 [aria-pressed=true]').length`); got != 0 {
		t.Errorf("after clear all %d chips stay pressed", got)
	}
	if got := browser.Eval[string](t, ctx, `location.search`); got != "?source2=search-incident&kind2=repair" {
		t.Errorf("after clear all the address is %q", got)
	}
	// The links /insights/ makes (the tag escaped) open the first
	// timeline filtered, scrolled to.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+page+"?tag=hypothesis%2fdisproved")); err != nil {
		t.Fatal(err)
	}
	if got, want := shown(1), []string{"Ann Lee rules out the broker"}; !slices.Equal(got, want) {
		t.Errorf("from an insights link: %q, want %q", got, want)
	}
	if got := len(shown(2)); got != 3 {
		t.Errorf("from an insights link the second timeline shows %d events, want 3", got)
	}
	if browser.Eval[float64](t, ctx, `scrollY`) == 0 {
		t.Error("from an insights link the page did not scroll to the filtered timeline")
	}
	if err := browser.Viewport(ctx, browser.PhoneWidth, browser.PhoneHeight, true); err != nil {
		t.Fatal(err)
	}
	click(`#timeline-filters-1 .filter-clear`)
	click(`#timeline-filters-1 button[data-source="search-alerts"]`)
	if got, want := shown(1), []string{"Heap graph crept up", "Two status updates disagree"}; !slices.Equal(got, want) {
		t.Errorf("on a phone, by source: %q, want %q", got, want)
	}
	if browser.Eval[bool](t, ctx, `document.documentElement.scrollWidth > innerWidth`) {
		t.Error("on a phone the page scrolls sideways")
	}
	browser.Screenshot(t, ctx, "timeline-tagged-phone")
}
