package render_test

import (
	"errors"
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/casebook/casebook/site/diag"
	"github.com/casebook/casebook/site/render"
)

// denyFS is a file system whose named files exist but cannot be read.
type denyFS struct {
	fs.FS
	denied map[string]bool
}

func (d denyFS) Open(name string) (fs.File, error) {
	if d.denied[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.FS.Open(name)
}

// A theme override that is there but cannot be read is a problem to
// report, not a reason to fall back to the default theme's file.
func TestOverlayUnreadableOverride(t *testing.T) {
	upper := fstest.MapFS{"templates/x.txt": {Data: []byte("x")}}
	theme := render.Overlay{Upper: denyFS{upper, map[string]bool{"templates/x.txt": true}}, Lower: fstest.MapFS{"templates/x.txt": {Data: []byte("default")}}}
	if _, err := fs.ReadFile(theme, "templates/x.txt"); !errors.Is(err, fs.ErrPermission) {
		t.Errorf("unreadable override: %v, want the permission error rather than the default", err)
	}
	if b, err := fs.ReadFile(theme, "templates/y.txt"); err == nil {
		t.Errorf("missing file read as %q", b)
	}
}

// The upper layer wins on a shared name, and a folder lists both layers.
func TestOverlayLayers(t *testing.T) {
	theme := render.Overlay{
		Upper: fstest.MapFS{"static/a.css": {Data: []byte("mine")}, "static/c.css": {Data: []byte("new")}},
		Lower: fstest.MapFS{"static/a.css": {Data: []byte("default")}, "static/b.css": {Data: []byte("b")}},
	}
	if b, _ := fs.ReadFile(theme, "static/a.css"); string(b) != "mine" {
		t.Errorf("a.css = %q, want the override", b)
	}
	if b, _ := fs.ReadFile(theme, "static/b.css"); string(b) != "b" {
		t.Errorf("b.css = %q, want the default", b)
	}
	var names []string
	_ = fs.WalkDir(theme, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return err
	})
	if want := []string{"static/a.css", "static/b.css", "static/c.css"}; !slices.Equal(names, want) {
		t.Errorf("files %v, want %v", names, want)
	}
}

// ThemeErrors names an overridden file by its place under theme/, and a
// default one as the default theme's.
func TestThemeErrorsNameTheFile(t *testing.T) {
	lib := fstest.MapFS{"theme/templates/review.html": {Data: []byte("x")}}
	err := render.ThemeErrors(lib, diag.ErrorList{
		{Path: "templates/review.html", Line: 3, Msg: "mine"},
		{Path: "templates/home.html", Line: 1, Msg: "default"},
		{Path: "reviews/a.md", Line: 2, Msg: "not the theme's"},
	})
	want := "theme/templates/review.html:3: mine\ntemplates/home.html (default theme):1: default\nreviews/a.md:2: not the theme's"
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
	plain := errors.New("plain")
	if got := render.ThemeErrors(lib, plain); got != plain {
		t.Errorf("a plain error became %v", got)
	}
}
