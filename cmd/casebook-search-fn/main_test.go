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
	h := newHandler(openClosed(t, fstest.MapFS{archiveName: {Data: archive(t)}}))

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

func TestFunctionWithoutIndex(t *testing.T) {
	// The checked-in data folder has no archive: the function answers 503.
	h := newHandler(openClosed(t, data))
	resp, res := call(t, h, events.APIGatewayProxyRequest{HTTPMethod: "GET", QueryStringParameters: map[string]string{"q": "x"}})
	if _, err := data.Open(archiveName); err == nil {
		t.Skip("an index has been built into data/; nothing to check")
	}
	if resp.StatusCode != http.StatusServiceUnavailable || res.Error == "" {
		t.Errorf("%d %s", resp.StatusCode, resp.Body)
	}
	// A corrupt archive is the same.
	h = newHandler(openOnce(fstest.MapFS{archiveName: {Data: []byte("not an archive")}}))
	if resp, _ := call(t, h, events.APIGatewayProxyRequest{HTTPMethod: "GET"}); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("corrupt archive: %d", resp.StatusCode)
	}
}

// openClosed is openOnce for a test: the index, once opened, is closed
// (and its unpacked files removed) when the test ends. The function itself
// keeps it open for the life of its container.
func openClosed(t *testing.T, fsys fs.FS) func() (*index.Index, error) {
	get := openOnce(fsys)
	t.Cleanup(func() {
		if ix, err := get(); err == nil {
			ix.Close()
		}
	})
	return get
}
