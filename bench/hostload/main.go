// Command hostload is the load generator of bench/host.sh: from its own
// process, it fires GET requests at a casebook server on loopback with C
// concurrent clients until N requests, T seconds or SIGINT, whichever
// comes first, and reports the count of answers that were not 2xx (and of
// transport errors), latency percentiles, and the server's peak RSS
// (sampled from /proc/PID/status when -pid is given). It exits 1 on any
// failure.
//
// The URLs are the site's own: every page its /sitemap.xml lists, the
// stylesheet, the client search index and a few /api/search queries.
package main

import (
	"context"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:1313/", "the server (loopback only)")
	n := flag.Int("n", 100000, "at most this many requests")
	c := flag.Int("c", 8, "concurrent clients")
	limit := flag.Duration("t", 120*time.Second, "at most this long")
	pid := flag.Int("pid", 0, "the server's process, to sample its RSS")
	flag.Parse()
	u, err := url.Parse(*base)
	if err != nil || (u.Hostname() != "127.0.0.1" && u.Hostname() != "localhost" && u.Hostname() != "::1") {
		fmt.Fprintln(os.Stderr, "hostload: -url must be a loopback address")
		os.Exit(2)
	}
	urls, err := siteURLs(u)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hostload:", err)
		os.Exit(1)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *limit)
	defer cancel()

	var peak, last atomic.Int64
	if *pid > 0 {
		go func() {
			for ; ctx.Err() == nil; time.Sleep(100 * time.Millisecond) {
				if kb := rssKB(*pid); kb > 0 {
					last.Store(kb)
					if kb > peak.Load() {
						peak.Store(kb)
					}
				}
			}
		}()
	}
	var next atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	statuses := map[string]int{}
	start := time.Now()
	var wg sync.WaitGroup
	for range *c {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Timeout: 30 * time.Second}
			var mine []time.Duration
			mineStatus := map[string]int{}
			for ctx.Err() == nil {
				i := next.Add(1)
				if i > int64(*n) {
					break
				}
				target := urls[int(i)%len(urls)]
				t0 := time.Now()
				resp, err := client.Get(target)
				if err != nil {
					if ctx.Err() != nil {
						break // stopped mid-request: not the server's failure
					}
					mineStatus["error: "+err.Error()]++
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mine = append(mine, time.Since(t0))
				if resp.StatusCode/100 != 2 {
					mineStatus[strconv.Itoa(resp.StatusCode)+" "+target]++
				}
			}
			mu.Lock()
			lat = append(lat, mine...)
			for k, v := range mineStatus {
				statuses[k] += v
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(p*float64(len(lat))))]
	}
	failed := 0
	for _, v := range statuses {
		failed += v
	}
	fmt.Printf("requests  %d in %.1f s (%.0f/s), %d clients, %d URLs\n", len(lat), elapsed.Seconds(), float64(len(lat))/elapsed.Seconds(), *c, len(urls))
	fmt.Printf("failed    %d (non-2xx answers and transport errors)\n", failed)
	for k, v := range statuses {
		fmt.Printf("          %6d  %s\n", v, k)
	}
	fmt.Printf("latency   p50 %s  p90 %s  p99 %s  max %s\n", pct(0.5), pct(0.9), pct(0.99), pct(1))
	if *pid > 0 {
		fmt.Printf("server    peak RSS %.0f MB, at the end %.0f MB\n", float64(peak.Load())/1024, float64(last.Load())/1024)
	}
	if failed > 0 {
		os.Exit(1)
	}
}

// siteURLs are the pages of the sitemap, on the server's address, and
// some assets and searches.
func siteURLs(base *url.URL) ([]string, error) {
	resp, err := http.Get(base.ResolveReference(&url.URL{Path: "/sitemap.xml"}).String())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	if err := xml.NewDecoder(resp.Body).Decode(&sm); err != nil {
		return nil, fmt.Errorf("sitemap: %w", err)
	}
	var urls []string
	for _, e := range sm.URLs {
		if u, err := url.Parse(e.Loc); err == nil {
			urls = append(urls, base.ResolveReference(&url.URL{Path: u.Path}).String())
		}
	}
	for _, p := range []string{"/css/site.css", "/search-index.json", "/api/search?q=database+failover", "/api/search?q=queue", "/healthz"} {
		ref, _ := url.Parse(p)
		urls = append(urls, base.ResolveReference(ref).String())
	}
	return urls, nil
}

func rssKB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb
		}
	}
	return 0
}
