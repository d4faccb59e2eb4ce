package highlight

import (
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

// growth times f on inputs of n and 4n (the best of five runs each) and
// fails when the ratio says the cost grows faster than about linearly
// (4 for linear, 16 for quadratic; 8 leaves room for a shared machine).
func growth(t *testing.T, what string, n int, f func(n int)) {
	t.Helper()
	best := func(n int) time.Duration {
		d := time.Duration(1 << 62)
		for range 5 {
			runtime.GC() // a collection of the previous run's garbage is not this run's
			start := time.Now()
			f(n)
			d = min(d, time.Since(start))
		}
		return d
	}
	// Three tries: a machine busy with other work can slow one size
	// more than the other, but quadratic cost fails every try.
	var ratio float64
	var small, large time.Duration
	for try := 0; try < 3; try++ {
		small, large = best(n), best(4*n)
		if ratio = float64(large) / float64(small); ratio <= 8 {
			return
		}
		t.Logf("try %d: n=%d %v, 4n %v, ratio %.1f", try+1, n, small, large, ratio)
	}
	t.Errorf("n=%d: %v, 4n: %v, ratio %.1f in three tries: not linear", n, small, large, ratio)
}

// Some of chroma's lexers backtrack over a line of unclosed brackets in
// time that grows with its square (make: 1.4 s for 4,000 "("); a block
// with a line that long is shown as plain text, so the cost of a block
// is bounded by its size.
func TestHighlightIsLinearInLineLength(t *testing.T) {
	if testing.Short() {
		t.Skip("timing under -short")
	}
	for _, c := range []struct{ lang, s string }{{"make", "("}, {"make", "{"}, {"rst", "["}, {"r", "{"}} {
		growth(t, c.lang+" "+c.s, 2000, func(n int) {
			New().WriteHTML(io.Discard, c.lang, strings.Repeat(c.s, n)+"\n")
		})
	}
}
