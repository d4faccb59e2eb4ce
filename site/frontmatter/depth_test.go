package frontmatter

import (
	"strings"
	"testing"
	"time"
)

// Deep nesting is a located error, found before the YAML parser spends
// minutes on it; ordinary nesting, quotes and comments are not.
func TestNestingIsBounded(t *testing.T) {
	for name, c := range map[string]struct {
		src  string
		want string
	}{
		"flow maps":      {"k: " + strings.Repeat("{a: ", 32000) + "\n", "1:260: YAML: nested deeper than 64 levels"},
		"flow lists":     {"k: " + strings.Repeat("[", 32000) + "\n", "1:68: YAML: nested deeper than 64 levels"},
		"compact blocks": {"k:\n" + strings.Repeat("- ", 2000) + "x\n", "2:257: YAML: indented deeper than 256 columns"},
	} {
		start := time.Now()
		_, err := ParseYAML([]byte(c.src))
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: %v, want %s", name, err, c.want)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: %v", name, d)
		}
	}
	for _, src := range []string{
		"a: {b: [1, 2, {c: d}]}\n",
		"a: '" + strings.Repeat("[", 200) + "'\n",
		"a: \"" + strings.Repeat("{", 200) + "\\\"\"\n",
		"a: x # " + strings.Repeat("[", 200) + "\n",
		"a:\n  - b:\n      - c: [d]\n",
	} {
		if _, err := ParseYAML([]byte(src)); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
}
