package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// staged runs the stage step on an archive of the test library into a
// scratch site, and returns the site folder and the pointer's folder.
func staged(t *testing.T, b []byte, env func(string) string) (site, dataDir string, said string) {
	t.Helper()
	dir := t.TempDir()
	archive := filepath.Join(dir, "search-index.tar.zst")
	if err := os.WriteFile(archive, b, 0o644); err != nil {
		t.Fatal(err)
	}
	site, dataDir = filepath.Join(dir, "public"), filepath.Join(dir, "data")
	var msg bytes.Buffer
	if err := stage([]string{"--data", dataDir, archive, site}, env, &msg); err != nil {
		t.Fatalf("stage: %v\n%s", err, msg.String())
	}
	return site, dataDir, msg.String()
}

func pointerFS(t *testing.T, dataDir string) fstest.MapFS {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dataDir, "index.json"))
	if err != nil {
		t.Fatal(err)
	}
	return fstest.MapFS{pointerName: {Data: b}}
}

func closeLoader(t *testing.T, l *loader) {
	t.Cleanup(func() {
		if l.ix != nil {
			l.ix.Close()
		}
	})
}

var lagQuery = events.APIGatewayProxyRequest{HTTPMethod: "GET", QueryStringParameters: map[string]string{"q": "lag"}}

// A container fetches the archive once, from the deploy's URL, checks it
// and keeps it in its temporary folder: a second container there does
// not fetch it again.
func TestFunctionFetchesAndCaches(t *testing.T) {
	b := archive(t)
	var srv *httptest.Server
	env := func(k string) string {
		if k == "DEPLOY_URL" {
			return srv.URL
		}
		return ""
	}
	var requests []string
	var site string
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests = append(requests, r.URL.Path)
		http.FileServer(http.Dir(site)).ServeHTTP(w, r)
	}))
	defer srv.Close()
	site, dataDir, _ := staged(t, b, env)
	fsys := pointerFS(t, dataDir)
	cache := t.TempDir()

	l := newLoader(fsys, noEnv)
	l.cacheDir = cache
	closeLoader(t, l)
	if !l.knowsSite() {
		t.Error("the pointer's deploy URL is not taken as the site's address")
	}
	h := newHandler(l.get)
	for range 2 {
		if resp, res := call(t, h, lagQuery); resp.StatusCode != 200 || res.Total != 1 {
			t.Fatalf("%d %s", resp.StatusCode, resp.Body)
		}
	}
	if len(requests) != 1 || !strings.HasPrefix(requests[0], "/"+ArchiveDir+"/") || !strings.HasSuffix(requests[0], ".tar.zst") {
		t.Errorf("requests to the site: %q, want one for the archive", requests)
	}

	l2 := newLoader(fsys, noEnv)
	l2.cacheDir = cache
	closeLoader(t, l2)
	if resp, _ := call(t, newHandler(l2.get), lagQuery); resp.StatusCode != 200 || len(requests) != 1 {
		t.Errorf("a second container: %d, %d requests to the site", resp.StatusCode, len(requests))
	}
}

// An archive that is not the one the function was built with (another
// deploy's, a truncated download) is refused: the function answers 404,
// so the page searches the static bundle, and tries again later.
func TestFunctionRefusesAnotherArchive(t *testing.T) {
	b := archive(t)
	site, dataDir, _ := staged(t, b, noEnv)
	srv := httptest.NewServer(http.FileServer(http.Dir(site)))
	defer srv.Close()
	// Another deploy's bytes at the same name.
	entries, err := os.ReadDir(filepath.Join(site, filepath.FromSlash(ArchiveDir)))
	if err != nil || len(entries) != 1 {
		t.Fatalf("the staged archive: %v %v", entries, err)
	}
	published := filepath.Join(site, filepath.FromSlash(ArchiveDir), entries[0].Name())
	if err := os.WriteFile(published, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newLoader(pointerFS(t, dataDir), func(k string) string {
		if k == "URL" {
			return srv.URL
		}
		return ""
	})
	l.cacheDir, l.now = t.TempDir(), func() time.Time { return clock }
	closeLoader(t, l)
	h := newHandler(l.get)
	resp, res := call(t, h, lagQuery)
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(res.Error, "is not the archive this function was built with") {
		t.Fatalf("a wrong archive: %d %s", resp.StatusCode, resp.Body)
	}
	// Within retryAfter the failure is remembered; after it, fetched again.
	if os.WriteFile(published, b, 0o644) != nil {
		t.Fatal("rewrite")
	}
	call(t, h, lagQuery)
	if l.fetches != 1 {
		t.Errorf("%d fetches within %v of a failure, want 1", l.fetches, retryAfter)
	}
	clock = clock.Add(retryAfter)
	if resp, _ := call(t, h, lagQuery); resp.StatusCode != 200 || l.fetches != 2 {
		t.Errorf("after %v: %d, %d fetches", retryAfter, resp.StatusCode, l.fetches)
	}
}

// Under `netlify dev` no deploy URL is set: the archive comes from the
// host the request came to (http for a loopback one).
func TestFunctionFetchesFromRequestHost(t *testing.T) {
	site, dataDir, said := staged(t, archive(t), noEnv)
	if !strings.Contains(said, "from the host it is called at") {
		t.Errorf("stage said: %s", said)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(site)))
	defer srv.Close()
	l := newLoader(pointerFS(t, dataDir), noEnv)
	l.cacheDir = t.TempDir()
	closeLoader(t, l)
	if l.knowsSite() {
		t.Error("knowsSite without a URL anywhere")
	}
	req := lagQuery
	req.Headers = map[string]string{"host": strings.TrimPrefix(srv.URL, "http://")}
	if resp, res := call(t, newHandler(l.get), req); resp.StatusCode != 200 || res.Total != 1 {
		t.Errorf("%d %s", resp.StatusCode, resp.Body)
	}
	if got := l.base(pointer{}, &events.APIGatewayProxyRequest{Headers: map[string]string{"X-Forwarded-Host": "lib.example.org", "Host": "x"}}); got != "https://lib.example.org" {
		t.Errorf("base behind a proxy = %q", got)
	}
}

// Over the limit, the stage step publishes nothing, says what happens
// instead, and the function answers 404 with the reason.
func TestStageOverTheLimit(t *testing.T) {
	big := bytes.Repeat([]byte{1}, 1_500_000)
	env := func(k string) string {
		if k == "CASEBOOK_FUNCTION_MAX_MB" {
			return "1"
		}
		return ""
	}
	site, dataDir, said := staged(t, big, env)
	if !strings.Contains(said, "the search index is 1.5 MB, over the function's 1 MB (CASEBOOK_FUNCTION_MAX_MB): the function is deployed without it and answers 404, and the site searches with its static bundle") {
		t.Errorf("stage said: %q", said)
	}
	if _, err := os.Stat(filepath.Join(site, filepath.FromSlash(ArchiveDir))); err == nil {
		t.Error("an archive over the limit was published")
	}
	resp, res := call(t, newHandler(newLoader(pointerFS(t, dataDir), noEnv).get), lagQuery)
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(res.Error, "1.5 MB") {
		t.Errorf("%d %s", resp.StatusCode, resp.Body)
	}

	var msg bytes.Buffer
	env = func(k string) string {
		if k == "CASEBOOK_FUNCTION_MAX_MB" {
			return "lots"
		}
		return ""
	}
	if err := stage([]string{"--data", t.TempDir(), "x", "y"}, env, &msg); err == nil || !strings.Contains(err.Error(), `CASEBOOK_FUNCTION_MAX_MB="lots"`) {
		t.Errorf("a bad limit: %v", err)
	}
}
