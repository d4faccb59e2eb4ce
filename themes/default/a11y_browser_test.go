package defaulttheme_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/browser"
	"github.com/casebook/casebook/site"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// nodeModules is the repository's node_modules folder, where npm ci puts
// the test tools package.json names (axe-core, vnu-jar).
const nodeModules = "../../node_modules"

// tool returns the path of a file under node_modules, skipping the test
// when it is missing, or failing it when CI requires the browser tests.
func tool(t *testing.T, rel string) string {
	t.Helper()
	p := filepath.Join(nodeModules, filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		msg := fmt.Sprintf("%s is missing: run npm ci at the repository root", p)
		if os.Getenv(browser.RequireEnv) != "" {
			t.Fatalf("%s (%s is set, as CI sets it)", msg, browser.RequireEnv)
		}
		t.Skip(msg)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// viewports are the sizes every page kind is checked at.
var viewports = []struct {
	name          string
	width, height int
	mobile        bool
}{
	{"desktop", browser.DesktopWidth, browser.DesktopHeight, false},
	{"phone", browser.PhoneWidth, browser.PhoneHeight, true},
}

// axeViolation is the part of an axe-core result a failure message needs.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// axeRunJS runs axe-core over the page and returns the serious, critical
// and moderate violations, with up to three offending elements each.
const axeRunJS = `axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
	.filter(v => ['critical', 'serious', 'moderate'].includes(v.impact))
	.map(v => ({id: v.id, impact: v.impact, help: v.help,
		targets: v.nodes.slice(0, 3).map(n => n.target.join(' ') + (n.failureSummary ? ' (' + n.failureSummary.split('\n').slice(1, 2).join('').trim() + ')' : ''))})))`

// emulateScheme sets the page's preferred colour scheme, "light" or "dark".
func emulateScheme(t *testing.T, ctx context.Context, scheme string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	}); err != nil {
		t.Fatal(err)
	}
}

// checkAxe runs axe-core (its source in axeJS) on the open page and
// reports each moderate, serious or critical violation as an error
// naming what.
func checkAxe(t *testing.T, ctx context.Context, axeJS []byte, what string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(axeJS))); err != nil {
		t.Fatalf("%s: loading axe-core: %v", what, err)
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRunJS, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: running axe-core: %v", what, err)
	}
	for _, v := range vs {
		t.Errorf("%s: %s %s: %s: %s", what, v.Impact, v.ID, v.Help, strings.Join(v.Targets, "; "))
	}
}

// TestBrowserAxe runs axe-core on a page of every kind (and every review)
// of both libraries, in light and dark, at desktop and phone sizes, and
// fails on any moderate, serious or critical violation. With
// CASEBOOK_SCREENSHOTS set it saves a screenshot of each kind in each
// combination, named <library>-<kind>-<viewport>-<scheme>.
func TestBrowserAxe(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("browser tests are skipped under -short")
	}
	axeJS, err := os.ReadFile(tool(t, "axe-core/axe.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	for _, lib := range libraries(t) {
		for _, vp := range viewports {
			for _, scheme := range []string{"light", "dark"} {
				t.Run(lib.name+"/"+vp.name+"/"+scheme, func(t *testing.T) {
					t.Parallel()
					ctx := browser.New(t)
					if err := browser.Viewport(ctx, vp.width, vp.height, vp.mobile); err != nil {
						t.Fatal(err)
					}
					emulateScheme(t, ctx, scheme)
					shot := map[string]bool{}
					for _, p := range kindPages(t, lib.r) {
						if lib.name == "content" && p.Kind == "review" && shot["review"] && vp.name == "phone" {
							continue // the desktop pass covers every review; phones differ by layout only
						}
						load(t, ctx, lib.base, p)
						if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(axeJS))); err != nil {
							t.Fatalf("%s: loading axe-core: %v", p.URL, err)
						}
						vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](axeRunJS, chromedp.EvalAwaitPromise))
						if err != nil {
							t.Fatalf("%s: running axe-core: %v", p.URL, err)
						}
						for _, v := range vs {
							t.Errorf("%s (%s): %s %s: %s: %s", p.URL, p.Kind, v.Impact, v.ID, v.Help, strings.Join(v.Targets, "; "))
						}
						if !shot[string(p.Kind)] {
							shot[string(p.Kind)] = true
							browser.Screenshot(t, ctx, lib.name+"-"+string(p.Kind)+"-"+vp.name+"-"+scheme)
						}
					}
				})
			}
		}
	}
}

// TestNuHTMLChecker builds both libraries and runs the Nu HTML checker
// (vnu-jar, from npm) over every page, failing on any error it reports.
func TestNuHTMLChecker(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("the HTML checker starts a JVM: skipped under -short")
	}
	jar := tool(t, "vnu-jar/build/dist/vnu.jar")
	java, err := exec.LookPath("java")
	if err != nil {
		if os.Getenv(browser.RequireEnv) != "" {
			t.Fatalf("java not found (%s is set, as CI sets it)", browser.RequireEnv)
		}
		t.Skip("java not found: the HTML checker needs it")
	}
	var dirs []string
	for name, lib := range map[string]string{"fixture": "", "content": "../../content", "paged": "paged"} {
		fsys := fixtureFS(t)
		if lib == "paged" {
			fsys = pagedFS()
		} else if lib != "" {
			if !fileExists(os.DirFS(lib), "casebook.yaml") {
				continue
			}
			fsys = os.DirFS(lib)
		}
		dir, r := build(t, fsys, site.Options{Now: fixtureNow})
		if len(r.Pages()) == 0 {
			t.Fatalf("%s: no pages", name)
		}
		dirs = append(dirs, dir)
	}
	out, err := exec.Command(java, append([]string{"-jar", jar, "--errors-only", "--skip-non-html"}, dirs...)...).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("the Nu HTML checker reports (%v):\n%s", err, out)
	}
}
