package site

import (
	"bytes"
	"errors"
)

// frontMatter splits a source file into its front matter and body. bodyLine
// is the 1-based line of the file on which the body starts, so positions
// inside the body can be reported against the file.
type frontMatter struct {
	Fields   *node
	Body     []byte
	BodyLine int
}

func splitFrontMatter(path string, src []byte, e *errs) frontMatter {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	empty := &node{Kind: mapNode, Fields: map[string]*node{}, KeyPos: map[string][2]int{}, Line: 1, Col: 1}
	var delim string
	switch {
	case hasLine(src, "---"):
		delim = "---"
	case hasLine(src, "+++"):
		delim = "+++"
	default:
		return frontMatter{Fields: empty, Body: src, BodyLine: 1}
	}
	rest := src[bytes.IndexByte(src, '\n')+1:]
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
			var fields *node
			var err error
			if delim == "---" {
				fields, err = parseYAML(meta)
			} else {
				fields, err = parseTOML(meta)
			}
			if err != nil {
				var pe *posError
				if errors.As(err, &pe) {
					e.Add(path, pe.Line+1, pe.Col, "%s", pe.Msg)
				} else {
					e.Add(path, 2, 1, "%s", err)
				}
				fields = empty
			} else if fields.Kind != mapNode {
				e.Add(path, 2, 1, "front matter must be a mapping of keys to values, not %s", fields.kindName())
				fields = empty
			} else {
				shiftLines(fields, 1)
			}
			return frontMatter{Fields: fields, Body: body, BodyLine: line + 1}
		}
		if end < 0 {
			break
		}
		off += end + 1
		line++
	}
	e.Add(path, 1, 1, "front matter opened with %q is never closed", delim)
	return frontMatter{Fields: empty, Body: nil, BodyLine: 1}
}

func hasLine(src []byte, delim string) bool {
	l, _, _ := bytes.Cut(src, []byte("\n"))
	return string(bytes.TrimRight(l, " \t\r")) == delim
}

func shiftLines(n *node, by int) {
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
