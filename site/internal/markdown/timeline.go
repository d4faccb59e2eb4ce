package markdown

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"io"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/site/diag"
	"github.com/casebook/casebook/site/internal/slug"
	"github.com/yuin/goldmark/ast"
)

// Timeline is the sequence of events of an incident, as its body tells it.
type Timeline struct {
	Events   []*Event
	Start    time.Time
	End      time.Time
	Duration time.Duration
	Kinds    []string // kinds present, in first-seen order
}

// Event is one line of a timeline.
type Event struct {
	Time     time.Time
	Kind     string
	HTML     template.HTML
	Text     string        // the line's Markdown, for search
	Gap      time.Duration // since the previous event
	OffHours bool
	Line     int
	Mentions []string // ids of the people the line names
	// Qualifier refines Kind ("disproved" in hypothesis/disproved) and
	// Source names where the event was seen ("search-incident" in
	// [#search-incident]); both are empty when the line gives none.
	Qualifier, Source string
	// InferredKind: the body gave no kind (a table or bullet timeline) and
	// Kind was inferred from the words.
	InferredKind bool
	// When is the time as written for an event whose time could not be
	// read ("14:??"): Time is zero and the event keeps its place.
	When string
	// DateOnly: the row gave a day and no time of day.
	DateOnly bool
}

// reviewContext carries per-review facts that rendering needs: the date to
// anchor times written as HH:MM, and the people the body mentions.
type reviewContext struct {
	base      time.Time // the incident's start, or its date
	loc       *time.Location
	workHours func(time.Time) bool
	mentions  []string
	seen      map[string]bool
}

func (rc *reviewContext) mention(id string) {
	if rc.seen == nil {
		rc.seen = map[string]bool{}
	}
	if !rc.seen[id] {
		rc.seen[id] = true
		rc.mentions = append(rc.mentions, id)
	}
}

var (
	fullTimeRe  = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2}(?::\d{2})?)\s*(Z|UTC|[+-]\d{2}:?\d{2})?$`)
	shortTimeRe = regexp.MustCompile(`^(\d{1,2}:\d{2}(?::\d{2})?)\s*(Z|UTC)?$`)
)

// forEachMention calls fn for each @mention in s, where s[at] is the '@'
// and s[at+1:end] the person's id. A mention starts the text or follows a
// character other than a letter, digit, '_', '@', '/' or '.' (so e-mail
// addresses and paths are not mentions); the id is letters, digits and
// "_.-", starting and ending with a letter or digit. It finds what the
// regexp (^|[^\w@/.])@([A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9]|[A-Za-z0-9])
// finds, which the tests check, at a fraction of the cost: a large library
// has tens of thousands of timeline lines.
func forEachMention[S ~string | ~[]byte](s S, fn func(at, end int)) {
	for i := 0; i < len(s); i++ {
		if s[i] != '@' || i+1 == len(s) || !isAlnum(s[i+1]) {
			continue
		}
		if i > 0 {
			if c := s[i-1]; isAlnum(c) || c == '_' || c == '@' || c == '/' || c == '.' {
				continue
			}
		}
		end := i + 2
		for j := end; j < len(s) && (isAlnum(s[j]) || s[j] == '_' || s[j] == '.' || s[j] == '-'); j++ {
			if isAlnum(s[j]) {
				end = j + 1
			}
		}
		fn(i, end)
		i = end - 1
	}
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// timeParser reads the TIME column, carrying the date from line to line.
type timeParser struct {
	loc  *time.Location
	last time.Time
}

func (tp *timeParser) parse(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if m := fullTimeRe.FindStringSubmatch(s); m != nil {
		hm := m[2]
		if strings.Count(hm, ":") == 1 {
			hm += ":00"
		}
		loc := tp.loc
		if m[3] == "Z" || m[3] == "UTC" {
			loc = time.UTC
		}
		layout := "2006-01-02 15:04:05"
		val := m[1] + " " + hm
		if m[3] != "" && m[3] != "Z" && m[3] != "UTC" {
			layout += " -0700"
			val += " " + strings.ReplaceAll(m[3], ":", "")
		}
		t, err := time.ParseInLocation(layout, val, loc)
		if err != nil {
			return time.Time{}, false
		}
		if len(m[2]) < 5 { // "9:05" is fine, but pad for clarity
			_ = 0
		}
		tp.last = t
		return t, true
	}
	if m := shortTimeRe.FindStringSubmatch(s); m != nil && !tp.last.IsZero() {
		hm := m[1]
		if strings.Count(hm, ":") == 1 {
			hm += ":00"
		}
		c, err := time.Parse("15:04:05", hm)
		if err != nil {
			return time.Time{}, false
		}
		y, mo, d := tp.last.Date()
		t := time.Date(y, mo, d, c.Hour(), c.Minute(), c.Second(), 0, tp.last.Location())
		// Times written as HH:MM that go backwards have crossed midnight.
		if t.Before(tp.last) {
			t = t.AddDate(0, 0, 1)
		}
		tp.last = t
		return t, true
	}
	return time.Time{}, false
}

func (env *Renderer) parseTimeline(srcPath string, n *ast.FencedCodeBlock, src []byte, li *lineIndex, rc *reviewContext) (*Timeline, diag.ErrorList, diag.ErrorList) {
	var e diag.Collector
	tp := &timeParser{loc: rc.loc, last: rc.base}
	tl := &Timeline{}
	for i := 0; i < n.Lines().Len(); i++ {
		seg := n.Lines().At(i)
		line, col := li.pos(seg.Start)
		raw := strings.TrimRight(string(seg.Value(src)), "\r\n")
		trimmed := strings.TrimSpace(raw)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, "//") {
			continue
		}
		col += len(raw) - len(strings.TrimLeft(raw, " \t"))
		parts := strings.SplitN(trimmed, "|", 3)
		if len(parts) != 3 {
			e.Add(srcPath, line, col, "timeline: want TIME | KIND | TEXT, got %q", trimmed)
			continue
		}
		t, ok := tp.parse(parts[0])
		if !ok {
			if tp.last.IsZero() && shortTimeRe.MatchString(strings.TrimSpace(parts[0])) {
				e.Add(srcPath, line, col, "timeline: %q has no date; write the first event as YYYY-MM-DD HH:MM", strings.TrimSpace(parts[0]))
			} else {
				e.Add(srcPath, line, col, "timeline: cannot read time %q (want YYYY-MM-DD HH:MM or HH:MM)", strings.TrimSpace(parts[0]))
			}
			continue
		}
		kcol := col + len(parts[0]) + 1 + (len(parts[1]) - len(strings.TrimLeft(parts[1], " ")))
		kind, qual, source, msg := env.parseKind(parts[1])
		if msg != "" {
			e.Add(srcPath, line, kcol, "timeline: %s", msg)
			continue
		}
		if qual != "" && !env.knownQualifier(kind, qual) {
			// An investigator's own tag is worth keeping: the filters and
			// insights show it as written, and the note says how to
			// declare it.
			e.Note(srcPath, line, kcol, "timeline: qualifier %q is not built in; kept as written (add %s/%s to timeline_kinds to declare it)", qual, kind, qual)
		}
		ev := env.event(t, kind, strings.TrimSpace(parts[2]), line, rc)
		ev.Qualifier, ev.Source = qual, source
		tl.Events = append(tl.Events, ev)
	}
	return finishTimeline(tl), e.List, e.Notes
}

// builtinQualifiers are the KIND/QUALIFIER pairs every library knows;
// casebook.yaml's timeline_kinds may list more. A built-in pair names its
// kind even when the kind alone is not one (responder/joins).
var builtinQualifiers = map[string]bool{
	"trigger/actual": true, "trigger/contributing": true,
	"detection/weak-signal": true, "detection/early-warning": true, "detection/alert": true,
	"hypothesis/proved": true, "hypothesis/disproved": true,
	"communication/benefit": true, "communication/issue": true,
	"responder/joins": true, "impact/customer": true, "impact/employee": true,
}

// sourceRe is the optional source after a kind: "[#search-incident]".
var sourceRe = regexp.MustCompile(`^(.*?)\s*\[#([^\]\s]+)\]$`)

// BuiltinQualifiers are the built-in KIND/QUALIFIER pairs, sorted.
func BuiltinQualifiers() []string { return slices.Sorted(maps.Keys(builtinQualifiers)) }

// qualifiedKind reports whether kind exists only qualified (responder).
func qualifiedKind(kind string) bool {
	for k := range builtinQualifiers {
		if strings.HasPrefix(k, kind+"/") {
			return true
		}
	}
	return false
}

// knownQualifier reports whether KIND/QUALIFIER is built in or declared.
func (env *Renderer) knownQualifier(kind, qual string) bool {
	return builtinQualifiers[kind+"/"+qual] || env.kinds[slug.Make(kind+"/"+qual)]
}

// parseKind reads the KIND column, `KIND[/QUALIFIER] [[#source]]`, and
// returns a message saying what is wrong when it cannot. A qualifier
// nobody declared is not wrong (see knownQualifier): only a kind is.
func (env *Renderer) parseKind(col string) (kind, qual, source, msg string) {
	col = strings.TrimSpace(col)
	written := col
	if m := sourceRe.FindStringSubmatch(col); m != nil {
		col, source = m[1], m[2]
	} else if strings.Contains(col, "[") {
		return "", "", "", fmt.Sprintf("cannot read the source in %q (want KIND [#source])", written)
	}
	k, q, qualified := strings.Cut(col, "/")
	kind = slug.Make(k)
	if !qualified {
		if !env.kinds[kind] {
			return "", "", "", fmt.Sprintf("unknown kind %q (want one of %s)", written, env.kindList)
		}
		return kind, "", source, ""
	}
	qual = slug.Make(q)
	if kind == "" || qual == "" || !(env.kinds[kind] || qualifiedKind(kind) || env.knownQualifier(kind, qual)) {
		return "", "", "", fmt.Sprintf("unknown kind %q (want KIND or one of the qualified kinds %s, or add it to timeline_kinds)", written, strings.Join(BuiltinQualifiers(), ", "))
	}
	return kind, qual, source, ""
}

// cellSource is a table cell's Markdown source, so its inline formatting
// survives into the timeline.
func cellSource(c ast.Node, src []byte) string {
	start, end := -1, -1
	_ = ast.Walk(c, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := n.(*ast.Text); ok && entering {
			if start < 0 {
				start = t.Segment.Start
			}
			end = t.Segment.Stop
		}
		return ast.WalkContinue, nil
	})
	if start < 0 {
		return plainText(c, src)
	}
	// Widen to include markup around the text, such as ** or `.
	for start > 0 && src[start-1] != '|' && src[start-1] != '\n' {
		start--
	}
	for end < len(src) && src[end] != '|' && src[end] != '\n' {
		end++
	}
	return string(src[start:end])
}

func (env *Renderer) event(t time.Time, kind, text string, line int, rc *reviewContext) *Event {
	ev := &Event{Time: t, Kind: kind, Line: line, Text: text, OffHours: !rc.workHours(t.In(rc.loc))}
	forEachMention(text, func(at, end int) {
		id := slug.Make(text[at+1 : end])
		ev.Mentions = append(ev.Mentions, id)
		rc.mention(id)
	})
	// Most lines are plain words, mentions and `code`, which fastInline
	// renders as goldmark would; parsing each line as a Markdown document
	// was a large part of loading a big library.
	if h, ok := env.fastInline(text); ok {
		ev.HTML = h
		return ev
	}
	ev.HTML = env.inline(env.replaceMentions(text, func(name, url string) string {
		return "[@" + name + "](" + url + ")"
	}))
	return ev
}

// replaceMentions rewrites each @mention of a person who has a page as
// link(name, url) makes it; other mentions stay as written.
func (env *Renderer) replaceMentions(s string, link func(name, url string) string) string {
	var b strings.Builder
	last := 0
	forEachMention(s, func(at, end int) {
		name := s[at+1 : end]
		id := slug.Make(name)
		if !env.linksPerson(id) {
			return
		}
		b.WriteString(s[last:at])
		b.WriteString(link(name, env.cfg.BasePath+"people/"+id+"/"))
		last = end
	})
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// fastInline renders a line of inline Markdown made only of plain text,
// @mentions and `code` spans, exactly as goldmark renders it (up to how
// quotes are escaped), and reports false for anything else.
func (env *Renderer) fastInline(text string) (template.HTML, bool) {
	var b strings.Builder
	b.Grow(len(text) + len(text)/4)
	for len(text) > 0 {
		plain, rest, hasCode := strings.Cut(text, "`")
		if !plainInline(plain) {
			return "", false
		}
		// Escaping leaves mentions as they were (it only touches quotes
		// here), so they are found in the escaped text.
		b.WriteString(env.replaceMentions(template.HTMLEscapeString(plain), func(name, url string) string {
			// url holds the base path, which settings give: escaped like
			// the text, so no quote in it ends the attribute.
			return `<a href="` + template.HTMLEscapeString(url) + `">@` + name + "</a>"
		}))
		if !hasCode {
			break
		}
		// A code span between single backticks whose content needs none of
		// CommonMark's rules: no backticks, no space to strip at either
		// end, and no @ (which the slow path rewrites even there).
		code, after, closed := strings.Cut(rest, "`")
		if !closed || code == "" || code[0] == ' ' || code[len(code)-1] == ' ' ||
			strings.ContainsAny(code, "@\n") || strings.HasPrefix(after, "`") {
			return "", false
		}
		b.WriteString("<code>" + template.HTMLEscapeString(code) + "</code>")
		// A mention right after the span is found at the start of the
		// next plain part, where the whole line has '`' before its '@':
		// either way it counts.
		text = after
		if text == "" {
			break
		}
	}
	return template.HTML(b.String()), true
}

// defaultWorkHours are Monday to Friday, 09:00 to 18:00, for a Config
// that gives none.
func defaultWorkHours(lt time.Time) bool {
	return lt.Weekday() != time.Saturday && lt.Weekday() != time.Sunday && lt.Hour() >= 9 && lt.Hour() < 18
}

// plainInline reports whether text holds no inline Markdown (emphasis,
// links, code, HTML, entities, autolinks), so that escaping renders it
// exactly as goldmark would, at a fraction of the cost.
func plainInline(text string) bool {
	return !strings.ContainsAny(text, "*_[]`<>&!\\~|") && !strings.Contains(text, "://") &&
		!strings.Contains(text, "www.") && (strings.IndexByte(text, '@') < 0 || !emailRe.MatchString(text))
}

// emailRe finds what GFM would autolink as an e-mail address.
var emailRe = regexp.MustCompile(`[\w.+-]@[\w-]`)

// inline renders one line of inline Markdown without a paragraph.
func (env *Renderer) inline(md string) template.HTML {
	var buf bytes.Buffer
	if err := env.md.Convert([]byte(inlineOnly(md)), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(md))
	}
	h := strings.TrimSpace(buf.String())
	h = strings.TrimSuffix(strings.TrimPrefix(h, "<p>"), "</p>")
	return template.HTML(h)
}

// inlineOnly escapes what would make a line of Markdown a block (a
// heading, quote, list item, rule or code fence), so that a timeline line
// such as "- rolled back" or "1. paged" reads as its author typed it.
func inlineOnly(s string) string {
	if s == "" {
		return s
	}
	switch c := s[0]; {
	case c == '#' || c == '>', strings.HasPrefix(s, "```"), strings.HasPrefix(s, "~~~"):
		return `\` + s
	case (c == '-' || c == '+' || c == '*') && (len(s) == 1 || s[1] == ' ' || s[1] == '\t'):
		return `\` + s
	case (c == '-' || c == '*' || c == '_') && strings.Count(s, string(c)) >= 3 && strings.Trim(s, string(c)+" \t") == "":
		return `\` + s // a thematic break
	}
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	if i > 0 && i <= 9 && i < len(s) && (s[i] == '.' || s[i] == ')') && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\t') {
		return s[:i] + `\` + s[i:] // an ordered list item
	}
	return s
}

// mergeTimelines joins a review's timelines (usually one) and computes
// gaps and the overall span.
func mergeTimelines(tls []*Timeline) *Timeline {
	if len(tls) == 1 {
		return tls[0]
	}
	out := &Timeline{}
	for _, tl := range tls {
		out.Events = append(out.Events, tl.Events...)
	}
	return finishTimeline(out)
}

// finishTimeline computes the gaps between events, the kinds present and
// the span from first to last event.
func finishTimeline(out *Timeline) *Timeline {
	out.Kinds, out.Start, out.End, out.Duration = nil, time.Time{}, time.Time{}, 0
	seenKind := map[string]bool{}
	var prev *Event // the last event with a time
	for _, ev := range out.Events {
		if !seenKind[ev.Kind] {
			seenKind[ev.Kind] = true
			out.Kinds = append(out.Kinds, ev.Kind)
		}
		if ev.Time.IsZero() || ev.DateOnly {
			// An event without a time, or with a day alone (midnight is
			// not when it happened), keeps its place, out of the span.
			continue
		}
		if prev != nil && !ev.Time.Before(prev.Time) {
			ev.Gap = ev.Time.Sub(prev.Time)
		}
		prev = ev
		if out.Start.IsZero() || ev.Time.Before(out.Start) {
			out.Start = ev.Time
		}
		if ev.Time.After(out.End) {
			out.End = ev.Time
		}
	}
	if !out.Start.IsZero() {
		out.Duration = out.End.Sub(out.Start)
	}
	return out
}

// HumanDuration writes a duration as people say it: "2 h 15 min".
func HumanDuration(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	d = d.Round(time.Minute)
	days := int(d / (24 * time.Hour))
	h := int(d/time.Hour) % 24
	m := int(d/time.Minute) % 60
	var parts []string
	if days > 0 {
		parts = append(parts, fmt.Sprintf("%d d", days))
	}
	if h > 0 {
		parts = append(parts, fmt.Sprintf("%d h", h))
	}
	if m > 0 && days == 0 {
		parts = append(parts, fmt.Sprintf("%d min", m))
	}
	if len(parts) == 0 {
		return "under a minute"
	}
	return strings.Join(parts, " ")
}

// longGap is the pause between events worth marking in a timeline.
const longGap = 30 * time.Minute

// writeTimelineHTML writes a timeline as an ordered list. It is built
// by hand rather than with html/template because it runs for every review
// of a build; every interpolated string is escaped.
func writeTimelineHTML(b io.StringWriter, tl *Timeline) {
	b.WriteString("<figure class=\"timeline\" data-timeline>\n<figcaption class=\"timeline-head\"><span class=\"timeline-title\">Timeline</span>")
	if tl.Duration > 0 {
		b.WriteString(" <span class=\"timeline-span\">")
		b.WriteString(HumanDuration(tl.Duration))
		b.WriteString(" from first to last event</span>")
	}
	b.WriteString("</figcaption>\n<ol class=\"timeline-events\">\n")
	for _, ev := range tl.Events {
		if ev.Gap >= longGap {
			b.WriteString("<li class=\"timeline-gap\" aria-hidden=\"true\"><span>")
			b.WriteString(HumanDuration(ev.Gap))
			b.WriteString(" later</span></li>\n")
		}
		kind := template.HTMLEscapeString(ev.Kind)
		b.WriteString("<li class=\"timeline-event kind-")
		b.WriteString(kind)
		if ev.OffHours {
			b.WriteString(" off-hours")
		}
		b.WriteString("\" data-kind=\"")
		b.WriteString(kind)
		if ev.Qualifier != "" {
			b.WriteString("\" data-qualifier=\"")
			b.WriteString(template.HTMLEscapeString(ev.Qualifier))
		}
		if ev.Source != "" {
			b.WriteString("\" data-source=\"")
			b.WriteString(template.HTMLEscapeString(ev.Source))
		}
		b.WriteString("\" data-people=\"")
		b.WriteString(template.HTMLEscapeString(strings.Join(ev.Mentions, " ")))
		b.WriteString("\">\n")
		switch {
		case ev.Time.IsZero():
			// Kept in its place, with the time as written (or a dash).
			b.WriteString("<span class=\"time time-unknown\" title=\"time not read\">")
			if ev.When != "" {
				b.WriteString(template.HTMLEscapeString(ev.When))
			} else {
				b.WriteString("—")
			}
			b.WriteString("</span>\n")
		case ev.DateOnly:
			b.WriteString("<time datetime=\"")
			b.WriteString(ev.Time.Format("2006-01-02"))
			b.WriteString("\">")
			b.WriteString(ev.Time.Format("2 Jan"))
			b.WriteString("</time>\n")
		default:
			b.WriteString("<time datetime=\"")
			b.WriteString(ev.Time.Format("2006-01-02T15:04:05Z07:00"))
			// The date as every other page writes it, day first, and the
			// full date and zone on hover.
			b.WriteString("\" title=\"")
			b.WriteString(template.HTMLEscapeString(ev.Time.Format("2 Jan 2006 15:04 MST")))
			b.WriteString("\">")
			b.WriteString(ev.Time.Format("2 Jan 15:04"))
			b.WriteString("</time>\n")
		}
		b.WriteString("<span class=\"kind kind-")
		b.WriteString(kind)
		if ev.InferredKind {
			b.WriteString(" kind-inferred\" title=\"kind inferred from the words")
		}
		b.WriteString("\">")
		b.WriteString(kind)
		if ev.Qualifier != "" {
			// The kind column is narrow: a long tag wraps after its slash.
			b.WriteString("/<wbr>" + template.HTMLEscapeString(ev.Qualifier))
		}
		b.WriteString("</span>\n")
		if ev.Source != "" {
			b.WriteString("<span class=\"event-source\">#" + template.HTMLEscapeString(ev.Source) + "</span>\n")
		}
		b.WriteString("<span class=\"event-text\">")
		b.WriteString(string(ev.HTML))
		b.WriteString("</span>\n</li>\n")
	}
	b.WriteString("</ol>\n</figure>\n")
}

// Inline renders one line of inline Markdown (a summary written in front
// matter) and returns its HTML and its plain text.
func (env *Renderer) Inline(md string) (template.HTML, string) {
	if plainInline(md) && !strings.Contains(md, "@") {
		return template.HTML(template.HTMLEscapeString(md)), md // most summaries: no Markdown at all
	}
	h := env.inline(md)
	return h, strings.TrimSpace(html.UnescapeString(tagRe.ReplaceAllString(string(h), "")))
}

// tagRe matches an HTML tag in goldmark's output, which never has '>'
// inside an attribute (it escapes it).
var tagRe = regexp.MustCompile(`<[^>]*>`)
