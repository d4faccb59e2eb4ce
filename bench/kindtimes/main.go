// Command kindtimes renders every page of a library once, single-threaded,
// and prints where the time goes by page kind: which templates to make
// cheaper first. It writes nothing.
//
//	go run ./bench/kindtimes [-top 6] LIBRARY
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

func main() {
	top := flag.Int("top", 6, "how many page kinds to print, slowest first")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: kindtimes [-top N] LIBRARY")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *top); err != nil {
		fmt.Fprintln(os.Stderr, "kindtimes:", err)
		os.Exit(1)
	}
}

func run(lib string, top int) error {
	st := time.Now()
	s, err := site.Load(context.Background(), os.DirFS(lib), site.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		return err
	}
	fmt.Printf("load %v\n", time.Since(st).Round(time.Millisecond))
	r, err := render.New(s, defaulttheme.FS)
	if err != nil {
		return err
	}
	d := map[render.Kind]time.Duration{}
	n := map[render.Kind]int{}
	for _, p := range r.Pages() {
		st := time.Now()
		if _, err := r.RenderPage(p); err != nil {
			return err
		}
		d[p.Kind] += time.Since(st)
		n[p.Kind]++
	}
	var ks []render.Kind
	for k := range d {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return d[ks[i]] > d[ks[j]] })
	for _, k := range ks[:min(top, len(ks))] {
		fmt.Printf("%-10s %6d pages %9v total %8v/page\n", k, n[k], d[k].Round(time.Millisecond), (d[k] / time.Duration(n[k])).Round(time.Microsecond))
	}
	return nil
}
