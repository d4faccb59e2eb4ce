package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/casebook/casebook/index"
	"github.com/casebook/casebook/site"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlags("build", "[--library DIR] [--out DIR] [--drafts] [--include-restricted] [--search-index FILE]", stderr)
	lib := fl.String("library", "content", "the review library `folder`")
	out := fl.String("out", "public", "the `folder` to write the site to; replaced only when the build succeeds")
	drafts := fl.Bool("drafts", false, "include reviews with status: draft")
	restricted := fl.Bool("include-restricted", false, "include reviews with visibility: restricted")
	baseURL := fl.String("base-url", "", "override casebook.yaml's baseURL (e.g. for a deploy preview)")
	quiet := fl.Bool("quiet", false, "print nothing on success")
	searchIndex := fl.String("search-index", os.Getenv("CASEBOOK_SEARCH_INDEX"), "also write the search index archive the Netlify function embeds to `FILE` (default $CASEBOOK_SEARCH_INDEX)")
	if err := parseFlags(fl, args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return usagef("unexpected argument %q", fl.Arg(0))
	}
	if u, err := url.Parse(*baseURL); *baseURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		return usagef("--base-url %q is not an http(s) URL", *baseURL)
	}
	var err error
	var cleanup func()
	if *lib, cleanup, err = resolveLibrary(fl, *lib, stderr); err != nil {
		return err
	}
	defer cleanup()
	start := time.Now()
	limitMemory(*searchIndex != "")
	res, err := build(ctx, buildConfig{library: *lib, out: *out, drafts: *drafts, restricted: *restricted, baseURL: *baseURL, searchIndex: *searchIndex})
	if err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stdout, "casebook: built %d reviews, %d pages into %s in %s\n",
			len(res.site.Reviews), res.pages, *out, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

type buildConfig struct {
	library, out       string
	drafts, restricted bool
	baseURL            string
	searchIndex        string // --search-index: where to write the index archive
}

type buildResult struct {
	site  *site.Site
	pages int
}

// build loads the library and writes the site into a fresh folder beside
// out, then swaps it into place, so a failed build leaves the previous
// site untouched.
func build(ctx context.Context, c buildConfig) (*buildResult, error) {
	libAbs, err := filepath.Abs(c.library)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(libAbs); err != nil || !st.IsDir() {
		return nil, usagef("library %s is not a folder", c.library)
	}
	outAbs, err := filepath.Abs(c.out)
	if err != nil {
		return nil, err
	}
	if err := checkOut(libAbs, outAbs, c.out); err != nil {
		return nil, err
	}
	opts, err := libraryOptions(libAbs)
	if err != nil {
		return nil, err
	}
	opts.Drafts, opts.IncludeRestricted, opts.BaseURL = c.drafts, c.restricted, c.baseURL
	// Only search reads Review.Text: the static bundle every build writes,
	// and the archive.
	opts.NoText = c.searchIndex == "" && noStaticBundle()
	if rel, err := filepath.Rel(libAbs, outAbs); err == nil && !strings.HasPrefix(rel, "..") {
		// An output folder inside the library is never read as content.
		opts.Skip = append(opts.Skip, filepath.ToSlash(rel))
	}
	s, err := site.Load(os.DirFS(libAbs), opts)
	if err != nil {
		// Report the theme's mistakes with the library's, all at once.
		var list, themeList site.ErrorList
		if errors.As(err, &list) && errors.As(site.ThemeErrors(os.DirFS(libAbs), site.ParseTheme(theme(libAbs))), &themeList) {
			return nil, append(list, themeList...).Err()
		}
		return nil, err
	}
	r, err := site.NewRenderer(s, theme(libAbs))
	if err != nil {
		return nil, site.ThemeErrors(os.DirFS(libAbs), err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(outAbs), "."+filepath.Base(outAbs)+".tmp-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	finishExtras := startExtras(s, c) // runs while the pages render
	defer finishExtras(false)
	if err := r.Render(dirOutput(tmp)); err != nil {
		return nil, site.ThemeErrors(os.DirFS(libAbs), err)
	}
	if err := writeExtras(s, tmp); err != nil {
		return nil, err
	}
	if err := finishExtras(true); err != nil {
		return nil, err
	}
	if err := swapDir(tmp, outAbs); err != nil {
		return nil, err
	}
	return &buildResult{site: s, pages: len(r.Pages())}, nil
}

// writeExtras writes files that come from outside package site (such as
// the search index); other commands extend it.
var writeExtras = func(s *site.Site, dir string) error { return nil }

// startExtras begins work that can run alongside rendering (the search
// index); the function it returns waits for it and, with commit, puts
// the results in place, or else discards them. Calling it again is a no-op.
var startExtras = func(s *site.Site, c buildConfig) func(commit bool) error {
	return func(bool) error { return nil }
}

// dirOutput writes a site's files under a folder.
type dirOutput string

func (d dirOutput) WriteFile(name string, data []byte) error {
	p := filepath.Join(string(d), filepath.FromSlash(name))
	// Most pages are the first file in a folder of their own whose parent
	// exists: one mkdir, rather than MkdirAll's stat of the folder, stat of
	// its parent and mkdir, for each of a large site's 10,000 folders.
	if dir := filepath.Dir(p); os.Mkdir(dir, 0o755) != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return os.WriteFile(p, data, 0o644)
}

// checkOut refuses an output folder that the swap at the end of a build
// would destroy something in: the library or a folder holding it, a file,
// or a folder of someone else's files. An empty folder, or the site a
// previous build wrote, is fine.
func checkOut(libAbs, outAbs, out string) error {
	lib, err := filepath.EvalSymlinks(libAbs)
	if err != nil {
		return err
	}
	st, err := os.Stat(outAbs)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return usagef("--out %s is a file, not a folder", out)
	}
	dst, err := filepath.EvalSymlinks(outAbs)
	if err != nil {
		return err
	}
	if rel, err := filepath.Rel(dst, lib); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
		return usagef("--out %s holds the library: a build replaces its output folder, library and all", out)
	}
	entries, err := os.ReadDir(dst)
	if err != nil {
		return err
	}
	if len(entries) == 0 || builtByCasebook(dst) {
		return nil
	}
	return usagef("--out %s holds files casebook did not write, and a build replaces the whole folder; remove them or choose a new folder", out)
}

// builtByCasebook reports whether dir holds a site a casebook build wrote:
// its home page names casebook as generator, or (for a theme whose layout
// does not) it has the static search bundle every build writes, or the
// search-index.json that builds wrote before it.
func builtByCasebook(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "index.html"))
	if err == nil && bytes.Contains(b, []byte(`<meta name="generator" content="casebook">`)) {
		return true
	}
	for _, name := range []string{index.BundleManifest, index.ClientIndexFile} {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name))); err == nil {
			return true
		}
	}
	return false
}

// swapDir replaces dst with src. The old folder is moved aside before the
// new one takes its name, and removed only after.
func swapDir(src, dst string) error {
	if err := os.Chmod(src, 0o755); err != nil {
		return err
	}
	old := ""
	if _, err := os.Stat(dst); err == nil {
		old = dst + ".old"
		os.RemoveAll(old)
		if err := os.Rename(dst, old); err != nil {
			return fmt.Errorf("cannot replace %s: %w", dst, err)
		}
	}
	if err := os.Rename(src, dst); err != nil {
		if old != "" {
			os.Rename(old, dst)
		}
		return err
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// A build allocates far more than it keeps, so by default the collector
// spends a quarter of the build collecting. It runs less often here
// (GOGC=400), bounded by a soft limit on the heap so a large library stays
// within a small machine's memory. The limit is where the GC's share stops
// paying for itself on the 10,000-review benchmark (interleaved runs,
// November 2026): at 420 MiB peak RSS is 436 MiB; 440 MiB was no faster,
// 360 MiB 2 % slower and 300 MiB 15 % slower. Making the search index as
// well needs more room: bleve's segments are built in memory before they
// are written, and under the smaller limit the collector would run all the
// time. GOGC and GOMEMLIMIT in the environment take precedence.
const (
	buildGCPercent        = 400
	buildMemoryLimit      = 420 << 20
	buildIndexMemoryLimit = 1 << 30
)

func limitMemory(withIndex bool) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(buildGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		limit := int64(buildMemoryLimit)
		if withIndex {
			limit = buildIndexMemoryLimit
		}
		debug.SetMemoryLimit(limit)
	}
}
