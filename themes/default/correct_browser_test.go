package defaulttheme_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/casebook/casebook/internal/browser"
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
			listed := browser.Eval[string](t, ctx, `document.querySelector('.summary-counts a[href="?status=open"] strong').textContent`)
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
