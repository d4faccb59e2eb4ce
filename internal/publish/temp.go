package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Every temporary folder casebook makes holds a marker file, locked while
// the process that made it runs. A run killed (kill -9, a full disk, a
// power cut) cannot remove its folders, so each later run removes the
// folders of earlier ones: a folder whose name has the right prefix, that
// holds the marker, and whose marker no live process locks. A folder
// without the marker is never touched, whatever its name.
const markerFile = ".casebook-temp"

// A Temp is a temporary folder of this process's, removed by Remove.
type Temp struct {
	// Path is the folder; what a run writes goes in a folder below it
	// (Site, File), so the marker never reaches the published site.
	Path string
	lock *os.File
}

// MkdirTemp makes a marked folder prefix+random in parent (the system's
// temporary folder when parent is empty).
func MkdirTemp(parent, prefix string) (*Temp, error) {
	if parent == "" {
		parent = os.TempDir()
	}
	// The process id in the name lets Sweep tell, for a folder whose
	// maker was killed before it wrote its marker, that nobody will.
	dir, err := os.MkdirTemp(parent, prefix+strconv.Itoa(os.Getpid())+"-")
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, markerFile), os.O_CREATE|os.O_RDWR, 0o644)
	if err == nil {
		err = lockFile(f)
		if err == nil {
			_, err = fmt.Fprintf(f, "casebook temporary folder of process %d, started %s; removed by the next casebook run once that process has ended\n", os.Getpid(), time.Now().UTC().Format(time.RFC3339))
		}
		if err != nil {
			f.Close()
		}
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return &Temp{Path: dir, lock: f}, nil
}

// Sub is the path of name inside the temporary folder.
func (t *Temp) Sub(name string) string { return filepath.Join(t.Path, name) }

// Remove removes the folder and everything in it. It may be called more
// than once.
func (t *Temp) Remove() error {
	if t.lock == nil {
		return nil
	}
	err := removeMarked(t.Path)
	t.lock.Close() // after: until the folder is gone, it stays ours
	t.lock = nil
	return err
}

// Sweep removes the temporary folders with the given name prefix in
// parent (the system's temporary folder when empty) that earlier casebook
// runs left behind, and returns their paths. Folders of runs still going
// are left alone, as is anything without casebook's marker.
func Sweep(parent, prefix string) []string {
	if parent == "" {
		parent = os.TempDir()
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) || e.Type()&fs.ModeSymlink != 0 {
			continue
		}
		dir := filepath.Join(parent, e.Name())
		if stale(dir) && removeMarked(dir) == nil {
			removed = append(removed, dir)
		} else if info, err := e.Info(); err == nil && (makerGone(e.Name(), prefix) || time.Since(info.ModTime()) > time.Minute) && os.Remove(dir) == nil {
			// Empty and unmarked: a run killed between making the folder
			// and its marker (os.Remove takes only an empty folder).
			removed = append(removed, dir)
		}
	}
	return removed
}

// stale reports whether dir is a marked temporary folder whose process
// has ended: its marker can be locked.
func stale(dir string) bool {
	f, err := os.OpenFile(filepath.Join(dir, markerFile), os.O_RDWR, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return false
	}
	ok, err := tryLock(f)
	switch {
	case errors.Is(err, errNoLocks):
		return time.Since(st.ModTime()) > noLockAge
	case err != nil:
		return false
	}
	return ok
}

// removeMarked removes a marked folder, the marker last, so that a run
// killed while removing it leaves a folder the next one still recognises.
func removeMarked(dir string) error {
	entries, err := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != markerFile {
			err = errors.Join(err, os.RemoveAll(filepath.Join(dir, e.Name())))
		}
	}
	if err != nil {
		return err
	}
	return os.RemoveAll(dir)
}

// makerGone reports whether the process that made a folder named
// prefix+PID+"-"+random (see MkdirTemp) has ended.
func makerGone(name, prefix string) bool {
	pid, _, ok := strings.Cut(strings.TrimPrefix(name, prefix), "-")
	n, err := strconv.Atoi(pid)
	return ok && err == nil && n > 0 && n != os.Getpid() && processGone(n)
}
