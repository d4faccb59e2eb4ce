package preview

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/casebook/casebook/index"
)

// searchSlugs asks the server's search API (under prefix, the site's base
// path without its final slash) and returns the status and the slugs found.
func (ts *testServer) searchSlugs(prefix, q string) (int, []string) {
	ts.t.Helper()
	status, body := ts.get(prefix + searchPath + "?q=" + url.QueryEscape(q))
	if status != 200 {
		return status, nil
	}
	return status, resultSlugs(ts.t, body)
}

// resultSlugs reads the slugs of an API answer, sorted.
func resultSlugs(t *testing.T, body string) []string {
	t.Helper()
	return jsonSlugs(t, []byte(body), "hits")
}

// clientIndexSlugs reads the slugs of a search-index.json, sorted.
func clientIndexSlugs(t *testing.T, b []byte) []string {
	t.Helper()
	return jsonSlugs(t, b, "reviews")
}

// jsonSlugs reads the slugs of the objects listed under key in a JSON
// document, sorted.
func jsonSlugs(t *testing.T, b []byte, key string) []string {
	t.Helper()
	var doc map[string]json.RawMessage
	var items []struct {
		Slug string `json:"slug"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if list, ok := doc[key]; ok {
		if err := json.Unmarshal(list, &items); err != nil {
			t.Fatalf("%s: %v\n%s", key, err, b)
		}
	}
	var slugs []string
	for _, it := range items {
		slugs = append(slugs, it.Slug)
	}
	slices.Sort(slugs)
	return slugs
}

// waitForSearch polls the search API until q finds exactly want.
func (ts *testServer) waitForSearch(prefix, q string, want ...string) {
	ts.t.Helper()
	ts.waitFor(prefix+searchPath+"?q="+url.QueryEscape(q), fmt.Sprintf("finding %v", want), func(status int, body string) bool {
		return status == 200 && slices.Equal(resultSlugs(ts.t, body), want)
	})
}

// serveSearchLib is serveLib with a restricted review.
func serveSearchLib(yaml string) map[string]string {
	files := map[string]string{}
	for k, v := range serveLib {
		files[k] = v
	}
	files["casebook.yaml"] = yaml
	files["reviews/r.md"] = "---\ntitle: Restricted outage\ndate: 2024-05-06\nvisibility: restricted\n---\nThe zeppelin body.\n"
	return files
}

func TestServeSearch(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveSearchLib("title: Serve test library\n")))
	// 503 until the index is built.
	ts.waitFor(searchPath+"?q=alpha", "answering", func(status int, _ string) bool { return status == 200 })
	ts.waitForSearch("", "alpha", "a")
	// The preview shows drafts, so search finds them.
	ts.waitForSearch("", "progress", "c")
	// Restricted reviews stay out unless asked for.
	if _, got := ts.searchSlugs("", "zeppelin"); len(got) != 0 {
		t.Errorf("a restricted review was found without --include-restricted: %v", got)
	}

	// The index follows edits: a new word is found, then not once removed.
	a := serveLib["reviews/a.md"]
	ts.write("reviews/a.md", strings.Replace(a, "says hello", "says hello to the platypus", 1))
	ts.waitForSearch("", "platypus", "a")
	ts.write("reviews/a.md", a)
	ts.waitForSearch("", "platypus")
	ts.waitForSearch("", "alpha", "a")

	// The client-side index search.js falls back to, for the current site.
	expectClientIndex(t, ts, "/"+index.ClientIndexFile, "a", "b", "c")
	// It is made again for each reload.
	ts.write("reviews/d.md", "---\ntitle: Delta outage\ndate: 2024-06-07\n---\nDelta.\n")
	ts.waitFor("/"+index.ClientIndexFile, "listing the new review", func(status int, body string) bool {
		return status == 200 && strings.Contains(body, `"slug":"d"`)
	})
}

func TestServeSearchIncludeRestricted(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveSearchLib("title: Serve test library\n")), func(c *Config) {
		c.Options.IncludeRestricted = true
	})
	ts.waitForSearch("", "zeppelin", "r")
}

// With a baseURL that has a path, search.js asks for <base>api/search and
// <base>search-index.json.
func TestServeSearchUnderBasePath(t *testing.T) {
	ts := startServe(t, writeServeLibrary(t, serveSearchLib("title: Serve test library\nbaseURL: https://x.example/incidents/\n")))
	ts.waitForSearch("/incidents", "alpha", "a")
	expectClientIndex(t, ts, "/incidents/"+index.ClientIndexFile, "a", "b", "c")
	// Only under the site's own base path.
	if status, _ := ts.get("/elsewhere" + searchPath + "?q=alpha"); status != 404 {
		t.Errorf("/elsewhere%s: status %d, want 404", searchPath, status)
	}
	if status, _ := ts.get("/" + index.ClientIndexFile); status != 404 {
		t.Errorf("/%s outside the base path: status %d, want 404", index.ClientIndexFile, status)
	}
}

// expectClientIndex fetches the server's search-index.json at p and checks
// which reviews it lists.
func expectClientIndex(t *testing.T, ts *testServer, p string, want ...string) {
	t.Helper()
	status, body := ts.get(p)
	if status != 200 {
		t.Fatalf("%s: status %d", p, status)
	}
	if got := clientIndexSlugs(t, []byte(body)); !slices.Equal(got, want) {
		t.Errorf("%s lists %v, want %v", p, got, want)
	}
}
