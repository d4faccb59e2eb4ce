package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// version is the release, set when building one:
// go build -ldflags "-X main.version=v1.2.3" ./cmd/casebook.
var version = "devel"

// runVersion prints the version, the commit the binary was built from
// (when Go recorded it) and the Go version, as `casebook version` and
// `casebook --version`.
func runVersion(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlags("version", "", stderr)
	if err := parseFlags(fl, args); err != nil {
		return err
	}
	commit, dirty := "unknown", ""
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = " (modified)"
				}
			}
		}
		if version == "devel" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			version = info.Main.Version // go install …@v1.2.3
		}
	}
	_, err := fmt.Fprintf(stdout, "casebook %s\ncommit %s%s\n%s %s/%s\n", version, commit, dirty, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}
