package defaulttheme_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/corpus"
	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
)

// TestLargeLibraryPages builds a synthetic library of 2,000 reviews (the
// project's corpus generator: 400 people, hundreds of terms, thousands
// of follow-ups) and holds every page that grows with a library to its
// bound: list pages hold at most page_size items, a person's page at most
// page_size of each of its lists, insights' recurrences at most 48, and
// no HTML page is over 500 KB (the bound at 100,000 reviews), where one
// page listing every review would be megabytes. Whatever a library's size, these are the pages that
// would grow.
func TestLargeLibraryPages(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and builds 2,000 reviews: skipped under -short")
	}
	t.Parallel()
	lib := t.TempDir()
	if err := corpus.Generate(lib, corpus.Options{Reviews: 2000, Seed: 1, Words: 150, CodeBlocks: -1}); err != nil {
		t.Fatal(err)
	}
	dir, r := build(t, os.DirFS(lib), site.Options{Now: fixtureNow})
	const maxPage = 500 << 10
	count := func(b []byte, re *regexp.Regexp) int { return len(re.FindAllIndex(b, -1)) }
	rows := regexp.MustCompile(`<tr data-slug=`)
	items := regexp.MustCompile(`(?m)^<li>\n<h3>`)
	followUps := regexp.MustCompile(`<tr class="[^"]*" data-status=`)
	strain := regexp.MustCompile(`<tr data-q=`)
	recurrences := regexp.MustCompile(`again</span>`)
	size := site.DefaultPageSize
	var reviewPages, personLinks int
	for _, p := range r.Pages() {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(render.OutputName(p.URL))))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > maxPage {
			t.Errorf("%s (%s) is %d KB, over %d KB", p.URL, p.Kind, len(b)>>10, maxPage>>10)
		}
		switch p.Kind {
		case render.KindReviews:
			reviewPages++
			if n := count(b, rows); n > size || n == 0 {
				t.Errorf("%s lists %d reviews, want 1 to %d", p.URL, n, size)
			}
		case render.KindTerm:
			if n := count(b, items); n > size {
				t.Errorf("%s lists %d reviews, want at most %d", p.URL, n, size)
			}
		case render.KindFollowUps:
			if n := count(b, followUps); n > size {
				t.Errorf("%s lists %d follow-ups, want at most %d", p.URL, n, size)
			}
		case render.KindPerson:
			if n := count(b, items); n > size {
				t.Errorf("%s lists %d reviews, want at most %d", p.URL, n, size)
			}
			if n := count(b, followUps); n > size {
				t.Errorf("%s lists %d follow-ups, want at most %d", p.URL, n, size)
			}
			if n := count(b, strain); n > size {
				t.Errorf("%s lists %d incidents taken part in, want at most %d", p.URL, n, size)
			}
			if strings.Contains(string(b), `/reviews/?person=`+p.Person.ID+`"`) {
				personLinks++
			}
		case render.KindInsights:
			if n := count(b, recurrences); n > 48 {
				t.Errorf("%s lists %d recurrences, want at most 48", p.URL, n)
			}
		}
	}
	if want := (2000 + size - 1) / size; reviewPages != want {
		t.Errorf("%d pages of /reviews/, want %d", reviewPages, want)
	}
	if personLinks == 0 {
		t.Error("no person page links to the list of all their reviews")
	}
}
