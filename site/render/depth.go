package render

import (
	"encoding/json"
	"time"
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
