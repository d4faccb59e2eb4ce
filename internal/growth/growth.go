// Package growth is for tests that hold a cost linear in its input: a
// small file must not cost minutes because some step is quadratic.
package growth

import (
	"runtime"
	"testing"
	"time"
)

// Linear times f on an input of size n and of 4n (the best of five runs
// each, so that a pause of the shared machine counts less) and fails when
// the ratio says the cost grows faster than about linearly: 4 for linear,
// 16 for quadratic. The bound is 8, not 6: plain words measure 5 on the
// project's machine (allocation and the cache grow with the input too).
// It tries three times: a machine busy with other work can slow one size
// more than the other, but quadratic cost fails every try. Under -short
// it skips.
func Linear(t testing.TB, what string, n int, f func(n int)) {
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
	var ratio float64
	var small, large time.Duration
	for try := 0; try < 3; try++ {
		small, large = best(n), best(4*n)
		if ratio = float64(large) / float64(small); ratio <= 8 {
			return
		}
		t.Logf("%s, try %d: n=%d %v, 4n %v, ratio %.1f", what, try+1, n, small, large, ratio)
	}
	t.Errorf("%s: n=%d %v, 4n %v, ratio %.1f in three tries: not linear", what, n, small, large, ratio)
}
