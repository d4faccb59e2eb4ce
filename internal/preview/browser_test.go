package preview

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/browser"
	"github.com/chromedp/chromedp"
)

// browserWait polls a JavaScript condition in the page until it is true.
// Errors are retried: the page may be reloading when the condition is
// evaluated.
func browserWait(t *testing.T, ctx context.Context, what, js string) {
	t.Helper()
	deadline := time.Now().Add(serveWait)
	var lastErr error
	for time.Now().Before(deadline) {
		ectx, cancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := chromedp.Run(ectx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && ok {
			return
		}
		lastErr = err
		time.Sleep(25 * time.Millisecond)
	}
	state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify({url: location.href, scrollY: scrollY, sessionStorage: Object.assign({}, sessionStorage), text: document.body ? document.body.innerText.slice(0, 2000) : ""}, null, 1)`))
	t.Fatalf("after %s, still not %s (%s; last error %v); page:\n%s", serveWait, what, js, lastErr, state)
}

func bodyHas(s string) string {
	return fmt.Sprintf(`!!document.body && document.body.innerText.includes(%q)`, s)
}

const liveConnected = `!!(window.__casebookLiveReload && window.__casebookLiveReload.connected)`

func TestServeBrowserLiveReload(t *testing.T) {
	if testing.Short() {
		t.Skip("a browser test: skipped with -short")
	}
	ctx := browser.New(t)
	files := map[string]string{}
	for k, v := range serveLib {
		files[k] = v
	}
	// A long review, to check the reader keeps their place.
	var long strings.Builder
	long.WriteString(serveLib["reviews/a.md"])
	for i := range 120 {
		fmt.Fprintf(&long, "\nParagraph %d of a long review, long enough to scroll.\n", i)
	}
	files["reviews/a.md"] = long.String()
	files["theme/static/css/site.css"] = "body { background-color: rgb(255, 255, 255); }\n"
	ts := startServe(t, writeServeLibrary(t, files))

	if err := chromedp.Do(ctx, chromedp.Navigate(ts.url+"/reviews/a/")); err != nil {
		t.Fatal(err)
	}
	browserWait(t, ctx, "showing the review", bodyHas("The alpha body says hello."))
	browserWait(t, ctx, "connected", liveConnected)
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 600); window.__casebookMarker = 1`)); err != nil {
		t.Fatal(err)
	}
	browser.Screenshot(t, ctx, "serve-before-edit")

	// An edit reloads the page, and the reader stays where they were.
	ts.write("reviews/a.md", strings.Replace(files["reviews/a.md"], "says hello", "says goodbye", 1))
	browserWait(t, ctx, "showing the edit", bodyHas("The alpha body says goodbye."))
	browserWait(t, ctx, "reloaded", `window.__casebookMarker === undefined`)
	browserWait(t, ctx, "scrolled back to where the reader was", `Math.abs(window.scrollY - 600) < 5`)
	browserWait(t, ctx, "connected", liveConnected)

	// A broken edit shows the overlay, naming the file, line and column.
	broken := strings.Replace(files["reviews/a.md"], "services: [alpha]", "services: [alpha]\nrelated: [no-such-review]", 1)
	ts.write("reviews/a.md", broken)
	browserWait(t, ctx, "showing the error overlay", `!!document.getElementById("casebook-error-overlay")`)
	browserWait(t, ctx, "naming the problem", bodyHas("reviews/a.md:6:11"))
	browserWait(t, ctx, "connected", liveConnected)
	browser.Screenshot(t, ctx, "serve-error-overlay")

	// Fixing it clears the overlay by itself, back at the reader's place.
	ts.write("reviews/a.md", strings.Replace(files["reviews/a.md"], "says hello", "is fixed", 1))
	browserWait(t, ctx, "showing the fixed review", bodyHas("The alpha body is fixed."))
	browserWait(t, ctx, "without the overlay", `!document.getElementById("casebook-error-overlay")`)
	browserWait(t, ctx, "scrolled back to where the reader was", `Math.abs(window.scrollY - 600) < 5`)
	browserWait(t, ctx, "connected", liveConnected)

	// A stylesheet change is swapped in without a reload.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`window.__casebookMarker = 2`)); err != nil {
		t.Fatal(err)
	}
	ts.write("theme/static/css/site.css", "body { background-color: rgb(1, 2, 3); }\n")
	browserWait(t, ctx, "restyled", `getComputedStyle(document.body).backgroundColor === "rgb(1, 2, 3)"`)
	if ok := browser.Eval[bool](t, ctx, `window.__casebookMarker === 2 && window.__casebookLiveReload.cssSwaps === 1`); !ok {
		t.Errorf("the page reloaded for a stylesheet change")
	}
	browser.Screenshot(t, ctx, "serve-css-swapped")
}
