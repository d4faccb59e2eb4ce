package render_test

import (
	"context"
	"errors"
	"io/fs"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

// fullDisk accepts a few files, then fails as a full disk does.
type fullDisk struct{ room, tries atomic.Int64 }

func (d *fullDisk) WriteFile(name string, _ []byte) error {
	d.tries.Add(1)
	if d.room.Add(-1) < 0 {
		return &fs.PathError{Op: "write", Path: "/tmp/.public.casebook-tmp-1/site/" + name, Err: syscall.ENOSPC}
	}
	return nil
}

// A render whose output fails returns one error, not one a file, naming
// the first file it could not write relative to the output and not the
// temporary folder's path, and stops writing.
func TestOutputErrorOnce(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		fsys["reviews/2024-01-0"+string(rune('1'+len(fsys)))+"-"+n+".md"] = &fstest.MapFile{Data: []byte("---\ntitle: " + n + "\ntechnologies: [" + n + "]\n---\nBody.\n")}
	}
	s, err := site.Load(context.Background(), fsys, site.Options{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	r, err := render.New(s, defaulttheme.FS)
	if err != nil {
		t.Fatal(err)
	}
	for _, room := range []int64{0, 3, int64(len(r.Pages())) + 2} { // pages, generated files, static files
		d := &fullDisk{}
		d.room.Store(room)
		err := r.Render(context.Background(), d)
		var oe *render.OutputError
		if !errors.As(err, &oe) || !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("room for %d: %T %v, want one OutputError", room, err, err)
		}
		if msg := err.Error(); msg != "cannot write "+oe.Name+": no space left on device" {
			t.Errorf("room for %d: %q", room, msg)
		}
		// Writers already holding a page may try theirs; no more.
		if n := d.tries.Load(); n > room+8 {
			t.Errorf("room for %d: %d writes tried after the disk filled", room, n-room)
		}
	}
}
