package site_test

import (
	"context"
	"maps"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

const patchA = `---
title: Alpha outage
date: 2024-01-02
services: [alpha]
technologies: [kafka]
responders: [ann-lee]
follow_ups:
  - title: Fix alpha
    owner: ann-lee
---
The alpha body says hello. See [beta](b.md).

## Details

` + "```timeline\n2024-01-02 10:00 | trigger | a deploy went out\n10:05 | detection | @ann-lee got paged\n```\n"

const patchB = `---
title: Beta outage
date: 2024-02-03
technologies: [kafka]
---
The beta body.
`

func patchLib() fstest.MapFS {
	return fstest.MapFS{
		"casebook.yaml": {Data: []byte("title: Patch test\n")},
		"reviews/a.md":  {Data: []byte(patchA)},
		"reviews/b.md":  {Data: []byte(patchB)},
		"reviews/c.md":  {Data: []byte("---\ntitle: Gamma\ndate: 2024-03-04\nstatus: draft\n---\nDraft body.\n")},
		"reviews/d.md":  {Data: []byte("---\ntitle: Delta\ndate: 2024-04-05\n---\nDelta body.\n")},
	}
}

func patchOptions() site.Options {
	return site.Options{Drafts: false, Cache: site.NewCache(), Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
}

func loadPatchLib(t *testing.T, lib fstest.MapFS, opts site.Options) *site.Site {
	t.Helper()
	s, err := site.Load(context.Background(), lib, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func slugs(rs []*site.Review) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Slug)
	}
	return out
}

// patchAndLoad writes content to reviews/a.md, patches it into s, and
// returns the patched review and what a full load now makes of it.
func patchAndLoad(t *testing.T, s *site.Site, lib fstest.MapFS, opts site.Options, content, what string) (patched, loaded *site.Review) {
	t.Helper()
	lib["reviews/a.md"] = &fstest.MapFile{Data: []byte(content)}
	r, ok := s.PatchReview(lib, opts, "reviews/a.md")
	if !ok {
		t.Fatalf("%s was not patched", what)
	}
	return r, loadPatchLib(t, lib, opts).Review("a")
}

func TestPatchReviewBodyEdit(t *testing.T) {
	lib := patchLib()
	opts := patchOptions()
	s := loadPatchLib(t, lib, opts)
	old := s.Review("a")
	oldHTML := old.HTML()

	edited := strings.Replace(patchA, "says hello", "says goodbye", 1)
	edited = strings.Replace(edited, "got paged", "got paged twice", 1)
	edited = strings.Replace(edited, "## Details", "## More details", 1)
	// The patched review is what a full load now makes.
	r, want := patchAndLoad(t, s, lib, opts, edited, "a body-only edit")
	if r.HTML() != want.HTML() {
		t.Errorf("HTML:\n%s\nwant:\n%s", r.HTML(), want.HTML())
	}
	if !strings.Contains(string(r.HTML()), "says goodbye") {
		t.Errorf("the edit is not in the HTML:\n%s", r.HTML())
	}
	if r.Text() != want.Text() || r.WordCount != want.WordCount || r.Summary != want.Summary || r.Title != want.Title {
		t.Errorf("text fields differ: %q %d %q %q, want %q %d %q %q", r.Text(), r.WordCount, r.Summary, r.Title, want.Text(), want.WordCount, want.Summary, want.Title)
	}
	if len(r.TOC) != 1 || r.TOC[0].Text != "More details" || len(want.TOC) != 1 || *r.TOC[0] != *want.TOC[0] {
		t.Errorf("TOC %v, want %v", r.TOC, want.TOC)
	}
	if len(r.Timeline.Events) != 2 || r.Timeline.Events[1].HTML != want.Timeline.Events[1].HTML {
		t.Errorf("timeline event %q, want %q", r.Timeline.Events[1].HTML, want.Timeline.Events[1].HTML)
	}
	if p := r.Timeline.Events[1].People; len(p) != 1 || p[0].ID != "ann-lee" || len(r.Timeline.People) != 1 {
		t.Errorf("timeline people %v", p)
	}
	if got, want := slugs(r.Links), slugs(want.Links); strings.Join(got, ",") != strings.Join(want, ",") || len(got) != 1 {
		t.Errorf("links %v, want %v", got, want)
	}
	if got, want := slugs(r.Related), slugs(want.Related); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("related %v, want %v", got, want)
	}
	if len(r.FollowUps) != 1 || r.FollowUps[0].Review != r || r.FollowUps[0].Owner == nil || r.FollowUps[0].Owner.ID != "ann-lee" {
		t.Errorf("follow-ups %+v", r.FollowUps)
	}
	if len(r.Terms) == 0 || len(r.Responders) != 1 {
		t.Errorf("terms %v, responders %v", r.Terms, r.Responders)
	}

	// Neither the site nor its review changed.
	if s.Review("a") != old || old.HTML() != oldHTML || strings.Contains(string(old.HTML()), "goodbye") {
		t.Errorf("PatchReview changed the site")
	}
}

// Front matter that describes only the review itself is patched too.
func TestPatchReviewDescriptionEdit(t *testing.T) {
	lib := patchLib()
	// An authors' related pick, which the lines added above it move.
	base := strings.Replace(patchA, "services: [alpha]", "services: [alpha]\nrelated: [d]", 1)
	lib["reviews/a.md"] = &fstest.MapFile{Data: []byte(base)}
	opts := patchOptions()
	s := loadPatchLib(t, lib, opts)
	edited := strings.Replace(base, "title: Alpha outage", `title: Alpha incident
summary: A new summary.
severity: SEV1
started: 2024-01-02 09:55
resolved: 2024-01-02 11:00
team: payments`, 1)
	edited = strings.Replace(edited, "date: 2024-01-02", "date: 2024-01-03", 1)
	r, want := patchAndLoad(t, s, lib, opts, edited, "an edit of title, summary, severity, dates and params")
	if r.Title != want.Title || r.Summary != want.Summary || r.Severity != want.Severity || r.Duration() != want.Duration() ||
		!r.Date.Equal(want.Date) || r.Params["team"] != want.Params["team"] || r.Title != "Alpha incident" {
		t.Errorf("patched %q %q %q %v %v %v, want %q %q %q %v %v %v", r.Title, r.Summary, r.Severity, r.Duration(), r.Date, r.Params,
			want.Title, want.Summary, want.Severity, want.Duration(), want.Date, want.Params)
	}
	if r.HTML() != want.HTML() || len(r.Terms) != len(want.Terms) || len(r.FollowUps) != 1 || r.FollowUps[0].Line != want.FollowUps[0].Line {
		t.Errorf("body, terms or follow-ups differ from a full load")
	}
	if got, want := slugs(r.Related), slugs(want.Related); strings.Join(got, ",") != strings.Join(want, ",") || len(got) == 0 || got[0] != "d" {
		t.Errorf("related %v, want %v", got, want)
	}
	if s.Review("a").Title != "Alpha outage" {
		t.Errorf("PatchReview changed the site")
	}
}

// An edit that moves the review's terms, people, follow-ups or related
// picks is patched too, and its page comes out byte for byte as a full
// load makes it.
func TestPatchReviewPageMatchesLoad(t *testing.T) {
	lib := patchLib()
	lib["reviews/e.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Epsilon\ndate: 2024-05-06\nservices: [alpha, gamma]\ntechnologies: [kafka, redis]\nresponders: [cy-dee]\n---\nEpsilon body, after [alpha](a.md).\n")}
	lib["reviews/f.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Zeta\ndate: 2024-06-07\nservices: [gamma]\ntechnologies: [redis, solo-term]\n---\nZeta body.\n")}
	lib["casebook.yaml"] = &fstest.MapFile{Data: []byte("title: Patch test\nvocabulary:\n  technologies:\n    kubernetes:\n      title: Kubernetes\n      aliases: [k8s]\n")}
	// A named profile: the timeline's mention of ann-lee reads "Ann Lee".
	lib["people/ann-lee.md"] = &fstest.MapFile{Data: []byte("---\nname: Ann Lee\n---\n")}
	for _, tc := range []struct{ name, from, to string }{
		{"term added", "services: [alpha]", "services: [alpha, gamma]"},
		{"term dropped", "technologies: [kafka]", "technologies: []"},
		{"new term", "technologies: [kafka]", "technologies: [kafka, brand-new-thing]"},
		// solo-term is on f alone: only once a carries it too does it
		// count towards related reviews.
		{"term shared with one review", "technologies: [kafka]", "technologies: [kafka, solo-term]"},
		{"alias", "technologies: [kafka]", "technologies: [kafka, k8s]"},
		// kafka is titled by its most used spelling; b and e keep "kafka"
		// ahead of a's new one.
		{"spelling of a term", "technologies: [kafka]", "technologies: [Kafka]"},
		{"responder added", "responders: [ann-lee]", "responders: [ann-lee, cy-dee, new-person]"},
		{"investigator", "responders: [ann-lee]", "responders: [ann-lee]\ninvestigators: [cy-dee]"},
		{"follow-up owner", "owner: ann-lee", "owner: someone-new"},
		{"follow-up added", "follow_ups:\n", "follow_ups:\n  - title: Another\n    owner: cy-dee\n    due: 2024-02-01\n"},
		{"related pick", "services: [alpha]", "services: [alpha]\nrelated: [f, a]"},
		{"new link", "See [beta](b.md).", "See [beta](b.md) and [delta](d.md)."},
		{"link removed", "See [beta](b.md).", "See beta."},
		{"new mention", "says hello", "says hello to @bob-ray"},
		{"mention of a named person", "says hello", "says hello to @ann-lee"},
		{"timeline time", "10:05", "10:06"},
		{"timeline event added", "got paged\n", "got paged\n10:09 | repair | @cy-dee and @newcomer rolled back\n"},
		{"several at once", "title: Alpha outage", "title: Alpha incident\nseverity: SEV2\nthemes: [change]\ninvestigators: [bob-ray]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := patchOptions()
			s := loadPatchLib(t, lib, opts)
			edited := strings.Replace(patchA, tc.from, tc.to, 1)
			if edited == patchA {
				t.Fatalf("the edit %q does not apply", tc.from)
			}
			lib := maps.Clone(lib)
			lib["reviews/a.md"] = &fstest.MapFile{Data: []byte(edited)}
			r, ok := s.PatchReview(lib, opts, "reviews/a.md")
			if !ok {
				t.Fatal("not patched")
			}
			old, err := render.New(s, defaulttheme.FS)
			if err != nil {
				t.Fatal(err)
			}
			pg := *old.Page(r.URL())
			pg.Review, pg.Title = r, r.Title
			got, err := old.RenderPage(&pg)
			if err != nil {
				t.Fatal(err)
			}
			full, err := render.New(loadPatchLib(t, lib, opts), defaulttheme.FS)
			if err != nil {
				t.Fatal(err)
			}
			want, err := full.RenderPage(full.Page(r.URL()))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("the patched page differs from a full load's (got is the patch):\n%s", firstDiff(string(want), string(got)))
			}
		})
	}
}

func TestPatchReviewRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, path, content string
	}{
		{"broken link", "reviews/a.md", strings.Replace(patchA, "says hello", "says hello, see [x](missing.md)", 1)},
		{"broken front matter", "reviews/a.md", strings.Replace(patchA, "title: Alpha outage", "title: [unclosed", 1)},
		{"bad timeline", "reviews/a.md", strings.Replace(patchA, "| trigger |", "| nonsense |", 1)},
		{"made a draft", "reviews/a.md", strings.Replace(patchA, "date: 2024-01-02", "date: 2024-01-02\nstatus: draft", 1)},
		{"related to a draft", "reviews/a.md", strings.Replace(patchA, "services: [alpha]", "services: [alpha]\nrelated: [c]", 1)},
		{"related to nothing", "reviews/a.md", strings.Replace(patchA, "services: [alpha]", "services: [alpha]\nrelated: [zzz]", 1)},
		// kafka is outside the vocabulary and titled by its most used
		// spelling: a's vote may change that title on other reviews' cards.
		{"spelling of a term", "reviews/a.md", strings.Replace(patchA, "technologies: [kafka]", "technologies: [Kafka]", 1)},
		{"made restricted", "reviews/a.md", strings.Replace(patchA, "date: 2024-01-02", "date: 2024-01-02\nvisibility: restricted", 1)},
		{"draft", "reviews/c.md", "---\ntitle: Gamma\ndate: 2024-03-04\nstatus: draft\n---\nDraft body, edited.\n"},
		{"not a review", "reviews/z.md", "---\ntitle: Zeta\ndate: 2024-03-04\n---\nNew.\n"},
		{"deleted", "reviews/a.md", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lib := patchLib()
			opts := patchOptions()
			s := loadPatchLib(t, lib, opts)
			if tc.content == "" {
				delete(lib, tc.path)
			} else {
				lib[tc.path] = &fstest.MapFile{Data: []byte(tc.content)}
			}
			if r, ok := s.PatchReview(lib, opts, tc.path); ok {
				t.Errorf("patched (%v); want a full load", r.Title)
			}
		})
	}
}

// A review deleted since the last load is not a link target: the load
// reports such a link, so the patch must refuse it.
func TestPatchReviewLinkToDeletedReview(t *testing.T) {
	lib := patchLib()
	opts := patchOptions()
	loadPatchLib(t, lib, opts)
	delete(lib, "reviews/d.md")
	s := loadPatchLib(t, lib, opts)
	lib["reviews/a.md"] = &fstest.MapFile{Data: []byte(strings.Replace(patchA, "See [beta](b.md).", "See [beta](b.md) and [delta](d.md).", 1))}
	if r, ok := s.PatchReview(lib, opts, "reviews/a.md"); ok {
		t.Errorf("patched a link to a deleted review (%v)", r.Title)
	}
	if _, err := site.Load(context.Background(), lib, opts); err == nil || !strings.Contains(err.Error(), "reviews/a.md:") {
		t.Errorf("Load: %v; want the dead link reported", err)
	}
}

func TestPatchReviewNeedsCache(t *testing.T) {
	lib := patchLib()
	opts := patchOptions()
	opts.Cache = nil
	s := loadPatchLib(t, lib, opts)
	lib["reviews/a.md"] = &fstest.MapFile{Data: []byte(strings.Replace(patchA, "says hello", "says goodbye", 1))}
	if _, ok := s.PatchReview(lib, opts, "reviews/a.md"); ok {
		t.Error("patched without a cache")
	}
}

// After a patch, a full load with the same cache still sees the edit.
func TestPatchReviewThenLoad(t *testing.T) {
	lib := patchLib()
	opts := patchOptions()
	s := loadPatchLib(t, lib, opts)
	lib["reviews/a.md"] = &fstest.MapFile{Data: []byte(strings.Replace(patchA, "says hello", "says goodbye", 1))}
	if _, ok := s.PatchReview(lib, opts, "reviews/a.md"); !ok {
		t.Fatal("not patched")
	}
	s2 := loadPatchLib(t, lib, opts)
	if !strings.Contains(string(s2.Review("a").HTML()), "says goodbye") {
		t.Errorf("the load after a patch lost the edit")
	}
	// And the next patch compares with that load.
	lib["reviews/a.md"] = &fstest.MapFile{Data: []byte(strings.Replace(patchA, "says hello", "says hi", 1))}
	r, ok := s2.PatchReview(lib, opts, "reviews/a.md")
	if !ok || !strings.Contains(string(r.HTML()), "says hi") {
		t.Errorf("second patch: ok=%v", ok)
	}
}
