package markdown

import (
	"bytes"
	"html"

	"github.com/yuin/goldmark/ast"
)

// goldmark keeps a text's entity references (&amp;, &#169;) and
// backslash escapes (\*) in its segments, as the author wrote them, and
// resolves them only when it writes HTML. Plain text (a title from a
// heading, a summary, a table cell) is what the reader sees, so they are
// resolved here; otherwise "R&amp;D" in a summary became R&amp;amp;D in
// the feed and the page's description. In a code span they are
// literal, as CommonMark says.
func plainSegment(c *ast.Text, v []byte) []byte {
	if _, code := c.Parent().(*ast.CodeSpan); code || !bytes.ContainsAny(v, "&\\") {
		return v
	}
	out := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		switch {
		case v[i] == '\\' && i+1 < len(v) && isASCIIPunct(v[i+1]):
			out = append(out, v[i+1])
			i++
		case v[i] == '&':
			if n := entityLen(v[i:]); n > 0 {
				out = append(out, html.UnescapeString(string(v[i:i+n]))...)
				i += n - 1
				continue
			}
			out = append(out, '&')
		default:
			out = append(out, v[i])
		}
	}
	return out
}

// entityLen is the length of the entity reference at the start of b
// (&name; &#123; &#x1F;), or 0. A name html does not know is left as it
// is by UnescapeString, as CommonMark leaves it.
func entityLen(b []byte) int {
	const maxEntity = 32 // the longest HTML entity name is 31 bytes
	for i := 1; i < len(b) && i <= maxEntity; i++ {
		c := b[i]
		switch {
		case c == ';':
			if i == 1 {
				return 0
			}
			return i + 1
		case c == '#' && i == 1,
			'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		default:
			return 0
		}
	}
	return 0
}

func isASCIIPunct(c byte) bool {
	return '!' <= c && c <= '/' || ':' <= c && c <= '@' || '[' <= c && c <= '`' || '{' <= c && c <= '~'
}
