package index

import (
	"fmt"
	"time"
	"unsafe"

	bdoc "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"
)

// A review goes into bleve as a document made here rather than through
// the mapping (Batch.Index), which gives the same terms, frequencies,
// lengths and locations for every field (a test holds them equal) at a
// third less of the cost of indexing:
//
//   - the mapping walks the document by reflection and makes one field
//     per element of an array; here each field is one, its elements at
//     their array positions, as zap would merge them;
//   - each text field is analysed in one pass from words to token
//     frequencies (memoAnalyzer.addFrequencies), without tokens between;
//   - the mapping adds an _all composite field, empty since no field is
//     in it, which zap still offered every field of every document to;
//   - scorch weighs every analysed document for its statistics, which for
//     bleve's fields walks every location: here the weight is estimated.

// docMaker makes the bleve documents of one index.
type docMaker struct{ prose *memoAnalyzer }

func newDocMaker(m mapping.IndexMapping) (docMaker, error) {
	a, ok := m.AnalyzerNamed(analyzerName).(*memoAnalyzer)
	if !ok {
		return docMaker{}, fmt.Errorf("search index: the analyzer %s is not casebook's", analyzerName)
	}
	return docMaker{a}, nil
}

const (
	textOptions    = bindex.IndexField | bindex.IncludeTermVectors
	keywordOptions = bindex.IndexField
)

// doc is d as bleve indexes it: the fields of newMapping.
func (mk docMaker) doc(d *document) (*bdoc.Document, error) {
	bd := bdoc.NewDocument(d.Slug)
	text := func(name string, array bool, values ...string) {
		if len(values) > 0 {
			bd.AddField(&field{name: name, values: values, array: array, prose: mk.prose})
		}
	}
	keyword := func(name string, values ...string) {
		if len(values) > 0 {
			bd.AddField(&field{name: name, values: values})
		}
	}
	text(fTitle, false, d.Title)
	text(fSummary, false, d.Summary)
	text(fHeadings, true, d.Headings...)
	text(fBody, false, d.Body)
	text(fTerms, true, d.Terms...)
	if d.Severity != "" {
		keyword(fSeverity, d.Severity)
	}
	keyword(fPeople, d.People...)
	var tax []string
	for k, ids := range d.Tax {
		for _, id := range ids {
			tax = append(tax, taxTerm(k, id))
		}
	}
	keyword(fTax, tax...)
	if !d.Date.IsZero() {
		f, err := bdoc.NewDateTimeFieldWithIndexingOptions(fDate, nil, d.Date, time.RFC3339, bindex.IndexField)
		if err != nil {
			return nil, fmt.Errorf("search index: %s: %w", d.Slug, err)
		}
		bd.AddField(f)
	}
	bd.SetIndexed()
	return bd, nil
}

// field is one field of a document, all its elements in one: prose text
// when prose is set, otherwise keywords, each value one term. Nothing is
// stored, so it has no value.
type field struct {
	name   string
	values []string
	array  bool
	prose  *memoAnalyzer

	length int
	freqs  bindex.TokenFrequencies
}

func (f *field) Name() string             { return f.name }
func (f *field) ArrayPositions() []uint64 { return nil }
func (f *field) Value() []byte            { return nil }
func (f *field) EncodedFieldType() byte   { return 't' }
func (f *field) AnalyzedLength() int      { return f.length }

func (f *field) AnalyzedTokenFrequencies() bindex.TokenFrequencies { return f.freqs }

func (f *field) Options() bindex.FieldIndexingOptions {
	if f.prose != nil {
		return textOptions
	}
	return keywordOptions
}

func (f *field) NumPlainTextBytes() uint64 {
	n := 0
	for _, v := range f.values {
		n += len(v)
	}
	return uint64(n)
}

// Size estimates the analysed field's memory, for scorch's statistics.
func (f *field) Size() int { return 64 + int(f.NumPlainTextBytes())*4 }

// Analyze makes the field's token frequencies: what bleve makes of
// analysing each element apart and merging them (TokenFrequencies.MergeAll,
// in zap), in the same order.
func (f *field) Analyze() {
	f.freqs = make(bindex.TokenFrequencies)
	if f.prose == nil {
		for _, v := range f.values {
			tf, ok := f.freqs[v]
			if !ok {
				tf = &bindex.TokenFreq{Term: []byte(v)}
				f.freqs[v] = tf
			}
			tf.SetFrequency(tf.Frequency() + 1)
		}
		f.length = len(f.values)
		return
	}
	for i, v := range f.values {
		var pos []uint64
		if f.array {
			pos = []uint64{uint64(i)}
		}
		// The text is only read, and no term or location points into
		// it: no copy of the body is needed.
		b := unsafe.Slice(unsafe.StringData(v), len(v))
		f.length += f.prose.addFrequencies(f.freqs, b, pos)
	}
}
