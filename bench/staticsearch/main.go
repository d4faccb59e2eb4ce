// Command staticsearch measures casebook's static search (the bundle under
// /search/bundle/ and search-static.js) as a browser on a plain static
// host meets it.
//
//	staticsearch bundle  -library DIR [-runs 5]                time index.WriteStaticBundle alone
//	staticsearch measure -site DIR [-runs 5] [-key-gap 60ms]   bytes and times in headless Chromium
//	staticsearch lists   -site DIR [-runs 5]                   the same for /reviews/ and /follow-ups/ (lists.go)
//
// measure serves the built site from this process on loopback, with gzip
// and no /api/search (a 404, as on GitHub Pages), counts the compressed
// bytes it sends, and drives Chromium (CHROMIUM, or /usr/bin/chromium):
// each run opens /search/ in a fresh browser context (an empty cache),
// enters a two-word query (all but its last character at once, then the
// last as a key press, so that one search runs, as for a typist faster
// than the page's debounce; with -key-gap, each character as a key
// press) and waits for its results, then a second. It reports, as
// medians over the runs, the bytes search fetched
// for the first query (search.js, search-static.js, the /api/search 404
// and every bundle file, from opening the page to the query's results
// with all facet counts), the bytes of the second query, the page's own
// bytes apart (HTML, CSS), and the time from the last keystroke to the
// results shown.
//
// bench/static-search.sh runs both; see bench/README.md.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"flag"
	"fmt"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/casebook/casebook/index"
	"github.com/casebook/casebook/site"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: staticsearch bundle|measure|lists [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "bundle":
		err = runBundle(os.Args[2:])
	case "measure":
		err = runMeasure(os.Args[2:])
	case "lists":
		err = runLists(os.Args[2:])
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "staticsearch:", err)
		os.Exit(1)
	}
}

type dirOutput string

func (d dirOutput) WriteFile(name string, data []byte) error {
	p := filepath.Join(string(d), filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func medianInt(d []int64) int64 {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// runBundle times writing the bundle of an already loaded library, which
// is what the bundle adds to a build.
func runBundle(args []string) error {
	fs := flag.NewFlagSet("bundle", flag.ExitOnError)
	lib := fs.String("library", "", "library folder")
	runs := fs.Int("runs", 5, "timed runs")
	out := fs.String("out", "", "where to write (default: a temporary folder)")
	keep := fs.Bool("keep", false, "keep the bundle written (in -out)")
	fs.Parse(args)
	s, err := site.Load(context.Background(), os.DirFS(*lib), site.Options{Now: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		if dir, err = os.MkdirTemp("", "bundle-"); err != nil {
			return err
		}
	}
	if !*keep {
		defer os.RemoveAll(dir)
	}
	var times, cpus []time.Duration
	var size int64
	var files int
	for range *runs {
		os.RemoveAll(dir)
		start, cpu0 := time.Now(), cpuTime()
		if err := index.WriteStaticBundle(s, dirOutput(dir)); err != nil {
			return err
		}
		times = append(times, time.Since(start))
		cpus = append(cpus, cpuTime()-cpu0)
	}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				size += fi.Size()
				files++
			}
		}
		return nil
	})
	fmt.Printf("bundle_seconds %.3f\n", median(times).Seconds())
	fmt.Printf("bundle_cpu_seconds %.3f\n", median(cpus).Seconds())
	fmt.Printf("bundle_files %d\n", files)
	fmt.Printf("bundle_bytes %d\n", size)
	// The gzip sizes of the files every query may need, by kind.
	kinds := map[string][2]int64{}
	filepath.WalkDir(filepath.Join(dir, filepath.FromSlash(index.BundleDir)), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		kind, _, _ := strings.Cut(d.Name(), "-")
		if strings.Contains(p, "/docs/") {
			kind = "docs"
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		zw.Write(b)
		zw.Close()
		k := kinds[kind]
		kinds[kind] = [2]int64{k[0] + 1, k[1] + int64(buf.Len())}
		return nil
	})
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		fmt.Printf("bundle_gzip %-14s %6d files %9.1f KB (%.1f KB each)\n", k, kinds[k][0], float64(kinds[k][1])/1024, float64(kinds[k][1])/1024/float64(kinds[k][0]))
	}
	return nil
}

// gzipServer serves a folder with gzip, as static hosts do, and counts
// the bytes it sends (bodies as compressed).
type gzipServer struct {
	dir   string
	mu    sync.Mutex
	cache map[string][]byte
	sent  atomic.Int64 // search's own: search.js, search-static.js, the bundle, /api/search
	other atomic.Int64 // the page: HTML, CSS, other scripts
}

func isSearch(name string) bool {
	return strings.HasPrefix(name, "/js/search") || strings.HasPrefix(name, "/search/bundle/") || name == "/api/search"
}

func (g *gzipServer) count(name string, n int) {
	if os.Getenv("STATICSEARCH_LOG") != "" {
		fmt.Fprintf(os.Stderr, "GET %s %d\n", name, n)
	}
	if isSearch(name) {
		g.sent.Add(int64(n))
	} else {
		g.other.Add(int64(n))
	}
}

func (g *gzipServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := path.Clean(r.URL.Path)
	if strings.HasSuffix(r.URL.Path, "/") {
		name = path.Join(name, "index.html")
	}
	b, err := g.file(name)
	if err != nil {
		w.WriteHeader(http.StatusNotFound)
		n, _ := w.Write([]byte("404 not found\n"))
		g.count(name, n)
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Encoding", "gzip")
	w.Header().Set("Vary", "Accept-Encoding")
	// Content-hashed bundle files never change; the rest revalidate.
	if strings.Contains(name, "/search/bundle/") && !strings.HasSuffix(name, "manifest.json") {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	n, _ := w.Write(b)
	g.count(name, n)
}

func (g *gzipServer) file(name string) ([]byte, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if b, ok := g.cache[name]; ok {
		return b, nil
	}
	raw, err := os.ReadFile(filepath.Join(g.dir, filepath.FromSlash(name)))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	zw.Write(raw)
	zw.Close()
	g.cache[name] = buf.Bytes()
	return buf.Bytes(), nil
}

// Two-word queries of the words incident reviews are written in.
var queries = [][2]string{
	{"connection timeout", "replica failover"},
	{"certificate expiry", "queue backlog"},
	{"cache latency", "deploy rollback"},
	{"consumer partition", "dashboard alert"},
	{"database lock", "retry storm"},
	{"firewall credential", "pool saturated"},
	{"memory leak", "dns resolution"},
}

func runMeasure(args []string) error {
	fs := flag.NewFlagSet("measure", flag.ExitOnError)
	dir := fs.String("site", "", "built site folder")
	runs := fs.Int("runs", 5, "cold runs (one query pair each)")
	gap := fs.Duration("key-gap", 0, "type every character as a key press, this far apart (0: all but the last at once)")
	fs.Parse(args)
	if _, err := os.Stat(filepath.Join(*dir, filepath.FromSlash(index.BundleManifest))); err != nil {
		return fmt.Errorf("%s has no static search bundle: %w", *dir, err)
	}
	srv, base, err := serveSite(*dir)
	if err != nil {
		return err
	}
	browserCtx, stop, err := startBrowser()
	if err != nil {
		return err
	}
	defer stop()

	var pageBytes, coldBytes, warmBytes []int64
	var coldTimes, warmTimes []time.Duration
	var coldTotal, warmTotal []int64
	for i := range *runs {
		q := queries[i%len(queries)]
		ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
		ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
		srv.sent.Store(0)
		srv.other.Store(0)
		// The page opens with an empty search (newest first, with facet
		// counts), which loads the client, the manifest, the facets and
		// ten documents: counted with the query typed next.
		err := chromedp.Do(ctx, chromedp.Navigate(base+"/search/"))
		if err == nil {
			_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === 'complete' && document.querySelectorAll('#search-results .search-hit').length > 0`, chromedp.WithPollingTimeout(30*time.Second)))
		}
		if err != nil {
			cancelT()
			cancel()
			return err
		}
		d, total, err := typeQuery(ctx, q[0], *gap)
		if err != nil {
			cancelT()
			cancel()
			return fmt.Errorf("%q: %w", q[0], err)
		}
		cold, page := srv.sent.Load(), srv.other.Load()
		srv.sent.Store(0)
		srv.other.Store(0)
		d2, total2, err := typeQuery(ctx, q[1], *gap)
		if err != nil {
			cancelT()
			cancel()
			return fmt.Errorf("%q: %w", q[1], err)
		}
		warm := srv.sent.Load() + srv.other.Load()
		cancelT()
		cancel()
		pageBytes = append(pageBytes, page)
		coldBytes = append(coldBytes, cold)
		warmBytes = append(warmBytes, warm)
		coldTimes = append(coldTimes, d)
		warmTimes = append(warmTimes, d2)
		coldTotal = append(coldTotal, int64(total))
		warmTotal = append(warmTotal, int64(total2))
		fmt.Printf("run %d: %-22q %6d hits %7.1f KB %5.0f ms | %-22q %6d hits %6.1f KB %5.0f ms | page %.1f KB\n",
			i+1, q[0], total, float64(cold)/1024, ms(d), q[1], total2, float64(warm)/1024, ms(d2), float64(page)/1024)
	}
	fmt.Printf("page_kb %.1f\n", float64(medianInt(pageBytes))/1024)
	fmt.Printf("cold_query_kb %.1f\n", float64(medianInt(coldBytes))/1024)
	fmt.Printf("further_query_kb %.1f\n", float64(medianInt(warmBytes))/1024)
	fmt.Printf("cold_results_ms %.0f\n", ms(median(coldTimes)))
	fmt.Printf("further_results_ms %.0f\n", ms(median(warmTimes)))
	return nil
}

// serveSite serves a built site from loopback as gzipServer does.
func serveSite(dir string) (*gzipServer, string, error) {
	srv := &gzipServer{dir: dir, cache: map[string][]byte{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	go http.Serve(ln, srv)
	return srv, "http://" + ln.Addr().String(), nil
}

// startBrowser starts headless Chromium (CHROMIUM, or /usr/bin/chromium)
// with the project's flags and a fresh profile; stop ends it.
func startBrowser() (ctx context.Context, stop func(), err error) {
	exe := os.Getenv("CHROMIUM")
	if exe == "" {
		exe = "/usr/bin/chromium"
	}
	profile, err := os.MkdirTemp("", "staticsearch-chromium-")
	if err != nil {
		return nil, nil, err
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(exe), chromedp.UserDataDir(profile)}
	for _, f := range []string{"headless", "no-sandbox", "disable-gpu", "disable-background-networking", "disable-component-update", "disable-sync", "no-first-run"} {
		opts = append(opts, chromedp.Flag(f, true))
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(alloc)
	stop = func() { cancelBrowser(); cancelAlloc(); os.RemoveAll(profile) }
	if err := chromedp.Do(browserCtx); err != nil {
		stop()
		return nil, nil, fmt.Errorf("starting %s: %w", exe, err)
	}
	return browserCtx, stop, nil
}

// cpuTime is the process's user and system time so far: on a shared
// machine, what the bundle costs rather than how long it waited.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// typeQuery replaces the search page's query by typing q and returns
// the time from the last keystroke to its results on the page. With a
// gap, every character is a key press, gap apart, as a typist's: the
// page's prefetching then fetches for the words on the way.
func typeQuery(ctx context.Context, q string, gap time.Duration) (time.Duration, int, error) {
	const setup = `(() => {
  const input = document.getElementById('search-page-input');
  const list = document.getElementById('search-results');
  window.__t0 = 0; window.__t1 = 0;
  input.addEventListener('input', () => { window.__t0 = performance.now(); window.__t1 = 0; });
  new MutationObserver(() => {
    if (window.__t0 && !list.hasAttribute('aria-busy')) window.__t1 = performance.now();
  }).observe(list, { attributes: true, childList: true });
  input.value = %q;
  input.focus();
  return true;
})()`
	// Without a gap, all but the last character go in at once, without
	// events (as if typed faster than the page's debounce); the last is
	// a real key press, so exactly one search runs and is measured.
	typed, keys := q[:len(q)-1], q[len(q)-1:]
	if gap > 0 {
		typed, keys = "", q
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(setup, typed))); err != nil {
		return 0, 0, err
	}
	for i, k := range keys {
		if i > 0 {
			time.Sleep(gap)
		}
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`#search-page-input`), string(k))); err != nil {
			return 0, 0, err
		}
	}
	want := fmt.Sprintf(`(() => { const s = document.getElementById('search-status').textContent; return window.__t1 > window.__t0 && (s.includes(%q) || s.startsWith('No reviews')) && !document.getElementById('search-results').hasAttribute('aria-busy'); })()`, "“"+q+"”")
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](want, chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('search-status').textContent`))
		return 0, 0, errors.Join(err, fmt.Errorf("status %q", status))
	}
	// Let a late render (the facets) land, then read the times.
	time.Sleep(50 * time.Millisecond)
	res, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[window.__t1 - window.__t0, parseInt(document.getElementById('search-status').textContent, 10) || 0]`))
	if err != nil {
		return 0, 0, err
	}
	return time.Duration(res[0] * float64(time.Millisecond)), int(res[1]), nil
}
