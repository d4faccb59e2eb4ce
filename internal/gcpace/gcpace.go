// Package gcpace sets the garbage collector's pace and memory limit for
// casebook's long jobs: a build, which allocates far more than it keeps,
// and a server, which keeps a whole site and its index. Both limits follow
// the live heap up, so a larger library gets room in proportion rather
// than a collector that never rests.
package gcpace

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// A build allocates far more than it keeps, so by default the collector
// spends a quarter of the build collecting. It runs less often here
// (GOGC=400), bounded by a soft limit on the heap so a large library stays
// within a small machine's memory. The floor of that limit is where the
// GC's share stopped paying for itself on the 10,000-review benchmark (interleaved runs,
// November 2026): at 420 MiB peak RSS is 436 MiB; 440 MiB was no faster,
// 360 MiB 2 % slower and 300 MiB 15 % slower. Making the search index as
// well needs more room: bleve's segments are built in memory before they
// are written, and under the smaller limit the collector would run all the
// time. 1.5 GiB, not 1 GiB: at 10,000 reviews the index build peaked at
// 1.06 GB RSS under 1 GiB, the collector running all the time, and under
// 1.5 GiB it took 1.6-4.3 s less CPU and 2-3.5 s less wall (two pairs
// of runs, December 2026) for a peak of 1.56 GB, below Hugo's 1.8 GB on the same
// reviews. GOGC and GOMEMLIMIT in the environment take precedence.
//
// What a build keeps (the model, bodies, term links) grows with the
// library, and a fixed limit left a library past about 20,000 reviews no
// room above it: the collector ran without rest (100,000 reviews took 34×
// the 10,000-review time, most of it collecting). So the limit follows
// the live heap up: twice the live heap while that fits in roomyBudget,
// and 3/2 of it beyond, never below the floor. A collection costs the
// live heap, and twice it lets each collection pay for as much again
// allocated, at any size: the runtime counts its own overhead (about an
// eighth of the heap) against the limit, so under 3/2 a collection came
// after only a quarter of the live heap was allocated, and the 100,000-
// review load spent a third of its CPU collecting (December 2026). The
// peak is set by the largest live heap, when the pages render (2.4 GB at
// 100,000 reviews, so 3/2 of it: 3.8 GB).
//
// Twice the live heap applies below the floor's 420 MiB too: the
// 10,000-review build's live heap is more than half the floor, the more
// since the reviews' text is kept for the static search bundle.
// Under max(floor, 3/2 live) that build collected every ~150 MB
// allocated, and the bundle's share of the build was mostly collecting
// its larger heap; under 2× the build took 6.9-7.1 s wall and 12.9-13.4 s
// CPU against 7.4-7.6 s and 14.0-14.3 s, the bundle adding 9-14 % to the
// build instead of 17-19 %, for a peak of 550-590 MB RSS instead of 450
// (three interleaved pairs, December 2026, Intel Xeon, 2 CPUs). The
// --search-index build, whose floor is higher, was unchanged at 1.6 GB.
const (
	buildGCPercent        = 400
	buildMemoryLimit      = 420 << 20
	buildIndexMemoryLimit = 1536 << 20
	liveRoomNum           = 3 // past roomyBudget, 3/2 of the live heap
	liveRoomDen           = 2
	roomyBudget           = 3 << 30
)

// buildLimit is the build's memory limit for a live heap: twice it while
// that fits in roomyBudget, then 3/2 of it, and never below floor.
func buildLimit(floor, live int64) int64 {
	return max(floor, live*liveRoomNum/liveRoomDen, min(2*live, roomyBudget))
}

// A server keeps the site, its rendered pages and the search index in
// memory for as long as it runs, and under the default pace the heap
// grew to three times that while the index was made: 3.2 GB at 10,000
// reviews. A soft limit makes the collector work harder instead, above
// what the server keeps (about 500 MB at 10,000 reviews: 911 MB peak with
// the limit, November 2026), and follows the live heap up for a larger
// library, with less room than a build has (5/4): the index's batches
// make the live heap peak while it is built, and 3/2 of that peak was
// 1.16 GB.
const serveMemoryLimit = 800 << 20

// Serve sets a server's memory limit, followed up with the
// live heap until the function it returns is called.
func Serve() (stop func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	debug.SetMemoryLimit(serveMemoryLimit)
	done := make(chan struct{})
	go followLiveHeap(serveMemoryLimit, func(live int64) int64 { return live * 5 / 4 }, done)
	return func() { close(done) }
}

// Build sets the build's collector pace and limit, and follows the
// live heap until the function it returns is called.
func Build(withIndex bool) (stop func()) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(buildGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limit := int64(buildMemoryLimit)
	if withIndex {
		limit = buildIndexMemoryLimit
	}
	debug.SetMemoryLimit(limit)
	done := make(chan struct{})
	go followLiveHeap(limit, func(live int64) int64 { return buildLimit(limit, live) }, done)
	return func() { close(done) }
}

// followLiveHeap raises the memory limit to room(the heap live after the
// last collection), never lowering it below floor or a limit it set
// before. The live figure changes only when a collection ends, which
// near the limit is often; reading it is cheap.
func followLiveHeap(floor int64, room func(live int64) int64, done <-chan struct{}) {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	limit := floor
	for {
		select {
		case <-done:
			return
		case <-tick.C:
		}
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return
		}
		if want := room(int64(sample[0].Value.Uint64())); want > limit {
			limit = want
			debug.SetMemoryLimit(limit)
		}
	}
}
