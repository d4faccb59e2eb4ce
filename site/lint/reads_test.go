package lint_test

import (
	"context"
	"io/fs"
	"sync"
	"testing"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/lint"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

// countingFS counts, per file, how many times its bytes are read: an Open
// followed by a Read. Opening a folder or statting a file is not reading.
type countingFS struct {
	fs.FS
	mu    sync.Mutex
	reads map[string]int
}

func (c *countingFS) Open(name string) (fs.File, error) {
	f, err := c.FS.Open(name)
	if err != nil {
		return nil, err
	}
	return &countingFile{File: f, name: name, fs: c}, nil
}

type countingFile struct {
	fs.File
	name    string
	fs      *countingFS
	counted bool
}

func (f *countingFile) Read(b []byte) (int, error) {
	if !f.counted {
		f.counted = true
		f.fs.mu.Lock()
		f.fs.reads[f.name]++
		f.fs.mu.Unlock()
	}
	return f.File.Read(b)
}

func (f *countingFile) ReadDir(n int) ([]fs.DirEntry, error) {
	return f.File.(fs.ReadDirFile).ReadDir(n)
}

// casebook check reads each file of the library once: the rules are
// clients of the build's own parse, not a second parser.
func TestCheckReadsEachFileOnce(t *testing.T) {
	lib := library(map[string]string{
		"casebook.yaml": "title: Acme\nlint:\n  extra_blameless_phrases: [dropped the ball]\n",
		"reviews/2024-01-02-db.md": "---\ntitle: DB failover\nresponders: [ann-lee]\ntemplate: google\n" +
			"follow_ups:\n  - title: Add alert\n---\n## Summary\n\nSomeone dropped the ball.\n\n```timeline\n2024-01-02 10:00 | trigger | @ann-lee paged\n```\n",
		"reviews/2024-02-03-cache.md": "---\ntitle: Cache\nstatus: draft\nrelated: [2024-01-02-db]\n---\nSee [db](2024-01-02-db.md).\n",
		"reviews/bundle/index.md":     "---\ntitle: Bundle\ndate: 2024-03-04\n---\n![d](d.png)\n",
		"reviews/bundle/d.png":        "png",
		"paths/new-hires.md":          "---\ntitle: New hires\nsteps:\n  - review: 2024-01-02-db\n    note: Look at the *alert*.\n---\nIntro.\n",
		"people/ann-lee.md":           "---\nname: Ann Lee\n---\nSRE.\n",
		"templates/short.md":          "---\ntitle: \"\"\n---\n## What happened\n",
	})
	cfs := &countingFS{FS: lib, reads: map[string]int{}}
	rep := lint.Check(context.Background(), cfs, site.Options{Now: now}, defaulttheme.FS)
	if rep.HasErrors() {
		t.Fatalf("the library should check clean of errors: %+v", rep.Findings)
	}
	for name := range lib {
		if n := cfs.reads[name]; n > 1 {
			t.Errorf("%s was read %d times", name, n)
		}
	}
	for _, name := range []string{"reviews/2024-01-02-db.md", "reviews/2024-02-03-cache.md", "reviews/bundle/index.md", "paths/new-hires.md", "people/ann-lee.md", "casebook.yaml"} {
		if cfs.reads[name] != 1 {
			t.Errorf("%s was read %d times, want once", name, cfs.reads[name])
		}
	}
}
