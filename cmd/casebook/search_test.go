package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// searchLibrary writes a small library for the search command's tests.
func searchLibrary(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"casebook.yaml": "title: Test\nbaseURL: https://lib.example.com/\nvocabulary:\n  technologies:\n    kubernetes: {title: Kubernetes, aliases: [k8s]}\n",
		"reviews/2024-01-02-kafka-lag.md": "---\ntitle: Kafka consumer lag\nsummary: The tracking group fell behind.\ntechnologies: [kafka, k8s]\nthemes: [observability]\n---\n" +
			"The consumer group rebalanced and lag grew. Escape \x1b[31mred\x1b[0m stays out of terminals.\n",
		"reviews/2024-03-04-disk-full.md": "---\ntitle: Broker disk full\nsummary: A retention change filled a disk.\ntechnologies: [kafka]\nthemes: [capacity]\n---\nThe broker disk filled after a retention change.\n",
		"reviews/2023-05-06-dns.md":       "---\ntitle: DNS outage\nsummary: CoreDNS was evicted.\ntechnologies: [coredns, kubernetes]\nthemes: [capacity]\n---\nLookups failed.\n",
		"reviews/2025-01-01-draft.md":     "---\ntitle: Unfinished kafka notes\nstatus: draft\n---\nKafka draft.\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func searchCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), append([]string{"search"}, args...), &out, &errb)
	return out.String(), errb.String(), err
}

func TestSearchCommand(t *testing.T) {
	lib := searchLibrary(t)

	out, _, err := searchCmd(t, "--library", lib, "kafka", "lag")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, " 1. Kafka consumer lag  2024-01-02\n    https://lib.example.com/reviews/2024-01-02-kafka-lag/\n") {
		t.Errorf("first result:\n%s", out)
	}
	if !strings.Contains(out, "The consumer group rebalanced and lag grew.") {
		t.Errorf("no snippet, or snippet not plain text:\n%s", out)
	}
	if strings.Contains(out, "<mark>") || strings.Contains(out, "\x1b") {
		t.Errorf("markup or escapes in plain output: %q", out)
	}
	if strings.Contains(out, "Unfinished") {
		t.Error("a draft was found without --drafts")
	}

	// Bold matches when asked; nothing from the review itself escapes.
	out, _, err = searchCmd(t, "--library", lib, "--color", "always", "lag")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "and \x1b[1mlag\x1b[22m grew") {
		t.Errorf("no bold match: %q", out)
	}
	if strings.Contains(out, "\x1b[31m") {
		t.Errorf("the review's escape sequence reached the terminal: %q", out)
	}

	// Taxonomy flags come from the library, with aliases.
	out, _, err = searchCmd(t, "--library", lib, "--technologies", "k8s")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Kafka consumer lag") || !strings.Contains(out, "DNS outage") || strings.Contains(out, "Broker disk") {
		t.Errorf("--technologies k8s:\n%s", out)
	}
	if !strings.Contains(out, "2 reviews match.") {
		t.Errorf("no count:\n%s", out)
	}
	// Newest first without a query.
	if strings.Index(out, "Kafka consumer lag") > strings.Index(out, "DNS outage") {
		t.Errorf("not newest first:\n%s", out)
	}

	out, _, err = searchCmd(t, "--library", lib, "--drafts", "unfinished")
	if err != nil || !strings.Contains(out, "Unfinished kafka notes") {
		t.Errorf("--drafts: %v\n%s", err, out)
	}

	// Flags end at the first word, so the query may exclude words.
	out, _, err = searchCmd(t, "--library", lib, "kafka", "-lag")
	if err != nil || !strings.Contains(out, "Broker disk full") || strings.Contains(out, "consumer lag") {
		t.Errorf("kafka -lag: %v\n%s", err, out)
	}

	out, _, err = searchCmd(t, "--library", lib, "nothing-like-this")
	if err != nil || out != "No reviews match.\n" {
		t.Errorf("no match: %v %q", err, out)
	}

	out, _, err = searchCmd(t, "--library", lib, "--size", "1", "kafka")
	if err != nil || !strings.Contains(out, "2 reviews match; showing 1-1. Next page: --page 2") {
		t.Errorf("paging: %v\n%s", err, out)
	}
}

func TestSearchCommandJSON(t *testing.T) {
	lib := searchLibrary(t)
	out, _, err := searchCmd(t, "--library="+lib, "--json", "--themes", "capacity", "--from", "2024-01-01", "broker")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			Slug, Title, URL, Date, Summary string
			Fragments                       []string
		} `json:"hits"`
		Facets map[string][]struct {
			Term, Title string
			Count       int
		} `json:"facets"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if res.Total != 1 || res.Hits[0].Slug != "2024-03-04-disk-full" || res.Hits[0].URL != "/reviews/2024-03-04-disk-full/" {
		t.Errorf("JSON: %s", out)
	}
	if len(res.Hits[0].Fragments) == 0 || !strings.Contains(res.Hits[0].Fragments[0], "<mark>broker</mark>") {
		t.Errorf("fragments keep HTML in JSON: %s", out)
	}
	if f := res.Facets["technologies"]; len(f) != 1 || f[0].Term != "kafka" || f[0].Count != 1 {
		t.Errorf("facets: %s", out)
	}
}

func TestSearchCommandUsage(t *testing.T) {
	lib := searchLibrary(t)
	for _, args := range [][]string{
		{"--library", lib, "--nosuch", "x"},
		{"--library", lib, "--page", "0"},
		{"--library", lib, "--from", "yesterday"},
		{"--library", lib, "--color", "purple", "x"},
		{"--library", lib, "nosuchfield:x"},
		{"--library", filepath.Join(lib, "missing"), "x"},
	} {
		_, _, err := searchCmd(t, args...)
		var ue *usageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: %v, want a usage error", args, err)
		}
	}
	// Help lists the library's taxonomies as flags.
	_, stderr, err := searchCmd(t, "--library", lib, "-h")
	if err != nil || !strings.Contains(stderr, "-technologies TERM") || !strings.Contains(stderr, "-themes TERM") {
		t.Errorf("help: %v\n%s", err, stderr)
	}
	// And still answers when the library cannot be read.
	_, stderr, err = searchCmd(t, "--library", filepath.Join(lib, "missing"), "--help")
	if err != nil || !strings.Contains(stderr, "Usage: casebook search") {
		t.Errorf("help without a library: %v\n%s", err, stderr)
	}
}

// Where there is no ./content and no --library, search uses the example
// library built into casebook, as build and serve do.
func TestSearchFallsBackToExampleLibrary(t *testing.T) {
	t.Chdir(t.TempDir())
	out, stderr, err := searchCmd(t, "--json", "certificate", "expired")
	if err != nil {
		t.Fatalf("search: %v\n%s", err, stderr)
	}
	if !strings.Contains(stderr, "using the example library built into casebook") {
		t.Errorf("stderr = %q, want a note about the built-in example", stderr)
	}
	var res struct {
		Hits []struct{ Slug string } `json:"hits"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("stdout is not the JSON answer (the note must go to stderr): %v\n%s", err, out)
	}
	found := false
	for _, h := range res.Hits {
		found = found || h.Slug == "2023-01-19-expired-ingress-certificate"
	}
	if !found {
		t.Errorf("the example's certificate review was not found: %s", out)
	}
	// The example's taxonomies are flags.
	if out, _, err := searchCmd(t, "--technologies", "kafka"); err != nil || !strings.Contains(out, "Kafka broker ran out of disk") {
		t.Errorf("--technologies kafka on the example: %v\n%s", err, out)
	}
	// Nothing was written where the command ran.
	if entries, _ := os.ReadDir("."); len(entries) != 0 {
		t.Errorf("search wrote %d entries into the working folder", len(entries))
	}
	// An explicit --library that does not exist is an error, not the example.
	if _, _, err := searchCmd(t, "--library", "content", "x"); exitCode(err) != 2 {
		t.Errorf("search --library content (missing): exit %d, want 2", exitCode(err))
	}
}
