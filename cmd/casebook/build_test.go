package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// writeLibrary writes files (path → content) under a new folder.
func writeLibrary(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
	return dir
}

// writeFile writes a file, making its folder.
func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func runCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var o, e bytes.Buffer
	err = run(context.Background(), args, &o, &e)
	return o.String(), e.String(), err
}

// treeHash summarises every file under dir, names and bytes.
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, n)
		fmt.Fprintf(h, "%s\x00%x\x00", rel, sha256.Sum256(b))
	}
	return fmt.Sprintf("%x (%d files)", h.Sum(nil), len(names))
}

var goodLibrary = map[string]string{
	"casebook.yaml":                "title: Test library\n",
	"reviews/2024-01-02-first.md":  "---\ntitle: First\ntechnologies: [kafka]\nfollow_ups:\n  - title: Fix it\n    due: 2030-01-01\n---\nSee [second](2024-02-03-second.md).\n",
	"reviews/2024-02-03-second.md": "---\ntitle: Second\ntechnologies: [Kafka]\n---\nBody.\n",
}

func TestBuildWritesSite(t *testing.T) {
	lib := writeLibrary(t, goodLibrary)
	out := filepath.Join(t.TempDir(), "public")
	stdout, stderr, err := runCmd(t, "build", "--library", lib, "--out", out)
	if err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	if !strings.Contains(stdout, "built 2 reviews") {
		t.Errorf("stdout = %q, want a summary naming 2 reviews", stdout)
	}
	for _, f := range []string{"index.html", "reviews/2024-01-02-first/index.html", "technologies/kafka/index.html", "index.xml", "sitemap.xml", "404.html", "css/chroma.css"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	// Nothing was written inside the library.
	entries, _ := os.ReadDir(lib)
	if len(entries) != 2 {
		t.Errorf("library now holds %d entries, want the 2 it had", len(entries))
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", "1767225600")
	lib := writeLibrary(t, goodLibrary)
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	for _, out := range []string{a, b} {
		if _, stderr, err := runCmd(t, "build", "--library", lib, "--out", out, "--quiet"); err != nil {
			t.Fatalf("build: %v\n%s", err, stderr)
		}
	}
	if ha, hb := treeHash(t, a), treeHash(t, b); ha != hb {
		t.Errorf("two builds differ: %s vs %s", ha, hb)
	}
}

func TestFailedBuildLeavesPreviousOutput(t *testing.T) {
	lib := writeLibrary(t, goodLibrary)
	out := filepath.Join(t.TempDir(), "public")
	if _, stderr, err := runCmd(t, "build", "--library", lib, "--out", out, "--quiet"); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	before := treeHash(t, out)

	// Two problems in two files: both are reported, at their positions.
	os.WriteFile(filepath.Join(lib, "reviews", "2024-01-02-first.md"), []byte("---\ntitle: [broken\n---\n"), 0o644)
	os.WriteFile(filepath.Join(lib, "reviews", "2024-02-03-second.md"), []byte("---\ntitle: Second\n---\nA [dead link](gone.md).\n"), 0o644)
	_, stderr, err := runCmd(t, "build", "--library", lib, "--out", out)
	if err == nil {
		t.Fatal("build of a broken library succeeded")
	}
	if code := exitCode(err); code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	want := "reviews/2024-01-02-first.md:2:8: YAML: sequence end token ']' not found\n" +
		"reviews/2024-02-03-second.md:4:3: link to a review that does not exist: gone.md\n"
	if stderr != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, want)
	}
	if after := treeHash(t, out); after != before {
		t.Errorf("output changed after a failed build: %s → %s", before, after)
	}
	// No temporary folders are left beside the output.
	siblings, _ := os.ReadDir(filepath.Dir(out))
	if len(siblings) != 1 {
		var names []string
		for _, s := range siblings {
			names = append(names, s.Name())
		}
		t.Errorf("beside the output: %v, want only public", names)
	}
}

func TestBuildUsage(t *testing.T) {
	_, stderr, err := runCmd(t, "build", "--no-such-flag")
	if exitCode(err) != 2 || !strings.Contains(stderr, "flag provided but not defined") {
		t.Errorf("err=%v stderr=%q, want a usage error with status 2", err, stderr)
	}
	_, stderr, err = runCmd(t, "build", "--library", filepath.Join(t.TempDir(), "missing"))
	if exitCode(err) != 2 || !strings.Contains(stderr, "is not a folder") {
		t.Errorf("err=%v stderr=%q", err, stderr)
	}
	_, stderr, err = runCmd(t, "build", "--library", writeLibrary(t, goodLibrary), "--out", filepath.Join(t.TempDir(), "out"), "--base-url", "not a url")
	if exitCode(err) != 2 || !strings.Contains(stderr, `--base-url "not a url" is not an http(s) URL`) {
		t.Errorf("bad --base-url: err=%v stderr=%q", err, stderr)
	}
	_, _, err = runCmd(t, "frobnicate")
	if exitCode(err) != 2 {
		t.Errorf("unknown command: exit %d, want 2", exitCode(err))
	}
}

// A build replaces its output folder whole, so it refuses one that holds
// anything but a previous casebook site: the library, a file, or someone
// else's files. Each stays as it was.
func TestBuildRefusesOutputItWouldDestroy(t *testing.T) {
	parent := t.TempDir()
	lib := filepath.Join(parent, "lib")
	if err := os.CopyFS(lib, os.DirFS(writeLibrary(t, goodLibrary))); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(parent, "notes.txt")
	others := filepath.Join(parent, "others")
	for name, content := range map[string]string{file: "mine", filepath.Join(others, "keep.html"): "mine"} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for out, want := range map[string]string{
		lib:    "holds the library",
		parent: "holds the library",
		file:   "is a file, not a folder",
		others: "holds files casebook did not write",
	} {
		_, stderr, err := runCmd(t, "build", "--library", lib, "--out", out, "--quiet")
		if exitCode(err) != 2 || !strings.Contains(stderr, want) {
			t.Errorf("--out %s: exit %d, stderr %q; want status 2 and %q", out, exitCode(err), stderr, want)
		}
	}
	for _, f := range []string{filepath.Join(lib, "casebook.yaml"), file, filepath.Join(others, "keep.html")} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s is gone: %v", f, err)
		}
	}
	// An empty folder, and the site a build wrote, are fine.
	empty := filepath.Join(parent, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if _, stderr, err := runCmd(t, "build", "--library", lib, "--out", empty, "--quiet"); err != nil {
			t.Fatalf("build %d into %s: %v\n%s", i+1, empty, err, stderr)
		}
	}
}

// A mistake in a library's theme is reported in its own file, once, with
// the pages it breaks; one in a file it does not override names the
// default theme's.
func TestBuildThemeErrors(t *testing.T) {
	files := maps.Clone(goodLibrary)
	files["theme/templates/review.html"] = "{{define \"main\"}}\n{{.Review.Nope}}{{end}}\n"
	files["theme/templates/partials/broken.html"] = "{{define \"broken\"}}{{if}}{{end}}\n"
	_, stderr, err := runCmd(t, "build", "--library", writeLibrary(t, files), "--out", filepath.Join(t.TempDir(), "out"))
	if exitCode(err) != 1 || !strings.Contains(stderr, "theme/templates/partials/broken.html:1: missing value for if") {
		t.Errorf("parse error: exit %d, stderr:\n%s", exitCode(err), stderr)
	}
	// With the library's own problems, all at once.
	files["reviews/2024-03-04-bad.md"] = "---\ntitle: Bad\ndate: someday\n---\n"
	_, stderr, err = runCmd(t, "build", "--library", writeLibrary(t, files), "--out", filepath.Join(t.TempDir(), "out"))
	if exitCode(err) != 1 || !strings.Contains(stderr, "reviews/2024-03-04-bad.md:3:7: ") || !strings.Contains(stderr, "theme/templates/partials/broken.html:1: missing value for if") {
		t.Errorf("library and theme problems: exit %d, stderr:\n%s", exitCode(err), stderr)
	}
	delete(files, "reviews/2024-03-04-bad.md")
	delete(files, "theme/templates/partials/broken.html")
	_, stderr, err = runCmd(t, "build", "--library", writeLibrary(t, files), "--out", filepath.Join(t.TempDir(), "out"))
	want := "theme/templates/review.html:2:9: executing \"main\" at <.Review.Nope>: can't evaluate field Nope in type *site.Review (on 2 pages, such as /reviews/2024-01-02-first/)\n"
	if exitCode(err) != 1 || !strings.HasSuffix(stderr, want) || strings.Count(stderr, "Nope") != 2 {
		t.Errorf("execution error: exit %d, stderr:\n%s\nwant it to end with:\n%s", exitCode(err), stderr, want)
	}
}

func TestBuildOutputInsideLibraryIsNotContent(t *testing.T) {
	lib := writeLibrary(t, goodLibrary)
	for i := 0; i < 2; i++ {
		if _, stderr, err := runCmd(t, "build", "--library", lib, "--out", filepath.Join(lib, "public"), "--quiet"); err != nil {
			t.Fatalf("build %d: %v\n%s", i, err, stderr)
		}
	}
}

// Where there is no ./content and no --library, casebook uses the example
// library built into it.
func TestBuildFallsBackToExampleLibrary(t *testing.T) {
	t.Chdir(t.TempDir())
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // where the copy of the example goes
	_, stderr, err := runCmd(t, "build", "--quiet")
	if err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "using the example library built into casebook") {
		t.Errorf("stderr = %q, want a note about the built-in example", stderr)
	}
	if _, err := os.Stat(filepath.Join("public", "paths", "first-week-on-call", "index.html")); err != nil {
		t.Errorf("the example's training path was not built: %v", err)
	}
	// The copy it built from is gone when the command ends.
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("left behind in the temporary folder: %v", left)
	}
	// An explicit --library that does not exist is an error, not the example.
	if _, _, err := runCmd(t, "build", "--library", "content"); exitCode(err) != 2 {
		t.Errorf("build --library content (missing): exit %d, want 2", exitCode(err))
	}
}
