package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// runLists measures the paginated list pages on a static host, in
// headless Chromium, a fresh browser context (empty cache) each run:
//
//   - opening /reviews/: time to the load event, and bytes sent;
//   - typing the most used term into its box: from the key press that
//     completes its name to the matching rows on the page, which fetches
//     the list's data file (bytes sent apart);
//   - the filtered list's next page, and sorting it by severity: from
//     the click or change to the rows;
//   - /follow-ups/, choosing "Overdue": from the change to the rows,
//     fetching follow-ups/data.json.
//
// It prints each run and the medians.
func runLists(args []string) error {
	fs := flag.NewFlagSet("lists", flag.ExitOnError)
	dir := fs.String("site", "", "built site folder")
	runs := fs.Int("runs", 5, "cold runs")
	fs.Parse(args)
	srv, base, err := serveSite(*dir)
	if err != nil {
		return err
	}
	browserCtx, stop, err := startBrowser()
	if err != nil {
		return err
	}
	defer stop()

	names := []string{"open_reviews_ms", "open_reviews_kb", "term_filter_ms", "reviews_data_kb", "next_page_ms", "sort_ms", "followups_filter_ms", "followups_data_kb"}
	all := map[string][]int64{}
	for i := range *runs {
		ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
		ctx, cancelT := context.WithTimeout(ctx, 120*time.Second)
		got, err := listRun(ctx, base, srv)
		cancelT()
		cancel()
		if err != nil {
			return fmt.Errorf("run %d: %w", i+1, err)
		}
		fmt.Printf("run %d:", i+1)
		for _, n := range names {
			all[n] = append(all[n], got[n])
			fmt.Printf(" %s %d", n, got[n])
		}
		fmt.Println()
	}
	for _, n := range names {
		fmt.Printf("%s %d\n", n, medianInt(all[n]))
	}
	return nil
}

// timedJS runs act in the page and resolves with the milliseconds from
// then until done() holds, checked on every change to the page's body.
const timedJS = `new Promise(resolve => {
	const done = () => (%s);
	const t0 = performance.now();
	const obs = new MutationObserver(() => { if (done()) { obs.disconnect(); resolve(Math.round(performance.now() - t0)); } });
	obs.observe(document.body, {childList: true, subtree: true, characterData: true});
	(%s)();
})`

func listRun(ctx context.Context, base string, srv *gzipServer) (map[string]int64, error) {
	got := map[string]int64{}
	sent := func() int64 { return (srv.sent.Swap(0) + srv.other.Swap(0)) / 1024 }
	sent()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/reviews/")); err != nil {
		return nil, err
	}
	load, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`performance.getEntriesByType('navigation')[0].loadEventEnd`))
	if err != nil {
		return nil, err
	}
	got["open_reviews_ms"] = int64(load)
	got["open_reviews_kb"] = sent()

	measure := func(name, done, act string) error {
		ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](fmt.Sprintf(timedJS, done, act), chromedp.EvalAwaitPromise))
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		got[name] = int64(ms)
		return nil
	}
	counted := `(c => c.textContent.includes(' of ') && !c.textContent.startsWith('Loading'))(document.getElementById('reviews-count'))`
	// The box's value is set but for its last character, which arrives
	// as the typist's last key press.
	if err := measure("term_filter_ms", counted, `() => {
		const box = document.getElementById('reviews-term');
		const name = document.querySelector('#reviews-term-options option').value;
		box.value = name;
		box.dispatchEvent(new Event('input', {bubbles: true}));
	}`); err != nil {
		return nil, err
	}
	got["reviews_data_kb"] = sent()
	hasNext, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('#reviews-pager a[rel=next]')`))
	if err != nil {
		return nil, err
	}
	if !hasNext {
		return nil, errors.New("the filtered /reviews/ fits on one page, so there is no next page to time: use a larger library (N of 2,000 or more)")
	}
	if err := measure("next_page_ms", `new URLSearchParams(location.search).get('page') === '2' && document.querySelector('#reviews-pager a[aria-current=page]').textContent.endsWith('2')`,
		`() => document.querySelector('#reviews-pager a[rel=next]').click()`); err != nil {
		return nil, err
	}
	if err := measure("sort_ms", `new URLSearchParams(location.search).get('sort') === 'severity' && document.querySelector('#reviews-pager a[aria-current=page]').textContent.endsWith('1')`,
		`() => { const s = document.getElementById('reviews-sort'); s.value = 'severity'; s.dispatchEvent(new Event('change', {bubbles: true})); }`); err != nil {
		return nil, err
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/follow-ups/")); err != nil {
		return nil, err
	}
	sent()
	if err := measure("followups_filter_ms", `(c => c.textContent.includes(' of ') && !c.textContent.startsWith('Loading'))(document.getElementById('fu-count'))`,
		`() => { const s = document.getElementById('fu-status'); s.value = 'overdue'; s.dispatchEvent(new Event('change', {bubbles: true})); }`); err != nil {
		return nil, err
	}
	got["followups_data_kb"] = sent()
	return got, nil
}
