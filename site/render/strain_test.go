package render

import (
	"strings"
	"testing"
	"time"

	"github.com/casebook/casebook/site"
)

// strainRows writes by hand what the template wrote: its text and
// attributes must come out escaped, and an odd path percent-encoded.
func TestStrainRowsEscape(t *testing.T) {
	r := &Renderer{basePath: "/"}
	rows := []site.Participation{{
		Review:   &site.Review{Slug: `a"b c`, Title: `<script>alert("x")</script> & co`},
		Roles:    []string{"responder", "timeline"},
		Response: true, OnCall: "off", Hours: "out", Quarter: "2024 Q1", QuarterID: "2024-q1",
		ServiceIDs: ` "><x `, TechnologyIDs: " ",
		At: time.Date(2024, 1, 2, 3, 4, 0, 0, time.FixedZone("X", 3600)),
	}, {
		Review: &site.Review{Slug: "plain", Title: "Plain"}, Roles: []string{"investigator"}, Quarter: "2024 Q1",
	}}
	got := string(r.strainRows(rows))
	for _, want := range []string{
		`<a href="/reviews/a%22b%20c/">&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co</a>`,
		`data-service=" &#34;&gt;&lt;x "`,
		`<span class="roles">responder · in the timeline</span>`,
		`<strong>Not on call</strong>`,
		`<strong>Outside hours</strong>, <time datetime="2024-01-02T03:04:00+01:00">Tue 2 Jan 03:04 X</time>`,
		`<a href="/reviews/plain/">Plain</a>`,
		`<td colspan="2" class="muted">Investigated afterwards: not counted</td>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %s in\n%s", want, got)
		}
	}
	if strings.Contains(got, "<script>") {
		t.Error("a title's markup is not escaped")
	}
}
