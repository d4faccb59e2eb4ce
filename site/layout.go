package site

import (
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/casebook/casebook/site/frontmatter"
)

// This file is how a library is laid out: which files are reviews, paths,
// profiles and static files (Layout, Discover), and the settings alone
// (ReadConfig), for the build and for casebook new alike.

// ReadConfig reads a library's casebook.yaml (defaults when there is none)
// without loading anything else.
func ReadConfig(fsys fs.FS) (*Config, ErrorList) {
	var e errs
	src, err := fs.ReadFile(fsys, ConfigFile)
	if err != nil {
		src = nil
	}
	return parseConfig(src, &e), e.List
}

// Node returns casebook.yaml as parsed, with positions, so that settings
// read by other packages (from Params) can be reported where they are
// written. It is an empty mapping when the library has no settings file.
// The tree is the one the settings were read from: callers must not
// change it.
func (c *Config) Node() *frontmatter.Node {
	if c.raw == nil {
		return frontmatter.Empty()
	}
	return c.raw
}

// ReviewFile is a file Load reads as a review.
type ReviewFile struct {
	Path   string // the Markdown file, relative to the library
	Dir    string // the bundle folder, "" for a single file
	Slug   string // "" when no URL can be made from the name
	Bundle bool
}

// LibraryFiles are a library's files by role, as Load classifies them.
type LibraryFiles struct {
	Reviews []ReviewFile
	Paths   []string // training paths
	People  []string // profiles
}

// Discover classifies a library's files the way Load does: which are
// reviews (honouring reviews/, the root layout and the reviews/exclude
// globs), training paths and profiles. skip lists folders not to read.
func Discover(fsys fs.FS, cfg *Config, skip []string) (LibraryFiles, ErrorList) {
	var e errs
	srcs, paths, people := discover(fsys, cfg, skip, map[string]string{}, &e)
	return libraryFiles(srcs, paths, people), e.List
}

func libraryFiles(srcs []*source, paths, people []string) LibraryFiles {
	var out LibraryFiles
	for _, s := range srcs {
		out.Reviews = append(out.Reviews, ReviewFile{Path: s.path, Dir: s.dir, Slug: s.slug, Bundle: s.dir != ""})
	}
	out.Paths, out.People = paths, people
	return out
}

// Layout says which files of a library are reviews: every Markdown file
// under reviews/ when there is one, else every Markdown file outside
// casebook's own folders and a repository's usual files, or the files
// casebook.yaml's reviews: and exclude: globs select. A folder holding an
// index.md review is a bundle: one review, and its other files are the
// review's resources. Discovery in Parse and casebook new (which must
// write a file the build will read) use the same Layout.
type Layout struct {
	cfg           *Config
	hasReviewsDir bool
	fsys          fs.FS
}

// NewLayout is the layout of the library in fsys with settings cfg.
func NewLayout(fsys fs.FS, cfg *Config) *Layout {
	st, err := fs.Stat(fsys, reviewsDir)
	return &Layout{cfg: cfg, hasReviewsDir: err == nil && st.IsDir(), fsys: fsys}
}

// IsReview reports whether a file at p (relative to the library, there or
// not yet written) is, or would be, read as a review: a Markdown file the
// rules select that is not a resource of a bundle.
func (l *Layout) IsReview(p string) bool {
	if !l.reviewFile(p) {
		return false
	}
	for _, seg := range strings.Split(path.Dir(p), "/") {
		if seg != "." && l.skipsFolder(seg) {
			return false
		}
	}
	if dir := path.Dir(p); path.Base(p) == "index.md" && dir != "." && dir != reviewsDir {
		return true // a bundle's own index.md
	}
	for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
		if idx := d + "/index.md"; d != reviewsDir && l.reviewFile(idx) {
			if _, err := fs.Stat(l.fsys, idx); err == nil {
				return false // a resource of the bundle d
			}
		}
	}
	return true
}

// skipsFolder reports whether a folder of this name is never read:
// dot-folders (.git, .github), node_modules, and in a library without
// reviews/, public (a build's usual output).
func (l *Layout) skipsFolder(name string) bool {
	return strings.HasPrefix(name, ".") || name == "node_modules" || name == "public" && !l.hasReviewsDir
}

func topFolder(p string) string { t, _, _ := strings.Cut(p, "/"); return t }

// reviewFile reports whether p is a review by name and place alone.
func (l *Layout) reviewFile(p string) bool {
	cfg := l.cfg
	if !strings.HasSuffix(strings.ToLower(p), ".md") && !strings.HasSuffix(strings.ToLower(p), ".markdown") {
		return false
	}
	if len(cfg.Reviews) > 0 {
		if !matchAny(cfg.Reviews, p) {
			return false
		}
	} else if l.hasReviewsDir {
		if topFolder(p) != reviewsDir {
			return false
		}
	} else {
		switch topFolder(p) {
		case pathsDir, peopleDir, staticDir, tmplDir, themeDir:
			return false
		}
		base := strings.ToLower(path.Base(p))
		for _, pre := range []string{"readme", "license", "contributing", "changelog"} {
			if strings.HasPrefix(base, pre) {
				return false
			}
		}
		if strings.Contains(base, "template") {
			return false
		}
	}
	return !matchAny(cfg.Exclude, p)
}

// discover classifies the library's files.
func discover(fsys fs.FS, cfg *Config, skip []string, static map[string]string, e *errs) (reviews []*source, paths, people []string) {
	layout := NewLayout(fsys, cfg)
	bundles := map[string]*source{}
	var files []string
	entries := map[string]fs.DirEntry{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			e.Add(p, 0, 0, "cannot read: %v", err)
			return nil
		}
		name := d.Name()
		if d.IsDir() && slices.Contains(skip, p) {
			return fs.SkipDir
		}
		if p != "." && (strings.HasPrefix(name, ".") || d.IsDir() && layout.skipsFolder(name)) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if t := d.Type(); t&^fs.ModeSymlink != 0 {
			// A named pipe, socket or device is not content, and reading
			// a pipe would wait for ever.
			return nil
		}
		files = append(files, p)
		entries[p] = d
		return nil
	})
	if err != nil {
		e.Add(".", 0, 0, "cannot read library: %v", err)
	}
	top, isReview := topFolder, layout.reviewFile
	// Bundles first: a folder holding index.md is one review with resources.
	for _, p := range files {
		if path.Base(p) == "index.md" && isReview(p) && path.Dir(p) != "." && path.Dir(p) != reviewsDir {
			dir := path.Dir(p)
			bundles[dir] = &source{path: p, dir: dir, name: path.Base(dir)}
		}
	}
	inBundle := func(p string) *source {
		for d := path.Dir(p); d != "." && d != "/"; d = path.Dir(d) {
			if b, ok := bundles[d]; ok {
				return b
			}
		}
		return nil
	}
	for _, p := range files {
		switch {
		case top(p) == staticDir:
			static[strings.TrimPrefix(p, staticDir+"/")] = p
		case top(p) == pathsDir && strings.HasSuffix(p, ".md"):
			paths = append(paths, p)
		case top(p) == peopleDir && strings.HasSuffix(p, ".md"):
			people = append(people, p)
		case bundles[path.Dir(p)] != nil && path.Base(p) == "index.md":
			reviews = append(reviews, bundles[path.Dir(p)])
		case inBundle(p) != nil:
			b := inBundle(p)
			b.files = append(b.files, p)
		case isReview(p):
			name := path.Base(p)
			name = name[:len(name)-len(path.Ext(name))]
			reviews = append(reviews, &source{path: p, name: name})
		}
	}
	for _, r := range reviews {
		r.slug = Slugify(r.name)
		r.entry = entries[r.path]
	}
	return reviews, paths, people
}

func matchAny(globs []string, p string) bool {
	for _, g := range globs {
		if ok, _ := path.Match(g, p); ok {
			return true
		}
		// "reviews/**" style: match any path under a prefix.
		if pre, ok := strings.CutSuffix(g, "/**"); ok && strings.HasPrefix(p, pre+"/") {
			return true
		}
		if ok, _ := path.Match(g, path.Base(p)); ok && !strings.Contains(g, "/") {
			return true
		}
	}
	return false
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

// source is one review file found in the library, before parsing.
type source struct {
	path  string // Markdown file
	dir   string // bundle folder, "" for a single file
	name  string // file or bundle name without extension
	slug  string
	files []string // bundle resources, paths in the library
	entry fs.DirEntry
}
