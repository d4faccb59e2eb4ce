// Command searchbench measures casebook's search on a library: how long
// the index takes to build and how big its archive is (index), a tiny
// server answering /api/search (serve), and a load generator that sends
// queries from its own process and reports latencies (load).
//
//	searchbench index -library DIR [-archive FILE]
//	searchbench serve -library DIR -addr 127.0.0.1:PORT
//	searchbench load  -library DIR -url http://127.0.0.1:PORT/api/search [-n 1000] [-warmup 100] [-c 1]
//	searchbench freeport
//
// bench/search.sh runs them; see bench/README.md.
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/casebook/casebook/index"
	"github.com/casebook/casebook/site"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: searchbench index|serve|load [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "index":
		err = runIndex(os.Args[2:])
	case "serve":
		err = runServe(os.Args[2:])
	case "load":
		err = runLoad(os.Args[2:])
	case "freeport":
		// A free loopback port, for the script to give the server.
		var ln net.Listener
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err == nil {
			fmt.Println(ln.Addr().(*net.TCPAddr).Port)
			ln.Close()
		}
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "searchbench:", err)
		os.Exit(1)
	}
}

func load(dir string) (*site.Site, error) {
	return site.Load(context.Background(), os.DirFS(dir), site.Options{Now: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)})
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func runIndex(args []string) error {
	fs := flag.NewFlagSet("index", flag.ExitOnError)
	lib := fs.String("library", "", "library folder")
	archive := fs.String("archive", "", "also write the archive here")
	runs := fs.Int("runs", 3, "builds to time (the median is reported)")
	fs.Parse(args)
	t0 := time.Now()
	s, err := load(*lib)
	if err != nil {
		return err
	}
	fmt.Printf("load      %d reviews in %s\n", len(s.Reviews), time.Since(t0).Round(time.Millisecond))
	var walls, cpus []time.Duration
	var ix *index.Index
	for i := range *runs {
		if ix != nil {
			ix.Close()
		}
		runtime.GC()
		w, c := time.Now(), cpuTime()
		ix, err = index.Build(s)
		if err != nil {
			return err
		}
		walls = append(walls, time.Since(w))
		cpus = append(cpus, cpuTime()-c)
		fmt.Printf("build %d   wall %s, cpu %s\n", i+1, walls[i].Round(time.Millisecond), cpus[i].Round(time.Millisecond))
	}
	slices.Sort(walls)
	slices.Sort(cpus)
	fmt.Printf("build     median wall %s, cpu %s (GOMAXPROCS %d)\n", walls[len(walls)/2].Round(time.Millisecond), cpus[len(cpus)/2].Round(time.Millisecond), runtime.GOMAXPROCS(0))
	var buf bytes.Buffer
	w := time.Now()
	if err := index.BuildArchive(s, &buf); err != nil {
		return err
	}
	fmt.Printf("archive   %.1f MB built and written in %s (as casebook build --search-index does)\n", float64(buf.Len())/1e6, time.Since(w).Round(time.Millisecond))
	if *archive != "" {
		if err := os.WriteFile(*archive, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	w = time.Now()
	opened, err := index.OpenArchive(buf.Bytes())
	if err != nil {
		return err
	}
	fmt.Printf("open      archive unpacked and opened in %s (the function's cold start)\n", time.Since(w).Round(time.Millisecond))
	opened.Close()
	return ix.Close()
}

func runServe(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	lib := fs.String("library", "", "library folder")
	archive := fs.String("archive", "", "serve this archive instead of building from the library")
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback only)")
	fs.Parse(args)
	host, _, err := net.SplitHostPort(*addr)
	if err != nil || !net.ParseIP(host).IsLoopback() {
		return fmt.Errorf("-addr must be a loopback address, not %q", *addr)
	}
	var ix *index.Index
	if *archive != "" {
		b, err := os.ReadFile(*archive)
		if err != nil {
			return err
		}
		ix, err = index.OpenArchive(b)
		if err != nil {
			return err
		}
	} else {
		s, err := load(*lib)
		if err != nil {
			return err
		}
		if ix, err = index.Build(s); err != nil {
			return err
		}
	}
	defer ix.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/search", index.NewHandler(func() *index.Index { return ix }))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); srv.Close() }()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

// queryWords reads words from review titles and summaries, so that the
// queries look like what people type and hit real documents.
func queryWords(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "reviews", "*.md"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no reviews under %s/reviews", dir)
	}
	seen := map[string]bool{}
	var words []string
	for _, f := range files[:min(len(files), 2000)] {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			line := sc.Text()
			if !strings.HasPrefix(line, "title:") && !strings.HasPrefix(line, "summary:") {
				continue
			}
			for _, w := range strings.FieldsFunc(strings.ToLower(line), func(r rune) bool { return r < 'a' || r > 'z' }) {
				if len(w) >= 4 && w != "title" && w != "summary" && !seen[w] {
					seen[w] = true
					words = append(words, w)
				}
			}
		}
	}
	slices.Sort(words)
	return words, nil
}

func runLoad(args []string) error {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	lib := fs.String("library", "", "library folder (for query words)")
	target := fs.String("url", "", "the /api/search URL")
	n := fs.Int("n", 1000, "timed queries")
	warmup := fs.Int("warmup", 100, "untimed queries first")
	conc := fs.Int("c", 1, "concurrent clients")
	seed := fs.Uint64("seed", 1, "random seed")
	filters := fs.Bool("filters", false, "add a taxonomy filter to every other query")
	fs.Parse(args)
	u, err := url.Parse(*target)
	if err != nil || !net.ParseIP(u.Hostname()).IsLoopback() {
		return fmt.Errorf("-url must point at a loopback address")
	}
	words, err := queryWords(*lib)
	if err != nil {
		return err
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conc * 2}, Timeout: 10 * time.Second}
	// Wait for the server.
	deadline := time.Now().Add(10 * time.Minute)
	for {
		resp, err := client.Get(*target + "?q=warmup")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no answer from %s", *target)
		}
		time.Sleep(200 * time.Millisecond)
	}
	r := rand.New(rand.NewPCG(*seed, 7))
	techs := []string{"kubernetes", "postgresql", "kafka", "redis", "aws"}
	queries := make([]string, *warmup+*n)
	for i := range queries {
		v := url.Values{"q": {words[r.IntN(len(words))] + " " + words[r.IntN(len(words))]}}
		if *filters && i%2 == 1 {
			v.Set("technologies", techs[r.IntN(len(techs))])
		}
		queries[i] = *target + "?" + v.Encode()
	}
	type sample struct {
		d            time.Duration
		bytes, total int
	}
	do := func(q string) (sample, error) {
		t := time.Now()
		resp, err := client.Get(q)
		if err != nil {
			return sample{}, err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		d := time.Since(t)
		if err != nil {
			return sample{}, err
		}
		if resp.StatusCode != 200 {
			return sample{}, fmt.Errorf("%s: %s: %s", q, resp.Status, b)
		}
		total := 0
		fmt.Sscanf(string(b[bytes.Index(b, []byte(`"total":`))+8:]), "%d", &total)
		return sample{d, len(b), total}, nil
	}
	for _, q := range queries[:*warmup] {
		if _, err := do(q); err != nil {
			return err
		}
	}
	samples := make([]sample, *n)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	next := 0
	start := time.Now()
	for range *conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= *n {
					return
				}
				s, err := do(queries[*warmup+i])
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				samples[i] = s
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if firstErr != nil {
		return firstErr
	}
	ds := make([]time.Duration, len(samples))
	var bytesSum, totalSum int
	for i, s := range samples {
		ds[i] = s.d
		bytesSum += s.bytes
		totalSum += s.total
	}
	slices.Sort(ds)
	pct := func(p float64) time.Duration { return ds[min(len(ds)-1, int(float64(len(ds))*p))] }
	ms := func(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/1e6) }
	fmt.Printf("queries   %d two-word queries with all facets (%d warm-up), %d client(s), %.0f queries/s\n", *n, *warmup, *conc, float64(*n)/elapsed.Seconds())
	fmt.Printf("latency   median %s, p90 %s, p99 %s, max %s\n", ms(pct(0.5)), ms(pct(0.9)), ms(pct(0.99)), ms(ds[len(ds)-1]))
	fmt.Printf("responses %.1f KB and %d matching reviews on average\n", float64(bytesSum)/float64(len(samples))/1024, totalSum/len(samples))
	return nil
}
