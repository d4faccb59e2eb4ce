package gcpace

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// The limit follows the live heap up, to what room makes of it, and
// never below the floor.
func TestFollowLiveHeap(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	const floor = 1 << 20
	debug.SetMemoryLimit(floor)
	live := make([]byte, 64<<20)
	for i := range live {
		live[i] = byte(i)
	}
	runtime.GC()
	done := make(chan struct{})
	go followLiveHeap(floor, func(live int64) int64 { return live * 3 / 2 }, done)
	defer close(done)
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) < 96<<20 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := debug.SetMemoryLimit(-1); got < 96<<20 {
		t.Errorf("with 64 MiB live, the limit is %d MiB, want at least 96 (3/2 of it)", got>>20)
	}
	runtime.KeepAlive(live)
}

// A build's limit keeps the floor while the live heap fits under it,
// gives a larger live heap twice its size up to the budget, and never
// less than 3/2 of it.
func TestBuildLimit(t *testing.T) {
	const floor = 420 << 20
	for _, c := range []struct{ live, want int64 }{
		{100 << 20, floor},
		{200 << 20, floor},
		{300 << 20, 600 << 20},
		{400 << 20, 800 << 20},
		{1 << 30, 2 << 30},
		{1536 << 20, roomyBudget},
		{1800 << 20, roomyBudget},
		{4 << 30, 6 << 30},
	} {
		if got := buildLimit(floor, c.live); got != c.want {
			t.Errorf("buildLimit(%d MiB live) = %d MiB, want %d", c.live>>20, got>>20, c.want>>20)
		}
	}
}
