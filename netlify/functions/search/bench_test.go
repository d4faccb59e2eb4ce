package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"testing/fstest"
)

// BenchmarkColdStart is a container's first search: the archive fetched
// from the site (served on loopback here, so without the network's time),
// checked, cached and opened, then one query. bench/netlify-fn.sh stages
// a generated library and points CASEBOOK_BENCH_SITE (the published
// folder) and CASEBOOK_BENCH_POINTER (the stage step's index.json) at it.
func BenchmarkColdStart(b *testing.B) {
	site, ptrFile := os.Getenv("CASEBOOK_BENCH_SITE"), os.Getenv("CASEBOOK_BENCH_POINTER")
	if site == "" || ptrFile == "" {
		b.Skip("set CASEBOOK_BENCH_SITE and CASEBOOK_BENCH_POINTER (bench/netlify-fn.sh does)")
	}
	ptr, err := os.ReadFile(ptrFile)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(site)))
	defer srv.Close()
	fsys := fstest.MapFS{pointerName: {Data: ptr}}
	q := lagQuery
	q.QueryStringParameters = map[string]string{"q": "database timeout"}
	for b.Loop() {
		l := newLoader(fsys, func(k string) string {
			if k == "URL" {
				return srv.URL
			}
			return ""
		})
		l.cacheDir = b.TempDir()
		resp, err := newHandler(l.get)(context.Background(), q)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("%v %d %s", err, resp.StatusCode, resp.Body)
		}
		b.StopTimer()
		l.ix.Close()
		b.StartTimer()
	}
}
