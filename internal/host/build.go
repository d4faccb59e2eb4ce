package host

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/casebook/casebook/index"
	"github.com/casebook/casebook/internal/library"
	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
)

// A generation is one build: every file the build publishes, in memory,
// and the search index (the server's one index, synced to this site).
type generation struct {
	files    map[string]*file // by slash path under the root: "reviews/x/index.html"
	notFound *file            // 404.html
	index    *index.Index
	reviews  int
	slugs    map[string]bool // of the review pages, for counting readers
	number   int             // 1 for the first build, then counting the swaps
	built    time.Time
}

// memOutput is a render.Output keeping the files.
type memOutput struct {
	mu    sync.Mutex
	files map[string]*file
}

func (m *memOutput) WriteFile(name string, data []byte) error {
	f := newFile(name, data) // copies: data is valid only during the call
	m.mu.Lock()
	m.files[name] = f
	m.mu.Unlock()
	return nil
}

// buildGeneration is casebook build into memory: the same load, render
// and search artefacts, so what is served is what a build publishes.
func (s *Server) buildGeneration(ctx context.Context) (*generation, error) {
	opts := site.Options{}
	if s.c.Options != nil {
		var err error
		if opts, err = s.c.Options(); err != nil {
			return nil, err
		}
	}
	opts.Drafts = false
	if s.reads != nil {
		opts.Readers = s.reads.merged(opts.Readers)
	}
	opts.NoText = false // the search index reads it
	opts.Cache = s.cache
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	theme := library.Theme(s.c.Library)
	if s.c.Theme != nil {
		theme = s.c.Theme()
	}
	lib := os.DirFS(s.c.Library)
	st, err := site.Load(ctx, lib, opts)
	if err != nil {
		// The theme's mistakes with the library's, all at once, as
		// casebook build reports them.
		var list, themeList site.ErrorList
		if errors.As(err, &list) && errors.As(render.ThemeErrors(lib, render.ParseTheme(theme)), &themeList) {
			return nil, append(list, themeList...).Err()
		}
		return nil, err
	}
	r, err := render.New(st, theme)
	if err != nil {
		return nil, render.ThemeErrors(lib, err)
	}
	out := &memOutput{files: map[string]*file{}}
	if err := r.Render(ctx, out); err != nil {
		return nil, render.ThemeErrors(lib, err)
	}
	ci, err := index.ClientIndex(st)
	if err != nil {
		return nil, err
	}
	out.WriteFile(index.ClientIndexFile, ci)
	// One index for the server's life, synced with each build (only
	// changed reviews are indexed again), rather than a second index
	// per rebuild: half the memory a rebuild needs, and a fraction of its
	// time. It is synced last, once nothing else can fail, so searches
	// run ahead of the pages only for the moment before the swap.
	if s.ix == nil {
		if s.ix, err = index.Build(st); err != nil {
			return nil, err
		}
	} else if err := s.ix.Sync(st); err != nil {
		return nil, err
	}
	ix := s.ix
	// A file the last build made too, byte for byte, is kept with the
	// compressed forms already made of it.
	if prev := s.gen.Load(); prev != nil {
		for name, f := range out.files {
			if p := prev.files[name]; p != nil && p.etag == f.etag {
				out.files[name] = p
			}
		}
	}
	g := &generation{files: out.files, index: ix, reviews: len(st.Reviews), built: time.Now(), slugs: make(map[string]bool, len(st.Reviews))}
	for _, rv := range st.Reviews {
		g.slugs[rv.Slug] = true
	}
	g.notFound = g.files["404.html"]
	// Markdown sources are never published; should a theme or bundle
	// produce one, it is not served either.
	for name := range g.files {
		if strings.HasSuffix(name, ".md") {
			delete(g.files, name)
		}
	}
	return g, nil
}
