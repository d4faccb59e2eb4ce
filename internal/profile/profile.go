// Package profile writes the profiles the benchmark scripts read of a
// whole casebook command, disk writes and all, which a Go benchmark of
// one package would miss: a CPU profile, and a heap profile of the
// command's largest live heap.
package profile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// Start starts the profiles whose files are named (an empty name starts
// none) and returns the function that finishes them. A profile that
// cannot be written is reported on stderr and the command runs without
// it: profiling is for measuring, never a reason a build fails.
func Start(cpuFile, heapFile string, stderr io.Writer) (stop func()) {
	stopCPU, err := startCPU(cpuFile)
	if err != nil {
		fmt.Fprintf(stderr, "casebook: CASEBOOK_CPUPROFILE: %v\n", err)
	}
	stopHeap := startHeap(heapFile, 50*time.Millisecond, func(err error) {
		fmt.Fprintf(stderr, "casebook: CASEBOOK_HEAPPROFILE: %v\n", err)
	})
	return func() {
		stopHeap()
		stopCPU()
	}
}

func startCPU(file string) (stop func(), err error) {
	if file == "" {
		return func() {}, nil
	}
	f, err := os.Create(file)
	if err != nil {
		return func() {}, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return func() {}, errors.Join(err, f.Close())
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// startHeap writes file at once and again each time the live heap
// passes its largest size so far by a tenth, so the file left at the end
// shows what the command held at its peak. That peak is what the build's
// memory limit follows and peak RSS reports; a profile taken at exit
// would show what was left after the pages were written. The first
// failure to write goes to fail, and ends the profiling.
func startHeap(file string, every time.Duration, fail func(error)) (stop func()) {
	if file == "" {
		return func() {}
	}
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(every)
		defer tick.Stop()
		written := false
		var peak uint64
		for {
			metrics.Read(sample)
			if live := sample[0].Value.Uint64(); !written || live > peak+peak/10 {
				if err := writeHeap(file); err != nil {
					fail(err)
					return
				}
				written, peak = true, live
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

func writeHeap(file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	return errors.Join(pprof.Lookup("heap").WriteTo(f, 0), f.Close())
}
