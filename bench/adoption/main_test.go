package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/site"
)

// TestTargets holds casebook to issue 12's targets on the reconstructed
// repositories, as they are (zero edits): every library builds, no image
// is broken, at least 95 % of titles and dates are the ones the reviews
// state, and at least 90 % of timelines are read.
func TestTargets(t *testing.T) {
	results, err := measureAll(context.Background(), "testdata")
	if err != nil {
		t.Fatal(err)
	}
	if len(results) < 5 {
		t.Fatalf("%d shapes, want at least 5", len(results))
	}
	for _, r := range results {
		if r.BuildErr != nil {
			t.Errorf("%s does not build:\n%v", r.Shape, r.BuildErr)
		}
		if r.ImagesBroken > 0 {
			t.Errorf("%s: %d broken images", r.Shape, r.ImagesBroken)
		}
		if len(r.Missing) > 0 && r.BuildErr == nil {
			t.Errorf("%s: reviews not found: %q", r.Shape, r.Missing)
		}
	}
	tot := total(results)
	check := func(what string, n, d int, target float64) {
		if float64(n) < target*float64(d) {
			t.Errorf("%s: %d of %d, below %.0f %%", what, n, d, 100*target)
		}
	}
	check("titles right", tot.Titles, tot.Expected, 0.95)
	check("dates right", tot.Dates, tot.Expected, 0.95)
	check("timelines read", tot.TimelinesRead, tot.TimelinesExpected, 0.90)
	if t.Failed() {
		var b strings.Builder
		printTable(&b, results)
		printDetails(&b, results, false)
		t.Log("\n" + b.String())
	}
}

// The measurement itself: an image is broken only when it names no
// written file, wherever the page is; http(s) images are taken on trust.
func TestImages(t *testing.T) {
	files := map[string][]byte{"media/a.png": nil, "reviews/x/b.png": nil}
	page := []byte(`<img src="/media/a.png"><img alt="" src="b.png"><img src="../../media/a.png">` +
		`<img src="https://example.com/c.png"><img src="c.png"><img src="/media/b.png"><img src="javascript:x">`)
	shown, broken := images(page, "/reviews/x/", files)
	if shown != 7 || strings.Join(broken, " ") != "c.png /media/b.png javascript:x" {
		t.Errorf("images = %d, %q", shown, broken)
	}
}

func TestCompare(t *testing.T) {
	tech := &site.Taxonomy{Key: "technologies"}
	other := &site.Taxonomy{Key: "companies"}
	r := &site.Review{
		Title: "DNS outage", Date: time.Date(2020, 1, 2, 23, 0, 0, 0, time.UTC),
		Terms: []*site.TermList{
			{Taxonomy: tech, Terms: []*site.Term{{ID: "kafka", Title: "Apache Kafka"}, {ID: "go", Title: "Go"}}},
			{Taxonomy: other, Terms: []*site.Term{{ID: "acme", Title: "Acme"}}},
		},
	}
	w := want{File: "x.md", Title: "dns Outage", Date: "2020-01-02", Events: 2, Terms: []string{"Kafka|Apache Kafka", "Redis"}}
	res := &result{}
	res.compare(w, r, nil, nil)
	if res.Titles != 1 || res.Dates != 1 || res.TimelinesRead != 0 || res.EventsFound != 0 {
		t.Errorf("titles %d dates %d timelines %d events %d", res.Titles, res.Dates, res.TimelinesRead, res.EventsFound)
	}
	if res.TermsFound != 2 || res.TermsRight != 1 || res.TermsHit != 1 {
		t.Errorf("terms found %d right %d hit %d, want 2 1 1", res.TermsFound, res.TermsRight, res.TermsHit)
	}
	if len(res.Details) != 2 {
		t.Errorf("details %q, want the timeline and the terms", res.Details)
	}
}

func TestLeadTwice(t *testing.T) {
	for page, want := range map[string]bool{
		`<p class="lead">Search was down.</p><div id="review-body"><p><strong>Summary:</strong> Search was down.</p>`: true,
		`<p class="lead">Search was down.</p><div id="review-body"><p>Date: 2020</p><p>Search was down.</p>`:          true,
		`<p class="lead">Search was down.</p><div id="review-body"><p>Date: 2020</p><p>Something else.</p>`:           false,
		`<div id="review-body"><p>Search was down.</p>`:                                                               false,
		`<p class="lead">A &amp; B.</p><div id="review-body"><p>A &amp; <em>B</em>.</p>`:                              true,
	} {
		if got := leadTwice([]byte(page)); got != want {
			t.Errorf("leadTwice(%s) = %v, want %v", page, got, want)
		}
	}
}
