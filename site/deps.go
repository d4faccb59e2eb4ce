package site

import (
	"io/fs"
	"reflect"
	"slices"
)

// PatchReview is the preview server's fast path for the most common edits:
// an author changing the body of a published review, or the front matter
// fields that only describe it (title, summary, severity, status,
// visibility, dates and the library's own params). It reads the review at
// path again and returns it as a full Load of the library would now make
// it, without loading the library. Every other front matter field (terms,
// people, follow-ups, related) must be unchanged, compared after parsing;
// the review must still be published; and the body must link to the same
// reviews, mention the same people and keep the same timeline events
// (times, kinds and people; their text may change), so that nothing else
// in the model moves: terms, related reviews, backlinks, people,
// follow-ups, paths and insights stay as they are in s.
//
// The review it returns shares those parts with the review it replaces and
// is a correct model for the review's own page. Other pages that show
// something of the body (a title taken from the first heading, a summary
// taken from the first paragraph, a word count) keep the old value: the
// caller is expected to run a full Load next, and PatchReview only lets
// the page being edited be shown before that finishes.
//
// ok is false, and the caller must Load, when s was loaded without a Cache
// (the previous parse is needed to compare), when path is not a published
// review of s, when anything above changed, or when the review now has
// errors. PatchReview neither changes s nor the cache.
func (s *Site) PatchReview(fsys fs.FS, path string) (*Review, bool) {
	c := s.Options.Cache
	if c == nil {
		return nil, false
	}
	var old *Review
	for _, r := range s.Reviews {
		if r.SourcePath == path {
			old = r
			break
		}
	}
	if old == nil {
		return nil, false
	}
	c.mu.Lock()
	prev := c.entries[path]
	targets := make(map[string]*source, len(c.entries))
	for p, e := range c.entries {
		targets[p] = e.src
	}
	c.mu.Unlock()
	if prev == nil || prev.review == nil || prev.body == nil || prev.src == nil {
		return nil, false
	}

	p := parseReview(fsys, s.Config, prev.src, s.Options)
	if len(p.errs) > 0 || p.review == nil || p.broken {
		return nil, false
	}
	if !sameButDescription(p.review, prev.review) || !reflect.DeepEqual(withoutPositions(p.meta), withoutPositions(prev.meta)) {
		return nil, false
	}
	if (p.review.Draft() && !s.Options.Drafts) || (p.review.Restricted() && !s.Options.IncludeRestricted) {
		return nil, false // no longer published: other pages must drop it
	}

	env := newRenderEnv(s.Config, targets)
	env.included = make(map[string]bool, len(s.Reviews))
	for _, r := range s.Reviews {
		env.included[r.SourcePath] = true
	}
	rc := &reviewContext{loc: s.Config.Location, base: p.review.Started}
	if rc.base.IsZero() {
		rc.base = p.review.Detected
	}
	if rc.base.IsZero() {
		rc.base = p.review.Date
	}
	b := env.renderBody(path, p.content, p.bodyLine, rc, true)
	if len(b.Errors) > 0 {
		return nil, false
	}
	if !slices.Equal(b.Links, prev.body.Links) || !slices.Equal(b.Mentions, prev.body.Mentions) ||
		!sameTimelineShape(b.Timeline, prev.body.Timeline) {
		return nil, false
	}
	if old.Timeline != nil && (b.Timeline == nil || len(old.Timeline.Events) != len(b.Timeline.Events)) {
		return nil, false
	}

	p.body = &b
	r := p.instantiate()
	r.Terms, r.Responders, r.Investigators = old.Terms, old.Responders, old.Investigators
	r.Related, r.Backlinks, r.Links, r.Paths, r.EditURL = old.Related, old.Backlinks, old.Links, old.Paths, old.EditURL
	r.FollowUps = make([]*FollowUp, len(old.FollowUps))
	for i, fu := range old.FollowUps {
		c := *fu
		c.Review, c.Line = r, p.meta.followUps[i].Line
		r.FollowUps[i] = &c
	}
	if r.Timeline != nil {
		for i, ev := range r.Timeline.Events {
			ev.People = old.Timeline.Events[i].People
		}
		r.Timeline.People = old.Timeline.People
	}
	return r, true
}

// sameButDescription reports whether two parses of a review's front matter
// differ at most in the fields that describe the review itself and link
// it to nothing else in the model. (The date orders lists and feeds on
// other pages, which the full Load that follows a patch puts right.)
func sameButDescription(a, b *Review) bool {
	x := *a
	x.Title, x.Summary, x.Severity, x.Status, x.Visibility = b.Title, b.Summary, b.Severity, b.Status, b.Visibility
	x.Date, x.Started, x.Detected, x.Resolved, x.Params = b.Date, b.Started, b.Detected, b.Resolved, b.Params
	if len(x.relatedSlugs) != len(b.relatedSlugs) {
		return false
	}
	for i, ref := range x.relatedSlugs {
		if ref.slug != b.relatedSlugs[i].slug {
			return false
		}
	}
	x.relatedSlugs = b.relatedSlugs // where they were written does not matter
	return reflect.DeepEqual(&x, b)
}

// withoutPositions is m with the lines and columns it was read from
// cleared: a line added to the front matter moves them, and nothing
// outside the review's own page depends on them.
func withoutPositions(m reviewMeta) reviewMeta {
	terms := make([][]termRef, len(m.terms))
	for i, refs := range m.terms {
		terms[i] = make([]termRef, len(refs))
		for j, ref := range refs {
			terms[i][j] = termRef{raw: ref.raw}
		}
	}
	fus := make([]rawFollowUp, len(m.followUps))
	for i, fu := range m.followUps {
		fus[i] = fu
		fus[i].Line = 0
	}
	m.terms, m.followUps = terms, fus
	return m
}

// sameTimelineShape reports whether two timelines have the same events as
// far as anything outside the review's page is concerned: times, kinds,
// people and whether they fell outside working hours.
func sameTimelineShape(a, b *Timeline) bool {
	if a == nil || b == nil {
		return a == b
	}
	if len(a.Events) != len(b.Events) || !a.Start.Equal(b.Start) || !a.End.Equal(b.End) ||
		a.Duration != b.Duration || !slices.Equal(a.Kinds, b.Kinds) {
		return false
	}
	for i, x := range a.Events {
		y := b.Events[i]
		if !x.Time.Equal(y.Time) || x.Kind != y.Kind || x.OffHours != y.OffHours || x.Gap != y.Gap ||
			!slices.Equal(x.mentions, y.mentions) {
			return false
		}
	}
	return true
}
