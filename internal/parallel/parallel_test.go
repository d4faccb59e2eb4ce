package parallel

import (
	"context"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
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

// Until leave is closed, one CPU's worth of goroutines stays out; closed
// mid-way, every index is still called once.
func TestForContextLeavingACore(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	leave := make(chan struct{})
	var running, most, calls atomic.Int32
	seen := make([]atomic.Int32, 400)
	err := ForContextLeavingACore(context.Background(), len(seen), leave, func(i int) {
		seen[i].Add(1)
		now := running.Add(1)
		open := true
		select {
		case <-leave:
			open = false
		default:
		}
		if open {
			for m := most.Load(); now > m && !most.CompareAndSwap(m, now); m = most.Load() {
			}
		}
		time.Sleep(100 * time.Microsecond)
		running.Add(-1)
		if calls.Add(1) == 200 {
			close(leave)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if m := most.Load(); m > 3 || m < 1 {
		t.Errorf("%d calls ran at once before leave was closed, want 1 to 3 on 4 CPUs", m)
	}
	for i := range seen {
		if n := seen[i].Load(); n != 1 {
			t.Fatalf("f(%d) called %d times", i, n)
		}
	}
	// A nil leave is ForContext.
	calls.Store(0)
	if err := ForContextLeavingACore(context.Background(), 50, nil, func(int) { calls.Add(1) }); err != nil || calls.Load() != 50 {
		t.Errorf("nil leave: err %v, %d calls", err, calls.Load())
	}
}
