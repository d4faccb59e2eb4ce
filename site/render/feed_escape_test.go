package render_test

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
	defaulttheme "github.com/casebook/casebook/themes/default"
)

// The feeds carry each review's title and summary as the text the reader
// sees, escaped once by the feed's format: an entity or an ampersand in
// the Markdown is not escaped twice (R&amp;amp;D), in a summary from the
// front matter, from the body's Summary section, or in a title from a
// heading. In a code span, "&amp;" is literal text.
func TestFeedsEscapeOnce(t *testing.T) {
	fsys := fstest.MapFS{
		"reviews/2024-01-02-a.md": {Data: []byte("---\ntitle: \"Kafka & ZK <lag>\"\nsummary: \"Consumers & producers &amp; R&amp;D\"\n---\nBody.\n")},
		"reviews/2024-01-03-b.md": {Data: []byte("---\ntitle: B & C\n---\n## Summary\n\nThe *API* & `x &amp; y` failed; R&amp;D said &lt;ok&gt; and \\*not em\\* &#169;.\n")},
		"reviews/2024-01-04-c.md": {Data: []byte("# R&amp;D outage\n\nThe lead &amp; only paragraph.\n")},
	}
	s, err := site.Load(context.Background(), fsys, site.Options{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	r, err := render.New(s, defaulttheme.FS)
	if err != nil {
		t.Fatal(err)
	}
	files := r.Generated()
	want := map[string]string{ // title → description
		"Kafka & ZK <lag>": "Consumers & producers & R&D",
		"B & C":            "The API & x &amp; y failed; R&D said <ok> and *not em* ©.",
		"R&D outage":       "The lead & only paragraph.",
	}
	var rss struct {
		Items []struct {
			Title       string `xml:"title"`
			Description string `xml:"description"`
		} `xml:"channel>item"`
	}
	if err := xml.Unmarshal(files["index.xml"], &rss); err != nil {
		t.Fatal(err)
	}
	var feed struct {
		Items []struct {
			Title   string `json:"title"`
			Summary string `json:"summary"`
		} `json:"items"`
	}
	if err := json.Unmarshal(files["feed.json"], &feed); err != nil {
		t.Fatal(err)
	}
	if len(rss.Items) != len(want) || len(feed.Items) != len(want) {
		t.Fatalf("%d RSS items, %d JSON items; want %d", len(rss.Items), len(feed.Items), len(want))
	}
	for i, it := range rss.Items {
		if d, ok := want[it.Title]; !ok || it.Description != d {
			t.Errorf("RSS item %q: description %q, want %q", it.Title, it.Description, d)
		}
		if j := feed.Items[i]; j.Title != it.Title || j.Summary != want[it.Title] {
			t.Errorf("JSON feed item %q: summary %q, want %q", j.Title, j.Summary, want[it.Title])
		}
	}
	if raw := string(files["index.xml"]); strings.Count(raw, "&amp;amp;") != 1 { // the code span's, only
		t.Errorf("index.xml escapes twice:\n%s", raw)
	}
}
