package index

import (
	"os"
	"testing"

	"github.com/casebook/casebook/site"
)

func BenchmarkStaticBundle(b *testing.B) {
	s, err := site.Load(os.DirFS("/tmp/casebook-search-bench/corpus-10000"), site.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := WriteStaticBundle(s, dirOut(benchDir(b))); err != nil {
			b.Fatal(err)
		}
	}
}

func benchDir(b *testing.B) string {
	d, err := os.MkdirTemp("/dev/shm", "bundle-")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { os.RemoveAll(d) })
	return d
}
