package markdown

import (
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/growth"
)

// Each shape that once cost minutes (issue 13, defect 4) costs time
// linear in its size: the limits that make it an error are found by a
// scan, not by the parse they guard.
func TestBodyShapesAreLinear(t *testing.T) {
	env := New(Config{}, nil)
	indented := func(n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(strings.Repeat("  ", i%100) + "- x\n") // deep, and again
		}
		return b.String()
	}
	for _, c := range []struct {
		what string
		n    int
		body func(n int) string
	}{
		{"nested lists", 2000, func(n int) string { return strings.Repeat("- ", n) + "x\n" }},
		{"indented lists", 500, indented},
		{"nested quotes", 2000, func(n int) string { return strings.Repeat("> ", n) + "x\n" }},
		{"link openers", 10000, func(n int) string { return strings.Repeat("[a](", n) + "\n" }},
		{"links", 5000, func(n int) string { return strings.Repeat("[a](x) ", n) + "\n" }},
		{"unclosed brackets", 10000, func(n int) string { return strings.Repeat("[", n) + "\n" }},
		{"emphasis openers", 10000, func(n int) string { return strings.Repeat("*a ", n) + "\n" }},
	} {
		growth.Linear(t, c.what, c.n, func(n int) {
			env.Render("r.md", []byte(c.body(n)), 1, time.Time{})
		})
	}
}
