package library

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// ErrOutside is why a guarded folder refuses a path: after its symbolic
// links are resolved, it names a file outside the folder. Git carries
// symbolic links, so a library from a pull request can hold one to
// /proc/self/environ or ~/.ssh; its target must never be read, let alone
// published.
var ErrOutside = errors.New("a symbolic link to a file outside the library")

// FS is the folder dir as an fs.FS that, like os.DirFS, follows symbolic
// links, but only to files inside dir: a path whose resolved target
// leaves dir fails with an *fs.PathError wrapping ErrOutside and naming
// the path asked for (the link), which discovery reports where the link
// is. Links inside the folder are followed as usual. Every command that
// reads a library (build, check, search, serve and its error page) reads
// it through FS, and the theme folder through Theme, which uses it too.
func FS(dir string) fs.FS {
	root, err := filepath.Abs(dir)
	if err != nil {
		root = dir
	}
	real, err := filepath.EvalSymlinks(root)
	if err != nil {
		real = root
	}
	return guarded{root: root, real: real}
}

type guarded struct{ root, real string }

// resolve returns the file that name, inside the folder, is after its
// links are resolved. A name that does not exist resolves to itself, so
// that opening it fails as os.DirFS would.
func (g guarded) resolve(op, name string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	full := filepath.Join(g.root, filepath.FromSlash(name))
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) && errors.Is(err, fs.ErrNotExist) {
			// A dangling link, or nothing there: open says which.
			if _, lerr := os.Lstat(full); lerr == nil {
				return "", &fs.PathError{Op: op, Path: name, Err: ErrOutside}
			}
			return full, nil
		}
		return "", &fs.PathError{Op: op, Path: name, Err: err}
	}
	if real != g.real && !strings.HasPrefix(real, g.real+string(filepath.Separator)) {
		return "", &fs.PathError{Op: op, Path: name, Err: ErrOutside}
	}
	return real, nil
}

// wrap names the path asked for, not the resolved one, in an error.
func wrap(op, name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fs.PathError{Op: op, Path: name, Err: pe.Err}
	}
	return err
}

func (g guarded) Open(name string) (fs.File, error) {
	p, err := g.resolve("open", name)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, wrap("open", name, err)
	}
	return f, nil
}

func (g guarded) ReadFile(name string) ([]byte, error) {
	p, err := g.resolve("read", name)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, wrap("read", name, err)
	}
	return b, nil
}

// ReadDir lists a folder without following the links in it (an entry's
// Type says it is a link), as os.DirFS does: walking stays inside.
func (g guarded) ReadDir(name string) ([]fs.DirEntry, error) {
	p, err := g.resolve("readdir", name)
	if err != nil {
		return nil, err
	}
	es, err := os.ReadDir(p)
	if err != nil {
		return nil, wrap("readdir", name, err)
	}
	return es, nil
}

func (g guarded) Stat(name string) (fs.FileInfo, error) {
	p, err := g.resolve("stat", name)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(p)
	if err != nil {
		return nil, wrap("stat", name, err)
	}
	return st, nil
}
