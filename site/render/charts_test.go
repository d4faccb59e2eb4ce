package render

import (
	"strings"
	"testing"

	"github.com/casebook/casebook/site"
)

// The charts link each row to its term under the site's base path, escape
// titles, and shorten long ones; no data draws no chart.
func TestCharts(t *testing.T) {
	r := &Renderer{basePath: "/lib/"}
	tax := &site.Taxonomy{Key: "services"}
	long := &site.Term{ID: "long", Title: "A service with a very long name <b>", Taxonomy: tax}
	short := &site.Term{ID: "db", Title: "DB & co", Taxonomy: tax}

	h := string(r.heatmap("Per <quarter>", []string{"2024 Q1", "2024 Q2"}, []site.Trend{{Term: long, Counts: []int{2, 0}, Total: 2}, {Term: short, Counts: []int{0, 1}, Total: 1}}))
	for _, want := range []string{
		`aria-label="Per &lt;quarter&gt;"`,
		`<a href="/lib/services/long/">`,
		`>A service with a very lon…</text>`,
		`<title>DB &amp; co, 2024 Q2: 1</title>`,
		`fill-opacity="1.00"`, // the largest count
		`fill-opacity="0.00"`, // an empty cell
	} {
		if !strings.Contains(h, want) {
			t.Errorf("heatmap lacks %s:\n%s", want, h)
		}
	}
	if strings.Contains(h, "<b>") {
		t.Error("heatmap did not escape a title")
	}

	d := string(r.debtChart([]site.ServiceDebt{{Service: short, Overdue: 2, Open: 1}, {Service: long, Open: 3}}))
	for _, want := range []string{
		`<a href="/lib/services/db/">`,
		`<title>DB &amp; co: 2 overdue</title>`,
		`<title>DB &amp; co: 1 open</title>`,
		`class="bar open" x="170.0" y="33" width="360.0"`, // the longest bar is full width
	} {
		if !strings.Contains(d, want) {
			t.Errorf("debtChart lacks %s:\n%s", want, d)
		}
	}

	if r.heatmap("x", nil, nil) != "" || r.debtChart(nil) != "" {
		t.Error("a chart of nothing")
	}
}
