package markdown

import (
	"regexp"
	"strings"
	"time"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
)

// This file reads the timelines of postmortems not written for casebook:
// tables with a time column (or Date and Time columns), and bullets or
// paragraphs that begin with a time, under any heading that contains
// "timeline". It never drops what it cannot read: a row whose time is
// unreadable stays in its place as an event without a time, with a note.

// isTimelineHeading: "Timeline", "Timeline (UTC)", "Incident timeline".
func isTimelineHeading(t string) bool {
	if len(t) < 8 {
		return false
	}
	if strings.EqualFold(t, "timeline") {
		return true
	}
	return strings.Contains(strings.ToLower(t), "timeline")
}

// kindWords infer an event's kind from its words, first match wins, in
// this order: "paged, then rolled back" is how detection is told.
var kindWords = []struct {
	kind  string
	words []string
}{
	{"detection", []string{"detected", "detect", "detects", "detection", "alert", "alerts", "alerted", "alerting", "alarm",
		"paged", "pages", "pager", "paging", "noticed", "notices", "reported", "reports"}},
	{"repair", []string{"rolled back", "rollback", "roll back", "rolling back", "restarted", "restart", "restarts", "reverted",
		"revert", "reverts", "fixed", "fix deployed", "deployed fix", "deployed a fix", "deployed the fix", "mitigated",
		"mitigation", "failed over", "patched", "hotfix"}},
	{"communication", []string{"declared", "declares", "status page", "statuspage", "email", "emailed", "e-mailed",
		"announced", "announces", "notified", "notifies", "communicated", "posted", "tweeted"}},
	{"repair", []string{"resolved", "resolves", "recovered", "recovers", "recovery", "restored", "back to normal"}},
	{"trigger", []string{"started", "began", "begins", "deploy caused", "caused", "causing", "introduced", "triggered"}},
	{"diagnosis", []string{"investigating", "investigates", "investigation", "found", "finds", "identified",
		"identifies", "root cause", "discovered", "determined", "suspected", "confirmed"}},
}

// inferKind is the kind an event's words suggest, one the library knows,
// else "note".
func (env *Renderer) inferKind(text string) string {
	lower := strings.ToLower(text)
	for _, kw := range kindWords {
		if len(env.kinds) > 0 && !env.kinds[kw.kind] {
			continue
		}
		for _, w := range kw.words {
			if containsWord(lower, w) {
				return kw.kind
			}
		}
	}
	return "note"
}

// containsWord reports whether w occurs in s between word boundaries.
func containsWord(s, w string) bool {
	for i := 0; ; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(w)
		if (j == 0 || !isWordByte(s[j-1])) && (end == len(s) || !isWordByte(s[end])) {
			return true
		}
		i = j + 1
	}
}

func isWordByte(c byte) bool { return isAlnum(c) || c == '_' || c >= 0x80 }

// timelineColumns finds a table's time, date and kind columns from its
// header; with none named, the first column holds the time.
func timelineColumns(header []string) (timeCol, dateCol, kindCol int, named bool) {
	timeCol, dateCol, kindCol = -1, -1, -1
	for i, h := range header {
		l := strings.ToLower(strings.TrimSpace(h))
		switch {
		case l == "date" || l == "day" || strings.HasPrefix(l, "date ") || strings.HasPrefix(l, "date("):
			if dateCol < 0 {
				dateCol = i
			}
		case strings.Contains(l, "time") || l == "when" || strings.HasPrefix(l, "when "):
			if timeCol < 0 {
				timeCol = i
			}
		case l == "kind" || l == "type":
			kindCol = i
		}
	}
	named = timeCol >= 0 || dateCol >= 0
	if !named {
		timeCol = 0
	}
	if timeCol < 0 {
		timeCol, dateCol = dateCol, -1
	}
	return timeCol, dateCol, kindCol, named
}

// tableTimeline reads a table under a timeline heading; nil when it is
// not a timeline (no time column named and no row begins with a time).
func (st *bodyState) tableTimeline(tbl *extast.Table) *Timeline {
	env, src := st.env, st.src
	var header []string
	type row struct {
		cells []string
		node  ast.Node
	}
	var rows []row
	for r := tbl.FirstChild(); r != nil; r = r.NextSibling() {
		var cells []string
		_, isHeader := r.(*extast.TableHeader)
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			if isHeader {
				cells = append(cells, plainText(c, src))
			} else {
				cells = append(cells, strings.TrimSpace(cellSource(c, src)))
			}
		}
		if isHeader {
			header = cells
			continue
		}
		if len(cells) < 2 {
			return nil
		}
		rows = append(rows, row{cells, r})
	}
	timeCol, dateCol, kindCol, named := timelineColumns(header)
	if !named {
		timed := false
		for _, r := range rows {
			if looksTimed(r.cells[timeCol]) {
				timed = true
				break
			}
		}
		if !timed {
			return nil // not a timeline table: leave it as written
		}
	}
	tp := &timeParser{loc: st.rc.loc, last: st.timeBase()}
	tl := &Timeline{}
	for _, r := range rows {
		line, col := st.rowPos(r.node, timeCol)
		when := ""
		if timeCol < len(r.cells) {
			when = r.cells[timeCol]
		}
		if dateCol >= 0 && dateCol < len(r.cells) && r.cells[dateCol] != "" {
			day := r.cells[dateCol]
			if when == "" {
				when = day
			} else if _, _, s := tp.lenient(day); s == whenOK {
				st.firstDate(day+" "+when, line, col)
			}
		}
		var texts []string
		for i, c := range r.cells {
			if i != timeCol && i != dateCol && i != kindCol {
				texts = append(texts, c)
			}
		}
		text := strings.Join(texts, " — ")
		if strings.Trim(text, " —") == "" && when == "" {
			continue
		}
		kind := ""
		if kindCol >= 0 && kindCol < len(r.cells) {
			if k := strings.ToLower(strings.TrimSpace(r.cells[kindCol])); env.kinds[k] || (len(env.kinds) == 0 && k != "") {
				kind = k
			}
		}
		if ev := st.timedEvent(tp, when, kind, text, line, col); ev != nil {
			tl.Events = append(tl.Events, ev)
		}
	}
	if len(tl.Events) == 0 {
		return nil
	}
	return finishTimeline(tl)
}

// timedEvent makes the event of a row or line whose time is written when:
// nil for a placeholder row, an event without a time (and a note) when the
// time cannot be read. kind "" is inferred from the text.
func (st *bodyState) timedEvent(tp *timeParser, when, kind, text string, line, col int) *Event {
	t, dateOnly, status := time.Time{}, false, whenUnreadable
	if when != "" {
		t, dateOnly, status = tp.lenient(when)
	}
	switch status {
	case whenPlaceholder:
		return nil
	case whenOK:
		if dateOnly && (text == "" || strings.HasPrefix(text, "(")) {
			return nil // a date over the rows that follow: "2015-10-21 (all times UTC)"
		}
	case whenNoDate:
		st.noteAt(line, col, "timeline: %q has no date (date the review, or write the first time as YYYY-MM-DD HH:MM); kept without a time", when)
	case whenUnreadable:
		if when == "" {
			st.noteAt(line, col, "timeline: no time given; kept without a time")
		} else {
			st.noteAt(line, col, "timeline: cannot read the time %q; kept without a time", when)
		}
	}
	if status == whenOK {
		if _, _, _, _, ok := readDate(strings.Trim(when, "~≈ *_`"), time.Time{}); ok {
			st.firstDate(when, line, col)
		}
	}
	inferred := false
	if kind == "" {
		// "note" when the words tell nothing, as before inference.
		kind = st.env.inferKind(text)
		inferred = kind != "note"
	}
	ev := st.env.event(t, kind, text, line, st.rc)
	ev.InferredKind, ev.DateOnly = inferred, dateOnly
	if status != whenOK {
		ev.Time, ev.OffHours, ev.When = time.Time{}, false, when
	} else if dateOnly {
		ev.OffHours = false
	}
	return ev
}

// timeBase anchors times written as HH:MM: the caller's base (front
// matter), else the date the body states before its timeline.
func (st *bodyState) timeBase() time.Time {
	if !st.rc.base.IsZero() {
		return st.rc.base
	}
	s := &st.b.Structure
	for _, f := range []*Fact{s.Started, s.Date, s.Detected} {
		if f != nil {
			if t, ok := ParseDate(f.Value, st.rc.loc); ok {
				return t
			}
		}
	}
	return time.Time{}
}

// firstDate keeps the first date a timeline writes, for Structure.Date.
func (st *bodyState) firstDate(when string, line, col int) {
	if st.tlDate == nil {
		st.tlDate = &Fact{Value: when, Line: line, Col: col, From: "the first dated timeline event"}
	}
}

// splitTimed splits a timeline line, "**10:00 UTC** - text", "16:58 UTC -
// text", "24-10-2024 04:00 - text", "June 14th, 2022, 10:00 AM: text",
// into its written time and its text; ok is false when the line does not
// begin with something that looks like a time.
func splitTimed(line string) (when, text string, ok bool) {
	line = strings.TrimSpace(line)
	for _, m := range []string{"**", "__"} {
		if rest, found := strings.CutPrefix(line, m); found {
			inner, after, closed := strings.Cut(rest, m)
			if !closed || !looksTimed(inner) {
				return "", "", false
			}
			return strings.TrimSpace(strings.TrimRight(inner, " :-–—")), strings.TrimLeft(after, " :-–—|"), true
		}
	}
	if !looksTimed(line) {
		return "", "", false
	}
	if n := timePrefix(line); n > 0 {
		return strings.TrimSpace(line[:n]), strings.TrimLeft(line[n:], " :-–—|,"), true
	}
	best := -1
	for _, sep := range []string{" - ", " – ", " — ", " | ", ": "} {
		if i := strings.Index(line, sep); i > 0 && i <= 40 && (best < 0 || i < best) {
			best = i
		}
	}
	if best > 0 {
		when = strings.TrimSpace(line[:best])
		text = strings.TrimLeft(line[best:], " :-–—|")
		// The end of a range: "09:00 - 11:00 - text" starts at 09:00.
		if _, _, _, _, after, isClock := readClock(text, time.UTC); isClock && len(after) < len(text) {
			if a := strings.TrimLeft(after, " "); strings.HasPrefix(a, "- ") || strings.HasPrefix(a, "– ") || strings.HasPrefix(a, "— ") || strings.HasPrefix(a, ": ") {
				text = strings.TrimLeft(a, " :-–—")
			}
		}
		return when, text, true
	}
	if g := clockRe.FindString(line); g != "" && len(g) < len(line) && line[len(g)] == ' ' {
		rest := strings.TrimSpace(line[len(g):])
		if z := zoneRe.FindString(rest); z != "" {
			if _, known := zoneOffsets[strings.ToLower(z)]; known {
				g, rest = g+" "+z, strings.TrimSpace(rest[len(z):])
			}
		}
		return g, rest, true
	}
	// A date and then the words: "2015-10-21 (all times UTC)".
	if _, _, _, rest, ok := readDate(line, time.Time{}); ok && len(rest) < len(line) {
		return strings.TrimSpace(line[:len(line)-len(rest)]), strings.TrimSpace(rest), true
	}
	// A time that cannot be read ("14:??"): its first word.
	when, text, _ = strings.Cut(line, " ")
	return when, strings.TrimSpace(text), true
}

// rangeRe is the end of a time range after its start: "- 11:00", "-12:??".
var rangeRe = regexp.MustCompile(`^\s*(?:[-–—]|to\b)\s*(?:\d{1,2}[:.][\d?]{2}|\?\?[:.]\?\?)(?:\s*(?:UTC|GMT|Z)\b)?`)

// timePrefix is the length of the time a line begins with: a date, a
// time of day and its zone, the end of a range, a "~"; 0 when it begins
// with neither a date nor a time of day.
func timePrefix(line string) int {
	s := strings.TrimLeft(line, "~≈ ")
	_, _, _, rest, hasDate := readDate(s, time.Now())
	if hasDate {
		s = strings.TrimLeft(rest, " ,T")
		s = strings.TrimPrefix(s, "at ")
	}
	_, _, _, _, after, hasClock := readClock(s, time.UTC)
	if hasClock {
		s = after
		if m := rangeRe.FindString(s); m != "" {
			s = s[len(m):]
		}
		s = strings.TrimLeft(s, "~≈")
	} else if !hasDate {
		return 0
	} else {
		s = rest
	}
	return len(line) - len(s)
}

// blockLines is the Markdown source of a block's lines, without their
// line ends.
func blockLines(n ast.Node, src []byte) []string {
	lines := n.Lines()
	out := make([]string, 0, lines.Len())
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		out = append(out, strings.TrimRight(string(seg.Value(src)), "\r\n"))
	}
	return out
}

// proseTimeline reads the bullets and time-led paragraphs under a timeline
// heading that has no table and no timeline block. It returns the
// timeline and the blocks it replaces (the first becomes the timeline).
func (st *bodyState) proseTimeline(h *ast.Heading) (*Timeline, []ast.Node) {
	src := st.src
	var blocks []ast.Node
scan:
	for c := h.NextSibling(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Heading:
			break scan
		case *ast.FencedCodeBlock:
			if string(c.Language(src)) == "timeline" {
				return nil, nil
			}
		case *extast.Table:
			return nil, nil
		case *ast.Paragraph, *ast.List:
			blocks = append(blocks, c)
			continue
		}
		if len(blocks) > 0 {
			break // the run of events ends at anything else
		}
	}
	// Find the first and last block that hold a timed line, so that an
	// introduction ("All times UTC") and a closing paragraph stay prose.
	first, last := -1, -1
	for i, b := range blocks {
		if blockTimed(b, src) {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return nil, nil
	}
	tp := &timeParser{loc: st.rc.loc, last: st.timeBase()}
	tl := &Timeline{}
	add := func(when, text string, timed bool, off int) {
		line, col := st.li.pos(off)
		if !timed {
			when = ""
		}
		if ev := st.timedEvent(tp, when, "", strings.TrimSpace(text), line, col); ev != nil {
			tl.Events = append(tl.Events, ev)
		}
	}
	for _, b := range blocks[first : last+1] {
		switch b := b.(type) {
		case *ast.List:
			for item := b.FirstChild(); item != nil; item = item.NextSibling() {
				fb := item.FirstChild()
				if fb == nil || fb.Lines().Len() == 0 {
					continue
				}
				when, text, timed := splitTimed(strings.Join(blockLines(fb, src), " "))
				if !timed {
					text = strings.Join(blockLines(fb, src), " ")
				}
				add(when, text, timed, fb.Lines().At(0).Start)
			}
		case *ast.Paragraph:
			// Each line that begins with a time is an event; the lines
			// after it continue its text.
			lines := blockLines(b, src)
			var when, text string
			var timed, open bool
			off := 0
			for i, l := range lines {
				w, t, ok := splitTimed(l)
				if ok || i == 0 {
					if open {
						add(when, text, timed, off)
					}
					when, text, timed, open, off = w, t, ok, true, b.Lines().At(i).Start
					if !ok {
						text = l
					}
					continue
				}
				text += " " + strings.TrimSpace(l)
			}
			if open {
				add(when, text, timed, off)
			}
		}
	}
	if len(tl.Events) == 0 {
		return nil, nil
	}
	return finishTimeline(tl), blocks[first : last+1]
}

// blockTimed reports whether a paragraph or list has a line or item that
// begins with a time (for a list, at least half its items).
func blockTimed(b ast.Node, src []byte) bool {
	switch b := b.(type) {
	case *ast.Paragraph:
		for _, l := range blockLines(b, src) {
			if _, _, ok := splitTimed(l); ok {
				return true
			}
		}
	case *ast.List:
		n, timed := 0, 0
		for item := b.FirstChild(); item != nil; item = item.NextSibling() {
			n++
			if fb := item.FirstChild(); fb != nil && fb.Lines().Len() > 0 {
				if seg := fb.Lines().At(0); looksTimedLine(seg.Value(src)) {
					timed++
				}
			}
		}
		return timed > 0 && 2*timed >= n
	}
	return false
}

func looksTimedLine(l []byte) bool {
	_, _, ok := splitTimed(string(l))
	return ok
}

// rowPos is the position of a table row's cell col, or of its first cell
// with text.
func (st *bodyState) rowPos(row ast.Node, col int) (line, column int) {
	first := -1
	i := 0
	for c := row.FirstChild(); c != nil; c, i = c.NextSibling(), i+1 {
		off := -1
		_ = ast.Walk(c, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if t, ok := n.(*ast.Text); ok && entering {
				off = t.Segment.Start
				return ast.WalkStop, nil
			}
			return ast.WalkContinue, nil
		})
		if off < 0 {
			continue
		}
		if i == col {
			return st.li.pos(off)
		}
		if first < 0 {
			first = off
		}
	}
	if first < 0 {
		return 0, 0
	}
	return st.li.pos(first)
}
