package browser_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"testing"
	"time"

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

func TestWait(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><p id="p">before</p><script>setTimeout(() => document.getElementById("p").textContent = "after", 300)</script>`)
	}))
	defer srv.Close()
	ctx := browser.New(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	browser.Wait(t, ctx, "the timer", `document.getElementById("p").textContent === "after"`)

	// A condition that never holds fails the test rather than hanging.
	defer func(d time.Duration) { browser.WaitTimeout = d }(browser.WaitTimeout)
	browser.WaitTimeout = 300 * time.Millisecond
	ft := &fakeT{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		browser.Wait(ft, ctx, "nothing", `false`)
	}()
	<-done
	if !ft.failed {
		t.Error("Wait returned on a condition that never held")
	}
}

// fakeT records a fatal failure instead of ending the test; Wait calls
// Fatalf on its own goroutine, which Goexit then ends.
type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Helper() {}
func (f *fakeT) Fatalf(format string, args ...any) {
	f.failed = true
	runtime.Goexit()
}

// recorder is a testing.TB that notes how New stopped the test.
type recorder struct {
	testing.TB
	skipped, failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Skip(...any)           { r.skipped = true; runtime.Goexit() }
func (r *recorder) Fatalf(string, ...any) { r.failed = true; runtime.Goexit() }

// Without Chromium, New skips; with CASEBOOK_REQUIRE_BROWSER set, it fails,
// so that CI cannot pass its browser tests by skipping them.
func TestNewWithoutChromium(t *testing.T) {
	t.Setenv("CHROMIUM", "/nonexistent/chromium")
	if p := browser.Path(); p != "" {
		t.Fatalf("Path() = %q with CHROMIUM pointing nowhere", p)
	}
	for _, require := range []string{"", "1"} {
		t.Setenv(browser.RequireEnv, require)
		r := &recorder{TB: t}
		done := make(chan struct{})
		go func() {
			defer close(done)
			browser.New(r)
		}()
		<-done
		if want := require != ""; r.failed != want || r.skipped == want {
			t.Errorf("%s=%q: failed %v, skipped %v", browser.RequireEnv, require, r.failed, r.skipped)
		}
	}
}

func TestMain(m *testing.M) { os.Exit(browser.Main(m)) }

// TestNewIsolated checks that two tests' tabs share the browser but not
// storage: each New has a browser context of its own.
func TestNewIsolated(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>x</title>`)
	}))
	defer srv.Close()
	a, b := browser.New(t), browser.New(t)
	for _, ctx := range []context.Context{a, b} {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
			t.Fatal(err)
		}
	}
	browser.Eval[any](t, a, `localStorage.setItem("k", "a")`)
	if got := browser.Eval[int](t, b, `localStorage.length`); got != 0 {
		t.Errorf("a second tab sees %d localStorage items set by the first", got)
	}
	if got := browser.Eval[string](t, a, `localStorage.getItem("k")`); got != "a" {
		t.Errorf("the first tab lost its item: %q", got)
	}
}
