package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/gcpace"
	"github.com/casebook/casebook/internal/host"
	"github.com/casebook/casebook/internal/preview"
	"github.com/casebook/casebook/site"
)

// runServe is casebook serve: the flags, then the preview server
// (package preview) or, with --production, the production server (package
// host) until ctx ends.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlags("serve", "[--library DIR] [--addr 127.0.0.1:1313 | --bind HOST --port N] [--open] [--include-restricted] [--allow-remote] [--production [--watch] [--poll 2s] [--base-url URL] [--max-conns N] [--access-log=false] [--count-readers FILE]]", stderr)
	lib := fl.String("library", "content", "the review library `folder`")
	addr := fl.String("addr", "127.0.0.1:1313", "the `host:port` to listen on; port 0 picks a free one")
	open := fl.Bool("open", false, "open the site in a browser")
	restricted := fl.Bool("include-restricted", false, "include reviews with visibility: restricted")
	remote := fl.Bool("allow-remote", false, "let the preview listen on a non-loopback address (it shows drafts)")
	prod := fl.Bool("production", false, "serve what casebook build publishes, for a network: no drafts, no live reload, caching, compression, timeouts")
	watch := fl.Bool("watch", false, "with --production: rebuild when the library changes (a git pull), swapping the site in atomically")
	poll := fl.Duration("poll", 2*time.Second, "with --watch: how often to look for changes")
	baseURL := fl.String("base-url", "", "with --production: override casebook.yaml's baseURL")
	maxConns := fl.Int("max-conns", host.DefaultMaxConns, "with --production: the most connections open at once")
	countReaders := fl.String("count-readers", "", "with --production: count views of review pages in `FILE` (slug,count,period; counts only), which each build reads")
	accessLog := fl.Bool("access-log", true, "with --production: log each request to stdout (time, method, path, status, bytes, duration)")
	// Hugo's spellings: hugo server --port 1313 --bind 0.0.0.0.
	port := fl.Int("port", 0, "the port to listen on, as Hugo spells it (instead of --addr)")
	bind := fl.String("bind", "", "the interface to listen on, as Hugo spells it (instead of --addr)")
	if err := parseFlags(fl, args); err != nil {
		return err
	}
	if *port != 0 || *bind != "" {
		h, p, _ := net.SplitHostPort(*addr)
		if *bind != "" {
			h = *bind
		}
		if *port != 0 {
			p = strconv.Itoa(*port)
		}
		*addr = net.JoinHostPort(h, p)
	}
	if fl.NArg() > 0 {
		return usagef("unexpected argument %q", fl.Arg(0))
	}
	var misplaced string // a flag of the other mode (their usage says "with --")
	fl.Visit(func(f *flag.Flag) {
		if !*prod && strings.Contains(f.Usage, "with --") || *prod && f.Name == "allow-remote" {
			misplaced = f.Name
		}
	})
	switch {
	case misplaced != "" && *prod:
		return usagef("--allow-remote is for the preview; --production may listen anywhere")
	case misplaced != "":
		return usagef("--%s needs --production", misplaced)
	case !*prod && !*remote && !host.Loopback(*addr):
		return usagef("--addr %s is not a loopback address, and the preview shows drafts (and with --include-restricted, restricted reviews) to anyone who can reach it. To serve a library to others, use casebook serve --production; to preview from another machine anyway, add --allow-remote", *addr)
	case *baseURL != "" && checkBaseURL(*baseURL) != nil:
		return checkBaseURL(*baseURL)
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
	defer gcpace.Serve()()
	options := func() (site.Options, error) {
		opts, err := libraryOptions(libAbs)
		if os.Getenv("SOURCE_DATE_EPOCH") == "" {
			opts.Now = time.Time{} // each load's own time, so "overdue" stays current
		}
		opts.IncludeRestricted, opts.BaseURL = *restricted, *baseURL
		return opts, err
	}
	var srv interface {
		URL() string
		Run(context.Context) error
	}
	if *prod {
		c := host.Config{Library: libAbs, Addr: *addr, Options: options, MaxConns: *maxConns, Log: stderr, CountReaders: *countReaders}
		if *watch {
			c.Watch = *poll
		}
		if *accessLog {
			c.AccessLog = stdout
		}
		srv, err = host.New(c)
	} else {
		var opts site.Options
		if opts, err = options(); err != nil {
			return err
		}
		srv, err = preview.New(preview.Config{Library: *lib, Addr: *addr, Options: opts, Stdout: stdout, Stderr: stderr})
	}
	if list := (site.ErrorList{}); err != nil && errors.As(err, &list) {
		return err // the library's problems, located, as build prints them
	} else if err != nil {
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
