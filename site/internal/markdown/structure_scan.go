package markdown

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
)

// This file reads a body's shape into its Structure: the title, the
// summary, the well-known sections (action items, attendees, severity,
// contributing factors) and the key/value lines and header tables of
// postmortem templates. It looks only at top-level blocks and only reads
// the text of those in a section it knows, so a body written for casebook
// (front matter, prose sections) costs a map lookup per heading.

// sectionKind is what a heading's words say its section holds.
type sectionKind uint8

const (
	secOther     sectionKind = iota // a section, nothing to read from it
	secSummary                      // its first paragraph is the summary
	secFollowUps                    // items are follow-ups
	secPeople                       // names or initials
	secSeverity                     // the first word is the severity
	secFactors                      // bullets are contributing factors
	secMeta                         // key/value lines and tables
	secTimeline                     // read by the timeline code
)

// sectionWords are the section names of common postmortem templates
// (Google SRE, HOWIE, PagerDuty, Atlassian, wiki exports), normalised by
// sectionKey. An H1 whose words are one of these is a section, not the
// title.
var sectionWords = map[string]sectionKind{
	"summary": secSummary, "issue summary": secSummary, "incident summary": secSummary,
	"executive summary": secSummary, "overview": secSummary, "incident overview": secSummary,
	"tl;dr": secSummary, "tldr": secSummary, "abstract": secSummary, "synopsis": secSummary,

	"action items": secFollowUps, "action item": secFollowUps, "actions": secFollowUps,
	"follow-ups": secFollowUps, "follow ups": secFollowUps, "followups": secFollowUps, "follow-up": secFollowUps,
	"follow-up actions": secFollowUps, "follow-up items": secFollowUps, "corrective actions": secFollowUps,
	"corrective and preventative measures": secFollowUps, "corrective and preventive measures": secFollowUps,
	"corrective and preventative actions": secFollowUps, "corrective and preventive actions": secFollowUps,
	"preventive measures": secFollowUps, "preventative measures": secFollowUps, "remediation": secFollowUps,
	"remediations": secFollowUps, "remediation items": secFollowUps, "remediation actions": secFollowUps,
	"next steps": secFollowUps, "action plan": secFollowUps, "todo": secFollowUps, "to do": secFollowUps,

	"attendees": secPeople, "responders": secPeople, "team": secPeople, "participants": secPeople,
	"people": secPeople, "people involved": secPeople, "incident responders": secPeople, "response team": secPeople,
	"incident team": secPeople, "who was involved": secPeople, "roles": secPeople,

	"severity": secSeverity, "incident severity": secSeverity, "severity level": secSeverity,

	"contributing factors": secFactors, "contributing factor": secFactors, "contributing causes": secFactors,
	"factors": secFactors,

	"metadata": secMeta, "meta": secMeta, "details": secMeta, "incident details": secMeta,
	"incident information": secMeta, "information": secMeta, "key information": secMeta, "incident data": secMeta,
	"facts": secMeta, "document control": secMeta, "properties": secMeta,

	"title": secOther, "incident report": secOther, "incident review": secOther, "postmortem": secOther,
	"post-mortem": secOther, "post mortem": secOther, "postmortem report": secOther, "retrospective": secOther,
	"incident": secOther, "background": secOther, "context": secOther, "description": secOther,
	"introduction": secOther, "impact": secOther, "root cause": secOther, "root causes": secOther,
	"root cause analysis": secOther, "resolution": secOther, "detection": secOther, "recovery": secOther,
	"mitigation": secOther, "lessons learned": secOther, "lessons learnt": secOther, "lessons": secOther,
	"what went well": secOther, "what went wrong": secOther, "where we got lucky": secOther,
	"supporting information": secOther, "appendix": secOther, "references": secOther, "notes": secOther,
	"glossary": secOther, "questions": secOther, "discussion": secOther, "analysis": secOther,
	"investigation": secOther, "trigger": secOther, "status": secOther, "table of contents": secOther,
	"contents": secOther, "timeline": secTimeline, "five whys": secOther, "5 whys": secOther,
	"customer impact": secOther, "problem": secOther, "problem statement": secOther, "what happened": secOther,
}

// sectionKey normalises a heading for sectionWords: lower case, without
// a leading number ("2. Summary"), emoji or a trailing colon.
func sectionKey(t string) string {
	t = strings.TrimLeftFunc(t, func(r rune) bool {
		return unicode.IsDigit(r) || unicode.IsSpace(r) || r == '.' || r == ')' || unicode.IsSymbol(r) || r > 0x2000 && !unicode.IsLetter(r)
	})
	return strings.ToLower(strings.TrimRight(strings.TrimSpace(t), ": "))
}

// classifySection is the kind of section a heading starts, and whether
// its words are a section word at all.
func classifySection(t string) (sectionKind, bool) {
	k := sectionKey(t)
	if kind, ok := sectionWords[k]; ok {
		return kind, true
	}
	if isTimelineHeading(k) {
		return secTimeline, true
	}
	return secOther, false
}

// secMark is where a top-level heading starts a section of the plain text.
type secMark struct {
	heading string
	level   int
	line    int
	start   int // offset in the body's plain text after the heading
}

var (
	// kvRe is a "Key: value" line: "**Date:** 2024-03-13", "Severity: SEV2".
	kvRe = regexp.MustCompile(`^([A-Za-z][A-Za-z /&()'._-]{0,38}?)\s*:\s*(.*)$`)
	// titlePrefixRe is the "Title:" label of a heading or line.
	titlePrefixRe = regexp.MustCompile(`^(?i)title\s*:\s*`)
	// h1DateRe is a date before a title: "24-10-2024 - Title", "2024-03-13: Title".
	h1DateRe = regexp.MustCompile(`^\[?((?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2})|(?:\d{1,2}[-/.]\d{1,2}[-/.]\d{4}))\]?\s*(?:[-–—:|]\s*)?(.+)$`)
	// bylineRe: "By Jane", "Written by", "Authors: …", "Last updated …".
	bylineRe = regexp.MustCompile(`^(?i)(by|written by|prepared by|authored by|reviewed by|author|authors|owner|owners|editor|last updated|updated|date|status|severity|sev|draft)\b`)
)

// keyFor maps a key/value line's key to the Structure field it fills.
var keyFor = map[string]string{
	"date": "date", "incident date": "date", "date of incident": "date", "day": "date", "incident day": "date",
	"start": "started", "started": "started", "start time": "started", "started at": "started",
	"start date": "started", "incident start": "started", "began": "started", "impact start": "started",
	"detected": "detected", "detected at": "detected", "detection time": "detected", "time detected": "detected",
	"first detected": "detected", "detected on": "detected",
	"resolved": "resolved", "resolved at": "resolved", "resolution time": "resolved", "time resolved": "resolved",
	"end": "resolved", "ended": "resolved", "end time": "resolved", "incident end": "resolved", "impact end": "resolved",
	"severity": "severity", "sev": "severity", "incident severity": "severity", "severity level": "severity",
	"title": "title", "incident title": "title", "incident name": "title", "event": "title", "incident": "title",
	"summary": "summary", "tl;dr": "summary", "tldr": "summary", "executive summary": "summary",
	"team": "people", "teams": "people", "responders": "people", "attendees": "people", "participants": "people",
}

// splitFields are the keys whose values are one value, not a list.
var singleValue = map[string]bool{"date": true, "started": true, "detected": true, "resolved": true, "severity": true,
	"title": true, "summary": true}

// scan is the state of reading a body's Structure.
type scan struct {
	st    *bodyState
	s     *Structure
	stack []struct {
		level int
		kind  sectionKind
	}
	header   bool // before the first section heading
	summary  bool // Summary found in a summary section
	lead     *Fact
	titlePar ast.Node // the paragraph under "# Title:" that is the title
}

func (sc *scan) kind() sectionKind {
	for i := len(sc.stack) - 1; i >= 0; i-- {
		if k := sc.stack[i].kind; k != secOther {
			return k
		}
	}
	return secOther
}

// readStructure fills b.Structure from the top-level blocks of doc.
func (st *bodyState) readStructure(doc ast.Node) {
	s := &st.b.Structure
	sc := &scan{st: st, s: s, header: true, titlePar: st.titlePar}
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Heading:
			t := strings.TrimSpace(plainText(n, st.src))
			kind, _ := classifySection(t)
			for len(sc.stack) > 0 && sc.stack[len(sc.stack)-1].level >= n.Level {
				sc.stack = sc.stack[:len(sc.stack)-1]
			}
			sc.stack = append(sc.stack, struct {
				level int
				kind  sectionKind
			}{n.Level, kind})
			sc.header = false
		case *ast.Paragraph:
			sc.paragraph(n)
		case *ast.List:
			sc.list(n)
		case *extast.Table:
			sc.table(n)
		}
	}
	if s.Summary == nil {
		s.Summary = sc.lead
	}
}

// dateFromTimeline gives Structure.Date, when no line or heading gave it,
// from the start or detection lines or the first dated timeline event.
func (st *bodyState) dateFromTimeline() {
	s := &st.b.Structure
	if s.Date == nil {
		for _, f := range []*Fact{s.Started, s.Detected, st.tlDate} {
			if f != nil {
				c := *f
				s.Date = &c
				break
			}
		}
	}
}

func (sc *scan) pos(n ast.Node) (line, col int) {
	if n.Lines().Len() > 0 {
		return sc.st.li.pos(n.Lines().At(0).Start)
	}
	return sc.st.li.pos(nodeOffset(n))
}

func (sc *scan) paragraph(n *ast.Paragraph) {
	if n == sc.titlePar {
		return
	}
	src := sc.st.src
	kind := sc.kind()
	switch kind {
	case secTimeline, secFollowUps, secFactors:
		return
	case secPeople:
		line, _ := sc.pos(n)
		sc.people(plainText(n, src), line)
		return
	case secSeverity:
		if sc.s.Severity == nil {
			line, col := sc.pos(n)
			if w := firstWord(plainText(n, src)); w != "" {
				sc.s.Severity = &Fact{Value: w, Line: line, Col: col, From: "the Severity section"}
			}
		}
		return
	case secSummary:
		if !sc.summary {
			if t := strings.TrimSpace(plainText(n, src)); t != "" && !kvLine(t) {
				line, col := sc.pos(n)
				sc.s.Summary = &Fact{Value: t, Line: line, Col: col, From: "the summary section"}
				sc.summary = true
				return
			}
		}
	}
	// Key/value lines: a paragraph whose every line is "Key: value".
	if mayBeKV(n, src) {
		if lines := paragraphLines(n, src); allKV(lines) {
			for _, l := range lines {
				sc.kv(l.text, l.off, kind == secMeta || sc.header || len(lines) > 1)
			}
			return
		}
	}
	if sc.lead == nil && kind != secMeta && kind != secSeverity {
		t := strings.TrimSpace(plainText(n, src))
		if realParagraph(n, t, src) {
			line, col := sc.pos(n)
			sc.lead = &Fact{Value: t, Line: line, Col: col, From: "the first paragraph"}
		}
	}
}

// mayBeKV is a cheap test that a paragraph's first line may be "Key:
// value", so that prose is not split into lines.
func mayBeKV(n ast.Node, src []byte) bool {
	if n.Lines().Len() == 0 {
		return false
	}
	seg := n.Lines().At(0)
	l := seg.Value(src)
	if len(l) > 48 {
		l = l[:48]
	}
	for _, c := range l {
		switch c {
		case ':':
			return true
		case '.', '\n':
			return false
		}
	}
	return false
}

type plainLine struct {
	text string
	off  int
}

// paragraphLines is a paragraph's plain text, line by line.
func paragraphLines(n ast.Node, src []byte) []plainLine {
	var out []plainLine
	var b strings.Builder
	off := -1
	flush := func() {
		if t := strings.TrimSpace(b.String()); t != "" {
			out = append(out, plainLine{t, off})
		}
		b.Reset()
		off = -1
	}
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			if off < 0 {
				off = c.Segment.Start
			}
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				flush()
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.AutoLink:
			b.Write(c.URL(src))
		}
		return ast.WalkContinue, nil
	})
	flush()
	return out
}

func kvLine(t string) bool {
	m := kvRe.FindStringSubmatch(t)
	return m != nil && strings.TrimSpace(m[2]) != "" && len(strings.Fields(m[1])) <= 5
}

func allKV(lines []plainLine) bool {
	for _, l := range lines {
		if !kvLine(l.text) {
			return false
		}
	}
	return len(lines) > 0
}

// kv reads one "Key: value" line; a key Structure does not name is kept
// in Fields only where the body is a header (before its first section,
// in a metadata section, or in a block of several such lines).
func (sc *scan) kv(t string, off int, header bool) {
	m := kvRe.FindStringSubmatch(t)
	if m == nil {
		return
	}
	line, col := sc.st.li.pos(off)
	key := strings.TrimSpace(m[1])
	sc.pair(m[1], m[2], line, col, header, article(key)+" "+key+": line")
}

// article is "a" or "an" before a key, for the note to authors ("an
// Incident date: line"). A leading u is left to "a", as in most keys
// (User, Updated); the rare "Urgency" reads "a Urgency".
func article(key string) string {
	if key != "" && strings.ContainsRune("AEIOaeio", rune(key[0])) {
		return "an"
	}
	return "a"
}

// pair records a key and its value.
func (sc *scan) pair(key, value string, line, col int, header bool, from string) {
	key = strings.Join(strings.Fields(strings.ToLower(strings.Trim(key, " *_`"))), " ")
	value = strings.TrimSpace(strings.Trim(value, " *_`"))
	if key == "" || value == "" {
		return
	}
	field, known := keyFor[key]
	if !known && !header {
		return
	}
	f := Fact{Value: value, Line: line, Col: col, From: from}
	s := sc.s
	set := func(p **Fact) {
		if *p == nil {
			c := f
			*p = &c
		}
	}
	switch field {
	case "date":
		set(&s.Date)
	case "started":
		set(&s.Started)
	case "detected":
		set(&s.Detected)
	case "resolved":
		set(&s.Resolved)
	case "severity":
		f.Value = firstWord(value)
		set(&s.Severity)
	case "title":
		set(&s.Title)
	case "summary":
		if !sc.summary && s.Summary == nil {
			set(&s.Summary)
		}
	case "people":
		sc.people(value, line)
	}
	if s.Fields == nil {
		s.Fields = map[string][]Fact{}
	}
	if singleValue[field] {
		s.Fields[key] = append(s.Fields[key], f)
		return
	}
	for _, v := range strings.Split(value, ",") {
		if v = strings.TrimSpace(v); v != "" {
			g := f
			g.Value = v
			s.Fields[key] = append(s.Fields[key], g)
		}
	}
}

// firstWord is the severity a line begins with: "SEV2 - major" → "SEV2".
func firstWord(t string) string {
	f := strings.Fields(strings.TrimSpace(t))
	if len(f) == 0 {
		return ""
	}
	return strings.Trim(f[0], ".,;:()[]*_`")
}

// realParagraph: not a link- or image-only line, a byline, a severity or
// key/value line, or a line too short to say anything.
func realParagraph(n ast.Node, t string, src []byte) bool {
	if len(strings.Fields(t)) < 4 || bylineRe.MatchString(t) || kvLine(t) {
		return false
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Link, *ast.Image, *ast.AutoLink, *ast.RawHTML:
		case *ast.Text:
			if len(strings.TrimSpace(string(c.Segment.Value(src)))) > 1 {
				return true
			}
		default:
			return true
		}
	}
	return false
}

func (sc *scan) list(n *ast.List) {
	src := sc.st.src
	kind := sc.kind()
	for item := n.FirstChild(); item != nil; item = item.NextSibling() {
		fb := item.FirstChild()
		if fb == nil {
			continue
		}
		line, col := sc.pos(fb)
		switch kind {
		case secTimeline:
			return
		case secFollowUps:
			sc.followUp(fb, line)
		case secPeople:
			sc.people(plainText(fb, src), line)
		case secFactors:
			if t := strings.TrimSpace(plainText(fb, src)); t != "" {
				sc.s.Factors = append(sc.s.Factors, Fact{Value: t, Line: line, Col: col, From: "the Contributing factors section"})
			}
		default:
			if mayBeKV(fb, src) {
				sc.kv(strings.TrimSpace(plainText(fb, src)), fb.Lines().At(0).Start, kind == secMeta || sc.header)
			}
		}
	}
}

var (
	ownerParenRe = regexp.MustCompile(`\s*\(([^()]*)\)\s*$`)
	ownerLabelRe = regexp.MustCompile(`(?i)\b(?:owner|assignee|assigned to|owned by)\s*[:=]?\s*@?([\p{L}0-9][\p{L}0-9 ._-]*[\p{L}0-9]|[\p{L}0-9])`)
	ownerDashRe  = regexp.MustCompile(`\s+[—–]\s+@?([\p{L}][\p{L}0-9 ._-]{0,40})$`)
)

// followUp reads an action item: its task-list state and its owner.
func (sc *scan) followUp(fb ast.Node, line int) {
	status := "open"
	if fc := fb.FirstChild(); fc != nil {
		if cb, ok := fc.(*extast.TaskCheckBox); ok && cb.IsChecked {
			status = "done"
		}
	}
	title := strings.TrimSpace(plainText(fb, sc.st.src))
	title, owner := splitOwner(title)
	if title != "" {
		sc.s.FollowUps = append(sc.s.FollowUps, FollowUp{Title: title, Status: status, Owner: owner, Line: line})
	}
}

// splitOwner takes an owner from an item: "(owner: X)", "(@x, due …)",
// "@x", "— Name", "Owner: X"; the parenthesis or dash leaves the title.
func splitOwner(t string) (title, owner string) {
	if m := ownerParenRe.FindStringSubmatchIndex(t); m != nil {
		inner := t[m[2]:m[3]]
		if o := ownerLabelRe.FindStringSubmatch(inner); o != nil {
			return strings.TrimSpace(t[:m[0]]), strings.TrimSpace(o[1])
		}
		if o := firstMention(inner); o != "" {
			return strings.TrimSpace(t[:m[0]]), o
		}
	}
	if m := ownerDashRe.FindStringSubmatchIndex(t); m != nil {
		return strings.TrimSpace(t[:m[0]]), strings.TrimSpace(t[m[2]:m[3]])
	}
	if o := ownerLabelRe.FindStringSubmatchIndex(t); o != nil {
		return strings.TrimRight(strings.TrimSpace(t[:o[0]]), " ,;-–—"), strings.TrimSpace(t[o[2]:o[3]])
	}
	o := firstMention(t)
	if o != "" && strings.HasSuffix(t, "@"+o) {
		t = strings.TrimSpace(strings.TrimSuffix(t, "@"+o))
	}
	return t, o
}

func firstMention(s string) string {
	var id string
	forEachMention(s, func(at, end int) {
		if id == "" {
			id = s[at+1 : end]
		}
	})
	return id
}

// people reads names or initials, one per line or comma-separated,
// without their roles: "Jane Doe (IC)", "IC: Jane Doe", "JD - comms".
func (sc *scan) people(t string, line int) {
	for _, part := range splitNames(t) {
		if _, after, ok := strings.Cut(part, ":"); ok {
			part = after
		}
		part = ownerParenRe.ReplaceAllString(part, "")
		for _, sep := range []string{" - ", " – ", " — "} {
			if before, _, ok := strings.Cut(part, sep); ok {
				part = before
			}
		}
		part = strings.TrimSpace(strings.Trim(strings.TrimSpace(part), "@*_`.;"))
		if part != "" && len(part) <= 60 {
			sc.s.People = append(sc.s.People, Fact{Value: part, Line: line, From: "the people of the review"})
		}
	}
}

func splitNames(t string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(t, func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
		p = strings.TrimSpace(p)
		p = strings.TrimPrefix(p, "and ")
		if a, b, ok := strings.Cut(p, " and "); ok {
			out = append(out, a, b)
			continue
		}
		out = append(out, p)
	}
	return out
}

// table reads follow-up, people and key/value tables.
func (sc *scan) table(n *extast.Table) {
	src := sc.st.src
	kind := sc.kind()
	if kind == secTimeline {
		return
	}
	var header []string
	var rows [][]string
	var lines []int
	for r := n.FirstChild(); r != nil; r = r.NextSibling() {
		var cells []string
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, strings.TrimSpace(plainText(c, src)))
		}
		if _, ok := r.(*extast.TableHeader); ok {
			header = cells
			continue
		}
		line := 0
		if off := nodeOffset(r.FirstChild()); off > 0 {
			line, _ = sc.st.li.pos(off)
		}
		rows = append(rows, cells)
		lines = append(lines, line)
	}
	col := func(names ...string) int {
		for i, h := range header {
			h = strings.ToLower(h)
			for _, name := range names {
				if strings.Contains(h, name) {
					return i
				}
			}
		}
		return -1
	}
	switch kind {
	case secFollowUps:
		titleCol := col("action", "item", "task", "title", "description", "what", "follow")
		if titleCol < 0 {
			titleCol = 0
		}
		ownerCol, statusCol := col("owner", "assignee", "who", "responsible", "assigned"), col("status", "state", "done")
		for i, cells := range rows {
			fu := FollowUp{Title: at(cells, titleCol), Status: "open", Line: lines[i]}
			if fu.Title == "" {
				continue
			}
			if ownerCol >= 0 {
				fu.Owner = strings.TrimPrefix(at(cells, ownerCol), "@")
			} else {
				fu.Title, fu.Owner = splitOwner(fu.Title)
			}
			switch strings.ToLower(strings.Trim(at(cells, statusCol), " []✅✔️")) {
			case "done", "complete", "completed", "closed", "fixed", "resolved", "yes", "x", "finished":
				fu.Status = "done"
			}
			sc.s.FollowUps = append(sc.s.FollowUps, fu)
		}
	case secPeople:
		nameCol := col("name", "who", "person", "attendee", "responder")
		if nameCol < 0 {
			nameCol = 0
		}
		for i, cells := range rows {
			sc.people(at(cells, nameCol), lines[i])
		}
	default:
		// A two-column key/value table: | Date | 2024-03-13 |.
		if len(header) != 2 {
			return
		}
		header0 := sc.header || kind == secMeta
		if _, known := keyFor[strings.ToLower(strings.Trim(header[0], " *_:"))]; known {
			hl, _ := sc.pos(n)
			sc.pair(strings.TrimRight(header[0], ": "), header[1], hl, 1, header0, "the header table")
		}
		for i, cells := range rows {
			if len(cells) == 2 && len(strings.Fields(cells[0])) <= 5 {
				sc.pair(strings.TrimRight(cells[0], ": "), cells[1], lines[i], 1, header0, "the header table")
			}
		}
	}
}

func at(cells []string, i int) string {
	if i < 0 || i >= len(cells) {
		return ""
	}
	return cells[i]
}

// sections fills Structure.Sections from the headings the walk marked in
// the plain text (all, when already made): the text before the first
// heading is a section without one.
func (st *bodyState) sections(all string) {
	if st.textEnd == 0 {
		return
	}
	if all == "" {
		all = st.text.String()
	}
	all = all[:st.textEnd]
	out := make([]SectionText, 0, len(st.secs)+1)
	prev := SectionText{Line: st.li.first}
	start := 0
	for _, m := range st.secs {
		if t := strings.TrimSpace(all[start : m.start-len(m.heading)-1]); t != "" || prev.Heading != "" {
			prev.Text = t
			out = append(out, prev)
		}
		prev, start = SectionText{Heading: m.heading, Level: m.level, Line: m.line}, m.start
	}
	prev.Text = strings.TrimSpace(all[start:])
	if prev.Text != "" || prev.Heading != "" {
		out = append(out, prev)
	}
	st.b.Structure.Sections = out
}
