package index

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
)

// The static search bundle is the index the browser searches on a host
// without /api/search (themes/default/static/js/search-static.js). It
// holds what the bleve index holds, laid out so that a query fetches only
// what it needs:
//
//   - manifest.json (the one fixed name, so it is revalidated): analysis
//     settings, field weights, BM25 statistics, taxonomy terms and the
//     names of every other file, which are content-hashed;
//   - t-HASH.bin: the sorted dictionary cut into shards of about
//     shardBytes, each with every (term, field) posting list it covers
//     (documents and term frequencies), so a word costs one shard and a
//     prefix the shards of its range;
//   - p-HASH.bin beside each: the positions of the same postings, read
//     only by phrases;
//   - norms-HASH.bin: every document's field lengths, for BM25;
//   - facets-HASH.bin: every document's day, and every taxonomy term's
//     documents, for filters, date ranges and facet counts over any
//     result;
//   - docs/HASH/N.json: one document's title, URL, date, summary,
//     headings and body, read only for a hit that is shown.
//
// Documents are numbered newest first, as the site lists them, so a query
// without text lists its matches in number order.
const (
	BundleDir      = "search/bundle"
	BundleManifest = BundleDir + "/manifest.json"
	bundleVersion  = 1
	shardBytes     = 24 << 10
)

// Fields of the bundle, in the order the manifest names them.
var bundleFields = []string{fTitle, fSummary, fHeadings, fTerms, fBody, fSeverity, fPeople, fTax}

type bundleManifest struct {
	Version    int          `json:"version"`
	Analyzer   string       `json:"analyzer"`
	StopWords  []string     `json:"stopWords"`
	Fields     []string     `json:"fields"`
	TextFields [][2]any     `json:"textFields"` // [field index, boost] for unfielded text
	K1         float64      `json:"k1"`
	B          float64      `json:"b"`
	MaxClauses int          `json:"maxClauses"`
	DocCount   int          `json:"docCount"`
	AvgLen     []float64    `json:"avgLen"` // per field, as bleve computes it
	MinDay     int          `json:"minDay"` // facets hold days since this one
	Taxonomies []bundleTax  `json:"taxonomies"`
	Terms      [][3]any     `json:"terms"` // [taxonomy index, id, title], numbered by frequency
	Norms      string       `json:"norms"`
	Facets     string       `json:"facets"`
	Docs       string       `json:"docs"` // folder of N.json
	Shards     []bundleShrd `json:"shards"`
}

type bundleTax struct {
	Key     string            `json:"key"`
	Field   string            `json:"field"`
	Title   string            `json:"title"`
	Aliases map[string]string `json:"aliases,omitempty"`
}

// bundleShrd is a shard: its first term and its two files.
type bundleShrd [3]string

// appendBundleJSON appends the document's file: {"slug", "title", "url",
// "date", "summary", "headings", "body"}, encoded by hand because
// encoding/json was a tenth of the bundle's time.
func (d *document) appendBundleJSON(b []byte) []byte {
	b = append(b, `{"slug":`...)
	b = appendJSONString(b, d.Slug)
	b = append(b, `,"title":`...)
	b = appendJSONString(b, d.Title)
	b = append(b, `,"url":`...)
	b = appendJSONString(b, site.ReviewURL(d.Slug))
	b = append(b, `,"date":`...)
	b = appendJSONString(b, d.day())
	b = append(b, `,"summary":`...)
	b = appendJSONString(b, d.Summary)
	if len(d.Headings) > 0 {
		b = append(b, `,"headings":[`...)
		for i, h := range d.Headings {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, h)
		}
		b = append(b, ']')
	}
	if d.Body != "" {
		b = append(b, `,"body":`...)
		b = appendJSONString(b, d.Body)
	}
	return append(b, '}')
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, and invalid UTF-8 as encoding/json writes
// it.
func appendJSONString(b []byte, s string) []byte {
	if !utf8.ValidString(s) {
		q, _ := json.Marshal(s)
		return append(b, q...)
	}
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\t':
			b = append(b, '\\', 't')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// postList is the posting list of one (term, field): varint document
// deltas and term frequencies, and the positions beside them (deltas
// within a document, element<<16 | position for arrays).
type postList struct {
	term    string
	field   int
	df      int
	last    int // the last document with a posting; -1 before the first
	docs    []byte
	pos     []byte
	cur     int // the document being analysed, its frequency, its last position
	tf      int
	lastPos uint64
}

// join appends q, the same term's list from the next range of documents.
func (pl *postList) join(q *postList) {
	first, n := binary.Uvarint(q.docs) // q's first delta is from -1: its first document
	pl.docs = binary.AppendUvarint(pl.docs, first-uint64(pl.last)-1)
	pl.docs = append(pl.docs, q.docs[n:]...)
	pl.pos = append(pl.pos, q.pos...)
	pl.df += q.df
	pl.last = q.last
}

// bundlePart analyses a range of documents.
type bundlePart struct {
	lists   [8]map[string]*postList
	touched []*postList
	memo    map[string]*termLists // word → its term's lists; nil for a stop word
	terms   map[string]*termLists
	filters []analysis.TokenFilter
	// A document's text and its file, made in these buffers one after
	// another rather than allocated for each: they were half of what the
	// bundle allocated.
	body, file []byte
}

// document makes r's document, its body in p.body: valid until the next.
func (p *bundlePart) document(r *site.Review) *document {
	p.body = r.AppendText(p.body[:0])
	return documentWithBody(r, unsafe.String(unsafe.SliceData(p.body), len(p.body)))
}

// termLists are one term's posting lists in the text fields, which the
// memo of words leads to without looking the term up again.
type termLists struct {
	term  string
	lists [5]*postList
}

func newBundlePart() (*bundlePart, error) {
	p := &bundlePart{memo: map[string]*termLists{}, terms: map[string]*termLists{}}
	for f := range p.lists {
		p.lists[f] = map[string]*postList{}
	}
	register()
	cache := registry.NewCache()
	for _, name := range proseFilters {
		f, err := cache.TokenFilterNamed(name)
		if err != nil {
			return nil, fmt.Errorf("search bundle: %w", err)
		}
		p.filters = append(p.filters, f)
	}
	return p, nil
}

// term is what the prose analyzer makes of one word: its filters run on
// the word alone, once per distinct word, which a test holds equal to
// analysing whole texts.
func (p *bundlePart) term(word []byte) string {
	if tl := p.word(word); tl != nil {
		return tl.term
	}
	return ""
}

func (p *bundlePart) word(word []byte) *termLists {
	if tl, ok := p.memo[string(word)]; ok {
		return tl
	}
	ts := analysis.TokenStream{&analysis.Token{Term: slices.Clone(word), Position: 1, Type: analysis.AlphaNumeric}}
	for _, f := range p.filters {
		ts = f.Filter(ts)
	}
	var tl *termLists
	if len(ts) == 1 && len(ts[0].Term) > 0 {
		t := string(ts[0].Term)
		if tl = p.terms[t]; tl == nil {
			tl = &termLists{term: t}
			p.terms[t] = tl
		}
	}
	p.memo[string(word)] = tl
	return tl
}

func (p *bundlePart) list(f int, term string) *postList {
	pl := p.lists[f][term]
	if pl == nil {
		pl = &postList{term: term, field: f, last: -1, cur: -1}
		p.lists[f][term] = pl
	}
	return pl
}

func (p *bundlePart) add(f int, term string, pos uint64, n int, lens *[8][]uint32) {
	p.addTo(p.list(f, term), pos, n, lens)
}

func (p *bundlePart) addTo(pl *postList, pos uint64, n int, lens *[8][]uint32) {
	f := pl.field
	if pl.cur != n {
		pl.cur, pl.tf, pl.lastPos = n, 0, 0
		p.touched = append(p.touched, pl)
	}
	pl.tf++
	pl.pos = binary.AppendUvarint(pl.pos, pos-pl.lastPos)
	pl.lastPos = pos
	lens[f][n]++
}

func (p *bundlePart) text(s string, elem, f, n int, lens *[8][]uint32) {
	// Only read: the memo's keys are copies.
	b := unsafe.Slice(unsafe.StringData(s), len(s))
	scanWords(b, func(start, end, pos int) {
		tl := p.word(b[start:end])
		if tl == nil {
			return
		}
		pl := tl.lists[f]
		if pl == nil {
			pl = p.list(f, tl.term)
			tl.lists[f] = pl
		}
		p.addTo(pl, uint64(elem)<<16|uint64(pos), n, lens)
	})
}

// doc adds document n: its text fields analysed, its keyword fields one
// token each, as bleve's keyword analyzer makes them.
func (p *bundlePart) doc(d *document, n int, lens *[8][]uint32) {
	p.text(d.Title, 0, 0, n, lens)
	p.text(d.Summary, 0, 1, n, lens)
	for i, h := range d.Headings {
		p.text(h, i, 2, n, lens)
	}
	for i, t := range d.Terms {
		p.text(t, i, 3, n, lens)
	}
	p.text(d.Body, 0, 4, n, lens)
	if d.Severity != "" {
		p.add(5, d.Severity, 1, n, lens)
	}
	for i, id := range d.People {
		p.add(6, id, uint64(i)<<16|1, n, lens)
	}
	keys := make([]string, 0, len(d.Tax))
	for k := range d.Tax {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	i := 0
	for _, k := range keys {
		for _, id := range d.Tax[k] {
			p.add(7, taxTerm(k, id), uint64(i)<<16|1, n, lens)
			i++
		}
	}
	for _, pl := range p.touched {
		pl.docs = binary.AppendUvarint(pl.docs, uint64(n-pl.last-1))
		pl.docs = binary.AppendUvarint(pl.docs, uint64(pl.tf))
		pl.last = n
		pl.df++
	}
	p.touched = p.touched[:0]
}

// Renamer is an Output that can rename a folder it wrote (slash paths),
// which lets WriteStaticBundle write each document once.
type Renamer interface {
	Rename(oldDir, newDir string) error
}

// WriteStaticBundle writes the static search bundle of s's reviews under
// BundleDir. The site decides what goes in, as for Build: a site loaded
// without drafts and restricted reviews leaves them out of every file.
func WriteStaticBundle(s *site.Site, out render.Output) error {
	m := newMeta(s)
	loc := m.location()
	// Newest first, as newer orders documents; the documents themselves
	// (whose bodies take decompressing) are made by the workers.
	reviews := slices.Clone(s.Reviews)
	slices.SortFunc(reviews, func(a, b *site.Review) int {
		return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(a.Slug, b.Slug))
	})
	docs := make([]*document, len(reviews))
	// The documents' folder is named by the hash of them all, known only
	// at the end. Where out can rename (a folder on disk), each file is
	// written as it is made, into a staging folder renamed at the end;
	// otherwise each is hashed now and made again at the end. Neither
	// keeps the files or bodies meanwhile, which would hold a large
	// library's text twice on a build's limited heap.
	docHashes := make([][32]byte, len(docs))
	mover, _ := out.(Renamer)
	const staging = BundleDir + "/docs/staging/"

	// Analysis, in contiguous ranges of documents, one per CPU, each
	// building its own posting lists in document order; then the lists
	// of each (term, field) are joined in range order.
	workers := max(1, min(runtime.GOMAXPROCS(0), len(docs)))
	parts := make([]*bundlePart, workers)
	var lens [8][]uint32
	for f := range lens {
		lens[f] = make([]uint32, len(docs))
	}
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p, err := newBundlePart()
			if err != nil {
				errs[w] = err
				return
			}
			parts[w] = p
			lo, hi := w*len(docs)/workers, (w+1)*len(docs)/workers
			for n := lo; n < hi; n++ {
				d := p.document(reviews[n])
				p.doc(d, n, &lens)
				p.file = d.appendBundleJSON(p.file[:0])
				b := p.file
				docHashes[n] = sha256.Sum256(b)
				docs[n] = &document{Slug: d.Slug, Date: d.Date, Tax: d.Tax}
				if mover != nil {
					if err := out.WriteFile(staging+strconv.Itoa(n)+".json", b); err != nil {
						errs[w] = err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	lists := map[[2]string]*postList{}
	for _, p := range parts {
		for f := range p.lists {
			for term, part := range p.lists[f] {
				k := [2]string{term, bundleFields[f]}
				pl := lists[k]
				if pl == nil {
					lists[k] = part
					continue
				}
				pl.join(part)
			}
		}
	}
	var norms [8][]byte
	for f := range bundleFields {
		for _, l := range lens[f] {
			norms[f] = binary.AppendUvarint(norms[f], uint64(l))
		}
	}
	var card [8]int
	sorted := make([]*postList, 0, len(lists))
	for _, pl := range lists {
		sorted = append(sorted, pl)
		card[pl.field]++
	}
	slices.SortFunc(sorted, func(a, b *postList) int {
		return cmp.Or(cmp.Compare(a.term, b.term), cmp.Compare(a.field, b.field))
	})

	man := bundleManifest{
		Version: bundleVersion, Analyzer: analyzerName, Fields: bundleFields,
		K1: search.BM25_k1, B: search.BM25_b, MaxClauses: maxClauses, DocCount: len(docs),
		AvgLen: make([]float64, len(bundleFields)), Taxonomies: []bundleTax{}, Terms: [][3]any{},
	}
	man.StopWords = stopWords()
	for _, tf := range textFields {
		man.TextFields = append(man.TextFields, [2]any{slices.Index(bundleFields, tf.name), tf.boost})
	}
	for f := range bundleFields {
		if len(docs) > 0 {
			man.AvgLen[f] = math.Ceil(float64(card[f]) / float64(len(docs)))
		}
	}

	files := map[string][]byte{}
	put := func(prefix string, b []byte) string {
		sum := sha256.Sum256(b)
		name := prefix + "-" + hex.EncodeToString(sum[:6]) + ".bin"
		files[name] = b
		return name
	}

	// Shards of the dictionary.
	var tb, pb []byte
	first, lastTerm := "", ""
	entries := 0
	flush := func() {
		if entries == 0 {
			return
		}
		t := binary.AppendUvarint(nil, uint64(entries))
		t = append(t, tb...)
		man.Shards = append(man.Shards, bundleShrd{first, put("t", t), put("p", pb)})
		tb, pb, entries = nil, nil, 0
	}
	for _, pl := range sorted {
		// A term's fields stay in one shard.
		if entries > 0 && len(tb)+len(pl.docs) > shardBytes && pl.term != lastTerm {
			flush()
		}
		lastTerm = pl.term
		if entries == 0 {
			first = pl.term
		}
		tb = binary.AppendUvarint(tb, uint64(len(pl.term)))
		tb = append(tb, pl.term...)
		tb = binary.AppendUvarint(tb, uint64(pl.field))
		tb = binary.AppendUvarint(tb, uint64(pl.df))
		tb = binary.AppendUvarint(tb, uint64(len(pl.docs)))
		tb = append(tb, pl.docs...)
		pb = binary.AppendUvarint(pb, uint64(len(pl.pos)))
		pb = append(pb, pl.pos...)
		entries++
	}
	flush()
	if man.Shards == nil {
		man.Shards = []bundleShrd{}
	}
	man.Norms = put("norms", slices.Concat(norms[:]...))

	// Taxonomy terms, numbered most frequent first so that most facet
	// entries take one byte.
	type tterm struct {
		tax   int
		id    string
		count int
	}
	var terms []tterm
	num := map[[2]string]int{}
	for ti, t := range m.Taxonomies {
		man.Taxonomies = append(man.Taxonomies, bundleTax{Key: t.Key, Field: t.Field, Title: t.Title, Aliases: t.Aliases})
		for id := range t.Terms {
			terms = append(terms, tterm{tax: ti, id: id})
		}
	}
	counts := map[[2]string]int{}
	for _, d := range docs {
		for k, ids := range d.Tax {
			for _, id := range ids {
				counts[[2]string{k, id}]++
			}
		}
	}
	for i := range terms {
		terms[i].count = counts[[2]string{m.Taxonomies[terms[i].tax].Key, terms[i].id}]
	}
	slices.SortFunc(terms, func(a, b tterm) int {
		return cmp.Or(b.count-a.count, a.tax-b.tax, cmp.Compare(a.id, b.id))
	})
	for i, t := range terms {
		tm := m.Taxonomies[t.tax]
		num[[2]string{tm.Key, t.id}] = i
		man.Terms = append(man.Terms, [3]any{t.tax, t.id, cmp.Or(tm.Terms[t.id], t.id)})
	}
	days := make([]int, len(docs))
	for i, d := range docs {
		y, mo, dd := d.Date.In(loc).Date()
		days[i] = int(time.Date(y, mo, dd, 0, 0, 0, 0, time.UTC).Unix() / 86400)
	}
	if len(days) > 0 {
		man.MinDay = slices.Min(days)
	}
	// Days go newest first, as the documents do, so each is a small step
	// back from the one before. Then each term's documents: a bitmap
	// where that is smaller, otherwise the gaps between them.
	var fb []byte
	for i := range docs {
		step := days[i] - man.MinDay
		if i > 0 {
			step = days[i-1] - days[i]
		}
		fb = binary.AppendUvarint(fb, uint64(step))
	}
	withTerm := make([][]int32, len(terms))
	for i, d := range docs {
		for _, tm := range m.Taxonomies {
			for _, id := range d.Tax[tm.Key] {
				if n, ok := num[[2]string{tm.Key, id}]; ok {
					withTerm[n] = append(withTerm[n], int32(i))
				}
			}
		}
	}
	for _, list := range withTerm {
		var gaps []byte
		prev := int32(-1)
		for _, d := range list {
			gaps = binary.AppendUvarint(gaps, uint64(d-prev-1))
			prev = d
		}
		if bitmap := (len(docs) + 7) / 8; bitmap < len(gaps) {
			fb = append(fb, 1)
			bits := make([]byte, bitmap)
			for _, d := range list {
				bits[d>>3] |= 1 << (d & 7)
			}
			fb = append(fb, bits...)
			continue
		}
		fb = append(fb, 0)
		fb = binary.AppendUvarint(fb, uint64(len(list)))
		fb = append(fb, gaps...)
	}
	man.Facets = put("facets", fb)

	// Documents, in a folder named by the hash of them all.
	h := sha256.New()
	for _, sum := range docHashes {
		h.Write(sum[:])
	}
	man.Docs = "docs/" + hex.EncodeToString(h.Sum(nil)[:6]) + "/"

	mb, err := json.Marshal(man)
	if err != nil {
		return fmt.Errorf("search bundle: %w", err)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := out.WriteFile(BundleDir+"/"+name, files[name]); err != nil {
			return err
		}
	}
	if mover != nil {
		if err := mover.Rename(staging, BundleDir+"/"+man.Docs); err != nil {
			return err
		}
		return out.WriteFile(BundleManifest, mb)
	}
	// Most of the files are documents: written by several goroutines,
	// as Output allows, since creating files is most of their cost.
	werrs := make([]error, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := parts[w]
			for i := w; i < len(reviews) && werrs[w] == nil; i += workers {
				p.file = p.document(reviews[i]).appendBundleJSON(p.file[:0])
				werrs[w] = out.WriteFile(BundleDir+"/"+man.Docs+strconv.Itoa(i)+".json", p.file)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(werrs...); err != nil {
		return err
	}
	return out.WriteFile(BundleManifest, mb)
}

// stopWords is the stop list of the prose analyzer: bleve's, read as
// its stop filter reads it.
func stopWords() []string {
	tm := analysis.NewTokenMap()
	if err := tm.LoadBytes(en.EnglishStopWords); err != nil {
		panic(err) // bleve's own list
	}
	out := make([]string, 0, len(tm))
	for w := range tm {
		out = append(out, w)
	}
	slices.Sort(out)
	return out
}
