package index

import (
	"html"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"
)

// Fragments are cut from the text itself around the matched words'
// locations, which bleve reports from the term vectors: nothing is stored
// in the index for highlighting.
const (
	fragmentSize = 200 // bytes of text in a fragment, roughly
	leadIn       = 50  // bytes of context before the first match
)

type span struct {
	start, end int
	term       string
}

// spansOf collects the matches in one field (in one element of an array
// field when element >= 0), in order, without overlaps.
func spansOf(tlm search.TermLocationMap, element int, textLen int) []span {
	var out []span
	for term, locs := range tlm {
		for _, l := range locs {
			if element >= 0 && (len(l.ArrayPositions) == 0 || int(l.ArrayPositions[0]) != element) {
				continue
			}
			if element < 0 && len(l.ArrayPositions) > 0 && l.ArrayPositions[0] != 0 {
				continue
			}
			if l.End <= l.Start || int(l.End) > textLen {
				continue
			}
			out = append(out, span{int(l.Start), int(l.End), term})
		}
	}
	slices.SortFunc(out, func(a, b span) int { return a.start - b.start })
	kept := out[:0]
	for _, s := range out {
		if len(kept) > 0 && s.start < kept[len(kept)-1].end {
			continue
		}
		kept = append(kept, s)
	}
	return kept
}

// fragments returns up to maxFragments highlighted passages of the body
// or, when the body has no match, the matching headings.
func fragments(d *document, locs search.FieldTermLocationMap) []string {
	out := []string{}
	if d == nil || locs == nil {
		return out
	}
	if spans := spansOf(locs[fBody], -1, len(d.Body)); len(spans) > 0 {
		return cutFragments(d.Body, spans)
	}
	for i, h := range d.Headings {
		if spans := spansOf(locs[fHeadings], i, len(h)); len(spans) > 0 {
			out = append(out, highlight(h, 0, len(h), spans))
			if len(out) == maxFragments {
				break
			}
		}
	}
	return out
}

// cutFragments picks the windows of text with the most distinct matched
// terms (then the most matches), best first, without overlaps.
func cutFragments(text string, spans []span) []string {
	type window struct{ first, last, distinct int }
	var windows []window
	for i := range spans {
		w := window{first: i, last: i}
		seen := map[string]bool{}
		for j := i; j < len(spans) && spans[j].end-spans[i].start <= fragmentSize-leadIn; j++ {
			w.last = j
			seen[spans[j].term] = true
		}
		w.distinct = len(seen)
		windows = append(windows, w)
	}
	slices.SortStableFunc(windows, func(a, b window) int {
		if a.distinct != b.distinct {
			return b.distinct - a.distinct
		}
		return (b.last - b.first) - (a.last - a.first)
	})
	var out []string
	var used [][2]int
	for _, w := range windows {
		start, end := bounds(text, spans[w.first].start, spans[w.last].end)
		overlaps := false
		for _, u := range used {
			if start < u[1] && u[0] < end {
				overlaps = true
				break
			}
		}
		if overlaps {
			continue
		}
		used = append(used, [2]int{start, end})
		out = append(out, highlight(text, start, end, spans))
		if len(out) == maxFragments {
			break
		}
	}
	return out
}

// bounds widens [from, to) to a passage of about fragmentSize bytes that
// starts and ends between words.
func bounds(text string, from, to int) (int, int) {
	start := max(0, from-leadIn)
	end := min(len(text), max(to, start+fragmentSize))
	// Start after a space, unless that loses too much.
	if start > 0 {
		if i := strings.IndexFunc(text[start:from], unicode.IsSpace); i >= 0 {
			start += i + 1
		}
		for start < from && !utf8.RuneStart(text[start]) {
			start++
		}
	}
	// End before a space.
	if end < len(text) {
		if i := strings.LastIndexFunc(text[to:end], unicode.IsSpace); i >= 0 {
			end = to + i
		}
		for end > to && end < len(text) && !utf8.RuneStart(text[end]) {
			end--
		}
	}
	return start, end
}

// highlight renders text[start:end] as escaped HTML with the spans inside
// it in <mark>, whitespace folded, and "…" where the text goes on.
func highlight(text string, start, end int, spans []span) string {
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	at := start
	for _, s := range spans {
		if s.start < start || s.end > end {
			continue
		}
		b.WriteString(html.EscapeString(text[at:s.start]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s.start:s.end]))
		b.WriteString("</mark>")
		at = s.end
	}
	b.WriteString(html.EscapeString(text[at:end]))
	if end < len(text) {
		b.WriteString("…")
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
