package render

import (
	"fmt"
	"strings"

	"github.com/casebook/casebook/site"
)

// Kind names a kind of page, and the template that renders it
// (templates/<kind>.html). It is a string, so templates compare it with
// string constants: {{if eq .Kind "review"}}.
type Kind string

// The page kinds, in the order of the package doc's table.
const (
	KindHome      Kind = "home"
	KindReviews   Kind = "reviews"
	KindReview    Kind = "review"
	KindTaxonomy  Kind = "taxonomy"
	KindTerm      Kind = "term"
	KindPaths     Kind = "paths"
	KindPath      Kind = "path"
	KindPeople    Kind = "people"
	KindPerson    Kind = "person"
	KindExpertise Kind = "expertise"
	KindFollowUps Kind = "follow-ups"
	KindInsights  Kind = "insights"
	KindSearch    Kind = "search"
	Kind404       Kind = "404"
	// KindCompare is /compare/: two reviews' depth side by side.
	KindCompare Kind = "compare"
)

// KindNominations lists the incidents awaiting a learning review.
const KindNominations Kind = "nominations"

// Kinds lists every page kind; a theme has a template for each.
func Kinds() []Kind {
	return []Kind{KindHome, KindReviews, KindReview, KindTaxonomy, KindTerm, KindPaths, KindPath,
		KindPeople, KindPerson, KindExpertise, KindFollowUps, KindInsights, KindSearch, Kind404,
		KindNominations, KindCompare}
}

// Page is what a theme template is executed with. Site, Kind, URL and
// Title are always set; the other fields are set by the kinds the package
// doc lists for them, and nil otherwise.
type Page struct {
	Site     *site.Site
	Kind     Kind
	URL      string // root-relative, e.g. /reviews/db-failover/
	Title    string
	Review   *site.Review
	Taxonomy *site.Taxonomy
	Term     *site.Term
	Path     *site.Path
	Person   *site.Person
	// Pager is set on the list kinds (reviews, term, follow-ups), and
	// Reviews or FollowUps to the items of this page of the list.
	Pager     *Pager
	Reviews   []*site.Review
	FollowUps []*site.FollowUp
}

// makePages lists every page of s: the site's own pages first, then one
// per review, taxonomy, term, path and person, in the model's order.
func makePages(s *site.Site) []*Page {
	size := pageSize(s)
	reviews := paginate(len(s.Reviews), size, "/reviews/", func(pg *Pager, from, to int) *Page {
		return &Page{Kind: KindReviews, URL: pg.URL(pg.Number), Title: pagedTitle("All reviews", pg), Pager: pg, Reviews: s.Reviews[from:to]}
	})
	followUps := paginate(len(s.FollowUps), size, "/follow-ups/", func(pg *Pager, from, to int) *Page {
		return &Page{Kind: KindFollowUps, URL: pg.URL(pg.Number), Title: pagedTitle("Follow-ups", pg), Pager: pg, FollowUps: s.FollowUps[from:to]}
	})
	pages := []*Page{{Kind: KindHome, URL: "/", Title: s.Config.Title}}
	pages = append(pages, reviews...)
	pages = append(pages,
		&Page{Kind: KindPaths, URL: "/paths/", Title: "Training paths"},
		&Page{Kind: KindPeople, URL: "/people/", Title: "People"},
		&Page{Kind: KindExpertise, URL: "/expertise/", Title: "Expertise map"})
	pages = append(pages, followUps...)
	pages = append(pages,
		&Page{Kind: KindInsights, URL: "/insights/", Title: "Insights"},
		&Page{Kind: KindSearch, URL: "/search/", Title: "Search"},
		&Page{Kind: Kind404, URL: "/404.html", Title: "Page not found"},
		&Page{Kind: KindNominations, URL: site.NominationsURL, Title: "Nominations"},
		&Page{Kind: KindCompare, URL: "/compare/", Title: "Compare reviews"})
	for _, rv := range s.Reviews {
		pages = append(pages, &Page{Kind: KindReview, URL: rv.URL(), Title: rv.Title, Review: rv})
	}
	for _, t := range s.Taxonomies {
		pages = append(pages, &Page{Kind: KindTaxonomy, URL: t.URL(), Title: t.Title, Taxonomy: t})
		for _, term := range t.Terms {
			pages = append(pages, paginate(len(term.Reviews), size, term.URL(), func(pg *Pager, from, to int) *Page {
				return &Page{Kind: KindTerm, URL: pg.URL(pg.Number), Title: pagedTitle(term.Title, pg), Taxonomy: t, Term: term, Pager: pg, Reviews: term.Reviews[from:to]}
			})...)
		}
	}
	for _, p := range s.Paths {
		pages = append(pages, &Page{Kind: KindPath, URL: p.URL(), Title: p.Title, Path: p})
	}
	for _, p := range s.People {
		pages = append(pages, &Page{Kind: KindPerson, URL: p.URL(), Title: p.Name, Person: p})
	}
	for _, p := range pages {
		p.Site = s
	}
	return pages
}

// pagedTitle is a list page's title: the list's, with the page number
// after the first, so that tabs, history and search results tell the
// pages apart.
func pagedTitle(title string, pg *Pager) string {
	if pg.Number == 1 {
		return title
	}
	return fmt.Sprintf("%s (page %d of %d)", title, pg.Number, pg.Count)
}

// Description is a sentence about the page for search engines and link
// previews: a review's summary, a path's, a term's description, or what
// the page lists.
func (p *Page) Description() string {
	title := p.Site.Config.Title
	switch {
	case p.Review != nil && p.Review.Summary != "":
		return p.Review.Summary
	case p.Path != nil && p.Path.Summary != "":
		return p.Path.Summary
	case p.Term != nil && p.Term.Description != "":
		return p.Term.Description
	case p.Term != nil:
		return fmt.Sprintf("%s: %s in %s.", p.Term.Title, plural(p.Term.Count(), "incident review", "incident reviews"), title)
	case p.Taxonomy != nil:
		return fmt.Sprintf("Incident reviews in %s by %s.", title, strings.ToLower(p.Taxonomy.Singular))
	case p.Person != nil:
		return fmt.Sprintf("%s: %s in %s.", p.Person.Name, plural(len(p.Person.Reviews), "incident review", "incident reviews"), title)
	}
	return "Incident reviews from " + title + ": what happened, what we learnt, and what we changed."
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
