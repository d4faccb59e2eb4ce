package site

import (
	"cmp"
	"slices"
	"strings"
)

// Matrix is a taxonomy's terms × people, counting the reviews each person
// took part in for each term: the expertise map.
type Matrix struct {
	Taxonomy *Taxonomy
	People   []*Person // columns, most involved first
	Rows     []MatrixRow
	// MoreTerms and MorePeople count what the bounds left out.
	MoreTerms, MorePeople int
}

// MatrixRow is one term's counts, aligned with Matrix.People.
type MatrixRow struct {
	Term   *Term
	Counts []int
	// Lonely marks a term with several reviews that only one person has
	// handled.
	Lonely bool
}

// Expertise builds the matrix for a taxonomy, bounded to the maxTerms most
// reviewed terms and the maxPeople people most involved in them, so the
// page stays readable (and cheap) for a library of thousands of reviews.
// It returns nil when the taxonomy does not exist.
func (s *Site) Expertise(key string, maxTerms, maxPeople int) *Matrix {
	tax := s.taxonomy(key)
	if tax == nil {
		return nil
	}
	m := &Matrix{Taxonomy: tax}
	terms := tax.Terms // most reviewed first
	if len(terms) > maxTerms {
		m.MoreTerms = len(terms) - maxTerms
		terms = terms[:maxTerms]
	}
	involvement := map[*Person]int{}
	for _, t := range terms {
		for _, pc := range t.People {
			involvement[pc.Person] += pc.Count
		}
	}
	for p := range involvement {
		m.People = append(m.People, p)
	}
	slices.SortFunc(m.People, func(a, b *Person) int {
		return cmp.Or(cmp.Compare(involvement[b], involvement[a]), strings.Compare(a.ID, b.ID))
	})
	if len(m.People) > maxPeople {
		m.MorePeople = len(m.People) - maxPeople
		m.People = m.People[:maxPeople]
	}
	col := make(map[*Person]int, len(m.People))
	for i, p := range m.People {
		col[p] = i
	}
	for _, t := range terms {
		row := MatrixRow{Term: t, Counts: make([]int, len(m.People))}
		for _, pc := range t.People {
			if i, ok := col[pc.Person]; ok {
				row.Counts[i] = pc.Count
			}
		}
		row.Lonely = len(t.People) == 1 && t.Count() >= 2
		m.Rows = append(m.Rows, row)
	}
	return m
}
