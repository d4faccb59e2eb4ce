package markdown

import (
	"bytes"
	"fmt"
)

// goldmark's time grows with the square of some shapes no review has:
// 2,000 nested list levels took over a minute, "[a](" repeated 40,000
// times 28 s. Bodies are scanned for them first, and one found is an
// error where it starts rather than minutes of parsing.
const (
	maxNesting = 64   // block quotes and list items open at once
	maxLinks   = 2000 // "](" in one paragraph
)

// checkLimits returns the offset in src of the first line that breaks a
// limit, and why, or -1. Fenced code is skipped: its text is not parsed.
func checkLimits(src []byte) (int, string) {
	links := 0
	fence := []byte(nil)
	for off := 0; off < len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += off
		}
		line := src[off:end]
		depth, rest := nesting(line)
		trimmed := bytes.TrimLeft(rest, " \t")
		switch {
		case fence != nil:
			if bytes.HasPrefix(trimmed, fence) {
				fence = nil
			}
		case bytes.HasPrefix(trimmed, []byte("```")) || bytes.HasPrefix(trimmed, []byte("~~~")):
			fence = trimmed[:3]
		default:
			if depth > maxNesting {
				return off, fmt.Sprintf("lists and block quotes nested deeper than %d levels", maxNesting)
			}
			if len(bytes.TrimSpace(rest)) == 0 {
				links = 0 // a blank line ends the paragraph
			}
			links += bytes.Count(line, []byte("]("))
			if links > maxLinks {
				return off, fmt.Sprintf("more than %d links in one paragraph", maxLinks)
			}
		}
		off = end + 1
	}
	return -1, ""
}

// nesting estimates how many containers a line opens or continues: each
// '>' and list marker at its start, and every four columns of indentation
// (a nested list item is indented at least two more than its parent, so
// this undercounts deep lists by half, and leaves room for code indented
// in an indented code block).
func nesting(line []byte) (int, []byte) {
	markers, cols := 0, 0
	i := 0
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ':
			cols++
			i++
		case c == '\t':
			cols += 4
			i++
		case c == '>':
			markers++
			i++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t'):
			markers++
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j+1 < len(line) && (line[j] == '.' || line[j] == ')') && (line[j+1] == ' ' || line[j+1] == '\t') {
				markers++
				i = j + 1
				continue
			}
			return markers + cols/4, line[i:]
		default:
			return markers + cols/4, line[i:]
		}
	}
	return markers + cols/4, line[i:]
}
