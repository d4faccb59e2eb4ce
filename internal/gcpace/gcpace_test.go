package gcpace

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// The limit follows the live heap up, to num/den of it, and never below
// the floor.
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
	go followLiveHeap(floor, 3, 2, done)
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
