// Package browser runs headless Chromium for tests, through chromedp.
//
// A test calls New for a context, then drives the page with chromedp:
//
//	ctx := browser.New(t)
//	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
//		t.Fatal(err)
//	}
//	title, err := chromedp.Run(ctx, chromedp.Title())
//
// New skips the test when no Chromium is installed, so tests that use it
// pass (as skipped) on machines without a browser, unless
// CASEBOOK_REQUIRE_BROWSER is set, as CI sets it: then it fails. Each call starts its own
// browser with a fresh profile in t.TempDir(), so tests never share
// localStorage or cookies; the browser is closed when the test ends.
//
// Wait polls a JavaScript condition with a deadline, for whatever a page
// does after it loads; tests use it rather than sleeping.
//
// Screenshot saves a PNG when the environment variable CASEBOOK_SCREENSHOTS
// names a folder, and does nothing otherwise, so tests can take screenshots
// unconditionally for people to look at.
package browser

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// RequireEnv names the environment variable that turns a missing Chromium
// from a skip into a failure: CI sets it, so that its browser tests cannot
// pass by not running.
const RequireEnv = "CASEBOOK_REQUIRE_BROWSER"

// ScreenshotsEnv names the environment variable holding the folder that
// Screenshot writes to.
const ScreenshotsEnv = "CASEBOOK_SCREENSHOTS"

// Common viewport sizes, in CSS pixels.
const (
	DesktopWidth, DesktopHeight = 1280, 900
	PhoneWidth, PhoneHeight     = 390, 844
)

// Flags are the command-line switches Chromium is started with (plus a
// fresh --user-data-dir and chromedp's --remote-debugging-pipe).
var Flags = []string{
	"headless",
	"no-sandbox",
	"disable-gpu",
	"disable-background-networking",
	"disable-component-update",
	"disable-sync",
	"no-first-run",
}

// Path returns the Chromium executable to use, or "" when there is none:
// $CHROMIUM when set, else /usr/bin/chromium, else chromium (or
// chromium-browser) on PATH.
func Path() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		if found, err := exec.LookPath(p); err == nil {
			return found
		}
		return ""
	}
	if st, err := os.Stat("/usr/bin/chromium"); err == nil && !st.IsDir() {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if found, err := exec.LookPath(name); err == nil {
			return found
		}
	}
	return ""
}

// New starts a headless Chromium for the test and returns a chromedp
// context for it, with the desktop viewport (DesktopWidth × DesktopHeight). It skips the test when no
// Chromium is found (see Path). The browser is closed, and its profile
// removed, when the test ends. The context has no deadline; wrap single
// actions in context.WithTimeout derived from it when needed.
func New(t testing.TB) context.Context {
	t.Helper()
	exe := Path()
	if exe == "" {
		if os.Getenv(RequireEnv) != "" {
			t.Fatalf("chromium not found, and %s is set (as CI sets it): install it with apt-get install -y chromium", RequireEnv)
		}
		t.Skip("chromium not found: install it with apt-get install -y chromium")
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(exe)}
	for _, f := range Flags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	opts = append(opts, chromedp.UserDataDir(t.TempDir()))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// Start the browser now, with a bounded wait, so that a broken
	// installation fails here with a clear message rather than in the
	// test's first action. (The first action binds the browser's life to
	// its context, so the timeout cannot be a context deadline.)
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("starting %s: %v", exe, err)
		}
	case <-time.After(startTimeout):
		cancel()
		t.Fatalf("starting %s: no answer after %s", exe, startTimeout)
	}
	if err := Viewport(ctx, DesktopWidth, DesktopHeight, false); err != nil {
		t.Fatalf("setting the viewport: %v", err)
	}
	return ctx
}

// Viewport resizes the page to width × height CSS pixels; mobile also
// emulates a touch phone (so media queries and viewport meta tags behave
// as on a phone).
func Viewport(ctx context.Context, width, height int, mobile bool) error {
	if mobile {
		return chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height), chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	}
	return chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height)))
}

// startTimeout bounds how long New waits for Chromium to start.
const startTimeout = 30 * time.Second

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Screenshot saves a full-page PNG of the current page as
// $CASEBOOK_SCREENSHOTS/<name>.png and returns its path. It does nothing
// and returns "" when the variable is unset. Failures are reported with
// t.Errorf; the test goes on.
func Screenshot(t testing.TB, ctx context.Context, name string) string {
	t.Helper()
	dir := os.Getenv(ScreenshotsEnv)
	if dir == "" {
		return ""
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return ""
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return ""
	}
	p := filepath.Join(dir, unsafeName.ReplaceAllString(name, "-")+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return ""
	}
	t.Logf("screenshot: %s", p)
	return p
}

// Eval evaluates a JavaScript expression in the page and returns its value
// decoded into T, failing the test on error.
func Eval[T any](t testing.TB, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// WaitTimeout bounds how long Wait polls. A variable so that a test of a
// failing wait need not take the full time.
var WaitTimeout = 10 * time.Second

// Wait polls a JavaScript condition until it is true, failing the test
// (naming what it waited for) when WaitTimeout passes first. Tests use it
// instead of sleeping, for anything a page does after loading: fetches,
// debounced input, rendering.
func Wait(t testing.TB, ctx context.Context, what, js string) {
	t.Helper()
	deadline := time.Now().Add(WaitTimeout)
	for {
		// A navigation started by the page can leave one evaluation
		// waiting for ever; bound each attempt.
		actx, cancel := context.WithTimeout(ctx, 2*time.Second)
		ok, err := chromedp.Run(actx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %s is still false (%v)", what, js, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
