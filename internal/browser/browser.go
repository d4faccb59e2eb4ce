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
// CASEBOOK_REQUIRE_BROWSER is set, as CI sets it: then it fails. It also
// skips under go test -short, since starting a browser is slow.
//
// One Chromium serves a whole test binary: starting one costs about a
// second and a hundred megabytes, and packages have many browser tests,
// some parallel. Each New opens a tab in a browser context of its own (an
// incognito-like profile), so tests still never share localStorage or
// cookies; the tab and its context go when the test ends. A package whose
// tests use New should run them through Main, from TestMain, so that the
// browser is closed when the tests finish.
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
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
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
	DesktopWidth, DesktopHeight = 1366, 900
	PhoneWidth, PhoneHeight     = 390, 844
)

// Flags are the command-line switches Chromium is started with (plus a
// fresh --user-data-dir and chromedp's --remote-debugging-pipe).
func Flags() []string {
	return []string{
		"headless",
		"no-sandbox",
		"disable-gpu",
		"disable-background-networking",
		"disable-component-update",
		"disable-sync",
		"no-first-run",
	}
}

// Path returns the Chromium executable to use, or "" when there is none:
// $CHROMIUM when set, else /usr/bin/chromium, else chromium (or
// chromium-browser) on PATH, else macOS's Chromium.app.
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
	// macOS keeps it in its app bundle, off PATH (.ci/chromium looks
	// there too).
	if p := "/Applications/Chromium.app/Contents/MacOS/Chromium"; fileExists(p) {
		return p
	}
	return ""
}

// shared is the one Chromium of the test binary, started by the first New.
var shared struct {
	mu      sync.Mutex
	ctx     context.Context // the browser's first tab; parent of every test's tab
	cancel  func()
	exe     string
	started bool
	err     error
}

// start starts the shared browser once; a failure is remembered, so every
// test after the first fails the same way without trying again.
func start(exe string) (context.Context, error) {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.started {
		return shared.ctx, shared.err
	}
	shared.started = true
	// A Chromium that is slow to answer (a loaded machine, a first start
	// building its font cache) gets more tries before the tests fail.
	var err error
	for try := 1; try <= startTries; try++ {
		var ctx context.Context
		var cancel func()
		if ctx, cancel, err = launch(exe); err == nil {
			shared.ctx, shared.cancel, shared.exe = ctx, cancel, exe
			return ctx, nil
		}
	}
	shared.err = fmt.Errorf("starting %s (%d tries): %v", exe, startTries, err)
	return shared.ctx, shared.err
}

// launch starts one Chromium with a fresh profile and waits, bounded, for
// it to answer.
func launch(exe string) (context.Context, func(), error) {
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(exe)}
	for _, f := range Flags() {
		opts = append(opts, chromedp.Flag(f, true))
	}
	profile, err := os.MkdirTemp("", "casebook-chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts = append(opts, chromedp.UserDataDir(profile))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	cancel := func() {
		cancelCtx()
		cancelAlloc()
		os.RemoveAll(profile)
	}
	// Start the browser now, with a bounded wait, so that a broken
	// installation fails here with a clear message rather than in the
	// test's first action. (The first action binds the browser's life to
	// its context, so the timeout cannot be a context deadline.)
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err = <-started:
	case <-time.After(startTimeout):
		err = fmt.Errorf("no answer after %s", startTimeout)
	}
	if err != nil {
		cancel()
		return nil, nil, err
	}
	return ctx, cancel, nil
}

// Main runs a package's tests and then closes the shared browser, if one
// was started: call it from TestMain as os.Exit(browser.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.started && shared.err == nil {
		shared.cancel()
	}
	return code
}

// New returns a chromedp context for a new tab, in a fresh browser
// context, of the test binary's shared headless Chromium (started on first
// use), with the desktop viewport (DesktopWidth × DesktopHeight). It skips
// the test when no Chromium is found (see Path) or under -short. The tab
// and its storage are discarded when the test ends. The context has no
// deadline; wrap single actions in context.WithTimeout derived from it
// when needed.
func New(t testing.TB) context.Context {
	t.Helper()
	exe := Path()
	if exe == "" {
		if os.Getenv(RequireEnv) != "" {
			t.Fatalf("chromium not found, and %s is set (as CI sets it): install it (apt-get install -y chromium) or point CHROMIUM at its executable", RequireEnv)
		}
		t.Skip("chromium not found: install it (apt-get install -y chromium) or point CHROMIUM at its executable")
	}
	if testing.Short() {
		t.Skip("browser tests are skipped under -short")
	}
	parent, err := start(exe)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab in %s: %v", exe, err)
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
const (
	startTimeout = 45 * time.Second
	startTries   = 3
)

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

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
