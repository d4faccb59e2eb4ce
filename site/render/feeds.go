package render

import (
	"bytes"
	"encoding/xml"
	"time"
)

// feedSize is how many of the newest reviews the RSS feed carries.
const feedSize = 50

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

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Items         []rssItem `xml:"item"`
}

// feed is the RSS 2.0 feed of the newest reviews. Its dates come from the
// reviews, not the clock, so an unchanged library gives an unchanged feed.
func (r *Renderer) feed() []byte {
	s := r.site
	ch := rssChannel{Title: s.Config.Title, Link: s.AbsURL("/"), Description: "Incident reviews from " + s.Config.Title}
	for i, rv := range s.Reviews {
		if i == feedSize {
			break
		}
		if i == 0 {
			ch.LastBuildDate = rv.Date.Format(time.RFC1123Z)
		}
		it := rssItem{Title: rv.Title, Link: s.AbsURL(rv.URL()), GUID: rssGUID{Value: s.AbsURL(rv.URL()), Permalink: true},
			PubDate: rv.Date.Format(time.RFC1123Z), Description: rv.Summary}
		for _, tl := range rv.Terms {
			for _, t := range tl.Terms {
				it.Categories = append(it.Categories, t.Title)
			}
		}
		ch.Items = append(ch.Items, it)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<rss version="2.0">`)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	_ = enc.Encode(struct {
		XMLName xml.Name `xml:"channel"`
		rssChannel
	}{rssChannel: ch})
	b.WriteString("</rss>\n")
	return b.Bytes()
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

func (r *Renderer) sitemap() []byte {
	var urls []sitemapURL
	for _, p := range r.pages {
		if p.Kind == "404" {
			continue
		}
		u := sitemapURL{Loc: r.site.AbsURL(p.URL)}
		if p.Review != nil {
			u.LastMod = p.Review.Date.Format("2006-01-02")
		}
		urls = append(urls, u)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	_ = enc.Encode(struct {
		XMLName xml.Name     `xml:"urlset"`
		NS      string       `xml:"xmlns,attr"`
		URLs    []sitemapURL `xml:"url"`
	}{NS: "http://www.sitemaps.org/schemas/sitemap/0.9", URLs: urls})
	b.WriteString("\n")
	return b.Bytes()
}
