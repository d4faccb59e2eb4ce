package site

// TermCountGroup is the counted terms of one taxonomy.
type TermCountGroup struct {
	Taxonomy *Taxonomy
	Terms    []TermCount
}

// ByTaxonomy groups counted terms by taxonomy, in the site's order of
// taxonomies, each group in the list's order. A list that mixes
// taxonomies (a term's Cooccurring) reads as a jumble of names otherwise:
// "kafka, config-change, ledger" does not say that one is a technology,
// one a contributing factor and one a service.
func (s *Site) ByTaxonomy(list []TermCount) []TermCountGroup {
	var out []TermCountGroup
	for _, tax := range s.Taxonomies {
		var g []TermCount
		for _, tc := range list {
			if tc.Term.Taxonomy == tax {
				g = append(g, tc)
			}
		}
		if g != nil {
			out = append(out, TermCountGroup{Taxonomy: tax, Terms: g})
		}
	}
	return out
}
