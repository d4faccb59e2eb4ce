package markdown

import (
	"strings"
	"testing"
	"time"
)

func render(cfg Config, libPath, src string) *Body {
	if cfg.Kinds == nil {
		cfg.Kinds = testKinds
	}
	return New(cfg, nil).Render(libPath, []byte(src), 1, time.Time{})
}

func TestTitles(t *testing.T) {
	for _, c := range []struct{ src, title, h1, date, keeps string }{
		{"# Outage of the API\n\ntext", "Outage of the API", "Outage of the API", "<nil>", ""},
		{"# Overview\n\nThe API was down.\n\n# Outage of the API\n", "Outage of the API", "Outage of the API", "<nil>", `<h1 id="overview">Overview</h1>`},
		{"# Metadata\n\n| Date | 2024-01-02 |\n|--|--|\n", "<nil>", "", "2024-01-02", `<h1 id="metadata">`},
		{"# Title: ADFS outage\n\n## Summary\n", "ADFS outage", "ADFS outage", "<nil>", ""},
		{"# Title:\n\nADFS outage\n\n# Summary\n\nx\n", "ADFS outage", "ADFS outage", "<nil>", `<h1 id="summary">`},
		{"# 24-10-2024 - Payment gateway timeouts\n", "Payment gateway timeouts", "Payment gateway timeouts", "24-10-2024", ""},
		{"# 2024-03-13: Search is slow\n", "Search is slow", "Search is slow", "2024-03-13", ""},
		{"## Issue summary\n\nx\n\n**Title:** Login loop\n", "Login loop", "", "<nil>", ""},
		{"- **Title**: Login loop\n- Date: 2021-05-22\n", "Login loop", "", "2021-05-22", ""},
		{"## Incident Overview\n\nNo title here at all, only words.\n", "<nil>", "", "<nil>", ""},
	} {
		b := render(Config{}, "r.md", c.src)
		s := b.Structure
		if factValue(s.Title) != c.title || b.H1 != c.h1 || factValue(s.Date) != c.date {
			t.Errorf("%q: title %q H1 %q date %q, want %q %q %q", c.src, factValue(s.Title), b.H1, factValue(s.Date), c.title, c.h1, c.date)
		}
		if c.keeps != "" && !strings.Contains(b.HTML.String(), c.keeps) {
			t.Errorf("%q: the section heading left the body:\n%s", c.src, b.HTML)
		}
	}
}

func TestSummaryAndLead(t *testing.T) {
	for _, c := range []struct{ src, summary, lead string }{
		// Body.Lead is today's: the first top-level paragraph.
		{"Intro words that say a few things.\n\n## TL;DR\n\nThe short story of it.\n", "The short story of it.", "Intro words that say a few things."},
		{"[Index](../index.md)\n\nBy Jane Doe\n\nSeverity: SEV1\n\nThe real first paragraph is here.\n", "The real first paragraph is here.", "Index"},
		{"## Executive summary\n\n**Summary:** not this\n\nSomething else.\n", "Something else.", "Summary: not this"},
		{"**Summary:** Search was down for an hour.\n\n## Impact\n\nMany users could not search.\n", "Search was down for an hour.", "Summary: Search was down for an hour."},
	} {
		b := render(Config{}, "r.md", c.src)
		if factValue(b.Structure.Summary) != c.summary || b.Lead != c.lead {
			t.Errorf("%q: summary %q lead %q, want %q %q", c.src, factValue(b.Structure.Summary), b.Lead, c.summary, c.lead)
		}
	}
}

func TestLenientTimes(t *testing.T) {
	base := time.Date(2024, 3, 13, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		in   string
		want string // "" for not read, "skip" for a placeholder
	}{
		{"2024-03-13 14:05", "2024-03-13 14:05"},
		{"14:05", "2024-03-13 14:05"},
		{"10:45~", "2024-03-13 10:45"},
		{"~2025-03-03 19:30", "2025-03-03 19:30"},
		{"09:00 - 11:00", "2024-03-13 09:00"},
		{"12:26-12:??", "2024-03-13 12:26"},
		{"June 14th, 2022, 10:00 AM", "2022-06-14 10:00"},
		{"Jun 14, 2022 10:00 PM", "2022-06-14 22:00"},
		{"14 June 2022 09:30", "2022-06-14 09:30"},
		{"24-10-2024 04:00", "2024-10-24 04:00"},
		{"06/14/2022 08:00", "2022-06-14 08:00"},
		{"2024-03-14", "2024-03-14 00:00"},
		{"16:58 UTC", "2024-03-13 16:58"},
		{"2024-03-13 HH:mm", "skip"},
		{"HH:MM", "skip"},
		{"14:??", ""},
		{"soon after", ""},
		{"25:00", ""},
	} {
		tp := &timeParser{loc: time.UTC, last: base}
		got, _, st := tp.lenient(c.in)
		var s string
		switch st {
		case whenOK:
			s = got.UTC().Format("2006-01-02 15:04")
		case whenPlaceholder:
			s = "skip"
		}
		if s != c.want {
			t.Errorf("%q: got %q, want %q", c.in, s, c.want)
		}
	}
	if _, _, st := (&timeParser{loc: time.UTC}).lenient("14:05"); st != whenNoDate {
		t.Errorf("a clock time with no date: %v", st)
	}
	if tm, ok := ParseDate("16:00 PDT", time.UTC); ok {
		t.Errorf("ParseDate read a time without a date: %v", tm)
	}
	if tm, ok := ParseDate("2024-03-13 16:00 PDT", time.UTC); !ok || tm.UTC().Hour() != 23 {
		t.Errorf("PDT: %v %v", tm, ok)
	}
}

func TestInferKind(t *testing.T) {
	env := New(Config{Kinds: testKinds}, nil)
	for text, want := range map[string]string{
		"Error-rate alert fires":                 "detection",
		"Sam was paged":                          "detection",
		"Rolled back to v41":                     "repair",
		"Restarted the pods":                     "repair",
		"Incident declared, status page updated": "communication",
		"Service recovered":                      "repair",
		"Deploy of v42 started":                  "trigger",
		"Found the leaking connection pool":      "diagnosis",
		"Coffee":                                 "note",
		"The alerting-rules repo was rebased":    "detection",
		"Unfixed bug":                            "note", // whole words only
	} {
		if got := env.inferKind(text); got != want {
			t.Errorf("%q: %s, want %s", text, got, want)
		}
	}
	// A kind the library does not know is not inferred.
	if got := New(Config{Kinds: []string{"note", "repair"}}, nil).inferKind("alert fired"); got != "note" {
		t.Errorf("unknown kind inferred: %s", got)
	}
}

func TestTimelineShapes(t *testing.T) {
	base := time.Date(2024, 10, 24, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ name, src, want string }{
		{"bold bullets", "## Timeline\n\n- **16:58 UTC** - alert fires\n- **17:05 UTC** - rolled back\n", "16:58 detection|17:05 repair"},
		{"dated bullets", "## Timeline of events\n\n- 24-10-2024 04:00 - deploy started\n- 24-10-2024 04:10 - paged\n", "04:00 trigger|04:10 detection"},
		{"one time column", "## Incident timeline\n\n| When | What |\n|--|--|\n| 09:00 - 11:00 | maintenance |\n| 11:05 | fixed |\n", "09:00 note|11:05 repair"},
		{"irregular row kept", "## Timeline\n\n| Time | Event |\n|--|--|\n| 10:00 | a |\n| later | b |\n| 10:30 | c |\n", "10:00 note|? note|10:30 note"},
		{"intro and outro stay prose", "## Timeline\n\nAll times UTC.\n\n- 10:00 a\n- 10:05 b\n\nThat was it.\n", "10:00 note|10:05 note"},
		{"not a timeline table", "## Timeline\n\n| Phase | Length |\n|--|--|\n| detect | long |\n", ""},
	} {
		b := New(Config{Kinds: testKinds}, nil).Render("r.md", []byte(c.src), 1, base)
		var got []string
		if b.Timeline != nil {
			for _, ev := range b.Timeline.Events {
				w := "?"
				if !ev.Time.IsZero() {
					w = ev.Time.UTC().Format("15:04")
				}
				got = append(got, w+" "+ev.Kind)
			}
		}
		if strings.Join(got, "|") != c.want {
			t.Errorf("%s: %s, want %s", c.name, strings.Join(got, "|"), c.want)
		}
		if c.name == "intro and outro stay prose" {
			h := b.HTML.String()
			if !strings.Contains(h, "<p>All times UTC.</p>") || !strings.Contains(h, "<p>That was it.</p>") {
				t.Errorf("prose around the events was taken:\n%s", h)
			}
		}
	}
}

// The timeline block and a Timeline table of before render as they did.
func TestTimelineBlockUnchanged(t *testing.T) {
	src := "## Timeline\n\n```timeline\n2024-05-21 13:58 | trigger | rollout starts\n14:11 | detection | alert pages @kim\n```\n"
	b := New(Config{Kinds: testKinds}, nil).Render("r.md", []byte(src), 1, time.Time{})
	if b.Timeline == nil || len(b.Timeline.Events) != 2 || b.Timeline.Events[0].InferredKind || len(b.Notes) != 0 {
		t.Fatalf("timeline %+v notes %v", b.Timeline, b.Notes)
	}
	if h := b.HTML.String(); strings.Contains(h, "inferred") || !strings.Contains(h, `<time datetime="2024-05-21T13:58:00Z" title="21 May 2024 13:58 UTC">21 May 13:58</time>`) {
		t.Errorf("HTML:\n%s", h)
	}
}

func TestHostileHTMLIsSanitised(t *testing.T) {
	src := strings.Join([]string{
		`<script>alert("x")</script>`,
		``,
		`<img src="x.png" onerror="alert(1)" style="width:100%" width="300" alt="graph">`,
		``,
		`<a href="javascript:alert(1)">click</a> and <a href="https://example.com/a" onclick="x()">ok</a>`,
		``,
		`<iframe src="https://evil.example"></iframe>`,
		``,
		`<svg onload="alert(1)"><circle r="1"/></svg>`,
		``,
		`<div style="background:url(javascript:alert(1))"><b>bold</b></div>`,
		``,
		`<table><tr><td colspan="2" onmouseover="x()">cell</td></tr></table>`,
		``,
		`<details><summary>More</summary>`,
		``,
		`Hidden *markdown*.`,
		``,
		`</details>`,
		``,
		`Inline <img src="data:image/svg+xml;base64,PHN2Zz4=" alt="d"> and <img src=https://x.example/g.png> <span onclick="x()">s</span>`,
		``,
		`<IMG SRC="jav&#x09;ascript:alert(1)"> <object data="x.swf"></object> <form action="x"><input></form>`,
	}, "\n")
	h := render(Config{}, "r.md", src).HTML.String()
	for _, bad := range []string{"<script", "alert(", "onerror", "onclick", "onmouseover", "onload", "style=", "javascript", "<iframe", "<svg", "<object", "<form", "<input", "data:image"} {
		if strings.Contains(strings.ToLower(h), bad) {
			t.Errorf("%q survived:\n%s", bad, h)
		}
	}
	for _, good := range []string{`<img src="x.png" width="300" alt="graph">`, `<a href="https://example.com/a"`, "<b>bold</b>", `<td colspan="2">cell</td>`,
		"<details><summary>More</summary>", "<em>markdown</em>", "</details>", `<img src="https://x.example/g.png">`, "<!-- raw HTML omitted -->"} {
		if !strings.Contains(h, good) {
			t.Errorf("%s was dropped:\n%s", good, h)
		}
	}
	// With unsafe_html, HTML is the author's, and only images are resolved.
	u := render(Config{UnsafeHTML: true, File: libFiles("media/g.png")}, "r.md", "<div onclick=\"x()\"><img src=\"media/g.png\"></div>\n").HTML.String()
	if u != "<div onclick=\"x()\"><img src=\"/media/g.png\"></div>\n" {
		t.Errorf("unsafe HTML: %q", u)
	}
}

// A body without raw HTML renders as it did; an HTML comment still says
// the HTML was omitted.
func TestNoRawHTMLUnchanged(t *testing.T) {
	b := render(Config{}, "r.md", "Words.\n\n<!-- guidance for authors -->\n\nMore <!-- inline --> words.\n")
	if want := "<p>Words.</p>\n<!-- raw HTML omitted -->\n<p>More <!-- raw HTML omitted --> words.</p>\n"; b.HTML.String() != want {
		t.Errorf("got %q\nwant %q", b.HTML.String(), want)
	}
}

func TestAssets(t *testing.T) {
	files := libFiles("post-mortems/2020/db.md", "media/x.png", "assets/images/y.png", "post-mortems/2020/z.png",
		"static/logo.png", "docs/runbook.md", "post-mortems/2020/logs/app.log")
	cfg := Config{BasePath: "/lib/", File: files}
	src := "![a](../../media/x.png) ![b](/assets/images/y.png) ![c](z.png?v=1) ![d](/logo.png) ![e](../../static/logo.png) " +
		"![f](https://x.example/f.png) ![g](missing.png) ![h](../../../up.png) [log](logs/app.log)\n"
	b := render(cfg, "post-mortems/2020/db.md", src)
	h := b.HTML.String()
	for _, want := range []string{`src="/lib/media/x.png"`, `src="/lib/assets/images/y.png"`, `src="/lib/post-mortems/2020/z.png?v=1"`,
		`src="/logo.png"`, `src="/lib/logo.png"`, `src="https://x.example/f.png"`, `src="missing.png"`, `href="/lib/post-mortems/2020/logs/app.log"`} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %s:\n%s", want, h)
		}
	}
	if got := strings.Join(b.Assets, ","); got != "media/x.png,assets/images/y.png,post-mortems/2020/z.png,post-mortems/2020/logs/app.log" {
		t.Errorf("assets %s", got)
	}
	notes := notesText(b)
	if !strings.Contains(notes, "post-mortems/2020/db.md:1:") || !strings.Contains(notes, "image not found: missing.png") || !strings.Contains(notes, "image outside the library: ../../../up.png") || len(b.Notes) != 2 {
		t.Errorf("notes:\n%s", notes)
	}
	// A bundle's images stay beside its page.
	env := New(Config{File: libFiles("r/db/index.md", "r/db/g.png")}, map[string]Target{"r/db/index.md": {Slug: "db", Dir: "r/db", Published: true}})
	bb := env.Render("r/db/index.md", []byte("![g](g.png) ![m](m.png)\n"), 1, time.Time{})
	if h := bb.HTML.String(); !strings.Contains(h, `src="g.png"`) || len(bb.Assets) != 0 || !strings.Contains(notesText(bb), "image not found: m.png") {
		t.Errorf("bundle: %s %v %v", h, bb.Assets, bb.Notes)
	}
	// Without Config.File nothing changes but static/.
	if b := render(Config{}, "a/r.md", "![x](media/x.png) ![s](../static/s.png)\n"); !strings.Contains(b.HTML.String(), `src="media/x.png"`) || !strings.Contains(b.HTML.String(), `src="/s.png"`) || len(b.Notes) != 0 {
		t.Errorf("without File: %s %v", b.HTML, b.Notes)
	}
}

func TestLinksToLibraryFiles(t *testing.T) {
	files := libFiles("reviews/a.md", "README.md", "runbooks/db.md")
	targets := map[string]Target{"reviews/a.md": {Slug: "a", Published: true}}
	src := "[readme](../README.md) [runbook](../runbooks/db.md#restart) [gone](../runbooks/gone.md) [a](a.md)\n"
	forge := func(p string) string { return "https://git.example/lib/blob/main/" + p }
	b := New(Config{File: files, Forge: forge}, targets).Render("reviews/a.md", []byte(src), 1, time.Time{})
	h := b.HTML.String()
	if !strings.Contains(h, `href="https://git.example/lib/blob/main/README.md"`) || !strings.Contains(h, `href="https://git.example/lib/blob/main/runbooks/db.md#restart"`) {
		t.Errorf("forge links:\n%s", h)
	}
	if len(b.Errors) != 1 || !strings.Contains(b.Errors[0].Error(), "reviews/a.md:1:61: link to a review that does not exist: ../runbooks/gone.md") {
		t.Errorf("errors %v", b.Errors)
	}
	if len(b.Notes) != 0 {
		t.Errorf("notes with a forge: %v", b.Notes)
	}
	nb := New(Config{File: files}, targets).Render("reviews/a.md", []byte(src), 1, time.Time{})
	if h := nb.HTML.String(); strings.Contains(h, "README") && strings.Contains(h, "href=\"../README.md\"") || !strings.Contains(h, "readme") {
		t.Errorf("without a forge:\n%s", h)
	}
	if len(nb.Notes) != 2 || !strings.Contains(nb.Notes[0].Error(), "reviews/a.md:1:1: link to ../README.md, a library file that is not a review") {
		t.Errorf("notes %v", nb.Notes)
	}
}
