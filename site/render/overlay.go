package render

import (
	"errors"
	"io/fs"
	"slices"
	"strings"

	"github.com/casebook/casebook/site/diag"
)

// Overlay is a file system in which files of Upper hide the same names in
// Lower. A library uses it to override parts of the default theme.
type Overlay struct{ Upper, Lower fs.FS }

// Open opens name from Upper, or else Lower.
func (o Overlay) Open(name string) (fs.File, error) {
	if o.Upper != nil {
		f, err := o.Upper.Open(name)
		if err == nil {
			st, serr := f.Stat()
			if serr == nil && !st.IsDir() {
				return f, nil
			}
			f.Close()
		} else if !errors.Is(err, fs.ErrNotExist) {
			// An override that is there but cannot be read must not
			// quietly give way to the default.
			return nil, err
		}
	}
	return o.Lower.Open(name)
}

// ReadDir merges both layers' entries, Upper winning on a shared name.
func (o Overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	var out []fs.DirEntry
	seen := map[string]bool{}
	var errUpper error
	if o.Upper != nil {
		es, err := fs.ReadDir(o.Upper, name)
		errUpper = err
		for _, e := range es {
			seen[e.Name()] = true
			out = append(out, e)
		}
	}
	es, err := fs.ReadDir(o.Lower, name)
	if err != nil && (o.Upper == nil || errUpper != nil) {
		return nil, err
	}
	for _, e := range es {
		if !seen[e.Name()] {
			out = append(out, e)
		}
	}
	if len(out) == 0 && err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	slices.SortFunc(out, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return out, nil
}

// ThemeFile names a theme file (templates/review.html) as a library's
// author finds it: their override under theme/, or the default theme's.
func ThemeFile(lib fs.FS, p string) string {
	if _, err := fs.Stat(lib, "theme/"+p); err == nil {
		return "theme/" + p
	}
	return p + " (default theme)"
}

// ThemeErrors names the files in a theme's errors (from New, ParseTheme
// or Render) as ThemeFile does; other errors pass through.
func ThemeErrors(lib fs.FS, err error) error {
	var list diag.ErrorList
	if !errors.As(err, &list) {
		return err
	}
	for _, e := range list {
		if strings.HasPrefix(e.Path, "templates/") || strings.HasPrefix(e.Path, "static/") {
			e.Path = ThemeFile(lib, e.Path)
		}
	}
	return list
}
