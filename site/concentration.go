package site

import (
	"cmp"
	"slices"
	"strings"
)

// Carrier is a person who took part in most of the reviews of several
// terms (see Term.Concentration). Insights list carriers rather than
// terms: one sentence a term repeats the same name many times over, while
// the risk a reader acts on is the person.
type Carrier struct {
	Person *Person
	// Groups are the terms the person carries, one group a taxonomy, in
	// the site's order of taxonomies; terms by the share of their reviews
	// the person took part in, then in Insights.Concentrated's order (most
	// reviews first).
	Groups []CarriedTerms
	Count  int // terms in all groups
}

// CarriedTerms are the terms of one taxonomy a person carries.
type CarriedTerms struct {
	Taxonomy *Taxonomy
	Terms    []*Term
}

// Carriers groups Concentrated by person: who carries the most terms
// first, then by name.
func (in *Insights) Carriers() []Carrier {
	var out []Carrier
	at := map[*Person]int{}
	for _, t := range in.Concentrated {
		c := t.Concentration
		if c == nil {
			continue
		}
		i, ok := at[c.Person]
		if !ok {
			i = len(out)
			at[c.Person] = i
			out = append(out, Carrier{Person: c.Person})
		}
		cr := &out[i]
		cr.Count++
		if n := len(cr.Groups); n > 0 && cr.Groups[n-1].Taxonomy == t.Taxonomy {
			cr.Groups[n-1].Terms = append(cr.Groups[n-1].Terms, t)
			continue
		}
		// Concentrated lists one taxonomy's terms together, so a
		// taxonomy starts a group once.
		cr.Groups = append(cr.Groups, CarriedTerms{Taxonomy: t.Taxonomy, Terms: []*Term{t}})
	}
	for _, cr := range out {
		for _, g := range cr.Groups {
			// The terms most in one person's hands first.
			slices.SortStableFunc(g.Terms, func(a, b *Term) int {
				return cmp.Compare(b.Concentration.Count*a.Concentration.Total, a.Concentration.Count*b.Concentration.Total)
			})
		}
	}
	slices.SortStableFunc(out, func(a, b Carrier) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Person.Name, b.Person.Name), strings.Compare(a.Person.ID, b.Person.ID))
	})
	return out
}
