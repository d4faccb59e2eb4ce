// Package library holds what the commands that read a library folder
// share beyond package site: today, the theme a folder's pages are
// rendered with. It is the seam between casebook build, check and the
// preview server (internal/preview), which must agree on it so that the
// preview shows what a build writes.
package library

import (
	"io/fs"
	"os"
	"path/filepath"

	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

// Theme is the default theme with the library's theme/ folder over it.
// The folder is looked for at each call: the preview server calls Theme
// for every load, so an override folder created while it runs is used.
func Theme(dir string) fs.FS {
	lower, _ := fs.Sub(defaulttheme.FS, ".")
	upper := filepath.Join(dir, "theme")
	if st, err := os.Stat(upper); err == nil && st.IsDir() {
		return render.Overlay{Upper: os.DirFS(upper), Lower: lower}
	}
	return lower
}
