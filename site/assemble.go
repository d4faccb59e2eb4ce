package site

import (
	"cmp"
	"io/fs"
	"math"
	"path"
	"slices"
	"strings"
	"sync"
)

// instantiate makes a fresh Review from a parse result. Parse results may
// be cached across loads, so the model never mutates them.
func (p *parsedReview) instantiate() *Review {
	r := *p.review
	b := p.body
	r.html, r.lazyHTML, r.TOC, r.Headings, r.text, r.lazyText, r.WordCount = b.HTML, p.lazyHTML, b.TOC, b.Headings, b.Text, p.lazyText, b.Words
	if r.Title == "" {
		r.Title = b.H1
	}
	if b.Timeline != nil {
		tl := *b.Timeline
		tl.Events = make([]*Event, len(b.Timeline.Events))
		for i, ev := range b.Timeline.Events {
			c := *ev
			tl.Events[i] = &c
		}
		r.Timeline = &tl
	}
	if r.Summary == "" {
		r.Summary = firstWords(b.Lead, 40)
	}
	return &r
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) <= n {
		return strings.Join(f, " ")
	}
	return strings.Join(f[:n], " ") + "…"
}

// person returns the person with an id, creating one without a profile.
func (s *Site) person(id string) *Person {
	if p, ok := s.byPerson[id]; ok {
		return p
	}
	p := &Person{ID: id, Name: nameFromID(id), Params: map[string]any{}}
	s.byPerson[id] = p
	return p
}

func nameFromID(id string) string {
	parts := strings.Split(id, "-")
	for i, w := range parts {
		if w != "" {
			parts[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(parts, " ")
}

// people loads profiles from people/. Profiles of people who took part in
// no published review still get a page: they may own follow-ups, or be new.
func (s *Site) people(fsys fs.FS, files []string, publish []*parsedReview, e *errs) {
	env := newRenderEnv(s.Config, nil)
	// Bios render before reviews are assembled, so who has a page is worked
	// out here from the same sources that create people: profiles, and the
	// responders, investigators, owners and mentions of published reviews.
	known := map[string]bool{}
	for _, f := range files {
		name := path.Base(f)
		known[Normalize(strings.TrimSuffix(name, path.Ext(name)))] = true
	}
	for _, p := range publish {
		for _, ids := range [][]string{p.meta.responders, p.meta.investigators, p.body.Mentions} {
			for _, id := range ids {
				known[id] = true
			}
		}
		for _, fu := range p.meta.followUps {
			if fu.owner != "" {
				known[fu.owner] = true
			}
		}
	}
	env.people = func(id string) bool { return known[id] }
	for _, f := range files {
		content, err := fs.ReadFile(fsys, f)
		if err != nil {
			e.add(f, 0, 0, "cannot read: %v", err)
			continue
		}
		fm := splitFrontMatter(f, content, e)
		d := &decoder{path: f, e: e, loc: s.Config.Location}
		name := path.Base(f)
		id := Normalize(strings.TrimSuffix(name, path.Ext(name)))
		p := s.person(id)
		p.HasProfile = true
		if n := d.str(fm.Fields, "name"); n != "" {
			p.Name = n
		}
		p.Team = d.str(fm.Fields, "team")
		p.Role = d.str(fm.Fields, "role")
		p.Joined, _ = d.time(fm.Fields, "joined")
		for _, k := range fm.Fields.Keys {
			switch k {
			case "name", "team", "role", "joined":
			default:
				p.Params[k] = fm.Fields.Fields[k].plain()
			}
		}
		b := env.render(f, fm.Body, fm.BodyLine, &reviewContext{loc: s.Config.Location})
		p.Bio = b.HTML
		if p.Name == id || p.Name == nameFromID(id) {
			if b.H1 != "" {
				p.Name = b.H1
			}
		}
	}
}

// linkReviews resolves authors' related lists and in-body links into
// pointers, and records backlinks.
func (s *Site) linkReviews(parsed []*parsedReview, all map[string]*parsedReview, included map[string]*Review, e *errs) {
	allSlugs := map[string]*parsedReview{}
	for _, p := range parsed {
		if p.review != nil {
			allSlugs[p.src.slug] = p
		}
	}
	for _, p := range parsed {
		r := included[p.src.path]
		if r == nil {
			continue
		}
		for _, ref := range r.relatedSlugs {
			slug := Slugify(strings.TrimSuffix(path.Base(ref.slug), path.Ext(ref.slug)))
			if strings.HasSuffix(ref.slug, "/") || !strings.Contains(path.Base(ref.slug), ".") {
				slug = Slugify(path.Base(strings.TrimSuffix(ref.slug, "/")))
			}
			target, ok := s.bySlug[slug]
			switch {
			case ok && target != r:
				if !slices.Contains(r.Related, target) {
					r.Related = append(r.Related, target)
				}
			case ok:
			case allSlugs[slug] != nil:
				// A draft or restricted review: not an error, but no link.
			default:
				e.add(p.src.path, ref.line, ref.col, "related: no review with slug %q", ref.slug)
			}
		}
		for _, lp := range p.body.Links {
			if t := included[lp]; t != nil && t != r {
				r.Links = append(r.Links, t)
				t.Backlinks = append(t.Backlinks, r)
			}
		}
	}
	for _, r := range s.Reviews {
		slices.SortStableFunc(r.Backlinks, byDateDesc)
		r.Backlinks = slices.Compact(r.Backlinks)
	}
}

func byDateDesc(a, b *Review) int {
	return cmp.Or(b.Date.Compare(a.Date), strings.Compare(a.Slug, b.Slug))
}

// maxRelated bounds the related list on a review page.
const maxRelated = 5

// assemble builds taxonomies, people and follow-ups from the published
// reviews and computes related reviews.
func (s *Site) assemble(parsed []*parsedReview, included map[string]*Review, e *errs) {
	cfg := s.Config
	for _, tc := range cfg.Taxonomies {
		s.Taxonomies = append(s.Taxonomies, &Taxonomy{Key: tc.Key, Title: tc.Title, Singular: tc.Singular, Field: tc.Field, byID: map[string]*Term{}})
	}
	// Reviews are attached in newest-first order so each term's list is
	// already sorted.
	// A term outside the vocabulary is titled by its most used spelling,
	// whatever order reviews were read in.
	spellings := map[*Term][]string{}
	byPath := map[*Review]*parsedReview{}
	for _, p := range parsed {
		if r := included[p.src.path]; r != nil {
			byPath[r] = p
		}
	}
	for _, r := range s.Reviews {
		p := byPath[r]
		if r.Title == "" && !p.broken {
			e.add(p.src.path, 1, 1, "no title: add title: to the front matter, or start the body with a # heading")
		}
		for i, tax := range s.Taxonomies {
			tl := &TermList{Taxonomy: tax}
			for _, ref := range p.meta.terms[i] {
				id := cfg.Canonical(tax.Key, ref.raw)
				if id == "" {
					continue
				}
				t := tax.byID[id]
				if t == nil {
					t = &Term{ID: id, Title: ref.raw, Taxonomy: tax}
					if v, ok := cfg.Vocabulary[tax.Key][id]; ok {
						t.Title, t.Description, t.Aliases, t.Known = v.Title, v.Description, v.Aliases, true
					}
					tax.byID[id] = t
					tax.Terms = append(tax.Terms, t)
				}
				if !slices.Contains(tl.Terms, t) {
					tl.Terms = append(tl.Terms, t)
					t.Reviews = append(t.Reviews, r)
					if !t.Known {
						spellings[t] = append(spellings[t], strings.TrimSpace(ref.raw))
					}
				}
			}
			r.Terms = append(r.Terms, tl)
		}
		seen := map[string]bool{}
		for _, id := range p.meta.responders {
			if !seen[id] {
				seen[id] = true
				r.Responders = append(r.Responders, s.person(id))
			}
		}
		seen = map[string]bool{}
		for _, id := range p.meta.investigators {
			if !seen[id] {
				seen[id] = true
				r.Investigators = append(r.Investigators, s.person(id))
			}
		}
		for _, raw := range p.meta.followUps {
			fu := raw.FollowUp
			fu.Review = r
			if raw.owner != "" {
				fu.Owner = s.person(raw.owner)
				fu.Owner.FollowUps = append(fu.Owner.FollowUps, &fu)
			}
			fu.Overdue = fu.Open() && !fu.Due.IsZero() && fu.Due.Before(s.Now)
			r.FollowUps = append(r.FollowUps, &fu)
			s.FollowUps = append(s.FollowUps, &fu)
		}
		for _, id := range p.body.Mentions {
			s.person(id)
		}
		if r.Timeline != nil {
			seenP := map[string]bool{}
			for _, ev := range r.Timeline.Events {
				for _, id := range ev.mentions {
					pp := s.person(id)
					ev.People = append(ev.People, pp)
					pp.Events++
					if ev.OffHours {
						pp.OffHours++
					}
					if !seenP[id] {
						seenP[id] = true
						r.Timeline.People = append(r.Timeline.People, pp)
					}
				}
			}
			slices.SortStableFunc(r.Timeline.People, func(a, b *Person) int { return strings.Compare(a.Name, b.Name) })
		}
		if cfg.Repo != "" {
			r.EditURL = cfg.Repo + "/edit/" + cfg.Branch + "/" + r.SourcePath
		}
	}
	for t, sp := range spellings {
		t.Title = mostCommon(sp)
	}
	for _, tax := range s.Taxonomies {
		for _, alias := range sortedKeys(cfg.Aliases(tax.Key)) {
			if t := tax.byID[cfg.Aliases(tax.Key)[alias]]; t != nil && tax.byID[alias] == nil {
				tax.byID[alias] = t
			}
		}
		slices.SortStableFunc(tax.Terms, func(a, b *Term) int {
			return cmp.Or(cmp.Compare(len(b.Reviews), len(a.Reviews)), strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)), strings.Compare(a.ID, b.ID))
		})
	}
	// These passes read the model and write disjoint fields: people and
	// term people, term co-occurrence, review related lists.
	var wg sync.WaitGroup
	wg.Go(s.peopleStats)
	wg.Go(s.cooccurrence)
	wg.Go(s.related)
	slices.SortStableFunc(s.FollowUps, compareFollowUps)
	wg.Wait()
}

func sortedKeys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for x := range m {
		k = append(k, x)
	}
	slices.Sort(k)
	return k
}

// compareFollowUps puts overdue first, then open ones by due date, then
// finished ones, newest review first.
func compareFollowUps(a, b *FollowUp) int {
	rank := func(f *FollowUp) int {
		switch {
		case f.Overdue:
			return 0
		case f.Status == "in-progress":
			return 1
		case f.Open():
			return 2
		case f.Status == "done":
			return 3
		}
		return 4
	}
	due := func(f *FollowUp) int64 {
		if f.Due.IsZero() {
			return math.MaxInt64
		}
		return f.Due.Unix()
	}
	return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(due(a), due(b)), byDateDesc(a.Review, b.Review), strings.Compare(a.Title, b.Title))
}

// peopleStats records each person's reviews and what they handled.
func (s *Site) peopleStats() {
	techs := s.taxonomy("technologies")
	svcs := s.taxonomy("services")
	for _, r := range s.Reviews {
		roles := map[*Person][]string{}
		var order []*Person
		for _, p := range r.Responders {
			if roles[p] == nil {
				order = append(order, p)
			}
			roles[p] = append(roles[p], "responder")
		}
		for _, p := range r.Investigators {
			if roles[p] == nil {
				order = append(order, p)
			}
			roles[p] = append(roles[p], "investigator")
		}
		for _, p := range order {
			p.Reviews = append(p.Reviews, PersonReview{Review: r, Roles: roles[p]})
		}
	}
	for _, id := range sortedKeys(s.byPerson) {
		p := s.byPerson[id]
		s.People = append(s.People, p)
		tc, sc := map[*Term]int{}, map[*Term]int{}
		for _, pr := range p.Reviews {
			if techs != nil {
				for _, t := range pr.Review.TermsOf(techs.Key) {
					tc[t]++
				}
			}
			if svcs != nil {
				for _, t := range pr.Review.TermsOf(svcs.Key) {
					sc[t]++
				}
			}
		}
		p.Technologies, p.Services = rankTerms(tc), rankTerms(sc)
		slices.SortStableFunc(p.FollowUps, compareFollowUps)
	}
	slices.SortStableFunc(s.People, func(a, b *Person) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.ID, b.ID))
	})
	// Who has handled each term, and whether one person carries it.
	parts := make(map[*Review][]*Person, len(s.Reviews))
	for _, r := range s.Reviews {
		parts[r] = participants(r)
	}
	for _, tax := range s.Taxonomies {
		for _, t := range tax.Terms {
			counts := map[*Person]int{}
			for _, r := range t.Reviews {
				for _, p := range parts[r] {
					counts[p]++
				}
			}
			for p, n := range counts {
				t.People = append(t.People, PersonCount{Person: p, Count: n})
			}
			slices.SortStableFunc(t.People, func(a, b PersonCount) int {
				return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Person.ID, b.Person.ID))
			})
			t.Concentration = concentration(t)
		}
	}
}

// Concentration thresholds: a term needs enough reviews for a pattern, and
// one person in at least two thirds of them.
const (
	concentrationMinReviews = 3
	concentrationShare      = 2.0 / 3
)

func concentration(t *Term) *Concentration {
	total := len(t.Reviews)
	if total < concentrationMinReviews || len(t.People) == 0 {
		return nil
	}
	top := t.People[0]
	if float64(top.Count)/float64(total) < concentrationShare {
		return nil
	}
	return &Concentration{Person: top.Person, Count: top.Count, Total: total, Percent: top.Count * 100 / total}
}

// participants are the distinct people who responded to or investigated a
// review.
func participants(r *Review) []*Person {
	var out []*Person
	for _, p := range r.Responders {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	for _, p := range r.Investigators {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

func rankTerms(m map[*Term]int) []TermCount {
	out := make([]TermCount, 0, len(m))
	for t, n := range m {
		out = append(out, TermCount{Term: t, Count: n})
	}
	slices.SortStableFunc(out, func(a, b TermCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Term.Taxonomy.Key, b.Term.Taxonomy.Key), strings.Compare(a.Term.ID, b.Term.ID))
	})
	return out
}

func (s *Site) taxonomy(key string) *Taxonomy {
	for _, t := range s.Taxonomies {
		if t.Key == key {
			return t
		}
	}
	return nil
}

// Taxonomy returns a taxonomy by key, or nil.
func (s *Site) Taxonomy(key string) *Taxonomy { return s.taxonomy(key) }

// Review returns a published review by slug, or nil.
func (s *Site) Review(slug string) *Review { return s.bySlug[slug] }

// Person returns a person by id, or nil.
func (s *Site) Person(id string) *Person { return s.byPerson[Normalize(id)] }

// maxCooccurring bounds the co-occurring terms listed on a term page.
const maxCooccurring = 8

// cooccurrence counts, for every term, the terms on the same reviews. The
// cost is the sum over reviews of (terms per review)², linear in reviews.
func (s *Site) cooccurrence() {
	counts := map[*Term]map[*Term]int{}
	for _, r := range s.Reviews {
		var all []*Term
		for _, tl := range r.Terms {
			all = append(all, tl.Terms...)
		}
		for _, a := range all {
			m := counts[a]
			if m == nil {
				m = map[*Term]int{}
				counts[a] = m
			}
			for _, b := range all {
				if a != b {
					m[b]++
				}
			}
		}
	}
	for _, tax := range s.Taxonomies {
		for _, t := range tax.Terms {
			ranked := rankTerms(counts[t])
			if len(ranked) > maxCooccurring {
				ranked = ranked[:maxCooccurring]
			}
			t.Cooccurring = ranked
		}
	}
}

// related fills each review's related list up to maxRelated: the authors'
// picks first, then the reviews sharing the most informative terms. A
// shared term weighs its inverse document frequency, so sharing a rare
// technology says more than sharing the "observability" theme.
//
// Terms carried by more than relatedMaxDF reviews are skipped: they say
// little about relatedness, and walking their postings for every review
// would make the whole computation quadratic on large libraries.
func (s *Site) related() {
	n := float64(len(s.Reviews))
	maxDF := max(relatedMaxDF, int(math.Sqrt(n)))
	index := make(map[*Review]int, len(s.Reviews))
	for i, r := range s.Reviews {
		index[r] = i
	}
	scores := make([]float64, len(s.Reviews))
	var touched []int
	for _, r := range s.Reviews {
		touched = touched[:0]
		for _, tl := range r.Terms {
			for _, t := range tl.Terms {
				df := len(t.Reviews)
				if df < 2 || df > maxDF {
					continue
				}
				w := math.Log(1 + n/float64(df))
				for _, o := range t.Reviews {
					if o == r {
						continue
					}
					i := index[o]
					if scores[i] == 0 {
						touched = append(touched, i)
					}
					scores[i] += w
				}
			}
		}
		// Keep the best few candidates in order rather than sorting all.
		better := func(a, b int) bool { return scores[a] > scores[b] || scores[a] == scores[b] && a < b }
		var best [maxRelated * 2]int
		nb := 0
		for _, i := range touched {
			if nb == len(best) && !better(i, best[nb-1]) {
				continue
			}
			if nb < len(best) {
				nb++
			}
			j := nb - 1
			for ; j > 0 && better(i, best[j-1]); j-- {
				best[j] = best[j-1]
			}
			best[j] = i
		}
		for _, i := range best[:nb] {
			if len(r.Related) >= maxRelated {
				break
			}
			if o := s.Reviews[i]; !slices.Contains(r.Related, o) {
				r.Related = append(r.Related, o)
			}
		}
		for _, i := range touched {
			scores[i] = 0
		}
	}
}

const relatedMaxDF = 200

func mostCommon(words []string) string {
	counts := map[string]int{}
	best := ""
	for _, w := range words {
		counts[w]++
	}
	for w, n := range counts {
		if best == "" || n > counts[best] || n == counts[best] && w < best {
			best = w
		}
	}
	return best
}
