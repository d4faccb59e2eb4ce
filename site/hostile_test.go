package site_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/casebook/casebook/site"
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
