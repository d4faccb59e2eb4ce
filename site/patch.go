package site

import (
	"io/fs"
	"maps"
	"slices"
	"strings"

	"github.com/casebook/casebook/site/internal/markdown"
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
// The review must stay published: otherwise the set of pages changes,
// which needs a Load. (Its slug comes from its file name, so it stays.)
//
// Other pages that show something of the review (its card, its terms'
// pages, the reviews it links to, people, counts, insights) keep the old
// values: the caller is expected to run a full Load next, and PatchReview
// only lets the page being edited be shown before that finishes.
//
// ok is false, and the caller must Load, when s was loaded without a Cache
// (the previous parse is needed), when path is not a published review of
// s, when it would no longer be published, when an authors' related pick
// names no published review, when its spelling of a term outside the
// vocabulary could change that term's title, or when the review now has
// errors (Load reports them). PatchReview neither changes s nor the
// cache.
func (s *Site) PatchReview(fsys fs.FS, opts Options, path string) (*Review, bool) {
	c := opts.Cache
	if c == nil {
		return nil, false
	}
	byPath := make(map[string]*Review, len(s.Reviews))
	for _, r := range s.Reviews {
		byPath[r.SourcePath] = r
	}
	old := byPath[path]
	if old == nil {
		return nil, false
	}
	c.mu.Lock()
	prev := c.entries[path]
	targets := make(map[string]markdown.Target, len(c.entries))
	for p, e := range c.entries {
		targets[p] = markdown.Target{Slug: e.src.slug, Dir: e.src.dir, Published: byPath[p] != nil}
	}
	c.mu.Unlock()
	if prev == nil || prev.review == nil || prev.body == nil || prev.src == nil {
		return nil, false
	}

	p := parseReview(fsys, s.Config, prev.src, parseMode{sums: true, syntax: opts.Syntax})
	if len(p.errs) > 0 || p.review == nil || p.broken {
		return nil, false
	}
	if (p.review.Draft() && !opts.Drafts) || (p.review.Restricted() && !opts.IncludeRestricted) || p.review.Nominated() {
		return nil, false // no longer published: other pages must drop it
	}

	mc := s.Config.markdownConfig()
	mc.Highlighter = c.hl
	md := markdown.New(mc, targets)
	b := md.Render(path, p.content, p.bodyLine, p.review.timeBase())
	if len(b.Errors) > 0 {
		return nil, false
	}

	p.body = b
	p.inferFromBody(md, recogniser(s.Config), s.Config, opts)
	if len(p.bodyErrs) > 0 {
		return nil, false
	}
	r := p.instantiate(false)
	s.nameMentions(r, b.Mentions)
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
	if !s.relink(r, old, p, prev) {
		return nil, false
	}
	r.Depth = s.patchedDepth(r, old)
	return r, true
}

// sameTermTitles reports whether every term outside the vocabulary keeps
// its title when a review's terms change from before to after: such a term
// is titled by its most used spelling, one vote a review, and the title
// shows on other reviews' cards, which the patched page lists.
func (s *Site) sameTermTitles(before, after reviewMeta) bool {
	votes := func(m reviewMeta) map[*Term]string {
		v := map[*Term]string{}
		for i, tax := range s.Taxonomies {
			for _, ref := range m.terms[i] {
				t, isNew := termFor(s.Config, tax, ref.raw)
				if t == nil || isNew || t.Known {
					continue // a new term is titled as this review spells it
				}
				if _, ok := v[t]; !ok {
					v[t] = strings.TrimSpace(ref.raw)
				}
			}
		}
		return v
	}
	was, is := votes(before), votes(after)
	keeps := func(t *Term) bool {
		w, hadVote := was[t]
		n, hasVote := is[t]
		if hadVote == hasVote && w == n {
			return true
		}
		counts := maps.Clone(t.spellings)
		if hadVote {
			counts[w]--
		}
		if hasVote {
			counts[n]++
		}
		return mostCommon(counts) == t.Title
	}
	for t := range was {
		if !keeps(t) {
			return false
		}
	}
	for t := range is {
		if !keeps(t) {
			return false
		}
	}
	return true
}

// relink links a patched review r into s as assemble and linkReviews
// would, without changing s: old is the review it replaces, p and prev the
// new and previous parses.
func (s *Site) relink(r, old *Review, p, prev *parsedReview) bool {
	if !s.sameTermTitles(*prev.linked(), *p.linked()) {
		return false
	}
	for i, tax := range s.Taxonomies {
		tl := &TermList{Taxonomy: tax}
		for _, ref := range p.linked().terms[i] {
			if t, _ := termFor(s.Config, tax, ref.raw); t != nil && !slices.Contains(tl.Terms, t) {
				tl.Terms = append(tl.Terms, t)
			}
		}
		r.Terms = append(r.Terms, tl)
	}
	r.Responders = uniquePeople(p.linked().responders, s.lookupPerson)
	r.Investigators = uniquePeople(p.linked().investigators, s.lookupPerson)
	for _, raw := range p.linked().followUps {
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
				if o != old {
					touched = addScore(scores, touched, o.n, w)
				}
			}
		}
	}
	s.addRelated(r, touched, scores)
	return true
}
