package browser_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/casebook/casebook/internal/browser"
	"github.com/chromedp/chromedp"
)

func TestNew(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><meta name="viewport" content="width=device-width"><title>hello</title><p id="p">x</p><script>document.getElementById("p").textContent = innerWidth + "x" + localStorage.length</script>`)
	}))
	defer srv.Close()

	ctx := browser.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Title())
	if err != nil || title != "hello" {
		t.Fatalf("title = %q, %v; want hello", title, err)
	}
	// A fresh profile: nothing in localStorage; the desktop viewport.
	if got, want := browser.Eval[string](t, ctx, `document.getElementById("p").textContent`), fmt.Sprintf("%dx0", browser.DesktopWidth); got != want {
		t.Errorf("page says %q, want %q", got, want)
	}
	if err := browser.Viewport(ctx, browser.PhoneWidth, browser.PhoneHeight, true); err != nil {
		t.Fatal(err)
	}
	if got := browser.Eval[int](t, ctx, `innerWidth`); got != browser.PhoneWidth {
		t.Errorf("phone innerWidth = %d, want %d", got, browser.PhoneWidth)
	}
	t.Setenv(browser.ScreenshotsEnv, t.TempDir())
	if p := browser.Screenshot(t, ctx, "hello/phone"); p == "" {
		t.Error("Screenshot wrote nothing with " + browser.ScreenshotsEnv + " set")
	}
}

func TestSkipsWithoutChromium(t *testing.T) {
	t.Setenv("CHROMIUM", "/nonexistent/chromium")
	if p := browser.Path(); p != "" {
		t.Fatalf("Path() = %q with CHROMIUM pointing nowhere", p)
	}
	ran := false
	t.Run("inner", func(t *testing.T) {
		defer func() { ran = !t.Skipped() }()
		browser.New(t)
	})
	if ran {
		t.Error("New did not skip the test without Chromium")
	}
}
