package markdown

import (
	"os"
	"strings"
	"testing"
	"time"
)

var testKinds = []string{"trigger", "detection", "diagnosis", "hypothesis", "repair", "impact", "communication", "key-moment", "note"}

// libFiles is a Config.File over a fixed set of library paths.
func libFiles(paths ...string) func(string) bool {
	set := map[string]bool{}
	for _, p := range paths {
		set[p] = true
	}
	return func(p string) bool { return set[p] }
}

func renderFixture(t *testing.T, cfg Config, libPath, file string) *Body {
	t.Helper()
	src, err := os.ReadFile("testdata/bodies/" + file)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Kinds == nil {
		cfg.Kinds = testKinds
	}
	return New(cfg, nil).Render(libPath, src, 1, time.Time{})
}

func factValue(f *Fact) string {
	if f == nil {
		return "<nil>"
	}
	return f.Value
}

func notesText(b *Body) string {
	var s []string
	for _, n := range b.Notes {
		s = append(s, n.Error())
	}
	return strings.Join(s, "\n")
}

func TestGoogleSREBody(t *testing.T) {
	b := renderFixture(t, Config{}, "postmortems/465.md", "google-sre.md")
	s := b.Structure
	if got, want := factValue(s.Title), "Shakespeare Sonnet++ Postmortem (incident #465)"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	if s.Title.Line != 1 || b.H1 != s.Title.Value {
		t.Errorf("title at line %d, H1 %q", s.Title.Line, b.H1)
	}
	if got := factValue(s.Date); got != "2015-10-21" || s.Date.Line != 3 {
		t.Errorf("date %q at line %d, want 2015-10-21 at 3", got, s.Date.Line)
	}
	if got := factValue(s.Summary); !strings.HasPrefix(got, "Shakespeare Search down for 66 minutes") {
		t.Errorf("summary %q", got)
	}
	if got := s.Fields["authors"]; len(got) != 3 || got[1].Value != "martym" {
		t.Errorf("authors %v", got)
	}
	if got := s.Fields["root causes"]; len(got) == 0 {
		t.Errorf("no root causes field in %v", s.Fields)
	}
	if len(s.FollowUps) != 2 || s.FollowUps[0].Owner != "jennifer" || s.FollowUps[1].Owner != "martym" {
		t.Errorf("follow-ups %+v", s.FollowUps)
	}
	tl := b.Timeline
	if tl == nil {
		t.Fatal("no timeline from the bullets")
	}
	var kinds, whens []string
	for _, ev := range tl.Events {
		kinds = append(kinds, ev.Kind)
		if ev.Time.IsZero() {
			whens = append(whens, "?"+ev.When)
		} else {
			whens = append(whens, ev.Time.Format("01-02 15:04"))
		}
	}
	if got, want := strings.Join(whens, " "), "10-21 14:51 10-21 14:53 ?14:?? 10-21 14:54 10-21 14:55 10-21 15:01 10-21 15:28 10-21 15:34"; got != want {
		t.Errorf("times\n got %s\nwant %s", got, want)
	}
	if got, want := strings.Join(kinds, " "), "detection note detection trigger detection communication repair repair"; got != want {
		t.Errorf("kinds\n got %s\nwant %s", got, want)
	}
	if !tl.Events[0].InferredKind || tl.Events[1].InferredKind {
		t.Errorf("inferred flags %v %v", tl.Events[0].InferredKind, tl.Events[1].InferredKind)
	}
	if got := notesText(b); !strings.Contains(got, `postmortems/465.md:36:3: timeline: cannot read the time "14:??"; kept without a time`) {
		t.Errorf("notes:\n%s", got)
	}
	h := b.HTML.String()
	for _, want := range []string{`<span class="time time-unknown" title="time not read">14:??</span>`, `kind-inferred`, `<h2 id="lessons-learned">`} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %s", want)
		}
	}
	if strings.Contains(h, "14:51 News") || strings.Contains(h, "<h1") {
		t.Errorf("the bullets or the title heading stayed in the body:\n%s", h)
	}
	var heads []string
	for _, sec := range s.Sections {
		heads = append(heads, sec.Heading)
	}
	if got, want := strings.Join(heads, "|"), "|Lessons Learned|What went well|Action Items|Timeline"; got != want {
		t.Errorf("sections %q, want %q", got, want)
	}
	if !strings.Contains(s.Sections[2].Text, "high rate") || strings.Contains(s.Sections[2].Text, "flux capacitor") {
		t.Errorf("section text %q", s.Sections[2].Text)
	}
}

func TestHOWIEBody(t *testing.T) {
	b := renderFixture(t, Config{}, "incidents/24-10-2024-payments.md", "howie.md")
	s := b.Structure
	if got := factValue(s.Title); got != "Payment gateway timeouts" {
		t.Errorf("title %q", got)
	}
	if got := factValue(s.Date); got != "24-10-2024" || s.Date.From != "the date in the first heading" {
		t.Errorf("date %q from %q", got, s.Date.From)
	}
	if got := factValue(s.Severity); got != "SEV2" {
		t.Errorf("severity %q", got)
	}
	if got := s.Fields["systems"]; len(got) != 2 || got[0].Value != "payments-api" || got[1].Value != "ledger" {
		t.Errorf("systems %v", got)
	}
	if got := s.Fields["time to detection"]; len(got) != 1 || got[0].Value != "4 minutes" {
		t.Errorf("time to detection %v", got)
	}
	if got := factValue(s.Summary); !strings.HasPrefix(got, "Between 04:00 and 05:10 UTC") || s.Summary.From != "the summary section" {
		t.Errorf("summary %q", got)
	}
	if len(s.Factors) != 2 || s.Factors[1].Value != "The expiry alert went to an unmonitored mailbox" || s.Factors[0].Line != 28 {
		t.Errorf("factors %+v", s.Factors)
	}
	want := []FollowUp{
		{Title: "Automate certificate renewal", Status: "done", Owner: "Dana", Line: 33},
		{Title: "Route expiry alerts to the on-call rotation", Status: "open", Owner: "kim", Line: 34},
		{Title: "Audit all certificates", Status: "open", Owner: "Lee", Line: 35},
	}
	if len(s.FollowUps) != len(want) {
		t.Fatalf("follow-ups %+v", s.FollowUps)
	}
	for i := range want {
		if s.FollowUps[i] != want[i] {
			t.Errorf("follow-up %d: %+v, want %+v", i, s.FollowUps[i], want[i])
		}
	}
	var people []string
	for _, p := range s.People {
		people = append(people, p.Value)
	}
	if got := strings.Join(people, ","); got != "Payments SRE,DK,Lee Park,sam" {
		t.Errorf("people %s", got)
	}
	tl := b.Timeline
	if tl == nil || len(tl.Events) != 5 {
		t.Fatalf("timeline %+v", tl)
	}
	e := tl.Events
	if e[0].Time.Format("2006-01-02 15:04") != "2024-10-24 04:00" || e[1].Time.Format("15:04") != "04:04" || e[1].Kind != "detection" {
		t.Errorf("first events %v %v %s", e[0].Time, e[1].Time, e[1].Kind)
	}
	if !e[2].Time.IsZero() || e[2].When != "04:??" || !strings.Contains(e[2].Text, "Customer support") {
		t.Errorf("unreadable row %+v", e[2])
	}
	if e[3].Time.Format("15:04") != "04:30" || e[3].Kind != "repair" {
		t.Errorf("approximate row %v %s", e[3].Time, e[3].Kind)
	}
	if !e[4].DateOnly || e[4].Time.Format("2006-01-02") != "2024-10-25" {
		t.Errorf("date-only row %+v", e[4])
	}
	if e[3].Gap != 26*time.Minute {
		t.Errorf("gap over the untimed row %v", e[3].Gap)
	}
	if got := notesText(b); !strings.Contains(got, `incidents/24-10-2024-payments.md:21:5: timeline: cannot read the time "04:??"`) || strings.Count(got, "\n") != 0 {
		t.Errorf("notes:\n%s", got)
	}
	if h := b.HTML.String(); !strings.Contains(h, `<time datetime="2024-10-25">25 Oct</time>`) || strings.Contains(h, "HH:mm") {
		t.Errorf("timeline HTML:\n%s", h)
	}
}

func TestWikiExportBody(t *testing.T) {
	cfg := Config{File: libFiles("2022/06/export.md", "2022/06/media/export-failures.png", "README.md")}
	b := renderFixture(t, cfg, "2022/06/export.md", "wiki-export.md")
	s := b.Structure
	if s.Title != nil || b.H1 != "" {
		t.Errorf("title %v, H1 %q, from a body without one", s.Title, b.H1)
	}
	if got := factValue(s.Summary); !strings.HasPrefix(got, "The nightly batch export") || s.Summary.Line != 7 {
		t.Errorf("summary %q (line %d): link, byline and severity lines are not the lead", got, s.Summary.Line)
	}
	if factValue(s.Severity) != "SEV3" {
		t.Errorf("severity %v", s.Severity)
	}
	if got := factValue(s.Date); got != "June 14th, 2022, 10:00 AM" {
		t.Errorf("date from the timeline %q", got)
	}
	var people []string
	for _, p := range s.People {
		people = append(people, p.Value)
	}
	if got := strings.Join(people, ","); got != "Ana,Ben,CJ" {
		t.Errorf("people %s", got)
	}
	if len(s.FollowUps) != 2 || s.FollowUps[1].Status != "open" {
		t.Errorf("follow-ups %+v", s.FollowUps)
	}
	if tl := b.Timeline; tl == nil || len(tl.Events) != 3 || tl.Events[2].Time.Format("2006-01-02 15:04") != "2022-06-17 09:12" || tl.Events[2].Kind != "detection" {
		t.Errorf("timeline %+v", tl)
	}
	h := b.HTML.String()
	for _, want := range []string{`<img src="/2022/06/media/export-failures.png" alt="graph">`, `<img src="../assets/images/lag.png" width="600">`} {
		if !strings.Contains(h, want) {
			t.Errorf("HTML lacks %s:\n%s", want, h)
		}
	}
	if strings.Contains(h, "onerror") || strings.Contains(h, `README.md"`) {
		t.Errorf("HTML kept a handler or the README link:\n%s", h)
	}
	if got := strings.Join(b.Assets, ","); got != "2022/06/media/export-failures.png" {
		t.Errorf("assets %s", got)
	}
	notes := notesText(b)
	for _, want := range []string{
		"2022/06/export.md:1:1: link to ../../README.md, a library file that is not a review",
		"2022/06/export.md:11:86: image not found: ../assets/images/lag.png",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if len(b.Errors) != 0 {
		t.Errorf("errors %v", b.Errors)
	}
}

// A note names a key line with the right article: "an Incident date: line".
func TestKeyLineArticle(t *testing.T) {
	b := New(Config{Kinds: testKinds}, nil).Render("pm.md", []byte("**Incident date:** 2021-03-08\n\nDate of the call is below.\n"), 1, time.Time{})
	if b.Structure.Date == nil {
		t.Fatalf("no date read: %+v", b.Structure)
	}
	if got := b.Structure.Date.From; got != "an Incident date: line" {
		t.Errorf("date from %q, want %q", got, "an Incident date: line")
	}
	for key, want := range map[string]string{"Date": "a", "Owner": "an", "Event": "an", "User": "a", "": "a"} {
		if got := article(key); got != want {
			t.Errorf("article(%q) = %q, want %q", key, got, want)
		}
	}
}
