package frontmatter

import (
	"strings"
	"testing"

	"github.com/casebook/casebook/site/diag"
)

// FuzzFrontMatter splits arbitrary files: whatever a review starts with,
// Split returns a mapping and a body and reports each problem inside the
// file (a line from 1 to the file's last, a column from 1), without a
// panic. (Time is bounded by the growth tests and the hostile corpus: a
// fuzzer on a shared machine stalls for seconds at a time.)
//
//	go test ./site/frontmatter -run '^$' -fuzz FuzzFrontMatter -fuzztime 5m
func FuzzFrontMatter(f *testing.F) {
	for _, fm := range seedFrontMatter(f) {
		f.Add("---\n" + fm + "---\nBody.\n")
	}
	for _, s := range []string{
		"", "---", "---\n", "---\n---\n", "+++\n+++\n", "---\ntitle: [\n---\n", "+++\ntitle = \"x\n+++\n",
		"\ufeff---\ntitle: BOM\n---\n", "---\r\ntitle: CRLF\r\n---\r\nBody\r\n", "---\rtitle: CR\r---\rBody\r",
		"---\ntitle: \"N\x00UL\"\n---\n", "---\na0: &a lol\na1: [*a, *a]\n---\n", "---\n<<: *x\n---\n",
		"---\n- a\n- b\n---\n", "---\ntitle: x\n...\nbody\n", "---\nk: " + strings.Repeat("{a: ", 100) + "\n---\n",
		"---\nk:\n" + strings.Repeat("- ", 300) + "x\n---\n", "---\ntitle: \xff\xfe\n---\n", "---\n\t- x\n---\n",
		"---\ndate: 2024-01-02\nfollow_ups:\n  - title: x\n    due: 2024-13-01\n---\n", "---\n? complex\n: key\n---\n",
		"---\n!!binary aGk=\n---\n", "---\n%YAML 1.2\n---\n", "---\na: |\n  literal\n  block\n---\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		var e diag.Collector
		fm := Split("r.md", []byte(src), &e)
		if fm.Fields == nil || fm.Fields.Kind != MapNode {
			t.Fatalf("%q: fields are %v, want a mapping", src, fm.Fields)
		}
		lines := strings.Count(src, "\n") + strings.Count(src, "\r") + 2
		for _, err := range e.List {
			if err.Path != "r.md" || err.Line < 1 || err.Col < 1 || err.Line > lines {
				t.Errorf("%q: error not located in the file: %q", src, err.Error())
			}
		}
		if fm.BodyLine < 1 || fm.BodyLine > lines {
			t.Errorf("%q: body at line %d of %d", src, fm.BodyLine, lines)
		}
		walkNodes(fm.Fields, func(n *Node) {
			if n.Line < 1 || n.Col < 1 || n.Line > lines {
				t.Errorf("%q: a value at %d:%d, outside the file", src, n.Line, n.Col)
			}
		})
	})
}

func walkNodes(n *Node, f func(*Node)) {
	if n == nil {
		return
	}
	f(n)
	for _, k := range n.Keys {
		walkNodes(n.Fields[k], f)
	}
	for _, it := range n.Items {
		walkNodes(it, f)
	}
}
