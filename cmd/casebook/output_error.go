package main

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"

	"github.com/casebook/casebook/site/render"
)

// outputFailure reports a site that could not be written (a full disk) as
// one line naming the output folder the user gave, "public: cannot write
// css/site.css: no space left on device", rather than a line per file
// naming the temporary folder the build writes in. Other errors pass.
func outputFailure(out string, err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		// A property of the disk, not of the file that happened to fail
		// first among parallel writers: naming none keeps the message
		// the same from run to run.
		return fmt.Errorf("%s: cannot write the site: %w", out, syscall.ENOSPC)
	}
	var oe *render.OutputError
	if errors.As(err, &oe) {
		return fmt.Errorf("%s: %w", out, oe)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && (pe.Op == "write" || pe.Op == "open" || pe.Op == "mkdir") {
		return fmt.Errorf("%s: cannot write the site: %w", out, pe.Err)
	}
	return err
}
