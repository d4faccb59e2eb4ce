package site

import (
	"cmp"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/casebook/casebook/site/frontmatter"
)

// loadPaths reads training paths. A step must name a review this build
// publishes: a path that sends a new hire to a missing, draft or
// restricted review is broken, so it is an error at the step's line.
func (s *Site) loadPaths(fsys fs.FS, files []string, all map[string]*parsedReview, e *errs) {
	env := newRenderEnv(s.Config, map[string]*source{})
	bySlug := map[string]*parsedReview{}
	for _, p := range all {
		bySlug[p.src.slug] = p
		env.targets[p.src.path] = p.src
	}
	env.included = map[string]bool{}
	for _, r := range s.Reviews {
		env.included[r.SourcePath] = true
	}
	env.indexTargets()
	// Paths come after every review is assembled, so everyone with a page
	// is known.
	env.people = func(id string) bool { return s.byPerson[id] != nil }
	for _, f := range files {
		content, err := fs.ReadFile(fsys, f)
		if err != nil {
			e.Add(f, 0, 0, "cannot read: %v", err)
			continue
		}
		fm := frontmatter.Split(f, content, e)
		d := &frontmatter.Decoder{Path: f, Errs: e, Loc: s.Config.Location}
		name := path.Base(f)
		p := &Path{Slug: Slugify(strings.TrimSuffix(name, path.Ext(name))), SourcePath: f}
		p.Title = d.Str(fm.Fields, "title")
		p.Audience = d.Str(fm.Fields, "audience")
		p.Summary = d.Str(fm.Fields, "summary")
		b := env.render(f, fm.Body, fm.BodyLine, &reviewContext{loc: s.Config.Location})
		e.List = append(e.List, b.Errors...)
		p.Intro = b.HTML
		if p.Title == "" {
			p.Title = b.H1
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
			if r == nil {
				switch pr := bySlug[id]; {
				case pr == nil:
					d.ErrAt(at, "step: no review with slug %q", slug)
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
					nb := env.render(f, []byte(note), at.Line, &reviewContext{loc: s.Config.Location})
					step.Note = template.HTML(nb.HTML)
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
