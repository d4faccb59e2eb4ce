package render_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

// oneOfEach is a library with a page of every kind.
var oneOfEach = fstest.MapFS{
	"reviews/a.md":     {Data: []byte("---\ntitle: A\ndate: 2024-01-01\ntechnologies: [kafka]\nresponders: [ann]\n---\nBody.\n")},
	"paths/p.md":       {Data: []byte("---\ntitle: P\nsteps:\n  - review: a\n---\n")},
	"people/ann.md":    {Data: []byte("---\nname: Ann\n---\n")},
	"casebook.yaml":    {Data: []byte("title: Lib\ntaxonomies:\n  - key: technologies\n    title: Technologies\n    field: technologies\n")},
	"static/robot.txt": {Data: []byte("x")},
}

// Each kind sets the Page fields the package doc says, and a template
// compares Kind with a string constant.
func TestPageKinds(t *testing.T) {
	s, err := site.Load(context.Background(), oneOfEach, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	theme := fstest.MapFS{}
	for _, k := range render.Kinds() {
		theme["templates/"+string(k)+".html"] = &fstest.MapFile{Data: []byte(
			`{{.Kind}} {{.URL}} {{.Title}}` +
				`{{with .Review}} review={{.Slug}}{{end}}{{with .Taxonomy}} taxonomy={{.Key}}{{end}}` +
				`{{with .Term}} term={{.ID}}{{end}}{{with .Path}} path={{.Slug}}{{end}}{{with .Person}} person={{.ID}}{{end}}` +
				`{{if eq .Kind "review"}} is-review{{end}}`)}
	}
	r, err := render.New(s, theme)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range r.Pages() {
		b, err := r.RenderPage(p)
		if err != nil {
			t.Fatal(err)
		}
		if r.Page(p.URL) != p {
			t.Errorf("Page(%q) is not the listed page", p.URL)
		}
		got = append(got, string(b))
	}
	want := []string{
		"home / Lib",
		"reviews /reviews/ All reviews",
		"paths /paths/ Training paths",
		"people /people/ People",
		"expertise /expertise/ Expertise map",
		"follow-ups /follow-ups/ Follow-ups",
		"insights /insights/ Insights",
		"search /search/ Search",
		"404 /404.html Page not found",
		"nominations /nominations/ Nominations",
		"compare /compare/ Compare reviews",
		"review /reviews/a/ A review=a is-review",
		"taxonomy /technologies/ Technologies taxonomy=technologies",
		"term /technologies/kafka/ kafka taxonomy=technologies term=kafka",
		"path /paths/p/ P path=p",
		"person /people/ann/ Ann person=ann",
	}
	if !slices.Equal(got, want) {
		t.Errorf("pages:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r.Page("/nowhere/") != nil {
		t.Error("a page at /nowhere/")
	}
}

// A theme without a template for a kind is refused, naming each missing
// one, and a template that does not parse is reported at its place.
func TestNewReportsEveryMissingTemplate(t *testing.T) {
	theme := fstest.MapFS{"templates/home.html": {Data: []byte("{{if}}")}}
	err := render.ParseTheme(theme)
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	if !strings.Contains(msg, "templates/home.html:1: missing value for if") {
		t.Errorf("the parse error is not located:\n%s", msg)
	}
	for _, k := range render.Kinds()[1:] {
		if want := fmt.Sprintf("templates/%s.html: the theme has no template for %s pages", k, k); !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
}

// Render writes every page, the generated files and the static files of
// the theme and the library, the library's winning on a shared name.
func TestRenderWritesEveryFile(t *testing.T) {
	s, err := site.Load(context.Background(), oneOfEach, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	theme := render.Overlay{Upper: fstest.MapFS{"static/robot.txt": {Data: []byte("theme")}}, Lower: defaulttheme.FS}
	r, err := render.New(s, theme)
	if err != nil {
		t.Fatal(err)
	}
	out := memOutput{}
	if err := r.Render(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	for _, p := range r.Pages() {
		if _, ok := out[render.OutputName(p.URL)]; !ok {
			t.Errorf("%s: not written", render.OutputName(p.URL))
		}
	}
	for _, name := range []string{"index.xml", "sitemap.xml", "css/chroma.css", "css/site.css", "404.html"} {
		if len(out[name]) == 0 {
			t.Errorf("%s: not written", name)
		}
	}
	if got := string(out["robot.txt"]); got != "x" {
		t.Errorf("robot.txt = %q, want the library's", got)
	}
	if strings.Contains(string(out["sitemap.xml"]), "404") {
		t.Error("the sitemap lists the 404 page")
	}
}

func TestOutputName(t *testing.T) {
	for u, want := range map[string]string{"/": "index.html", "/reviews/a/": "reviews/a/index.html", "/404.html": "404.html"} {
		if got := render.OutputName(u); got != want {
			t.Errorf("OutputName(%q) = %q, want %q", u, got, want)
		}
	}
}

// memOutput keeps a rendered site; Render writes from several goroutines.
type memOutput map[string][]byte

var memMu sync.Mutex

func (m memOutput) WriteFile(name string, data []byte) error {
	memMu.Lock()
	defer memMu.Unlock()
	m[name] = bytes.Clone(data)
	return nil
}
