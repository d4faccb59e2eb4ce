package index

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	bindex "github.com/blevesearch/bleve_index_api"
	"github.com/casebook/casebook/site"
)

const (
	maxClauses = 1024
	// maxBatch bounds the reviews in one bleve batch of an in-memory
	// index. Batches are indexed concurrently, one per CPU, each becoming
	// one segment that is never merged. Fewer segments search a little
	// faster, but a batch holds its reviews' whole analysis until its
	// segment is made: at 5,000 reviews a batch, the preview of 10,000
	// reviews peaked at 3.2 GB; at 500, under the server's memory limit,
	// at 0.9 GB.
	maxBatch = 500

	// compactAfter is how many incremental syncs may add segments to an
	// in-memory index before Sync rebuilds it in one go.
	compactAfter = 40
	metaVersion  = 3 // 3: a document's terms are written in key order (taxMap)
)

// archiveBatch is the batch of an index built on disk for an archive,
// whose segments are merged into one at the end: small batches keep the
// memory of a large library's build bounded. Tests make it smaller.
var archiveBatch = 500

// Index is a searchable index of a site's reviews. It is safe for
// concurrent use: searches may run while Sync updates the index.
//
// The bleve index holds only what matching and ranking need (terms,
// positions, no stored fields or doc values). Everything else a result
// shows, the facet terms and the dates live in a table of documents
// beside it, addressed by bleve's internal document numbers, which is
// what makes counting facets over thousands of matches cheap.
type Index struct {
	mu   sync.RWMutex // guards everything below against Sync; held for reading by searches
	bi   bleve.Index
	adv  bindex.Index
	meta *meta
	loc  *time.Location
	tab  *table

	syncMu   sync.Mutex // serialises Sync
	hashes   map[string][32]byte
	syncs    int
	lastSync syncStats
	readOnly bool
	tmpDir   string // removed by Close (OpenArchive)
	sem      chan struct{}
	timeout  time.Duration // zero: Timeout; tests shorten it
}

// syncStats counts what the last Sync did, for tests.
type syncStats struct{ indexed, deleted int }

// meta is what search needs besides the documents: taxonomies in site
// order with term titles and aliases, and the library's time zone.
type meta struct {
	Version    int        `json:"version"`
	Timezone   string     `json:"timezone"`
	Taxonomies []*taxMeta `json:"taxonomies"`
}

type taxMeta struct {
	Key     string            `json:"key"`
	Field   string            `json:"field"`
	Title   string            `json:"title"`
	Terms   map[string]string `json:"terms"`             // id → display title
	Aliases map[string]string `json:"aliases,omitempty"` // normalised alias → id
}

func (m *meta) taxonomy(key string) *taxMeta {
	for _, t := range m.Taxonomies {
		if t.Key == key {
			return t
		}
	}
	return nil
}

// location is the library's time zone, in which dates are whole days;
// the site checked it, so UTC stands in only for a damaged archive.
func (m *meta) location() *time.Location {
	loc, err := time.LoadLocation(m.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// keys returns the taxonomy keys in site order.
func (m *meta) keys() []string {
	k := make([]string, len(m.Taxonomies))
	for i, t := range m.Taxonomies {
		k[i] = t.Key
	}
	return k
}

// canonical folds a filter value of a taxonomy to its term id.
func (t *taxMeta) canonical(v string) string {
	id := site.Normalize(v)
	if to, ok := t.Aliases[id]; ok {
		return to
	}
	return id
}

func newMeta(s *site.Site) *meta {
	loc := s.Config.Location
	if loc == nil {
		loc = time.UTC
	}
	m := &meta{Version: metaVersion, Timezone: loc.String()}
	for _, t := range s.Taxonomies {
		tm := &taxMeta{Key: t.Key, Field: t.Field, Title: t.Title, Terms: map[string]string{}, Aliases: map[string]string{}}
		for _, term := range t.Terms {
			tm.Terms[term.ID] = term.Title
		}
		for a, id := range s.Config.Aliases(t.Key) {
			tm.Aliases[a] = id
		}
		m.Taxonomies = append(m.Taxonomies, tm)
	}
	return m
}

// document is one review as the index sees it: what is indexed, and what
// a hit shows.
type document struct {
	Slug     string    `json:"slug"`
	Title    string    `json:"title"`
	Summary  string    `json:"summary,omitempty"`
	Headings []string  `json:"headings,omitempty"`
	Body     string    `json:"body,omitempty"`
	Terms    []string  `json:"terms,omitempty"` // titles, ids and aliases of the review's terms, as text
	Severity string    `json:"severity,omitempty"`
	People   []string  `json:"people,omitempty"`
	Date     time.Time `json:"date"`
	Tax      taxMap    `json:"tax,omitempty"` // taxonomy key → term ids

	facets []int32 // indexes into table.terms
}

func newDocument(r *site.Review) *document { return documentWithBody(r, r.Text()) }

// documentWithBody is newDocument with the review's text given.
func documentWithBody(r *site.Review, body string) *document {
	d := &document{
		Slug: r.Slug, Title: r.Title, Summary: r.Summary, Headings: r.Headings, Body: body,
		Severity: site.Normalize(r.Severity), Date: r.Date, Tax: map[string][]string{},
	}
	if r.IncidentID != "" {
		d.Terms = append(d.Terms, r.IncidentID)
	}
	for _, tl := range r.Terms {
		if len(tl.Terms) == 0 {
			continue
		}
		ids := make([]string, 0, len(tl.Terms))
		for _, t := range tl.Terms {
			ids = append(ids, t.ID)
			d.Terms = append(d.Terms, t.Title)
			if !strings.EqualFold(t.Title, t.ID) {
				d.Terms = append(d.Terms, strings.ReplaceAll(t.ID, "-", " "))
			}
			d.Terms = append(d.Terms, t.Aliases...)
		}
		d.Tax[tl.Taxonomy.Key] = ids
	}
	seen := map[string]bool{}
	for _, ps := range [][]*site.Person{r.Responders, r.Investigators} {
		for _, p := range ps {
			if !seen[p.ID] {
				seen[p.ID] = true
				d.People = append(d.People, p.ID)
			}
		}
	}
	return d
}

func (d *document) day() string { return d.Date.Format(time.DateOnly) }

// taxTerm is the value of the tax field for one term: "key:id".
func taxTerm(key, id string) string { return key + ":" + id }

// hash identifies the document's content, so Sync re-indexes only what
// changed.
func (d *document) hash() [32]byte {
	h := sha256.New()
	str := func(s string) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	list := func(l []string) {
		str(fmt.Sprint(len(l)))
		for _, s := range l {
			str(s)
		}
	}
	str(d.Slug)
	str(d.Title)
	str(d.Summary)
	list(d.Headings)
	str(d.Body)
	list(d.Terms)
	str(d.Severity)
	list(d.People)
	str(d.Date.Format(time.RFC3339Nano))
	keys := make([]string, 0, len(d.Tax))
	for k := range d.Tax {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		str(k)
		list(d.Tax[k])
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

// table is the documents of one snapshot of the bleve index, addressed by
// bleve's internal document number, with every facet term numbered.
type table struct {
	docs   []*document
	slug   map[string]int32 // slug → index in docs
	byNum  []int32          // internal document number → index in docs, -1 when none
	byID   map[string]int32 // the same, for internal ids that are not 8-byte numbers
	terms  []facetTerm      // every term any document carries
	taxOf  []int            // terms[i]'s taxonomy, an index into meta.Taxonomies
	byTerm map[string]int32 // "key:id" → index in terms
	// The facet terms of the document numbered n are
	// facets[facetOff[n]:facetOff[n+1]]: one flat array in document
	// order, so counting facets over the matches reads memory in order.
	facetOff []int32
	facets   []int32
}

// facetsOf returns the facet terms of a match.
func (t *table) facetsOf(id bindex.IndexInternalID) []int32 {
	if len(id) == 8 && t.byNum != nil {
		n := binary.BigEndian.Uint64(id)
		if n+1 < uint64(len(t.facetOff)) {
			return t.facets[t.facetOff[n]:t.facetOff[n+1]]
		}
		return nil
	}
	if d := t.row(id); d != nil {
		return d.facets
	}
	return nil
}

type facetTerm struct{ key, id string }

// row returns the document a match stands for, or nil.
func (t *table) row(id bindex.IndexInternalID) *document {
	// newTable keeps byNum only when every id is a small number; otherwise
	// all of them, numbers too, are in byID.
	if len(id) == 8 && t.byNum != nil {
		n := binary.BigEndian.Uint64(id)
		if n < uint64(len(t.byNum)) && t.byNum[n] >= 0 {
			return t.docs[t.byNum[n]]
		}
		return nil
	}
	if i, ok := t.byID[string(id)]; ok {
		return t.docs[i]
	}
	return nil
}

// newTable numbers the documents' facet terms and maps the current
// snapshot's internal document numbers to them.
func newTable(m *meta, bi bleve.Index, adv bindex.Index, docs []*document) (*table, error) {
	t := &table{docs: docs, slug: make(map[string]int32, len(docs)), byID: map[string]int32{}, byTerm: map[string]int32{}}
	for i, d := range docs {
		t.slug[d.Slug] = int32(i)
		d.facets = d.facets[:0]
		for ti, tm := range m.Taxonomies {
			key := tm.Key
			for _, id := range d.Tax[key] {
				k := taxTerm(key, id)
				n, ok := t.byTerm[k]
				if !ok {
					n = int32(len(t.terms))
					t.byTerm[k] = n
					t.terms = append(t.terms, facetTerm{key, id})
					t.taxOf = append(t.taxOf, ti)
				}
				d.facets = append(d.facets, n)
			}
		}
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	s, err := query.NewMatchAllQuery().Searcher(context.Background(), r, bi.Mapping(), search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0)}
	dm, err := s.Next(sctx)
	for ; err == nil && dm != nil; dm, err = s.Next(sctx) {
		ext, err := r.ExternalID(dm.IndexInternalID)
		if err != nil {
			return nil, err
		}
		i, ok := t.slug[ext]
		if !ok {
			return nil, fmt.Errorf("search index: document %q is in the index but not in its table", ext)
		}
		if id := dm.IndexInternalID; len(id) == 8 {
			n := binary.BigEndian.Uint64(id)
			if n > 1<<26 {
				t.byID[string(id)] = i
			} else {
				for uint64(len(t.byNum)) <= n {
					t.byNum = append(t.byNum, -1)
				}
				t.byNum[n] = i
			}
		} else {
			t.byID[string(id)] = i
		}
		sctx.DocumentMatchPool.Put(dm)
	}
	if err != nil {
		return nil, err
	}
	if len(t.byID) > 0 && len(t.byNum) > 0 {
		// Mixed forms: keep one lookup.
		for n, i := range t.byNum {
			if i >= 0 {
				var b [8]byte
				binary.BigEndian.PutUint64(b[:], uint64(n))
				t.byID[string(b[:])] = i
			}
		}
		t.byNum = nil
	}
	if t.byNum != nil {
		t.facetOff = make([]int32, len(t.byNum)+1)
		for n, i := range t.byNum {
			if i >= 0 {
				t.facets = append(t.facets, docs[i].facets...)
			}
			t.facetOff[n+1] = int32(len(t.facets))
		}
	}
	return t, nil
}

func newBleve() (bleve.Index, bindex.Index, error) {
	bi, err := bleve.NewUsing("", newMapping(), scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("search index: %w", err)
	}
	adv, err := bi.Advanced()
	if err != nil {
		bi.Close()
		return nil, nil, fmt.Errorf("search index: %w", err)
	}
	return bi, adv, nil
}

// Build indexes every review of s in memory. The site decides what is
// included: drafts and restricted reviews are in s.Reviews only when the
// site was loaded with the options that include them. Reviews are indexed
// in batches, several at once.
func Build(s *site.Site) (*Index, error) {
	m := newMeta(s)
	docs := make([]*document, len(s.Reviews))
	hashes := make(map[string][32]byte, len(s.Reviews))
	for i, r := range s.Reviews {
		docs[i] = newDocument(r)
	}
	for _, d := range docs {
		hashes[d.Slug] = d.hash()
	}
	return build(m, docs, hashes)
}

func build(m *meta, docs []*document, hashes map[string][32]byte) (*Index, error) {
	loc := m.location()
	bi, adv, err := newBleve()
	if err != nil {
		return nil, err
	}
	if err := indexDocs(bi, docs, nil, maxBatch); err != nil {
		bi.Close()
		return nil, err
	}
	tab, err := newTable(m, bi, adv, docs)
	if err != nil {
		bi.Close()
		return nil, err
	}
	return &Index{bi: bi, adv: adv, meta: m, loc: loc, tab: tab, hashes: hashes, sem: newSem()}, nil
}

// indexDocs adds docs and deletes the deleted ids, in concurrent batches.
// syncDocs is indexDocs for Sync; a test makes it fail.
var syncDocs = indexDocs

func indexDocs(bi bleve.Index, docs []*document, deleted []string, batch int) error {
	if len(docs) == 0 && len(deleted) == 0 {
		return nil
	}
	mk, err := newDocMaker(bi.Mapping())
	if err != nil {
		return err
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	n := max(min(workers, len(docs)), (len(docs)+batch-1)/batch, 1)
	per := (len(docs) + n - 1) / n
	var wg sync.WaitGroup
	errs := make([]error, n)
	work := make(chan int)
	for range min(workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				b := bi.NewBatch()
				lo, hi := min(i*per, len(docs)), min((i+1)*per, len(docs))
				for _, d := range docs[lo:hi] {
					bd, err := mk.doc(d)
					if err == nil {
						err = b.IndexAdvanced(bd)
					}
					if err != nil {
						errs[i] = fmt.Errorf("search index: %s: %w", d.Slug, err)
						break
					}
				}
				if i == 0 {
					for _, id := range deleted {
						b.Delete(id)
					}
				}
				if b.Size() > 0 && errs[i] == nil {
					if err := bi.Batch(b); err != nil {
						errs[i] = fmt.Errorf("search index: %w", err)
					}
				}
			}
		}()
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	return errors.Join(errs...)
}

// Sync brings the index up to date with a reloaded site: it re-indexes
// only the reviews whose content changed (by a per-slug hash), adds new
// ones and deletes removed ones. A change of the taxonomies, or many
// incremental syncs, rebuild the index from scratch. Searches keep being
// answered meanwhile; an incremental change holds them back only for the
// moment it takes to apply.
func (ix *Index) Sync(s *site.Site) error {
	if ix.readOnly {
		return errors.New("search index: a read-only index cannot be synced")
	}
	ix.syncMu.Lock()
	defer ix.syncMu.Unlock()
	m := newMeta(s)
	docs := make([]*document, len(s.Reviews))
	hashes := make(map[string][32]byte, len(s.Reviews))
	for i, r := range s.Reviews {
		docs[i] = newDocument(r)
		hashes[docs[i].Slug] = docs[i].hash()
	}
	ix.mu.RLock()
	sameKeys := slices.Equal(m.keys(), ix.meta.keys())
	ix.mu.RUnlock()
	if !sameKeys || ix.syncs >= compactAfter {
		fresh, err := build(m, docs, hashes)
		if err != nil {
			return err
		}
		ix.mu.Lock()
		old := ix.bi
		ix.bi, ix.adv, ix.meta, ix.loc, ix.tab = fresh.bi, fresh.adv, fresh.meta, fresh.loc, fresh.tab
		ix.hashes, ix.syncs = fresh.hashes, 0
		ix.lastSync = syncStats{len(docs), 0}
		ix.mu.Unlock()
		return old.Close()
	}

	var changed []*document
	for _, d := range docs {
		if old, ok := ix.hashes[d.Slug]; !ok || old != hashes[d.Slug] {
			changed = append(changed, d)
		}
	}
	var deleted []string
	for slug := range ix.hashes {
		if _, ok := hashes[slug]; !ok {
			deleted = append(deleted, slug)
		}
	}
	slices.Sort(deleted)
	loc := m.location()

	// The bleve snapshot and the table must change together: searches
	// wait while both do.
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if len(changed) > 0 || len(deleted) > 0 {
		if err := syncDocs(ix.bi, changed, deleted, maxBatch); err != nil {
			// Some batches may have gone in and others not, deletions
			// among them: the next sync rebuilds from scratch, which
			// trusts nothing this one did.
			ix.syncs = compactAfter
			if tab, terr := newTable(ix.meta, ix.bi, ix.adv, ix.tab.docs); terr == nil {
				ix.tab = tab
			}
			return err
		}
		ix.syncs++
	}
	tab, err := newTable(m, ix.bi, ix.adv, docs)
	if err != nil {
		return err
	}
	ix.meta, ix.loc, ix.tab, ix.hashes = m, loc, tab, hashes
	ix.lastSync = syncStats{len(changed), len(deleted)}
	return nil
}

// Len is the number of reviews in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.tab.docs)
}

// Taxonomies lists the taxonomy keys the index knows, in site order: the
// filter names ParseQuery accepts.
func (ix *Index) Taxonomies() []string {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.meta.keys()
}

// Close releases the index (and the files OpenArchive unpacked).
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	err := ix.bi.Close()
	if ix.tmpDir != "" {
		err = errors.Join(err, removeAll(ix.tmpDir))
		ix.tmpDir = ""
	}
	return err
}
