package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/gcpace"
	"github.com/casebook/casebook/internal/library"
	"github.com/casebook/casebook/internal/publish"
	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
)

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlags("build", "[--library DIR] [--out DIR] [--drafts] [--include-restricted] [--base-url URL] [--search-index FILE] [--quiet] [--readers FILE]", stderr)
	lib := fl.String("library", "content", "the review library `folder`")
	out := fl.String("out", "public", "the `folder` to write the site to; replaced only when the build succeeds")
	drafts := fl.Bool("drafts", false, "include reviews with status: draft")
	restricted := fl.Bool("include-restricted", false, "include reviews with visibility: restricted")
	baseURL := fl.String("base-url", "", "override casebook.yaml's baseURL (e.g. for a deploy preview)")
	quiet := fl.Bool("quiet", false, "print nothing on success")
	searchIndex := fl.String("search-index", os.Getenv("CASEBOOK_SEARCH_INDEX"), "also write the search index archive the Netlify function embeds to `FILE` (default $CASEBOOK_SEARCH_INDEX)")
	readers := fl.String("readers", "", "read counted readers (slug,count,period) from `FILE`, as casebook serve --production --count-readers writes it")
	if err := parseFlags(fl, args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return usagef("unexpected argument %q", fl.Arg(0))
	}
	if *baseURL != "" && checkBaseURL(*baseURL) != nil {
		return checkBaseURL(*baseURL)
	}
	var err error
	var cleanup func()
	if *lib, cleanup, err = resolveLibrary(fl, *lib, stderr); err != nil {
		return err
	}
	defer cleanup()
	start := time.Now()
	defer gcpace.Build(*searchIndex != "")()
	res, err := build(ctx, buildConfig{library: *lib, out: *out, drafts: *drafts, restricted: *restricted, baseURL: *baseURL, searchIndex: *searchIndex, readers: *readers})
	if err != nil {
		return err
	}
	if !*quiet {
		left := ""
		if l := res.site.LeftOut.String(); l != "" {
			left = " (" + l + ": --drafts, --include-restricted)"
		}
		fmt.Fprintf(stdout, "casebook: built %d reviews%s, %d pages into %s in %s\n",
			len(res.site.Reviews), left, res.pages, *out, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

type buildConfig struct {
	library, out       string
	drafts, restricted bool
	baseURL            string
	searchIndex        string // --search-index: where to write the index archive
	readers            string // --readers: counted readers
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
	if err := publish.Check(libAbs, outAbs, c.out); err != nil {
		var r *publish.Refused
		if errors.As(err, &r) {
			return nil, usagef("%s", r.Msg)
		}
		return nil, err
	}
	opts, err := libraryOptions(libAbs)
	if err != nil {
		return nil, err
	}
	opts.Drafts, opts.IncludeRestricted, opts.BaseURL = c.drafts, c.restricted, c.baseURL
	if c.readers != "" {
		b, err := os.ReadFile(c.readers)
		if err != nil {
			return nil, err
		}
		counts, list := site.ParseReaders(c.readers, b)
		if len(list) > 0 {
			return nil, list.Err()
		}
		opts.Readers = counts
	}
	// Only search reads Review.Text: the static bundle every build writes,
	// and the archive.
	opts.NoText = c.searchIndex == "" && noStaticBundle()
	if rel, err := filepath.Rel(libAbs, outAbs); err == nil && !strings.HasPrefix(rel, "..") {
		// An output folder inside the library is never read as content.
		opts.Skip = append(opts.Skip, filepath.ToSlash(rel))
	}
	s, err := site.Load(ctx, library.FS(libAbs), opts)
	if err != nil {
		// Report the theme's mistakes with the library's, all at once.
		var list, themeList site.ErrorList
		if errors.As(err, &list) && errors.As(render.ThemeErrors(library.FS(libAbs), render.ParseTheme(library.Theme(libAbs))), &themeList) {
			return nil, append(list, themeList...).Err()
		}
		return nil, err
	}
	r, err := render.New(s, library.Theme(libAbs))
	if err != nil {
		return nil, render.ThemeErrors(library.FS(libAbs), err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The new site is made beside out, so out's folder must exist: make
	// it, as Hugo does, once the library has loaded.
	if err := os.MkdirAll(filepath.Dir(outAbs), 0o755); err != nil {
		return nil, err
	}
	tmp, err := publish.Begin(outAbs)
	if err != nil {
		return nil, err
	}
	defer tmp.Remove()
	finishIndex, indexed := startSearchIndex(s, c.searchIndex) // runs while the pages render
	r.LeaveACoreUntil(indexed)
	defer finishIndex(false)
	dir := tmp.Sub(publish.SiteDir)
	// The bundle is written while the pages render: both spend much of
	// their time creating files, which overlaps.
	bundled := make(chan error, 1)
	go func() { bundled <- writeStaticBundle(s, publish.Dir(dir)) }()
	if err := r.Render(ctx, publish.Dir(dir)); err != nil {
		<-bundled
		return nil, outputFailure(c.out, render.ThemeErrors(library.FS(libAbs), err))
	}
	if err := <-bundled; err != nil {
		return nil, outputFailure(c.out, err)
	}
	if err := finishIndex(true); err != nil {
		return nil, err
	}
	if err := publish.Swap(dir, outAbs); err != nil {
		return nil, err
	}
	return &buildResult{site: s, pages: len(r.Pages())}, nil
}

// checkBaseURL refuses a --base-url that is not an http(s) URL.
func checkBaseURL(s string) error {
	if u, err := url.Parse(s); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef("--base-url %q is not an http(s) URL", s)
	}
	return nil
}
