package site

import (
	"bytes"
	"errors"
	"io/fs"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

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
		if !errors.Is(err, fs.ErrNotExist) {
			e.Add(ConfigFile, 0, 0, "cannot read: %v", err)
		}
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
	// Skipped are the Markdown files that are not reviews, and the folders
	// not read, with why: what casebook check shows on a first run.
	Skipped []Skipped
	// all is every file discovery saw, for has.
	all map[string]bool
	// Owned says whether static/ and templates/ are casebook's: in a
	// library with casebook.yaml or a reviews/ folder they are; in any
	// other repository they belong to something else and are left alone.
	Owned bool
}

// Discover classifies a library's files the way Load does: which are
// reviews (honouring reviews/, the root layout and the reviews/exclude
// globs), training paths and profiles. skip lists folders not to read.
func Discover(fsys fs.FS, cfg *Config, skip []string) (LibraryFiles, ErrorList) {
	var e errs
	srcs, files := discover(fsys, cfg, skip, map[string]string{}, &e)
	return libraryFiles(srcs, files), e.List
}

func libraryFiles(srcs []*source, files LibraryFiles) LibraryFiles {
	for _, s := range srcs {
		files.Reviews = append(files.Reviews, ReviewFile{Path: s.path, Dir: s.dir, Slug: s.slug, Bundle: s.dir != ""})
	}
	return files
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
// dot-folders (.git, .github), node_modules, vendor, testdata (a
// program's test inputs), and in a library without reviews/, public (a
// build's usual output).
func (l *Layout) skipsFolder(name string) bool {
	return strings.HasPrefix(name, ".") || name == "node_modules" || name == "vendor" || name == "testdata" || name == "public" && !l.hasReviewsDir
}

// casebookFolder reports whether a top-level folder is one of casebook's
// own, whose files have roles of their own.
func casebookFolder(name string) bool {
	switch name {
	case pathsDir, peopleDir, staticDir, tmplDir, themeDir:
		return true
	}
	return false
}

func topFolder(p string) string { t, _, _ := strings.Cut(p, "/"); return t }

// reviewFile reports whether p is a review by name and place alone.
func (l *Layout) reviewFile(p string) bool {
	ok, _ := l.classify(p, false)
	return ok
}

// repoFiles are the files a repository keeps beside its content, never
// reviews, wherever they are: their names' starts, in lower case.
var repoFiles = []string{"readme", "license", "licence", "contributing", "changelog", "security", "code_of_conduct", "code-of-conduct", "support", "codeowners"}

// classify reports whether p is a review by name and place alone, and if
// not, why, for casebook check's account of what it skipped. markdown
// says an extensionless file reads as Markdown.
func (l *Layout) classify(p string, markdown bool) (bool, string) {
	cfg := l.cfg
	lower := strings.ToLower(p)
	if !strings.HasSuffix(lower, ".md") && !strings.HasSuffix(lower, ".markdown") && !(markdown && path.Ext(path.Base(p)) == "") {
		return false, "not Markdown"
	}
	base := strings.ToLower(path.Base(p))
	for _, pre := range repoFiles {
		if strings.HasPrefix(base, pre) {
			return false, "a repository file, not a review"
		}
	}
	if stem := strings.TrimSuffix(base, path.Ext(base)); strings.HasPrefix(strings.TrimLeft(stem, "_-"), "template") || strings.HasSuffix(stem, "template") ||
		// At a repository's root a template is often named for what it
		// is for: postmortem-template-howie.md.
		!l.hasReviewsDir && len(cfg.Reviews) == 0 && strings.Contains(base, "template") {
		return false, "a template"
	}
	if len(cfg.Reviews) > 0 {
		if !matchAny(cfg.Reviews, p) {
			return false, "outside casebook.yaml's reviews: globs"
		}
	} else if l.hasReviewsDir {
		if topFolder(p) != reviewsDir {
			return false, "outside reviews/"
		}
	} else {
		switch topFolder(p) {
		case pathsDir, peopleDir, staticDir, tmplDir, themeDir:
			return false, "in " + topFolder(p) + "/, casebook's folder for " + map[string]string{pathsDir: "training paths", peopleDir: "profiles",
				staticDir: "static files", tmplDir: "templates", themeDir: "the theme"}[topFolder(p)]
		}
	}
	if matchAny(cfg.Exclude, p) {
		return false, "excluded by casebook.yaml's exclude:"
	}
	return true, ""
}

// has reports whether the library has a file at p (slash-separated,
// relative to it), among those discovery reads.
func (f LibraryFiles) has(p string) bool { return f.all[p] }

// Skipped is a file or folder discovery passed over, and why.
type Skipped struct {
	Path string `json:"path"`
	Why  string `json:"why"`
}

// discover classifies the library's files.
func discover(fsys fs.FS, cfg *Config, skip []string, static map[string]string, e *errs) (reviews []*source, files LibraryFiles) {
	layout := NewLayout(fsys, cfg)
	_, cfgErr := fs.Stat(fsys, ConfigFile)
	files.Owned = layout.hasReviewsDir || cfgErr == nil
	bundles := map[string]*source{}
	var all []string
	entries := map[string]fs.DirEntry{}
	skipped := func(p, why string) { files.Skipped = append(files.Skipped, Skipped{Path: p, Why: why}) }
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
				if !strings.HasPrefix(name, ".") {
					skipped(p+"/", "a folder casebook never reads")
				}
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			// A link is read where it points, which the file system
			// (internal/library's guard, in the commands) allows only
			// inside the library: one that leaves it is an error here,
			// where the link is, before anything reads its target.
			st, err := fs.Stat(fsys, p)
			if err != nil {
				var pe *fs.PathError
				if errors.As(err, &pe) {
					err = pe.Err
				}
				e.Add(p, 0, 0, "%v", err)
				return nil
			}
			if st.IsDir() {
				// Walking into it would read its files twice, or for ever
				// if it points at a folder above it.
				skipped(p+"/", "a link to a folder: its files are read where they are")
				return nil
			}
			if !st.Mode().IsRegular() {
				return nil
			}
		} else if t := d.Type(); t != 0 {
			// A named pipe, socket or device is not content, and reading
			// a pipe would wait for ever.
			return nil
		}
		all = append(all, p)
		entries[p] = d
		return nil
	})
	if err != nil {
		e.Add(".", 0, 0, "cannot read library: %v", err)
	}
	files.all = make(map[string]bool, len(all))
	for _, p := range all {
		files.all[p] = true
	}
	top, isReview := topFolder, layout.reviewFile
	// Bundles first: a folder holding index.md is one review with resources.
	for _, p := range all {
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
	for _, p := range all {
		switch {
		case top(p) == staticDir && files.Owned:
			static[strings.TrimPrefix(p, staticDir+"/")] = p
		case top(p) == pathsDir && strings.HasSuffix(p, ".md"):
			files.Paths = append(files.Paths, p)
		case top(p) == peopleDir && strings.HasSuffix(p, ".md"):
			files.People = append(files.People, p)
		case bundles[path.Dir(p)] != nil && path.Base(p) == "index.md":
			reviews = append(reviews, bundles[path.Dir(p)])
		case inBundle(p) != nil:
			if lower := strings.ToLower(p); strings.HasSuffix(lower, ".md") || strings.HasSuffix(lower, ".markdown") {
				// A bundle's resources are copied as they are, and a
				// Markdown file is a source (a restricted appendix, notes
				// for the authors), never a page: it is not published.
				skipped(p, "Markdown in a bundle: not published, its source is not copied")
				e.Note(p, 0, 0, "not published: a Markdown file in the bundle %s/ is neither a review nor copied as a resource", inBundle(p).dir)
				continue
			}
			b := inBundle(p)
			b.files = append(b.files, p)
		default:
			ok, why := layout.classify(p, false)
			var content []byte
			if !ok && why == "not Markdown" && path.Ext(path.Base(p)) == "" {
				// A file without an extension that reads as Markdown (an
				// export from a wiki or a tracker) is a review too.
				if content = sniffMarkdown(fsys, p, entries[p]); content != nil {
					if ok, why = layout.classify(p, true); ok {
						e.Note(p, 0, 0, "read as a review: it has no .md extension but reads as Markdown")
					}
				}
			}
			if ok {
				name := path.Base(p)
				name = name[:len(name)-len(path.Ext(name))]
				reviews = append(reviews, &source{path: p, name: name, content: content})
			} else if why != "not Markdown" && !(files.Owned && casebookFolder(top(p))) {
				skipped(p, why)
			}
		}
	}
	for _, r := range reviews {
		r.slug = Slugify(r.name)
		r.entry = entries[r.path]
	}
	return reviews, files
}

// maxSniff bounds the extensionless files read to see whether they are
// Markdown: a review is rarely larger, and a large file without an
// extension is rarely a review.
const maxSniff = 1 << 20

// sniffMarkdown returns the content of a file without an extension when it
// reads as Markdown (valid UTF-8 text that opens with front matter or has a
// heading), else nil.
func sniffMarkdown(fsys fs.FS, p string, d fs.DirEntry) []byte {
	if d != nil {
		if info, err := d.Info(); err != nil || info.Size() > maxSniff || info.Size() == 0 {
			return nil
		}
	}
	b, err := fs.ReadFile(fsys, p)
	if err != nil || len(b) > maxSniff || !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return nil
	}
	if bytes.HasPrefix(b, []byte("---\n")) || bytes.HasPrefix(b, []byte("---\r\n")) || bytes.HasPrefix(b, []byte("# ")) ||
		bytes.Contains(b, []byte("\n# ")) || bytes.Contains(b, []byte("\n## ")) || bytes.HasPrefix(b, []byte("## ")) {
		return b
	}
	return nil
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
	// content is the file, when discovery had to read it to tell that it
	// is Markdown.
	content []byte
}
