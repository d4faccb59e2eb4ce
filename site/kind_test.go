package site_test

import (
	"os"
	"sort"
	"testing"
	"time"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

func TestKindTimes(t *testing.T) {
	if os.Getenv("CASEBOOK_KIND_TIMES") == "" {
		t.Skip("set CASEBOOK_KIND_TIMES=1 to time page kinds on the bench corpus")
	}
	dir, _ := benchCorpus()
	st := time.Now()
	s, err := site.Load(os.DirFS(dir), benchOpts())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("load %v", time.Since(st))
	r, _ := render.New(s, defaulttheme.FS)
	d := map[render.Kind]time.Duration{}
	n := map[render.Kind]int{}
	for _, p := range r.Pages() {
		st := time.Now()
		r.RenderPage(p)
		d[p.Kind] += time.Since(st)
		n[p.Kind]++
	}
	var ks []render.Kind
	for k := range d {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool { return d[ks[i]] > d[ks[j]] })
	for _, k := range ks[:6] {
		t.Logf("%-10s %5d pages %8v total %6v/page", k, n[k], d[k].Round(time.Millisecond), (d[k] / time.Duration(n[k])).Round(time.Microsecond))
	}
}
