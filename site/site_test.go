package site_test

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"html"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/casebook/casebook/content"
	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// The whole-site tests live in testdata/sites/*.txtar. Each archive holds a
// library under lib/ and assertions about the site built from it:
//
//	-- options --             one per line: drafts, include-restricted,
//	                          now: 2026-01-02 (the present), base: URL
//	                          (overrides baseURL), git: path=2024-05-06 (a
//	                          file's first commit), readers: NAME (the
//	                          archive's file NAME as counted readers)
//	-- want-errors --         the exact error list; without it the build
//	                          must succeed
//	-- want/<output file> --  one assertion a line: a substring the file
//	                          must contain, or "! substring" it must not,
//	                          or "~ N substring" for exactly N occurrences;
//	                          \n in a substring is a newline, so that one
//	                          assertion can pin the order of adjacent lines
//	-- want-files --          output files that must exist ("! name" must not)
//	-- want-notes --          the exact list of notes (what was inferred, what
//	                          was kept but could not be used), path:line:col
//	-- nowhere --             substrings that must appear in no output file
//	-- golden/<output file> --  names a golden file testdata/golden/<archive>/<file>
//	                          compared byte for byte (-update rewrites it)
//
// The library's theme/ folder, if any, overlays the default theme, which is
// itself a feature under test.
func TestSites(t *testing.T) {
	files, err := filepath.Glob("testdata/sites/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test archives: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runArchive(t, name, file)
		})
	}
}

type archive struct {
	lib   fstest.MapFS
	theme fstest.MapFS
	opts  site.Options
	files map[string]string
	notes site.ErrorList // what the build noted, for want-notes
}

func readArchive(t *testing.T, file string) *archive {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	a := &archive{lib: fstest.MapFS{}, theme: fstest.MapFS{}, files: map[string]string{},
		opts: site.Options{Now: time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)}}
	seen := map[string]bool{}
	for _, f := range ar.Files {
		if seen[f.Name] {
			t.Fatalf("%s: %s appears twice", file, f.Name)
		}
		seen[f.Name] = true
		if rest, ok := strings.CutPrefix(f.Name, "lib/"); ok {
			a.lib[rest] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
			if th, ok := strings.CutPrefix(rest, "theme/"); ok {
				a.theme[th] = &fstest.MapFile{Data: f.Data}
			}
			continue
		}
		a.files[f.Name] = string(f.Data)
	}
	for _, line := range lines(a.files["options"]) {
		k, v, _ := strings.Cut(line, ":")
		switch strings.TrimSpace(k) {
		case "drafts":
			a.opts.Drafts = true
		case "include-restricted":
			a.opts.IncludeRestricted = true
		case "base":
			a.opts.BaseURL = strings.TrimSpace(v)
		case "now":
			tm, err := time.Parse("2006-01-02", strings.TrimSpace(v))
			if err != nil {
				t.Fatalf("options: %v", err)
			}
			a.opts.Now = tm
		case "git":
			// git: path=2024-05-06 gives a path's first commit date.
			p, d, _ := strings.Cut(strings.TrimSpace(v), "=")
			tm, _ := time.Parse("2006-01-02", d)
			prev := a.opts.FirstCommit
			a.opts.FirstCommit = func(q string) (time.Time, bool) {
				if q == p {
					return tm, true
				}
				if prev != nil {
					return prev(q)
				}
				return time.Time{}, false
			}
		case "readers":
			// readers: NAME reads the archive's file NAME as counted
			// readers (casebook build --readers NAME).
			name := strings.TrimSpace(v)
			counts, errs := site.ParseReaders(name, []byte(a.files[name]))
			if len(errs) > 0 {
				t.Fatalf("options: %v", errs)
			}
			a.opts.Readers = counts
		default:
			t.Fatalf("options: unknown option %q", line)
		}
	}
	return a
}

func lines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, sc.Text())
		}
	}
	return out
}

// memOutput collects a rendered site; Render writes from several
// goroutines.
type memOutput map[string][]byte

var memMu sync.Mutex

func (m memOutput) WriteFile(name string, data []byte) error {
	memMu.Lock()
	defer memMu.Unlock()
	if _, dup := m[name]; dup {
		return fmt.Errorf("%s written twice", name)
	}
	m[name] = bytes.Clone(data)
	return nil
}

func buildArchive(t *testing.T, a *archive) (memOutput, error) {
	t.Helper()
	lib, err := site.Parse(context.Background(), a.lib, a.opts)
	if err != nil {
		return nil, err
	}
	a.notes = lib.Notes()
	s, err := site.Assemble(lib)
	if err != nil {
		return nil, err
	}
	var th fs.FS = defaulttheme.FS
	if len(a.theme) > 0 {
		th = render.Overlay{Upper: a.theme, Lower: defaulttheme.FS}
	}
	r, err := render.New(s, th)
	if err != nil {
		return nil, err
	}
	out := memOutput{}
	if err := r.Render(context.Background(), out); err != nil {
		return nil, err
	}
	return out, nil
}

func runArchive(t *testing.T, name, file string) {
	a := readArchive(t, file)
	out, err := buildArchive(t, a)
	if want, ok := a.files["want-errors"]; ok {
		if err == nil {
			t.Fatalf("build succeeded; want errors:\n%s", want)
		}
		if got := err.Error() + "\n"; got != want {
			t.Errorf("errors:\n%s\nwant:\n%s", got, want)
		}
		return
	}
	if err != nil {
		t.Fatalf("build failed:\n%v", err)
	}
	if want, ok := a.files["want-notes"]; ok {
		got := a.notes.Error() + "\n"
		if len(a.notes) == 0 {
			got = ""
		}
		if got != want {
			t.Errorf("notes:\n%s\nwant:\n%s", got, want)
		}
	}
	checkLinks(t, out)
	for _, fname := range slices.Sorted(mapsKeys(a.files)) {
		content := a.files[fname]
		switch {
		case strings.HasPrefix(fname, "want/"):
			outName := strings.TrimPrefix(fname, "want/")
			got, ok := out[outName]
			if !ok {
				t.Errorf("%s: not written (have %s)", outName, strings.Join(nearby(out, outName), ", "))
				continue
			}
			checkFile(t, outName, string(got), content)
		case fname == "want-files":
			for _, l := range lines(content) {
				if n, ok := strings.CutPrefix(strings.TrimSpace(l), "! "); ok {
					if _, exists := out[n]; exists {
						t.Errorf("%s: written, want absent", n)
					}
				} else if _, exists := out[strings.TrimSpace(l)]; !exists {
					t.Errorf("%s: not written", strings.TrimSpace(l))
				}
			}
		case fname == "nowhere":
			for _, l := range lines(content) {
				for _, n := range slices.Sorted(mapsKeys(out)) {
					if bytes.Contains(out[n], []byte(strings.TrimSpace(l))) {
						t.Errorf("%s: contains %q, which must appear nowhere", n, strings.TrimSpace(l))
					}
				}
			}
		case strings.HasPrefix(fname, "golden/"):
			outName := strings.TrimPrefix(fname, "golden/")
			golden := filepath.Join("testdata", "golden", name, filepath.FromSlash(outName))
			compareGolden(t, golden, out[outName])
		}
	}
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func nearby(out memOutput, name string) []string {
	var n []string
	for k := range out {
		if path.Dir(k) == path.Dir(name) || strings.HasPrefix(k, strings.Split(name, "/")[0]) {
			n = append(n, k)
		}
	}
	slices.Sort(n)
	if len(n) > 10 {
		n = n[:10]
	}
	return n
}

func checkFile(t *testing.T, name, got, assertions string) {
	t.Helper()
	for _, l := range lines(assertions) {
		l = strings.ReplaceAll(strings.TrimSpace(l), `\n`, "\n")
		switch {
		case strings.HasPrefix(l, "! "):
			if s := l[2:]; strings.Contains(got, s) {
				t.Errorf("%s: contains %q, want absent", name, s)
			}
		case strings.HasPrefix(l, "~ "):
			var n int
			var s string
			if _, err := fmt.Sscanf(l, "~ %d", &n); err != nil {
				t.Fatalf("bad assertion %q", l)
			}
			s = strings.SplitN(l, " ", 3)[2]
			if c := strings.Count(got, s); c != n {
				t.Errorf("%s: %q occurs %d times, want %d", name, s, c, n)
			}
		default:
			if !strings.Contains(got, l) {
				t.Errorf("%s: missing %q", name, l)
			}
		}
	}
}

func compareGolden(t *testing.T, golden string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update after checking the change):\n%s", golden, firstDiff(string(want), string(got)))
	}
}

func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range max(len(wl), len(gl)) {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want %q\n  got  %q", i+1, w, g)
		}
	}
	return "(no line differs)"
}

var (
	linkRe = regexp.MustCompile(`\b(?:href|src)="([^"]*)"`)
	baseRe = regexp.MustCompile(`<meta name="casebook-base" content="([^"]*)">`)
)

// checkLinks is part of every whole-site test: each link and resource an
// HTML page refers to inside the site is a file the build wrote. It is
// what keeps the many places that link to people, terms, reviews and
// paths from pointing at pages nobody made.
func checkLinks(t *testing.T, out map[string][]byte) {
	t.Helper()
	for _, name := range slices.Sorted(mapsKeys(out)) {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		page := string(out[name])
		base := "/"
		if m := baseRe.FindStringSubmatch(page); m != nil {
			base = html.UnescapeString(m[1])
		}
		for _, m := range linkRe.FindAllStringSubmatch(page, -1) {
			u := html.UnescapeString(m[1])
			if u == "" || strings.HasPrefix(u, "#") || strings.Contains(u, ":") || strings.HasPrefix(u, "//") || strings.HasPrefix(u, "?") {
				continue // same page, another site, or a scheme such as mailto:
			}
			u, _, _ = strings.Cut(u, "#")
			u, _, _ = strings.Cut(u, "?")
			// A server looks up the decoded path: "%c3%a5" is the file "å".
			if dec, err := url.PathUnescape(u); err == nil {
				u = dec
			} else {
				t.Errorf("%s: link %q is not a valid URL path: %v", name, m[1], err)
				continue
			}
			var target string
			if rest, ok := strings.CutPrefix(u, base); ok {
				target = rest
			} else if strings.HasPrefix(u, "/") {
				t.Errorf("%s: link %q is outside the site's base path %q", name, m[1], base)
				continue
			} else {
				target = path.Join(path.Dir(name), u)
				if strings.HasSuffix(u, "/") {
					target += "/"
				}
			}
			if target == "" || strings.HasSuffix(target, "/") {
				target += "index.html"
			}
			if _, ok := out[target]; !ok {
				t.Errorf("%s: dead link %q (no %s in the output)", name, m[1], target)
			}
		}
	}
}

// The example library is what a new user sees first: it builds without a
// problem, with drafts and without, and nothing in it links nowhere.
func TestExampleLibrary(t *testing.T) {
	for _, drafts := range []bool{false, true} {
		a := &archive{lib: fstest.MapFS{}, opts: site.Options{Drafts: drafts, Now: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}}
		err := fs.WalkDir(content.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(content.FS, p)
			a.lib[p] = &fstest.MapFile{Data: b, Mode: 0o644}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		out, err := buildArchive(t, a)
		if err != nil {
			t.Fatalf("drafts=%v: %v", drafts, err)
		}
		if n := len(out); n < 90 {
			t.Errorf("drafts=%v: only %d files written", drafts, n)
		}
		checkLinks(t, out)
	}
}
