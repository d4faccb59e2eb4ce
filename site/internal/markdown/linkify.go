package markdown

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// gfm is goldmark's GitHub-flavoured Markdown with its autolink parser
// behind quickLinkify.
var gfm = goldmark.Extender(gfmExtension{})

type gfmExtension struct{}

func (gfmExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(
		// The priority extension.Linkify gives it.
		util.Prioritized(quickLinkify{extension.NewLinkifyParser()}, 999),
	))
	extension.Table.Extend(m)
	extension.Strikethrough.Extend(m)
	extension.TaskList.Extend(m)
}

// quickLinkify declines, before GFM's autolink parser sees it, a word that
// cannot start a link. That parser runs at every space of every paragraph
// and each time compares four prefixes and looks for an e-mail address,
// though almost no word is a link: it was a third of parsing a review.
// FuzzQuickLinkify holds the two equal.
type quickLinkify struct{ parser.InlineParser }

func (q quickLinkify) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if len(line) > 0 {
		switch line[0] {
		case ' ', '*', '_', '~', '(': // the triggers, which the parser steps over
			line = line[1:]
		}
	}
	if !mayLink(line) {
		return nil
	}
	return q.InlineParser.Parse(parent, block, pc)
}

// mayLink reports whether a word could begin an autolink: a URL starts
// "http:", "https:", "ftp:" or "www.", and an e-mail address has its '@'
// before the first space, since its local part has none, and within
// maxLocalPart bytes, as goldmark finds it. The bound keeps the test of
// each word from reading the rest of a long line, which made a line of
// "(a" repeated cost the square of its length.
func mayLink(line []byte) bool {
	if len(line) == 0 {
		return false
	}
	switch line[0] {
	case 'h', 'f', 'w':
		return true
	}
	for _, c := range line[:min(len(line), maxLocalPart+1)] {
		switch c {
		case '@':
			return true
		case ' ', '\t', '\n', '\v', '\f', '\r':
			return false
		}
	}
	return false
}

// maxLocalPart is the longest local part (before the '@') of an address
// goldmark's autolink parser links (util.FindEmailIndex): 64 bytes, as
// RFC 5321 allows.
const maxLocalPart = 64
