package render

import (
	"bytes"
	"cmp"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/site"
)

// feedSize is how many of the newest reviews the feeds carry.
const feedSize = 50

// published is when a review appeared, for feed readers: its publication
// date (published:, or its first commit), else its incident's date. A
// review published today about an incident months ago is news today.
func published(rv *site.Review) time.Time {
	if !rv.Published.IsZero() {
		return rv.Published
	}
	return rv.Date
}

// feedReviews are the reviews the feeds carry, most recently published
// first.
func (r *Renderer) feedReviews() []*site.Review {
	rs := slices.Clone(r.site.Reviews)
	slices.SortStableFunc(rs, func(a, b *site.Review) int {
		return cmp.Or(published(b).Compare(published(a)), strings.Compare(a.Slug, b.Slug))
	})
	return rs[:min(feedSize, len(rs))]
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Description string   `xml:"description"`
	Categories  []string `xml:"category"`
}

type rssGUID struct {
	Value     string `xml:",chardata"`
	Permalink bool   `xml:"isPermaLink,attr"`
}

type atomLink struct {
	XMLName xml.Name `xml:"atom:link"`
	Href    string   `xml:"href,attr"`
	Rel     string   `xml:"rel,attr"`
	Type    string   `xml:"type,attr"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Self          atomLink  `xml:"atom:link"`
	Description   string    `xml:"description"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Items         []rssItem `xml:"item"`
}

// feed is the RSS 2.0 feed of the newest reviews. Its dates come from the
// reviews, not the clock, so an unchanged library gives an unchanged feed.
func (r *Renderer) feed() []byte {
	s := r.site
	ch := rssChannel{Title: s.Config.Title, Link: s.AbsURL("/"), Description: "Incident reviews from " + s.Config.Title,
		Self: atomLink{Href: s.AbsURL("/index.xml"), Rel: "self", Type: "application/rss+xml"}}
	for i, rv := range r.feedReviews() {
		if i == 0 {
			ch.LastBuildDate = published(rv).Format(time.RFC1123Z)
		}
		it := rssItem{Title: rv.Title, Link: s.AbsURL(rv.URL()), GUID: rssGUID{Value: s.AbsURL(rv.URL()), Permalink: true},
			PubDate: published(rv).Format(time.RFC1123Z), Description: rv.Summary}
		for _, tl := range rv.Terms {
			for _, t := range tl.Terms {
				it.Categories = append(it.Categories, t.Title)
			}
		}
		ch.Items = append(ch.Items, it)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">`)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	_ = enc.Encode(struct {
		XMLName xml.Name `xml:"channel"`
		rssChannel
	}{rssChannel: ch})
	b.WriteString("</rss>\n")
	return b.Bytes()
}

// jsonFeed is JSON Feed 1.1 (jsonfeed.org), which some readers prefer.
type jsonFeed struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	Description string         `json:"description"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonFeedItem struct {
	ID            string   `json:"id"`
	URL           string   `json:"url"`
	Title         string   `json:"title"`
	Summary       string   `json:"summary,omitempty"`
	ContentText   string   `json:"content_text"`
	Image         string   `json:"image,omitempty"`
	DatePublished string   `json:"date_published"`
	DateModified  string   `json:"date_modified,omitempty"`
	Tags          []string `json:"tags,omitempty"`
}

func (r *Renderer) jsonFeed() []byte {
	s := r.site
	f := jsonFeed{Version: "https://jsonfeed.org/version/1.1", Title: s.Config.Title, HomePageURL: s.AbsURL("/"),
		FeedURL: s.AbsURL("/feed.json"), Description: "Incident reviews from " + s.Config.Title, Items: []jsonFeedItem{}}
	for _, rv := range r.feedReviews() {
		it := jsonFeedItem{ID: s.AbsURL(rv.URL()), URL: s.AbsURL(rv.URL()), Title: rv.Title, Summary: rv.Summary,
			ContentText: rv.Summary, DatePublished: published(rv).Format(time.RFC3339)}
		if !rv.Updated.IsZero() {
			it.DateModified = rv.Updated.Format(time.RFC3339)
		}
		if rv.Image != "" {
			it.Image = r.absLink(rv.Image)
		}
		for _, tl := range rv.Terms {
			for _, t := range tl.Terms {
				it.Tags = append(it.Tags, t.Title)
			}
		}
		f.Items = append(f.Items, it)
	}
	b, _ := json.MarshalIndent(f, "", "  ")
	return append(b, '\n')
}

// absLink makes a link a page holds (site-absolute, with the base path,
// or absolute) absolute.
func (r *Renderer) absLink(u string) string {
	if strings.Contains(u, "://") {
		return u
	}
	return r.site.AbsURL(strings.TrimPrefix(u, strings.TrimSuffix(r.basePath, "/")))
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemapLimit is how many URLs one sitemap file may hold (the sitemaps
// protocol's 50,000); a larger site's sitemap.xml is an index of files of
// at most this many.
const sitemapLimit = 50000

// sitemaps are sitemap.xml, and when there are more pages than one file
// may list, sitemap-1.xml and on, which it indexes. A list's second and
// later pages are left out, as Hugo leaves them out: they are reached
// from the first, and their contents move as reviews are added.
func (r *Renderer) sitemaps(files map[string][]byte) {
	var urls []sitemapURL
	for _, p := range r.pages {
		if p.Kind == Kind404 || (p.Pager != nil && p.Pager.Number > 1) {
			continue
		}
		u := sitemapURL{Loc: r.site.AbsURL(p.URL)}
		if rv := p.Review; rv != nil {
			mod := rv.Updated
			if mod.IsZero() {
				mod = published(rv)
			}
			u.LastMod = mod.Format("2006-01-02")
		}
		urls = append(urls, u)
	}
	if len(urls) <= sitemapLimit {
		files["sitemap.xml"] = sitemapXML("urlset", "url", urls)
		return
	}
	var index []sitemapURL
	for i := 0; i*sitemapLimit < len(urls); i++ {
		name := fmt.Sprintf("sitemap-%d.xml", i+1)
		files[name] = sitemapXML("urlset", "url", urls[i*sitemapLimit:min((i+1)*sitemapLimit, len(urls))])
		index = append(index, sitemapURL{Loc: r.site.AbsURL("/" + name)})
	}
	files["sitemap.xml"] = sitemapXML("sitemapindex", "sitemap", index)
}

func sitemapXML(root, item string, urls []sitemapURL) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString("<" + root + " xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
	enc := xml.NewEncoder(&b)
	enc.Indent("  ", "  ")
	for _, u := range urls {
		_ = enc.EncodeElement(u, xml.StartElement{Name: xml.Name{Local: item}})
	}
	_ = enc.Flush()
	b.WriteString("\n</" + root + ">\n")
	return b.Bytes()
}

// aliases are the redirect pages of reviews' aliases: Hugo's way of
// keeping old links working. An alias that is not a plain path in the
// site, or that a page already has, is left out.
func (r *Renderer) aliases(files map[string][]byte) {
	for _, rv := range r.site.Reviews {
		for _, a := range rv.Aliases {
			u := "/" + strings.Trim(path.Clean("/"+a), "/") + "/"
			if u == "//" || strings.ContainsAny(a, "\"'<>\\?#") || strings.Contains(a, "..") || r.byURL[u] != nil {
				continue
			}
			to := template.HTMLEscapeString(r.site.AbsURL(rv.URL()))
			files[OutputName(u)] = []byte(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>` + template.HTMLEscapeString(rv.Title) +
				`</title><link rel="canonical" href="` + to + `"><meta name="robots" content="noindex"><meta http-equiv="refresh" content="0; url=` + to +
				`"></head><body><p>This review has moved to <a href="` + to + `">` + template.HTMLEscapeString(rv.Title) + `</a>.</p></body></html>` + "\n")
		}
	}
}
