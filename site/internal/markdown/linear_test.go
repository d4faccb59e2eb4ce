package markdown

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// growth times f on an input of size n and of 4n (the best of five runs
// each, so that a pause of the shared machine counts less) and fails when
// the ratio says the cost grows faster than about linearly: 4 for linear,
// 16 for quadratic. The bound is 8, not 6: plain words measure 5 here
// (allocation and the cache grow with the input too), and the shared
// machine adds noise.
func growth(t *testing.T, n int, f func(n int)) {
	t.Helper()
	if testing.Short() {
		t.Skip("timing under -short")
	}
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

// One line of "(a" repeated: every '(' triggers the autolink parser, and
// each test of a word must not read the rest of the line.
func TestAutolinkTestIsLinear(t *testing.T) {
	env := New(Config{}, nil)
	growth(t, 40000, func(n int) {
		env.Render("r.md", []byte(strings.Repeat("(a", n)+"\n"), 1, time.Time{})
	})
}
