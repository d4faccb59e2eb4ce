package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Two builds of the same library write the same --search-index archive,
// byte for byte, though their output folders, archive paths and
// temporary folders differ.
func TestSearchIndexArchiveIsReproducible(t *testing.T) {
	lib := writeLibrary(t, goodLibrary)
	var archives [][]byte
	for i := range 2 {
		dir := t.TempDir()
		archive := filepath.Join(dir, "idx", "search.tar.zst")
		if _, stderr, err := runCmd(t, "build", "--library", lib, "--out", filepath.Join(dir, "public"), "--search-index", archive); err != nil {
			t.Fatalf("build %d: %v\n%s", i+1, err, stderr)
		}
		b, err := os.ReadFile(archive)
		if err != nil {
			t.Fatal(err)
		}
		archives = append(archives, b)
	}
	if !bytes.Equal(archives[0], archives[1]) {
		t.Errorf("the archives differ: %d and %d bytes", len(archives[0]), len(archives[1]))
	}
}
