package highlight

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// The line memo must never change what chroma would produce for a block.
func TestHighlightMatchesWholeBlockLexing(t *testing.T) {
	cases := []struct{ lang, code string }{
		{"go", "func f() {\n\t/* a comment\n\tspanning lines */\n\treturn\n}\n"},
		{"go", "var s = `raw\nstring with casebookprobe\n`\nx := 1\n"},
		{"go", "x := 1\nx := 1\n// comment\n"},
		{"bash", "cat <<EOF > /tmp/x\nhello $USER\nEOF\necho done\n"},
		{"bash", "echo \"multi\nline\" && ls\n"},
		{"bash", "#!/bin/bash\nset -euo pipefail\nkubectl -n payments rollout undo deployment/api\n"},
		{"yaml", "key: |\n  block scalar\n  casebookprobe\nother: 1\n"},
		{"yaml", "a: 1\nb: [1, 2]\n# note\n"},
		{"sql", "SELECT *\n/* long\ncomment */\nFROM t WHERE x = 'multi\nline';\n"},
		{"python", "def f():\n    \"\"\"doc\n    string\"\"\"\n    return 1\n"},
		{"json", "{\n  \"a\": [1,\n    2]\n}\n"},
		{"", "plain text\nwith lines\n"},
		{"nosuchlang", "whatever\n"},
		{"go", "no trailing newline"},
	}
	// And every code block in the example library.
	fence := regexp.MustCompile("(?s)```([a-z]*)\n(.*?)```")
	_ = fs.WalkDir(os.DirFS("../../../content"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := fs.ReadFile(os.DirFS("../../../content"), p)
		for _, m := range fence.FindAllStringSubmatch(string(b), -1) {
			if m[1] != "timeline" {
				cases = append(cases, struct{ lang, code string }{m[1], m[2]})
			}
		}
		return nil
	})
	// Twice: the second pass is served from the memo.
	h := New()
	for pass := 0; pass < 2; pass++ {
		for _, c := range cases {
			code := c.code
			if code == "" || code[len(code)-1] != '\n' {
				code += "\n"
			}
			want, err := lexWhole(lexerFor(c.lang), code)
			if err != nil {
				t.Fatal(err)
			}
			var gotHTML, wantHTML strings.Builder
			if err := h.WriteHTML(&gotHTML, c.lang, c.code); err != nil {
				t.Fatal(err)
			}
			if err := codeFormatter.Format(&wantHTML, styles.Fallback, chroma.Literator(want...)); err != nil {
				t.Fatal(err)
			}
			if gotHTML.String() != wantHTML.String() {
				t.Errorf("pass %d, %s %q: HTML\n got %s\nwant %s", pass, c.lang, c.code, gotHTML.String(), wantHTML.String())
			}
		}
	}
	if len(cases) < 20 {
		t.Errorf("only %d cases: is ../content there?", len(cases))
	}
}

// wholeHTML is what chroma alone makes of a block.
func wholeHTML(t *testing.T, lang, code string) string {
	t.Helper()
	toks, err := lexWhole(lexerFor(lang), code)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := codeFormatter.Format(&b, styles.Fallback, chroma.Literator(toks...)); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// The memo may serve a language only if it agrees with chroma on every
// sample of it: chroma's own test inputs (in the module cache) and
// testdata. Each sample is checked whole and as every window of
// one and of three lines, so that each line is seen at the start of a
// block, in the middle and at the end.
func TestHighlightMemoMatchesChroma(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/alecthomas/chroma/v2").Output()
	if err != nil {
		// Without chroma's samples the memo's languages go unchecked: that
		// may be skipped on a laptop without the module cache, never in CI.
		if os.Getenv("CI") != "" || os.Getenv("CASEBOOK_REQUIRE_BROWSER") != "" {
			t.Fatalf("cannot find chroma's module folder for its samples (go list: %v)", err)
		}
		t.Skipf("cannot find chroma's module folder for its samples (go list: %v)", err)
	}
	var files []string
	for _, root := range []string{filepath.Join(strings.TrimSpace(string(out)), "lexers", "testdata"), "testdata"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".expected") {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	samples := map[string]int{} // by lexer name
	h := New()
	for _, f := range files {
		// chroma's samples are named lang.actual, lang/case.actual or
		// analysis/lang.case.actual; ours lang.ext.
		alias := strings.SplitN(filepath.Base(f), ".", 2)[0]
		if dir := filepath.Base(filepath.Dir(f)); dir != "testdata" && dir != "analysis" {
			alias = dir
		}
		lexer := lexers.Get(alias)
		if lexer == nil || !memoLexers[lexer.Config().Name] {
			continue
		}
		name := lexer.Config().Name
		samples[name]++
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		code := strings.TrimSuffix(string(src), "\n") + "\n"
		lines := strings.SplitAfter(code, "\n")
		blocks := []string{code}
		for i := range lines {
			for _, n := range []int{1, 3} {
				if i+n <= len(lines) && strings.TrimSpace(lines[i]) != "" {
					blocks = append(blocks, strings.Join(lines[i:i+n], ""))
				}
			}
		}
		for _, b := range blocks {
			var got strings.Builder
			if err := h.WriteHTML(&got, alias, b); err != nil {
				t.Fatal(err)
			}
			if want := wholeHTML(t, alias, b); got.String() != want {
				t.Errorf("%s (%s): the memo and chroma differ on %q:\n got %s\nwant %s", f, name, b, got.String(), want)
			}
		}
	}
	for name := range memoLexers {
		if samples[name] == 0 && name != "plaintext" && name != "fallback" {
			t.Errorf("no sample of %s, which the memo serves", name)
		}
	}
}

// Lexers that never return are shown as plain text instead.
func TestHighlightDoesNotHangOnBrokenLexers(t *testing.T) {
	for _, c := range []struct{ lang, code string }{{"jungle", "a <b"}, {"jsonata", `"unterminated`}} {
		done := make(chan string, 1)
		go func() {
			var b strings.Builder
			if err := New().WriteHTML(&b, c.lang, c.code); err != nil {
				t.Error(err)
			}
			done <- b.String()
		}()
		select {
		case got := <-done:
			if !strings.Contains(got, "&lt;b") && !strings.Contains(got, "&#34;unterminated") && !strings.Contains(got, `"unterminated`) {
				t.Errorf("%s: %q does not show the code", c.lang, got)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: highlighting has not returned after 10 s", c.lang)
		}
	}
}
