package parallel

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"
)

func TestForCallsEachIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, 2, 3, 1000} {
		calls := make([]atomic.Int32, n)
		For(n, func(i int) { calls[i].Add(1) })
		for i := range calls {
			if got := calls[i].Load(); got != 1 {
				t.Errorf("n=%d: f(%d) called %d times, want once", n, i, got)
			}
		}
	}
}

func TestForContextStopsHandingOutWork(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	err := ForContext(ctx, 100000, func(i int) {
		if calls.Add(1) == 10 {
			cancel()
		}
	})
	if err != context.Canceled {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// Each worker may finish the call it is in and take at most one more
	// index before it sees the cancellation.
	if n := calls.Load(); n > 10+2*int32(runtime.GOMAXPROCS(0)) {
		t.Errorf("%d calls after cancelling at the 10th", n)
	}
	calls.Store(0)
	if err := ForContext(context.Background(), 1000, func(int) { calls.Add(1) }); err != nil || calls.Load() != 1000 {
		t.Errorf("uncancelled: err %v, %d calls", err, calls.Load())
	}
}
