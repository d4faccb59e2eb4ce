package site

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/site/frontmatter"
)

func quarter(t time.Time) string { return fmt.Sprintf("%d Q%d", t.Year(), (int(t.Month())-1)/3+1) }

func computeInsights(s *Site) *Insights {
	in := &Insights{}
	if len(s.Reviews) == 0 {
		return in
	}
	loc := s.Config.Location
	// The axis spans the plausible dates (Load noted the others), newest
	// first in s.Reviews.
	var oldest, newest time.Time
	for _, r := range s.Reviews {
		if frontmatter.Plausible(r.Date) {
			if newest.IsZero() {
				newest = r.Date.In(loc)
			}
			oldest = r.Date.In(loc)
		}
	}
	qIndex := map[string]int{}
	for t := time.Date(oldest.Year(), oldest.Month()-(oldest.Month()-1)%3, 1, 0, 0, 0, 0, loc); !newest.IsZero() && !t.After(newest); t = t.AddDate(0, 3, 0) {
		qIndex[quarter(t)] = len(in.Quarters)
		in.Quarters = append(in.Quarters, quarter(t))
	}
	trends := func(tax *Taxonomy) []Trend {
		if tax == nil {
			return nil
		}
		var out []Trend
		for _, t := range tax.Terms { // already most used first
			if len(out) == maxTrends {
				break
			}
			tr := Trend{Term: t, Counts: make([]int, len(in.Quarters)), Total: len(t.Reviews)}
			for _, r := range t.Reviews {
				if q, ok := qIndex[quarter(r.Date.In(loc))]; ok {
					tr.Counts[q]++
				}
			}
			out = append(out, tr)
		}
		return out
	}
	ins := s.Config.InsightTaxonomies
	factors, themes, services := s.taxonomy(ins.Factors), s.taxonomy(ins.Themes), s.taxonomy(ins.Services)
	in.Factors, in.Themes = trends(factors), trends(themes)

	if factors != nil {
		pairs := map[[2]*Term][]*Review{}
		for _, r := range s.Reviews {
			fs := r.TermsOf(factors.Key)
			for i := range fs {
				for j := i + 1; j < len(fs); j++ {
					a, b := fs[i], fs[j]
					if a.ID > b.ID {
						a, b = b, a
					}
					pairs[[2]*Term{a, b}] = append(pairs[[2]*Term{a, b}], r)
				}
			}
		}
		for k, rs := range pairs {
			if len(rs) >= 2 {
				in.Pairs = append(in.Pairs, FactorPair{A: k[0], B: k[1], Reviews: rs})
			}
		}
		slices.SortFunc(in.Pairs, func(x, y FactorPair) int {
			return cmp.Or(cmp.Compare(len(y.Reviews), len(x.Reviews)), strings.Compare(x.A.ID, y.A.ID), strings.Compare(x.B.ID, y.B.ID))
		})
		if len(in.Pairs) > maxPairs {
			in.Pairs = in.Pairs[:maxPairs]
		}
	}
	if factors != nil && services != nil {
		for _, svc := range services.Terms {
			byFactor := map[*Term][]*Review{}
			for _, r := range svc.Reviews {
				for _, f := range r.TermsOf(factors.Key) {
					byFactor[f] = append(byFactor[f], r)
				}
			}
			for f, rs := range byFactor {
				if len(rs) >= 2 {
					in.SeenBefore = append(in.SeenBefore, Recurrence{Service: svc, Factor: f, Reviews: rs})
				}
			}
		}
		slices.SortFunc(in.SeenBefore, func(x, y Recurrence) int {
			return cmp.Or(cmp.Compare(len(y.Reviews), len(x.Reviews)), strings.Compare(x.Service.ID, y.Service.ID), strings.Compare(x.Factor.ID, y.Factor.ID))
		})
	}
	for _, tax := range s.Taxonomies {
		for _, t := range tax.Terms {
			if t.Concentration != nil {
				in.Concentrated = append(in.Concentrated, t)
			}
		}
	}
	if services != nil {
		for _, svc := range services.Terms {
			d := ServiceDebt{Service: svc}
			for _, r := range svc.Reviews {
				for _, f := range r.FollowUps {
					d.Total++
					switch {
					case f.Overdue:
						d.Overdue++
					case f.Open():
						d.Open++
					case f.Status == "done":
						d.Done++
					}
				}
			}
			if d.Overdue+d.Open > 0 {
				in.Debt = append(in.Debt, d)
			}
		}
		slices.SortFunc(in.Debt, func(x, y ServiceDebt) int {
			return cmp.Or(cmp.Compare(y.Overdue+y.Open, x.Overdue+x.Open), cmp.Compare(y.Overdue, x.Overdue), strings.Compare(x.Service.ID, y.Service.ID))
		})
	}
	for _, p := range s.People {
		if p.OffHours > 0 {
			in.OffHours = append(in.OffHours, PersonCount{Person: p, Count: p.OffHours})
		}
	}
	slices.SortFunc(in.OffHours, func(x, y PersonCount) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), strings.Compare(x.Person.ID, y.Person.ID))
	})
	return in
}
