// Command kindtimes renders every page of a library once, single-threaded,
// and prints where the time goes by page kind: which templates to make
// cheaper first; and each kind's largest page, and how many pages are over
// 500 KB (the most a list page of a 100,000-review library may be). It
// writes nothing.
//
//	go run ./bench/kindtimes [-top 6] [-profile KIND:FILE] LIBRARY
//
// -profile writes a CPU profile of rendering every page of one kind
// again, after the timings, to FILE.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"sort"
	"strings"
	"time"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

func main() {
	top := flag.Int("top", 6, "how many page kinds to print, slowest first")
	prof := flag.String("profile", "", "KIND:FILE: a CPU profile of rendering the pages of KIND, written to FILE")
	flag.Parse()
	kind, file, _ := strings.Cut(*prof, ":")
	if flag.NArg() != 1 || (*prof != "" && file == "") {
		fmt.Fprintln(os.Stderr, "usage: kindtimes [-top N] [-profile KIND:FILE] LIBRARY")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *top, render.Kind(kind), file); err != nil {
		fmt.Fprintln(os.Stderr, "kindtimes:", err)
		os.Exit(1)
	}
}

func run(lib string, top int, profKind render.Kind, profFile string) error {
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
	largest := map[render.Kind]int{}
	largestURL := map[render.Kind]string{}
	over := 0
	for _, p := range r.Pages() {
		st := time.Now()
		b, err := r.RenderPage(p)
		if err != nil {
			return err
		}
		d[p.Kind] += time.Since(st)
		n[p.Kind]++
		if len(b) > largest[p.Kind] {
			largest[p.Kind], largestURL[p.Kind] = len(b), p.URL
		}
		if len(b) > 500_000 {
			over++
		}
	}
	var ks []render.Kind
	for k := range d {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return d[ks[i]] > d[ks[j]] })
	for _, k := range ks[:min(top, len(ks))] {
		fmt.Printf("%-10s %6d pages %9v total %8v/page\n", k, n[k], d[k].Round(time.Millisecond), (d[k] / time.Duration(n[k])).Round(time.Microsecond))
	}
	sort.Slice(ks, func(i, j int) bool { return largest[ks[i]] > largest[ks[j]] })
	fmt.Println("largest page of each kind:")
	for _, k := range ks {
		fmt.Printf("%-11s %8.1f KB  %s\n", k, float64(largest[k])/1000, largestURL[k])
	}
	fmt.Printf("pages over 500 KB: %d of %d\n", over, len(r.Pages()))
	if profFile != "" {
		if n[profKind] == 0 {
			return fmt.Errorf("no page of kind %q", profKind)
		}
		if err := profileKind(r, profKind, profFile); err != nil {
			return err
		}
	}
	// The data files the filters of split lists fetch, as sent (gzip).
	gen := r.Generated()
	strain := ""
	for name, b := range gen {
		if strings.HasSuffix(name, "/strain.json") && (strain == "" || len(b) > len(gen[strain])) {
			strain = name
		}
	}
	for _, name := range []string{render.ReviewsDataFile, render.FollowUpsDataFile, strain} {
		if b, ok := gen[name]; ok {
			fmt.Printf("%-34s %8.1f KB, gzip %7.1f KB\n", name, float64(len(b))/1000, float64(gzipLen(b))/1000)
		}
	}
	return nil
}

// profileKind writes a CPU profile of rendering every page of kind.
func profileKind(r *render.Renderer, kind render.Kind, file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return err
	}
	for _, p := range r.Pages() {
		if p.Kind != kind {
			continue
		}
		if _, err := r.RenderPage(p); err != nil {
			pprof.StopCPUProfile()
			f.Close()
			return err
		}
	}
	pprof.StopCPUProfile()
	return f.Close()
}

func gzipLen(b []byte) int {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Len()
}
