package frontmatter

import (
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/growth"
)

// Nested flow mappings (32,000 took 46 s and 2.2 GB), flow lists and
// block nesting cost time linear in their size: the depth limit is found
// by a scan before the parser runs.
func TestNestingIsLinear(t *testing.T) {
	for _, c := range []struct {
		what string
		src  func(n int) string
	}{
		{"flow maps", func(n int) string { return "k: " + strings.Repeat("{a: ", n) + "\n" }},
		{"flow lists", func(n int) string { return "k: " + strings.Repeat("[", n) + "\n" }},
		{"compact blocks", func(n int) string { return "k:\n" + strings.Repeat("- ", n) + "x\n" }},
	} {
		growth.Linear(t, c.what, 100000, func(n int) { ParseYAML([]byte(c.src(n))) })
	}
}
