// Package parallel runs independent pieces of work on every CPU.
package parallel

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls f(0) ... f(n-1) on as many goroutines as there are CPUs and
// returns when all calls have returned. The calls run in no fixed order.
//
// Workers take the next index from a shared counter rather than from a
// channel fed by another goroutine: on a small machine that goroutine
// competes with the workers for a CPU, and every hand-off through an
// unbuffered channel parks and wakes a worker.
func For(n int, f func(i int)) { run(n, f, nil) }

// ForContext is For that stops handing out work once ctx is done: calls
// already running finish, the rest are never made, and it returns
// ctx.Err(). A build the user interrupts, or a preview load an edit has
// superseded, stops within one call's time per worker.
func ForContext(ctx context.Context, n int, f func(i int)) error {
	if ctx.Done() == nil {
		run(n, f, nil)
		return nil
	}
	run(n, f, func() bool { return ctx.Err() != nil })
	return ctx.Err()
}

// ForContextLeavingACore is ForContext on one goroutine fewer than there
// are CPUs (at least one) until leave is closed, then on all of them; a
// nil leave leaves none. A build writes its pages beside its search
// index, whose last step (bleve's merge into one segment) runs on one
// CPU: given an equal share until then, the index finished after the
// pages and merged with the other CPU idle, 1.5-2 s of a 14 s
// 10,000-review build (December 2026). Left a CPU of its own, the index
// finishes while pages remain, and the pages take both CPUs after.
func ForContextLeavingACore(ctx context.Context, n int, leave <-chan struct{}, f func(i int)) error {
	if leave == nil {
		return ForContext(ctx, n, f)
	}
	tokens := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)-1))
	return ForContext(ctx, n, func(i int) {
		select {
		case <-leave:
		default:
			select {
			case tokens <- struct{}{}:
				defer func() { <-tokens }()
			case <-leave:
			}
		}
		f(i)
	})
}

// run calls f(0) ... f(n-1) on every CPU until they are done or stop, when
// given, reports true.
func run(n int, f func(i int), stop func() bool) {
	workers := max(1, min(n, runtime.GOMAXPROCS(0)))
	var next atomic.Int64
	work := func() {
		for stop == nil || !stop() {
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			f(i)
		}
	}
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(work)
	}
	work() // the caller is a worker too
	wg.Wait()
}
