package site

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/site/frontmatter"

	"github.com/casebook/casebook/internal/parallel"
	"github.com/casebook/casebook/site/internal/markdown"
)

// Options control what a load includes.
type Options struct {
	// Drafts includes reviews with status: draft (the preview server).
	Drafts bool
	// IncludeRestricted includes reviews with visibility: restricted.
	IncludeRestricted bool
	// Now is the present for "overdue" and similar judgements. The CLI sets
	// it from SOURCE_DATE_EPOCH when given so builds are reproducible.
	Now time.Time
	// FirstCommit returns the time of a library path's first Git commit; it
	// supplies dates for reviews that give none. The caller runs Git, and
	// it is only called when some review needs it.
	FirstCommit func(path string) (time.Time, bool)
	// BaseURL, when set, overrides casebook.yaml's baseURL (a deploy
	// preview's address, or the preview server's).
	BaseURL string
	// Skip lists folders of the library not to read, such as an output
	// folder placed inside it.
	Skip []string
	// Cache, when set, keeps parsed reviews between loads so that the
	// preview server re-parses only what changed.
	Cache *Cache
	// NoText leaves Review.Text empty. Only a search index reads it, and a
	// large library's text is a fifth of the heap a build keeps.
	NoText bool
	// Syntax keeps what casebook check reads of every review: its front
	// matter tree and its body's outline (Library.Reviews).
	Syntax bool
}

// Special folders of a library.
const (
	reviewsDir = "reviews"
	pathsDir   = "paths"
	peopleDir  = "people"
	staticDir  = "static"
	tmplDir    = "templates"
	themeDir   = "theme"
)

var datePrefix = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})`)

// source is one review file found in the library, before parsing.
type source struct {
	path  string // Markdown file
	dir   string // bundle folder, "" for a single file
	name  string // file or bundle name without extension
	slug  string
	files []string // bundle resources, paths in the library
	entry fs.DirEntry
}

// Load reads a library: Parse, then Assemble. It returns the site and
// nil, or nil and an ErrorList with every problem found.
func Load(ctx context.Context, fsys fs.FS, opts Options) (*Site, error) {
	lib, err := Parse(ctx, fsys, opts)
	if err != nil {
		return nil, err
	}
	return Assemble(lib)
}

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
	static   map[string]string // library static/ files: output name → source
	parsed   []*parsedReview
	all      map[string]*parsedReview // by library path of the Markdown file
	publish  []*parsedReview          // what this build publishes, in file order
	paths    []sourceFile             // training paths
	profiles []sourceFile             // people/
}

// ReviewSyntax is one review file as casebook check reads it.
type ReviewSyntax struct {
	File   ReviewFile
	Fields *frontmatter.Node // nil when the front matter does not parse
	Draft  bool
	// Outline is the body's sections and prose (nil when the file could
	// not be read).
	Outline *markdown.Outline
}

// sourceFile is a path or profile file, read and split.
type sourceFile struct {
	path string
	fm   frontmatter.FrontMatter
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
			return nil, fmt.Errorf("base URL %q is not an http(s) URL", opts.BaseURL)
		}
		cfg.BaseURL = strings.TrimSuffix(opts.BaseURL, "/") + "/"
	}
	lib := &Library{Config: cfg, fsys: fsys, opts: opts, static: map[string]string{}}

	srcs, pathFiles, peopleFiles := discover(fsys, cfg, opts.Skip, lib.static, &e)
	if len(srcs) == 0 && len(e.List) == 0 {
		e.Add(".", 0, 0, "no reviews found (put Markdown files in reviews/, or at the library root)")
	}
	lib.Files = libraryFiles(srcs, pathFiles, peopleFiles)

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
		lib.all[p.src.path] = p
	}
	cache.keepOnly(lib.all)

	// Phase two: render the bodies of the reviews this build publishes.
	targets := make(map[string]markdown.Target, len(lib.parsed))
	keyHash := sha256.New()
	for _, p := range lib.parsed {
		t := markdown.Target{Slug: p.src.slug, Dir: p.src.dir}
		r := p.review
		if r != nil && bySlug[p.src.slug] == p.src &&
			(!r.Draft() || opts.Drafts) && (!r.Restricted() || opts.IncludeRestricted) {
			t.Published = true
			lib.publish = append(lib.publish, p)
			if cache != nil {
				fmt.Fprintf(keyHash, "%s\x00%s\x00", p.src.path, p.src.slug)
			}
		}
		targets[p.src.path] = t
	}
	mc := cfg.markdownConfig()
	mc.NoText = opts.NoText
	mc.Compress = cache == nil
	mc.Outline = opts.Syntax
	if cache != nil {
		mc.Highlighter = cache.hl
	}
	md := markdown.New(mc, targets)
	var envKey [32]byte
	copy(envKey[:], keyHash.Sum(nil))
	if err := renderBodies(ctx, md, lib.publish, cache, envKey); err != nil {
		return nil, err
	}
	for _, p := range lib.publish {
		e.List = append(e.List, p.body.Errors...)
	}
	if opts.Syntax {
		lib.Reviews = reviewSyntax(md, lib.parsed)
	}

	lib.paths = readSources(fsys, pathFiles, &e)
	lib.profiles = readSources(fsys, peopleFiles, &e)
	lib.errs = e.List
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

// Assemble links a parsed library into a site: people and their bios,
// reviews and the links between them, taxonomies, related reviews,
// follow-ups, training paths and insights. Its error is an ErrorList of
// every problem, Parse's included.
func Assemble(lib *Library) (*Site, error) {
	opts, cfg := lib.opts, lib.Config
	e := errs{List: slices.Clone(lib.errs)}
	s := &Site{Config: cfg, opts: opts, Now: opts.Now.In(cfg.Location), Source: lib.fsys,
		Static: maps.Clone(lib.static), bySlug: map[string]*Review{}, byPerson: map[string]*Person{}}

	s.people(lib.profiles, lib.publish, &e)
	included := map[string]*Review{}
	for _, p := range lib.publish {
		r := p.instantiate()
		included[p.src.path] = r
		s.Reviews = append(s.Reviews, r)
		s.bySlug[r.Slug] = r
		if p.src.dir != "" {
			for _, f := range p.src.files {
				s.Static["reviews/"+r.Slug+"/"+strings.TrimPrefix(f, p.src.dir+"/")] = f
			}
		}
	}
	slices.SortStableFunc(s.Reviews, func(a, b *Review) int {
		return cmp.Or(b.Date.Compare(a.Date), strings.Compare(a.Slug, b.Slug))
	})

	s.linkReviews(lib.parsed, lib.all, included, &e)
	s.assemble(lib.parsed, included, &e)
	s.loadPaths(lib.paths, lib.all, &e)
	s.Insights = computeInsights(s)

	if err := e.List.Err(); err != nil {
		return nil, err
	}
	return s, nil
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
		out[i] = parseReview(fsys, cfg, src, opts)
		out[i].stamp = stampOf(src)
		opts.Cache.store(out[i])
	})
	return out, err
}
