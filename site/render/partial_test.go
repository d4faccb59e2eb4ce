package render_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

// partialCached with variants is keyed by all of them and by nothing else,
// as in Hugo: the first page to ask renders the partial for all.
func TestPartialCachedVariants(t *testing.T) {
	lib := fstest.MapFS{
		"reviews/a.md": {Data: []byte("---\ntitle: A\ndate: 2024-01-01\ntechnologies: [x, y]\n---\nBody.\n")},
	}
	theme := render.Overlay{Upper: fstest.MapFS{
		"templates/partials/who.html": {Data: []byte(`{{define "who"}}[{{.Title}}]{{end}}`)},
		"templates/term.html": {Data: []byte(`{{define "main"}}` +
			`shared={{partialCached "who" .Term "same"}} ` +
			`both={{partialCached "who" .Term "k" .Term.ID}} ` +
			`data={{partialCached "who" .Term}}{{end}}`)},
	}, Lower: defaulttheme.FS}
	s, err := site.Load(context.Background(), lib, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := render.New(s, theme)
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	for _, u := range []string{"/technologies/x/", "/technologies/y/"} { // in this order
		b, err := r.RenderPage(r.Page(u))
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, string(b))
	}
	for i, want := range []string{
		"shared=[x] both=[x] data=[x]",
		"shared=[x] both=[y] data=[y]", // "same" was rendered for x
	} {
		if !strings.Contains(pages[i], want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
}
