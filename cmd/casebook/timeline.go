package main

import (
	"archive/zip"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing/fstest"
	"time"

	"github.com/casebook/casebook/internal/library"
	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
	"github.com/casebook/casebook/site/slack"
)

// runTimeline builds a review's timeline from the Slack conversation in
// which the incident was handled: it prints the block, or with --into
// puts it into the review, changing nothing else there. Nothing is
// written unless every file read well.
func runTimeline(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlags("timeline", "--slack EXPORT --channel NAME[,NAME...] [--from TIME] [--to TIME] [--into REVIEW.md] [--library DIR]", stderr)
	export := fl.String("slack", "", "the Slack workspace export: a `folder` or .zip")
	channels := fl.String("channel", "", "the channels to read, comma-separated (`NAME[,NAME...]`)")
	from := fl.String("from", "", "the first `time` to import: YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339, in the library's time zone")
	to := fl.String("to", "", "the last `time` to import, inclusive (a date ends with its day)")
	into := fl.String("into", "", "the `review` whose timeline block to replace (or to append one to); without it the block is printed")
	lib := fl.String("library", "content", "the review library `folder`, for its time zone and people")
	if err := parseFlags(fl, args); err != nil {
		return err
	}
	if fl.NArg() > 0 {
		return usagef("unexpected argument %q", fl.Arg(0))
	}
	if *export == "" || strings.Trim(*channels, ", ") == "" {
		return usagef("give the export and its channels, e.g. --slack export.zip --channel search-incident")
	}

	// The review is read first: the library is loaded without its current
	// timeline block, which is about to be replaced and need not build.
	var review []byte
	if *into != "" {
		var err error
		if review, err = os.ReadFile(*into); err != nil {
			return fmt.Errorf("%s: cannot read: %v", *into, errors.Unwrap(err))
		}
		if _, err := slack.Splice(*into, review, nil); err != nil {
			return err
		}
	}
	loc, people, err := timelineLibrary(ctx, fl, *lib, *into, review, stderr)
	if err != nil {
		return err
	}

	var opts slack.Options
	opts.Location, opts.People = loc, people
	for _, c := range strings.Split(*channels, ",") {
		if c = strings.TrimSpace(c); c != "" {
			opts.Channels = append(opts.Channels, c)
		}
	}
	if *from != "" {
		if opts.From, err = slack.ParseTime(*from, loc, false); err != nil {
			return usagef("--from: %v", err)
		}
	}
	if *to != "" {
		if opts.To, err = slack.ParseTime(*to, loc, true); err != nil {
			return usagef("--to: %v", err)
		}
	}
	if !opts.From.IsZero() && !opts.To.IsZero() && !opts.From.Before(opts.To) {
		return usagef("--from %s is not before --to %s", *from, *to)
	}

	fsys, closeExport, err := openExport(*export)
	if err != nil {
		return err
	}
	defer closeExport()
	x, err := slack.Open(fsys, *export)
	if err != nil {
		return err
	}
	res, err := x.Timeline(opts)
	if err != nil {
		return err
	}
	if len(res.Events) == 0 {
		return fmt.Errorf("%s: no messages in %s%s; nothing written", *export, strings.Join(opts.Channels, ", "), period(*from, *to))
	}

	if *into == "" {
		fmt.Fprint(stdout, slack.Block(res.Events))
	} else {
		out, err := slack.Splice(*into, review, res.Events)
		if err != nil {
			return err
		}
		if err := writeAtomic(*into, out); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "%s: timeline of %d events from %s\n", *into, len(res.Events), strings.Join(opts.Channels, ", "))
	}
	if len(res.Unmatched) > 0 {
		who := fmt.Sprintf("%d Slack users match", len(res.Unmatched))
		if len(res.Unmatched) == 1 {
			who = "1 Slack user matches"
		}
		fmt.Fprintf(stderr, "%s nobody in the library; the timeline names them as below. A profile matches them next time:\n", who)
		for _, u := range res.Unmatched {
			fmt.Fprintf(stderr, "\n  %s\n  %s:\n", u, u.Profile())
			for _, l := range strings.SplitAfter(strings.TrimSuffix(u.ProfileText(), "\n"), "\n") {
				fmt.Fprintf(stderr, "    %s", l)
			}
			fmt.Fprintln(stderr)
		}
	}
	return nil
}

func period(from, to string) string {
	switch {
	case from != "" && to != "":
		return " from " + from + " to " + to
	case from != "":
		return " from " + from
	case to != "":
		return " to " + to
	}
	return ""
}

// timelineLibrary loads the library for its time zone and people. Without
// --library and without ./content, there is none: times are UTC and
// nobody is matched, which stderr says.
func timelineLibrary(ctx context.Context, fl *flag.FlagSet, lib, into string, review []byte, stderr io.Writer) (*time.Location, []*site.Person, error) {
	explicit := false
	fl.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "library" })
	if st, err := os.Stat(lib); err != nil || !st.IsDir() {
		if explicit {
			return nil, nil, usagef("library %s is not a folder", lib)
		}
		fmt.Fprintf(stderr, "casebook timeline: no %s folder here, so times are in UTC and no one is matched (give --library)\n", lib)
		return time.UTC, nil, nil
	}
	libAbs, err := filepath.Abs(lib)
	if err != nil {
		return nil, nil, err
	}
	var fsys fs.FS = library.FS(libAbs)
	if into != "" {
		if abs, err := filepath.Abs(into); err == nil {
			if rel, err := filepath.Rel(libAbs, abs); err == nil && fs.ValidPath(filepath.ToSlash(rel)) {
				blank, _ := slack.Splice(into, review, nil)
				fsys = render.Overlay{Upper: fstest.MapFS{filepath.ToSlash(rel): {Data: blank}}, Lower: fsys}
			}
		}
	}
	opts, err := libraryOptions(libAbs)
	if err != nil {
		return nil, nil, err
	}
	opts.Drafts, opts.IncludeRestricted = true, true
	s, err := site.Load(ctx, fsys, opts)
	if err != nil {
		var el site.ErrorList
		if errors.As(err, &el) {
			for _, e := range el {
				e.Path = filepath.Join(lib, e.Path)
			}
		}
		return nil, nil, fmt.Errorf("%w\ncasebook timeline: the library must load, for its time zone and people", err)
	}
	return s.Config.Location, s.People, nil
}

// openExport opens a Slack export, a folder or a .zip.
func openExport(p string) (fs.FS, func(), error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: cannot read: %v", p, errors.Unwrap(err))
	}
	if st.IsDir() {
		return os.DirFS(p), func() {}, nil
	}
	z, err := zip.OpenReader(p)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: not a folder or a .zip: %v", p, err)
	}
	return z, func() { z.Close() }, nil
}

// writeAtomic replaces a file through a temporary file beside it, so that
// the review is either as it was or as it should be, keeping its mode.
func writeAtomic(name string, data []byte) error {
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(name); err == nil {
		mode = st.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Chmod(f.Name(), mode)
	}
	if werr == nil {
		werr = os.Rename(f.Name(), name)
	}
	if werr != nil {
		os.Remove(f.Name())
		return fmt.Errorf("%s: cannot write: %v", name, werr)
	}
	return nil
}
