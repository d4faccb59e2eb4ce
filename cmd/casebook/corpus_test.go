package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/tools/txtar"
)

// The hostile-input corpus is testdata/hostile/*.txtar: one library per
// archive, under lib/, and a comment saying what the case is and what
// the build must do. Every case is built over a good site already in the
// output folder, and must end in a clean build or in located errors,
// without a panic, within a bound on time and heap, and with the good
// site intact when it fails. `check` must agree with `build`.
//
// The comment's directives, one a line (other lines are prose):
//
//	expect: ok | error     what the build must do
//	want: REGEXP           a line of the output (stderr, or stdout when ok) matches
//	symlink: LINK TARGET   make lib/LINK a link to TARGET ("@outside/x" is a
//	                       file outside the library holding the canary)
//	page: FILE REGEXP      the published FILE (under the output) matches
//	chmod: PATH MODE       chmod lib/PATH (octal) after writing; skipped as root
//	crlf: PATH / cr: PATH  rewrite lib/PATH's line ends as CR LF or a lone CR
//
// In file contents, {{N*"s"}} (s a Go string literal) stands for s
// repeated N times: bytes txtar cannot hold (NUL, a BOM, binary) and
// inputs too large to keep verbatim.
const (
	// Guards against a case costing minutes or gigabytes, not benchmarks:
	// a small library builds in well under a second; the bounds leave room
	// for a machine shared with other work.
	corpusTimeBound = 10 * time.Second
	corpusHeapBound = 256 << 20
	// outsideCanary is what a file outside the library holds; it must be
	// in no output.
	outsideCanary = "CANARY-outside-the-library"
)

var repeatRE = regexp.MustCompile(`\{\{(\d+)\*("(?:[^"\\]|\\.)*")\}\}`)

// located is a line of an error report: path:line:col: message, or
// path: message for a problem with a whole file.
var located = regexp.MustCompile(`^([^\s:][^:]*?)(?::([0-9]+):([0-9]+))?: \S`)

type corpusCase struct {
	expectOK bool
	want     []*regexp.Regexp
	symlinks [][2]string
	chmods   []struct {
		path string
		mode os.FileMode
	}
	crlf, cr []string
	pages    [][2]string
	files    map[string][]byte
}

func parseCorpusCase(t *testing.T, file string) *corpusCase {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := &corpusCase{files: map[string][]byte{}}
	expect := ""
	for i, line := range strings.Split(string(ar.Comment), "\n") {
		key, val, ok := strings.Cut(line, ": ")
		if !ok {
			continue
		}
		bad := func() { t.Fatalf("%s:%d: bad %s directive %q", file, i+1, key, val) }
		switch key {
		case "expect":
			expect = val
		case "want":
			re, err := regexp.Compile("(?m)" + val)
			if err != nil {
				t.Fatalf("%s:%d: %v", file, i+1, err)
			}
			c.want = append(c.want, re)
		case "symlink":
			f := strings.Fields(val)
			if len(f) != 2 {
				bad()
			}
			c.symlinks = append(c.symlinks, [2]string{f[0], f[1]})
		case "chmod":
			f := strings.Fields(val)
			m, err := strconv.ParseUint(f[len(f)-1], 8, 32)
			if len(f) != 2 || err != nil {
				bad()
			}
			c.chmods = append(c.chmods, struct {
				path string
				mode os.FileMode
			}{f[0], os.FileMode(m)})
		case "page":
			f, re, ok := strings.Cut(val, " ")
			if _, err := regexp.Compile(re); !ok || err != nil {
				bad()
			}
			c.pages = append(c.pages, [2]string{f, re})
		case "crlf":
			c.crlf = append(c.crlf, val)
		case "cr":
			c.cr = append(c.cr, val)
		}
	}
	if expect != "ok" && expect != "error" {
		t.Fatalf("%s: no expect: ok or expect: error", file)
	}
	c.expectOK = expect == "ok"
	for _, f := range ar.Files {
		name, ok := strings.CutPrefix(f.Name, "lib/")
		if !ok || !filepath.IsLocal(name) {
			t.Fatalf("%s: %s is not a file under lib/", file, f.Name)
		}
		name = string(expandRepeats(t, file, []byte(name)))
		c.files[name] = expandRepeats(t, file, f.Data)
	}
	for _, p := range c.crlf {
		c.files[p] = bytes.ReplaceAll(c.files[p], []byte("\n"), []byte("\r\n"))
	}
	for _, p := range c.cr {
		c.files[p] = bytes.ReplaceAll(c.files[p], []byte("\n"), []byte("\r"))
	}
	return c
}

func expandRepeats(t *testing.T, file string, data []byte) []byte {
	return repeatRE.ReplaceAllFunc(data, func(m []byte) []byte {
		sub := repeatRE.FindSubmatch(m)
		n, _ := strconv.Atoi(string(sub[1]))
		s, err := strconv.Unquote(string(sub[2]))
		if err != nil {
			t.Fatalf("%s: %s: %v", file, m, err)
		}
		return bytes.Repeat([]byte(s), n)
	})
}

// write makes the case's library in dir, with outside holding the canary.
func (c *corpusCase) write(t *testing.T, dir, outside string) {
	t.Helper()
	for name, data := range c.files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range c.symlinks {
		link := filepath.Join(dir, filepath.FromSlash(l[0]))
		target, ok := strings.CutPrefix(l[1], "@outside/")
		if ok {
			target = filepath.Join(outside, target)
		}
		if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.FromSlash(target), link); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range c.chmods {
		p := filepath.Join(dir, filepath.FromSlash(m.path))
		if err := os.Chmod(p, m.mode); err != nil {
			t.Fatal(err)
		}
		// t.TempDir's cleanup must be able to remove what the case locked.
		t.Cleanup(func() { os.Chmod(p, 0o755) })
	}
}

func TestHostileCorpus(t *testing.T) {
	files, err := filepath.Glob("testdata/hostile/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 40 {
		t.Fatalf("%d cases in testdata/hostile, want at least 40", len(files))
	}
	// A build sets the collector's percentage and limit for the process;
	// the test's own settings come back after.
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	good := writeLibrary(t, goodLibrary)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			c := parseCorpusCase(t, file)
			if len(c.chmods) > 0 && os.Geteuid() == 0 {
				// Root reads a file whatever its mode, so the case would
				// test nothing.
				t.Skip("running as root: a chmod 000 file is readable")
			}
			outside := t.TempDir()
			writeFile(t, filepath.Join(outside, "environ"), outsideCanary+"\n")
			writeFile(t, filepath.Join(outside, "review.md"), "---\ntitle: "+outsideCanary+"\n---\n"+outsideCanary+"\n")
			writeFile(t, filepath.Join(outside, "dir", "x.txt"), outsideCanary)
			lib := t.TempDir()
			c.write(t, lib, outside)
			out := filepath.Join(t.TempDir(), "public")
			if _, stderr, err := runCmd(t, "build", "--library", good, "--out", out); err != nil {
				t.Fatalf("the good library: %v\n%s", err, stderr)
			}
			before := treeHash(t, out)

			stdout, stderr, err := measuredRun(t, "build", "--library", lib, "--out", out)
			if strings.Contains(stdout+stderr, outsideCanary) {
				t.Errorf("the output shows a file outside the library:\n%s%s", stdout, stderr)
			}
			assertNoSecret(t, out, outsideCanary)
			report := stderr
			if c.expectOK {
				report = stdout + stderr
				if err != nil {
					t.Fatalf("build failed; want a clean build:\n%s", stderr)
				}
				if treeHash(t, out) == before {
					t.Errorf("the build succeeded but left the previous site in place")
				}
				assertCleanText(t, out)
				for _, p := range c.pages {
					b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p[0])))
					if err != nil {
						t.Errorf("%v", err)
					} else if !regexp.MustCompile(p[1]).Match(b) {
						t.Errorf("%s does not match %q", p[0], p[1])
					}
				}
			} else {
				if err == nil {
					t.Fatalf("build passed; want located errors\n%s", stdout)
				}
				if after := treeHash(t, out); after != before {
					t.Errorf("the failed build changed the previous site: %s, was %s", after, before)
				}
				assertLocated(t, stderr)
			}
			for _, re := range c.want {
				if !re.MatchString(report) {
					t.Errorf("no line matches %q in:\n%s", re, report)
				}
			}
			// check reports everything build would: it fails exactly when
			// build does.
			cout, cerr, cerrv := measuredRun(t, "check", "--library", lib)
			if (cerrv == nil) != c.expectOK {
				t.Errorf("check: %v, build: %v\n%s%s", cerrv, err, cout, cerr)
			}
			if strings.Contains(cout+cerr, outsideCanary) {
				t.Errorf("check shows a file outside the library:\n%s%s", cout, cerr)
			}
		})
	}
}

// assertCleanText holds the site's pages and feeds to what they say they
// are: UTF-8 text, without the NUL bytes that browsers and feed readers
// treat as an error or the end of the document.
func assertCleanText(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		switch filepath.Ext(p) {
		case ".html", ".xml", ".json":
		default:
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Error(err)
			return nil
		}
		if i := bytes.IndexByte(b, 0); i >= 0 {
			t.Errorf("%s: a NUL byte at %d", p, i)
		}
		if !utf8.Valid(b) {
			t.Errorf("%s: not UTF-8", p)
		}
		return nil
	})
}

// assertLocated holds every line of an error report to path:line:col:
// message or path: message, with a path and, where given, a line and
// column from 1.
func assertLocated(t *testing.T, stderr string) {
	t.Helper()
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	if len(lines) == 0 || lines[0] == "" {
		t.Errorf("the build failed without saying why")
	}
	for _, l := range lines {
		m := located.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("not located: %q", l)
			continue
		}
		if m[2] == "0" || m[3] == "0" {
			t.Errorf("line or column 0: %q", l)
		}
	}
}

// measuredRun runs the command in this process, failing the test if it
// panics, takes longer than corpusTimeBound or grows the heap by more
// than corpusHeapBound.
func measuredRun(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	runtime.GC()
	base := heapBytes()
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, heapBytes())
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	})
	start := time.Now()
	func() {
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("%s panicked: %v\n%s", args[0], p, debug.Stack())
			}
		}()
		var o, e bytes.Buffer
		err = run(context.Background(), args, &o, &e)
		stdout, stderr = o.String(), e.String()
	}()
	d := time.Since(start)
	close(stop)
	wg.Wait()
	if d > corpusTimeBound {
		t.Errorf("%s took %v, bound %v", args[0], d, corpusTimeBound)
	}
	growth := int64(peak) - int64(base)
	if growth > corpusHeapBound {
		t.Errorf("%s grew the heap by %d MiB, bound %d MiB", args[0], growth>>20, corpusHeapBound>>20)
	}
	if testing.Verbose() {
		t.Logf("%s: %v, heap %+d KiB", args[0], d.Round(time.Millisecond), growth>>10)
	}
	return stdout, stderr, err
}

var heapSample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
var heapMu sync.Mutex

func heapBytes() uint64 {
	heapMu.Lock()
	defer heapMu.Unlock()
	metrics.Read(heapSample)
	return heapSample[0].Value.Uint64()
}
