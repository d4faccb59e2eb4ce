package site_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

// A base URL is written into every page, so one that could end an
// attribute or a tag is refused, from casebook.yaml and from the flag.
func TestBaseURLRefusesMarkup(t *testing.T) {
	review := []byte("---\ntitle: T\n---\nBody.\n")
	for _, u := range []string{
		"https://x/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E/",
		`https://x/"><script>alert(1)</script>/`,
		"https://x/a b/",
		"https://x/a%00b/",
		"https://x/a%09b/",
		"https://x/it's/",
		"https://x/?q=<b>",
	} {
		fsys := fstest.MapFS{
			"casebook.yaml":         {Data: []byte("baseURL: '" + strings.ReplaceAll(u, "'", "''") + "'\n")},
			"reviews/2024-01-02.md": {Data: review},
		}
		_, err := site.Load(context.Background(), fsys, site.Options{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err == nil || !strings.Contains(err.Error(), "casebook.yaml:1:") {
			t.Errorf("baseURL %q: %v; want a located error", u, err)
		}
		delete(fsys, "casebook.yaml")
		_, err = site.Load(context.Background(), fsys, site.Options{BaseURL: u, Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err == nil {
			t.Errorf("--base-url %q accepted", u)
		}
	}
	for _, u := range []string{"https://x/", "https://example.com/lib/", "http://localhost:1313/a-b_c/(x)/"} {
		fsys := fstest.MapFS{"reviews/2024-01-02.md": {Data: review}}
		if _, err := site.Load(context.Background(), fsys, site.Options{BaseURL: u, Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Errorf("--base-url %q: %v", u, err)
		}
	}
}

// A year such as 0224 is a typo: it is noted where it is written, and
// the insights' axis of quarters covers the plausible dates only, not
// two thousand years.
func TestImplausibleDates(t *testing.T) {
	fsys := fstest.MapFS{
		"reviews/a.md": {Data: []byte("---\ntitle: A\ndate: 0224-05-01\ncontributing_factors: [x]\n---\nBody.\n")},
		"reviews/b.md": {Data: []byte("---\ntitle: B\ndate: 2024-05-01\ncontributing_factors: [x]\n---\nBody.\n")},
		"reviews/c.md": {Data: []byte("---\ntitle: C\ndate: 2024-09-01\nresolved: 9999-01-01\ncontributing_factors: [x]\n---\nBody.\n")},
	}
	lib, err := site.Parse(context.Background(), fsys, site.Options{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, n := range lib.Notes() {
		notes = append(notes, n.Error())
	}
	for _, want := range []string{"reviews/a.md:3:7: date: the year 224", "reviews/c.md:4:11: resolved: the year 9999"} {
		if !strings.Contains(strings.Join(notes, "\n"), want) {
			t.Errorf("notes lack %q:\n%s", want, strings.Join(notes, "\n"))
		}
	}
	s, err := site.Assemble(lib)
	if err != nil {
		t.Fatal(err)
	}
	if q := s.Insights.Quarters; len(q) != 2 || q[0] != "2024 Q2" {
		t.Errorf("insights quarters: %d (%v…), want 2024 Q2 and Q3", len(q), q[:min(len(q), 3)])
	}
}

// A library whose only dates are implausible still renders its insights.
func TestImplausibleDatesOnlyRender(t *testing.T) {
	fsys := fstest.MapFS{
		"reviews/a.md": {Data: []byte("---\ntitle: A\ndate: 0224-05-01\ncontributing_factors: [x]\nthemes: [y]\n---\nBody.\n")},
	}
	s, err := site.Load(context.Background(), fsys, site.Options{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	r, err := render.New(s, defaulttheme.FS)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Render(context.Background(), discard{}); err != nil {
		t.Fatal(err)
	}
}

// Bytes that are not UTF-8 are replaced, and the first is noted where it
// is, rather than copied into pages that say they are UTF-8.
func TestInvalidUTF8IsReplaced(t *testing.T) {
	fsys := fstest.MapFS{
		"reviews/a.md": {Data: []byte("---\ntitle: \"A \xff title\"\ndate: 2024-01-01\n---\nBody \xfe\xff here.\n\nMore \xc3.\n")},
	}
	lib, err := site.Parse(context.Background(), fsys, site.Options{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var notes []string
	for _, n := range lib.Notes() {
		notes = append(notes, n.Error())
	}
	if !strings.Contains(strings.Join(notes, "\n"), "reviews/a.md:2:11: not UTF-8") {
		t.Errorf("no note at the first invalid byte:\n%s", strings.Join(notes, "\n"))
	}
	s, err := site.Assemble(lib)
	if err != nil {
		t.Fatal(err)
	}
	r := s.Reviews[0]
	for what, v := range map[string]string{"title": r.Title, "body": string(r.HTML())} {
		if !utf8.ValidString(v) || !strings.Contains(v, "\uFFFD") {
			t.Errorf("%s: %q, want valid UTF-8 with U+FFFD for the bad bytes", what, v)
		}
	}
}

// A review's terms are bounded: pairs of contributing factors grow with
// the square of their number (4,000 took 52 s and 983 MB), and no review
// means a hundred.
func TestTermsPerFieldAreBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("---\ntitle: A\ndate: 2024-01-01\ncontributing_factors:\n")
	for i := range 4000 {
		fmt.Fprintf(&b, "  - factor %d\n", i)
	}
	b.WriteString("---\nBody.\n")
	fsys := fstest.MapFS{"reviews/a.md": {Data: []byte(b.String())}}
	start := time.Now()
	_, err := site.Load(context.Background(), fsys, site.Options{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err == nil || !strings.Contains(err.Error(), "reviews/a.md:5:3: contributing_factors: 4000 terms") {
		t.Errorf("err = %v; want the field located and its count", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
}
