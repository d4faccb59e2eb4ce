// Command strain measures what on-call and participation cost a load:
// it gives a library a weekly rota (one shift a week for each of its
// services, the people taking turns) spanning its reviews, loads it with
// and without that rota, alternating, and prints the median of each. With
// -cpuprofile it profiles the loads with the rota, for
// `go tool pprof -top -focus 'participation|strainInsights|readRota'`.
//
//	go run ./bench/strain [-runs 5] [-years 5] [-cpuprofile FILE] LIBRARY
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"testing/fstest"
	"time"

	"github.com/casebook/casebook/site"
)

func main() {
	runs := flag.Int("runs", 5, "loads of each kind")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the loads with the rota")
	years := flag.Int("years", 5, "years of rota, back from the newest review (0: all the reviews' span)")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: strain [-runs N] [-cpuprofile FILE] LIBRARY")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *runs, *years, *prof); err != nil {
		fmt.Fprintln(os.Stderr, "strain:", err)
		os.Exit(1)
	}
}

// withFile is a library with one more file at its root.
type withFile struct {
	fs.FS
	name string
	data []byte
}

func (w withFile) Open(name string) (fs.File, error) {
	if name == w.name && w.data != nil {
		return fstest.MapFS{name: {Data: w.data}}.Open(name)
	}
	return w.FS.Open(name)
}

func run(dir string, runs, years int, prof string) error {
	lib := os.DirFS(dir)
	opts := site.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	s, err := site.Load(context.Background(), withFile{FS: lib}, opts)
	if err != nil {
		return err
	}
	rota, shifts := weeklyRota(s, years)
	with, without := withFile{lib, site.RotaFile, rota}, withFile{FS: lib}
	var tw, to []time.Duration
	var pf *os.File
	for i := range runs {
		for _, rotaFirst := range []bool{i%2 == 0, i%2 != 0} {
			fsys := fs.FS(without)
			if rotaFirst {
				fsys = with
			}
			if rotaFirst && prof != "" && pf == nil {
				if pf, err = os.Create(prof); err != nil {
					return err
				}
				if err := pprof.StartCPUProfile(pf); err != nil {
					return err
				}
			}
			start := time.Now()
			if _, err := site.Load(context.Background(), fsys, opts); err != nil {
				return err
			}
			d := time.Since(start)
			if rotaFirst {
				tw = append(tw, d)
			} else {
				to = append(to, d)
			}
		}
	}
	if pf != nil {
		pprof.StopCPUProfile()
		pf.Close()
	}
	fmt.Printf("%d reviews, %d people, rota of %d shifts (%d KB)\n", len(s.Reviews), len(s.People), shifts, len(rota)>>10)
	fmt.Printf("load without rota: median %v (%v)\n", median(to), to)
	fmt.Printf("load with rota:    median %v (%v)\n", median(tw), tw)
	return nil
}

func median(d []time.Duration) time.Duration {
	d = slices.Clone(d)
	slices.Sort(d)
	return d[len(d)/2].Round(time.Millisecond)
}

// weeklyRota writes a shift a week for each service over the last years
// of the reviews' span, the people taking turns.
func weeklyRota(s *site.Site, years int) ([]byte, int) {
	var b bytes.Buffer
	svcs := s.Taxonomy(s.Config.ExpertiseTaxonomies.Services)
	if svcs == nil || len(s.People) == 0 || len(s.Reviews) == 0 {
		return nil, 0
	}
	newest, oldest := s.Reviews[0].Date, s.Reviews[len(s.Reviews)-1].Date
	if from := newest.AddDate(-years, 0, 0); years > 0 && from.After(oldest) {
		oldest = from
	}
	start := time.Date(oldest.Year(), oldest.Month(), oldest.Day(), 9, 0, 0, 0, time.UTC)
	n := 0
	for w := start; w.Before(newest.AddDate(0, 0, 7)); w = w.AddDate(0, 0, 7) {
		for i, t := range svcs.Terms {
			p := s.People[(n+i)%len(s.People)]
			fmt.Fprintf(&b, "- {person: %s, service: %s, from: %s, to: %s}\n", p.ID, t.ID, w.Format("2006-01-02 15:04"), w.AddDate(0, 0, 7).Format("2006-01-02 15:04"))
			n++
		}
	}
	return []byte(strings.TrimSpace(b.String()) + "\n"), n
}
