package index

import (
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"
)

// Field names inside the bleve index.
const (
	fTitle    = "title"
	fSummary  = "summary"
	fHeadings = "headings"
	fBody     = "body"
	fTerms    = "terms" // term titles, ids and aliases as text, so "kubernetes" finds k8s-tagged reviews
	fSeverity = "severity"
	fPeople   = "people"
	fDate     = "date"
	fTax      = "tax" // one keyword per term: "technologies:kafka"
)

// textFields are searched by unfielded free text, with their boosts.
var textFields = []struct {
	name  string
	boost float64
}{
	{fTitle, 4},
	{fSummary, 2},
	{fHeadings, 1.5},
	{fTerms, 2},
	{fBody, 1},
}

// newMapping is the explicit index mapping: English analysis for prose,
// keyword fields holding normalised ids for taxonomy terms, severity and
// people, a datetime for ranges, and BM25 scoring. Nothing is mapped
// dynamically, nothing is stored and there are no doc values: results,
// facets and dates come from the Index's table of documents. There is no
// _all field either: unfielded queries are rewritten into per-field
// queries with boosts (see rewrite).
func newMapping() *mapping.IndexMappingImpl {
	register()
	text := func() *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzerName
		f.Store = false
		f.IncludeTermVectors = true // phrases, and the locations fragments are cut around
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	doc := mapping.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt(fTitle, text())
	doc.AddFieldMappingsAt(fSummary, text())
	doc.AddFieldMappingsAt(fHeadings, text())
	doc.AddFieldMappingsAt(fBody, text())
	doc.AddFieldMappingsAt(fTerms, text())
	doc.AddFieldMappingsAt(fSeverity, kw())
	doc.AddFieldMappingsAt(fPeople, kw())
	doc.AddFieldMappingsAt(fTax, kw())
	date := mapping.NewDateTimeFieldMapping()
	date.Store = false
	date.IncludeInAll = false
	date.DocValues = false
	doc.AddFieldMappingsAt(fDate, date)

	m := mapping.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = analyzerName
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	m.ScoringModel = bindex.BM25Scoring
	return m
}
