package site_test

import (
	"context"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/casebook/casebook/site"
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

// A casebook.yaml that is there but cannot be read is a problem to report,
// not a reason to fall back to the defaults (render's overlay test holds a
// theme override to the same).
func TestUnreadableSettingsAreReported(t *testing.T) {
	lib := fstest.MapFS{
		"casebook.yaml":   {Data: []byte("title: Mine\n")},
		"reviews/a.md":    {Data: []byte("---\ntitle: A\ndate: 2024-01-01\n---\nBody.\n")},
		"templates/x.txt": {Data: []byte("x")},
	}
	_, err := site.Load(context.Background(), denyFS{lib, map[string]bool{"casebook.yaml": true}}, site.Options{})
	if err == nil || !strings.Contains(err.Error(), "casebook.yaml: cannot read") {
		t.Errorf("unreadable casebook.yaml: %v", err)
	}

}

// A named pipe in the library is not read: it would block the build.
func TestSpecialFilesAreNotContent(t *testing.T) {
	lib := fstest.MapFS{
		"reviews/a.md":    {Data: []byte("---\ntitle: A\ndate: 2024-01-01\n---\nBody.\n")},
		"reviews/pipe.md": {Data: []byte("---\ntitle: Pipe\ndate: 2024-01-02\n---\n"), Mode: fs.ModeNamedPipe},
	}
	s, err := site.Load(context.Background(), lib, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Reviews) != 1 || s.Reviews[0].Slug != "a" {
		t.Errorf("reviews %v, want only a", s.Reviews)
	}
}
