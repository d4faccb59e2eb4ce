package render

import (
	"encoding/json"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/casebook/casebook/site"
)

// strainRows renders the rows of a person's "Taking part" table
// (partials/participation.html). A person's page has a row for every
// review they took part in, and executing one row as a template cost
// more than the rest of the page, across a large library's 400 people
// most of the person pages' time; written here, a row costs a tenth.
func (r *Renderer) strainRows(rows []site.Participation) template.HTML {
	var b strings.Builder
	esc := template.HTMLEscapeString
	for _, row := range rows {
		b.WriteString("\n<tr data-q=\"" + esc(row.QuarterID) + "\" data-service=\"" + esc(row.ServiceIDs) +
			"\" data-technology=\"" + esc(row.TechnologyIDs) + "\"")
		if row.Response {
			b.WriteString(" data-call=\"" + esc(row.OnCall) + "\" data-hours=\"" + esc(row.Hours) + "\"")
		}
		b.WriteString(">\n<th scope=\"row\"><a href=\"" + esc(pathEscape(r.rel(row.Review.URL()))) + "\">" + esc(row.Review.Title) + "</a> <span class=\"roles\">")
		for i, role := range row.Roles {
			if i > 0 {
				b.WriteString(" · ")
			}
			if role == "timeline" {
				role = "in the timeline"
			}
			b.WriteString(esc(role))
		}
		b.WriteString("</span></th>\n<td class=\"nowrap\">" + esc(row.Quarter) + "</td>")
		if !row.Response {
			b.WriteString("\n<td colspan=\"2\" class=\"muted\">Investigated afterwards: not counted</td>\n</tr>")
			continue
		}
		b.WriteString("\n<td class=\"nowrap\">")
		switch row.OnCall {
		case "on":
			b.WriteString("On call")
		case "off":
			b.WriteString("<strong>Not on call</strong>")
		default:
			b.WriteString("<span class=\"muted\">Not known</span>")
		}
		b.WriteString("</td>\n<td class=\"nowrap\">")
		switch {
		case row.At.IsZero():
			b.WriteString("<span class=\"muted\">Not known</span>")
		default:
			if row.Hours == "out" {
				b.WriteString("<strong>Outside hours</strong>")
			} else {
				b.WriteString("Working hours")
			}
			b.WriteString(", <time datetime=\"" + esc(row.At.Format(time.RFC3339)) + "\">" + esc(row.At.Format("Mon 2 Jan 15:04 MST")) + "</time>")
		}
		b.WriteString("</td>\n</tr>")
	}
	return template.HTML(b.String())
}

// pathEscape percent-encodes what a URL path may not hold as it is, as
// html/template does for an href; a site's paths are nearly always
// plain, and returned as they are.
func pathEscape(p string) string {
	for i := 0; i < len(p); i++ {
		if c := p[i]; c <= ' ' || c >= 0x7f || strings.IndexByte(`"'<>\^`+"`{|}", c) >= 0 {
			return (&url.URL{Path: p}).EscapedPath()
		}
	}
	return p
}

// StrainFile is where a person's participation counts come from once
// their page's filters are used: people/<id>/strain.json. A person of a
// large library took part in thousands of incidents, too many to carry
// in the page, which lists the newest page_size.
func StrainFile(p *site.Person) string { return "people/" + p.ID + "/strain.json" }

// strainJSON is StrainFile: what participation.js counts.
//
//	{"rows": [[quarter ID, " service IDs ", " technology IDs ", on call, hours], ...]}
//
// with on call "on", "off" or "" and hours "in", "out" or "". Only the
// incidents they responded to are in it: the rest count in no measure.
func strainJSON(st *site.Strain) []byte {
	rows := [][]string{}
	for _, row := range st.Rows {
		if row.Response {
			rows = append(rows, []string{row.QuarterID, row.ServiceIDs, row.TechnologyIDs, row.OnCall, row.Hours})
		}
	}
	b, _ := json.Marshal(struct {
		Rows [][]string `json:"rows"`
	}{rows})
	return append(b, '\n')
}
