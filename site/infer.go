package site

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/casebook/casebook/site/internal/markdown"
	"github.com/casebook/casebook/site/internal/terms"
)

// Most teams' reviews were not written for casebook: no front matter, or
// another tool's, dates in file names, titles in headings. What a review's
// front matter does not say is inferred here, in a fixed order of trust,
// and every inference is recorded twice: on the review (Review.Inferred,
// for the page's note to its authors) and as a located note for casebook
// check. Only what cannot be inferred at all is an error.

// inferFromBody completes the review from what the body says, once it is
// rendered, into p.final: the title, the date, the summary, times,
// severity, follow-ups and responders that the front matter and names
// left open. The front-matter review stays as it was: parse results are
// cached across loads, and a body rendered again infers again.
func (p *parsedReview) inferFromBody(md *markdown.Renderer, rec func() *terms.Recogniser, cfg *Config, opts Options) {
	p.final, p.bodyNotes, p.bodyErrs, p.gitDated, p.difficulties = nil, nil, nil, false, nil
	if p.body == nil || p.review == nil {
		return
	}
	p.difficulties = boldDifficulties(p.body.Structure.Sections)
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

func firstCommit(opts Options, path string) (time.Time, bool) {
	if opts.FirstCommit == nil {
		return time.Time{}, false
	}
	return opts.FirstCommit(path)
}

// inferrer returns what completes a review from its body (see
// inferFromBody) when the body is new since its last inference: cached
// bodies keep theirs. It is safe for concurrent use on distinct reviews.
//
// In a one-off build (no Cache) it then drops the body's Structure, which
// only inference reads: its sections hold the whole plain text again,
// uncompressed, and kept for every review until the load ended they were
// a fifth of the 100,000-review library's peak heap.
func inferrer(md *markdown.Renderer, cfg *Config, opts Options) func(*parsedReview) {
	rec := recogniser(cfg)
	return func(p *parsedReview) {
		if p.inferredFor != p.body || p.body == nil {
			p.inferFromBody(md, rec, cfg, opts)
			p.inferredFor = p.body
		}
		if opts.Cache == nil && p.body != nil {
			p.body.Structure = markdown.Structure{}
		}
	}
}
