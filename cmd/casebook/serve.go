package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/casebook/casebook/internal/preview"
)

// runServe is casebook serve: the flags, then the preview server
// (package preview) until ctx ends.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlags("serve", "[--library DIR] [--addr 127.0.0.1:1313] [--open] [--include-restricted]", stderr)
	lib := fl.String("library", "content", "the review library `folder`")
	addr := fl.String("addr", "127.0.0.1:1313", "the `host:port` to listen on; port 0 picks a free one")
	open := fl.Bool("open", false, "open the site in a browser")
	restricted := fl.Bool("include-restricted", false, "include reviews with visibility: restricted")
	if err := parseFlags(fl, args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return usagef("unexpected argument %q", fl.Arg(0))
	}
	var err error
	var cleanup func()
	if *lib, cleanup, err = resolveLibrary(fl, *lib, stderr); err != nil {
		return err
	}
	defer cleanup()
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
	if os.Getenv("SOURCE_DATE_EPOCH") == "" {
		opts.Now = time.Time{} // each load's own time, so "overdue" stays current
	}
	opts.IncludeRestricted = *restricted
	srv, err := preview.New(preview.Config{Library: *lib, Addr: *addr, Options: opts, Stdout: stdout, Stderr: stderr})
	if err != nil {
		return fmt.Errorf("casebook serve: %w", err)
	}
	if *open {
		openBrowser(srv.URL())
	}
	if err := srv.Run(ctx); err != nil {
		return fmt.Errorf("casebook serve: %w", err)
	}
	return nil
}

// openBrowser opens url with the desktop's browser; failures are ignored
// (a headless machine has none).
func openBrowser(url string) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err == nil {
		go cmd.Wait()
	}
}
