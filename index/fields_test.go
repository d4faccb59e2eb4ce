package index

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	bdoc "github.com/blevesearch/bleve/v2/document"
	bindex "github.com/blevesearch/bleve_index_api"
)

// fields is the document as the mapping maps it (newMapping), which is how
// reviews were indexed before docMaker: the reference its documents are
// held to.
func (d *document) fields() map[string]any {
	var tax []string
	for k, ids := range d.Tax {
		for _, id := range ids {
			tax = append(tax, taxTerm(k, id))
		}
	}
	f := map[string]any{
		fTitle:    d.Title,
		fSummary:  d.Summary,
		fHeadings: d.Headings,
		fBody:     d.Body,
		fTerms:    d.Terms,
		fPeople:   d.People,
		fTax:      tax,
	}
	if d.Severity != "" {
		f[fSeverity] = d.Severity
	}
	if !d.Date.IsZero() {
		f[fDate] = d.Date
	}
	return f
}

// analysed describes what zap indexes of a document's fields: each
// field's options, length, and every term with its frequency and
// locations, the elements of an array field merged as zap merges them.
func analysed(bd *bdoc.Document) string {
	type merged struct {
		opts   bindex.FieldIndexingOptions
		length int
		freqs  bindex.TokenFrequencies
	}
	byName := map[string]*merged{}
	bd.VisitFields(func(f bindex.Field) {
		f.Analyze()
		m := byName[f.Name()]
		if m == nil {
			m = &merged{opts: f.Options(), freqs: bindex.TokenFrequencies{}}
			byName[f.Name()] = m
		}
		m.length += f.AnalyzedLength()
		m.freqs.MergeAll(f.Name(), f.AnalyzedTokenFrequencies())
	})
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		m := byName[name]
		fmt.Fprintf(&b, "%s %v len=%d\n", name, m.opts, m.length)
		for _, term := range slices.Sorted(maps.Keys(m.freqs)) {
			tf := m.freqs[term]
			fmt.Fprintf(&b, "  %q %q ×%d", term, tf.Term, tf.Frequency())
			for _, l := range tf.Locations {
				fmt.Fprintf(&b, " %v@%d[%d:%d]", l.ArrayPositions, l.Position, l.Start, l.End)
			}
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// The documents docMaker makes are analysed into what the mapping's give:
// the same fields with the same options, lengths, terms, frequencies and
// locations, on a generated library and on awkward text.
func TestDocMakerMatchesMapping(t *testing.T) {
	s := generatedSite(t, 40, 3)
	var docs []*document
	for _, r := range s.Reviews {
		docs = append(docs, newDocument(r))
	}
	odd := &document{
		Slug: "odd", Title: "The team's on-call engineers' runbooks; Kafka’s RE-BALANCED brokers",
		Summary:  "",
		Headings: []string{"Timeline", "", "the a an", "東京の障害 で ログ", "Timeline again: timeline"},
		Body:     "'quoted' don't rock'n'roll O'Brien's l'été it's\n\nÜnïcode façade naïve café CAFÉ Straße ΣΊΣΥΦΟΣ",
		Terms:    []string{"kafka", "Kafka", "k8s kubernetes", "kafka"},
		Severity: "sev1", People: []string{"ana", "bo", "ana"},
		Tax: taxMap{"services": {"billing", "auth"}, "themes": {"billing"}},
	}
	docs = append(docs, odd, &document{Slug: "bare"})
	m := newMapping()
	mk, err := newDocMaker(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		want := bdoc.NewDocument(d.Slug)
		if err := m.MapDocument(want, d.fields()); err != nil {
			t.Fatal(err)
		}
		got, err := mk.doc(d)
		if err != nil {
			t.Fatal(err)
		}
		if w, g := analysed(want), analysed(got); w != g {
			t.Errorf("%s:\n got %s\nwant %s", d.Slug, g, w)
		}
		if got.HasComposite() {
			t.Errorf("%s: the document has composite fields", d.Slug)
		}
	}
}
