package site

import (
	"cmp"
	"slices"
	"strings"

	"github.com/casebook/casebook/site/frontmatter"
)

// Investigators tag timeline events (KIND/QUALIFIER): a weak signal that
// was missed, a hypothesis ruled out, a communication that hurt. Counted
// across reviews by quarter they show how incidents are handled, not only
// what broke: whether weak signals keep preceding incidents, whether
// responders chase ruled-out hypotheses, whether communication keeps
// failing.

// TagTrend counts one KIND/QUALIFIER across reviews, by quarter.
type TagTrend struct {
	Kind, Qualifier string
	// Label says what the events are ("Weak signals that preceded
	// incidents"); KIND/QUALIFIER for a tag that is not built in.
	Label string
	Cells []TagCell // aligned with Insights.TagQuarters
	// Events and Reviews are the totals: tagged events, and reviews
	// with at least one.
	Events, Reviews int
}

// Tag is the KIND/QUALIFIER the trend counts, as a timeline writes it
// (and as the review page's timeline filter takes it: ?tag=).
func (t TagTrend) Tag() string { return t.Kind + "/" + t.Qualifier }

// TagCell is one quarter of a TagTrend: how many events, in which
// reviews.
type TagCell struct {
	Events  int
	Reviews []TagReview // newest first
}

// TagReview is a review with the number of its events a tag counts.
type TagReview struct {
	Review *Review
	Events int
}

// tagLabels name the built-in tags, in the order the insights list them:
// the three the practice asks about most first.
var tagLabels = []struct{ tag, label string }{
	{"detection/weak-signal", "Weak signals that preceded incidents"},
	{"hypothesis/disproved", "Hypotheses ruled out"},
	{"communication/issue", "Communication issues"},
	{"communication/benefit", "Communication that helped"},
	{"detection/early-warning", "Early warnings"},
	{"detection/alert", "Alerts"},
	{"hypothesis/proved", "Hypotheses proved"},
	{"trigger/actual", "Actual triggers"},
	{"trigger/contributing", "Contributing triggers"},
	{"responder/joins", "Responders joining"},
	{"impact/customer", "Impact on customers"},
	{"impact/employee", "Impact on employees"},
}

// tagTrends counts every tag the reviews' timelines use, by the quarter of
// each review's date, over the quarters from the first to the last that
// has one. Tags are in tagLabels' order, then the library's own by name.
func tagTrends(s *Site) (quarters []string, trends []TagTrend) {
	in := s.Insights
	loc := s.Config.Location
	qIndex := map[string]int{}
	for i, q := range in.Quarters {
		qIndex[q] = i
	}
	// Per tag: per quarter of the full axis, the reviews and their counts.
	type perReview struct {
		r *Review
		n int
	}
	byTag := map[string][][]perReview{}
	first, last := len(in.Quarters), -1
	for _, r := range s.Reviews { // newest first
		if r.Timeline == nil || !frontmatter.Plausible(r.Date) {
			continue
		}
		q, ok := qIndex[quarter(r.Date.In(loc))]
		if !ok {
			continue
		}
		counts := map[string]int{}
		var order []string
		for _, ev := range r.Timeline.Events {
			if ev.Qualifier == "" {
				continue
			}
			tag := ev.Kind + "/" + ev.Qualifier
			if counts[tag] == 0 {
				order = append(order, tag)
			}
			counts[tag]++
		}
		for _, tag := range order {
			if byTag[tag] == nil {
				byTag[tag] = make([][]perReview, len(in.Quarters))
			}
			byTag[tag][q] = append(byTag[tag][q], perReview{r, counts[tag]})
			first, last = min(first, q), max(last, q)
		}
	}
	if last < 0 {
		return nil, nil
	}
	quarters = in.Quarters[first : last+1]
	rank := map[string]int{}
	labels := map[string]string{}
	for i, l := range tagLabels {
		rank[l.tag], labels[l.tag] = i, l.label
	}
	tags := slices.Collect(func(yield func(string) bool) {
		for t := range byTag {
			if !yield(t) {
				return
			}
		}
	})
	slices.SortFunc(tags, func(a, b string) int {
		ra, oka := rank[a]
		rb, okb := rank[b]
		switch {
		case oka && okb:
			return cmp.Compare(ra, rb)
		case oka != okb:
			if oka {
				return -1
			}
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, tag := range tags {
		kind, qual, _ := strings.Cut(tag, "/")
		tr := TagTrend{Kind: kind, Qualifier: qual, Label: cmp.Or(labels[tag], tag), Cells: make([]TagCell, len(quarters))}
		for i, prs := range byTag[tag][first : last+1] {
			for _, pr := range prs {
				tr.Cells[i].Events += pr.n
				tr.Cells[i].Reviews = append(tr.Cells[i].Reviews, TagReview{Review: pr.r, Events: pr.n})
				tr.Events += pr.n
				tr.Reviews++
			}
		}
		trends = append(trends, tr)
	}
	return quarters, trends
}
