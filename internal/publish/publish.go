// Package publish writes a built site to a folder: files under a
// temporary folder beside the output, then one swap, so that a failed
// build leaves the previous site in place; and a check, before a build
// starts, that the swap would destroy nothing that is not a casebook site.
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

// Swap replaces dst with src. The old folder is moved aside before the
// new one takes its name, and removed only after.
func Swap(src, dst string) error {
	if err := os.Chmod(src, 0o755); err != nil {
		return err
	}
	old := ""
	if _, err := os.Stat(dst); err == nil {
		old = dst + ".old"
		os.RemoveAll(old)
		if err := os.Rename(dst, old); err != nil {
			return fmt.Errorf("cannot replace %s: %w", dst, err)
		}
	}
	if err := os.Rename(src, dst); err != nil {
		if old != "" {
			os.Rename(old, dst)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}
