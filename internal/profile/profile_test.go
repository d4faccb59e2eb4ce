package profile

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// profileNames reports whether the gzipped profile in file names fn (a
// profile's string table holds its functions' names).
func profileNames(t *testing.T, file, fn string) bool {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		return false
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return false // being rewritten
	}
	b, err := io.ReadAll(zr)
	return err == nil && bytes.Contains(b, []byte(fn))
}

var (
	kept  [][]byte
	grown bool // a profile lists every allocation since the process began
)

//go:noinline
func growHeapForProfileTest() {
	grown = true
	for range 64 {
		kept = append(kept, make([]byte, 1<<20))
	}
}

// The heap profile left behind is one taken after the live heap grew,
// so it shows what was allocated to grow it.
func TestHeapProfileFollowsThePeak(t *testing.T) {
	runtime.MemProfileRate = 4096
	file := filepath.Join(t.TempDir(), "heap.prof")
	runtime.GC() // a live heap to start from: the figure is 0 before a collection
	stop := startHeap(file, 5*time.Millisecond, func(err error) { t.Error(err) })
	defer stop()
	// The first profile is written at once, before the heap grows: it
	// must not name the function that grows it.
	deadline := time.Now().Add(10 * time.Second)
	for !profileNames(t, file, "TestHeapProfileFollowsThePeak") {
		if time.Now().After(deadline) {
			t.Fatal("no heap profile written at the start")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !grown && profileNames(t, file, "growHeapForProfileTest") {
		t.Fatal("the first profile already names the allocation made after it")
	}
	growHeapForProfileTest()
	runtime.GC() // the live figure changes when a collection ends
	for !profileNames(t, file, "growHeapForProfileTest") {
		if time.Now().After(deadline) {
			t.Fatal("the heap profile was not rewritten after the live heap grew by 64 MB")
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	runtime.KeepAlive(kept)
}

func TestCPUProfile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "cpu.prof")
	stop := Start(file, "", os.Stderr)
	deadline := time.Now().Add(200 * time.Millisecond)
	for n := 0; time.Now().Before(deadline); n++ {
		_ = n * n
	}
	stop()
	raw, err := os.ReadFile(file)
	if err != nil || len(raw) < 2 || raw[0] != 0x1f || raw[1] != 0x8b {
		t.Fatalf("no gzipped CPU profile written: %v", err)
	}
}

func TestNoFilesNoProfiles(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	Start("", "", os.Stderr)()
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("wrote %v with no profile named", entries)
	}
}

func TestUnwritableProfilesAreReported(t *testing.T) {
	var stderr bytes.Buffer
	missing := filepath.Join(t.TempDir(), "missing")
	Start(filepath.Join(missing, "cpu.prof"), filepath.Join(missing, "heap.prof"), &stderr)()
	for _, want := range []string{"CASEBOOK_CPUPROFILE", "CASEBOOK_HEAPPROFILE"} {
		if !bytes.Contains(stderr.Bytes(), []byte(want)) {
			t.Errorf("stderr %q does not report the %s that could not be written", stderr.String(), want)
		}
	}
}
