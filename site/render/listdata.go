package render

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/casebook/casebook/site"
)

// The list data files: what the filters of /reviews/ and /follow-ups/
// read once a list spans more than one page, so that filtering and
// sorting see the whole list without a server. A page names its file
// with a ?v= of the file's hash, so a host's cache never serves a stale
// one to a new page.
const (
	ReviewsDataFile   = "reviews/data.json"
	FollowUpsDataFile = "follow-ups/data.json"
)

// listData holds the data files, made once per renderer: the pages that
// name them render in parallel, and the preview serves them on demand.
type listData struct {
	once      sync.Once
	reviews   []byte
	followUps []byte
	versions  map[string]string // file → short hash
	// people are the IDs of each review's people, space-separated, for
	// the rows' data-people.
	people map[*site.Review]string
	counts FollowUpCounts
}

// FollowUpCounts summarise all of a site's follow-ups, counted once for
// the home page and each page of /follow-ups/ (template function
// followUpCounts).
type FollowUpCounts struct {
	Total, Open, NotStarted, InProgress, Done, WontDo, Overdue, Unowned int
}

func (r *Renderer) lists() *listData {
	d := &r.listData
	d.once.Do(func() {
		byReview := peopleByReview(r.site)
		d.reviews = reviewsData(r.site, byReview)
		d.people = map[*site.Review]string{}
		for rv, ps := range byReview {
			ids := make([]string, len(ps))
			for i, p := range ps {
				ids[i] = r.site.People[p].ID
			}
			d.people[rv] = strings.Join(ids, " ")
		}
		d.counts = countFollowUps(r.site.FollowUps)
		d.followUps = followUpsData(r.site)
		d.versions = map[string]string{ReviewsDataFile: version(d.reviews), FollowUpsDataFile: version(d.followUps)}
	})
	return d
}

// listDataURL is the root-relative URL of a data file with its version,
// for a template's data-src.
func (r *Renderer) listDataURL(file string) string {
	return "/" + file + "?v=" + r.lists().versions[file]
}

func version(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:5])
}

func countFollowUps(list []*site.FollowUp) FollowUpCounts {
	c := FollowUpCounts{Total: len(list)}
	for _, f := range list {
		switch f.Status {
		case "open":
			c.NotStarted++
		case "in-progress":
			c.InProgress++
		case "done":
			c.Done++
		case "wont-do":
			c.WontDo++
		}
		if f.Open() {
			c.Open++
			if f.Owner == nil {
				c.Unowned++
			}
		}
		if f.Overdue {
			c.Overdue++
		}
	}
	return c
}

// personIDs is a review's people as its /reviews/ row's data-people: the
// people whose pages list it.
func (r *Renderer) personIDs(rv *site.Review) string { return r.lists().people[rv] }

// peopleByReview are the people whose pages list each review, as
// indexes into s.People, in its order.
func peopleByReview(s *site.Site) map[*site.Review][]int {
	m := map[*site.Review][]int{}
	for i, p := range s.People {
		for _, pr := range p.Reviews {
			m[pr.Review] = append(m[pr.Review], i)
		}
	}
	return m
}

// reviewsData is ReviewsDataFile. Rows are arrays, not objects, and terms
// and people are numbers into the file's own tables: at 100,000 reviews
// the names would otherwise be most of the file.
//
//	{"terms":   [[taxonomy key, term ID, title, taxonomy's singular], ...],
//	 "people":  [[ID, name], ...],
//	 "reviews": [[slug, title, date, severity, severity rank, [term], [person],
//	             open follow-ups, [investigate days, reach days, factors, people, readers],
//	             flags (1 draft, 2 restricted)], ...]}
//
// Reviews are newest first, as the pages list them; the depth numbers are
// those of the table's columns, -1 for unknown.
func reviewsData(s *site.Site, byReview map[*site.Review][]int) []byte {
	termIdx := map[*site.Term]int{}
	terms := [][]string{}
	for _, t := range s.Taxonomies {
		for _, term := range t.Terms {
			termIdx[term] = len(terms)
			terms = append(terms, []string{t.Key, term.ID, term.Title, t.Singular})
		}
	}
	people := make([][]string, len(s.People))
	for i, p := range s.People {
		people[i] = []string{p.ID, p.Name}
	}
	rows := make([][]any, len(s.Reviews))
	for i, rv := range s.Reviews {
		ts := []int{}
		for _, tl := range rv.Terms {
			for _, t := range tl.Terms {
				ts = append(ts, termIdx[t])
			}
		}
		ps := byReview[rv]
		if ps == nil {
			ps = []int{}
		}
		flags := 0
		if rv.Draft() {
			flags |= 1
		}
		if rv.Restricted() {
			flags |= 2
		}
		d := rv.Depth
		rows[i] = []any{rv.Slug, rv.Title, rv.Date.Format(time.DateOnly), rv.Severity, s.Config.SeverityRank(rv.Severity),
			ts, ps, rv.OpenFollowUps(), []int{d.InvestigateDays(), d.ReachDays(), d.Factors, d.People, d.ReaderCount()}, flags}
	}
	b, _ := json.Marshal(struct {
		Terms   [][]string `json:"terms"`
		People  [][]string `json:"people"`
		Reviews [][]any    `json:"reviews"`
	}{terms, people, rows})
	return append(b, '\n')
}

// followUpsData is FollowUpsDataFile, in the page's order (overdue and
// open first):
//
//	{"reviews":   [[slug, title, [service]], ...],
//	 "people":    [[ID, name], ...],
//	 "services":  [[term ID, title], ...],
//	 "followUps": [[title, review, owner (-1: nobody), status, due ("" if none),
//	               overdue (0 or 1), tracker link], ...]}
//
// Only the reviews and people that follow-ups name are in its tables.
func followUpsData(s *site.Site) []byte {
	services := [][]string{}
	svcIdx := map[*site.Term]int{}
	if t := s.Taxonomy("services"); t != nil {
		for _, term := range t.Terms {
			svcIdx[term] = len(services)
			services = append(services, []string{term.ID, term.Title})
		}
	}
	reviews := [][]any{}
	revIdx := map[*site.Review]int{}
	people := [][]string{}
	personIdx := map[*site.Person]int{}
	rows := make([][]any, len(s.FollowUps))
	for i, f := range s.FollowUps {
		ri, ok := revIdx[f.Review]
		if !ok {
			svc := []int{}
			for _, t := range f.Review.TermsOf("services") {
				svc = append(svc, svcIdx[t])
			}
			ri = len(reviews)
			revIdx[f.Review] = ri
			reviews = append(reviews, []any{f.Review.Slug, f.Review.Title, svc})
		}
		owner := -1
		if f.Owner != nil {
			pi, ok := personIdx[f.Owner]
			if !ok {
				pi = len(people)
				personIdx[f.Owner] = pi
				people = append(people, []string{f.Owner.ID, f.Owner.Name})
			}
			owner = pi
		}
		due := ""
		if !f.Due.IsZero() {
			due = f.Due.Format(time.DateOnly)
		}
		overdue := 0
		if f.Overdue {
			overdue = 1
		}
		rows[i] = []any{f.Title, ri, owner, f.Status, due, overdue, f.Link}
	}
	b, _ := json.Marshal(struct {
		Reviews   [][]any    `json:"reviews"`
		People    [][]string `json:"people"`
		Services  [][]string `json:"services"`
		FollowUps [][]any    `json:"followUps"`
	}{reviews, people, services, rows})
	return append(b, '\n')
}
