package site

import (
	"io/fs"

	"github.com/casebook/casebook/site/frontmatter"
)

// This file exposes, read-only, the pieces of Load that `casebook check`
// (package lint) and `casebook new` (package scaffold) need to see files as
// the build sees them, with source positions: the settings, which files are
// reviews, and front matter parsed into positioned nodes. Nothing here
// changes how a library is loaded.

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
// globs), training paths and profiles. skip is Options.Skip.
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
