package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/casebook/casebook/content"
	"github.com/casebook/casebook/site"
)

// libraryOptions are the site options every command shares: "now" from
// SOURCE_DATE_EPOCH for reproducible builds, and Git dates for reviews
// that give no date.
func libraryOptions(dir string) (site.Options, error) {
	opts := site.Options{Now: time.Now()}
	if v := os.Getenv("SOURCE_DATE_EPOCH"); v != "" {
		sec, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return opts, usagef("SOURCE_DATE_EPOCH=%q is not a number of seconds", v)
		}
		opts.Now = time.Unix(sec, 0).UTC()
	}
	opts.FirstCommit = gitFirstCommits(dir)
	opts.ShallowHistory = isShallow(dir)
	return opts, nil
}

// isShallow reports whether dir is in a shallow clone (CI's default fetch
// depth of 1), where every file's first commit is the clone's.
func isShallow(dir string) bool {
	out, err := exec.Command("git", "-C", dir, "rev-parse", "--is-shallow-repository").Output()
	return err == nil && strings.TrimSpace(string(out)) == "true"
}

// gitFirstCommits returns a lookup of each file's first commit time. Git
// runs once, on first use, for the whole library: one `git log` pass
// rather than a process per file.
func gitFirstCommits(dir string) func(string) (time.Time, bool) {
	var once sync.Once
	var dates map[string]time.Time
	return func(p string) (time.Time, bool) {
		once.Do(func() { dates = readGitDates(dir) })
		t, ok := dates[p]
		return t, ok
	}
}

// gitLog runs git log in dir; a variable so tests can count the runs.
var gitLog = func(dir string, args ...string) ([]byte, error) {
	return exec.Command("git", append([]string{"-C", dir, "log"}, args...)...).Output()
}

// readGitDates maps each library path to the time of the commit that added
// it. The output is NUL-separated (-z) because git otherwise quotes and
// escapes any path that is not plain ASCII ("\303\205rsrapport.md"), and
// such a path would never match the name site.Load asks about. The format
// puts an empty field before each commit's time: a path is never empty, so
// that marks commits unambiguously, whatever the paths contain.
func readGitDates(dir string) map[string]time.Time {
	dates := map[string]time.Time{}
	out, err := gitLog(dir, "--relative", "--no-renames", "--diff-filter=A", "-z", "--format=%x00%at", "--name-only", "--", ".")
	if err != nil {
		return dates
	}
	var cur time.Time
	fields := strings.Split(string(out), "\x00")
	for i := 0; i < len(fields); i++ {
		if fields[i] != "" {
			if cur.IsZero() {
				continue
			}
			// git log lists newest first, so the last time seen is the
			// first commit that added the file.
			dates[filepath.ToSlash(fields[i])] = cur
			continue
		}
		i++
		if i == len(fields) {
			break
		}
		cur = time.Time{}
		if sec, err := strconv.ParseInt(fields[i], 10, 64); err == nil {
			cur = time.Unix(sec, 0).UTC()
		}
		// The commit's paths follow its time after a newline.
		if i+1 < len(fields) {
			fields[i+1] = strings.TrimPrefix(fields[i+1], "\n")
		}
	}
	return dates
}

// resolveLibrary returns the library folder a command should use, and a
// function to call when the command ends. When --library was not given
// and there is no ./content folder, it is the example library built into
// the binary, copied to a temporary folder (the commands read and watch
// folders) that the returned function removes, so that `casebook serve`
// shows a new user something real wherever it runs.
func resolveLibrary(fl *flag.FlagSet, lib string, stderr io.Writer) (string, func(), error) {
	explicit := false
	fl.Visit(func(f *flag.Flag) {
		if f.Name == "library" {
			explicit = true
		}
	})
	if !useExample(lib, explicit) {
		return lib, func() {}, nil
	}
	dir, err := os.MkdirTemp("", "casebook-example-")
	if err != nil {
		return "", nil, err
	}
	cleanup := func() { os.RemoveAll(dir) }
	if err := os.CopyFS(dir, content.FS); err != nil {
		cleanup()
		return "", nil, err
	}
	fmt.Fprintf(stderr, "%s (a copy in %s, removed when casebook ends)\n", exampleNotice(lib), dir)
	return dir, cleanup, nil
}

// useExample reports whether a command falls back to the example library:
// --library was not given and the default folder is not there.
func useExample(lib string, explicit bool) bool {
	if explicit {
		return false
	}
	_, err := os.Stat(lib)
	return err != nil
}

func exampleNotice(lib string) string {
	return fmt.Sprintf("casebook: no %s folder here; using the example library built into casebook", lib)
}
