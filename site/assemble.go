package site

import (
	"cmp"
	"context"
	"io/fs"
	"maps"
	"math"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/casebook/casebook/internal/parallel"
	"github.com/casebook/casebook/site/frontmatter"
	"github.com/casebook/casebook/site/internal/markdown"
)

// Load reads a library: Parse, then Assemble. It returns the site and
// nil, or nil and an ErrorList with every problem found.
func Load(ctx context.Context, fsys fs.FS, opts Options) (*Site, error) {
	lib, err := Parse(ctx, fsys, opts)
	if err != nil {
		return nil, err
	}
	// Nothing else sees this Library, and without a Cache nothing keeps
	// its parse results for another load: Assemble may take them apart.
	lib.owned = opts.Cache == nil
	return Assemble(lib)
}

// Assemble links a parsed library into a site: people and their bios,
// reviews and the links between them, taxonomies, related reviews,
// follow-ups, training paths and insights. Its error is an ErrorList of
// every problem, Parse's included.
func Assemble(lib *Library) (*Site, error) {
	opts, cfg := lib.opts, lib.Config
	e := errs{List: slices.Clone(lib.errs)}
	s := &Site{Config: cfg, Now: opts.Now.In(cfg.Location), Source: lib.fsys,
		Static: maps.Clone(lib.static), bySlug: map[string]*Review{}, byPerson: map[string]*Person{}}

	for _, p := range lib.parsed {
		if r := p.review; r != nil && !p.published {
			switch {
			case r.Draft() && !opts.Drafts:
				s.LeftOut.Drafts++
			case r.Restricted() && !opts.IncludeRestricted:
				s.LeftOut.Restricted++
			}
		}
	}
	s.people(lib.profiles, lib.publish, &e)
	// Each review is made from its own parse result, and reads only the
	// people, known by now: on every CPU.
	made := make([]*Review, len(lib.publish))
	parallel.For(len(lib.publish), func(i int) {
		p := lib.publish[i]
		made[i] = p.instantiate(lib.owned)
		s.nameMentions(made[i], p.body.Mentions)
	})
	included := make(map[string]*Review, len(lib.publish))
	for i, p := range lib.publish {
		r := made[i]
		included[p.src.path] = r
		s.Reviews = append(s.Reviews, r)
		s.bySlug[r.Slug] = r
		if p.src.dir != "" {
			for _, f := range p.src.files {
				s.Static["reviews/"+r.Slug+"/"+strings.TrimPrefix(f, p.src.dir+"/")] = f
			}
		}
	}
	slices.SortStableFunc(s.Reviews, func(a, b *Review) int {
		return cmp.Or(b.Date.Compare(a.Date), strings.Compare(a.Slug, b.Slug))
	})

	s.linkReviews(lib.parsed, lib.all, included, &e)
	s.assemble(lib.parsed, included, &e)
	s.loadPaths(lib.paths, lib.all, lib.opts.AsBuilt, &e)
	s.participation(lib.rota, &e)
	s.measureDepth(lib.fsys, opts.Readers, &e)
	s.Insights = computeInsights(s)
	s.Insights.TagQuarters, s.Insights.Tags = tagTrends(s)
	s.Insights.Depth = depthByQuarter(s, s.Insights.Quarters)
	s.nominations(lib.nominate, &e)
	s.strainInsights(s.Insights)

	if err := e.List.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// instantiate makes a fresh Review from a parse result. Parse results may
// be cached across loads, so the model never mutates them, unless take
// says that nothing will read this one again: then the Review is the
// parse's own, and the body keeps only what Assemble reads of it later,
// so that the front matter's copy of the review and the body's timeline
// (a fifth of what a large library's load keeps besides the model) need
// not stay until the load ends.
func (p *parsedReview) instantiate(take bool) *Review {
	var r *Review
	switch {
	case take && p.final != nil:
		r, p.review = p.final, p.final
	case take:
		r = p.review
	case p.final != nil:
		c := *p.final
		r = &c
	default:
		c := *p.review
		r = &c
	}
	b := p.body
	if take {
		p.body = &markdown.Body{Links: b.Links, Mentions: b.Mentions}
	}
	r.html, r.TOC, r.Headings, r.text, r.WordCount = b.HTML, b.TOC, b.Headings, b.Text, b.Words
	if r.Title == "" {
		r.Title = b.H1
	}
	if b.Timeline != nil {
		r.Timeline = newTimeline(b.Timeline)
	}
	if img := b.Image; img != "" {
		if !strings.Contains(img, "://") && !strings.HasPrefix(img, "/") {
			img = r.URL() + img // relative to the review's page: a bundle's
		}
		r.Image = img
	}
	if r.Summary == "" {
		r.Summary = firstWords(b.Lead, 40)
	}
	r.Depth.bodyDifficulties = p.difficulties
	return r
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
	p := s.lookupPerson(id)
	s.byPerson[id] = p
	return p
}

// lookupPerson is person without adding a new person to the site.
func (s *Site) lookupPerson(id string) *Person {
	if p, ok := s.byPerson[id]; ok {
		return p
	}
	return &Person{ID: id, Name: nameFromID(id), Params: map[string]any{}}
}

// personIDs yields everyone a review names, and so gives a page: its
// responders, investigators, follow-up owners and the people its body and
// timeline mention. assemble creates exactly these people; people() needs
// the same set before that, to know which mentions in bios may link.
func (p *parsedReview) personIDs(yield func(string) bool) {
	for _, ids := range [][]string{p.linked().responders, p.linked().investigators, p.body.Mentions} {
		for _, id := range ids {
			if !yield(id) {
				return
			}
		}
	}
	for _, fu := range p.linked().followUps {
		if fu.owner != "" && !yield(fu.owner) {
			return
		}
	}
}

// uniquePeople is the people with the ids, each once, in order.
func uniquePeople(ids []string, person func(string) *Person) []*Person {
	var out []*Person
	seen := map[string]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, person(id))
		}
	}
	return out
}

// timelinePeople links a timeline's events to the people they mention,
// and lists those people by name.
func timelinePeople(tl *Timeline, person func(string) *Person) {
	seen := map[string]bool{}
	for _, ev := range tl.Events {
		for _, id := range ev.mentions {
			pp := person(id)
			ev.People = append(ev.People, pp)
			if !seen[id] {
				seen[id] = true
				tl.People = append(tl.People, pp)
			}
		}
	}
	slices.SortStableFunc(tl.People, func(a, b *Person) int { return strings.Compare(a.Name, b.Name) })
}

// termFor is the term a front matter value names in a taxonomy: the
// taxonomy's own, or a new one (isNew) that the caller may add, titled as
// written or as the vocabulary declares it. nil when the value is blank.
func termFor(cfg *Config, tax *Taxonomy, raw string) (t *Term, isNew bool) {
	id := cfg.Canonical(tax.Key, raw)
	if id == "" {
		return nil, false
	}
	if t := tax.byID[id]; t != nil {
		return t, false
	}
	t = &Term{ID: id, Title: strings.TrimSpace(raw), Taxonomy: tax}
	if v, ok := cfg.Vocabulary[tax.Key][id]; ok {
		t.Title, t.Description, t.Aliases, t.Known = v.Title, v.Description, v.Aliases, true
	}
	return t, true
}

// followUp makes one of a review's follow-ups; owner finds its owner.
func (s *Site) followUp(raw rawFollowUp, r *Review, owner func(string) *Person) *FollowUp {
	fu := raw.FollowUp
	fu.Review = r
	if raw.owner != "" {
		fu.Owner = owner(raw.owner)
	}
	fu.Overdue = fu.Open() && !fu.Due.IsZero() && fu.Due.Before(s.Now)
	return &fu
}

func nameFromID(id string) string {
	if initials(id) {
		return strings.ToUpper(id) // JD, not Jd
	}
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
func (s *Site) people(files []sourceFile, publish []*parsedReview, e *errs) {
	// Bios render before reviews are assembled, so who has a page is worked
	// out here from the same sources that create people: profiles, and the
	// responders, investigators, owners and mentions of published reviews.
	known := map[string]bool{}
	for _, f := range files {
		name := path.Base(f.path)
		known[Normalize(strings.TrimSuffix(name, path.Ext(name)))] = true
	}
	for _, p := range publish {
		for id := range p.personIDs {
			known[id] = true
		}
	}
	mc := s.Config.markdownConfig()
	mc.People = func(id string) bool { return known[id] }
	env := markdown.New(mc, nil)
	for _, sf := range files {
		f, fm := sf.path, sf.fm
		d := &frontmatter.Decoder{Path: f, Errs: e, Loc: s.Config.Location}
		name := path.Base(f)
		id := Normalize(strings.TrimSuffix(name, path.Ext(name)))
		p := s.person(id)
		p.HasProfile = true
		if n := d.Str(fm.Fields, "name"); n != "" {
			p.Name, p.named = n, true
		}
		p.Team = d.Str(fm.Fields, "team")
		p.Role = d.Str(fm.Fields, "role")
		p.Joined, _ = d.Time(fm.Fields, "joined")
		p.Timezone, p.Location = profileZone(d, fm.Fields)
		for _, k := range fm.Fields.Keys {
			switch k {
			case "name", "team", "role", "joined", "timezone":
			default:
				p.Params[k] = fm.Fields.Fields[k].Plain()
			}
		}
		bio, h1, _ := env.HTML(f, fm.Body, fm.BodyLine)
		p.Bio = bio
		if p.Name == id || p.Name == nameFromID(id) {
			if h1 != "" {
				p.Name, p.named = h1, true
			}
		}
	}
	s.nameBioMentions()
}

// target is the slug of the review an authors' related pick names, which
// may be written as a slug, a file name or a path.
func (ref relRef) target() string {
	if strings.HasSuffix(ref.slug, "/") || !strings.Contains(path.Base(ref.slug), ".") {
		return Slugify(path.Base(strings.TrimSuffix(ref.slug, "/")))
	}
	return Slugify(strings.TrimSuffix(path.Base(ref.slug), path.Ext(ref.slug)))
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
			slug := ref.target()
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
				e.Add(p.src.path, ref.line, ref.col, "related: no review with slug %q", ref.slug)
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
	var unknown []*Term
	byPath := map[*Review]*parsedReview{}
	for _, p := range parsed {
		if r := included[p.src.path]; r != nil {
			byPath[r] = p
		}
	}
	for _, r := range s.Reviews {
		p := byPath[r]
		if r.Title == "" && !p.broken && !p.badTitle {
			e.Add(p.src.path, 1, 1, "no title: add title: to the front matter, or start the body with a # heading")
		}
		for i, tax := range s.Taxonomies {
			tl := &TermList{Taxonomy: tax}
			for _, ref := range p.linked().terms[i] {
				t, isNew := termFor(cfg, tax, ref.raw)
				if t == nil {
					continue
				}
				if isNew {
					tax.byID[t.ID] = t
					tax.Terms = append(tax.Terms, t)
				}
				if !slices.Contains(tl.Terms, t) {
					tl.Terms = append(tl.Terms, t)
					t.Reviews = append(t.Reviews, r)
					if !t.Known {
						if t.spellings == nil {
							t.spellings = map[string]int{}
							unknown = append(unknown, t)
						}
						t.spellings[strings.TrimSpace(ref.raw)]++
					}
				}
			}
			r.Terms = append(r.Terms, tl)
		}
		r.Responders = uniquePeople(p.linked().responders, s.person)
		r.Investigators = uniquePeople(p.linked().investigators, s.person)
		for _, raw := range p.linked().followUps {
			fu := s.followUp(raw, r, s.person)
			if fu.Owner != nil {
				fu.Owner.FollowUps = append(fu.Owner.FollowUps, fu)
			}
			r.FollowUps = append(r.FollowUps, fu)
			s.FollowUps = append(s.FollowUps, fu)
		}
		for _, id := range p.body.Mentions {
			s.person(id)
		}
		if r.Timeline != nil {
			timelinePeople(r.Timeline, s.person)
			for _, ev := range r.Timeline.Events {
				for _, pp := range ev.People {
					pp.Events++
					// Outside working hours where the person is, as the
					// strain measures read them; the event's own mark
					// is in the library's time zone.
					loc := cmp.Or(pp.Location, s.Config.Location)
					if !ev.Time.IsZero() && !s.Config.WorkHours.Contains(ev.Time.In(loc)) {
						pp.OffHours++
					}
				}
			}
		}
		if cfg.Repo != "" {
			r.EditURL = cfg.Repo + "/edit/" + cfg.Branch + "/" + r.SourcePath
		}
	}
	s.dropUnusedImplicit()
	for _, t := range unknown {
		t.Title = mostCommon(t.spellings)
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
	nb := s.number()
	// These passes read the model and write disjoint fields: people and
	// term people, term co-occurrence, review related lists, follow-up
	// order.
	var wg sync.WaitGroup
	wg.Go(func() { s.peopleStats(nb) })
	wg.Go(func() { s.cooccurrence(nb) })
	wg.Go(func() { s.related(nb) })
	s.sortFollowUps()
	wg.Wait()
}

// numbering is the model as the counting passes read it: reviews and
// terms by dense index, and each review's terms as indexes in one compact
// array, which is several times faster to walk than the pointers.
type numbering struct {
	terms       []*Term
	taxOf       []int     // terms[i] is in s.Taxonomies[taxOf[i]]
	reviewTerms [][]int32 // by review index
	postings    [][]int32 // by term index: its reviews' indexes
}

func (s *Site) number() numbering {
	var nb numbering
	for ti, tax := range s.Taxonomies {
		for _, t := range tax.Terms {
			t.n = len(nb.terms)
			nb.terms = append(nb.terms, t)
			nb.taxOf = append(nb.taxOf, ti)
		}
	}
	total := 0
	for i, r := range s.Reviews {
		r.n = i
		for _, tl := range r.Terms {
			total += len(tl.Terms)
		}
	}
	flat := make([]int32, 0, total)
	nb.reviewTerms = make([][]int32, len(s.Reviews))
	for i, r := range s.Reviews {
		start := len(flat)
		for _, tl := range r.Terms {
			for _, t := range tl.Terms {
				flat = append(flat, int32(t.n))
			}
		}
		nb.reviewTerms[i] = flat[start:len(flat):len(flat)]
	}
	post := make([]int32, 0, total)
	nb.postings = make([][]int32, len(nb.terms))
	for i, t := range nb.terms {
		start := len(post)
		for _, r := range t.Reviews {
			post = append(post, int32(r.n))
		}
		nb.postings[i] = post[start:len(post):len(post)]
	}
	return nb
}

// tally counts occurrences of small indexes in a reused slice and
// remembers which it touched, so that reading and clearing it costs what
// was counted rather than its size.
type tally struct {
	counts  []int
	touched []int
}

func newTally(n int) *tally { return &tally{counts: make([]int, n)} }

func (t *tally) add(i int) {
	if t.counts[i] == 0 {
		t.touched = append(t.touched, i)
	}
	t.counts[i]++
}

func (t *tally) reset() {
	for _, i := range t.touched {
		t.counts[i] = 0
	}
	t.touched = t.touched[:0]
}

// termCounts ranks the terms a tally counted, and resets it.
func (t *tally) termCounts(terms []*Term) []TermCount {
	out := make([]TermCount, 0, len(t.touched))
	for _, i := range t.touched {
		out = append(out, TermCount{Term: terms[i], Count: t.counts[i]})
	}
	t.reset()
	slices.SortFunc(out, compareTermCounts)
	return out
}

// topTerms is termCounts cut to its first k, found without sorting all.
func (t *tally) topTerms(terms []*Term, k int) []TermCount {
	out := make([]TermCount, 0, k)
	for _, i := range t.touched {
		c := TermCount{Term: terms[i], Count: t.counts[i]}
		if len(out) == k && compareTermCounts(c, out[k-1]) >= 0 {
			continue
		}
		if len(out) < k {
			out = append(out, c)
		}
		j := len(out) - 1
		for ; j > 0 && compareTermCounts(c, out[j-1]) < 0; j-- {
			out[j] = out[j-1]
		}
		out[j] = c
	}
	t.reset()
	return out
}

// compareTermCounts puts the most counted first, then by taxonomy and id.
func compareTermCounts(a, b TermCount) int {
	return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Term.Taxonomy.Key, b.Term.Taxonomy.Key), strings.Compare(a.Term.ID, b.Term.ID))
}

func sortedKeys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for x := range m {
		k = append(k, x)
	}
	slices.Sort(k)
	return k
}

// sortFollowUps puts overdue follow-ups first, then open ones by due
// date, then finished ones, newest review first; and gives each owner
// their follow-ups in the same order.
func (s *Site) sortFollowUps() {
	type keyed struct {
		fu   *FollowUp
		rank int
		due  int64
	}
	ks := make([]keyed, len(s.FollowUps))
	for i, f := range s.FollowUps {
		k := keyed{fu: f, rank: 4, due: math.MaxInt64}
		switch {
		case f.Overdue:
			k.rank = 0
		case f.Status == "in-progress":
			k.rank = 1
		case f.Open():
			k.rank = 2
		case f.Status == "done":
			k.rank = 3
		}
		if !f.Due.IsZero() {
			k.due = f.Due.Unix()
		}
		ks[i] = k
	}
	// Reviews are numbered newest first (byDateDesc), so their numbers
	// order follow-ups by review.
	slices.SortStableFunc(ks, func(a, b keyed) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.due, b.due), cmp.Compare(a.fu.Review.n, b.fu.Review.n), strings.Compare(a.fu.Title, b.fu.Title))
	})
	// Each owner's list was appended in the same order as the whole list,
	// so filtering the sorted whole is the same as a stable sort of each.
	for _, p := range s.byPerson {
		p.FollowUps = p.FollowUps[:0]
	}
	for i, k := range ks {
		s.FollowUps[i] = k.fu
		if o := k.fu.Owner; o != nil {
			o.FollowUps = append(o.FollowUps, k.fu)
		}
	}
}

// peopleStats records each person's reviews and what they handled.
func (s *Site) peopleStats(nb numbering) {
	terms := nb.terms
	techs, svcs := -1, -1
	for i, tax := range s.Taxonomies {
		switch tax.Key {
		case s.Config.ExpertiseTaxonomies.Technologies:
			techs = i
		case s.Config.ExpertiseTaxonomies.Services:
			svcs = i
		}
	}
	for _, r := range s.Reviews {
		for _, p := range participants(r) {
			var roles []string
			if slices.Contains(r.Responders, p) {
				roles = append(roles, "responder")
			}
			if slices.Contains(r.Investigators, p) {
				roles = append(roles, "investigator")
			}
			p.Reviews = append(p.Reviews, PersonReview{Review: r, Roles: roles})
		}
	}
	for _, id := range sortedKeys(s.byPerson) {
		s.People = append(s.People, s.byPerson[id])
	}
	slices.SortStableFunc(s.People, func(a, b *Person) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.ID, b.ID))
	})
	tc, sc := newTally(len(terms)), newTally(len(terms))
	for i, p := range s.People {
		p.n = i
		for _, pr := range p.Reviews {
			for _, t := range nb.reviewTerms[pr.Review.n] {
				switch nb.taxOf[t] {
				case techs:
					tc.add(int(t))
				case svcs:
					sc.add(int(t))
				}
			}
		}
		p.Technologies, p.Services = tc.termCounts(terms), sc.termCounts(terms)
	}
	// Who has handled each term, and whether one person carries it.
	parts := make([][]*Person, len(s.Reviews))
	for _, r := range s.Reviews {
		parts[r.n] = participants(r)
	}
	pc := newTally(len(s.People))
	for ti, t := range terms {
		for _, r := range nb.postings[ti] {
			for _, p := range parts[r] {
				pc.add(p.n)
			}
		}
		t.People = make([]PersonCount, 0, len(pc.touched))
		for _, i := range pc.touched {
			t.People = append(t.People, PersonCount{Person: s.People[i], Count: pc.counts[i]})
		}
		pc.reset()
		slices.SortFunc(t.People, func(a, b PersonCount) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Person.ID, b.Person.ID))
		})
		t.Concentration = concentration(t)
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

// AbsURL makes a site URL ("/reviews/x/") absolute with the library's
// baseURL, path included.
func (s *Site) AbsURL(u string) string {
	return strings.TrimSuffix(s.Config.BaseURL, "/") + u
}

// maxCooccurring bounds the co-occurring terms listed on a term page.
const maxCooccurring = 8

// cooccurrence counts, for every term, the terms on the same reviews. The
// cost is the sum over reviews of (terms per review)², linear in reviews.
func (s *Site) cooccurrence(nb numbering) {
	tl := newTally(len(nb.terms))
	for ai, a := range nb.terms {
		for _, r := range nb.postings[ai] {
			for _, b := range nb.reviewTerms[r] {
				if int(b) != ai {
					tl.add(int(b))
				}
			}
		}
		a.Cooccurring = tl.topTerms(nb.terms, maxCooccurring)
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
func (s *Site) related(nb numbering) {
	scores := make([]float64, len(s.Reviews))
	var touched []int
	for ri, r := range s.Reviews {
		touched = touched[:0]
		for _, t := range nb.reviewTerms[ri] {
			post := nb.postings[t]
			w := relatedWeight(len(s.Reviews), len(post))
			if w == 0 {
				continue
			}
			for _, o := range post {
				if int(o) != ri {
					touched = addScore(scores, touched, int(o), w)
				}
			}
		}
		s.addRelated(r, touched, scores)
		for _, i := range touched {
			scores[i] = 0
		}
	}
}

// addRelated appends to r's related list, up to maxRelated, the reviews
// (by index in s.Reviews) with the best scores, ties to the newest.
func (s *Site) addRelated(r *Review, touched []int, scores []float64) {
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
}

// addScore adds w to review i's related score, noting i in touched the
// first time, so that only touched scores need clearing.
func addScore(scores []float64, touched []int, i int, w float64) []int {
	if scores[i] == 0 {
		touched = append(touched, i)
	}
	scores[i] += w
	return touched
}

// relatedWeight is how much sharing a term carried by df reviews says
// about two reviews, or 0 when it says too little to count.
func relatedWeight(n, df int) float64 {
	if df < 2 || df > max(relatedMaxDF, int(math.Sqrt(float64(n)))) {
		return 0
	}
	return math.Log(1 + float64(n)/float64(df))
}

const relatedMaxDF = 200

// mostCommon is the spelling with the most votes, the first in byte
// order among equals; "" when none has a vote.
func mostCommon(votes map[string]int) string {
	best := ""
	for w, n := range votes {
		if n > 0 && (best == "" || n > votes[best] || n == votes[best] && w < best) {
			best = w
		}
	}
	return best
}

// dropUnusedImplicit removes the implicit taxonomies (tags, categories)
// that no review uses, from the site and from every review's terms.
func (s *Site) dropUnusedImplicit() {
	keep := make([]bool, len(s.Taxonomies))
	drop := false
	for i, tax := range s.Taxonomies {
		keep[i] = !s.Config.Taxonomies[i].Implicit || len(tax.Terms) > 0
		drop = drop || !keep[i]
	}
	if !drop {
		return
	}
	filter := func(n int, at func(i int) bool) []int {
		var idx []int
		for i := range n {
			if at(i) {
				idx = append(idx, i)
			}
		}
		return idx
	}
	idx := filter(len(keep), func(i int) bool { return keep[i] })
	taxes := make([]*Taxonomy, 0, len(idx))
	for _, i := range idx {
		taxes = append(taxes, s.Taxonomies[i])
	}
	s.Taxonomies = taxes
	for _, r := range s.Reviews {
		terms := make([]*TermList, 0, len(idx))
		for _, i := range idx {
			terms = append(terms, r.Terms[i])
		}
		r.Terms = terms
	}
}

// initials reports whether an id is someone's initials rather than a
// name: two letters, or three without a vowel.
func initials(id string) bool {
	if len(id) < 2 || len(id) > 3 {
		return false
	}
	for _, c := range []byte(id) {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return len(id) == 2 || !strings.ContainsAny(id, "aeiouy")
}
