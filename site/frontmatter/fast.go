package frontmatter

import (
	"strings"
	"unicode/utf8"
)

// Most front matter is a flat mapping of quoted or plain strings, one-line
// lists and a list of follow-up mappings. Parsing that with a full YAML
// parser was a tenth of a large build, so parseYAML first tries
// fastYAML, which reads that subset and nothing else: given anything it is
// not sure of (numbers, booleans, comments, escapes, block scalars, deeper
// nesting, duplicate keys) it declines, and the full parser decides. Where
// it accepts, its tree is the full parser's, positions included; a fuzz
// test holds the two equal.

// fastYAML parses src if it is in the subset; ok is false otherwise.
func fastYAML(src string) (n *Node, ok bool) {
	if strings.ContainsAny(src, "\r\t#\\\u0085\u2028\u2029\ufeff\x7f") || !utf8.ValidString(src) {
		return nil, false
	}
	for _, c := range []byte(src) {
		if c < ' ' && c != '\n' {
			return nil, false
		}
	}
	p := &fastParser{lines: strings.Split(strings.TrimSuffix(src, "\n"), "\n")}
	return p.mapping()
}

type fastParser struct {
	lines []string
	i     int // the next line
}

// mapping reads a document's top-level mapping.
func (p *fastParser) mapping() (*Node, bool) {
	m := &Node{Kind: MapNode, Fields: map[string]*Node{}, KeyPos: map[string][2]int{}}
	if !p.keys(m, 0) || len(m.Keys) == 0 {
		return nil, false
	}
	first := m.KeyPos[m.Keys[0]]
	m.Line, m.Col = first[0], first[1]
	return m, true
}

// keys reads "key: value" lines whose keys are at column indent into m,
// until a line indented less. Only top-level keys may have blank lines
// between them.
func (p *fastParser) keys(m *Node, indent int) bool {
	for p.i < len(p.lines) {
		line := p.lines[p.i]
		in := indentOf(line)
		if in >= len(line) {
			if indent > 0 {
				return false
			}
			p.i++
			continue
		}
		if in < indent {
			break
		}
		if in > indent || line[in] == '-' {
			return false
		}
		if !p.pair(m, line, in, p.i+1) {
			return false
		}
	}
	return true
}

// pair reads "key: value" starting at column in of line number ln, and a
// block list that follows "key:".
func (p *fastParser) pair(m *Node, line string, in, ln int) bool {
	colon := strings.IndexByte(line[in:], ':')
	if colon <= 0 {
		return false
	}
	key := line[in : in+colon]
	if !plainKey(key) {
		return false
	}
	if _, dup := m.Fields[key]; dup {
		return false
	}
	rest := line[in+colon+1:]
	p.i++
	var val *Node
	if rest == "" {
		// Only a block list may follow, at the key's indent or deeper.
		if p.i >= len(p.lines) {
			return false
		}
		next := p.lines[p.i]
		lin := indentOf(next)
		if lin >= len(next) || lin < in || next[lin] != '-' {
			return false
		}
		var ok bool
		if val, ok = p.list(lin); !ok {
			return false
		}
	} else {
		if rest[0] != ' ' {
			return false
		}
		vcol := in + colon + 1 + indentOf(rest)
		var ok bool
		if val, ok = inlineValue(line[vcol:], ln, vcol+1); !ok {
			return false
		}
	}
	m.Keys = append(m.Keys, key)
	m.Fields[key] = val
	m.KeyPos[key] = [2]int{ln, in + 1}
	return true
}

// list reads a block list whose dashes are at column indent.
func (p *fastParser) list(indent int) (*Node, bool) {
	l := &Node{Kind: ListNode, Line: p.i + 1, Col: indent + 1}
	for p.i < len(p.lines) {
		line := p.lines[p.i]
		in := indentOf(line)
		if in >= len(line) {
			return nil, false // a blank line inside a list: let the parser judge
		}
		if in < indent || in == indent && line[in] != '-' {
			break
		}
		if in > indent || !strings.HasPrefix(line[in:], "- ") {
			return nil, false
		}
		ln := p.i + 1
		icol := in + 2 + indentOf(line[in+2:])
		item := line[icol:]
		if item == "" {
			return nil, false
		}
		if plainKeyColon(item) {
			// A mapping item: its first key is on the dash's line, the
			// rest below at the same column.
			m := &Node{Kind: MapNode, Fields: map[string]*Node{}, KeyPos: map[string][2]int{}}
			if !p.pair(m, line, icol, ln) || !p.keys(m, icol) {
				return nil, false
			}
			m.Line, m.Col = ln, icol+1
			l.Items = append(l.Items, m)
			continue
		}
		v, ok := inlineValue(item, ln, icol+1)
		if !ok || v.Kind == ListNode {
			return nil, false
		}
		l.Items = append(l.Items, v)
		p.i++
	}
	return l, true
}

// inlineValue reads a value that fills the rest of a line: a quoted
// string, a one-line list of plain words, or a plain string.
func inlineValue(s string, line, col int) (*Node, bool) {
	if s == "" {
		return nil, false
	}
	switch s[0] {
	case '"', '\'':
		q := s[0]
		if len(s) < 2 || s[len(s)-1] != q || strings.IndexByte(s[1:len(s)-1], q) >= 0 {
			return nil, false
		}
		v := s[1 : len(s)-1]
		return &Node{Kind: ScalarNode, Line: line, Col: col, Str: v, Value: v}, true
	case '[':
		if s[len(s)-1] != ']' {
			return nil, false
		}
		l := &Node{Kind: ListNode, Line: line, Col: col}
		inner := s[1 : len(s)-1]
		if strings.TrimSpace(inner) == "" {
			if inner != "" {
				return nil, false
			}
			return l, true
		}
		off := 1
		for _, it := range strings.Split(inner, ",") {
			lead := indentOf(it)
			w := strings.TrimRight(it[lead:], " ")
			if !plainWord(w) || strings.ContainsAny(w, ":,[]{}'\"") {
				return nil, false
			}
			l.Items = append(l.Items, &Node{Kind: ScalarNode, Line: line, Col: col + off + lead, Str: w, Value: w})
			// The parser counts columns in characters, not bytes.
			off += utf8.RuneCountInString(it) + 1
		}
		return l, true
	}
	if !plainWord(s) {
		return nil, false
	}
	return &Node{Kind: ScalarNode, Line: line, Col: col, Str: s, Value: s}, true
}

// plainWord reports whether s is a plain scalar that YAML reads as the
// string it is: text starting with a letter, or a date or date and time
// (which the parser keeps as strings), and not a word YAML gives another
// meaning.
func plainWord(s string) bool {
	if s == "" || s != strings.TrimSpace(s) || strings.Contains(s, ": ") || strings.Contains(s, "  ") ||
		strings.HasSuffix(s, ":") {
		return false
	}
	c := s[0]
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		switch strings.ToLower(s) {
		case "true", "false", "null":
			return false
		}
		return true
	case isDate(s):
		return true
	case len(s) > 11 && isDate(s[:10]) && s[10] == '-':
		// A dated slug, "2024-01-02-db-failover", as related: names reviews.
		letter := false
		for _, c := range []byte(s[11:]) {
			switch {
			case 'a' <= c && c <= 'z':
				letter = true
			case '0' <= c && c <= '9', c == '-':
			default:
				return false
			}
		}
		return letter
	case len(s) > 10 && isDate(s[:10]):
		// "2024-01-02 10:04", "2024-01-02T10:04:05Z", with an offset.
		t := s[10:]
		if t[0] != ' ' && t[0] != 'T' {
			return false
		}
		for _, c := range []byte(t[1:]) {
			if !('0' <= c && c <= '9' || c == ':' || c == '+' || c == '-' || c == 'Z' || c == '.') {
				return false
			}
		}
		return true
	}
	return false
}

func isDate(s string) bool {
	if len(s) != len("2006-01-02") || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range []byte(s) {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// plainKey reports whether s is a key the subset takes: letters, digits,
// underscores and hyphens, starting with a letter.
func plainKey(s string) bool {
	if s == "" || !('a' <= s[0] && s[0] <= 'z' || 'A' <= s[0] && s[0] <= 'Z') {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// plainKeyColon reports whether a list item starts a mapping ("key: ...").
func plainKeyColon(s string) bool {
	i := strings.IndexByte(s, ':')
	return i > 0 && plainKey(s[:i]) && (i == len(s)-1 || s[i+1] == ' ')
}

func indentOf(s string) int {
	return len(s) - len(strings.TrimLeft(s, " "))
}
