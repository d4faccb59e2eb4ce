// Package lint checks a review library for problems an author or the
// library's CI should know about (`casebook check`).
//
// Check loads the library the way a build does, with drafts and restricted
// reviews included so that every review is validated, and adds rules of
// its own. Each finding has a severity:
//
//   - error: the build rejects the library (rule "build"). Only errors make
//     `casebook check` exit with status 1.
//   - warning: probably a mistake, worth fixing before publishing.
//   - suggestion: a matter of writing, for the author to weigh.
//   - note: for information.
//
// # Rules
//
//	build               error       everything site.Load rejects, where it rejects it
//	term-duplicate      warning     a term that is probably a vocabulary term or another
//	                                term written differently (see below)
//	unknown-template    warning     template: names no library or built-in template
//	required-section    warning     a heading the review's template requires is missing
//	empty-section       warning     a required section of a published review has nothing
//	                                in it but comments or example timeline lines
//	follow-up-owner     warning     an open or in-progress follow-up has no owner
//	follow-up-overdue   warning     an open or in-progress follow-up's due date has passed
//	person-profile      note        a responder, investigator or follow-up owner has no
//	                                profile in people/: once a person, at the first review
//	                                naming them (only when the library has people/)
//	blameless-language  suggestion  a phrase that tends to end an inquiry or assign blame,
//	                                in the body's prose and timeline event texts (not in
//	                                headings, code, HTML comments or front matter); a
//	                                phrase used in several reviews once, at its first use,
//	                                with the number of other reviews
//	template            warning     a template in templates/ that `casebook new` cannot use
//	lint-config         warning     a problem in casebook.yaml's lint: settings
//	config-key          warning     a top-level casebook.yaml key that is not a setting but
//	                                is spelt like one (timzone, unsafeHTML): casebook keeps
//	                                keys it does not know for themes, so the setting would
//	                                be ignored in silence
//	unknown-key         warning     a review's top-level front-matter key that casebook neither
//	                                reads nor maps (fields:, start_time, keywords), with the
//	                                field it probably means; other tools' layout keys (layout,
//	                                permalink, slug, weight, type, … site.HarmlessKeys) excepted
//	missing-image       warning     an image a review shows (Markdown or raw <img>) is not in
//	                                the library, at the image's line
//	inferred            note        what the build inferred rather than read: a title from the
//	                                file name or a heading, a date from the file name, the body
//	                                or Git, follow-ups from action items, a timeline row kept
//	                                without a time; and, once, when dates from Git are not
//	                                reliable (a shallow clone, a one-commit import)
//
// term-duplicate looks at the terms of every taxonomy field (services,
// technologies, contributing_factors, themes, or the library's own). The
// build already folds case, spaces, '_' and '-' and the vocabulary's
// aliases; a term that is still unknown after that is compared, in its
// normalised form, with the vocabulary's terms, aliases and titles, and
// with the library's other unknown terms. Two forms are probably one term
// when they differ only in hyphens ("pg-bouncer", "pgbouncer"), when one is
// the plural of the other (-s, -es, -ies/-y), or when they have the same
// digits and the same number of words and each word that differs is a
// likely misspelling: one edit (Damerau-Levenshtein) when the shorter word
// has 5 to 7 letters, since two already make other words (token and tokyo,
// gitlab and github); up to two from 8 letters, with the same first letter
// (packer is not docker); for 3 or 4 letters one insertion, deletion or
// swap but not a substitution (aws and aks, rest and rust are different
// things). Shorter words must match exactly (ui, ux), and so must digits
// (http2, http3). Between two unknown terms the warning goes to the less
// used one (when they are used equally, to the one first used later: a
// pair is reported in one direction only), and only when
// it is used in at most 3 reviews or a tenth as many as the other: a
// spelling many reviews share is deliberate.
//
// required-section applies to reviews whose front matter names a template
// (template: google) and to reviews without one whose headings already
// have at least two thirds (and at least three) of some template's
// required sections: that review evidently follows the template and the
// rest are probably missing. template: none turns the rule off for a
// review. Templates are those of package scaffold: the library's own in
// templates/ and the built-in google and howie.
//
// follow-up-overdue compares with Options.Now (SOURCE_DATE_EPOCH in the
// CLI), in the library's time zone; a follow-up due on a date is overdue
// from the day after. Done and wont-do follow-ups need no owner.
//
// # Settings
//
// casebook.yaml may hold a lint: mapping:
//
//	lint:
//	  disable: [person-profile]                # rules not to run ("build" cannot be disabled)
//	  blameless_phrases:                       # replaces the built-in list
//	    - human error                          # a phrase, with a generic explanation
//	    - phrase: the intern                   # or a phrase with its own
//	      why: Name the role and what the system allowed, not a person.
//	      except: [the intern program]         # longer phrases in which it is fine
//	  extra_blameless_phrases: [...]           # added to the list (built-in or replaced)
//
// Phrases match whole words, case-insensitively; spaces in a phrase match
// any run of spaces, line breaks or hyphens, an apostrophe matches ' or ’,
// and a trailing plural s/es is allowed. The built-in list is in
// DefaultPhrases.
//
// # Positions
//
// Lines and columns are 1-based; columns count bytes, as the build's do.
// Line 0 means the whole file; column 0 the whole line.
package lint

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/casebook/casebook/internal/parallel"
	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
	"github.com/casebook/casebook/site/scaffold"
)

// Severity is how much a finding matters.
type Severity string

// Severities, most serious first.
const (
	Error      Severity = "error"
	Warning    Severity = "warning"
	Suggestion Severity = "suggestion"
	Note       Severity = "note"
)

// Severities lists every severity, most serious first.
func Severities() []Severity { return []Severity{Error, Warning, Suggestion, Note} }

// Finding is one problem, located in a library file.
type Finding struct {
	Path     string   `json:"path"`
	Line     int      `json:"line"`
	Col      int      `json:"col"`
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule"`
	Message  string   `json:"message"`
	// Hint says why, or what to do; it may be empty.
	Hint string `json:"hint"`
}

// Rule describes one check.
type Rule struct {
	Name     string
	Severity Severity
	Doc      string
}

// Rules lists every rule Check runs.
func Rules() []Rule {
	return []Rule{
		{"build", Error, "the build rejects the library"},
		{"term-duplicate", Warning, "a term is probably a vocabulary term or another term spelt differently"},
		{"unknown-template", Warning, "template: names no template"},
		{"required-section", Warning, "a section the review's template requires is missing"},
		{"empty-section", Warning, "a required section of a published review is empty"},
		{"follow-up-owner", Warning, "an open follow-up has no owner"},
		{"follow-up-overdue", Warning, "an open follow-up is past its due date"},
		{"person-profile", Note, "a person named in a review has no profile in people/"},
		{"blameless-language", Suggestion, "a phrase that ends an inquiry or assigns blame"},
		{"template", Warning, "a library template that casebook new cannot use"},
		{"lint-config", Warning, "a problem in casebook.yaml's lint: settings"},
		{"config-key", Warning, "a casebook.yaml key that looks like a misspelt setting"},
		{"unknown-key", Warning, "a review's front-matter key casebook does not read"},
		{"missing-image", Warning, "an image a review shows is not in the library"},
		{"inferred", Note, "a field casebook inferred rather than read (a title from the file name, a date from the timeline)"},
	}
}

func ruleSeverity(name string) Severity {
	for _, r := range Rules() {
		if r.Name == name {
			return r.Severity
		}
	}
	return Warning
}

// Report is the result of checking a library.
type Report struct {
	Findings []Finding // sorted by path, line, column, rule, message
	Reviews  int       // review files checked
	// Nominations are the files of Reviews' kind that nominate an
	// incident (status: nominated) rather than review one: not in Reviews.
	Nominations int
	// Import is what discovery took and skipped and what was inferred:
	// how casebook read the library, for a repository not written for it.
	Import Import
}

// Count returns the number of findings of a severity.
func (r *Report) Count(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// HasErrors reports whether the build would fail.
func (r *Report) HasErrors() bool { return r.Count(Error) > 0 }

// checker holds one run's state.
type checker struct {
	fsys     fs.FS
	cfg      *site.Config
	opts     site.Options
	settings *settings
	files    site.LibraryFiles
	reviews  []*review
	tmpls    []*scaffold.Template
	findings []Finding
}

func (c *checker) add(rule, path string, line, col int, msg, hint string) {
	c.findings = append(c.findings, Finding{Path: path, Line: line, Col: col, Severity: ruleSeverity(rule), Rule: rule, Message: msg, Hint: hint})
}

// Check lints the library in fsys. opts are the build's options (Now,
// FirstCommit, Skip); Check includes drafts and restricted reviews itself
// so that every review is validated. theme, when not nil, is the theme the
// build would render with: its mistakes are build errors too, found by
// rendering every page without writing it.
func Check(ctx context.Context, fsys fs.FS, opts site.Options, theme fs.FS) *Report {
	opts.Drafts, opts.IncludeRestricted, opts.Syntax, opts.AsBuilt = true, true, true, true
	opts.Cache = nil
	c := &checker{fsys: fsys, opts: opts}

	addBuild := func(err error) {
		var list site.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				c.add("build", e.Path, e.Line, e.Col, e.Msg, e.Hint)
			}
		} else {
			c.add("build", ".", 0, 0, err.Error(), "")
		}
	}
	lib, err := site.Parse(ctx, fsys, opts)
	if err != nil {
		addBuild(err)
		return &Report{Findings: c.findings}
	}
	if s, err := site.Assemble(lib); err != nil {
		addBuild(err)
		if theme != nil {
			if err := render.ParseTheme(theme); err != nil {
				addBuild(render.ThemeErrors(fsys, err))
			}
		}
	} else if theme != nil {
		// The theme's mistakes are the build's too: parse it, and render
		// every page without writing it.
		if r, err := render.New(s, theme); err != nil {
			addBuild(render.ThemeErrors(fsys, err))
		} else if err := r.Render(ctx, discard{}); err != nil {
			addBuild(render.ThemeErrors(fsys, err))
		}
	}
	c.cfg = lib.Config
	c.settings = c.readSettings()
	c.checkConfigKeys()
	c.files = lib.Files

	if lib.Files.Owned {
		tmpls, terrs := scaffold.Templates(fsys)
		c.tmpls = tmpls
		for _, e := range terrs {
			c.add("template", e.Path, e.Line, e.Col, e.Msg, e.Hint)
		}
	} else {
		// A foreign repository's templates/ is another program's.
		c.tmpls = scaffold.Builtin()
	}
	for _, n := range lib.Notes() {
		if strings.HasPrefix(n.Msg, "image not found: ") {
			// The build keeps the reference, but readers see a broken
			// image: worth fixing before publishing.
			c.add("missing-image", n.Path, n.Line, n.Col, n.Msg, "put the image in the library at that path, or fix the path")
			continue
		}
		c.add("inferred", n.Path, n.Line, n.Col, n.Msg, n.Hint)
	}

	for _, rs := range lib.Reviews {
		if rs.Outline != nil { // nil: the file could not be read, which the build reports
			c.reviews = append(c.reviews, &review{path: rs.File.Path, fields: rs.Fields, draft: rs.Draft, nominated: rs.Nominated, outline: rs.Outline, ignored: rs.Ignored})
		}
	}
	c.checkTerms()
	c.checkPeople()
	c.checkLanguage()
	c.checkReviewKeys()
	// Each review is checked in parallel, reporting into its own copy of
	// the checker; the findings are merged (and sorted) afterwards.
	perReview := make([][]Finding, len(c.reviews))
	parallel.For(len(c.reviews), func(i int) {
		rc := *c
		rc.findings = nil
		r := c.reviews[i]
		if r.nominated {
			return // a nomination asks for a review: it has none of one's sections yet
		}
		rc.checkSections(r)
		rc.checkFollowUps(r)
		perReview[i] = rc.findings
	})
	for _, f := range perReview {
		c.findings = append(c.findings, f...)
	}

	findings := slices.DeleteFunc(c.findings, func(f Finding) bool { return f.Rule != "build" && c.settings.disabled[f.Rule] })
	slices.SortStableFunc(findings, compareFindings)
	findings = slices.CompactFunc(findings, func(a, b Finding) bool { return a == b })
	if findings == nil {
		findings = []Finding{}
	}
	nominations := 0
	for _, rs := range lib.Reviews {
		if rs.Nominated {
			nominations++
		}
	}
	return &Report{Findings: findings, Reviews: len(c.files.Reviews) - nominations, Nominations: nominations, Import: importSummary(lib, findings)}
}

func compareFindings(a, b Finding) int {
	return cmp.Or(
		strings.Compare(a.Path, b.Path),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Col, b.Col),
		strings.Compare(a.Rule, b.Rule),
		strings.Compare(a.Message, b.Message),
		strings.Compare(a.Hint, b.Hint),
	)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// discard is a render.Output that keeps nothing.
type discard struct{}

func (discard) WriteFile(string, []byte) error { return nil }
