package slack

import (
	"archive/zip"
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/render"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

const exportDir = "testdata/export"

var channels = []string{"search-incident", "#incident-comms"}

// library loads the test library for its people and time zone.
func library(t *testing.T) *site.Site {
	t.Helper()
	s, err := site.Load(context.Background(), os.DirFS("testdata/library"), site.Options{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// zipDir packs a folder as a .zip in memory, under prefix.
func zipDir(t *testing.T, dir, prefix string) fs.FS {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		w, err := zw.Create(prefix + filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	return zr
}

func timeline(t *testing.T, fsys fs.FS, opts Options) *Result {
	t.Helper()
	x, err := Open(fsys, "export")
	if err != nil {
		t.Fatal(err)
	}
	res, err := x.Timeline(opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// The block made from the fixture export is the golden file, whether the
// export is a folder, a .zip, or a .zip of the folder.
func TestTimelineGolden(t *testing.T) {
	s := library(t)
	opts := Options{Channels: channels, Location: s.Config.Location, People: s.People}
	got := Block(timeline(t, os.DirFS(exportDir), opts).Events)
	golden := "testdata/timeline.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("block differs from %s (run go test -update after checking):\n%s", golden, got)
	}
	for _, prefix := range []string{"", "slack-export/"} {
		if z := Block(timeline(t, zipDir(t, exportDir, prefix), opts).Events); z != got {
			t.Errorf("zip with prefix %q gives another block:\n%s", prefix, z)
		}
	}
}

func TestTimelineEvents(t *testing.T) {
	s := library(t)
	res := timeline(t, os.DirFS(exportDir), Options{Channels: channels, Location: s.Config.Location, People: s.People})
	text := ""
	for i, ev := range res.Events {
		if i > 0 && ev.Time.Before(res.Events[i-1].Time) {
			t.Errorf("event %d out of order", i)
		}
		if ev.Time.Location() != s.Config.Location {
			t.Errorf("event %d in %v", i, ev.Time.Location())
		}
		text += ev.Text + "\n"
	}
	for _, want := range []string{
		"@priya-raman joined #search-incident",                // by name
		"@sam-lee: Could it be",                               // by the profile's slack: ID
		"@tomas-novak: [heap after the swap](",                // by e-mail local part only
		"@amara-okafor: Status page",                          // by display name, a responder with no profile
		"@lena-fischer: Customers see timeouts on search (EU", // the edit's text, not the original
		"@amara-okafor: Confirmed from the customer side",     // a thread reply, in time order
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
	for _, absent := range []string{"Triggered", "Acknowledged", "lunch", "Customers see timeouts\n"} {
		if strings.Contains(text, absent) {
			t.Errorf("%q should be skipped:\n%s", absent, text)
		}
	}
	if len(res.Unmatched) != 1 || res.Unmatched[0].ID != "lena-fischer" || res.Unmatched[0].Profile() != "people/lena-fischer.md" {
		t.Fatalf("unmatched: %+v", res.Unmatched)
	}
	if got, want := res.Unmatched[0].ProfileText(), "---\nname: Lena Fischer\nslack: U04LENA\nemail: lena.fischer@example.com\n---\n"; got != want {
		t.Errorf("profile:\n%s\nwant:\n%s", got, want)
	}
	// With a profile as suggested, she is matched.
	lib := os.DirFS("testdata/library")
	withProfile := render.Overlay{Upper: fstest.MapFS{"people/lena-fischer.md": {Data: []byte(res.Unmatched[0].ProfileText())}}, Lower: lib}
	s2, err := site.Load(context.Background(), withProfile, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res := timeline(t, os.DirFS(exportDir), Options{Channels: channels, Location: s2.Config.Location, People: s2.People}); len(res.Unmatched) != 0 {
		t.Errorf("still unmatched: %v", res.Unmatched)
	}
}

func TestTimelinePeriod(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/London")
	from, err := ParseTime("2024-06-14 23:42", loc, false)
	if err != nil {
		t.Fatal(err)
	}
	to, err := ParseTime("2024-06-15 00:10", loc, true)
	if err != nil {
		t.Fatal(err)
	}
	res := timeline(t, os.DirFS(exportDir), Options{Channels: channels, Location: loc, From: from, To: to})
	lines := Lines(res.Events)
	if len(lines) != 6 || !strings.HasPrefix(lines[0], "2024-06-14 23:42 ") || !strings.HasPrefix(lines[5], "2024-06-15 00:10 ") {
		t.Errorf("from 23:42 to 00:10 inclusive:\n%s", strings.Join(lines, "\n"))
	}
	day, _ := ParseTime("2024-06-14", loc, true)
	if want := time.Date(2024, 6, 15, 0, 0, 0, 0, loc); !day.Equal(want) {
		t.Errorf("--to 2024-06-14 ends at %v, want %v", day, want)
	}
	for _, bad := range []string{"yesterday", "2024-13-01", "14:00", "2024-06-14 25:00"} {
		if _, err := ParseTime(bad, loc, false); err == nil {
			t.Errorf("%q read as a time", bad)
		}
	}
}

func TestMarkdown(t *testing.T) {
	x := &Export{Users: map[string]*User{
		"U1": {ID: "U1", Name: "priya", RealName: "Priya Raman"},
	}, Channels: []*Channel{{ID: "C9", Name: "ops"}}}
	m := newMatcher(x, []*site.Person{{ID: "priya-raman", Name: "Priya Raman"}})
	for _, c := range []struct{ in, want string }{
		{"plain words", "plain words"},
		{"<@U1> look", "@priya-raman look"},
		{"<@U1|priya> look", "@priya-raman look"},
		{"<@U404>", "@u404"},
		{"see <https://x.example/a?b=1&amp;c=2|the *graph*>", "see [the **graph**](https://x.example/a?b=1&c=2)"},
		{"<https://x.example/>", "https://x.example/"},
		{"<mailto:ops@example.com|ops@example.com>", "[ops@example.com](mailto:ops@example.com)"},
		{"<#C9|ops> and <#C9>", "#ops and #ops"},
		{"<!here> <!channel> <!subteam^S1|@oncall>", "!here !channel !oncall"},
		{"*bold* _italic_ ~gone~", "**bold** *italic* ~~gone~~"},
		{"*bold with _italic_ inside*", "**bold with *italic* inside**"},
		{"snake_case_name and 2*3*4 and a * b", `snake_case_name and 2\*3\*4 and a \* b`},
		{"`*not bold*` and `a &lt; b`", "`*not bold*` and `a < b`"},
		{"```\nSELECT 1;\nSELECT 2;\n```", "`SELECT 1; / SELECT 2;`"},
		{"a &lt;b&gt; &amp; c", `a \<b> & c`},
		{"[not a link](x)", `\[not a link\](x)`},
		{"line one\n\nline two", "line one / line two"},
		{"unclosed `tick and <angle", "unclosed \\`tick and \\<angle"},
	} {
		if got := m.markdown(c.in); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}

// The generated block, spliced into a review, builds, and its events
// carry the kinds, qualifiers and sources the conversation gave.
func TestBlockBuilds(t *testing.T) {
	s := library(t)
	res := timeline(t, os.DirFS(exportDir), Options{Channels: channels, Location: s.Config.Location, People: s.People})
	const rev = "reviews/2024-06-14-search-alias.md"
	src, err := os.ReadFile("testdata/library/" + rev)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Splice(rev, src, res.Events)
	if err != nil {
		t.Fatal(err)
	}
	lib := render.Overlay{Upper: fstest.MapFS{rev: {Data: out}}, Lower: os.DirFS("testdata/library")}
	s2, err := site.Load(context.Background(), lib, site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tl := s2.Reviews[0].Timeline
	if tl == nil || len(tl.Events) != len(res.Events) {
		t.Fatalf("timeline %+v, want %d events", tl, len(res.Events))
	}
	joins := 0
	for i, ev := range tl.Events {
		want := res.Events[i]
		if !ev.Time.Equal(want.Time.Truncate(time.Minute)) || ev.Kind != want.Kind || ev.Qualifier != want.Qualifier || ev.Source != want.Source {
			t.Errorf("event %d: %v %s/%s #%s, want %v %s/%s #%s", i, ev.Time, ev.Kind, ev.Qualifier, ev.Source, want.Time, want.Kind, want.Qualifier, want.Source)
		}
		if ev.Kind == "responder" && ev.Qualifier == "joins" {
			joins++
		}
	}
	if joins != 3 {
		t.Errorf("%d joins, want 3", joins)
	}
	if p := s2.People; !hasPerson(p, "lena-fischer") || !hasPerson(p, "tomas-novak") {
		t.Errorf("people named by the timeline missing")
	}
}

func hasPerson(ps []*site.Person, id string) bool {
	for _, p := range ps {
		if p.ID == id && p.Events > 0 {
			return true
		}
	}
	return false
}

func TestSplice(t *testing.T) {
	evs := []Event{{Time: time.Date(2024, 6, 14, 23, 40, 0, 0, time.UTC), Kind: "note", Source: "ops", Text: "@sam: hi"}}
	line := "2024-06-14 23:40 | note [#ops] | @sam: hi"
	example := "````markdown\n```timeline\n2024-01-01 10:00 | note | example\n```\n````\n"
	for _, c := range []struct{ name, in, want string }{
		{"replace", "---\ntitle: x\n---\nIntro.\n\n```timeline\nold 1\nold 2\n```\n\nAfter.\n", "---\ntitle: x\n---\nIntro.\n\n```timeline\n" + line + "\n```\n\nAfter.\n"},
		{"fences kept", "~~~~ timeline {.wide}\nold\n~~~~\ntail", "~~~~ timeline {.wide}\n" + line + "\n~~~~\ntail"},
		{"crlf", "A\r\n```timeline\r\nold\r\n```\r\nB\r\n", "A\r\n```timeline\r\n" + line + "\r\n```\r\nB\r\n"},
		{"example skipped", example + "\n```timeline\nold\n```\n", example + "\n```timeline\n" + line + "\n```\n"},
		{"append", example, example + "\n## Timeline\n\n```timeline\n" + line + "\n```\n"},
		{"append without newline", "Text", "Text\n\n## Timeline\n\n```timeline\n" + line + "\n```\n"},
		{"front matter fence", "---\nnote: |\n  ```timeline\n---\nBody\n", "---\nnote: |\n  ```timeline\n---\nBody\n\n## Timeline\n\n```timeline\n" + line + "\n```\n"},
	} {
		got, err := Splice("r.md", []byte(c.in), evs)
		if err != nil || string(got) != c.want {
			t.Errorf("%s: got %q, %v\nwant %q", c.name, got, err, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"a\n```timeline\nx\n```\nb\n```timeline\ny\n```\n", "r.md:6:1: a second timeline block"},
		{"a\n\n```timeline\nx\n", "r.md:3:1: the timeline block is never closed"},
	} {
		if _, err := Splice("r.md", []byte(c.in), evs); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%q: %v, want %s", c.in, err, c.want)
		}
	}
}

func TestLinesDates(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/London")
	at := func(s string) Event {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return Event{Time: tm.In(loc), Kind: "note", Text: "x"}
	}
	got := strings.Join(Lines([]Event{
		at("2024-10-26T23:50:00Z"), // 00:50 BST on the 27th
		at("2024-10-27T00:20:00Z"), // 01:20 BST
		at("2024-10-27T01:10:00Z"), // 01:10 GMT: the clock went back
		at("2024-10-27T01:30:00Z"),
	}), "\n")
	want := "2024-10-27 00:50       | note | x\n01:20                  | note | x\n2024-10-27 01:10 +0000 | note | x\n01:30                  | note | x"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestExportErrors(t *testing.T) {
	good := func() fstest.MapFS {
		fsys := fstest.MapFS{}
		_ = fs.WalkDir(os.DirFS(exportDir), ".", func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				data, _ := fs.ReadFile(os.DirFS(exportDir), p)
				fsys[p] = &fstest.MapFile{Data: data}
			}
			return err
		})
		return fsys
	}
	for _, c := range []struct {
		name   string
		change func(fstest.MapFS)
		chans  []string
		want   string
	}{
		{"syntax", func(f fstest.MapFS) { f["users.json"].Data = []byte("[\n  {\"id\": \"U1\",}\n]") }, channels,
			`export/users.json:2:15: JSON: invalid character '}' looking for beginning of object key string`},
		{"type", func(f fstest.MapFS) { f["channels.json"].Data = []byte(`[{"id": 7}]`) }, channels,
			`export/channels.json:1:9: JSON: id must be string, not number`},
		{"missing", func(f fstest.MapFS) { delete(f, "users.json") }, channels,
			`export/users.json: missing: a Slack export has users.json`},
		{"day file", func(f fstest.MapFS) {
			f["incident-comms/2024-06-14.json"].Data = []byte("[\n{\"ts\": \"1\"}\n,,]")
		}, channels, `export/incident-comms/2024-06-14.json:3:2: JSON: invalid character ','`},
		{"unknown channel", func(fstest.MapFS) {}, []string{"search-incident", "incidnet-comms", "nope"},
			"export/channels.json: no channel \"incidnet-comms\" in the export (it has incident-comms, random, search-incident)\nexport/channels.json: no channel \"nope\""},
		{"no channel", func(fstest.MapFS) {}, nil, "export/channels.json: no channel chosen"},
	} {
		f := good()
		c.change(f)
		x, err := Open(f, "export")
		if err == nil {
			_, err = x.Timeline(Options{Channels: c.chans})
		}
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: %v\nwant %s", c.name, err, c.want)
		}
		var el site.ErrorList
		if err != nil && !asList(err, &el) {
			t.Errorf("%s: %T, want a site.ErrorList", c.name, err)
		}
	}
}

func asList(err error, el *site.ErrorList) bool {
	l, ok := err.(site.ErrorList)
	*el = l
	return ok
}
