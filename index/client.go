package index

import (
	"encoding/json"
	"time"

	"github.com/casebook/casebook/site"
)

// ClientIndexFile is where the build writes the client-side index, at the
// site root. search.js falls back to it when the site has no /api/search
// (a plain static host).
const ClientIndexFile = "search-index.json"

// clientIndex is the JSON search.js reads: enough to match titles,
// summaries, headings and terms and to filter and facet like the API,
// without the review bodies (which would make it as large as the site).
type clientIndex struct {
	Version    int            `json:"version"`
	Taxonomies []clientTax    `json:"taxonomies"`
	Reviews    []clientReview `json:"reviews"`
}

type clientTax struct {
	Key     string            `json:"key"`
	Title   string            `json:"title"`
	Terms   map[string]string `json:"terms"`             // id → title
	Aliases map[string]string `json:"aliases,omitempty"` // normalised alias → id
}

type clientReview struct {
	Slug     string              `json:"slug"`
	Title    string              `json:"title"`
	URL      string              `json:"url"`
	Date     string              `json:"date"`
	Summary  string              `json:"summary,omitempty"`
	Severity string              `json:"severity,omitempty"`
	Headings []string            `json:"headings,omitempty"`
	Terms    map[string][]string `json:"terms,omitempty"` // taxonomy key → term ids
}

// ClientIndex returns the client-side index of s as JSON.
func ClientIndex(s *site.Site) ([]byte, error) {
	ci := clientIndex{Version: 1, Taxonomies: []clientTax{}, Reviews: make([]clientReview, 0, len(s.Reviews))}
	for _, t := range newMeta(s).Taxonomies {
		ci.Taxonomies = append(ci.Taxonomies, clientTax{Key: t.Key, Title: t.Title, Terms: t.Terms, Aliases: t.Aliases})
	}
	for _, r := range s.Reviews {
		cr := clientReview{Slug: r.Slug, Title: r.Title, URL: r.URL(), Date: r.Date.Format(time.DateOnly),
			Summary: r.Summary, Severity: r.Severity, Headings: r.Headings}
		for _, tl := range r.Terms {
			if len(tl.Terms) == 0 {
				continue
			}
			if cr.Terms == nil {
				cr.Terms = map[string][]string{}
			}
			for _, t := range tl.Terms {
				cr.Terms[tl.Taxonomy.Key] = append(cr.Terms[tl.Taxonomy.Key], t.ID)
			}
		}
		ci.Reviews = append(ci.Reviews, cr)
	}
	return json.Marshal(ci)
}
