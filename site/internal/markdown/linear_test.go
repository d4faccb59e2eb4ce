package markdown

import (
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/internal/growth"
)

// One line of "(a" repeated: every '(' triggers the autolink parser, and
// each test of a word must not read the rest of the line.
func TestAutolinkTestIsLinear(t *testing.T) {
	env := New(Config{}, nil)
	growth.Linear(t, "cost", 40000, func(n int) {
		env.Render("r.md", []byte(strings.Repeat("(a", n)+"\n"), 1, time.Time{})
	})
}
