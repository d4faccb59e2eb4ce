package preview

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/casebook/casebook/site"
	"github.com/fsnotify/fsnotify"
)

// change is one file event that survived filtering.
type change struct {
	rel     string // slash path in the library; "." when events were lost
	op      fsnotify.Op
	dir     bool
	removed bool // the path no longer exists
	at      time.Time
}

// watcher turns fsnotify events under a library into batches. Every
// folder is watched (fsnotify is not recursive), new folders as they
// appear. Events of one burst (an editor's save, a git checkout) make one
// batch: the batch is ready once the library has been quiet for the
// debounce interval, or at the latest maxWait after its first event.
type watcher struct {
	root     string
	fsw      *fsnotify.Watcher
	debounce time.Duration
	maxWait  time.Duration
	logf     func(string, ...any)

	ready chan struct{} // capacity 1: a batch is waiting in take
	mu    sync.Mutex
	batch []change
	timer *time.Timer
	done  chan struct{}
}

func newWatcher(root string, debounce time.Duration, logf func(string, ...any)) (*watcher, error) {
	fsw, err := fsnotify.NewBufferedWatcher(4096)
	if err != nil {
		return nil, err
	}
	w := &watcher{root: root, fsw: fsw, debounce: debounce, maxWait: 20 * debounce, logf: logf,
		ready: make(chan struct{}, 1), done: make(chan struct{})}
	if err := w.addTree(root); err != nil {
		fsw.Close()
		return nil, err
	}
	go w.run()
	return w, nil
}

func (w *watcher) close() {
	w.fsw.Close()
	<-w.done
	w.mu.Lock()
	if w.timer != nil {
		w.timer.Stop()
	}
	w.mu.Unlock()
}

// addTree watches dir and every folder below it that a load reads.
func (w *watcher) addTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil // vanished meanwhile
		}
		if !d.IsDir() {
			return nil
		}
		if p != w.root && skippedDir(d.Name()) {
			return filepath.SkipDir
		}
		if err := w.fsw.Add(p); err != nil && p == dir {
			return err
		} else if err != nil {
			w.logf("casebook: cannot watch %s: %v\n", p, err)
		}
		return nil
	})
}

// skippedDir is a folder a load never reads (the site package skips hidden
// names and node_modules), so its churn (.git during a commit) is ignored.
func skippedDir(name string) bool {
	return strings.HasPrefix(name, ".") || name == "node_modules"
}

// ignored reports whether a file name belongs to an editor or the
// operating system rather than the library: swap, backup, lock and
// temporary files.
func ignored(name string) bool {
	lower := strings.ToLower(name)
	switch {
	case name == "" || name == "4913": // vim probes whether it may write the folder
		return true
	case strings.HasPrefix(name, "."): // .DS_Store, .#lock (emacs), .x.swp (vim), .goutputstream-*
		return true
	case strings.HasSuffix(name, "~"): // vim, emacs and nano backups
		return true
	case strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"): // emacs autosave
		return true
	case strings.Contains(lower, "___jb_tmp___"), strings.Contains(lower, "___jb_old___"): // JetBrains safe write
		return true
	case lower == "thumbs.db", lower == "desktop.ini":
		return true
	}
	for _, ext := range []string{".swp", ".swx", ".swo", ".tmp", ".temp", ".bak", ".orig", ".part", ".crdownload", ".crswap", ".kate-swp"} {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	// Atomic savers write "name.md.tmp.1234" or "name.md.sb-xxxx" first.
	if strings.Contains(lower, ".tmp.") || strings.Contains(lower, ".sb-") {
		return true
	}
	// sed -i writes "sedXXXXXX" and renames it over the file.
	if len(name) == 9 && strings.HasPrefix(name, "sed") && !strings.Contains(name, ".") {
		return true
	}
	return false
}

func (w *watcher) run() {
	defer close(w.done)
	for {
		select {
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			w.event(ev)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost: reload everything.
				w.add(change{rel: ".", op: fsnotify.Write, dir: true, at: time.Now()})
				continue
			}
			w.logf("casebook: watching the library: %v\n", err)
		}
	}
}

func (w *watcher) event(ev fsnotify.Event) {
	now := time.Now()
	rel, err := filepath.Rel(w.root, ev.Name)
	if err != nil || strings.HasPrefix(rel, "..") {
		return
	}
	rel = filepath.ToSlash(rel)
	for _, part := range strings.Split(path.Dir(rel), "/") {
		if part != "." && skippedDir(part) {
			return
		}
	}
	name := path.Base(rel)
	if ignored(name) || skippedDir(name) && ev.Has(fsnotify.Create) {
		return
	}
	if ev.Op == fsnotify.Chmod {
		return
	}
	c := change{rel: rel, op: ev.Op, at: now}
	st, err := os.Stat(ev.Name)
	switch {
	case err != nil:
		c.removed = true
	case st.IsDir():
		c.dir = true
		if ev.Has(fsnotify.Create) {
			// A new folder (or one moved in): watch it and everything in
			// it. Files created in it before the watch was added are read
			// by the reload this change causes.
			if skippedDir(name) {
				return
			}
			w.addTree(ev.Name)
		}
	}
	w.add(c)
}

func (w *watcher) add(c change) {
	w.mu.Lock()
	defer w.mu.Unlock()
	first := len(w.batch) == 0
	w.batch = append(w.batch, c)
	switch {
	case w.timer == nil:
		w.timer = time.AfterFunc(w.debounce, w.fire)
	case first || time.Since(w.batch[0].at) < w.maxWait:
		w.timer.Reset(w.debounce)
	}
}

func (w *watcher) fire() {
	select {
	case w.ready <- struct{}{}:
	default:
	}
}

// take returns the waiting batch, if any.
func (w *watcher) take() []change {
	w.mu.Lock()
	defer w.mu.Unlock()
	b := w.batch
	w.batch = nil
	return b
}

// What a batch of changes needs.
const (
	// Existing stylesheets were rewritten: browsers swap them in place.
	cssOnly = iota
	// Existing static files were rewritten: browsers reload, the site
	// stays as it is.
	assetsOnly
	// Stylesheets were added or removed: reload the library, then swap.
	cssNew
	// Only sources of pages changed (Markdown, casebook.yaml, templates):
	// reload the library and reload the tabs whose page changed.
	pagesOnly
	// Anything else: reload the library and every tab.
	everything
)

func classify(batch []change, g *generation) int {
	allCSS, allKnown, allPages := true, true, true
	var sources map[string]string
	if g != nil && g.good != nil {
		g.good.staticFiles()
		sources = g.good.sources
	}
	for _, c := range batch {
		css := !c.dir && strings.HasSuffix(strings.ToLower(c.rel), ".css")
		allCSS = allCSS && css
		_, known := sources[c.rel]
		allKnown = allKnown && known && !c.dir && !c.removed
		allPages = allPages && !c.dir && pageSource(c.rel)
	}
	switch {
	case allCSS && allKnown:
		return cssOnly
	case allKnown:
		return assetsOnly
	case allCSS:
		return cssNew
	case allPages:
		return pagesOnly
	}
	return everything
}

// pageSource reports whether a library file only matters through the HTML
// pages made from it: a change shows in the bytes of the pages it touches.
func pageSource(rel string) bool {
	lower := strings.ToLower(rel)
	switch {
	case rel == site.ConfigFile:
		return true
	case strings.HasPrefix(rel, "theme/templates/"):
		return true
	case strings.HasPrefix(rel, "static/"), strings.HasPrefix(rel, "theme/"):
		return false
	}
	return strings.HasSuffix(lower, ".md") || strings.HasSuffix(lower, ".markdown")
}
