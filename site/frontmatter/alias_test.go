package frontmatter

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// billionLaughs is the classic alias bomb: each level names the one
// before ten times, so expanding it makes 10^levels strings.
func billionLaughs(levels int) string {
	var b strings.Builder
	b.WriteString("a0: &a0 lol\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	return b.String()
}

// The parser keeps an alias as a node rather than expanding it, and the
// first alias is an error at its place, so an alias bomb costs what its
// text does: a few hundred bytes cannot become gigabytes.
func TestAliasBombIsALocatedError(t *testing.T) {
	for name, c := range map[string]struct{ src, want string }{
		"billion laughs":  {billionLaughs(9), "2:10: YAML aliases are not supported in front matter"},
		"deep laughs":     {billionLaughs(60), "2:10: YAML aliases are not supported in front matter"},
		"merge key":       {"base: &b {title: x}\nreview:\n  <<: *b\n", "3:7: YAML aliases are not supported in front matter"},
		"alias as a key":  {"a: &k x\n*k : y\n", "2:1: YAML aliases are not supported in front matter"},
		"alias in a list": {"a: &x [1, 2]\nb:\n  - *x\n  - *x\n", "3:5: YAML aliases are not supported in front matter"},
	} {
		start := time.Now()
		_, err := ParseYAML([]byte(c.src))
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: %v, want %s", name, err, c.want)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: took %v", name, d)
		}
	}
	// An anchor that nothing names is harmless, and allowed.
	if _, err := ParseYAML([]byte("a: &x y\n")); err != nil {
		t.Errorf("an unused anchor: %v", err)
	}
}
