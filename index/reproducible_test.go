package index

import (
	"bytes"
	"testing"
)

// Two archives of the same library are the same bytes, built in several
// batches and merged, whatever order the parallel analysis finished in,
// and wherever the temporary folder was; and the archive still answers
// as the in-memory index does.
func TestBuildArchiveIsReproducible(t *testing.T) {
	defer func(n int) { archiveBatch = n }(archiveBatch)
	archiveBatch = 2
	var first []byte
	for i := range 4 {
		var buf bytes.Buffer
		if err := BuildArchive(loadLibrary(t, nil), &buf); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = buf.Bytes()
			continue
		}
		if !bytes.Equal(buf.Bytes(), first) {
			t.Fatalf("build %d: the archive differs from the first (%d and %d bytes)", i+1, buf.Len(), len(first))
		}
	}
	ix, err := OpenArchive(first)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	compareIndexes(t, library(t), ix)
}

// A document's terms survive the archive's encoding of them.
func TestTaxMapRoundTrip(t *testing.T) {
	for _, m := range []taxMap{{}, {"technologies": {"kafka", "go"}, "services": {"api"}, "": {""}}} {
		b, err := m.GobEncode()
		if err != nil {
			t.Fatal(err)
		}
		var got taxMap
		if err := got.GobDecode(b); err != nil {
			t.Fatal(err)
		}
		if len(got) != len(m) {
			t.Errorf("%v: got %v", m, got)
		}
		for k, ids := range m {
			if len(got[k]) != len(ids) || len(ids) > 0 && got[k][0] != ids[0] {
				t.Errorf("%v: got %v", m, got)
			}
		}
		if err := got.GobDecode(b[:len(b)/2]); len(b) > 1 && err == nil {
			t.Errorf("%v: a truncated encoding decoded", m)
		}
	}
}
