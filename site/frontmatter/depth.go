package frontmatter

import "fmt"

// The YAML parser's time grows faster than its input with nesting (32,000
// nested flow mappings took 46 s and 2.2 GB), and no front matter or
// settings file nests more than a few levels, so nesting is bounded
// before the parser sees the text.
const (
	maxFlowDepth = 64  // [ and { open at once
	maxIndent    = 256 // a line's indentation, counting "- " and "? " as indentation
)

// checkDepth reports the first place src nests deeper than the bounds,
// as the parser would report a syntax error there. It is a scan, not a
// parse: quoted text and comments are skipped, and anything it
// misjudges is within the bounds of real files by far.
func checkDepth(src []byte) error {
	line, col := 1, 1
	depth := 0
	lineStart := true
	indent := 0
	var quote byte
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\n':
			// A quoted scalar may span lines: quote stays as it is.
			line, col, lineStart, indent = line+1, 1, true, 0
			continue
		case quote != 0:
			switch {
			case quote == '\'' && c == '\'':
				quote = 0
			case quote == '"' && c == '\\':
				i++
				col++
			case quote == '"' && c == '"':
				quote = 0
			}
		case lineStart && (c == ' ' || c == '\t'):
			indent++
		case lineStart && (c == '-' || c == '?') && i+1 < len(src) && (src[i+1] == ' ' || src[i+1] == '\n'):
			indent++ // and the space after it
		case c == '#' && (i == 0 || src[i-1] == ' ' || src[i-1] == '\t' || src[i-1] == '\n'):
			for i+1 < len(src) && src[i+1] != '\n' {
				i++
			}
		case c == '"' || c == '\'':
			quote = c
			lineStart = false
		case c == '[' || c == '{':
			depth++
			lineStart = false
			if depth > maxFlowDepth {
				return &PosError{line, col, fmt.Sprintf("YAML: nested deeper than %d levels", maxFlowDepth)}
			}
		case c == ']' || c == '}':
			depth = max(0, depth-1)
			lineStart = false
		default:
			lineStart = false
		}
		if indent > maxIndent {
			return &PosError{line, col, fmt.Sprintf("YAML: indented deeper than %d columns", maxIndent)}
		}
		col++
	}
	return nil
}
