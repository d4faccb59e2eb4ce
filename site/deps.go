package site

import (
	"io/fs"
	"slices"
)

// PatchReview is the preview server's fast path for an edit to one
// published review. It reads the review at path again and returns it as a
// full Load of the library would now make it for its own page, without
// loading the library: its body, its descriptive front matter (title,
// summary, severity, status, visibility, dates, params), and its links
// into the model (terms, responders, investigators, follow-ups and their
// owners, related reviews, links to reviews, people its timeline
// mentions), which it resolves against s, ranking related reviews with
// term weights as they will be once the edit is in.
//
// The review must stay published under the same slug: otherwise the set
// of pages changes, which needs a Load.
//
// Other pages that show something of the review (its card, its terms'
// pages, the reviews it links to, people, counts, insights) keep the old
// values: the caller is expected to run a full Load next, and PatchReview
// only lets the page being edited be shown before that finishes.
//
// ok is false, and the caller must Load, when s was loaded without a Cache
// (the previous parse is needed), when path is not a published review of
// s, when it would no longer be published or its slug changed, when an
// authors' related pick names no published review, or when the review now
// has errors (Load reports them). PatchReview neither changes s nor the
// cache.
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
	if p.review.Slug != prev.review.Slug || p.review.Bundle != prev.review.Bundle {
		return nil, false
	}
	if (p.review.Draft() && !s.Options.Drafts) || (p.review.Restricted() && !s.Options.IncludeRestricted) {
		return nil, false // no longer published: other pages must drop it
	}

	env := newRenderEnv(s.Config, targets)
	env.included = make(map[string]bool, len(s.Reviews))
	byPath := make(map[string]*Review, len(s.Reviews))
	for _, r := range s.Reviews {
		env.included[r.SourcePath] = true
		byPath[r.SourcePath] = r
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

	p.body = &b
	r := p.instantiate()
	if r.Title == "" {
		return nil, false // Load reports it
	}
	// Other reviews' bodies and the paths are as they were.
	r.Backlinks, r.Paths, r.EditURL = old.Backlinks, old.Paths, old.EditURL
	for _, lp := range b.Links {
		if t := byPath[lp]; t != nil && t != old {
			r.Links = append(r.Links, t)
		}
	}
	if r.Timeline != nil {
		timelinePeople(r.Timeline, s.lookupPerson)
	}
	if !s.relink(r, old, p) {
		return nil, false
	}
	return r, true
}

// relink links a patched review r into s as assemble and linkReviews
// would, without changing s: old is the review it replaces.
func (s *Site) relink(r, old *Review, p *parsedReview) bool {
	for i, tax := range s.Taxonomies {
		tl := &TermList{Taxonomy: tax}
		for _, ref := range p.meta.terms[i] {
			if t, _ := termFor(s.Config, tax, ref.raw); t != nil && !slices.Contains(tl.Terms, t) {
				tl.Terms = append(tl.Terms, t)
			}
		}
		r.Terms = append(r.Terms, tl)
	}
	r.Responders = uniquePeople(p.meta.responders, s.lookupPerson)
	r.Investigators = uniquePeople(p.meta.investigators, s.lookupPerson)
	for _, raw := range p.meta.followUps {
		r.FollowUps = append(r.FollowUps, s.followUp(raw, r, s.lookupPerson))
	}
	for _, ref := range r.relatedSlugs {
		target, ok := s.bySlug[ref.target()]
		if !ok {
			return false // a draft, or a mistake that Load reports
		}
		if target != old && !slices.Contains(r.Related, target) {
			r.Related = append(r.Related, target)
		}
	}
	// Rank the rest as related() will once the edit is in: the review
	// leaves the terms it dropped and joins those it added.
	had := map[*Term]bool{}
	for _, tl := range old.Terms {
		for _, t := range tl.Terms {
			had[t] = true
		}
	}
	scores := make([]float64, len(s.Reviews))
	var touched []int
	for _, tl := range r.Terms {
		for _, t := range tl.Terms {
			df := len(t.Reviews)
			if !had[t] {
				df++
			}
			w := relatedWeight(len(s.Reviews), df)
			if w == 0 {
				continue
			}
			for _, o := range t.Reviews {
				if o == old {
					continue
				}
				if scores[o.n] == 0 {
					touched = append(touched, o.n)
				}
				scores[o.n] += w
			}
		}
	}
	s.addRelated(r, touched, scores)
	return true
}
