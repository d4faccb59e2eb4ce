package index

import (
	"cmp"
	"container/heap"
	"context"
	"fmt"
	"math"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/casebook/casebook/site"
)

// Result is one page of search results: the JSON of GET /api/search.
type Result struct {
	Total  int                `json:"total"`
	Hits   []Hit              `json:"hits"`
	Facets map[string][]Facet `json:"facets"`
	// Page and Size echo the page returned; Took is the search time.
	Page int           `json:"-"`
	Size int           `json:"-"`
	Took time.Duration `json:"-"`
}

// Hit is a matching review.
type Hit struct {
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	URL     string `json:"url"`  // root-relative, /reviews/<slug>/
	Date    string `json:"date"` // YYYY-MM-DD
	Summary string `json:"summary"`
	// Fragments are passages of the body (or headings) around the matched
	// words: HTML-escaped text with the matches in <mark>.
	Fragments []string `json:"fragments"`
	Score     float64  `json:"-"`
}

// Facet is a term of a taxonomy and how many matching reviews carry it.
type Facet struct {
	Term  string `json:"term"`
	Title string `json:"title"`
	Count int    `json:"count"`
}

const maxFragments = 2

func newSem() chan struct{} { return make(chan struct{}, 4*runtime.GOMAXPROCS(0)) }

// Search runs q. Errors caused by the query (syntax, unknown fields, too
// many expansions, a search that exceeds Timeout) are *QueryError; the
// context's own cancellation is returned as ctx.Err().
func (ix *Index) Search(ctx context.Context, q Query) (*Result, error) {
	start := time.Now()
	if len(q.Text) > MaxQueryBytes {
		return nil, badQuery("q is %d bytes long; the limit is %d", len(q.Text), MaxQueryBytes)
	}
	if q.Page == 0 {
		q.Page = 1
	}
	if q.Size == 0 {
		q.Size = DefaultPageSize
	}
	if q.Page < 1 || q.Page > MaxPage {
		return nil, badQuery("page must be from 1 to %d", MaxPage)
	}
	if q.Size < 1 || q.Size > MaxPageSize {
		return nil, badQuery("size must be from 1 to %d", MaxPageSize)
	}
	tctx, cancel := context.WithTimeout(ctx, ix.limit())
	defer cancel()

	// Bound how many searches run at once, so a burst of expensive
	// queries queues rather than starving everything else.
	select {
	case ix.sem <- struct{}{}:
	case <-tctx.Done():
		return nil, ix.ctxErr(ctx)
	}

	// The search runs in its own goroutine so that the caller gets an
	// answer at the deadline even if bleve is busy in a part that does
	// not watch the context (compiling an automaton); the goroutine keeps
	// its semaphore slot until it really ends.
	type outcome struct {
		res *Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		defer func() { <-ix.sem }()
		defer func() {
			// A panic inside bleve on some odd query must not take the
			// server down; it is reported as a query the index cannot run.
			if p := recover(); p != nil {
				done <- outcome{nil, badQuery("this query cannot be run (%v)", p)}
			}
		}()
		res, err := ix.search(tctx, q)
		done <- outcome{res, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			if tctx.Err() != nil && !IsQueryError(o.err) {
				return nil, ix.ctxErr(ctx)
			}
			return nil, o.err
		}
		o.res.Took = time.Since(start)
		return o.res, nil
	case <-tctx.Done():
		return nil, ix.ctxErr(ctx)
	}
}

func (ix *Index) limit() time.Duration {
	if ix.timeout > 0 {
		return ix.timeout
	}
	return Timeout
}

func (ix *Index) ctxErr(parent context.Context) error {
	if err := parent.Err(); err != nil {
		return err
	}
	return badQuery("the search took longer than %s; try fewer wildcards or fuzzy terms", ix.limit())
}

// cleanErr shortens bleve's messages for a reader.
func cleanErr(err error) string {
	msg := err.Error()
	msg = strings.ReplaceAll(msg, "\n", "; ")
	if strings.Contains(msg, "TooManyClauses") {
		return fmt.Sprintf("the query matches too many different words (wildcards, fuzzy or regular expressions expand to more than %d); make it more specific", maxClauses)
	}
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	return msg
}

// search runs a query under the read lock, in two passes over the same
// snapshot: one over every match, counting facets (and, without text,
// keeping the newest), and bleve's own ranking for a text query.
func (ix *Index) search(ctx context.Context, q Query) (*Result, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	text, all, err := ix.compile(q)
	if err != nil {
		return nil, err
	}
	tab := ix.tab
	from := (q.Page - 1) * q.Size

	// Pass one: every match.
	r, err := ix.adv.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	s, err := all.Searcher(ctx, r, ix.bi.Mapping(), search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, badQuery("%s", cleanErr(err))
	}
	defer s.Close()
	counts := make([]int32, len(tab.terms))
	newest := &newestHeap{limit: from + q.Size}
	total := 0
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: r}
	dm, err := s.Next(sctx)
	for ; dm != nil && err == nil; dm, err = s.Next(sctx) {
		total++
		if total&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		for _, t := range tab.facetsOf(dm.IndexInternalID) {
			counts[t]++
		}
		if text == nil {
			if d := tab.row(dm.IndexInternalID); d != nil {
				newest.offer(d)
			}
		}
		sctx.DocumentMatchPool.Put(dm)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, badQuery("%s", cleanErr(err))
	}

	res := &Result{Total: total, Hits: []Hit{}, Facets: map[string][]Facet{}, Page: q.Page, Size: q.Size}
	for i, tm := range ix.meta.Taxonomies {
		facets := []Facet{}
		for n, c := range counts {
			if c > 0 && tab.taxOf[n] == i {
				id := tab.terms[n].id
				title := tm.Terms[id]
				if title == "" {
					title = id
				}
				facets = append(facets, Facet{Term: id, Title: title, Count: int(c)})
			}
		}
		slices.SortFunc(facets, func(a, b Facet) int {
			return cmp.Or(b.Count-a.Count, cmpFold(a.Title, b.Title), strings.Compare(a.Term, b.Term))
		})
		res.Facets[tm.Key] = facets
	}

	if text == nil {
		docs := newest.sorted()
		for _, d := range docs[min(from, len(docs)):] {
			res.Hits = append(res.Hits, makeHit(d, 0))
		}
		return res, nil
	}
	if from >= total {
		return res, nil
	}

	// Pass two: bleve ranks the page.
	req := bleve.NewSearchRequestOptions(all, q.Size, from, false)
	req.SortBy([]string{"-_score"})
	sr, err := ix.bi.SearchInContext(ctx, req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, badQuery("%s", cleanErr(err))
	}
	ids := make([]string, 0, len(sr.Hits))
	for _, h := range sr.Hits {
		i, ok := tab.slug[h.ID]
		if !ok {
			continue
		}
		res.Hits = append(res.Hits, makeHit(tab.docs[i], h.Score))
		ids = append(ids, h.ID)
	}

	// Pass three: where the words are in the page's reviews, for the
	// fragments. Only the text clauses, only these documents.
	if len(ids) > 0 {
		lq := query.NewConjunctionQuery([]query.Query{query.NewDocIDQuery(ids), text})
		lreq := bleve.NewSearchRequestOptions(lq, len(ids), 0, false)
		lreq.IncludeLocations = true
		lreq.Score = "none"
		lr, err := ix.bi.SearchInContext(ctx, lreq)
		if err == nil {
			locs := map[string]search.FieldTermLocationMap{}
			for _, h := range lr.Hits {
				locs[h.ID] = h.Locations
			}
			for i := range res.Hits {
				h := &res.Hits[i]
				h.Fragments = fragments(tab.docs[tab.slug[h.Slug]], locs[h.Slug])
			}
		}
	}
	return res, nil
}

// cmpFold compares case-insensitively without allocating.
func cmpFold(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			la, lb := unicode.ToLower(ra), unicode.ToLower(rb)
			if la != lb {
				return cmp.Compare(la, lb)
			}
		}
		a, b = a[na:], b[nb:]
	}
	return cmp.Compare(len(a), len(b))
}

func makeHit(d *document, score float64) Hit {
	return Hit{
		Slug:      d.Slug,
		Title:     d.Title,
		URL:       site.ReviewURL(d.Slug),
		Date:      d.day(),
		Summary:   d.Summary,
		Fragments: []string{},
		Score:     score,
	}
}

// newestHeap keeps the newest documents seen, up to limit: reviews sort
// by date, newest first, then by slug, as the site lists them.
type newestHeap struct {
	limit int
	docs  []*document
}

func newer(a, b *document) bool {
	if c := a.Date.Compare(b.Date); c != 0 {
		return c > 0
	}
	return a.Slug < b.Slug
}

func (h *newestHeap) Len() int           { return len(h.docs) }
func (h *newestHeap) Less(i, j int) bool { return newer(h.docs[j], h.docs[i]) } // the oldest on top
func (h *newestHeap) Swap(i, j int)      { h.docs[i], h.docs[j] = h.docs[j], h.docs[i] }
func (h *newestHeap) Push(x any)         { h.docs = append(h.docs, x.(*document)) }
func (h *newestHeap) Pop() any {
	d := h.docs[len(h.docs)-1]
	h.docs = h.docs[:len(h.docs)-1]
	return d
}

func (h *newestHeap) offer(d *document) {
	if len(h.docs) < h.limit {
		heap.Push(h, d)
		return
	}
	if h.limit > 0 && newer(d, h.docs[0]) {
		h.docs[0] = d
		heap.Fix(h, 0)
	}
}

func (h *newestHeap) sorted() []*document {
	out := slices.Clone(h.docs)
	slices.SortFunc(out, func(a, b *document) int {
		if newer(a, b) {
			return -1
		}
		if newer(b, a) {
			return 1
		}
		return 0
	})
	return out
}

// compile turns a Query into bleve queries: the text part alone (nil
// without text) and the whole query with its filters.
func (ix *Index) compile(q Query) (text, all query.Query, err error) {
	if t := strings.TrimSpace(q.Text); t != "" {
		parsed, err := query.NewQueryStringQuery(t).Parse()
		if err != nil {
			return nil, nil, badQuery("cannot read the query: %s", cleanErr(err))
		}
		text, err = ix.rewrite(parsed, 1, &budget{})
		if err != nil {
			return nil, nil, err
		}
	}
	var filters []query.Query
	keys := make([]string, 0, len(q.Filters))
	for k := range q.Filters {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, key := range keys {
		ids := q.Filters[key]
		t := ix.meta.taxonomy(key)
		if t == nil {
			return nil, nil, badQuery("unknown taxonomy %q (have %s)", trunc(key), strings.Join(ix.meta.keys(), ", "))
		}
		if len(ids) == 0 {
			continue
		}
		var or []query.Query
		for _, id := range ids {
			tq := query.NewTermQuery(taxTerm(key, t.canonical(id)))
			tq.SetField(fTax)
			or = append(or, tq)
		}
		filters = append(filters, query.NewDisjunctionQuery(or))
	}
	var from, to time.Time
	if !q.From.IsZero() {
		from = time.Date(q.From.Year(), q.From.Month(), q.From.Day(), 0, 0, 0, 0, ix.loc)
	}
	if !q.To.IsZero() {
		to = time.Date(q.To.Year(), q.To.Month(), q.To.Day()+1, 0, 0, 0, 0, ix.loc)
	}
	// The index holds dates as Unix nanoseconds (1677 to 2262): a bound
	// beyond them, such as to=9999-12-31 for "no end", leaves that end open.
	if from.Before(minIndexDate) {
		from = time.Time{}
	}
	if to.After(maxIndexDate) {
		to = time.Time{}
	}
	if !from.IsZero() || !to.IsZero() {
		yes, no := true, false
		dq := query.NewDateRangeInclusiveQuery(from, to, &yes, &no)
		dq.SetField(fDate)
		filters = append(filters, dq)
	}
	switch {
	case text == nil && len(filters) == 0:
		all = query.NewMatchAllQuery()
	case text == nil:
		all = query.NewConjunctionQuery(filters)
	case len(filters) == 0:
		all = text
	default:
		b := query.NewBooleanQuery([]query.Query{text}, nil, nil)
		b.Filter = query.NewConjunctionQuery(filters)
		all = b
	}
	return text, all, nil
}

// fieldFor maps a field name a user may write in a query to the index
// field, and reports whether it holds keywords (normalised ids).
// The dates a date range query can hold.
var (
	minIndexDate = time.Unix(0, math.MinInt64)
	maxIndexDate = time.Unix(0, math.MaxInt64)
)

func (ix *Index) fieldFor(name string) (field string, keyword bool, tax *taxMeta, err error) {
	switch strings.ToLower(name) {
	case "title":
		return fTitle, false, nil, nil
	case "summary":
		return fSummary, false, nil, nil
	case "heading", "headings":
		return fHeadings, false, nil, nil
	case "body", "text":
		return fBody, false, nil, nil
	case "severity", "sev":
		return fSeverity, true, nil, nil
	case "people", "person", "responder", "responders", "investigator", "investigators":
		return fPeople, true, nil, nil
	case "date":
		return fDate, false, nil, nil
	}
	key := strings.ReplaceAll(strings.ToLower(name), "_", "-")
	if t := ix.meta.taxonomy(key); t != nil {
		return fTax, true, t, nil
	}
	for _, t := range ix.meta.Taxonomies {
		if strings.EqualFold(t.Field, name) {
			return fTax, true, t, nil
		}
	}
	names := []string{"title", "summary", "headings", "body", "severity", "people", "date"}
	names = append(names, ix.meta.keys()...)
	return "", false, nil, badQuery("unknown field %q in the query (have %s)", trunc(name), strings.Join(names, ", "))
}

// rewrite walks a parsed query string, in place: unfielded words and
// phrases become a boosted disjunction over the text fields; field names
// are checked and mapped to index fields; keyword values are normalised
// and folded through the vocabulary's aliases; fuzziness is capped at 2.
func (ix *Index) rewrite(q query.Query, depth int, b *budget) (query.Query, error) {
	if depth > 50 {
		return nil, badQuery("the query is nested too deeply")
	}
	var err error
	switch t := q.(type) {
	case nil:
		return nil, nil
	case *query.BooleanQuery:
		for _, p := range []*query.Query{&t.Must, &t.Should, &t.MustNot, &t.Filter} {
			if *p != nil {
				if *p, err = ix.rewrite(*p, depth+1, b); err != nil {
					return nil, err
				}
			}
		}
		return t, nil
	case *query.ConjunctionQuery:
		for i := range t.Conjuncts {
			if t.Conjuncts[i], err = ix.rewrite(t.Conjuncts[i], depth+1, b); err != nil {
				return nil, err
			}
		}
		return t, nil
	case *query.DisjunctionQuery:
		for i := range t.Disjuncts {
			if t.Disjuncts[i], err = ix.rewrite(t.Disjuncts[i], depth+1, b); err != nil {
				return nil, err
			}
		}
		return t, nil
	case *query.MatchQuery:
		return rewriteText(ix, t, &t.Fuzziness, &t.Match, b)
	case *query.MatchPhraseQuery:
		return rewriteText(ix, t, &t.Fuzziness, &t.MatchPhrase, b)
	case *query.FuzzyQuery:
		t.Fuzziness = min(max(t.Fuzziness, 0), 2)
		t.Term = strings.ToLower(t.Term)
		if err := b.fuzzy(t.Term); err != nil {
			return nil, err
		}
		if t.FieldVal == "" {
			return ix.allText(t, copyPer(t)), nil
		}
		return inField(ix, t, func(tax *taxMeta) { t.Term = taxTerm(tax.Key, t.Term) })
	case *query.WildcardQuery:
		t.Wildcard = strings.ToLower(t.Wildcard)
		if strings.Trim(t.Wildcard, "*") == "" {
			// "*" alone means everything, as it does in most search boxes;
			// "nosuchfield:*" is still a mistake.
			if t.FieldVal != "" {
				if _, _, _, err := ix.fieldFor(t.FieldVal); err != nil {
					return nil, err
				}
			}
			return query.NewMatchAllQuery(), nil
		}
		if err := b.spend("wildcard"); err != nil {
			return nil, err
		}
		if err := checkPattern("wildcard", wildcardToRegexp.Replace(t.Wildcard)); err != nil {
			return nil, err
		}
		if t.FieldVal == "" {
			return ix.allText(t, copyPer(t)), nil
		}
		return inField(ix, t, func(tax *taxMeta) { t.Wildcard = taxTerm(tax.Key, t.Wildcard) })
	case *query.RegexpQuery:
		if err := b.spend("regular expression"); err != nil {
			return nil, err
		}
		if err := checkPattern("regular expression", t.Regexp); err != nil {
			return nil, err
		}
		if t.FieldVal == "" {
			return ix.allText(t, copyPer(t)), nil
		}
		return inField(ix, t, func(tax *taxMeta) {
			t.Regexp = regexp.QuoteMeta(taxTerm(tax.Key, "")) + "(?:" + t.Regexp + ")"
		})
	case *query.NumericRangeQuery:
		if t.FieldVal == "" {
			// A bare number is parsed as "the word or this number"; no
			// field holds numbers, so only the word part can match.
			return query.NewMatchNoneQuery(), nil
		}
		if _, _, _, err := ix.fieldFor(t.FieldVal); err != nil {
			return nil, err
		}
		return query.NewMatchNoneQuery(), nil
	case *query.DateRangeStringQuery, *query.DateRangeQuery:
		fq := q.(query.FieldableQuery)
		if fq.Field() == "" {
			return nil, badQuery("a date range needs a field: date:>=\"2024-01-01\"")
		}
		field, _, _, err := ix.fieldFor(fq.Field())
		if err != nil {
			return nil, err
		}
		if field != fDate {
			return nil, badQuery("%s is not a date", fq.Field())
		}
		fq.SetField(fDate)
		return q, nil
	case *query.MatchNoneQuery, *query.MatchAllQuery:
		return q, nil
	}
	return nil, badQuery("unsupported query clause %T", q)
}

// noTokens reports whether text analyses to nothing (stop words,
// punctuation). Such a clause becomes a match-none query, which the query
// string's boolean clauses skip, so "+the +redis" finds Redis.
func (ix *Index) noTokens(text string) bool {
	a := ix.bi.Mapping().AnalyzerNamed(analyzerName)
	return a != nil && len(a.Analyze([]byte(text))) == 0
}

// fieldQuery is a bleve query on one field, which an unfielded query is
// copied into for each text field.
type fieldQuery[Q any] interface {
	*Q
	query.FieldableQuery
	SetBoost(b float64)
}

// copyPer makes, for allText, a copy of t on one field with its boost.
func copyPer[Q any, P fieldQuery[Q]](t P) func(field string, boost float64) query.Query {
	return func(field string, boost float64) query.Query {
		c := P(new(Q))
		*c = *t
		c.SetField(field)
		c.SetBoost(boost)
		return c
	}
}

// inField maps t's field name to the field the index holds; for a
// taxonomy, whose terms are kept as "key:id", toTax rewrites the term.
func inField[Q any, P fieldQuery[Q]](ix *Index, t P, toTax func(*taxMeta)) (query.Query, error) {
	field, _, tax, err := ix.fieldFor(t.Field())
	if err != nil {
		return nil, err
	}
	t.SetField(field)
	if tax != nil {
		toTax(tax)
	}
	return t, nil
}

// rewriteText bounds a text query's fuzziness, spreads an unfielded one
// over the text fields with their boosts, and maps a field name (a
// taxonomy, people, severity) to the field and values the index holds.
func rewriteText[Q any, P fieldQuery[Q]](ix *Index, t P, fuzziness *int, text *string, b *budget) (query.Query, error) {
	*fuzziness = min(max(*fuzziness, 0), 2)
	if *fuzziness > 0 {
		if err := b.fuzzy(*text); err != nil {
			return nil, err
		}
	}
	if t.Field() == "" {
		if ix.noTokens(*text) {
			return query.NewMatchNoneQuery(), nil
		}
		return ix.allText(t, copyPer(t)), nil
	}
	field, kw, tax, err := ix.fieldFor(t.Field())
	if err != nil {
		return nil, err
	}
	t.SetField(field)
	if kw {
		*text = keywordValue(tax, *text)
	}
	return t, nil
}

// allText spreads an unfielded clause over the text fields with their
// boosts, multiplied by the clause's own boost (from ^N).
func (ix *Index) allText(q query.Query, each func(field string, boost float64) query.Query) query.Query {
	boost := 1.0
	if b, ok := q.(query.BoostableQuery); ok {
		boost = b.Boost()
	}
	or := make([]query.Query, len(textFields))
	for i, f := range textFields {
		or[i] = each(f.name, f.boost*boost)
	}
	return query.NewDisjunctionQuery(or)
}

// keywordValue normalises a value written for a keyword field; a
// taxonomy's value becomes its tax field term, key:id.
func keywordValue(t *taxMeta, v string) string {
	if t != nil {
		return taxTerm(t.Key, t.canonical(v))
	}
	return site.Normalize(v)
}
