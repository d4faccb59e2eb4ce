// Package publish writes a built site to a folder: files under a
// temporary folder beside the output, then one atomic swap, so that a
// failed or killed build leaves the previous site in place; a check,
// before a build starts, that the swap would destroy nothing that is not a
// casebook site; and the temporary folders every casebook run makes
// (MkdirTemp), marked so that the next run removes those a killed run
// left behind (Sweep).
package publish

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Refused is an output folder a build will not replace; the message says
// why, for the user.
type Refused struct{ Msg string }

func (e *Refused) Error() string { return e.Msg }

func refused(format string, args ...any) error { return &Refused{fmt.Sprintf(format, args...)} }

// siteMarks are files every casebook build writes (the static search
// bundle's manifest), or wrote before it (search-index.json).
var siteMarks = []string{"search/bundle/manifest.json", "search-index.json"}

// Dir writes a site's files under a folder: a render.Output.
type Dir string

// WriteFile writes name (slash-separated) under the folder, making its
// folders as needed.
func (d Dir) WriteFile(name string, data []byte) error {
	p := filepath.Join(string(d), filepath.FromSlash(name))
	// Most pages are the first file in a folder of their own whose parent
	// exists: one mkdir, rather than MkdirAll's stat of the folder, stat of
	// its parent and mkdir, for each of a large site's 10,000 folders.
	if dir := filepath.Dir(p); os.Mkdir(dir, 0o755) != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return os.WriteFile(p, data, 0o644)
}

// Rename renames a folder written under d (slash-separated names).
func (d Dir) Rename(oldDir, newDir string) error {
	return os.Rename(filepath.Join(string(d), filepath.FromSlash(oldDir)), filepath.Join(string(d), filepath.FromSlash(newDir)))
}

// Check refuses an output folder that the swap at the end of a build
// would destroy something in: the library or a folder holding it, a file,
// or a folder of someone else's files. An empty folder, or the site a
// previous build wrote, is fine.
func Check(libAbs, outAbs, out string) error {
	lib, err := filepath.EvalSymlinks(libAbs)
	if err != nil {
		return err
	}
	st, err := os.Stat(outAbs)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return refused("--out %s is a file, not a folder", out)
	}
	dst, err := filepath.EvalSymlinks(outAbs)
	if err != nil {
		return err
	}
	if rel, err := filepath.Rel(dst, lib); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
		return refused("--out %s holds the library: a build replaces its output folder, library and all", out)
	}
	entries, err := os.ReadDir(dst)
	if err != nil {
		return err
	}
	if len(entries) == 0 || BuiltByCasebook(dst) {
		return nil
	}
	return refused("--out %s holds files casebook did not write, and a build replaces the whole folder; remove them or choose a new folder", out)
}

// BuiltByCasebook reports whether dir holds a site a casebook build wrote:
// its home page names casebook as generator, or (for a theme whose layout
// does not) it has the client search index every build writes.
func BuiltByCasebook(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err == nil && bytes.Contains(b, []byte(`<meta name="generator" content="casebook">`)) {
		return true
	}
	for _, name := range siteMarks {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name))); err == nil {
			return true
		}
	}
	return false
}

// Begin prepares a build that will publish to dst: it repairs what a
// crashed Swap may have left (Recover), removes the temporary folders of
// earlier runs that were killed, and makes this run's, beside dst (so the
// swap is a rename on one file system). The site is written to
// t.Sub(SiteDir) and published with Swap(t.Sub(SiteDir), dst); t.Remove
// then removes the old site with the folder.
func Begin(dst string) (*Temp, error) {
	Recover(dst)
	parent, prefix := filepath.Dir(dst), TempPrefix(dst)
	Sweep(parent, prefix)
	t, err := MkdirTemp(parent, prefix)
	if err != nil {
		return nil, err
	}
	if err := os.Mkdir(t.Sub(SiteDir), 0o755); err != nil {
		t.Remove()
		return nil, err
	}
	return t, nil
}

// SiteDir is the folder of a Temp from Begin that the site is written to.
const SiteDir = "site"

// TempPrefix is the name prefix of the temporary folders of builds into
// dst: hidden, beside it, and naming it, such as ".public.casebook-tmp-".
func TempPrefix(dst string) string { return "." + filepath.Base(dst) + ".casebook-tmp-" }

// aside is where the fallback swap moves the old site while the new one
// takes its name.
func aside(dst string) string {
	return filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".casebook-old")
}

// hook is called at each step of Swap; the crash tests kill the process
// there.
var hook = func(step string) {}

// swapExchange is exchange, unless a test makes Swap take its fallback.
var swapExchange = exchange

// Swap puts the folder src in dst's place, so that dst is always a
// complete site, the old or the new.
//
// Where the system can exchange two paths in one step (renameat2 on
// Linux, renamex_np on macOS), it does: dst is a real folder at every
// instant, and src holds the old site afterwards, for the caller to remove.
// Elsewhere, and on file systems that cannot exchange, the old site is
// renamed aside before the new one takes its name; a crash between the two
// renames leaves dst missing and the old site aside, which Recover (run by
// Begin, so by the next build) puts back.
func Swap(src, dst string) error {
	if err := os.Chmod(src, 0o755); err != nil {
		return err
	}
	if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(src, dst)
	}
	if err := swapExchange(src, dst); err == nil {
		hook("exchanged")
		return nil
	}
	old := aside(dst)
	os.RemoveAll(old)
	if err := os.Rename(dst, old); err != nil {
		return fmt.Errorf("cannot replace %s: %w", dst, err)
	}
	hook("aside")
	if err := os.Rename(src, dst); err != nil {
		os.Rename(old, dst)
		return err
	}
	hook("renamed")
	return os.RemoveAll(old)
}

// Recover repairs what a crash in the middle of Swap's fallback leaves:
// with dst missing, the old site set aside is put back; with both there,
// the aside copy is removed. It reports whether it put a site back.
func Recover(dst string) bool {
	old := aside(dst)
	if _, err := os.Lstat(old); err != nil {
		return false
	}
	if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(old, dst) == nil
	}
	os.RemoveAll(old)
	return false
}
