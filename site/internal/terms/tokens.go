package terms

import (
	"unicode"
	"unicode/utf8"
)

// token is one word of a text: a run of letters, digits and '_' (".net",
// "c++" and "c#" included, see tokenise).
type token struct {
	start, end   int32 // in the text
	lstart, lend int32 // its lower-case form, in the scratch buffer
	// join is what separates it from the previous token when that is one
	// character or plain spaces: ' ' (spaces, or one hyphen), '.', '/',
	// '\'' (either apostrophe); 0 for anything else.
	join byte
	// brk: a sentence, line or cell begins with it.
	brk bool
	// dotted: part of a word.word chain (a host name, file name), where a
	// single word is not a name of its own.
	dotted bool
	// key: in the value of a "Systems:" or "Services:" line.
	key bool
}

// keyLabels are the labels of lines (and headings) that list a review's
// systems: a term in one of them is substantial however often it occurs.
var keyLabels = map[string]bool{
	"systems": true, "system": true, "affected systems": true, "systems affected": true, "impacted systems": true,
	"services": true, "service": true, "affected services": true, "services affected": true, "impacted services": true,
	"technologies": true, "technology": true, "tech stack": true, "stack": true, "tools": true,
	"components": true, "component": true, "affected components": true,
	"platform": true, "platforms": true, "infrastructure": true, "dependencies": true,
	"products": true, "product": true, "affected products": true,
	"category": true, "categories": true, "tags": true,
}

var wordBytes = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
	}
	return t
}()

func isWordByte(c byte) bool { return wordBytes[c] }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// tokenise appends the words of text to toks and their lower-case forms
// to low, in one pass.
func tokenise(text string, toks []token, low []byte) ([]token, []byte) {
	i, n := 0, len(text)
	lineStart := true
	inKey := false
	gapStart := 0
	for i < n {
		c := text[i]
		if lineStart {
			lineStart = false
			inKey = keyLine(text[i:])
		}
		if c == '\n' {
			lineStart = true
			inKey = false
			i++
			continue
		}
		start := i
		switch {
		case isWordByte(c):
			i++
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(text[i:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				i += size
				continue
			}
			i += size
		case c == '.' && i+1 < n && isLetter(text[i+1]) && (i == 0 || isSpace(text[i-1]) || text[i-1] == '('):
			i++ // ".NET"
		default:
			i++
			continue
		}
		for i < n {
			c := text[i]
			if isWordByte(c) {
				i++
				continue
			}
			if c >= utf8.RuneSelf {
				r, size := utf8.DecodeRuneInString(text[i:])
				if unicode.IsLetter(r) || unicode.IsDigit(r) {
					i += size
					continue
				}
			}
			break
		}
		if i-start == 1 && isLetter(text[start]) {
			// C++, C#, F#
			for k := 0; k < 2 && i < n && (text[i] == '+' || text[i] == '#'); k++ {
				i++
			}
		}
		t := token{start: int32(start), end: int32(i), key: inKey}
		t.join, t.brk = gap(text[gapStart:start], len(toks) == 0)
		if t.join == '.' && len(toks) > 0 {
			t.dotted = true
			toks[len(toks)-1].dotted = true
		}
		t.lstart = int32(len(low))
		low = appendLower(low, text[start:i])
		t.lend = int32(len(low))
		toks = append(toks, t)
		gapStart = i
	}
	return toks, low
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// gap classifies what lies between two words.
func gap(g string, first bool) (join byte, brk bool) {
	if first {
		return 0, true
	}
	switch g {
	case ".", "/":
		return g[0], false
	case "-", " ":
		return ' ', false
	case "'", "’":
		return '\'', false
	}
	spaces := true
	for i := 0; i < len(g); i++ {
		switch g[i] {
		case ' ', '\t':
		case '\n', '\r', '.', '!', '?', ':', ';', '|':
			brk, spaces = true, false
		default:
			spaces = false
		}
	}
	if spaces {
		return ' ', false
	}
	return 0, brk
}

func appendLower(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			for _, r := range s[i:] {
				dst = utf8.AppendRune(dst, unicode.ToLower(r))
			}
			return dst
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// keyLine reports whether a line is a "Systems: …" line (a list item, a
// table row or plain), looking no further than its label.
func keyLine(line string) bool {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '|' || line[i] == '-' || line[i] == '*' || line[i] == '>') {
		i++
	}
	j := i
	for j < len(line) && j-i < 32 && (isLetter(line[j]) || line[j] == ' ') {
		j++
	}
	if j == i || j >= len(line) || line[j] != ':' && line[j] != '|' && line[j] != '\t' {
		return false
	}
	return isKeyLabel(line[i:j])
}

func isKeyLabel(s string) bool {
	var b [40]byte
	low := appendLower(b[:0], s)
	// Collapse runs of spaces and trim.
	out := low[:0]
	for _, c := range low {
		if c == ' ' || c == '\t' {
			if len(out) > 0 && out[len(out)-1] != ' ' {
				out = append(out, ' ')
			}
			continue
		}
		out = append(out, c)
	}
	if len(out) > 0 && out[len(out)-1] == ' ' {
		out = out[:len(out)-1]
	}
	return keyLabels[string(out)]
}
