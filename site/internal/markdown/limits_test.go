package markdown

import (
	"strings"
	"testing"
	"time"
)

// Shapes whose parse grows with the square of their size are errors where
// they start, found in time proportional to the body.
func TestBodyLimits(t *testing.T) {
	env := New(Config{}, nil)
	indented := func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(strings.Repeat("  ", i) + "- x\n")
		}
		return b.String()
	}
	for name, c := range map[string]struct{ src, want string }{
		"indented lists": {"Intro.\n\n" + indented(2000), "r.md:131:1: lists and block quotes nested deeper than 64 levels"},
		"compact lists":  {strings.Repeat("- ", 2000) + "x\n", "r.md:1:1: lists and block quotes nested deeper than 64 levels"},
		"quotes":         {strings.Repeat("> ", 2000) + "x\n", "r.md:1:1: lists and block quotes nested deeper than 64 levels"},
		"link openers":   {strings.Repeat("[a](", 40000) + "\n", "r.md:1:1: more than 2000 links in one paragraph"},
	} {
		start := time.Now()
		b := env.Render("r.md", []byte(c.src), 1, time.Time{})
		if len(b.Errors) != 1 || b.Errors[0].Error() != c.want {
			t.Errorf("%s: %v, want %s", name, b.Errors, c.want)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: %v", name, d)
		}
	}
	ok := "- a\n  - b\n    - c\n\n> q\n> > r\n\n```\n" + strings.Repeat(" ", 400) + "code\n```\n\n" + strings.Repeat("[x](y) ", 100) + "\n"
	if b := env.Render("r.md", []byte(ok), 1, time.Time{}); len(b.Errors) != 0 {
		t.Errorf("ordinary nesting: %v", b.Errors)
	}
}
