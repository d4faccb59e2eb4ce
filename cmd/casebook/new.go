package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/casebook/casebook/internal/library"
	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/frontmatter"
	"github.com/casebook/casebook/site/scaffold"
)

// runNew starts a review from a template: it writes
// reviews/YYYY-MM-DD-<slug>.md (today, in the library's time zone) as a
// draft and prints the path it wrote. It never overwrites a file.
func runNew(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := newFlags("new", "[--library DIR] [--template google|howie|NAME] [--date YYYY-MM-DD] TITLE\n       casebook new [--library DIR] [--template NAME] --from NOMINATION.md", stderr)
	lib := fl.String("library", "content", "the review library `folder`")
	tmplName := fl.String("template", "", "the `template`: google, howie, or NAME for the library's templates/NAME.md\n(default: casebook.yaml's default_template, else "+scaffold.DefaultTemplate+")")
	dateFlag := fl.String("date", "", "the incident's `date` (YYYY-MM-DD), for writing up an older incident (default: today)")
	from := fl.String("from", "", "turn the nomination in this `file` (status: nominated) into a draft review, in its place,\nkeeping its title, date, why, terms and who nominated it")
	usage := fl.Usage
	fl.Usage = func() {
		usage()
		fmt.Fprintf(stderr, "\nBuilt-in templates (a library adds its own as %s/NAME.md):\n", scaffold.Dir)
		for _, t := range scaffold.Builtin() {
			fmt.Fprintf(stderr, "  %-8s %s\n", t.Name, t.Description)
		}
	}
	titleWords, err := parseInterspersed(fl, args)
	if err != nil {
		return err
	}
	title := strings.Join(titleWords, " ")
	if *from != "" && (title != "" || *dateFlag != "") {
		return usagef("--from takes the title and date from the nomination: give no TITLE or --date")
	}
	if strings.TrimSpace(title) == "" && *from == "" {
		return usagef("give the review's title, e.g. casebook new \"Checkout errors after the gateway timeout change\"")
	}

	libAbs, err := filepath.Abs(*lib)
	if err != nil {
		return err
	}
	if st, err := os.Stat(libAbs); err != nil || !st.IsDir() {
		return usagef("library %s is not a folder", *lib)
	}
	fsys := library.FS(libAbs)
	cfg, cerrs := site.ReadConfig(fsys)
	if len(cerrs) > 0 {
		return cerrs
	}
	name := *tmplName
	if name == "" {
		if cfg.DefaultTemplate != "" {
			name = cfg.DefaultTemplate
		} else {
			name = scaffold.DefaultTemplate
		}
	}
	tmpl, err := scaffold.Lookup(fsys, name)
	if err != nil {
		return err
	}

	opts, err := libraryOptions(libAbs)
	if err != nil {
		return err
	}
	if *from != "" {
		return newFromNomination(ctx, *lib, libAbs, *from, tmpl, cfg, opts, stdout)
	}
	date := opts.Now.In(cfg.Location)
	if *dateFlag != "" {
		d, ok := frontmatter.ParseTime(*dateFlag, cfg.Location)
		if !ok {
			return usagef("--date %q: want YYYY-MM-DD", *dateFlag)
		}
		date = d
	}
	file, err := scaffold.FileName(title, date)
	if err != nil {
		return usagef("%v", err)
	}
	dir := scaffold.ReviewDir(fsys, cfg)
	rel := path.Join(dir, file)
	if !scaffold.IsReview(fsys, cfg, rel) {
		return fmt.Errorf("%s would not be read as a review (see reviews: and exclude: in casebook.yaml, and the file names a library without reviews/ ignores); choose another title", rel)
	}
	slug := site.Slugify(strings.TrimSuffix(file, ".md"))
	files, _ := site.Discover(fsys, cfg, nil)
	for _, r := range files.Reviews {
		if r.Slug == slug {
			return fmt.Errorf("%s already exists, with the same slug %q: casebook new never overwrites a review", filepath.Join(*lib, filepath.FromSlash(r.Path)), slug)
		}
	}
	content, err := tmpl.Render(scaffold.Data{Title: strings.TrimSpace(title), Date: date, Config: cfg})
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	full := filepath.Join(libAbs, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists: casebook new never overwrites a review", filepath.Join(*lib, filepath.FromSlash(rel)))
		}
		return err
	}
	if _, err := f.Write(content); err != nil {
		f.Close()
		os.Remove(full)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(full)
		return err
	}
	fmt.Fprintln(stdout, filepath.Join(*lib, filepath.FromSlash(rel)))
	return nil
}

// parseInterspersed parses flags that may come before or after the
// positional arguments (casebook new "Title" --template howie), which the
// flag package alone stops at. After "--" everything is positional.
func parseInterspersed(fl *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	rest := args
	for {
		if err := parseFlags(fl, rest); err != nil {
			return nil, err
		}
		left := fl.Args()
		if len(left) == 0 {
			return pos, nil
		}
		if consumed := len(rest) - len(left); consumed > 0 && rest[consumed-1] == "--" {
			return append(pos, left...), nil
		}
		pos = append(pos, left[0])
		rest = left[1:]
	}
}
