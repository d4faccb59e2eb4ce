package index

import (
	"fmt"
	"html"
	"io"
	"strings"
	"unicode"

	"github.com/casebook/casebook/site"
)

const (
	boldOn  = "\x1b[1m"
	boldOff = "\x1b[22m"
)

// WriteText writes a result list for a person at a terminal, as casebook
// search prints it: titles, dates, URLs and a snippet with the matches in
// bold (when bold), then how many matched and, to narrow the search, the
// most common terms of each taxonomy among the matches (except those
// skip names). Text from reviews is stripped of control characters, so
// that a review cannot send escape sequences to the reader's terminal.
func WriteText(w io.Writer, s *site.Site, res *Result, bold bool, skip func(taxKey string) bool) error {
	p := &errWriter{w: w}
	if res.Total == 0 {
		p.printf("No reviews match.\n")
		return p.err
	}
	first := (res.Page-1)*res.Size + 1
	for i, h := range res.Hits {
		p.printf("%2d. %s  %s\n", first+i, terminalText(h.Title), h.Date)
		p.printf("    %s\n", s.AbsURL(h.URL))
		snippet := ""
		if len(h.Fragments) > 0 {
			snippet = fragmentToTerminal(h.Fragments[0], bold)
		} else if h.Summary != "" {
			snippet = terminalText(h.Summary)
		}
		if snippet != "" {
			p.printf("    %s\n", snippet)
		}
		p.printf("\n")
	}
	last := first + len(res.Hits) - 1
	switch {
	case len(res.Hits) == 0:
		p.printf("%s match; page %d is past the end.\n", textPlural(res.Total, "review", "reviews"), res.Page)
	case res.Total > last:
		p.printf("%s match; showing %d-%d. Next page: --page %d\n", textPlural(res.Total, "review", "reviews"), first, last, res.Page+1)
	default:
		p.printf("%s match.\n", textPlural(res.Total, "review", "reviews"))
	}
	// The most common terms among the matches, to narrow the search.
	for _, t := range s.Taxonomies {
		fs := res.Facets[t.Key]
		if len(fs) == 0 || skip(t.Key) || (len(fs) == 1 && fs[0].Count == res.Total) {
			continue
		}
		var parts []string
		for _, f := range fs[:min(5, len(fs))] {
			parts = append(parts, fmt.Sprintf("%s (%d)", terminalText(f.Term), f.Count))
		}
		p.printf("  --%s %s\n", t.Key, strings.Join(parts, ", "))
	}
	return p.err
}

func textPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// fragmentToTerminal turns an HTML fragment (escaped text, matches in
// <mark>) into plain text with the matches in bold.
func fragmentToTerminal(frag string, bold bool) string {
	var b strings.Builder
	for {
		before, rest, found := strings.Cut(frag, "<mark>")
		b.WriteString(sanitizeTerminal(html.UnescapeString(before)))
		if !found {
			break
		}
		m, after, _ := strings.Cut(rest, "</mark>")
		if bold {
			b.WriteString(boldOn)
		}
		b.WriteString(sanitizeTerminal(html.UnescapeString(m)))
		if bold {
			b.WriteString(boldOff)
		}
		frag = after
	}
	// Fold runs of spaces; the bold sequences contain none.
	return strings.Join(strings.FieldsFunc(b.String(), func(r rune) bool { return r == ' ' }), " ")
}

// terminalText drops control characters, so a review cannot send escape
// sequences to the reader's terminal, and folds whitespace.
func terminalText(s string) string {
	return strings.Join(strings.Fields(sanitizeTerminal(s)), " ")
}

// sanitizeTerminal turns whitespace controls into spaces and drops every
// other control character.
func sanitizeTerminal(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
			if unicode.IsSpace(r) {
				return ' '
			}
			return -1
		}
		return r
	}, s)
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
