//go:build !darwin && !dragonfly && !freebsd && !linux && !netbsd && !openbsd

package publish

import (
	"errors"
	"os"
	"time"
)

var errNoLocks = errors.New("no file locks")

// Without flock, a marked folder is taken for stale once it is a day old:
// no build runs that long.
const noLockAge = 24 * time.Hour

func lockFile(*os.File) error { return nil }

func tryLock(*os.File) (bool, error) { return false, errNoLocks }

// processGone cannot tell here; unmarked folders wait for their age.
func processGone(int) bool { return false }
