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

var kept [][]byte

//go:noinline
func growHeapForProfileTest() {
	for range 64 {
		kept = append(kept, make([]byte, 1<<20))
	}
}

// The heap profile left behind is one taken after the live heap grew,
// so it shows what was allocated to grow it.
func TestHeapProfileFollowsThePeak(t *testing.T) {
	runtime.MemProfileRate = 4096
	file := filepath.Join(t.TempDir(), "heap.prof")
	stop := startHeap(file, 5*time.Millisecond)
	defer stop()
	if _, err := os.Stat(file); err != nil {
		time.Sleep(50 * time.Millisecond)
	}
	growHeapForProfileTest()
	runtime.GC() // the live figure changes when a collection ends
	deadline := time.Now().Add(10 * time.Second)
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

func TestUnwritableCPUProfileIsReported(t *testing.T) {
	errFile, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	Start(filepath.Join(t.TempDir(), "missing", "cpu.prof"), "", errFile)()
	got, _ := os.ReadFile(errFile.Name())
	if !bytes.Contains(got, []byte("CASEBOOK_CPUPROFILE")) {
		t.Errorf("stderr %q does not report the profile that could not start", got)
	}
}
