package preview

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/corpus"
	"github.com/casebook/casebook/internal/gcpace"
)

// BenchmarkServeReload measures the preview server's reaction to an edit on
// a synthetic library: the time from writing a review to its open tab
// receiving the reload event (by then the page is rendered), to the tab
// having fetched the new page, and to the full reload of the library being
// done (when the edit took the fast path, that comes after the event).
//
//	go test ./internal/preview -run '^$' -bench ServeReload -benchtime 20x -timeout 30m
//
// Settings: CASEBOOK_BENCH_REVIEWS (default 10000),
// CASEBOOK_BENCH_GAP (pause between edits, default 1s, so the search
// index's background sync of one edit does not overlap the next) and
// CASEBOOK_BENCH_CPUPROFILE (a file for a CPU profile of the edits alone,
// without the first load) and CASEBOOK_BENCH_EDIT: body (the default)
// appends a paragraph to the body; summary (or front) changes the summary
// in the front matter; terms adds a new technology, which moves term
// pages, counts and related reviews. All three take the fast path; the
// full reload that follows is timed too.
// The first load and the search index are built once per process, before
// the timer starts. Each edit changes a different review. With -short it
// is skipped. It runs under `casebook serve`'s memory limit (gcpace.Serve),
// since that is what a preview of a large library has to work within.
func BenchmarkServeReload(b *testing.B) {
	if testing.Short() {
		b.Skip("generates and loads a 10,000-review library: skipped with -short")
	}
	defer gcpace.Serve()()
	env := serveBenchSetup(b)
	gap := time.Second
	if v := os.Getenv("CASEBOOK_BENCH_GAP"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			b.Fatal(err)
		}
		gap = d
	}
	var signal, page, full []time.Duration
	var traces []Rebuild
	fast, again := 0, 0
	env.mu.Lock()
	env.syncs = nil
	env.mu.Unlock()
	if f := os.Getenv("CASEBOOK_BENCH_CPUPROFILE"); f != "" && b.N > 1 {
		out, err := os.Create(f)
		if err != nil {
			b.Fatal(err)
		}
		pprof.StartCPUProfile(out)
		defer func() { pprof.StopCPUProfile(); out.Close() }()
	}
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		time.Sleep(gap)
		env.edits++
		n := env.edits
		rel := env.reviews[(n*7919)%len(env.reviews)]
		slug := strings.TrimSuffix(filepath.Base(rel), ".md")
		pageURL := "/reviews/" + slug + "/"
		// The tab is open on the page being edited.
		tab := env.tab(b, pageURL)
		orig, err := os.ReadFile(filepath.Join(env.dir, rel))
		if err != nil {
			b.Fatal(err)
		}
		marker := fmt.Sprintf("Benchmark edit number %d.", n)
		var edited []byte
		switch env.edit {
		case "summary", "front":
			edited = []byte(strings.Replace(string(orig), "\nsummary: ", "\nsummary: "+marker+" ", 1))
		case "terms":
			marker = fmt.Sprintf("benchmark-technology-%d", n)
			edited = []byte(strings.Replace(string(orig), "\ntechnologies: [", "\ntechnologies: ["+marker+", ", 1))
		default:
			edited = append(slices.Clip(orig), "\n\n"+marker+"\n"...)
		}
		env.traceCh = make(chan Rebuild, 4)
		b.StartTimer()

		start := time.Now()
		if err := os.WriteFile(filepath.Join(env.dir, rel), edited, 0o644); err != nil {
			b.Fatal(err)
		}
		select {
		case e := <-tab.events:
			if e != "reload" {
				b.Fatalf("edit %d: event %q", i, e)
			}
		case <-time.After(time.Minute):
			b.Fatalf("edit %d: no reload event within a minute", i)
		}
		signal = append(signal, time.Since(start))
		body := env.get(b, pageURL)
		page = append(page, time.Since(start))
		b.StopTimer()
		if !strings.Contains(body, marker) {
			b.Fatalf("edit %d: the reloaded page lacks the edit", i)
		}
		select {
		case tr := <-env.traceCh:
			traces = append(traces, tr)
			full = append(full, tr.FullNotified.Sub(start))
			if tr.Fast {
				fast++
			}
		case <-time.After(time.Minute):
			b.Fatalf("edit %d: no full reload within a minute", i)
		}
		// Did the full reload make the tab reload a second time?
		select {
		case <-tab.events:
			again++
		case <-time.After(50 * time.Millisecond):
		}
		tab.cancel()
		b.StartTimer()
	}
	b.StopTimer()
	if len(signal) < 2 {
		return
	}
	med, lo, hi, p90 := durStats(signal)
	b.ReportMetric(ms(med), "ms-signal-median")
	b.ReportMetric(ms(lo), "ms-signal-min")
	b.ReportMetric(ms(hi), "ms-signal-max")
	b.ReportMetric(ms(p90), "ms-signal-p90")
	pmed, _, _, _ := durStats(page)
	b.ReportMetric(ms(pmed), "ms-page-median")
	fmed, flo, fhi, fp90 := durStats(full)
	b.ReportMetric(ms(fmed), "ms-full-median")

	var loads, renderers, prerenders, notices, patches, waits []time.Duration
	for _, tr := range traces {
		if tr.Fast {
			patches = append(patches, tr.Patch)
			waits = append(waits, tr.Notified.Sub(tr.FirstSeen)-tr.Patch-tr.Prerender)
		}
		loads = append(loads, tr.Load)
		renderers = append(renderers, tr.Renderer)
		prerenders = append(prerenders, tr.Prerender)
		notices = append(notices, tr.Notified.Sub(tr.FirstSeen))
	}
	if len(traces) > 0 {
		lm, llo, lhi, _ := durStats(loads)
		rm, _, _, _ := durStats(renderers)
		pm, _, _, _ := durStats(prerenders)
		nm, _, _, _ := durStats(notices)
		b.ReportMetric(ms(lm), "ms-load-median")
		b.Logf("%d reviews, %d edits, %d CPUs (%s), %s", len(env.reviews), len(signal), runtime.NumCPU(), cpuModel(), runtime.Version())
		b.Logf("write → reload event: median %s, min %s, p90 %s, max %s", med, lo, p90, hi)
		b.Logf("write → page fetched: median %s", pmed)
		b.Logf("%d of %d edits took the fast path (site.PatchReview); %d tabs reloaded a second time after the full reload", fast, len(signal), again)
		if len(patches) > 0 {
			pm, _, _, _ := durStats(patches)
			wm, _, _, _ := durStats(waits)
			b.Logf("fast path, medians: site.PatchReview %s, rendering the page %s, the rest (debounce, classifying) %s", pm, durMedian(prerenders), wm)
		}
		b.Logf("write → full reload done and tabs told: median %s, min %s, p90 %s, max %s", fmed, flo, fp90, fhi)
		b.Logf("server side, medians: first file event → first event sent %s; full reload: site.Load %s (min %s, max %s) + NewRenderer %s; page render %s",
			nm, lm, llo, lhi, rm, pm)
		var all []string
		for _, d := range signal {
			all = append(all, strconv.Itoa(int(ms(d))))
		}
		b.Logf("each edit, ms: %s", strings.Join(all, " "))
	}
	env.mu.Lock()
	syncs := slices.Clone(env.syncs)
	env.mu.Unlock()
	if len(syncs) > 0 {
		sm, slo, shi, _ := durStats(syncs)
		b.Logf("search index sync after each edit (in the background, after the event): median %s, min %s, max %s", sm, slo, shi)
	}
}

func durMedian(ds []time.Duration) time.Duration {
	m, _, _, _ := durStats(ds)
	return m
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// durStats returns the median, min, max and 90th percentile.
func durStats(ds []time.Duration) (med, lo, hi, p90 time.Duration) {
	s := slices.Clone(ds)
	slices.Sort(s)
	n := len(s)
	med = s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return med, s[0], s[n-1], s[min(n-1, (n*9+9)/10-1)]
}

func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
		}
	}
	return runtime.GOARCH
}

// serveBenchEnv is a server on a generated library, shared by every run of
// the benchmark in this process (the testing package runs it with b.N=1
// before the real run; loading 10,000 reviews twice would double the wait).
type serveBenchEnv struct {
	dir     string
	url     string
	reviews []string
	edits   int
	traceCh chan Rebuild
	client  *http.Client
	edit    string // CASEBOOK_BENCH_EDIT: body, summary or terms
	mu      sync.Mutex
	syncs   []time.Duration
}

var (
	serveBenchOnce sync.Once
	serveBench     *serveBenchEnv
	serveBenchErr  error
)

func serveBenchSetup(b *testing.B) *serveBenchEnv {
	serveBenchOnce.Do(func() { serveBench, serveBenchErr = startServeBench(b) })
	if serveBenchErr != nil {
		b.Fatal(serveBenchErr)
	}
	return serveBench
}

func startServeBench(b *testing.B) (*serveBenchEnv, error) {
	n := 10000
	if v := os.Getenv("CASEBOOK_BENCH_REVIEWS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			return nil, err
		}
	}
	// Not b.TempDir: the server outlives this first run of the benchmark.
	dir, err := os.MkdirTemp("", "casebook-serve-bench-")
	if err != nil {
		return nil, err
	}
	start := time.Now()
	if err := corpus.Generate(dir, corpus.Options{Reviews: n, Seed: 1}); err != nil {
		return nil, err
	}
	b.Logf("generated %d reviews in %s", n, time.Since(start).Round(time.Millisecond))
	env := &serveBenchEnv{dir: dir, client: &http.Client{}, edit: os.Getenv("CASEBOOK_BENCH_EDIT")}
	ents, err := os.ReadDir(filepath.Join(dir, "reviews"))
	if err != nil {
		return nil, err
	}
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".md") {
			env.reviews = append(env.reviews, "reviews/"+e.Name())
		}
	}
	out := &syncBuffer{}
	srv, err := New(Config{
		Library: dir, Addr: "127.0.0.1:0", Stdout: out, Stderr: out,
		Trace: func(tr Rebuild) {
			if env.traceCh != nil {
				select {
				case env.traceCh <- tr:
				default:
				}
			}
		},
		TraceIndex: func(d time.Duration) {
			env.mu.Lock()
			env.syncs = append(env.syncs, d)
			env.mu.Unlock()
		},
	})
	if err != nil {
		return nil, err
	}
	go srv.Run(context.Background())
	env.url = strings.TrimSuffix(srv.URL(), "/")
	start = time.Now()
	if resp, err := http.Get(env.url + "/"); err != nil {
		return nil, err
	} else {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	b.Logf("first load: %s", time.Since(start).Round(time.Millisecond))
	start = time.Now()
	for {
		resp, err := http.Get(env.url + "/api/search?q=outage")
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			break
		}
		if time.Since(start) > 10*time.Minute {
			return nil, fmt.Errorf("no search index after 10 minutes")
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.Logf("search index: %s more", time.Since(start).Round(time.Millisecond))
	return env, nil
}

func (env *serveBenchEnv) get(b *testing.B, p string) string {
	resp, err := env.client.Get(env.url + p)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	if resp.StatusCode != 200 {
		b.Fatalf("GET %s: %d\n%s", p, resp.StatusCode, body)
	}
	return string(body)
}

type benchTab struct {
	events chan string
	cancel context.CancelFunc
}

// tab loads a page and opens its event stream, as a browser tab does.
func (env *serveBenchEnv) tab(b *testing.B, p string) *benchTab {
	body := env.get(b, p)
	m := versionRe.FindStringSubmatch(body)
	if m == nil {
		b.Fatalf("%s has no live-reload script", p)
	}
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", env.url+eventsPath+"?path="+url.QueryEscape(p)+"&v="+url.QueryEscape(m[1]), nil)
	resp, err := env.client.Do(req)
	if err != nil {
		cancel()
		b.Fatal(err)
	}
	t := &benchTab{events: make(chan string, 8), cancel: cancel}
	opened := make(chan struct{})
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "retry:") {
				close(opened)
			}
			if name, ok := strings.CutPrefix(line, "event: "); ok {
				t.events <- name
			}
		}
	}()
	<-opened
	return t
}
