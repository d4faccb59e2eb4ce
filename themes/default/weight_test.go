package defaulttheme_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
)

// maxPageWeight is the most a page may cost a first visit, gzipped: its
// HTML plus every stylesheet and script it loads up front.
const maxPageWeight = 40 << 10

var assetRe = regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)"|<script src="([^"]+)"`)

// TestPageWeight builds the example library (or the fixture) and fails
// when a page, with the CSS and JavaScript it loads, is over
// maxPageWeight gzipped. It logs the heaviest page of each kind: run with
// -v to see them.
func TestPageWeight(t *testing.T) {
	lib := fixtureFS(t)
	if content := os.DirFS("../../content"); fileExists(content, "casebook.yaml") {
		lib = content
	}
	dir, r := build(t, lib, site.Options{Now: fixtureNow})
	prefix := strings.TrimSuffix(mustRel(t, r), "/")
	gz := map[string]int{}
	size := func(name string) int {
		if n, ok := gz[name]; ok {
			return n
		}
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatalf("reading %s: %v", name, err)
		}
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		w.Write(b)
		w.Close()
		gz[name] = buf.Len()
		return buf.Len()
	}
	heaviest := map[string]struct {
		url    string
		weight int
		assets []string
	}{}
	for _, p := range r.Pages() {
		name := render.OutputName(p.URL)
		total := size(name)
		b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		var assets []string
		for _, m := range assetRe.FindAllStringSubmatch(string(b), -1) {
			u := m[1] + m[2]
			rest, ok := strings.CutPrefix(u, prefix+"/")
			if !ok {
				t.Errorf("%s loads %s, outside the site", p.URL, u)
				continue
			}
			assets = append(assets, rest)
			total += size(rest)
		}
		if total > maxPageWeight {
			t.Errorf("%s (%s) weighs %.1f KB gzipped with %v; the budget is %d KB", p.URL, p.Kind, float64(total)/1024, assets, maxPageWeight>>10)
		}
		if h, ok := heaviest[string(p.Kind)]; !ok || total > h.weight {
			heaviest[string(p.Kind)] = struct {
				url    string
				weight int
				assets []string
			}{p.URL, total, assets}
		}
	}
	var kinds []string
	for k := range heaviest {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		h := heaviest[k]
		t.Logf("%-10s %5.1f KB  %s  %v", k, float64(h.weight)/1024, h.url, h.assets)
	}
}
