package main

import (
	"context"
	"io"
	"os"
	"path/filepath"

	"github.com/casebook/casebook/internal/library"
	"github.com/casebook/casebook/site/lint"
)

// runCheck lints a library: everything the build rejects (errors), and
// warnings, suggestions and notes for authors (see package lint). It exits
// with status 1 only when there are errors, so a library's CI can run it
// on every change.
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlags("check", "[--library DIR] [--format text|json]", stderr)
	lib := fl.String("library", "content", "the review library `folder`")
	format := fl.String("format", "text", "output `format`: text (path:line:col: severity: message) or json")
	if err := parseFlags(fl, args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return usagef("unexpected argument %q", fl.Arg(0))
	}
	if *format != "text" && *format != "json" {
		return usagef("--format must be text or json, not %q", *format)
	}
	libAbs, err := filepath.Abs(*lib)
	if err != nil {
		return err
	}
	if st, err := os.Stat(libAbs); err != nil || !st.IsDir() {
		return usagef("library %s is not a folder", *lib)
	}
	opts, err := libraryOptions(libAbs)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	rep := lint.Check(ctx, library.FS(libAbs), opts, library.Theme(libAbs))
	if *format == "json" {
		err = rep.WriteJSON(stdout)
	} else {
		err = rep.WriteText(stdout)
	}
	if err != nil {
		return err
	}
	if rep.HasErrors() {
		return &statusError{code: 1}
	}
	return nil
}
