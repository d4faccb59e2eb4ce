package frontmatter

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/casebook/casebook/internal/corpus"
)

// The fast path must give the YAML parser's tree, positions included,
// for everything it accepts.
func FuzzFastYAML(f *testing.F) {
	for _, fm := range seedFrontMatter(f) {
		f.Add(fm)
	}
	for _, s := range []string{
		"a: b\n", "a: [x, y]\nb: []\n", "a:\n- x\n- y\n", "a:\n  - k: v\n    l: 'w'\n  - k: \"u\"\n",
		"a: true\n", "a: Null\n", "a: 12\n", "a: 2024-01-02\n", "a: 2024-13-99\n", "a: yes\n", "a: y\n",
		"a: hello world\n", "a: b:c\n", "a: [b:c]\n", "a: http://x.example/y\n", "a:\nb: c\n", "a: b\n\nc: d\n",
		"a: b\na: c\n", "a:\n  - k:\n    - x\n", "a:\n  - x\n\n  - y\n", "a: 'it''s'\n", "a: [ x ]\n", "a: [x,y]\n",
		"a: x - y\n", "a: -x\n", "a: 2024-01-02 10:04\n", "a: 2024-01-02T10:04:05Z\n", "a: 2024-01-02T10:04:05+02:00\n",
		"a: 2024-01-02 1:2:3\n", "a: 2024-01-02 10:04 +0200\n", "a: x, y\n", "a: it's\n", "a: x [y]\n", "a: x {y}\n",
		"a: Identity & Security\n", "a: x|y\n", "a: x > y\n", "a: 50%\n", "a: x@y\n", "a: `x`\n", "a: x*\n", "a: x!\n",
		"a: [2024-01-02-x, 2024-01-02-1e5, 2024-01-02-, 2024-01-02-X]\n", "a: [Kafka Connect, b  c]\n", "a:\n  - 2024-01-02-db\n",
		"a: [x&y]\n", "a: [x|y]\n", "a: [x}]\n", "a: ?x\n", "a: .inf\n", "A-b_c: d\n", "a: b \n", "a:  b\n", "a: [x, 'y']\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		got, ok := fastYAML(src)
		if !ok {
			return
		}
		want, err := parseFullYAML([]byte(src))
		if err != nil {
			t.Fatalf("fast path accepted %q, which the parser rejects: %v", src, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\nfast:\n%s\nparser:\n%s", src, dumpNode(got), dumpNode(want))
		}
	})
}

// Front matter as people write it takes the fast path, nearly always;
// the synthetic corpus's, which the build benchmark reads, always.
func TestFastYAMLTakesCommonFrontMatter(t *testing.T) {
	taken, all := 0, 0
	for _, fm := range seedFrontMatter(t) {
		all++
		if _, ok := fastYAML(fm); ok {
			taken++
		}
	}
	// Some example reviews use YAML the subset leaves to the parser on
	// purpose (comments, numbers).
	if all < 20 || taken*10 < all*8 {
		t.Errorf("fast path took %d of %d front matters", taken, all)
	}
	for _, fm := range corpusFrontMatter(t) {
		if _, ok := fastYAML(fm); !ok {
			t.Errorf("a synthetic review's front matter is left to the parser:\n%s", fm)
		}
	}
}

// seedFrontMatter is the front matter of the example library, of every
// test archive and of a small synthetic corpus.
func seedFrontMatter(t testing.TB) []string {
	out := frontMatterIn(os.DirFS("../content"))
	archives, _ := filepath.Glob("testdata/sites/*.txtar")
	for _, a := range archives {
		ar, err := txtar.ParseFile(a)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if fm, ok := frontMatterOf(f.Name, f.Data); ok {
				out = append(out, fm)
			}
		}
	}
	return append(out, corpusFrontMatter(t)...)
}

func corpusFrontMatter(t testing.TB) []string {
	dir := t.TempDir()
	if err := corpus.Generate(dir, corpus.Options{Reviews: 30, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	return frontMatterIn(os.DirFS(dir))
}

func frontMatterIn(fsys fs.FS) []string {
	var out []string
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(fsys, p)
			if fm, ok := frontMatterOf(p, b); ok {
				out = append(out, fm)
			}
		}
		return nil
	})
	return out
}

// frontMatterOf is the YAML between a Markdown file's --- lines.
func frontMatterOf(name string, src []byte) (string, bool) {
	s := string(src)
	if !strings.HasSuffix(name, ".md") || !strings.HasPrefix(s, "---\n") {
		return "", false
	}
	end := strings.Index(s[4:], "\n---")
	if end < 0 {
		return "", false
	}
	return s[4 : 4+end+1], true
}

func dumpNode(n *Node) string {
	var b strings.Builder
	var walk func(n *Node, ind string)
	walk = func(n *Node, ind string) {
		fmt.Fprintf(&b, "%s%d:%d kind=%d str=%q value=%#v\n", ind, n.Line, n.Col, n.Kind, n.Str, n.Value)
		for _, k := range n.Keys {
			fmt.Fprintf(&b, "%s key %q at %v\n", ind, k, n.KeyPos[k])
			walk(n.Fields[k], ind+"    ")
		}
		for _, it := range n.Items {
			walk(it, ind+"  - ")
		}
	}
	walk(n, "")
	return b.String()
}
