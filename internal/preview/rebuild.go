package preview

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/casebook/casebook/index"
	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
)

// loop loads the library, then reacts to each batch of changes until ctx
// ends. It is the only writer of s.cur.
func (s *Server) loop(ctx context.Context, w *watcher) {
	start := time.Now()
	g := s.load(ctx, nil)
	if g == nil {
		return // ctx ended during the first load
	}
	s.cur.Store(g)
	close(s.ready)
	s.report(g, nil, 0, time.Since(start))
	var pending []change // a batch whose reload a newer batch superseded
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.ready:
		}
		batch := append(pending, w.take()...)
		pending = nil
		if len(batch) == 0 {
			continue
		}
		if !s.react(ctx, w, batch) {
			pending = batch
		}
	}
}

// superseded is a context that ends with ctx or when the watcher has a
// new batch ready, which it leaves ready for the loop: a reload that is
// out of date before it ends is abandoned rather than waited for.
func superseded(ctx context.Context, w *watcher) (context.Context, func()) {
	lctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		select {
		case <-w.ready:
			cancel()
			select {
			case w.ready <- struct{}{}:
			default:
			}
		case <-done:
		}
	}()
	return lctx, func() { close(done); cancel() }
}

// react handles one batch of changes. It reports false when a newer batch
// arrived during the full reload, which it then abandoned: the loop
// handles the two batches together.
//
// Files that pages only refer to (stylesheets, images) are served fresh
// from disk already: browsers are told, nothing is reloaded. Anything else
// reloads the library. Before that, edits to published reviews take a fast
// path: site.PatchReview makes each review's page as the full reload will,
// its page is rendered and its tabs told at once, and the full reload
// follows (tabs whose page it changes reload again; the edited review's
// own page normally comes out the same).
func (s *Server) react(ctx context.Context, w *watcher, batch []change) bool {
	tr := Rebuild{FirstSeen: batch[0].at}
	for _, c := range batch {
		tr.Paths = append(tr.Paths, c.rel)
	}
	old := s.cur.Load()
	kind := classify(batch, old)
	if kind == assetsOnly || kind == cssOnly {
		ev := event{name: "reload"}
		if kind == cssOnly {
			ev = cssEvent(batch)
		}
		tr.Reloaded = s.hub.broadcast(ev)
		tr.Notified = time.Now()
		tr.FullNotified = tr.Notified
		s.logf("casebook: %s changed: %s\n", describe(batch), map[bool]string{true: "swapping stylesheets", false: "reloading"}[kind == cssOnly])
		s.traceDone(tr)
		return true
	}
	var fast time.Duration
	if kind == pagesOnly {
		t := time.Now()
		if g := s.patch(old, batch); g != nil {
			tr.Patch = time.Since(t)
			s.cur.Store(g)
			tr.Fast = true
			tr.Reloaded, tr.Prerender = s.hub.notify(g)
			tr.Notified = time.Now()
			fast = tr.Notified.Sub(tr.FirstSeen)
			old = g
		}
	}

	start := time.Now()
	lctx, stop := superseded(ctx, w)
	g := s.load(lctx, old)
	stop()
	if g == nil {
		return false
	}
	tr.Load, tr.Renderer = g.loadTime, g.rendererTime
	s.cur.Store(g)
	n := 0
	var render time.Duration
	switch {
	case kind == cssNew && g.problem == nil && old.problem == nil:
		n = s.hub.broadcast(cssEvent(batch))
	case kind == pagesOnly:
		n, render = s.hub.notify(g)
	default:
		n = s.hub.broadcast(event{name: "reload"})
	}
	tr.FullNotified = time.Now()
	if !tr.Fast {
		tr.Notified, tr.Reloaded, tr.Prerender = tr.FullNotified, n, render
	} else {
		tr.Rereloaded = n
	}
	if old.problem != nil && g.problem == nil {
		s.logf("casebook: the library's problems are fixed\n")
	}
	s.report(g, batch, fast, time.Since(start))
	s.traceDone(tr)
	return true
}

// patch is the fast path of react: a generation in which the edited
// reviews are patched into the current site, or nil when the batch is
// not only edits that site.PatchReview takes.
func (s *Server) patch(old *generation, batch []change) *generation {
	if old.problem != nil || old.good == nil {
		return nil
	}
	seen := map[string]bool{}
	var reviews []*site.Review
	for _, c := range batch {
		if seen[c.rel] {
			continue
		}
		seen[c.rel] = true
		lower := strings.ToLower(c.rel)
		if c.dir || c.removed || !(strings.HasSuffix(lower, ".md") || strings.HasSuffix(lower, ".markdown")) {
			return nil
		}
		r, ok := old.good.site.PatchReview(s.libFS, s.opts, c.rel)
		if !ok {
			return nil
		}
		reviews = append(reviews, r)
	}
	return &generation{n: old.n + 1, lib: old.lib, theme: old.theme, good: old.good.patched(reviews)}
}

func (s *Server) traceDone(tr Rebuild) {
	if s.trace != nil {
		s.trace(tr)
	}
}

// load reads the library into a new generation. When it fails, the
// generation keeps the last good site of prev. It returns nil when ctx
// ends first.
func (s *Server) load(ctx context.Context, prev *generation) *generation {
	g := &generation{n: 1, lib: s.libFS}
	if prev != nil {
		g.n = prev.n + 1
	}
	opts := s.opts
	// Absolute URLs (feeds, canonical links) point at this server, under
	// the library's own base path (its baseURL's path), which its links
	// are made with. The settings' own problems are the load's to report.
	cfg, _ := site.ReadConfig(s.libFS)
	opts.BaseURL = strings.TrimSuffix(s.baseURL, "/") + cfg.BasePath()
	th := s.theme()
	g.theme = th
	start := time.Now()
	st, err := site.Load(ctx, s.libFS, opts)
	if ctx.Err() != nil {
		return nil
	}
	g.loadTime = time.Since(start)
	var r *render.Renderer
	if err == nil {
		start = time.Now()
		r, err = render.New(st, th)
		g.rendererTime = time.Since(start)
		if err != nil {
			g.problem = newProblem(err, themeSource{lib: s.libFS, theme: th})
		}
	} else {
		g.problem = newProblem(err, libSource{fsys: s.libFS, restricted: s.opts.IncludeRestricted})
	}
	if g.problem == nil {
		g.good = newGoodSite(st, r, themeSource{lib: s.libFS, theme: th})
		s.ixSite.Store(st)
		select {
		case s.ixNext <- struct{}{}:
		default:
		}
	} else if prev != nil {
		g.good = prev.good
	}
	return g
}

// report prints what a (re)load found; fast is how long the edited page
// took to show when it was patched in first.
func (s *Server) report(g *generation, batch []change, fast, took time.Duration) {
	what := "loaded"
	if batch != nil {
		what = describe(batch) + " changed: rebuilt"
		if fast > 0 {
			what = fmt.Sprintf("%s changed: shown in %s, rebuilt", describe(batch), fast.Round(time.Millisecond))
		}
	}
	if g.problem != nil {
		kept := ""
		if g.good != nil {
			kept = "; the last good site is still in memory"
		}
		s.errorf("casebook: %s with %s%s; pages show them until they are fixed:\n%s", what,
			plural(len(g.problem.errs), "problem", "problems"), kept, indent(g.problem.text()))
		return
	}
	st := g.good.site
	drafts := 0
	for _, r := range st.Reviews {
		if r.Draft() {
			drafts++
		}
	}
	extra := ""
	if drafts > 0 {
		extra = fmt.Sprintf(" (%s)", plural(drafts, "draft", "drafts"))
	}
	s.logf("casebook: %s %s%s in %s\n", what, plural(len(st.Reviews), "review", "reviews"), extra, took.Round(time.Millisecond))
	if base := g.good.base; base != s.shownBase {
		s.shownBase = base
		if base != "/" {
			s.logf("casebook: the site is at %s (its baseURL's path)\n", strings.TrimSuffix(s.baseURL, "/")+base)
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		b.WriteString("  ")
		b.WriteString(l)
		b.WriteString("\n")
	}
	return b.String()
}

// describe names a batch's files for the log: one name, or the first and
// a count.
func describe(batch []change) string {
	seen := map[string]bool{}
	var names []string
	for _, c := range batch {
		if !seen[c.rel] {
			seen[c.rel] = true
			names = append(names, c.rel)
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return fmt.Sprintf("%s and %d more", names[0], len(names)-1)
}

// indexLoop keeps the search index in step with the latest good site:
// built once, then synced; searches keep being answered meanwhile.
func (s *Server) indexLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.ixNext:
		}
		st := s.ixSite.Load()
		if st == nil {
			continue
		}
		start := time.Now()
		if ix := s.ix.Load(); ix != nil {
			if err := ix.Sync(st); err != nil {
				s.errorf("casebook: search index: %v\n", err)
			}
			if s.indexed != nil {
				s.indexed(time.Since(start))
			}
			continue
		}
		ix, err := index.Build(st)
		if err != nil {
			s.errorf("casebook: search index: %v\n", err)
			continue
		}
		if ctx.Err() != nil {
			ix.Close()
			return
		}
		s.ix.Store(ix)
		if len(st.Reviews) > 500 {
			s.logf("casebook: search index ready in %s\n", time.Since(start).Round(time.Millisecond))
		}
		if s.ixSite.Load() != st {
			// The library changed while the index was built.
			select {
			case s.ixNext <- struct{}{}:
			default:
			}
		}
	}
}
