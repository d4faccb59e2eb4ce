package render

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/casebook/casebook/site"
)

// The charts are drawn by the theme from the model's numbers, so that a
// theme can leave them out, or draw its own from the same data. Each is a
// named group rather than an image (role="img"): its labels are links,
// and an image cannot hold focusable parts.

func esc(s string) string { return template.HTMLEscapeString(s) }

// heatmap draws term × quarter counts (a Trend's Counts, aligned with
// Insights.Quarters) as an SVG grid. Each cell carries its number and a
// <title>, so the chart reads without colour or script.
func (r *Renderer) heatmap(title string, quarters []string, trends []site.Trend) template.HTML {
	if len(trends) == 0 {
		return ""
	}
	base := strings.TrimSuffix(r.basePath, "/")
	const label, cell, head = 190, 34, 58
	maxN := 1
	for _, t := range trends {
		for _, c := range t.Counts {
			maxN = max(maxN, c)
		}
	}
	w, h := label+cell*len(quarters)+8, head+cell*len(trends)+4
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart heatmap" role="group" viewBox="0 0 %d %d" width="%d" height="%d" aria-label="%s">`, w, h, w, h, esc(title))
	fmt.Fprintf(&b, `<title>%s</title>`, esc(title))
	for i, q := range quarters {
		x := label + i*cell + cell/2
		fmt.Fprintf(&b, `<text class="axis" x="%d" y="%d" transform="rotate(-50 %d %d)">%s</text>`, x, head-6, x, head-6, esc(q))
	}
	for j, t := range trends {
		y := head + j*cell
		fmt.Fprintf(&b, `<a href="%s"><text class="label" x="%d" y="%d" text-anchor="end">%s</text></a>`, esc(base+t.Term.URL()), label-8, y+cell/2+4, esc(truncate(t.Term.Title, 26)))
		for i, c := range t.Counts {
			x := label + i*cell
			op := 0.0
			if c > 0 {
				op = 0.2 + 0.8*float64(c)/float64(maxN)
			}
			fmt.Fprintf(&b, `<g><title>%s, %s: %d</title><rect class="cell" x="%d" y="%d" width="%d" height="%d" rx="3" fill-opacity="%.2f"/>`,
				esc(t.Term.Title), esc(quarters[i]), c, x+1, y+1, cell-2, cell-2, op)
			if c > 0 {
				fmt.Fprintf(&b, `<text class="num" x="%d" y="%d" text-anchor="middle">%d</text>`, x+cell/2, y+cell/2+4, c)
			}
			b.WriteString(`</g>`)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// debtChart draws each service's open follow-ups as a stacked bar:
// overdue, then open.
func (r *Renderer) debtChart(debt []site.ServiceDebt) template.HTML {
	if len(debt) == 0 {
		return ""
	}
	base := strings.TrimSuffix(r.basePath, "/")
	const label, row, barMax = 170, 26, 360
	maxN := 1
	for _, d := range debt {
		maxN = max(maxN, d.Overdue+d.Open)
	}
	w, h := label+barMax+60, row*len(debt)+8
	unit := float64(barMax) / float64(maxN)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart bars" role="group" viewBox="0 0 %d %d" width="%d" height="%d" aria-label="Open follow-ups by service">`, w, h, w, h)
	b.WriteString(`<title>Open follow-ups by service</title>`)
	for i, d := range debt {
		y := i*row + 4
		fmt.Fprintf(&b, `<a href="%s"><text class="label" x="%d" y="%d" text-anchor="end">%s</text></a>`, esc(base+d.Service.URL()), label-8, y+row/2+3, esc(truncate(d.Service.Title, 22)))
		x := float64(label)
		if d.Overdue > 0 {
			fmt.Fprintf(&b, `<rect class="bar overdue" x="%.1f" y="%d" width="%.1f" height="%d" rx="2"><title>%s: %d overdue</title></rect>`, x, y+3, unit*float64(d.Overdue), row-8, esc(d.Service.Title), d.Overdue)
			x += unit * float64(d.Overdue)
		}
		if d.Open > 0 {
			fmt.Fprintf(&b, `<rect class="bar open" x="%.1f" y="%d" width="%.1f" height="%d" rx="2"><title>%s: %d open</title></rect>`, x, y+3, unit*float64(d.Open), row-8, esc(d.Service.Title), d.Open)
			x += unit * float64(d.Open)
		}
		fmt.Fprintf(&b, `<text class="num" x="%.1f" y="%d">%d</text>`, x+6, y+row/2+3, d.Overdue+d.Open)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
