package render

import (
	"strconv"

	"github.com/casebook/casebook/site"
)

// A Pager places a page in a paginated list: /reviews/ lists the first
// page_size reviews, /reviews/page/2/ the next, and so on, as Hugo's
// paginated sections do. Every list page kind has one, a list that fits
// on one page included, so templates need no second path for short lists.
type Pager struct {
	Number int // this page, from 1
	Count  int // pages in the list, at least 1
	Size   int // items a page holds (page_size)
	Total  int // items in the whole list
	base   string
}

// PagerLink is one entry of [Pager.Links]: a page to go to, or a gap
// (Gap set, no URL) standing for the pages left out between two.
type PagerLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool
}

// PageURL is the URL of the list's page n: the list's own URL for the
// first, <list>page/<n>/ for the others.
func PageURL(base string, n int) string {
	if n <= 1 {
		return base
	}
	return base + "page/" + strconv.Itoa(n) + "/"
}

// URL is the URL of page n of this list.
func (p *Pager) URL(n int) string { return PageURL(p.base, n) }

// Prev is the previous page's URL, "" on the first.
func (p *Pager) Prev() string {
	if p.Number <= 1 {
		return ""
	}
	return p.URL(p.Number - 1)
}

// Next is the next page's URL, "" on the last.
func (p *Pager) Next() string {
	if p.Number >= p.Count {
		return ""
	}
	return p.URL(p.Number + 1)
}

// From and To are the 1-based positions of this page's first and last
// items in the whole list, for "101–200 of 1,234".
func (p *Pager) From() int { return min((p.Number-1)*p.Size+1, p.Total) }

// To: see From.
func (p *Pager) To() int { return min(p.Number*p.Size, p.Total) }

// Links are the page numbers a pager shows: the first and last, and two
// either side of this one, with gaps between, so that a list of 1,000
// pages has a pager of at most nine entries.
func (p *Pager) Links() []PagerLink {
	var links []PagerLink
	last := 0
	add := func(n int) {
		if n <= last || n < 1 || n > p.Count {
			return
		}
		switch {
		case last != 0 && n == last+2:
			// A gap would stand for one page: show the page instead.
			links = append(links, PagerLink{Number: last + 1, URL: p.URL(last + 1)})
		case last != 0 && n > last+2:
			links = append(links, PagerLink{Gap: true})
		}
		links = append(links, PagerLink{Number: n, URL: p.URL(n), Current: n == p.Number})
		last = n
	}
	add(1)
	for n := p.Number - 2; n <= p.Number+2; n++ {
		add(n)
	}
	add(p.Count)
	return links
}

// pageSize is the library's page_size, DefaultPageSize for a Config made
// by hand.
func pageSize(s *site.Site) int {
	if s.Config.PageSize < 1 {
		return site.DefaultPageSize
	}
	return s.Config.PageSize
}

// paginate makes the pages of a list of total items at base: one page
// when the list is empty, as a list page always exists. Each is made by
// mk with its pager and the half-open range of its items.
func paginate(total, size int, base string, mk func(pg *Pager, from, to int) *Page) []*Page {
	count := max(1, (total+size-1)/size)
	pages := make([]*Page, 0, count)
	for n := 1; n <= count; n++ {
		pg := &Pager{Number: n, Count: count, Size: size, Total: total, base: base}
		from := (n - 1) * size
		pages = append(pages, mk(pg, from, min(from+size, total)))
	}
	return pages
}
