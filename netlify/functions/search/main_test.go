package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/casebook/casebook/index"
	"github.com/casebook/casebook/site"
)

// archive builds a small library's index archive, as the build does.
func archive(t *testing.T) []byte {
	t.Helper()
	lib := fstest.MapFS{
		"casebook.yaml": {Data: []byte("title: T\nvocabulary:\n  technologies:\n    kubernetes: {title: Kubernetes, aliases: [k8s]}\n")},
		"reviews/2024-01-02-kafka-lag.md": {Data: []byte("---\ntitle: Kafka consumer lag\nsummary: Behind.\ntechnologies: [kafka, k8s]\n---\n" +
			"The consumer group rebalanced and lag grew.\n")},
		"reviews/2024-03-04-disk.md": {Data: []byte("---\ntitle: Broker disk full\ntechnologies: [kafka]\n---\nThe broker disk filled.\n")},
		"reviews/2023-05-06-dns.md":  {Data: []byte("---\ntitle: DNS outage\ntechnologies: [coredns, kubernetes]\n---\nLookups failed.\n")},
	}
	s, err := site.Load(context.Background(), lib, site.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := index.BuildArchive(s, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type apiResult struct {
	Total int `json:"total"`
	Hits  []struct {
		Slug      string   `json:"slug"`
		URL       string   `json:"url"`
		Fragments []string `json:"fragments"`
	} `json:"hits"`
	Facets map[string][]struct {
		Term  string `json:"term"`
		Count int    `json:"count"`
	} `json:"facets"`
	Error string `json:"error"`
}

func call(t *testing.T, h handlerFunc, req events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, apiResult) {
	t.Helper()
	resp, err := h(context.Background(), req)
	if err != nil {
		t.Fatalf("handler error: %v", err)
	}
	var res apiResult
	if err := json.Unmarshal([]byte(resp.Body), &res); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, resp.Body)
	}
	if !strings.HasPrefix(resp.Headers["Content-Type"], "application/json") {
		t.Errorf("content type %q", resp.Headers["Content-Type"])
	}
	return resp, res
}

func TestFunction(t *testing.T) {
	h := newHandler(opened(t, archive(t)))

	resp, res := call(t, h, events.APIGatewayProxyRequest{
		HTTPMethod:            "GET",
		Path:                  "/api/search",
		QueryStringParameters: map[string]string{"q": "lag"},
	})
	if resp.StatusCode != 200 || res.Total != 1 || len(res.Hits) != 1 || res.Hits[0].Slug != "2024-01-02-kafka-lag" || res.Hits[0].URL != "/reviews/2024-01-02-kafka-lag/" {
		t.Fatalf("q=lag: %d %s", resp.StatusCode, resp.Body)
	}
	if len(res.Hits[0].Fragments) == 0 || !strings.Contains(res.Hits[0].Fragments[0], "<mark>lag</mark>") {
		t.Errorf("fragments: %s", resp.Body)
	}
	// Answers are the same until the next deploy replaces the function.
	if cc := resp.Headers["Cache-Control"]; cc != "public, max-age=300" {
		t.Errorf("Cache-Control %q", cc)
	}

	// Repeated filters arrive in the multi-value form: OR within a taxonomy.
	resp, res = call(t, h, events.APIGatewayProxyRequest{
		HTTPMethod:                      "GET",
		QueryStringParameters:           map[string]string{"technologies": "coredns"},
		MultiValueQueryStringParameters: map[string][]string{"technologies": {"k8s", "coredns"}},
	})
	if resp.StatusCode != 200 || res.Total != 2 || len(res.Hits) != 2 || res.Hits[0].Slug != "2024-01-02-kafka-lag" || res.Hits[1].Slug != "2023-05-06-dns" {
		t.Fatalf("technologies=k8s&technologies=coredns: %s", resp.Body)
	}
	if f := res.Facets["technologies"]; len(f) != 3 || f[0].Term != "kubernetes" || f[0].Count != 2 {
		t.Errorf("facets: %s", resp.Body)
	}

	// No parameters: everything, newest first.
	resp, res = call(t, h, events.APIGatewayProxyRequest{HTTPMethod: "GET"})
	if resp.StatusCode != 200 || res.Total != 3 || res.Hits[0].Slug != "2024-03-04-disk" {
		t.Errorf("no query: %s", resp.Body)
	}

	for _, q := range []map[string]string{
		{"nosuch": "1"},
		{"page": "0"},
		{"q": "nosuchfield:x"},
		{"q": strings.Repeat("x", 600)},
		{"from": "2024-99-99"},
		{"q": "/(.?){999}/"},
	} {
		resp, res = call(t, h, events.APIGatewayProxyRequest{HTTPMethod: "GET", QueryStringParameters: q})
		if resp.StatusCode != http.StatusBadRequest || res.Error == "" {
			t.Errorf("%v: %d %s", q, resp.StatusCode, resp.Body)
		}
	}

	resp, _ = call(t, h, events.APIGatewayProxyRequest{HTTPMethod: "POST", Body: "{}"})
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Headers["Allow"] == "" {
		t.Errorf("POST: %d %v", resp.StatusCode, resp.Headers)
	}
}

// Without an index to answer from, the function answers 404 with the
// reason as JSON: search.js takes a 404 for "no search API here" and
// searches the static bundle instead.
func TestFunctionWithoutIndex(t *testing.T) {
	for name, fsys := range map[string]fs.FS{
		"nothing staged": fstest.MapFS{"data/README.md": {Data: []byte("x")}},
		"over the limit": fstest.MapFS{pointerName: {Data: []byte(`{"skipped": "the search index is 130.0 MB, over the function's 100 MB"}`)}},
		"bad pointer":    fstest.MapFS{pointerName: {Data: []byte(`{"path": "/x"}`)}},
	} {
		h := newHandler(newLoader(fsys, noEnv).get)
		resp, res := call(t, h, events.APIGatewayProxyRequest{HTTPMethod: "GET", QueryStringParameters: map[string]string{"q": "x"}})
		if resp.StatusCode != http.StatusNotFound || res.Error == "" || resp.Headers["Cache-Control"] != "no-store" {
			t.Errorf("%s: %d %v %s", name, resp.StatusCode, resp.Headers, resp.Body)
		}
		if name == "over the limit" && !strings.Contains(res.Error, "130.0 MB") {
			t.Errorf("%s: the reason is not given: %s", name, res.Error)
		}
	}
	// The checked-in data folder holds no pointer: a clean checkout's
	// function builds, and answers 404.
	if _, err := data.Open(pointerName); err == nil {
		t.Skip("an index has been staged into data/")
	}
	resp, _ := call(t, newHandler(newLoader(data, noEnv).get), events.APIGatewayProxyRequest{HTTPMethod: "GET"})
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("embedded data without a pointer: %d %s", resp.StatusCode, resp.Body)
	}
}

func noEnv(string) string { return "" }

// opened is a getter for an archive opened once, closed (and its
// unpacked files removed) when the test ends.
func opened(t *testing.T, b []byte) getter {
	ix, err := index.OpenArchive(b)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return func(context.Context, *events.APIGatewayProxyRequest) (*index.Index, error) { return ix, nil }
}
