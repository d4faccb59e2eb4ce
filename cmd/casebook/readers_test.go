package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildReaders: --readers FILE puts counted readers on review pages
// and in /compare/'s data over the library's readers.csv; a bad file is
// reported located, and nothing is built.
func TestBuildReaders(t *testing.T) {
	files := map[string]string{"readers.csv": "slug,count,period\n2024-01-02-first,4,2024\n2024-02-03-second,6,2024\n"}
	for k, v := range goodLibrary {
		files[k] = v
	}
	lib := writeLibrary(t, files)
	counted := filepath.Join(t.TempDir(), "counted.csv")
	writeFile(t, counted, "slug,count,period\n2024-01-02-first,31,since 2024-06-01\n")
	out := filepath.Join(t.TempDir(), "public")
	if _, stderr, err := runCmd(t, "build", "--library", lib, "--out", out, "--readers", counted); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	for page, want := range map[string]string{
		"reviews/2024-01-02-first/index.html":  `<dt>Readers</dt><dd>31 <span class="muted">(since 2024-06-01)</span></dd>`,
		"reviews/2024-02-03-second/index.html": `<dt>Readers</dt><dd>6 <span class="muted">(2024)</span></dd>`,
		"compare/depth.json":                   `31,"since 2024-06-01"]`,
	} {
		b, err := os.ReadFile(filepath.Join(out, page))
		if err != nil || !strings.Contains(string(b), want) {
			t.Errorf("%s: want %s (err %v)", page, want, err)
		}
	}

	writeFile(t, counted, "slug,count\n2024-01-02-first,-3\n")
	_, _, err := runCmd(t, "build", "--library", lib, "--out", out, "--readers", counted)
	if err == nil || !strings.Contains(err.Error(), counted+`:2:18: count "-3" is not a whole number of readers`) {
		t.Errorf("bad readers file: err = %v", err)
	}
}
