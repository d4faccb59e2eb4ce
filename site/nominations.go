package site

import (
	"cmp"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/site/frontmatter"
	"github.com/casebook/casebook/site/internal/markdown"
)

// Engineers nominate incidents worth learning from, whatever their impact,
// before anyone has written a review: a file in the reviews' place with
// status: nominated, a title, a date and why:. A nomination is not a
// review. It never reaches Site.Reviews, so no list, count, feed, search
// document, term, person, related link or insight includes it; it is
// listed on its own (Site.Nominations) until someone turns it into a
// draft (casebook new --from).

// Nomination is an incident proposed for a learning review.
type Nomination struct {
	Slug  string
	Title string
	Date  time.Time
	// Why is what is worth learning, as written; WhyHTML rendered as
	// inline Markdown.
	Why     string
	WhyHTML template.HTML
	// NominatedBy is nominated_by:, else the author; nil when neither is
	// given. NominatorHasPage says whether the site has a page for them
	// (they took part in a review, or have a profile).
	NominatedBy      *Person
	NominatorHasPage bool
	Terms            []NominatedTerm
	SourcePath       string
	EditURL          string
}

// Anchor is the nomination's place on the nominations page.
func (n *Nomination) Anchor() string { return "nomination-" + n.Slug }

// URL is the nomination's entry on the nominations page.
func (n *Nomination) URL() string { return NominationsURL + "#" + n.Anchor() }

// NominationsURL is the page that lists nominations.
const NominationsURL = "/nominations/"

// NominatedTerm is a term a nomination gives, with the library's term of
// that name when reviews carry it (nil otherwise: it has no page).
type NominatedTerm struct {
	Taxonomy string // the taxonomy's singular title
	Title    string
	Term     *Term
	// Field and Written are the front matter's field and value, for
	// the review started from the nomination.
	Field, Written string
}

// nominationMeta is what a nomination's front matter gives besides a
// review's fields.
type nominationMeta struct {
	why, by   string
	line, col int // of status:, which makes why: and a date needed
}

// decodeNomination reads why: and nominated_by:, reporting a missing why
// at the status that makes it needed.
func decodeNomination(d *frontmatter.Decoder, f *frontmatter.Node) *nominationMeta {
	m := &nominationMeta{why: strings.TrimSpace(d.Str(f, "why")), by: Normalize(d.Str(f, "nominated_by")), line: 1, col: 1}
	if st := f.Get("status"); st != nil {
		m.line, m.col = st.Line, st.Col
	}
	if m.why == "" {
		d.ErrAt(f.Get("status"), "status: nominated needs why: (what there is to learn from this incident)")
	}
	return m
}

// nominations makes Site.Nominations from the parsed nomination files,
// oldest first. A nomination with no date in its front matter or names is
// an error: "oldest first" needs one, and the body is not read for it.
func (s *Site) nominations(ps []*parsedReview, e *errs) {
	cfg := s.Config
	env := markdown.New(cfg.markdownConfig(), nil)
	for _, p := range ps {
		r, m := p.review, p.nomination
		if m == nil {
			continue
		}
		n := &Nomination{Slug: p.src.slug, Title: r.Title, Date: r.Date, Why: m.why, SourcePath: p.src.path}
		if n.Title == "" {
			n.Title = titleFromName(p.src.name)
		}
		if n.Date.IsZero() && !p.badDate {
			e.Add(p.src.path, m.line, m.col, "status: nominated needs a date: give date: or start the file name with YYYY-MM-DD")
		}
		n.WhyHTML, _ = env.Inline(m.why)
		by := m.by
		if by == "" && len(p.meta.investigators) > 0 {
			by = p.meta.investigators[0] // author: or authors:
		}
		if by != "" {
			_, n.NominatorHasPage = s.byPerson[by]
			n.NominatedBy = s.lookupPerson(by)
		}
		for i, tc := range cfg.Taxonomies {
			if i >= len(p.meta.terms) {
				break
			}
			tax := s.taxonomy(tc.Key)
			for _, ref := range p.meta.terms[i] {
				id := cfg.Canonical(tc.Key, ref.raw)
				if id == "" {
					continue
				}
				nt := NominatedTerm{Taxonomy: tc.Singular, Title: strings.TrimSpace(ref.raw), Field: tc.Field, Written: strings.TrimSpace(ref.raw)}
				if v, ok := cfg.Vocabulary[tc.Key][id]; ok {
					nt.Title = v.Title
				}
				if tax != nil {
					if t := tax.byID[id]; t != nil {
						nt.Term, nt.Title = t, t.Title
					}
				}
				n.Terms = append(n.Terms, nt)
			}
		}
		if cfg.Repo != "" {
			n.EditURL = cfg.Repo + "/edit/" + cfg.Branch + "/" + p.src.path
		}
		s.Nominations = append(s.Nominations, n)
	}
	slices.SortStableFunc(s.Nominations, func(a, b *Nomination) int {
		return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.Slug, b.Slug))
	})
}
