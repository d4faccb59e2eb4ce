package terms

import (
	"cmp"
	"math/bits"
	"slices"
	"strings"
	"sync"
)

// Entry is a term the recogniser knows: its id, title and taxonomy, and
// the aliases it is also written as. A library's own entries (from
// casebook.yaml's vocabulary) have just these; built-in entries (Builtin)
// also carry how much evidence each of their forms needs.
type Entry struct {
	ID, Title, Taxonomy string
	Aliases             []string

	specs   []spec // built-in entries only
	quals   *quals
	context []string
}

// Section is one section of a review as plain text: its heading ("" for
// the text before the first heading) and its text.
type Section struct {
	Heading string
	Text    string
}

// Match is a term found in a review.
type Match struct {
	ID, Title, Taxonomy string
	Count               int // occurrences, headings included
	Sections            int // sections it occurs in
}

// form is one compiled way of writing an entry.
type form struct {
	low   []string // lower-case words
	orig  []string // as written, for exact, proper and qualified forms
	joins []byte   // joins[k] separates low[k] and low[k+1]
	tier  tier
	entry int32
}

// slot is what a word may begin or tell: the forms starting with it,
// longest first, and the entries it is a context word of.
type slot struct {
	forms []*form
	ctx   []ctxRef
}

type ctxRef struct {
	entry int32
	bit   uint32 // the word's bit in the entry's context set
}

type compiled struct {
	id, title, taxonomy string
	quals               *quals
}

// Recogniser finds the terms of a vocabulary in reviews. It is safe for
// concurrent use.
type Recogniser struct {
	words map[string]*slot // by lower-case word
	// filter has a bit for each word in words, by length, first and last
	// byte: most words of prose miss it and never reach the map.
	filter  [32][256]uint64
	entries []compiled
	pool    sync.Pool // *scratch
}

// New compiles the library's own entries (extra) together with the
// built-in vocabulary.
func New(extra []Entry) *Recogniser {
	return Compile(append(slices.Clip(extra), Builtin()...))
}

// libraryQuals are the words beside which a library term that is a
// common word counts: "the search service", "the checkout API".
var libraryQuals = &quals{
	after:  map[string]bool{"service": true, "services": true, "api": true, "apis": true, "cluster": true, "clusters": true, "server": true, "servers": true, "database": true, "db": true, "queue": true, "queues": true, "endpoint": true, "endpoints": true, "backend": true},
	before: map[string]bool{},
}

// Compile compiles exactly these entries. Entries without built-in data
// (the library's own) come first whatever their order: each takes its id,
// title and aliases as forms, a form taken by an earlier entry excepted.
// A library form written like a built-in one needs the evidence the
// built-in form needs (go, vault); any other one-word form that is a
// common English word (commonwords.txt) counts only as a proper noun or
// beside "service", "API", "cluster" and the like. A built-in entry sharing
// a form with a library entry is that entry: its other forms and
// qualifiers are added to it, so a library's "postgres" also finds
// "PostgreSQL". Other built-in entries follow, in order.
func Compile(entries []Entry) *Recogniser {
	r := &Recogniser{words: map[string]*slot{}}
	taken := map[string]int32{} // form key → entry
	var lib, built []Entry
	for _, e := range entries {
		if e.specs == nil {
			lib = append(lib, e)
		} else {
			built = append(built, e)
		}
	}
	builtinTier := map[string]spec{}
	builtinOf := map[string]int{}
	for bi, e := range built {
		for _, s := range e.specs {
			k := key(s.text)
			if _, ok := builtinTier[k]; !ok {
				builtinTier[k], builtinOf[k] = s, bi
			}
		}
	}
	add := func(entry int32, s spec) {
		k := key(s.text)
		if _, ok := taken[k]; ok || k == "" {
			return
		}
		f := compileForm(s, entry)
		if f == nil {
			return
		}
		taken[k] = entry
		r.slot(f.low[0]).forms = append(r.slot(f.low[0]).forms, f)
	}
	addContext := func(entry int32, words []string) {
		for i, w := range words {
			for _, w := range []string{w, w + "s"} {
				sl := r.slot(w)
				if !slices.ContainsFunc(sl.ctx, func(c ctxRef) bool { return c.entry == entry }) {
					sl.ctx = append(sl.ctx, ctxRef{entry, 1 << i})
				}
			}
		}
	}
	folded := make([]bool, len(built))
	type fold struct {
		bi  int
		idx int32
	}
	var folds []fold
	common := commonWords()
	for _, e := range lib {
		idx := int32(len(r.entries))
		c := compiled{id: e.ID, title: cmp.Or(e.Title, e.ID), taxonomy: e.Taxonomy, quals: newQuals()}
		r.entries = append(r.entries, c)
		for _, text := range append([]string{e.ID, e.Title}, e.Aliases...) {
			k := key(text)
			if k == "" {
				continue
			}
			if bs, ok := builtinTier[k]; ok {
				bi := builtinOf[k]
				if !folded[bi] {
					folded[bi] = true
					r.entries[idx].quals.merge(built[bi].quals)
					folds = append(folds, fold{bi, idx})
				}
				add(idx, spec{text: bs.text, tier: bs.tier})
				continue
			}
			s := spec{text: text, tier: strong}
			if !strings.ContainsAny(k, " ./'") && common[k] {
				s.tier = proper
				r.entries[idx].quals.merge(libraryQuals)
			}
			add(idx, s)
		}
	}
	// The folded built-in entries' other forms, after every library form.
	for _, f := range folds {
		for _, s := range built[f.bi].specs {
			add(f.idx, s)
		}
		addContext(f.idx, built[f.bi].context)
	}
	for bi, e := range built {
		if folded[bi] {
			continue
		}
		idx := int32(len(r.entries))
		r.entries = append(r.entries, compiled{id: e.ID, title: e.Title, taxonomy: e.Taxonomy, quals: e.quals})
		for _, s := range e.specs {
			add(idx, s)
		}
		addContext(idx, e.context)
	}
	for _, sl := range r.words {
		slices.SortStableFunc(sl.forms, func(a, b *form) int { return cmp.Compare(len(b.low), len(a.low)) })
	}
	r.pool.New = func() any { return &scratch{} }
	return r
}

func (r *Recogniser) slot(w string) *slot {
	sl := r.words[w]
	if sl == nil {
		sl = &slot{}
		r.words[w] = sl
		r.filter[len(w)&31][w[0]] |= 1 << (w[len(w)-1] & 63)
	}
	return sl
}

func (r *Recogniser) mayBe(w []byte) bool {
	return r.filter[len(w)&31][w[0]]&(1<<(w[len(w)-1]&63)) != 0
}

// key is a form's identity: its lower-case words and what joins them.
func key(text string) string {
	toks, low := tokenise(text, nil, nil)
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(cmp.Or(t.join, ' '))
		}
		b.Write(low[t.lstart:t.lend])
	}
	return b.String()
}

func compileForm(s spec, entry int32) *form {
	toks, low := tokenise(s.text, nil, nil)
	if len(toks) == 0 || len(toks) == 1 && toks[0].end-toks[0].start < 2 {
		return nil // a single letter is never a name
	}
	f := &form{tier: s.tier, entry: entry}
	for i, t := range toks {
		if i > 0 {
			f.joins = append(f.joins, cmp.Or(t.join, ' '))
		}
		f.low = append(f.low, string(low[t.lstart:t.lend]))
		f.orig = append(f.orig, s.text[t.start:t.end])
	}
	return f
}

// scratch is one Find call's working memory, pooled.
type scratch struct {
	toks    []token
	low     []byte
	stats   []stat
	touched []int32
}

type stat struct {
	count, sections int
	ctx             uint32 // context words seen, one bit each
	lastSection     int    // 1-based index of the last section counted
	substantial     bool
}

// Find returns the terms that are substantial in a review: each one that
// occurs in at least two sections, or at least three times, or in a
// heading, or in a "Systems:" / "Services:" line, or once or twice among
// enough of its context words (see the package documentation). The most discussed come first: by sections, then
// occurrences, then taxonomy and id.
func (r *Recogniser) Find(sections []Section) []Match { return r.find(sections, true) }

// find is Find, or with substantial false every term found at all.
func (r *Recogniser) find(sections []Section, substantial bool) []Match {
	sc := r.pool.Get().(*scratch)
	defer r.pool.Put(sc)
	if len(sc.stats) < len(r.entries) {
		sc.stats = make([]stat, len(r.entries))
	}
	sc.touched = sc.touched[:0]
	for si, sec := range sections {
		keySection := isKeyLabel(strings.TrimSpace(sec.Heading))
		r.scan(sc, sec.Heading, si+1, true, false)
		r.scan(sc, sec.Text, si+1, false, keySection)
	}
	var out []Match
	for _, e := range sc.touched {
		st := &sc.stats[e]
		if st.count > 0 && (!substantial || st.substantial || st.sections >= 2 || st.count >= 3 || st.count+bits.OnesCount32(st.ctx) >= 4) {
			c := r.entries[e]
			out = append(out, Match{ID: c.id, Title: c.title, Taxonomy: c.taxonomy, Count: st.count, Sections: st.sections})
		}
		*st = stat{}
	}
	slices.SortFunc(out, func(a, b Match) int {
		return cmp.Or(cmp.Compare(b.Sections, a.Sections), cmp.Compare(b.Count, a.Count),
			strings.Compare(a.Taxonomy, b.Taxonomy), strings.Compare(a.ID, b.ID))
	})
	return out
}

// scan counts the terms of one text: a section's heading or its body.
func (r *Recogniser) scan(sc *scratch, text string, section int, heading, keySection bool) {
	if text == "" {
		return
	}
	sc.toks, sc.low = tokenise(text, sc.toks[:0], sc.low[:0])
	toks := sc.toks
	for i := 0; i < len(toks); i++ {
		w := sc.low[toks[i].lstart:toks[i].lend]
		if !r.mayBe(w) {
			continue
		}
		sl := r.words[string(w)]
		if sl == nil {
			continue
		}
		for _, c := range sl.ctx {
			st := &sc.stats[c.entry]
			if st.count == 0 && st.ctx == 0 {
				sc.touched = append(sc.touched, c.entry)
			}
			st.ctx |= c.bit
		}
		for _, f := range sl.forms {
			n := len(f.low)
			if !r.matches(sc, text, i, f) || !r.evident(sc, text, i, f, heading, keySection) {
				continue
			}
			st := &sc.stats[f.entry]
			if st.count == 0 && st.ctx == 0 {
				sc.touched = append(sc.touched, f.entry)
			}
			st.count++
			if st.lastSection != section {
				st.lastSection = section
				st.sections++
			}
			if heading || keySection || toks[i].key {
				st.substantial = true
			}
			i += n - 1
			break
		}
	}
}

// matches reports whether the words from toks[i] are written as f.
func (r *Recogniser) matches(sc *scratch, text string, i int, f *form) bool {
	toks := sc.toks
	n := len(f.low)
	if i+n > len(toks) {
		return false
	}
	if n == 1 && toks[i].dotted {
		return false
	}
	for k := 1; k < n; k++ {
		t := toks[i+k]
		if t.join != f.joins[k-1] || string(sc.low[t.lstart:t.lend]) != f.low[k] {
			return false
		}
	}
	if f.tier == exact || f.tier == qualified {
		for k := 0; k < n; k++ {
			t := toks[i+k]
			if text[t.start:t.end] != f.orig[k] {
				return false
			}
		}
	}
	return true
}

// evident reports whether a match of f at toks[i] has the evidence its
// tier needs.
func (r *Recogniser) evident(sc *scratch, text string, i int, f *form, heading, keySection bool) bool {
	switch f.tier {
	case strong, exact:
		return true
	}
	toks := sc.toks
	last := i + len(f.low) - 1
	if r.qualified(sc, i, last, r.entries[f.entry].quals) {
		return true
	}
	capital := isUpper(text[toks[i].start])
	if f.tier == qualified {
		return keySection || toks[i].key
	}
	// proper: capitalised, and not merely because every word around it is.
	if !capital || allUpper(text[toks[i].start:toks[i].end]) && !allUpper(f.orig[0]) {
		return false
	}
	if keySection || toks[i].key {
		return true
	}
	if !heading && toks[i].brk {
		return false
	}
	return !titleCase(text, toks, i, last)
}

// qualified reports whether the words from toks[i] to toks[last] have a
// qualifier beside them.
func (r *Recogniser) qualified(sc *scratch, i, last int, q *quals) bool {
	if q == nil {
		return false
	}
	toks := sc.toks
	if i > 0 && toks[i].join == ' ' && q.before[string(sc.low[toks[i-1].lstart:toks[i-1].lend])] {
		return true
	}
	j := last + 1
	if j < len(toks) && toks[j].join == '\'' && string(sc.low[toks[j].lstart:toks[j].lend]) == "s" {
		j++ // Go's scheduler
	}
	if j >= len(toks) || toks[j].join != ' ' && toks[j].join != '\'' {
		return false
	}
	w := sc.low[toks[j].lstart:toks[j].lend]
	if q.after[string(w)] {
		return true
	}
	return q.version && w[0] >= '0' && w[0] <= '9'
}

// titleCase reports whether the words either side of a match, joined to
// it by spaces, are both capitalised, as in a heading written in title
// case ("Guard Rails Were Missing"), where a capital says nothing.
func titleCase(text string, toks []token, i, last int) bool {
	if i == 0 || toks[i].join != ' ' || last+1 >= len(toks) || toks[last+1].join != ' ' {
		return false
	}
	return isUpper(text[toks[i-1].start]) && isUpper(text[toks[last+1].start])
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }

func allUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'a' && s[i] <= 'z' {
			return false
		}
	}
	return true
}
