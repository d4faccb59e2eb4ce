package render

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/site/internal/markdown"

	"github.com/casebook/casebook/site"
)

func (r *Renderer) rel(u string) string {
	if strings.HasPrefix(u, "/") && r.basePath != "/" {
		return strings.TrimSuffix(r.basePath, "/") + u
	}
	return u
}

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"rel": r.rel,
		"abs": func(u string) string { return r.site.AbsURL(u) },
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format("2 Jan 2006")
		},
		"isodate": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format("2006-01-02")
		},
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format("2 Jan 2006 15:04 MST")
		},
		"rfc3339":  func(t time.Time) string { return t.Format(time.RFC3339) },
		"timeTag":  timeTag,
		"dur":      markdown.HumanDuration,
		"lower":    strings.ToLower,
		"join":     strings.Join,
		"slugify":  site.Slugify,
		"add":      func(a, b int) int { return a + b },
		"sub":      func(a, b int) int { return a - b },
		"percent":  func(a, b int) int { return pct(a, b) },
		"contains": strings.Contains,
		"plural": func(n int, one, many string) string {
			if n == 1 {
				return fmt.Sprintf("%d %s", n, one)
			}
			return fmt.Sprintf("%d %s", n, many)
		},
		"json": func(v any) (template.JS, error) {
			b, err := json.Marshal(v)
			return template.JS(b), err
		},
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, errors.New("dict: odd number of arguments")
			}
			m := map[string]any{}
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, errors.New("dict: keys must be strings")
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"first": func(n int, v any) any {
			l := reflect.ValueOf(v)
			if l.Kind() != reflect.Slice || l.Len() <= n {
				return v
			}
			return l.Slice(0, max(n, 0)).Interface()
		},
		"sevrank":           func(s string) int { return r.site.Config.SeverityRank(s) },
		"partial":           r.partial,
		"partialCached":     r.partialCached,
		"partialCachedEach": r.partialCachedEach,
		"shareMeta":         r.shareMeta,
		"heatmap":           r.heatmap,
		"debtChart":         r.debtChart,
		"depthCells":        depthCells,
		"listData":          r.listDataURL,
		"personIDs":         r.personIDs,
		"pageSize":          func() int { return pageSize(r.site) },
		"followUpCounts":    func() FollowUpCounts { return r.lists().counts },
		"strainRows":        r.strainRows,
		"strainFile":        func(p *site.Person) string { return "/" + StrainFile(p) },
		"now":               func() time.Time { return r.site.Now },
		"termIDs": func(rv *site.Review) string {
			var ids []string
			for _, tl := range rv.Terms {
				for _, t := range tl.Terms {
					ids = append(ids, tl.Taxonomy.Key+":"+t.ID)
				}
			}
			slices.Sort(ids)
			return strings.Join(ids, " ")
		},
	}
}

// timeTag is a <time> element for t: its RFC 3339 form for machines, its
// full date and time as a tooltip, and shown as the time of day alone when
// it falls on the day of ref (as a review's start falls on the day of its
// date). It is one call where the same markup in a template was a dozen
// evaluations, a seventh of a review page's time for three times.
func timeTag(t, ref time.Time) template.HTML {
	if t.IsZero() {
		return ""
	}
	full := t.Format("2 Jan 2006 15:04 MST")
	shown := full
	if !ref.IsZero() && t.Format(time.DateOnly) == ref.Format(time.DateOnly) {
		shown = t.Format("15:04 MST")
	}
	return template.HTML(`<time datetime="` + escapeHTML(t.Format(time.RFC3339)) + `" title="` + escapeHTML(full) + `">` + escapeHTML(shown) + `</time>`)
}

// escapeHTML escapes text and attribute values exactly as html/template
// does, so that markup built in Go matches the template's byte for byte.
var escapeHTML = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;").Replace

func pct(a, b int) int {
	if b == 0 {
		return 0
	}
	return (a*200 + b) / (2 * b) // rounded: 2 of 3 is 67 %, not 66 %
}

// shareMeta writes a page's description and its Open Graph and Twitter
// card tags, so that a link pasted into a chat unfurls with the review's
// title, summary and first image. One call rather than a dozen template
// actions, on every page of a large site.
func (r *Renderer) shareMeta(p *Page) template.HTML {
	desc := p.Description()
	var b strings.Builder
	tag := func(attr, name, content string) {
		b.WriteString(`<meta ` + attr + `="` + name + `" content="` + escapeHTML(content) + `">` + "\n")
	}
	tag("name", "description", desc)
	kind := "website"
	if p.Review != nil {
		kind = "article"
	}
	tag("property", "og:type", kind)
	tag("property", "og:site_name", r.site.Config.Title)
	tag("property", "og:title", p.Title)
	tag("property", "og:description", desc)
	tag("property", "og:url", r.site.AbsURL(p.URL))
	card := "summary"
	if p.Review != nil && p.Review.Image != "" {
		tag("property", "og:image", r.absLink(p.Review.Image))
		card = "summary_large_image"
	}
	tag("name", "twitter:card", card)
	return template.HTML(b.String())
}
