package site

import (
	"io/fs"
	"time"
)

// This file exposes, read-only, the pieces of Load that `casebook check`
// (package lint) and `casebook new` (package scaffold) need to see files as
// the build sees them, with source positions: the settings, which files are
// reviews, and front matter parsed into positioned nodes. Nothing here
// changes how a library is loaded.

// NodeKind is the shape of a front-matter value.
type NodeKind int

// Kinds of Node.
const (
	NullNode NodeKind = iota
	ScalarNode
	MapNode
	ListNode
)

// Node is a front-matter (or casebook.yaml) value with the position it was
// written at. Line and Col are 1-based and count from the top of the file.
type Node struct {
	Line, Col int
	Kind      NodeKind
	Str       string // scalars, as written (without quotes)
	Value     any    // scalars, decoded (string, int, float, bool, time, nil)
	Keys      []string
	Fields    map[string]*Node
	KeyPos    map[string][2]int // line and column of each key of a mapping
	Items     []*Node
}

// Get returns the named field of a mapping, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != MapNode {
		return nil
	}
	return n.Fields[key]
}

func exportNode(n *node) *Node {
	if n == nil {
		return nil
	}
	out := &Node{Line: n.Line, Col: n.Col, Kind: NodeKind(n.Kind), Str: n.Str, Value: n.Value, Keys: n.Keys, KeyPos: n.KeyPos}
	if n.Fields != nil {
		out.Fields = make(map[string]*Node, len(n.Fields))
		for k, v := range n.Fields {
			out.Fields[k] = exportNode(v)
		}
	}
	for _, it := range n.Items {
		out.Items = append(out.Items, exportNode(it))
	}
	return out
}

// FrontMatter is a source file split the way Load splits it.
type FrontMatter struct {
	Fields   *Node  // always a mapping, empty when there is none
	Body     []byte // the Markdown after the front matter
	BodyLine int    // the file line on which Body starts
}

// ParseFrontMatter splits a review, path or profile file into front matter
// (YAML between --- lines or TOML between +++ lines) and body, exactly as
// Load does. Problems are reported against path; when the front matter
// does not parse, Fields is empty and the list says why.
func ParseFrontMatter(path string, src []byte) (*FrontMatter, ErrorList) {
	var e errs
	fm := splitFrontMatter(path, src, &e)
	return &FrontMatter{Fields: exportNode(fm.Fields), Body: fm.Body, BodyLine: fm.BodyLine}, e.List
}

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
func (c *Config) Node() *Node {
	if c.raw == nil {
		return &Node{Kind: MapNode, Fields: map[string]*Node{}, KeyPos: map[string][2]int{}, Line: 1, Col: 1}
	}
	return exportNode(c.raw)
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
	var out LibraryFiles
	for _, s := range srcs {
		out.Reviews = append(out.Reviews, ReviewFile{Path: s.path, Dir: s.dir, Slug: s.slug, Bundle: s.dir != ""})
	}
	out.Paths, out.People = paths, people
	return out, e.List
}

// ParseTime reads a date or datetime the way front matter dates are read;
// times without a zone are in loc.
func ParseTime(s string, loc *time.Location) (time.Time, bool) { return parseTime(s, loc) }
