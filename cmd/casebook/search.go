package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/casebook/casebook/content"
	"github.com/casebook/casebook/index"
	"github.com/casebook/casebook/internal/library"
	"github.com/casebook/casebook/site"
)

// searchFlagNames are the search command's own flags; a taxonomy with one
// of these keys can still be filtered as key:term in the query.
var searchFlagNames = map[string]bool{"library": true, "json": true, "page": true, "size": true, "from": true,
	"to": true, "drafts": true, "include-restricted": true, "color": true, "h": true, "help": true}

// runSearch searches a library from the terminal. The taxonomy flags
// (--technologies kafka, ...) come from the library's settings, so the
// library is found and loaded before the flags are parsed.
func runSearch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const synopsis = "[--library DIR] [--json] [--<taxonomy> TERM ...] [--from DATE] [--to DATE] [--page N] [--size N] [--drafts] [--include-restricted] [--color auto|always|never] QUERY"
	lib, explicit := scanFlag(args, "library", "content")
	wantHelp := scanHelp(args)

	var s *site.Site
	var loadErr error
	libAbs, err := filepath.Abs(lib)
	if err != nil {
		return err
	}
	var fsys fs.FS
	example := useExample(lib, explicit)
	switch st, err := os.Stat(libAbs); {
	case example:
		// As build and serve do (resolveLibrary); search only reads, so
		// the embedded files serve as they are, with no copy to leave.
		fsys = content.FS
		fmt.Fprintln(stderr, exampleNotice(lib))
	case err == nil && st.IsDir():
		fsys = library.FS(libAbs)
	default:
		loadErr = usagef("library %s is not a folder", lib)
	}
	if fsys != nil {
		opts, err := libraryOptions(libAbs)
		if err != nil {
			return err
		}
		if example {
			opts.FirstCommit = nil // not from this folder's Git history
		}
		opts.Drafts = scanBool(args, "drafts")
		opts.IncludeRestricted = scanBool(args, "include-restricted")
		s, loadErr = site.Load(ctx, fsys, opts)
	}
	if loadErr != nil && !wantHelp {
		return loadErr
	}

	fl := newFlags("search", synopsis, stderr)
	fl.String("library", "content", "the review library `folder`")
	asJSON := fl.Bool("json", false, "print the JSON that GET /api/search answers")
	page := fl.Int("page", 1, "the page of results to show")
	size := fl.Int("size", index.DefaultPageSize, fmt.Sprintf("results per page (1-%d)", index.MaxPageSize))
	from := fl.String("from", "", "only reviews of incidents on or after this `date` (YYYY-MM-DD)")
	to := fl.String("to", "", "only reviews of incidents on or before this `date` (YYYY-MM-DD)")
	fl.Bool("drafts", false, "include reviews with status: draft")
	fl.Bool("include-restricted", false, "include reviews with visibility: restricted")
	color := fl.String("color", "auto", "bold the matched words: auto (when printing to a terminal), always or never")
	filters := map[string]*termList{}
	var taxKeys []string
	if s != nil {
		for _, t := range s.Taxonomies {
			taxKeys = append(taxKeys, t.Key)
			if searchFlagNames[t.Key] {
				continue
			}
			l := &termList{}
			filters[t.Key] = l
			fl.Var(l, t.Key, fmt.Sprintf("only reviews with this %s (`TERM`; repeat or comma-separate for any of several)", strings.ToLower(t.Singular)))
		}
	}
	fl.Usage = func() {
		fmt.Fprintf(stderr, "Usage: casebook search %s\n\n", synopsis)
		fmt.Fprint(stderr, "QUERY uses bleve's query-string syntax: words, \"a phrase\", +required, -excluded,\n"+
			"field:value (title, summary, headings, body, severity, people, date or a taxonomy),\n"+
			"fuzzy~1, wild*, date:>=\"2024-01-01\". With no query, the newest reviews are listed.\n\nOptions:\n")
		fl.PrintDefaults()
		if loadErr != nil {
			fmt.Fprintf(stderr, "\n(The library's taxonomy flags are missing: %v)\n", loadErr)
		}
	}
	if err := parseFlags(fl, args); err != nil {
		return err
	}
	if loadErr != nil {
		return loadErr
	}

	v := url.Values{"q": {strings.Join(fl.Args(), " ")}}
	for key, l := range filters {
		for _, term := range *l {
			v.Add(key, term)
		}
	}
	if *from != "" {
		v.Set("from", *from)
	}
	if *to != "" {
		v.Set("to", *to)
	}
	v.Set("page", strconv.Itoa(*page))
	v.Set("size", strconv.Itoa(*size))
	q, err := index.ParseQuery(v, taxKeys)
	if err != nil {
		return usagef("%s", searchFlagError(err.Error()))
	}
	ix, err := index.Build(s)
	if err != nil {
		return err
	}
	defer ix.Close()
	res, err := ix.Search(ctx, q)
	if err != nil {
		if index.IsQueryError(err) {
			return usagef("%v", err)
		}
		return err
	}
	if *asJSON {
		b, err := index.MarshalResult(res)
		if err != nil {
			return err
		}
		_, err = stdout.Write(b)
		return err
	}
	bold := false
	switch *color {
	case "always":
		bold = true
	case "never":
	case "auto":
		bold = isTerminal(stdout) && os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
	default:
		return usagef("--color must be auto, always or never, not %q", *color)
	}
	return index.WriteText(stdout, s, res, bold, func(key string) bool { return searchFlagNames[key] })
}

// termList is a repeatable, comma-separated flag.
type termList []string

func (l *termList) String() string { return strings.Join(*l, ",") }
func (l *termList) Set(v string) error {
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}

// searchFlagError words ParseQuery's messages about URL parameters as
// flags.
func searchFlagError(msg string) string {
	msg = strings.Replace(msg, "size must be", "--size must be", 1)
	msg = strings.Replace(msg, "page must be", "--page must be", 1)
	msg = strings.Replace(msg, "from:", "--from:", 1)
	msg = strings.Replace(msg, "to:", "--to:", 1)
	msg = strings.Replace(msg, "q is ", "the query is ", 1)
	return msg
}

// scanFlag finds a string flag's value before the flags can be parsed,
// and whether it was given.
func scanFlag(args []string, name, def string) (string, bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			break
		}
		for _, p := range []string{"-" + name, "--" + name} {
			if a == p && i+1 < len(args) {
				return args[i+1], true
			}
			if v, ok := strings.CutPrefix(a, p+"="); ok {
				return v, true
			}
		}
	}
	return def, false
}

func scanBool(args []string, name string) bool {
	for _, a := range args {
		if a == "--" {
			break
		}
		switch a {
		case "-" + name, "--" + name, "-" + name + "=true", "--" + name + "=true":
			return true
		}
	}
	return false
}

func scanHelp(args []string) bool {
	for _, a := range args {
		if a == "--" {
			break
		}
		switch a {
		case "-h", "-help", "--help", "--h":
			return true
		}
	}
	return false
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

var _ flag.Value = (*termList)(nil)
