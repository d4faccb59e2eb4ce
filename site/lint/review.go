package lint

import (
	"io/fs"
	"sort"
	"strings"

	"github.com/casebook/casebook/site/frontmatter"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"github.com/casebook/casebook/site"
)

// review is one review file as the rules see it: front matter nodes with
// positions and the parsed Markdown body.
type review struct {
	path   string
	fields *frontmatter.Node // nil when the front matter does not parse
	draft  bool
	body   []byte
	doc    ast.Node // set by parseBody
	lines  *lineIndex
}

// markdown parses bodies the way the build does (GitHub-flavoured Markdown
// with footnotes).
var markdown = goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote))

func (c *checker) readReview(rf site.ReviewFile) *review {
	src, err := fs.ReadFile(c.fsys, rf.Path)
	if err != nil {
		return nil // the build reports it
	}
	fm, errs := frontmatter.Parse(rf.Path, src)
	r := &review{path: rf.Path, body: fm.Body}
	if len(errs) == 0 {
		r.fields = fm.Fields
		if st := r.fields.Get("status"); st != nil && st.Kind == frontmatter.ScalarNode {
			r.draft = strings.EqualFold(strings.TrimSpace(st.Str), "draft")
		}
	}
	r.lines = newLineIndex(fm.Body, fm.BodyLine)
	return r
}

// parseBody parses the Markdown body for the rules that read it. Callers
// drop the tree when done: a library's worth of trees is a lot of memory.
func (r *review) parseBody() {
	r.doc = markdown.Parser().Parse(text.NewReader(r.body))
}

// items returns the scalar values of a field written as a list or as a
// single value, each with its own position.
func items(n *frontmatter.Node) []*frontmatter.Node {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case frontmatter.ScalarNode:
		if strings.TrimSpace(n.Str) == "" {
			return nil
		}
		return []*frontmatter.Node{n}
	case frontmatter.ListNode:
		var out []*frontmatter.Node
		for _, it := range n.Items {
			if it.Kind == frontmatter.ScalarNode && strings.TrimSpace(it.Str) != "" {
				out = append(out, it)
			}
		}
		return out
	}
	return nil
}

// lineIndex maps byte offsets of a body to lines and columns of its file.
type lineIndex struct {
	starts []int
	first  int
}

func newLineIndex(src []byte, first int) *lineIndex {
	li := &lineIndex{starts: []int{0}, first: first}
	for i, c := range src {
		if c == '\n' {
			li.starts = append(li.starts, i+1)
		}
	}
	return li
}

func (li *lineIndex) pos(off int) (line, col int) {
	i := sort.Search(len(li.starts), func(i int) bool { return li.starts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return li.first + i, off - li.starts[i] + 1
}
