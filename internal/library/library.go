// Package library holds what the commands that read a library folder
// share beyond package site: the library folder as read (FS, which
// never follows a link out of it) and the theme a folder's pages are
// rendered with. It is the seam between casebook build, check and the
// preview server (internal/preview), which must agree on it so that the
// preview shows what a build writes.
package library

import (
	"io/fs"

	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

// Theme is the default theme with the library's theme/ folder over it.
// The folder is looked for at each call: the preview server calls Theme
// for every load, so an override folder created while it runs is used.
func Theme(dir string) fs.FS {
	lower, _ := fs.Sub(defaulttheme.FS, ".")
	// The override is read through the library's guard, so a link in
	// theme/ may point anywhere in the library but never outside it.
	upper, err := fs.Sub(FS(dir), "theme")
	if err != nil {
		return lower
	}
	if st, err := fs.Stat(upper, "."); err == nil && st.IsDir() {
		return render.Overlay{Upper: upper, Lower: lower}
	}
	return lower
}
