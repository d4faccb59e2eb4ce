package site

import (
	"cmp"
	"path"
	"slices"
	"strings"

	"github.com/casebook/casebook/site/frontmatter"
	"github.com/casebook/casebook/site/internal/markdown"
)

// loadPaths reads training paths. A step must name a review this build
// publishes: a path that sends a new hire to a missing, draft or
// restricted review is broken, so it is an error at the step's line.
// asBuilt (Options.AsBuilt) judges steps by what a build with the
// default options publishes, whatever this load includes.
func (s *Site) loadPaths(files []sourceFile, all map[string]*parsedReview, asBuilt bool, e *errs) {
	bySlug := map[string]*parsedReview{}
	targets := make(map[string]markdown.Target, len(all))
	for _, p := range all {
		bySlug[p.src.slug] = p
		targets[p.src.path] = markdown.Target{Slug: p.src.slug, Dir: p.src.dir}
	}
	for _, r := range s.Reviews {
		t := targets[r.SourcePath]
		t.Published = true
		targets[r.SourcePath] = t
	}
	// Paths come after every review is assembled, so everyone with a page
	// is known.
	mc := s.Config.markdownConfig()
	mc.People = func(id string) bool { return s.byPerson[id] != nil }
	env := markdown.New(mc, targets)
	for _, sf := range files {
		f, fm := sf.path, sf.fm
		d := &frontmatter.Decoder{Path: f, Errs: e, Loc: s.Config.Location}
		name := path.Base(f)
		p := &Path{Slug: Slugify(strings.TrimSuffix(name, path.Ext(name))), SourcePath: f}
		p.Title = d.Str(fm.Fields, "title")
		p.Audience = d.Str(fm.Fields, "audience")
		p.Summary = d.Str(fm.Fields, "summary")
		intro, h1, berrs := env.HTML(f, fm.Body, fm.BodyLine)
		e.List = append(e.List, berrs...)
		p.Intro = intro
		if p.Title == "" {
			p.Title = h1
		}
		if p.Title == "" {
			e.Add(f, 1, 1, "training path has no title")
		}
		steps := fm.Fields.Get("steps")
		if steps == nil || steps.Kind != frontmatter.ListNode || len(steps.Items) == 0 {
			e.Add(f, 1, 1, "training path has no steps: add steps: with a review: for each")
			continue
		}
		for _, it := range steps.Items {
			var slug string
			at := it
			switch it.Kind {
			case frontmatter.ScalarNode:
				slug = it.Str
			case frontmatter.MapNode:
				slug = d.Str(it, "review")
				if v := it.Get("review"); v != nil {
					at = v
				}
			}
			if slug == "" {
				d.ErrAt(it, "step: name the review with review: <slug>")
				continue
			}
			id := Slugify(strings.TrimSuffix(path.Base(slug), path.Ext(slug)))
			r := s.bySlug[id]
			if r != nil && asBuilt && (r.Draft() || r.Restricted()) {
				r = nil // reported below, as the build reports it
			}
			if r == nil {
				switch pr := bySlug[id]; {
				case pr == nil:
					d.ErrAt(at, "step: no review with slug %q", slug)
				case pr.review != nil && pr.review.Nominated():
					d.ErrAt(at, "step: %q is a nomination, not yet a review; a path may only name published reviews", slug)
				case pr.review != nil && pr.review.Draft():
					d.ErrAt(at, "step: review %q is a draft; a path may only name published reviews", slug)
				case pr.review != nil && pr.review.Restricted():
					d.ErrAt(at, "step: review %q is restricted; a path may only name reviews everyone can read", slug)
				default:
					d.ErrAt(at, "step: review %q is not published", slug)
				}
				continue
			}
			step := &PathStep{Number: len(p.Steps) + 1, Review: r}
			if it.Kind == frontmatter.MapNode {
				if note := d.Str(it, "note"); note != "" {
					step.Note, _, _ = env.HTML(f, []byte(note), at.Line)
				}
				step.Questions = d.List(it, "questions")
			}
			p.Steps = append(p.Steps, step)
		}
		s.Paths = append(s.Paths, p)
	}
	slices.SortStableFunc(s.Paths, func(a, b *Path) int {
		return cmp.Or(strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)), strings.Compare(a.Slug, b.Slug))
	})
	for _, p := range s.Paths {
		for i, st := range p.Steps {
			pos := PathPosition{Path: p, Step: i + 1, Total: len(p.Steps)}
			if i > 0 {
				pos.Prev = p.Steps[i-1].Review
			}
			if i+1 < len(p.Steps) {
				pos.Next = p.Steps[i+1].Review
			}
			st.Review.Paths = append(st.Review.Paths, pos)
		}
	}
}
