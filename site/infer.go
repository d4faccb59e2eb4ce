package site

import (
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/casebook/casebook/site/frontmatter"
	"github.com/casebook/casebook/site/internal/markdown"
	"github.com/casebook/casebook/site/internal/terms"
)

// Most teams' reviews were not written for casebook: no front matter, or
// another tool's, dates in file names, titles in headings. What a review's
// front matter does not say is inferred here, in a fixed order of trust,
// and every inference is recorded twice: on the review (Review.Inferred,
// for the page's note to its authors) and as a located note for casebook
// check. Only what cannot be inferred at all is an error.

// Inference is a field of a review that casebook worked out rather than
// read from its front matter.
type Inference struct {
	Field string // "title", "date", "summary", "timeline", "follow-ups", ...
	From  string // "the file name", "the first heading", "the timeline", ...
	Line  int    // where, in the review's file; 0 for the file as a whole
}

// fieldAliases are other tools' names for casebook's fields, read when the
// front matter lacks casebook's own: Jekyll's and incident trackers'
// exports write start_time and end_time.
var fieldAliases = map[string][]string{
	"date":       {"start_time", "started_at", "incident_date"},
	"started":    {"start_time", "started_at"},
	"resolved":   {"end_time", "resolved_at"},
	"categories": {"category"},
	"tags":       {"keywords"},
}

// bodyTermKeys are the key/value keys of a body ("Systems: billing") that
// give a taxonomy's terms, beyond its own field, key and singular.
var bodyTermKeys = map[string][]string{
	"services": {"systems", "system", "affected services", "affected systems", "services affected", "systems affected", "impacted services",
		"impacted systems", "affected service", "components", "component", "product", "products"},
	"technologies":         {"technology", "stack", "tech"},
	"contributing_factors": {"contributing factors", "contributing factor"},
	"categories":           {"category", "type"},
}

// withAliases returns front matter in which each casebook field that is
// missing takes the value of its first alias present: casebook.yaml's
// fields: mapping, then the built-in aliases. The tree itself is not
// changed (it may be kept for casebook check).
func withAliases(f *frontmatter.Node, mapping map[string]string) *frontmatter.Node {
	var add map[string]string // casebook field → foreign key
	for field, foreign := range mapping {
		if f.Get(field) == nil && f.Get(foreign) != nil {
			if add == nil {
				add = map[string]string{}
			}
			add[field] = foreign
		}
	}
	for field, aliases := range fieldAliases {
		if f.Get(field) != nil || add[field] != "" {
			continue
		}
		if _, mapped := mapping[field]; mapped {
			continue
		}
		for _, a := range aliases {
			if f.Get(a) != nil {
				if add == nil {
					add = map[string]string{}
				}
				add[field] = a
				break
			}
		}
	}
	if add == nil {
		return f
	}
	out := *f
	out.Fields = make(map[string]*frontmatter.Node, len(f.Fields)+len(add))
	for k, v := range f.Fields {
		out.Fields[k] = v
	}
	out.Keys = append([]string{}, f.Keys...)
	for field, foreign := range add {
		out.Fields[field] = f.Fields[foreign]
		out.Keys = append(out.Keys, field)
	}
	return &out
}

// nameDate is a date read from a review's file or folder names, and how
// much of it they give: a day, or only a month or a year (a folder
// 2021/05/), which a date stated in the body outranks.
type nameDate struct {
	t       time.Time
	partial bool
	from    string
}

var (
	isoDayRe    = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})(?:\D|$)`)
	compactRe   = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})(?:[_\-. ]|$)`)
	dayFirstRe  = regexp.MustCompile(`^(\d{1,2})-(\d{1,2})-(\d{4})(?:\D|$)`)
	yearRe      = regexp.MustCompile(`^(\d{4})$`)
	yearMonthRe = regexp.MustCompile(`^(\d{4})-(\d{1,2})$`)
	monthRe     = regexp.MustCompile(`^(\d{1,2})$`)
	monthDayRe  = regexp.MustCompile(`^(\d{1,2})-(\d{1,2})(?:\D|$)`)
	dayRe       = regexp.MustCompile(`^(\d{1,2})(?:[_\-. ]|$)`)
)

// datesFromNames reads the common ways teams date reviews in names:
// 2024-03-13-x, 2021-5-22-x, 20220514_x and 24-10-2024-x file names, and
// YYYY/MM/ or YYYY-MM/ folders with MM-DD-x or DD-x file names in them.
// A day-first name whose fields could be either (04-05-2024) is read day
// first, as most of the world writes it; the note says so.
func datesFromNames(p string, loc *time.Location) (nameDate, bool) {
	name := path.Base(p)
	date := func(y, m, d string) (time.Time, bool) {
		yi, _ := strconv.Atoi(y)
		mi, _ := strconv.Atoi(m)
		di, _ := strconv.Atoi(d)
		if yi < 1970 || yi > 2200 || mi < 1 || mi > 12 || di < 1 || di > 31 {
			return time.Time{}, false
		}
		t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, loc)
		if t.Day() != di { // 31 April
			return time.Time{}, false
		}
		return t, true
	}
	if m := isoDayRe.FindStringSubmatch(name); m != nil {
		if t, ok := date(m[1], m[2], m[3]); ok {
			return nameDate{t: t, from: "the file name"}, true
		}
	}
	if m := compactRe.FindStringSubmatch(name); m != nil {
		if t, ok := date(m[1], m[2], m[3]); ok {
			return nameDate{t: t, from: "the file name"}, true
		}
	}
	if m := dayFirstRe.FindStringSubmatch(name); m != nil {
		d, mo := m[1], m[2]
		from := "the file name"
		if a, _ := strconv.Atoi(d); a <= 12 {
			if b, _ := strconv.Atoi(mo); b <= 12 && a != b {
				from = "the file name, read day first"
			} else if b > 12 {
				d, mo = mo, d // month first: 10-24-2024
			}
		}
		if t, ok := date(m[3], mo, d); ok {
			return nameDate{t: t, from: from}, true
		}
	}
	// Folders: the nearest that name a year, a year and month, or a month
	// under a year.
	dirs := strings.Split(path.Dir(p), "/")
	for i := len(dirs) - 1; i >= 0; i-- {
		var y, mo string
		switch {
		case yearMonthRe.MatchString(dirs[i]):
			m := yearMonthRe.FindStringSubmatch(dirs[i])
			y, mo = m[1], m[2]
		case monthRe.MatchString(dirs[i]) && i > 0 && yearRe.MatchString(dirs[i-1]):
			y, mo = dirs[i-1], dirs[i]
		case yearRe.MatchString(dirs[i]):
			y = dirs[i]
		default:
			continue
		}
		if mo == "" {
			if t, ok := date(y, "1", "1"); ok {
				return nameDate{t: t, partial: true, from: "its folder's year"}, true
			}
			return nameDate{}, false
		}
		if m := monthDayRe.FindStringSubmatch(name); m != nil && m[1] == strings.TrimLeft(mo, "0") || m != nil && m[1] == mo {
			if t, ok := date(y, mo, m[2]); ok {
				return nameDate{t: t, from: "the folder and file name"}, true
			}
		}
		if m := dayRe.FindStringSubmatch(name); m != nil {
			if t, ok := date(y, mo, m[1]); ok {
				return nameDate{t: t, from: "the folder and file name"}, true
			}
		}
		if t, ok := date(y, mo, "1"); ok {
			return nameDate{t: t, partial: true, from: "its folder's month"}, true
		}
		return nameDate{}, false
	}
	return nameDate{}, false
}

var (
	// datePrefixRe matches the date forms datesFromNames reads at the
	// start of a name, with the separator after them.
	namePrefixRe = regexp.MustCompile(`^(?:\d{4}-\d{1,2}-\d{1,2}|\d{8}|\d{1,2}-\d{1,2}-\d{4})(?:[_\-. ]+|$)`)
	// idPrefixRe matches a tracker's id at the start of a name:
	// PM2021-004, INC-1234, 001, SEC_12.
	idPrefixRe = regexp.MustCompile(`^(?:[A-Za-z]{1,6}[-_]?\d[\d\-_]*|\d{1,6})(?:\s*[-_:.]\s*|\s+)`)
)

// titleFromName makes a title from a file or bundle name: without its
// date or id prefix, words split at - and _, the first letter upper case.
// "PM2021-004 - ADFS outage" → "ADFS outage"; "001-db-failover" → "Db
// failover" is humbler than "DB failover", so words already written in
// capitals stay so.
func titleFromName(name string) string {
	s := name
	for {
		t := namePrefixRe.ReplaceAllString(s, "")
		t = idPrefixRe.ReplaceAllString(t, "")
		if t == s || strings.TrimSpace(t) == "" {
			break
		}
		s = t
	}
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' || unicode.IsSpace(r) }), " ")
	if s == "" {
		return ""
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// parseLooseDate reads a date as a review's body states it: the front
// matter forms, or "14 June 2022", "June 14th, 2022", "24/10/2024",
// "2024-03-13 14:05 UTC".
func parseLooseDate(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(strings.Trim(s, "*_`~ "))
	if t, ok := frontmatter.ParseTime(s, loc); ok {
		return t, true
	}
	if t, ok := markdown.ParseDate(s, loc); ok {
		return t, true
	}
	s = ordinalRe.ReplaceAllString(s, "$1")
	s = strings.TrimSuffix(strings.TrimSuffix(s, " UTC"), " GMT")
	for _, l := range []string{"2006-01-02 15:04", "2 January 2006", "2 Jan 2006", "January 2, 2006", "Jan 2, 2006", "January 2 2006",
		"2 January 2006 15:04", "January 2, 2006, 15:04", "January 2, 2006 3:04 PM", "January 2, 2006, 3:04 PM", "02/01/2006", "2/1/2006",
		"2006/01/02", "02.01.2006", "Monday, January 2, 2006", "Mon, 2 Jan 2006"} {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	if m := isoDayRe.FindStringSubmatch(s); m != nil {
		if t, ok := frontmatter.ParseTime(m[1]+"-"+pad2(m[2])+"-"+pad2(m[3]), loc); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

var ordinalRe = regexp.MustCompile(`(\d)(?:st|nd|rd|th)\b`)

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// inferFromBody completes the review from what the body says, once it is
// rendered, into p.final: the title, the date, the summary, times,
// severity, follow-ups and responders that the front matter and names
// left open. The front-matter review stays as it was: parse results are
// cached across loads, and a body rendered again infers again.
func (p *parsedReview) inferFromBody(md *markdown.Renderer, rec func() *terms.Recogniser, cfg *Config, opts Options) {
	p.final, p.bodyNotes, p.bodyErrs, p.gitDated = nil, nil, nil, false
	if p.body == nil || p.review == nil {
		return
	}
	if p.broken {
		// The front matter did not parse: what it would have said is
		// unknown, and guessing over it would only hide the error.
		p.final, p.finalMeta = nil, reviewMeta{}
		return
	}
	rv := *p.review
	rv.Inferred = append([]Inference(nil), p.review.Inferred...)
	r, b := &rv, p.body
	p.final = r
	var e errs
	defer func() { p.bodyNotes, p.bodyErrs = e.Notes, e.List }()
	meta := p.meta // follow-ups and responders the body adds are the final review's
	defer func() { p.finalMeta = meta }()
	st := &b.Structure
	note := func(field, from string, line, col int) {
		r.Inferred = append(r.Inferred, Inference{Field: field, From: from, Line: line})
		if line == 0 {
			line, col = 1, 1
		}
		e.Note(p.src.path, line, col, "%s from %s", field, from)
	}
	if r.Title == "" && !p.badTitle {
		switch {
		case st.Title != nil:
			r.Title = st.Title.Value
			if st.Title.From == "the first heading" {
				// "# PM2021-004 - ADFS outage": the tracker's id names the
				// file, not the incident.
				if t := headingIDRe.ReplaceAllString(r.Title, ""); t != "" {
					r.Title = t
				}
			}
			if st.Title.From != "the first heading" || st.Date != nil && st.Date.From == "the date in the first heading" {
				// A title from the first # heading is casebook's own
				// convention, not an inference worth a note.
				note("title", st.Title.From, st.Title.Line, st.Title.Col)
			}
		case b.H1 != "":
			r.Title = b.H1 // the first heading, as casebook always read it
		default:
			if t := titleFromName(p.src.name); t != "" {
				r.Title = t
				note("title", "the file name", 0, 0)
			}
		}
	}
	if r.Published.IsZero() {
		if t, ok := firstCommit(opts, p.src.path); ok && !opts.ShallowHistory {
			r.Published = t.In(cfg.Location)
		}
	}
	if (r.Date.IsZero() || p.partialDate) && !p.badDate {
		var fact *markdown.Fact
		switch {
		case st.Date != nil:
			fact = st.Date
		case st.Started != nil:
			fact = st.Started
		case st.Detected != nil:
			fact = st.Detected
		}
		if fact != nil {
			if t, ok := parseLooseDate(fact.Value, cfg.Location); ok {
				r.Date, p.partialDate = t, false
				note("date", fact.From, fact.Line, fact.Col)
			}
		}
	}
	if r.Date.IsZero() && !p.badDate && b.Timeline != nil && !b.Timeline.Start.IsZero() {
		r.Date = b.Timeline.Start
		line := 0
		if len(b.Timeline.Events) > 0 {
			line = b.Timeline.Events[0].Line
		}
		note("date", "the timeline's first event", line, 1)
	}
	if !r.Date.IsZero() && p.partialDate && p.nameDateFrom != "" && p.final.Date.Equal(p.review.Date) {
		note("date", p.nameDateFrom, 0, 0) // the folder's month or year is the best there is
	}
	if r.Date.IsZero() && !p.badDate {
		if t, ok := firstCommit(opts, p.src.path); ok {
			r.Date = t.In(cfg.Location)
			from := "its first Git commit"
			if opts.ShallowHistory {
				from = "its first Git commit, which a shallow clone makes unreliable"
			}
			note("date", from, 0, 0)
			p.gitDated = true
		} else if !p.broken {
			if !p.looksLikeReview() {
				// A wiki's home page or a handbook beside the reviews: no
				// date, no timeline, nothing a review has. Left out rather
				// than refusing the library.
				p.notReview = true
				e.Note(p.src.path, 1, 1, "not taken as a review: it has no date, no timeline and no sections a review has (a wiki or repository page?); list your reviews with reviews: in casebook.yaml to be explicit")
				return
			}
			e.Add(p.src.path, 1, 1, "no date: add date: YYYY-MM-DD to the front matter, start the file name with the date, or state it in the body (Date: 2024-03-13)")
		}
	}
	for _, s := range [...]struct {
		field string
		t     *time.Time
		fact  *markdown.Fact
	}{{"started", &r.Started, st.Started}, {"detected", &r.Detected, st.Detected}, {"resolved", &r.Resolved, st.Resolved}} {
		if s.t.IsZero() && s.fact != nil {
			if t, ok := parseLooseDate(s.fact.Value, cfg.Location); ok {
				*s.t = t
				note(s.field, s.fact.From, s.fact.Line, s.fact.Col)
			}
		}
	}
	if r.Severity == "" && st.Severity != nil {
		sev := strings.TrimRight(st.Severity.Value, ".:,;")
		if len(cfg.Severities) > 0 {
			if rank := cfg.SeverityRank(sev); rank < len(cfg.Severities) {
				sev = cfg.Severities[rank]
			} else {
				sev = ""
			}
		}
		if sev != "" {
			r.Severity = sev
			note("severity", st.Severity.From, st.Severity.Line, st.Severity.Col)
		}
	}
	if r.Summary != "" {
		// Written in the front matter, as inline Markdown: lists and
		// feeds show its text, the page its HTML.
		r.SummaryHTML, r.Summary = md.Inline(r.Summary)
	} else if st.Summary != nil {
		// The page shows the body, where this summary is already: lists
		// and feeds take it, the page's lead does not repeat it.
		r.Summary = firstWords(st.Summary.Value, 40)
	}
	if len(meta.followUps) == 0 && len(st.FollowUps) > 0 {
		for _, fu := range st.FollowUps {
			meta.followUps = append(meta.followUps, rawFollowUp{FollowUp: FollowUp{Title: fu.Title, Status: fu.Status, Line: fu.Line}, owner: Normalize(fu.Owner)})
		}
		note("follow-ups", "its action items", st.FollowUps[0].Line, 1)
	}
	if len(meta.investigators) == 0 {
		for _, k := range []string{"authors", "author", "written by", "investigators"} {
			if vals := st.Fields[k]; len(vals) > 0 {
				for _, f := range vals {
					meta.investigators = append(meta.investigators, Normalize(f.Value))
				}
				note("investigators", vals[0].From, vals[0].Line, vals[0].Col)
				break
			}
		}
	}
	if len(meta.responders) == 0 && len(st.People) > 0 {
		for _, f := range st.People {
			meta.responders = append(meta.responders, Normalize(f.Value))
		}
		note("responders", st.People[0].From, st.People[0].Line, st.People[0].Col)
	}
	// Terms the body's key/value lines give, for taxonomies the front
	// matter left empty.
	for i, tax := range cfg.Taxonomies {
		if i >= len(meta.terms) || len(meta.terms[i]) > 0 {
			continue
		}
		keys := append([]string{tax.Field, strings.ReplaceAll(tax.Field, "_", " "), strings.ToLower(tax.Key), strings.ToLower(tax.Singular), strings.ToLower(tax.Title)}, bodyTermKeys[tax.Field]...)
		for _, k := range keys {
			if vals := st.Fields[k]; len(vals) > 0 {
				refs := make([]termRef, 0, len(vals))
				for _, v := range vals {
					refs = append(refs, termRef{raw: v.Value, line: v.Line, col: v.Col})
				}
				meta.terms = append([][]termRef(nil), meta.terms...)
				meta.terms[i] = refs
				note(strings.ToLower(tax.Title), vals[0].From, vals[0].Line, vals[0].Col)
				break
			}
		}
	}
	// Technologies and services named in the review's own words, for
	// taxonomies the front matter and key lines left empty.
	var found []terms.Match
	for i, tax := range cfg.Taxonomies {
		if i >= len(meta.terms) || len(meta.terms[i]) > 0 || !slices.Contains(cfg.InferTerms, tax.Key) || len(st.Sections) == 0 {
			continue
		}
		if found == nil {
			secs := make([]terms.Section, len(st.Sections))
			for j, sec := range st.Sections {
				secs[j] = terms.Section{Heading: sec.Heading, Text: sec.Text}
			}
			found = rec().Find(secs)
			if found == nil {
				found = []terms.Match{}
			}
		}
		var refs []termRef
		for _, m := range found {
			if m.Taxonomy == tax.Key {
				refs = append(refs, termRef{raw: m.Title, line: st.Sections[0].Line, col: 1})
			}
		}
		if len(refs) > 0 {
			meta.terms = append([][]termRef(nil), meta.terms...)
			meta.terms[i] = refs
			note(strings.ToLower(tax.Title), "the review's text", 0, 0)
		}
	}
	r.Factors = nil
	if fi := slices.IndexFunc(cfg.Taxonomies, func(t TaxonomyConfig) bool { return t.Key == cfg.InsightTaxonomies.Factors }); fi < 0 || fi >= len(meta.terms) || len(meta.terms[fi]) == 0 {
		for _, f := range st.Factors {
			r.Factors = append(r.Factors, f.Value)
		}
	}
}

// gitNote says once, for the library, when the dates taken from Git are
// not to be trusted: a shallow clone, or an import in one commit that
// gives every review the same day.
func gitNote(publish []*parsedReview, opts Options, e *errs) {
	n := 0
	days := map[string]bool{}
	for _, p := range publish {
		if p.gitDated {
			n++
			days[p.final.Date.Format(time.DateOnly)] = true
		}
	}
	switch {
	case n == 0:
	case opts.ShallowHistory:
		e.Note(".", 0, 0, "dates from Git are not reliable here: this is a shallow clone, so %s dated by the clone's commit; fetch the full history (git fetch --unshallow, or fetch-depth: 0 in CI) or give them dates", plural(n, "review is", "reviews are"))
	case n >= 3 && len(days) == 1:
		e.Note(".", 0, 0, "dates from Git are not reliable here: all %d reviews dated from Git were added on the same day (an import in one commit); give them dates in their front matter, file names or bodies", n)
	}
}

// plural is "1 review" or "2 reviews".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// recogniser makes, once per parse and only when a review needs it, the
// term recogniser for the taxonomies casebook.yaml lets it fill: the
// library's vocabulary for each, and the built-in vocabulary of common
// technologies for the technologies taxonomy.
func recogniser(cfg *Config) func() *terms.Recogniser {
	return sync.OnceValue(func() *terms.Recogniser {
		var entries []terms.Entry
		for _, key := range cfg.InferTerms {
			for id, ve := range cfg.Vocabulary[key] {
				entries = append(entries, terms.Entry{ID: id, Title: ve.Title, Aliases: ve.Aliases, Taxonomy: key})
			}
		}
		slices.SortFunc(entries, func(a, b terms.Entry) int { return strings.Compare(a.Taxonomy+"\x00"+a.ID, b.Taxonomy+"\x00"+b.ID) })
		if tech := cfg.ExpertiseTaxonomies.Technologies; tech != "" && slices.Contains(cfg.InferTerms, tech) {
			for _, b := range terms.Builtin() {
				b.Taxonomy = tech
				entries = append(entries, b)
			}
		}
		return terms.Compile(entries)
	})
}

// headingIDRe is a tracker's id at the start of a heading, before a dash
// or colon: "PM2021-004 - ", "INC-1234: ", "001 – ".
var headingIDRe = regexp.MustCompile(`^(?:[A-Za-z]{1,6}[-_]?\d[\d\-_]*|\d{1,6})\s*[-–—:]\s+`)

// reviewSections are words of the headings reviews have and other pages
// do not.
var reviewSections = []string{"impact", "root cause", "timeline", "contributing", "action item", "follow-up", "lessons", "resolution",
	"detection", "trigger", "incident", "postmortem", "post-mortem", "what happened", "remediation", "summary"}

// looksLikeReview reports whether a file with no date at all still reads
// as a review: front matter, a timeline, follow-ups, a severity, or a
// section a review has.
func (p *parsedReview) looksLikeReview() bool {
	b := p.body
	if p.bodyLine > 1 || b.Timeline != nil || len(b.Structure.FollowUps) > 0 || b.Structure.Severity != nil {
		return true
	}
	for _, sec := range b.Structure.Sections {
		h := strings.ToLower(sec.Heading)
		for _, w := range reviewSections {
			if strings.Contains(h, w) {
				return true
			}
		}
	}
	return false
}
