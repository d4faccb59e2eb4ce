package render

import (
	"errors"
	"fmt"
	"io/fs"
	"sync"
)

// OutputError is a failure to write the site: a full disk, a folder
// without permission. It is one error for the whole output, not one per
// file (a full disk once printed 1,140 lines, most without a path), and
// names the first file that could not be written, relative to the
// output, for the caller to put after the output folder's name. Render
// stops writing at the first.
type OutputError struct {
	Name string // the file, slash-separated, relative to the output
	Err  error  // the reason, without the temporary path it was written to
}

func (e *OutputError) Error() string {
	return fmt.Sprintf("cannot write %s: %v", e.Name, e.Err)
}

func (e *OutputError) Unwrap() error { return e.Err }

// outputError makes err, from writing name, an OutputError; the path in a
// PathError is the temporary folder's, which is no use to anyone.
func outputError(name string, err error) *OutputError {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &OutputError{Name: name, Err: err}
}

// firstWrite keeps the first write failure of a render; once it has one,
// nothing more is written.
type firstWrite struct {
	mu  sync.Mutex
	err *OutputError
}

// write writes name to out unless a write has already failed.
func (f *firstWrite) write(out Output, name string, data []byte) {
	if f.failed() {
		return
	}
	if err := out.WriteFile(name, data); err != nil {
		f.mu.Lock()
		if f.err == nil {
			f.err = outputError(name, err)
		}
		f.mu.Unlock()
	}
}

func (f *firstWrite) failed() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err != nil
}
