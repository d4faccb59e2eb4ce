package site

import (
	"html/template"
	"strings"
	"testing"
	"time"
)

func TestCountWordsIsLenFields(t *testing.T) {
	for _, s := range []string{
		"", " ", "one", " one  two\tthree\nfour\r\nfive\vsix\fseven ",
		"héllo wörld", "a\u00a0b", "x\u2003y\u3000z", "\u0085lead", "trail\u2028",
		"\xff\xfe broken utf8 \xc3", "mixed, punctuation! and-dashes",
	} {
		if got, want := countWords([]byte(s)), len(strings.Fields(s)); got != want {
			t.Errorf("countWords(%q) = %d, want %d", s, got, want)
		}
	}
}

func FuzzCountWords(f *testing.F) {
	f.Add("a b\u00a0c")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := countWords([]byte(s)), len(strings.Fields(s)); got != want {
			t.Errorf("countWords(%q) = %d, want %d", s, got, want)
		}
	})
}

// Reviews with the same section share its contents entry, so a theme's
// cached fragment for it renders once.
func TestTOCEntriesAreShared(t *testing.T) {
	env := newRenderEnv(&Config{}, map[string]*source{})
	render := func(src string) body {
		return env.renderBody("r.md", []byte(src), 1, &reviewContext{}, false)
	}
	a := render("## Impact\n\nx\n\n## Timeline\n")
	b := render("## Summary\n\n## Impact\n")
	if len(a.TOC) != 2 || len(b.TOC) != 2 {
		t.Fatalf("TOC %v and %v", a.TOC, b.TOC)
	}
	if a.TOC[0] != b.TOC[1] {
		t.Errorf("two %q entries are different pointers", a.TOC[0].Text)
	}
	if a.TOC[1] == b.TOC[0] {
		t.Errorf("%q and %q are one entry", a.TOC[1].Text, b.TOC[0].Text)
	}
}

// timeTag must write what the markup it replaced wrote.
func TestTimeTagMatchesTemplate(t *testing.T) {
	r := &Renderer{}
	tmpl := template.Must(template.New("t").Funcs(r.funcs()).Parse(
		`<time datetime="{{rfc3339 .T}}" title="{{datetime .T}}">{{if eq (isodate .T) (isodate .Ref)}}{{.T.Format "15:04 MST"}}{{else}}{{datetime .T}}{{end}}</time>`))
	var zones []*time.Location
	for _, name := range []string{"UTC", "Asia/Kolkata", "America/Sao_Paulo", "Asia/Dubai", "Europe/Berlin"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Fatal(err)
		}
		zones = append(zones, loc)
	}
	zones = append(zones, time.FixedZone("", 5*3600+1800), time.FixedZone("<b>&'\"", -3600))
	for _, loc := range zones {
		at := time.Date(2024, 3, 9, 23, 30, 0, 0, loc)
		for _, ref := range []time.Time{at, at.Add(-2 * time.Hour), at.Add(2 * time.Hour), {}} {
			var want strings.Builder
			if err := tmpl.Execute(&want, map[string]time.Time{"T": at, "Ref": ref}); err != nil {
				t.Fatal(err)
			}
			if got := string(timeTag(at, ref)); got != want.String() {
				t.Errorf("timeTag(%v, %v):\n got %s\nwant %s", at, ref, got, want.String())
			}
		}
	}
	if got := timeTag(time.Time{}, time.Now()); got != "" {
		t.Errorf("zero time: %q", got)
	}
}
