package lint

import (
	"strings"

	"github.com/casebook/casebook/site/frontmatter"
	"github.com/casebook/casebook/site/internal/markdown"
)

// review is one review file as the rules see it: front matter nodes with
// positions and its body's outline, both from the build's own parse.
type review struct {
	path   string
	fields *frontmatter.Node // nil when the front matter does not parse
	draft  bool
	// nominated: status: nominated, which needs only a title, a date
	// and why:.
	nominated bool
	outline   *markdown.Outline
	ignored   []string // top-level keys casebook does not read (site.ReviewSyntax.Ignored)
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
