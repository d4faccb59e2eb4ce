package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io/fs"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/casebook/casebook/internal/parallel"
	"github.com/casebook/casebook/site/frontmatter"
	"github.com/casebook/casebook/site/internal/highlight"
	"github.com/casebook/casebook/site/internal/markdown"
)

// parsedReview is one review file after its front matter is read (phase
// one) and, if it is published in this build, its body rendered (phase two).
type parsedReview struct {
	src      *source
	review   *Review // front matter fields; copied before the model links it
	meta     reviewMeta
	errs     []*Error
	content  []byte
	bodyLine int
	bodyOff  int // where the body starts in the file
	sum      [32]byte
	body     *markdown.Body
	bodyKey  [32]byte
	broken   bool // the front matter did not parse
	// badTitle: title: is there but not text, which is reported as such
	// rather than as a missing title.
	badTitle bool
	// fields is the front matter tree, kept for casebook check
	// (Options.Syntax) when it parses.
	fields *frontmatter.Node
	notes  []*Error // what parsing the front matter and names inferred
	// partialDate: the date came from a folder's year or month, which a
	// date the body states outranks.
	partialDate bool
	badDate     bool // date: is given but cannot be read
	published   bool // in this build (set by Parse)
	notReview   bool // no date and nothing of a review: left out (inferFromBody)
	// nameDateFrom says which names gave the date, for the note.
	nameDateFrom string
	// final is review completed from the body (see inferFromBody), with
	// what that inferred and found wrong; made again whenever the body is.
	final *Review
	// inferredFor is the body final was inferred from.
	inferredFor *markdown.Body
	finalMeta   reviewMeta
	bodyNotes   []*Error
	bodyErrs    []*Error
	// difficulties are the body's lines that head its difficulties (see
	// Depth), read with the rest of the body's structure.
	difficulties []string
	gitDated     bool
	stamp        fileStamp
	nomination   *nominationMeta // status: nominated (see nominations.go)
}

// reviewMeta holds front matter values that refer to other things in the
// library, resolved once the whole library is known.
type reviewMeta struct {
	terms         [][]termRef // per taxonomy, config order
	responders    []string
	investigators []string
	followUps     []rawFollowUp
}

type termRef struct {
	raw       string
	line, col int
}

type rawFollowUp struct {
	FollowUp
	owner string
}

// maxTerms bounds a review's terms in one taxonomy: no review means a
// hundred, and the insights' pairs of contributing factors grow with the
// square of their number (4,000 in one review took 52 s and 983 MB).
const maxTerms = 100

// parseMode is what parsing one review needs to know of the load.
type parseMode struct {
	sums   bool // a cache compares content sums
	syntax bool // keep the front matter tree (Options.Syntax)
}

func parseReview(fsys fs.FS, cfg *Config, src *source, opts parseMode) *parsedReview {
	content, err := src.content, error(nil)
	if content == nil {
		content, err = fs.ReadFile(fsys, src.path)
	}
	p := &parsedReview{src: src}
	if err != nil {
		p.errs = []*Error{{Path: src.path, Msg: "cannot read: " + err.Error()}}
		return p
	}
	p.content = content
	if opts.sums { // only a cache compares sums
		p.sum = sha256.Sum256(content)
	}
	var e errs
	content = validUTF8(src.path, content, &e)
	fm := frontmatter.Split(src.path, content, &e)
	// When the front matter does not parse, everything derived from it
	// (missing title, missing date) would only repeat the same problem.
	p.broken = len(e.List) > 0
	p.bodyLine = fm.BodyLine
	p.bodyOff = len(content) - len(fm.Body)
	p.content = fm.Body
	f := fm.Fields
	if opts.syntax && !p.broken {
		p.fields = f
	}
	f = withAliases(f, cfg.Fields)
	d := &frontmatter.Decoder{Path: src.path, Errs: &e, Loc: cfg.Location}
	r := &Review{Slug: src.slug, SourcePath: src.path, Bundle: src.dir != "", Params: map[string]any{}}
	r.Title = d.Str(f, "title")
	if v := f.Get("title"); v != nil && v.Kind != frontmatter.NullNode && v.Kind != frontmatter.ScalarNode {
		p.badTitle = true
	}
	r.Summary = d.Str(f, "summary")
	r.Severity = d.Str(f, "severity")
	r.IncidentID = d.Str(f, "incident_id")
	if r.Severity != "" && len(cfg.Severities) > 0 {
		if rank := cfg.SeverityRank(r.Severity); rank < len(cfg.Severities) {
			r.Severity = cfg.Severities[rank]
		} else {
			d.ErrAt(f.Get("severity"), "severity: %q is not one of %s (casebook.yaml severities)", r.Severity, strings.Join(cfg.Severities, ", "))
		}
	}
	r.Status = d.OneOf(f, "status", "published", "published", "draft", "nominated")
	if f.Get("status") == nil && d.Bool(f, "draft") {
		r.Status = "draft" // Hugo's and Jekyll's draft: true
	}
	if r.Nominated() {
		p.nomination = decodeNomination(d, f)
	}
	for _, k := range []string{"published", "publishDate", "date_published"} {
		if f.Get(k) != nil {
			if t, ok := d.Time(f, k); ok {
				r.Published = t
			}
			break
		}
	}
	for _, k := range []string{"lastmod", "updated", "last_modified_at"} {
		if f.Get(k) != nil {
			if t, ok := d.Time(f, k); ok {
				r.Updated = t
			}
			break
		}
	}
	r.Aliases = d.List(f, "aliases")
	r.Visibility = d.OneOf(f, "visibility", "internal", "internal", "restricted")
	r.Started, _ = d.Time(f, "started")
	r.Detected, _ = d.Time(f, "detected")
	r.Resolved, _ = d.Time(f, "resolved")
	if date, ok := d.Time(f, "date"); ok {
		r.Date = date
	} else if f.Get("date") != nil {
		p.badDate = true // reported: nothing is to be inferred over it
	} else {
		named := src.path
		if src.dir != "" {
			named = src.dir // a bundle is named by its folder
		}
		if nd, ok := datesFromNames(named, cfg.Location); ok && !(nd.partial && !r.Started.IsZero()) {
			r.Date, p.partialDate = nd.t, nd.partial
			p.nameDateFrom = nd.from
			if !nd.partial && (nd.from != "the file name" || !datePrefix.MatchString(src.name)) {
				// A YYYY-MM-DD prefix is casebook's own convention, not an
				// inference worth a note; anything else is. A folder's year
				// or month is noted only if nothing better is found.
				r.Inferred = append(r.Inferred, Inference{Field: "date", From: nd.from})
				e.Note(src.path, 1, 1, "date from %s", nd.from)
			}
		} else if !r.Started.IsZero() {
			r.Date = r.Started
		}
		// What is still missing is looked for in the body once it is
		// rendered, then in Git (inferFromBody).
	}
	for _, tax := range cfg.Taxonomies {
		var refs []termRef
		if v := f.Get(tax.Field); v != nil {
			for _, s := range d.List(f, tax.Field) {
				refs = append(refs, termRef{raw: s, line: v.Line, col: v.Col})
			}
			if v.Kind == frontmatter.ListNode {
				for i, it := range v.Items {
					if i < len(refs) {
						refs[i].line, refs[i].col = it.Line, it.Col
					}
				}
			}
		}
		if len(refs) > maxTerms {
			d.ErrAt(f.Get(tax.Field), "%s: %d terms; a review may give at most %d", tax.Field, len(refs), maxTerms)
			refs = refs[:maxTerms]
		}
		p.meta.terms = append(p.meta.terms, refs)
	}
	for _, s := range d.List(f, "responders") {
		p.meta.responders = append(p.meta.responders, Normalize(s))
	}
	for _, s := range d.List(f, "investigators") {
		p.meta.investigators = append(p.meta.investigators, Normalize(s))
	}
	if len(p.meta.investigators) == 0 {
		// Hugo's and Jekyll's author and authors: who wrote the review.
		for _, k := range []string{"authors", "author"} {
			for _, s := range d.List(f, k) {
				p.meta.investigators = append(p.meta.investigators, Normalize(s))
			}
		}
	}
	if rel := f.Get("related"); rel != nil {
		items := []*frontmatter.Node{rel}
		if rel.Kind == frontmatter.ListNode {
			items = rel.Items
		}
		for _, s := range d.List(f, "related") {
			it := items[0]
			for _, c := range items {
				if strings.TrimSpace(c.Str) == s {
					it = c
					break
				}
			}
			r.relatedSlugs = append(r.relatedSlugs, relRef{slug: s, line: it.Line, col: it.Col})
		}
	}
	p.meta.followUps = decodeFollowUps(d, f)
	r.onCall = readIDRefs(d, f, "on_call")
	r.Depth = frontMatterDepth(d, f)
	known := knownFields()
	for _, tax := range cfg.Taxonomies {
		known[tax.Field] = true
	}
	for _, k := range f.Keys {
		if !known[k] {
			r.Params[k] = f.Fields[k].Plain()
		}
	}
	p.review = r
	p.errs, p.notes = e.List, e.Notes
	return p
}

func decodeFollowUps(d *frontmatter.Decoder, f *frontmatter.Node) []rawFollowUp {
	v := f.Get("follow_ups")
	if v == nil || v.Kind == frontmatter.NullNode {
		return nil
	}
	if v.Kind != frontmatter.ListNode {
		d.ErrAt(v, "follow_ups must be a list of items with title, owner, status, due and link")
		return nil
	}
	var out []rawFollowUp
	for _, it := range v.Items {
		if it.Kind == frontmatter.ScalarNode {
			// A bare string is a follow-up with only a title.
			out = append(out, rawFollowUp{FollowUp: FollowUp{Title: it.Str, Status: "open", Line: it.Line}})
			continue
		}
		if it.Kind != frontmatter.MapNode {
			d.ErrAt(it, "follow_ups: each item must have at least a title")
			continue
		}
		fu := rawFollowUp{FollowUp: FollowUp{Line: it.Line}}
		fu.Title = d.Str(it, "title")
		if fu.Title == "" {
			d.ErrAt(it, "follow_ups: title is required")
		}
		fu.owner = Normalize(d.Str(it, "owner"))
		fu.Status = d.OneOf(it, "status", "open", "open", "in-progress", "done", "wont-do")
		fu.Due, _ = d.Time(it, "due")
		fu.Link = d.Str(it, "link")
		out = append(out, fu)
	}
	return out
}

// renderBodies renders the Markdown of every published review in
// parallel, reusing cached bodies whose input has not changed, and hands
// each to infer (see inferrer) as soon as it has it.
func renderBodies(ctx context.Context, md *markdown.Renderer, ps []*parsedReview, cache *Cache, envKey [32]byte, infer func(*parsedReview)) error {
	return parallel.ForContext(ctx, len(ps), func(i int) {
		p := ps[i]
		defer infer(p)
		var key [32]byte
		if cache != nil {
			key = sha256.Sum256(append(p.sum[:], envKey[:]...))
			if p.body != nil && p.bodyKey == key {
				return
			}
		}
		p.body, p.bodyKey = md.Render(p.src.path, p.content, p.bodyLine, p.review.timeBase()), key
		if cache == nil {
			// A one-off build keeps each body compressed until its page
			// is written (see package blob), and never reads its source
			// again.
			p.content = nil
		}
	})
}

// reviewSyntax is every parsed review as casebook check reads it. Bodies
// this build did not render (a second file with a taken slug) are
// rendered here for their outline alone.
func reviewSyntax(md *markdown.Renderer, parsed []*parsedReview) []*ReviewSyntax {
	out := make([]*ReviewSyntax, len(parsed))
	parallel.For(len(parsed), func(i int) {
		p := parsed[i]
		rs := &ReviewSyntax{File: ReviewFile{Path: p.src.path, Dir: p.src.dir, Slug: p.src.slug, Bundle: p.src.dir != ""}, Fields: p.fields}
		if p.review != nil {
			rs.Draft, rs.Nominated = p.review.Draft(), p.review.Nominated()
			b := p.body
			if b == nil {
				b = md.Render(p.src.path, p.content, p.bodyLine, p.review.timeBase())
			}
			rs.Outline = b.Outline
		}
		out[i] = rs
	})
	return out
}

// timeBase is the day timeline times written as HH:MM fall on before any
// line gives a date: the incident's start, detection or date.
func (r *Review) timeBase() time.Time {
	switch {
	case !r.Started.IsZero():
		return r.Started
	case !r.Detected.IsZero():
		return r.Detected
	}
	return r.Date
}

// Cache keeps parsed reviews between loads of the same library, keyed by
// file content, so an edit to one review re-parses only that review. It is
// safe to use from one Load at a time.
type Cache struct {
	mu      sync.Mutex
	cfgSum  [32]byte
	entries map[string]*parsedReview
	// hl keeps the highlighter's memo warm from load to load.
	hl *highlight.Highlighter
}

// NewCache returns an empty cache.
func NewCache() *Cache { return &Cache{entries: map[string]*parsedReview{}, hl: highlight.New()} }

// fileStamp is what the cache compares to trust a file unchanged.
type fileStamp struct {
	size int64
	mod  time.Time
}

func stampOf(src *source) fileStamp {
	if src.entry == nil {
		return fileStamp{}
	}
	info, err := src.entry.Info()
	if err != nil {
		return fileStamp{}
	}
	return fileStamp{size: info.Size(), mod: info.ModTime()}
}

// unchanged returns the cached parse of a file whose size and modification
// time have not changed, or nil. File systems without modification times
// (a zero stamp) are always read.
func (c *Cache) unchanged(src *source) *parsedReview {
	st := stampOf(src)
	if st.mod.IsZero() {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.entries[src.path]; ok && p.stamp == st {
		return p
	}
	return nil
}

func (c *Cache) lookup(path string, sum [32]byte) *parsedReview {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.entries[path]; ok && p.sum == sum {
		return p
	}
	return nil
}

// keepOnly forgets files that are no longer in the library, so that
// PatchReview, which resolves links against the cache, cannot link to a
// deleted review.
func (c *Cache) keepOnly(files map[string]*parsedReview) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for path := range c.entries {
		if files[path] == nil {
			delete(c.entries, path)
		}
	}
}

func (c *Cache) store(p *parsedReview) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.entries[p.src.path] = p
	c.mu.Unlock()
}

// now is a seam for tests of relative dates; production uses Options.Now.
var now = time.Now

var datePrefix = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})`)

// linked is the review's references to the rest of the library, with
// those its body adds (see inferFromBody).
func (p *parsedReview) linked() *reviewMeta {
	if p.final != nil {
		return &p.finalMeta
	}
	return &p.meta
}

// knownFields are the front-matter keys casebook reads (besides the
// taxonomies' fields): any other is kept for themes in Params, and
// casebook check says so.
func knownFields() map[string]bool {
	return map[string]bool{"title": true, "summary": true, "severity": true, "status": true, "visibility": true, "date": true,
		"started": true, "detected": true, "resolved": true, "responders": true, "investigators": true, "follow_ups": true, "related": true,
		"draft": true, "published": true, "publishDate": true, "date_published": true, "lastmod": true, "updated": true,
		"last_modified_at": true, "aliases": true, "author": true, "authors": true, "why": true, "nominated_by": true, "on_call": true,
		"readers": true, "customer_impact": true, "employee_impact": true, "incident_id": true}
}

// validUTF8 returns content with every byte sequence that is not UTF-8
// replaced by U+FFFD, noting the first where it is: pages say they are
// UTF-8, and a browser shows such bytes as garbage or a search index
// chokes on them. Valid content (nearly all) is returned as it is.
func validUTF8(path string, content []byte, e *errs) []byte {
	if utf8.Valid(content) {
		return content
	}
	line, col := 1, 1
	for i := 0; i < len(content); {
		r, size := utf8.DecodeRune(content[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		if content[i] == '\n' {
			line, col = line+1, 1
		} else {
			col += size
		}
		i += size
	}
	e.Note(path, line, col, "not UTF-8: bytes that are not text in UTF-8 are shown as \uFFFD (save the file as UTF-8)")
	return bytes.ToValidUTF8(content, []byte("\uFFFD"))
}
