package highlight

import (
	"io"
	"strings"
	"testing"

	"github.com/casebook/casebook/internal/growth"
)

// Some of chroma's lexers backtrack over a line of unclosed brackets in
// time that grows with its square (make: 1.4 s for 4,000 "("); a block
// with a line that long is shown as plain text, so the cost of a block
// is bounded by its size.
func TestHighlightIsLinearInLineLength(t *testing.T) {
	if testing.Short() {
		t.Skip("timing under -short")
	}
	for _, c := range []struct{ lang, s string }{{"make", "("}, {"make", "{"}, {"rst", "["}, {"r", "{"}} {
		growth.Linear(t, c.lang+" "+c.s, 2000, func(n int) {
			New().WriteHTML(io.Discard, c.lang, strings.Repeat(c.s, n)+"\n")
		})
	}
}
