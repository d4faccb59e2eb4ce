package frontmatter

import (
	"bytes"
	"errors"

	"github.com/casebook/casebook/site/diag"
)

// FrontMatter is a source file split into its front matter and body.
type FrontMatter struct {
	Fields   *Node  // always a mapping, empty when there is none or it is broken
	Body     []byte // the Markdown after the front matter
	BodyLine int    // the 1-based file line on which Body starts, for positions in it
}

// Parse splits src and returns its problems as a list, for callers that
// read one file on its own (casebook new) rather than a library.
func Parse(path string, src []byte) (FrontMatter, diag.ErrorList) {
	var e diag.Collector
	fm := Split(path, src, &e)
	return fm, e.List
}

// Split cuts src into front matter and body, reporting a front matter
// that does not parse (or is not a mapping) into e with its position.
func Split(path string, src []byte, e *diag.Collector) FrontMatter {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if bytes.IndexByte(src, '\n') < 0 && bytes.IndexByte(src, '\r') >= 0 {
		// Line ends of lone CRs (classic Mac OS editors): Markdown reads
		// them as line ends, so the front matter is read so too, rather
		// than the whole file being one line of body.
		src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	}
	empty := Empty()
	var delim string
	switch {
	case hasLine(src, "---"):
		delim = "---"
	case hasLine(src, "+++"):
		delim = "+++"
	default:
		return FrontMatter{Fields: empty, Body: src, BodyLine: 1}
	}
	// A file of the opening line alone has nothing after it: without the
	// check, that line would also be read as the closing one.
	rest := []byte{}
	if nl := bytes.IndexByte(src, '\n'); nl >= 0 {
		rest = src[nl+1:]
	}
	// Find the closing delimiter on a line of its own.
	off, line := 0, 2
	for off <= len(rest) {
		end := bytes.IndexByte(rest[off:], '\n')
		var l []byte
		if end < 0 {
			l = rest[off:]
		} else {
			l = rest[off : off+end]
		}
		if string(bytes.TrimRight(l, " \t\r")) == delim || (delim == "---" && string(bytes.TrimRight(l, " \t\r")) == "...") {
			meta := rest[:off]
			body := []byte{}
			if end >= 0 {
				body = rest[off+end+1:]
			}
			var fields *Node
			var err error
			if delim == "---" {
				fields, err = ParseYAML(meta)
			} else {
				fields, err = ParseTOML(meta)
			}
			if err != nil {
				var pe *PosError
				if errors.As(err, &pe) {
					e.Add(path, pe.Line+1, pe.Col, "%s", pe.Msg)
				} else {
					e.Add(path, 2, 1, "%s", err)
				}
				fields = empty
			} else if fields.Kind != MapNode {
				e.Add(path, 2, 1, "front matter must be a mapping of keys to values, not %s", fields.KindName())
				fields = empty
			} else {
				shiftLines(fields, 1)
			}
			return FrontMatter{Fields: fields, Body: body, BodyLine: line + 1}
		}
		if end < 0 {
			break
		}
		off += end + 1
		line++
	}
	e.Add(path, 1, 1, "front matter opened with %q is never closed", delim)
	return FrontMatter{Fields: empty, Body: nil, BodyLine: 1}
}

func hasLine(src []byte, delim string) bool {
	l, _, _ := bytes.Cut(src, []byte("\n"))
	return string(bytes.TrimRight(l, " \t\r")) == delim
}

func shiftLines(n *Node, by int) {
	if n == nil {
		return
	}
	if n.Line > 0 {
		n.Line += by
	}
	for k, p := range n.KeyPos {
		n.KeyPos[k] = [2]int{p[0] + by, p[1]}
	}
	for _, c := range n.Fields {
		shiftLines(c, by)
	}
	for _, c := range n.Items {
		shiftLines(c, by)
	}
}
