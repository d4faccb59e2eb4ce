package site_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"golang.org/x/tools/txtar"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

// FuzzReview reads an arbitrary review file, front matter and Markdown
// body, as the only review of a library and renders its page alone,
// which makes it many times faster than FuzzLoad's whole site: either
// errors inside the file, each with a line and a column, or a page that
// is UTF-8 without NUL bytes; nothing panics.
//
//	go test ./site -run '^$' -fuzz FuzzReview -fuzztime 5m -fuzzminimizetime 5s
func FuzzReview(f *testing.F) {
	files, _ := filepath.Glob("testdata/sites/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, af := range ar.Files {
			if strings.HasPrefix(af.Name, "lib/reviews/") && strings.HasSuffix(af.Name, ".md") {
				f.Add(string(af.Data))
			}
		}
	}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, review string) {
		const name = "reviews/2024-01-02-fuzzed.md"
		fsys := fstest.MapFS{name: {Data: []byte(review)}}
		s, err := site.Load(context.Background(), fsys, site.Options{Now: now, Drafts: true, IncludeRestricted: true})
		if err != nil {
			var list site.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("not an error list: %T %v", err, err)
			}
			lines := strings.Count(review, "\n") + strings.Count(review, "\r") + 2
			for _, e := range list {
				if e.Path != name || e.Line < 1 || e.Col < 1 || e.Line > lines {
					t.Errorf("error not located in the review: %q", e.Error())
				}
			}
			return
		}
		if len(s.Nominations) == 1 && len(s.Reviews) == 0 {
			return // status: nominated: listed, never a page of its own
		}
		if len(s.Reviews) != 1 {
			t.Fatalf("%d reviews and %d nominations loaded from one file", len(s.Reviews), len(s.Nominations))
		}
		r, err := render.New(s, defaulttheme.FS)
		if err != nil {
			t.Fatal(err)
		}
		p := r.Page(s.Reviews[0].URL())
		if p == nil {
			t.Fatalf("no page at %s", s.Reviews[0].URL())
		}
		b, err := r.RenderPage(p)
		if err != nil {
			t.Fatalf("the review's page does not render: %v", err)
		}
		if !utf8.Valid(b) || strings.IndexByte(string(b), 0) >= 0 {
			t.Errorf("the page is not clean UTF-8 text")
		}
	})
}
