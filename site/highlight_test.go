package site

import (
	"strings"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/styles"
	"io/fs"
	"os"
	"regexp"
	"testing"
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
	_ = fs.WalkDir(os.DirFS("../content"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := fs.ReadFile(os.DirFS("../content"), p)
		for _, m := range fence.FindAllStringSubmatch(string(b), -1) {
			if m[1] != "timeline" {
				cases = append(cases, struct{ lang, code string }{m[1], m[2]})
			}
		}
		return nil
	})
	// Twice: the second pass is served from the memo.
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
			if err := highlightHTML(&gotHTML, c.lang, c.code); err != nil {
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
