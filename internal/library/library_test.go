package library

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	defaulttheme "github.com/casebook/casebook/themes/default"
)

func TestTheme(t *testing.T) {
	dir := t.TempDir()
	want, err := fs.ReadFile(defaulttheme.FS, "templates/base.html")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := fs.ReadFile(Theme(dir), "templates/base.html"); err != nil || string(got) != string(want) {
		t.Fatalf("without theme/: base.html is not the default's (err %v)", err)
	}
	// A theme/ folder made later is found by the next call: the preview
	// server relies on that.
	over := filepath.Join(dir, "theme", "templates", "review.html")
	if err := os.MkdirAll(filepath.Dir(over), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(over, []byte("override"), 0o644); err != nil {
		t.Fatal(err)
	}
	th := Theme(dir)
	if got, err := fs.ReadFile(th, "templates/review.html"); err != nil || string(got) != "override" {
		t.Errorf("review.html: %q, %v; want the library's override", got, err)
	}
	if got, err := fs.ReadFile(th, "templates/base.html"); err != nil || string(got) != string(want) {
		t.Errorf("base.html under an override folder is not the default's (err %v)", err)
	}
}
