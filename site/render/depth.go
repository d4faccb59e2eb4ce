package render

import (
	"encoding/json"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/site"
)

// DepthFile is the data /compare/ reads: every published review's depth.
const DepthFile = "compare/depth.json"

// depthFields name the columns of each row of DepthFile. A row is an
// array rather than an object so that a large library's file stays small
// (the names would be most of it); -1 is an unknown number.
var depthFields = []string{"slug", "title", "date", "investigateDays", "reachDays", "factors",
	"followUpsDone", "followUps", "people", "difficulties", "customerImpact", "employeeImpact", "readers", "readersPeriod"}

// depthJSON is DepthFile: {"fields": [...], "reviews": [[...], ...]},
// newest first, as the site lists reviews.
func (r *Renderer) depthJSON() []byte {
	rows := make([][]any, 0, len(r.site.Reviews))
	for _, rv := range r.site.Reviews {
		if rv.Status == "nominated" {
			continue // not a written review yet: nothing to compare
		}
		d := rv.Depth
		period := ""
		if d.Readers != nil {
			period = d.Readers.Period
		}
		rows = append(rows, []any{rv.Slug, rv.Title, rv.Date.Format(time.DateOnly), d.InvestigateDays(), d.ReachDays(), d.Factors,
			d.FollowUpsDone, d.FollowUps, d.People, list(d.Difficulties), list(d.CustomerImpact), list(d.EmployeeImpact), d.ReaderCount(), period})
	}
	b, _ := json.Marshal(struct {
		Fields  []string `json:"fields"`
		Reviews [][]any  `json:"reviews"`
	}{depthFields, rows})
	return append(b, '\n')
}

// list keeps an empty list a list in JSON, which a script reads more
// simply than null.
func list(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}

// depthCells is a /reviews/ row's depth columns, written in Go because
// the page has a row for every review: five cells a row as template
// actions cost a large library's list page a tenth of a second more. Each
// cell's data-v is what reviews.js sorts by, -1 for unknown; the cells
// whose class has depth-minor hide on narrower screens.
func depthCells(d site.Depth) template.HTML {
	var b strings.Builder
	cell := func(v int, minor bool) {
		b.WriteString(`<td class="num depth-col`)
		if minor {
			b.WriteString(` depth-minor`)
		}
		n := strconv.Itoa(v)
		b.WriteString(`" data-v="` + n + `">`)
		if v < 0 {
			b.WriteString(`<span class="muted">—</span>`)
		} else {
			b.WriteString(n)
		}
		b.WriteString("</td>\n")
	}
	cell(d.InvestigateDays(), false)
	cell(d.ReachDays(), true)
	cell(d.Factors, false)
	cell(d.People, false)
	cell(d.ReaderCount(), true)
	return template.HTML(strings.TrimSuffix(b.String(), "\n"))
}
