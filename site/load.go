package site

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/internal/parallel"
	"github.com/casebook/casebook/site/frontmatter"

	"github.com/casebook/casebook/site/internal/markdown"
)

// Library is a library as read and parsed: its settings, its files by
// role, every review's front matter and rendered body, and the problems
// found so far. It is what Assemble links into a Site, and what casebook
// check (package lint) reads: the two never parse a file twice.
type Library struct {
	Config *Config
	Files  LibraryFiles
	// Reviews holds every review file's syntax, in file order, for
	// casebook check; only with Options.Syntax.
	Reviews []*ReviewSyntax

	fsys     fs.FS
	opts     Options
	errs     ErrorList
	notes    ErrorList
	static   map[string]string // library static/ files: output name → source
	parsed   []*parsedReview
	all      map[string]*parsedReview // by library path of the Markdown file
	publish  []*parsedReview          // what this build publishes, in file order
	nominate []*parsedReview          // status: nominated, in file order
	paths    []sourceFile             // training paths
	profiles []sourceFile             // people/
	rota     []rawShift               // oncall.yaml
	// owned: Load made this Library for one Assemble, which may take
	// the parse results apart as it links them (see instantiate).
	owned bool
}

// ReviewSyntax is one review file as casebook check reads it.
type ReviewSyntax struct {
	File   ReviewFile
	Fields *frontmatter.Node // nil when the front matter does not parse
	Draft  bool
	// Nominated: status: nominated, which needs none of a review's
	// sections.
	Nominated bool
	// Outline is the body's sections and prose (nil when the file could
	// not be read).
	Outline *markdown.Outline
	// Ignored are Fields' top-level keys casebook neither reads nor maps
	// (see Config.ReviewKeys and HarmlessKeys), in file order.
	Ignored []string
}

// sourceFile is a path or profile file, read and split.
type sourceFile struct {
	path string
	fm   frontmatter.FrontMatter
}

// Notes are what Parse inferred rather than read (a title from the file
// name, a date from the timeline) and what it kept but could not use (a
// timeline row without a readable time), located, sorted.
func (l *Library) Notes() ErrorList {
	l.notes.Sort()
	return l.notes
}

// Errors are the problems Parse found, sorted.
func (l *Library) Errors() ErrorList {
	l.errs.Sort()
	return l.errs
}

// Parse reads a library from fsys: casebook.yaml, which files are reviews,
// paths and profiles, every review's front matter, and the bodies of the
// reviews this build publishes (Options.Drafts, IncludeRestricted). Every
// file is read once. Problems in the library are kept in the Library for
// Assemble to report with its own; the error is for a load that cannot
// start at all (an invalid Options.BaseURL) or that ctx ended: Parse
// stops handing out files to parse and bodies to render once it is done.
func Parse(ctx context.Context, fsys fs.FS, opts Options) (*Library, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	var e errs
	cfgSrc, err := fs.ReadFile(fsys, ConfigFile)
	if err != nil {
		// No casebook.yaml means the defaults; one that cannot be read
		// must not quietly mean them.
		if !errors.Is(err, fs.ErrNotExist) {
			e.Add(ConfigFile, 0, 0, "cannot read: %v", err)
		}
		cfgSrc = nil
	}
	cfg := parseConfig(cfgSrc, &e)
	if opts.BaseURL != "" {
		if !httpURL(opts.BaseURL) {
			return nil, fmt.Errorf("base URL %q is not an http(s) URL (one with no quotes, angle brackets, backslashes, spaces or control characters)", opts.BaseURL)
		}
		cfg.BaseURL = strings.TrimSuffix(opts.BaseURL, "/") + "/"
	}
	lib := &Library{Config: cfg, fsys: fsys, opts: opts, static: map[string]string{}}

	srcs, files := discover(fsys, cfg, opts.Skip, lib.static, &e)
	if len(srcs) == 0 && len(e.List) == 0 {
		e.Add(".", 0, 0, "no reviews found (put Markdown files in reviews/, or at the library root)")
	}
	lib.Files = libraryFiles(srcs, files)
	pathFiles, peopleFiles := files.Paths, files.People

	// Slugs must be unique across every review, published or not, so that a
	// draft cannot later collide with a published URL.
	bySlug := map[string]*source{}
	for _, src := range srcs {
		if src.slug == "" {
			e.Add(src.path, 0, 0, "cannot make a URL from the file name %q", src.name)
			continue
		}
		if prev, ok := bySlug[src.slug]; ok {
			e.Add(src.path, 1, 1, "duplicate slug %q: %s and %s both publish /reviews/%s/", src.slug, prev.path, src.path, src.slug)
			continue
		}
		bySlug[src.slug] = src
	}

	cache := opts.Cache
	if cache != nil {
		cache.mu.Lock()
		if sum := sha256.Sum256(cfgSrc); sum != cache.cfgSum {
			cache.cfgSum, cache.entries = sum, map[string]*parsedReview{}
		}
		cache.mu.Unlock()
	}
	if lib.parsed, err = parseAll(ctx, fsys, cfg, srcs, opts); err != nil {
		return nil, err
	}
	lib.all = map[string]*parsedReview{}
	for _, p := range lib.parsed {
		e.List = append(e.List, p.errs...)
		e.Notes = append(e.Notes, p.notes...)
		lib.all[p.src.path] = p
	}
	cache.keepOnly(lib.all)

	// Phase two: render the bodies of the reviews this build publishes.
	targets := make(map[string]markdown.Target, len(lib.parsed))
	keyHash := sha256.New()
	for _, p := range lib.parsed {
		t := markdown.Target{Slug: p.src.slug, Dir: p.src.dir}
		r := p.review
		if r != nil && bySlug[p.src.slug] == p.src && r.Nominated() && (!r.Restricted() || opts.IncludeRestricted) {
			lib.nominate = append(lib.nominate, p)
		} else if r != nil && bySlug[p.src.slug] == p.src && !r.Nominated() &&
			(!r.Draft() || opts.Drafts) && (!r.Restricted() || opts.IncludeRestricted) {
			t.Published, p.published = true, true
			lib.publish = append(lib.publish, p)
			if cache != nil {
				fmt.Fprintf(keyHash, "%s\x00%s\x00", p.src.path, p.src.slug)
			}
		}
		targets[p.src.path] = t
	}
	mc := cfg.markdownConfig()
	mc.File = lib.Files.has
	mc.NoText = opts.NoText
	mc.Compress = cache == nil
	mc.Outline = opts.Syntax
	if cache != nil {
		mc.Highlighter = cache.hl
	}
	md := markdown.New(mc, targets)
	var envKey [32]byte
	copy(envKey[:], keyHash.Sum(nil))
	if err := renderBodies(ctx, md, lib.publish, cache, envKey, inferrer(md, cfg, opts)); err != nil {
		return nil, err
	}
	if err := lib.dropNonReviews(ctx, md, cfg, opts, targets, envKey); err != nil {
		return nil, err
	}
	for _, p := range lib.publish {
		for _, a := range p.body.Assets {
			// Files a body references outside its bundle are published at
			// their place in the library: the site's root is the
			// repository's, as the links were written.
			lib.static[a] = a
		}
		e.List = append(e.List, p.body.Errors...)
		e.List = append(e.List, p.bodyErrs...)
		e.Notes = append(e.Notes, p.body.Notes...)
		e.Notes = append(e.Notes, p.bodyNotes...)
	}
	gitNote(lib.publish, opts, &e)
	if opts.Syntax {
		lib.Reviews = reviewSyntax(md, lib.parsed)
		keys := lib.Config.ReviewKeys()
		for _, rs := range lib.Reviews {
			rs.Ignored = ignoredKeys(rs.Fields, keys)
		}
	}

	lib.paths = readSources(fsys, pathFiles, &e)
	lib.profiles = readSources(fsys, peopleFiles, &e)
	lib.rota = readRota(fsys, cfg, &e)
	lib.errs, lib.notes = e.List, e.Notes
	return lib, nil
}

// readSources reads and splits path or profile files.
func readSources(fsys fs.FS, files []string, e *errs) []sourceFile {
	out := make([]sourceFile, 0, len(files))
	for _, f := range files {
		content, err := fs.ReadFile(fsys, f)
		if err != nil {
			e.Add(f, 0, 0, "cannot read: %v", err)
			continue
		}
		out = append(out, sourceFile{path: f, fm: frontmatter.Split(f, content, e)})
	}
	return out
}

// dropNonReviews leaves out the files that turned out, once rendered, not
// to be reviews (see looksLikeReview), and renders again the bodies that
// link to them, so that those links keep their words rather than point
// at a page that is not there.
func (lib *Library) dropNonReviews(ctx context.Context, md *markdown.Renderer, cfg *Config, opts Options, targets map[string]markdown.Target, envKey [32]byte) error {
	dropped := map[string]bool{}
	kept := lib.publish[:0:0]
	for _, p := range lib.publish {
		if p.notReview {
			dropped[p.src.path] = true
			p.published = false
			t := targets[p.src.path]
			t.Published = false
			targets[p.src.path] = t
			lib.Files.Skipped = append(lib.Files.Skipped, Skipped{Path: p.src.path, Why: "not a review: no date, no timeline, no review sections"})
			lib.Files.Reviews = slices.DeleteFunc(lib.Files.Reviews, func(rf ReviewFile) bool { return rf.Path == p.src.path })
			continue
		}
		kept = append(kept, p)
	}
	if len(dropped) == 0 {
		return nil
	}
	lib.publish = kept
	var again []*parsedReview
	for _, p := range kept {
		if slices.ContainsFunc(p.body.Links, func(l string) bool { return dropped[l] }) {
			p.body = nil // render again, with the link's target left out
			again = append(again, p)
		}
	}
	if len(again) == 0 {
		return nil
	}
	for _, p := range again {
		if p.content == nil {
			// A one-off build let the source go once it was rendered:
			// read it again, for these few.
			src, err := fs.ReadFile(lib.fsys, p.src.path)
			if err != nil {
				return err
			}
			var e errs
			p.content = frontmatter.Split(p.src.path, src, &e).Body
		}
	}
	return renderBodies(ctx, md, again, opts.Cache, envKey, inferrer(md, cfg, opts))
}

// parseAll reads every review's front matter in parallel, reusing cached
// results for files whose bytes have not changed.
func parseAll(ctx context.Context, fsys fs.FS, cfg *Config, srcs []*source, opts Options) ([]*parsedReview, error) {
	out := make([]*parsedReview, len(srcs))
	err := parallel.ForContext(ctx, len(srcs), func(i int) {
		src := srcs[i]
		if opts.Cache != nil {
			// A file whose size and modification time are as they
			// were is not read again.
			if p := opts.Cache.unchanged(src); p != nil {
				p.src = src
				out[i] = p
				return
			}
			if content, err := fs.ReadFile(fsys, src.path); err == nil {
				if p := opts.Cache.lookup(src.path, sha256.Sum256(content)); p != nil {
					p.src, p.stamp = src, stampOf(src)
					out[i] = p
					return
				}
			}
		}
		out[i] = parseReview(fsys, cfg, src, parseMode{sums: opts.Cache != nil, syntax: opts.Syntax})
		out[i].stamp = stampOf(src)
		opts.Cache.store(out[i])
	})
	return out, err
}
