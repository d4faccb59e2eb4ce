package site_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

// FuzzLoad feeds arbitrary contents to one review of a small library:
// whatever an author writes, loading reports problems as path:line:col
// errors, or loads, and a loaded site renders; nothing panics.
//
//	go test ./site -run '^$' -fuzz FuzzLoad -fuzztime 1m
func FuzzLoad(f *testing.F) {
	// Seeds: every review in the whole-site test archives.
	files, _ := filepath.Glob("testdata/sites/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, af := range ar.Files {
			if strings.HasPrefix(af.Name, "lib/reviews/") && strings.HasSuffix(af.Name, ".md") {
				f.Add(string(af.Data))
			}
		}
	}
	f.Add("---\ntitle: [\n---\n")
	f.Add("```timeline\n25:99 | trigger | x\n```\n")
	f.Add("+++\ndate = 2024-13-45\n+++\n# T\n")
	f.Fuzz(func(t *testing.T, review string) {
		fsys := fstest.MapFS{
			"casebook.yaml":                {Data: []byte("title: Fuzz\nseverities: [SEV1, SEV2]\n")},
			"reviews/2024-01-02-fuzzed.md": {Data: []byte(review)},
			"reviews/2024-01-03-other.md":  {Data: []byte("---\ntitle: Other\ntechnologies: [kafka]\nresponders: [ann]\n---\nSee [fuzzed](2024-01-02-fuzzed.md).\n")},
			"paths/p.md":                   {Data: []byte("---\ntitle: P\nsteps:\n  - review: 2024-01-03-other\n---\n")},
		}
		s, err := site.Load(context.Background(), fsys, site.Options{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			var list site.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("not an error list: %T %v", err, err)
			}
			for _, e := range list {
				if !strings.HasPrefix(e.Path, "reviews/") && !strings.HasPrefix(e.Path, "paths/") && e.Path != "casebook.yaml" {
					t.Errorf("error without a path: %q", e.Error())
				}
				// Only a file as a whole (unreadable, or an unusable name)
				// has no line to point at.
				if e.Line < 1 || e.Col < 1 {
					t.Errorf("error without a line and column: %q", e.Error())
				}
			}
			return
		}
		r, err := render.New(s, defaulttheme.FS)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Render(context.Background(), discard{}); err != nil {
			t.Fatalf("a loaded site does not render: %v", err)
		}
	})
}

// FuzzConfig feeds arbitrary settings to a small library: whatever
// casebook.yaml says, loading reports located errors or loads, and a
// loaded site renders; nothing panics.
//
//	go test ./site -run '^$' -fuzz FuzzConfig -fuzztime 1m
func FuzzConfig(f *testing.F) {
	files, _ := filepath.Glob("testdata/sites/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, af := range ar.Files {
			if af.Name == "lib/casebook.yaml" {
				f.Add(string(af.Data))
			}
		}
	}
	f.Add("taxonomies: [{key: '!!!'}]\n")
	f.Add("taxonomies: [{key: '_'}, {key: '-'}]\n")
	f.Add("baseURL: 'https://x/%22%3E%3Cimg%20src=x%20onerror=alert(1)%3E/'\n")
	f.Fuzz(func(t *testing.T, cfg string) {
		fsys := fstest.MapFS{
			"casebook.yaml":               {Data: []byte(cfg)},
			"reviews/2024-01-02-first.md": {Data: []byte("---\ntitle: First\ntechnologies: [kafka]\nseverity: SEV1\nresponders: [ann]\n---\nSee [other](2024-01-03-other.md), @ann.\n")},
			"reviews/2024-01-03-other.md": {Data: []byte("---\ntitle: Other\nservices: [api]\n---\nBody.\n")},
			"paths/p.md":                  {Data: []byte("---\ntitle: P\nsteps:\n  - review: 2024-01-03-other\n---\n")},
		}
		s, err := site.Load(context.Background(), fsys, site.Options{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			var list site.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("not an error list: %T %v", err, err)
			}
			for _, e := range list {
				// Settings are located to their line; a problem of the
				// library as a whole (no reviews left) to its folder.
				if e.Path == "" || e.Path == site.ConfigFile && e.Line < 1 {
					t.Errorf("error not located: %q", e.Error())
				}
			}
			return
		}
		r, err := render.New(s, defaulttheme.FS)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Render(context.Background(), discard{}); err != nil {
			t.Fatalf("a loaded site does not render: %v", err)
		}
	})
}
