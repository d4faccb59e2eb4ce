package lint_test

import (
	"bytes"
	"strings"
	"testing"
)

// On a repository not written for casebook, check says what it took as
// reviews, what it skipped and why, what it inferred, and what to change.
func TestImportSummary(t *testing.T) {
	rep := check(t, map[string]string{
		"README.md":               "# Our postmortems\n",
		"SECURITY.md":             "Report issues to security@.\n",
		"templates/postmortem.md": "# Title\n\n## Summary\n",
		"static/site.css":         "body{}\n",
		"post-mortems/2021/PM2021-004 - ADFS outage.md": "## Issue summary\n\nADFS sign-in failed for an hour.\n",
		"20220514_db-failover.md":                       "# DB failover\n\nThe primary failed over.\n",
		"2021/05/22-dns.md":                             "# DNS outage\n\nResolvers timed out.\n",
		"2023-07/07-14-kafka-lag":                       "# Kafka lag\n\nConsumers fell behind.\n",
		"notes.txt":                                     "not Markdown\n",
	})
	if rep.HasErrors() {
		t.Fatalf("a foreign repository builds: %+v", rep.Findings)
	}
	if rep.Import.Found != 4 {
		t.Errorf("found %d reviews, want 4", rep.Import.Found)
	}
	var skipped []string
	for _, s := range rep.Import.Skipped {
		skipped = append(skipped, s.Path+": "+s.Why)
	}
	expect(t, skipped,
		"README.md: a repository file, not a review",
		"SECURITY.md: a repository file, not a review",
		"templates/postmortem.md: in templates/, casebook's folder for templates",
	)
	expect(t, only(rep, "inferred"),
		"2021/05/22-dns.md:1:1: date from the folder and file name | ",
		"20220514_db-failover.md:1:1: date from the file name | ",
		"2023-07/07-14-kafka-lag:0:0: read as a review: it has no .md extension but reads as Markdown | ",
		"2023-07/07-14-kafka-lag:1:1: date from the folder and file name | ",
		"post-mortems/2021/PM2021-004 - ADFS outage.md:1:1: date from its folder's year | ",
		"post-mortems/2021/PM2021-004 - ADFS outage.md:1:1: title from the file name | ",
	)
	if rep.Import.Inferred["title"] != 1 || rep.Import.Inferred["date"] != 4 {
		t.Errorf("inferred %v, want title 1, date 4", rep.Import.Inferred)
	}
	var out bytes.Buffer
	if err := rep.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"How casebook read this library: 4 reviews found, 3 files and folders skipped:", "  README.md: a repository file, not a review\n", "Inferred, in how many reviews: title 1, date 4."} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, out.String())
		}
	}
}

// A missing image is a warning at its line; the build still succeeds.
func TestMissingImage(t *testing.T) {
	rep := check(t, map[string]string{
		"reviews/2024-01-02-a.md":  "---\ntitle: A\n---\nText.\n\n![graph](graphs/latency.png)\n\n<img src=\"gone.png\">\n",
		"reviews/graphs/other.png": "png",
	})
	expect(t, only(rep, "missing-image"),
		"reviews/2024-01-02-a.md:6:1: image not found: graphs/latency.png | put the image in the library at that path, or fix the path",
		"reviews/2024-01-02-a.md:8:10: image not found: gone.png | put the image in the library at that path, or fix the path",
	)
	if rep.HasErrors() {
		t.Errorf("a missing image fails the build: %+v", rep.Findings)
	}
}
