package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/casebook/casebook/internal/library"
	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/diag"
	"github.com/casebook/casebook/site/frontmatter"
	"github.com/casebook/casebook/site/scaffold"
)

// newFromNomination turns a nomination into a draft review from a
// template, in the nomination's file: the same path, so the same slug and
// URL, and no second file for one incident. The review keeps the
// nomination's title, date, terms and nominator, and opens with a section
// holding its why: and notes. Only a nomination is ever rewritten; the
// library must load, so that what it keeps is what the site read.
func newFromNomination(ctx context.Context, lib, libAbs, from string, tmpl *scaffold.Template, cfg *site.Config, opts site.Options, stdout io.Writer) error {
	rel, err := libraryPath(lib, libAbs, from)
	if err != nil {
		return err
	}
	// Drafts and restricted reviews too: a file that is one is a review
	// already, which is what to say about it.
	opts.Drafts, opts.IncludeRestricted = true, true
	s, err := site.Load(ctx, library.FS(libAbs), opts)
	if err != nil {
		return err
	}
	var n *site.Nomination
	for _, c := range s.Nominations {
		if c.SourcePath == rel {
			n = c
		}
	}
	shown := filepath.Join(lib, filepath.FromSlash(rel))
	if n == nil {
		for _, r := range s.Reviews {
			if r.SourcePath == rel {
				return fmt.Errorf("%s is a review already (status: %s), not a nomination", shown, r.Status)
			}
		}
		return fmt.Errorf("%s is not a nomination: casebook new --from takes a review file with status: nominated", shown)
	}
	full := filepath.Join(libAbs, filepath.FromSlash(rel))
	src, err := os.ReadFile(full)
	if err != nil {
		return err
	}
	var e diag.Collector // the load read this front matter already
	fm := frontmatter.Split(rel, src, &e)
	fromN := &scaffold.FromNomination{Why: n.Why, Notes: fm.Body, Terms: map[string][]string{}}
	if n.NominatedBy != nil {
		fromN.NominatedBy = n.NominatedBy.ID
	}
	for _, t := range n.Terms {
		fromN.Terms[t.Field] = append(fromN.Terms[t.Field], t.Written)
	}
	content, err := tmpl.Render(scaffold.Data{Title: n.Title, Date: n.Date.In(cfg.Location), Config: cfg, From: fromN})
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// Written beside it and renamed over it: the nomination is either
	// whole or replaced, never half written.
	tmp, err := os.CreateTemp(filepath.Dir(full), ".casebook-new-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if st, err := os.Stat(full); err == nil {
		_ = os.Chmod(tmp.Name(), st.Mode().Perm())
	}
	if err := os.Rename(tmp.Name(), full); err != nil {
		return err
	}
	fmt.Fprintln(stdout, shown)
	return nil
}

// libraryPath is the library-relative, slash-separated path of a file
// named on the command line: relative to the current folder, else to the
// library. A file outside the library is refused.
func libraryPath(lib, libAbs, name string) (string, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(abs); err != nil && !filepath.IsAbs(name) {
		abs = filepath.Join(libAbs, name)
	}
	if _, err := os.Stat(abs); err != nil {
		return "", usagef("--from %s: no such file (give its path, or its path in the library %s)", name, lib)
	}
	rel, err := filepath.Rel(libAbs, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", usagef("--from %s: the file is not in the library %s", name, lib)
	}
	return filepath.ToSlash(rel), nil
}
