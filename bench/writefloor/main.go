// Command writefloor times what writing a site's files costs this machine
// on its own, with nothing else done: the shape of casebook's output (a
// folder per review holding its page), at two sizes, with and without a
// resident heap the size of a large build's. bench/scale.sh's large/small
// ratio includes these writes; on a VM whose kernel charges more per byte
// as memory fills, they alone grow faster than the library, and this says
// by how much, so the ratio can be read against it.
//
//	go run ./bench/writefloor [-dir /dev/shm] [-small 10000] [-large 100000] [-page 48] [-resident 3500] [-runs 3]
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

func main() {
	dir := flag.String("dir", "/dev/shm", "where to write (a tmpfs, as the benchmarks' builds write)")
	small := flag.Int("small", 10000, "reviews in the small site")
	large := flag.Int("large", 100000, "reviews in the large site")
	page := flag.Int("page", 48, "KiB per review: its page and its share of the rest (the 100,000-review site is 4.9 GB)")
	resident := flag.Int("resident", 3500, "MiB held and touched while the large site is written again (0: skip)")
	runs := flag.Int("runs", 3, "times each case is written; the median is printed")
	flag.Parse()

	root, err := os.MkdirTemp(*dir, "writefloor-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "writefloor:", err)
		os.Exit(1)
	}
	defer os.RemoveAll(root)

	body := make([]byte, *page<<10)
	for i := range body {
		body[i] = 'a' + byte(i%26)
	}
	timeIt := func(n int) time.Duration {
		var ds []time.Duration
		for range *runs {
			out := filepath.Join(root, "site")
			start := time.Now()
			if err := write(out, n, body); err != nil {
				fmt.Fprintln(os.Stderr, "writefloor:", err)
				os.Exit(1)
			}
			ds = append(ds, time.Since(start))
			os.RemoveAll(out)
		}
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	s := timeIt(*small)
	l := timeIt(*large)
	fmt.Printf("%7d reviews: %6.2f s\n%7d reviews: %6.2f s (%.1fx for %dx the files)\n", *small, s.Seconds(), *large, l.Seconds(), l.Seconds()/s.Seconds(), *large / *small)
	if *resident > 0 {
		heap := make([]byte, *resident<<20)
		for i := 0; i < len(heap); i += 4096 {
			heap[i] = 1
		}
		r := timeIt(*large)
		fmt.Printf("%7d reviews with %d MiB resident: %6.2f s (%.1fx the small site)\n", *large, *resident, r.Seconds(), r.Seconds()/s.Seconds())
		heap[len(heap)-1] = 1 // keep it resident to here
	}
}

// write makes n review folders under out, each with its page, from two
// writers, as a build's render workers write.
func write(out string, n int, body []byte) error {
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for w := range 2 {
		wg.Go(func() {
			for i := w; i < n; i += 2 {
				d := filepath.Join(out, "reviews", fmt.Sprintf("review-%06d", i))
				if err := os.MkdirAll(d, 0o755); err != nil {
					errs[w] = err
					return
				}
				if err := os.WriteFile(filepath.Join(d, "index.html"), body, 0o644); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
