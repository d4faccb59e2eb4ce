package slack

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/casebook/casebook/site"
)

// Lines writes events as the lines of a timeline block, `TIME | KIND |
// TEXT` with the columns aligned. The first line and the first of each new
// day carry the date; the others only HH:MM, as a reader writes them. A
// wall clock going back within a day (the end of summer time) is written
// with its UTC offset, since HH:MM alone would read as the next day.
func Lines(events []Event) []string {
	times := make([]string, len(events))
	kinds := make([]string, len(events))
	tw, kw := 0, 0
	var prev time.Time
	for i, ev := range events {
		t := ev.Time.Truncate(time.Minute)
		switch {
		case i == 0 || t.Format("2006-01-02") != prev.Format("2006-01-02"):
			times[i] = t.Format("2006-01-02 15:04")
		case t.Format("15:04") < prev.Format("15:04"):
			times[i] = t.Format("2006-01-02 15:04 -0700")
		default:
			times[i] = t.Format("15:04")
		}
		prev = t
		k := ev.Kind
		if ev.Qualifier != "" {
			k += "/" + ev.Qualifier
		}
		if ev.Source != "" {
			k += " [#" + ev.Source + "]"
		}
		kinds[i] = k
		tw, kw = max(tw, len(times[i])), max(kw, len(k))
	}
	lines := make([]string, len(events))
	for i, ev := range events {
		lines[i] = fmt.Sprintf("%-*s | %-*s | %s", tw, times[i], kw, kinds[i], ev.Text)
	}
	return lines
}

// Block is the events as a fenced timeline block, ending in a newline.
func Block(events []Event) string {
	var b strings.Builder
	b.WriteString("```timeline\n")
	for _, l := range Lines(events) {
		b.WriteString(l + "\n")
	}
	b.WriteString("```\n")
	return b.String()
}

// Splice puts events into a review's source: the lines of its timeline
// block are replaced (its fences are kept as written, and its line endings
// followed), or a block is appended under a "## Timeline" heading when the
// review has none. Every other byte stays as it was. A review with two
// timeline blocks, or one never closed, is an error at the block.
func Splice(path string, src []byte, events []Event) ([]byte, error) {
	blocks, unclosed := timelineBlocks(src)
	switch {
	case unclosed >= 0:
		line, _ := lineCol(src, unclosed)
		return nil, &site.Error{Path: path, Line: line, Col: 1, Msg: "the timeline block is never closed; close it with ``` before importing into it"}
	case len(blocks) > 1:
		line, _ := lineCol(src, blocks[1][0])
		return nil, &site.Error{Path: path, Line: line, Col: 1, Msg: "a second timeline block; casebook timeline replaces a review's only one, so merge or remove one first"}
	}
	if len(blocks) == 1 {
		start, end := blocks[0][1], blocks[0][2]
		nl := "\n"
		if bytes.HasSuffix(src[:start], []byte("\r\n")) {
			nl = "\r\n"
		}
		var b bytes.Buffer
		b.Write(src[:start])
		for _, l := range Lines(events) {
			b.WriteString(l + nl)
		}
		b.Write(src[end:])
		return b.Bytes(), nil
	}
	var b bytes.Buffer
	b.Write(src)
	if len(src) > 0 && !bytes.HasSuffix(src, []byte("\n")) {
		b.WriteString("\n")
	}
	if len(src) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("## Timeline\n\n" + Block(events))
	return b.Bytes(), nil
}

// timelineBlocks finds each ```timeline block: the offset of its opening
// fence and the byte range of its content lines, skipping front matter and other code
// blocks, which may show a timeline as an example. unclosed is the offset
// of a timeline block's opening fence that is never closed, or -1.
func timelineBlocks(src []byte) (blocks [][3]int, unclosed int) {
	off := 0
	lines := bytes.SplitAfter(src, []byte("\n"))
	i := 0
	if len(lines) > 0 {
		if fm := string(bytes.TrimRight(lines[0], "\r\n")); fm == "---" || fm == "+++" {
			off += len(lines[0])
			for i = 1; i < len(lines); i++ {
				off += len(lines[i])
				if string(bytes.TrimRight(lines[i], " \t\r\n")) == fm {
					i++
					break
				}
			}
		}
	}
	var fence string // the open fence's marker, "" outside a code block
	isTimeline := false
	contentStart, openAt := 0, 0
	for ; i < len(lines); i++ {
		l := lines[i]
		s := strings.TrimRight(string(l), "\r\n")
		trimmed := strings.TrimLeft(s, " ")
		indent := len(s) - len(trimmed)
		if fence == "" {
			if indent <= 3 && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")) {
				c := trimmed[0]
				n := len(trimmed) - len(strings.TrimLeft(trimmed, string(c)))
				info := strings.TrimSpace(trimmed[n:])
				if !(c == '`' && strings.Contains(info, "`")) {
					fence = trimmed[:n]
					word, _, _ := strings.Cut(info, " ")
					isTimeline = word == "timeline"
					openAt, contentStart = off, off+len(l)
				}
			}
		} else if indent <= 3 && strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]+" \t") == "" {
			if isTimeline {
				blocks = append(blocks, [3]int{openAt, contentStart, off})
			}
			fence = ""
		}
		off += len(l)
	}
	if fence != "" && isTimeline {
		return blocks, openAt
	}
	return blocks, -1
}

func lineCol(src []byte, off int) (int, int) { return position(src, int64(off)) }
