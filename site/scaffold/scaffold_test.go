package scaffold_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/casebook/casebook/site/frontmatter"

	"github.com/casebook/casebook/site"
	"github.com/casebook/casebook/site/scaffold"
)

var day = time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)

func config(t *testing.T, yaml string) *site.Config {
	t.Helper()
	cfg, errs := site.ReadConfig(fstest.MapFS{"casebook.yaml": {Data: []byte(yaml)}})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return cfg
}

// Every built-in template, rendered for libraries with and without
// settings, must load cleanly as a draft, carry the front matter casebook
// promises, and have every section it requires.
func TestBuiltinTemplatesLoad(t *testing.T) {
	settings := map[string]string{
		"bare": "",
		"configured": `title: Acme
timezone: America/New_York
severities: [SEV1, SEV2, SEV3]
timeline_kinds: [escalation]
taxonomies:
  - {key: teams, title: Teams, field: teams}
  - {key: technologies, title: Technologies, field: technologies}
vocabulary:
  technologies:
    kubernetes: {title: Kubernetes, aliases: [k8s]}
`,
	}
	builtins := scaffold.Builtin()
	if len(builtins) != 2 || builtins[0].Name != "google" || builtins[1].Name != "howie" {
		t.Fatalf("built-in templates: %v", builtins)
	}
	for _, tmpl := range builtins {
		for name, yaml := range settings {
			t.Run(tmpl.Name+"/"+name, func(t *testing.T) {
				cfg := config(t, yaml)
				title := `Checkout errors: "timeouts" after the gateway's change`
				out, err := tmpl.Render(scaffold.Data{Title: title, Date: day, Config: cfg})
				if err != nil {
					t.Fatal(err)
				}
				file, err := scaffold.FileName(title, day)
				if err != nil {
					t.Fatal(err)
				}
				lib := fstest.MapFS{"reviews/" + file: {Data: out}}
				if yaml != "" {
					lib["casebook.yaml"] = &fstest.MapFile{Data: []byte(yaml)}
				}
				s, err := site.Load(context.Background(), lib, site.Options{Drafts: true, Now: day})
				if err != nil {
					t.Fatalf("the new review does not load:\n%v\n%s", err, out)
				}
				r := s.Reviews[0]
				if r.Title != title || !r.Draft() || r.Date.Format("2006-01-02") != "2026-01-02" || r.Params["template"] != tmpl.Name {
					t.Errorf("title %q draft %v date %v template %v", r.Title, r.Draft(), r.Date, r.Params["template"])
				}
				if r.Severity != "" || len(r.FollowUps) != 0 || len(r.Responders) != 0 {
					t.Errorf("placeholders leaked into the model: severity %q, %d follow-ups, %d responders", r.Severity, len(r.FollowUps), len(r.Responders))
				}
				if s, err := site.Load(context.Background(), lib, site.Options{Now: day}); err != nil || len(s.Reviews) != 0 {
					t.Errorf("a new review is a draft, left out of a build without drafts: %v", err)
				}
				fm, errs := frontmatter.Parse(file, out)
				if len(errs) > 0 {
					t.Fatal(errs)
				}
				for _, tax := range cfg.Taxonomies {
					if n := fm.Fields.Get(tax.Field); n == nil || n.Kind != frontmatter.ListNode || len(n.Items) != 0 {
						t.Errorf("%s: want an empty list", tax.Field)
					}
				}
				for _, k := range []string{"responders", "investigators", "follow_ups"} {
					if n := fm.Fields.Get(k); n == nil || n.Kind != frontmatter.ListNode {
						t.Errorf("%s: want an empty list", k)
					}
				}
				for _, k := range []string{"summary", "severity"} {
					if fm.Fields.Get(k) == nil {
						t.Errorf("%s: missing", k)
					}
				}
				text := string(out)
				for _, want := range []string{"#  - title:", "#    owner:", "#    due: 2026-02-02", "```timeline\n# 2026-01-02 ", "@alex-doe", "<!--"} {
					if !strings.Contains(text, want) {
						t.Errorf("missing %q", want)
					}
				}
				if len(cfg.Severities) > 0 && !strings.Contains(text, "one of SEV1, SEV2, SEV3") {
					t.Error("the severity comment does not list the library's severities")
				}
				if strings.Contains(yaml, "escalation") && !strings.Contains(text, "key-moment, note, escalation") {
					t.Error("the timeline guidance does not list the library's kinds")
				}
				var heads []string
				for _, h := range r.Headings {
					heads = append(heads, h)
				}
				for _, sec := range tmpl.Sections {
					found := false
					for _, h := range heads {
						found = found || sec.Matches(h)
					}
					if !found {
						t.Errorf("required section %q is not in the template's own body", sec)
					}
				}
			})
		}
	}
}

func TestBuiltinSections(t *testing.T) {
	want := map[string]string{
		"google": "Summary, Impact, Contributing factors, Trigger, Detection, Resolution, Lessons learned, Timeline",
		"howie":  "Summary, Key takeaways, Incident narrative, Difficulties during handling, Contributing factors, Questions for the reader",
	}
	for _, tmpl := range scaffold.Builtin() {
		var got []string
		for _, s := range tmpl.Sections {
			got = append(got, s.String())
		}
		if strings.Join(got, ", ") != want[tmpl.Name] {
			t.Errorf("%s: sections %q", tmpl.Name, got)
		}
		if tmpl.Description == "" || !tmpl.Builtin || tmpl.Path != "builtin:"+tmpl.Name {
			t.Errorf("%s: %+v", tmpl.Name, tmpl)
		}
	}
}

func TestSectionMatches(t *testing.T) {
	s := scaffold.Section{Names: []string{"Contributing factors", "Root causes"}}
	for h, want := range map[string]bool{
		"Contributing factors":           true,
		"contributing  FACTORS":          true,
		"Contributing factors (summary)": true,
		"Root causes":                    true,
		"Root-causes":                    true,
		"Contributing":                   false,
		"Contributing factorsX":          false,
		"Other contributing factors":     false,
	} {
		if got := s.Matches(h); got != want {
			t.Errorf("Matches(%q) = %v", h, got)
		}
	}
}

func TestLibraryTemplate(t *testing.T) {
	lib := fstest.MapFS{
		"templates/Short Form.md": {Data: []byte(`---
description: For SEV3 and below.
required_sections: [What happened, "Next steps|Follow-ups"]
front_matter: |
  incident_id:            # INC-NNNN
  customer_visible: false
---
## What happened

<!-- {{.Title}} on {{.Date}} ({{.Template}}, {{.Library}}) -->

## Next steps
`)},
		"templates/google.md": {Data: []byte("---\nrequired_sections: [Only this]\n---\n## Only this\n")},
		"casebook.yaml":       {Data: []byte("title: Acme\n")},
	}
	ts, errs := scaffold.Templates(lib)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	var names []string
	for _, x := range ts {
		names = append(names, x.Name)
	}
	if strings.Join(names, " ") != "google short-form howie" {
		t.Fatalf("templates: %v", names)
	}
	if ts[0].Builtin || len(ts[0].Sections) != 1 {
		t.Errorf("the library's google.md must replace the built-in one: %+v", ts[0])
	}
	tmpl, err := scaffold.Lookup(lib, "Short Form")
	if err != nil {
		t.Fatal(err)
	}
	if len(tmpl.Sections) != 2 || strings.Join(tmpl.Sections[1].Names, "|") != "Next steps|Follow-ups" {
		t.Errorf("sections: %+v", tmpl.Sections)
	}
	cfg := config(t, "title: Acme\n")
	out, err := tmpl.Render(scaffold.Data{Title: "Queue stuck", Date: day, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, want := range []string{"template: short-form", "incident_id:            # INC-NNNN\ncustomer_visible: false\n---\n", "<!-- Queue stuck on 2026-01-02 (short-form, Acme) -->"} {
		if !strings.Contains(text, want) {
			t.Errorf("missing %q in\n%s", want, text)
		}
	}
	s, err := site.Load(context.Background(), fstest.MapFS{"reviews/2026-01-02-queue-stuck.md": {Data: out}}, site.Options{Drafts: true, Now: day})
	if err != nil {
		t.Fatal(err)
	}
	if s.Reviews[0].Params["customer_visible"] != false {
		t.Errorf("params: %v", s.Reviews[0].Params)
	}
	if _, err := scaffold.Lookup(lib, "nope"); err == nil || !strings.Contains(err.Error(), "have google, howie, short-form") {
		t.Errorf("unknown template: %v", err)
	}
}

func TestTemplateErrors(t *testing.T) {
	for name, tc := range map[string]struct{ src, want string }{
		"unknown key":       {"---\nrequired_section: [A]\n---\n", `t.md:2:1: template: unknown key "required_section" (want description, required_sections or front_matter)`},
		"sections not text": {"---\nrequired_sections:\n  - {a: b}\n---\n", "t.md:3:6: required_sections: each item must be a heading's text"},
		"sections mapping":  {"---\nrequired_sections: {a: b}\n---\n", "t.md:2:21: required_sections must be a list of headings"},
		"empty section":     {"---\nrequired_sections: [A, \"|\"]\n---\n", `t.md:2:24: required_sections: "|" is not a heading`},
		"body syntax":       {"---\ndescription: x\n---\n## A\n\n{{.Title}\n", "t.md:6: template: bad character U+007D '}'"},
		"body field":        {"---\n---\n{{.Nope}}\n", "t.md:3: builtin"},
		"bad front matter":  {"---\nfront_matter: |\n  a: [b\n---\n", "t.md:2:1: front_matter: the new review's front matter would not parse"},
		"yaml":              {"---\ndescription: [\n---\n", "t.md:2:"},
	} {
		t.Run(name, func(t *testing.T) {
			_, errs := scaffold.Parse("t", "t.md", []byte(tc.src))
			if name == "body field" {
				// Fields that do not exist are found when the template runs.
				if len(errs) != 1 || !strings.Contains(errs[0].Msg, "Nope") {
					t.Fatalf("got %v", errs)
				}
				return
			}
			if len(errs) == 0 || !strings.HasPrefix(errs.Error(), tc.want) {
				t.Fatalf("got %v\nwant prefix %s", errs, tc.want)
			}
		})
	}
	// A broken library template is reported by Lookup, not replaced by a
	// built-in one of the same name.
	lib := fstest.MapFS{"templates/google.md": {Data: []byte("---\nbogus: 1\n---\n")}}
	if _, err := scaffold.Lookup(lib, "google"); err == nil || !strings.Contains(err.Error(), "templates/google.md:2:1") {
		t.Errorf("Lookup: %v", err)
	}
}

func TestFileName(t *testing.T) {
	for title, want := range map[string]string{
		"Kafka consumer lag":                     "2026-01-02-kafka-consumer-lag.md",
		"The gateway’s timeout: 5s (not 30s)!":   "2026-01-02-the-gateways-timeout-5s-not-30s.md",
		"Ödeme hatası":                           "2026-01-02-ödeme-hatası.md",
		strings.Repeat("very long title ", 8):    "2026-01-02-very-long-title-very-long-title-very-long-title-very-long.md",
		"Search cluster RED after a shard move ": "2026-01-02-search-cluster-red-after-a-shard-move.md",
	} {
		got, err := scaffold.FileName(title, day)
		if err != nil || got != want {
			t.Errorf("FileName(%q) = %q, %v; want %q", title, got, err, want)
		}
	}
	if _, err := scaffold.FileName("!!!", day); err == nil {
		t.Error("a title without letters must be refused")
	}
}

func TestReviewDir(t *testing.T) {
	md := &fstest.MapFile{Data: []byte("---\ntitle: x\ndate: 2024-01-01\n---\n")}
	for name, tc := range map[string]struct {
		lib  fstest.MapFS
		want string
	}{
		"empty library":  {fstest.MapFS{"casebook.yaml": {Data: []byte("title: x\n")}}, "reviews"},
		"reviews folder": {fstest.MapFS{"reviews/a.md": md, "notes/b.md": md}, "reviews"},
		"root layout":    {fstest.MapFS{"2024-01-01-a.md": md, "2024-02-01-b.md": md, "README.md": md}, "."},
		"nested layout":  {fstest.MapFS{"incidents/2024/a.md": md, "incidents/2024/b.md": md, "incidents/2023/c.md": md}, "incidents/2024"},
		"globs":          {fstest.MapFS{"casebook.yaml": {Data: []byte("reviews: [\"postmortems/*.md\"]\n")}, "postmortems/a.md": md}, "postmortems"},
		"glob tree":      {fstest.MapFS{"casebook.yaml": {Data: []byte("reviews: [\"docs/incidents/**\"]\n")}}, "docs/incidents"},
	} {
		t.Run(name, func(t *testing.T) {
			cfg, _ := site.ReadConfig(tc.lib)
			if got := scaffold.ReviewDir(tc.lib, cfg); got != tc.want {
				t.Errorf("ReviewDir = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestIsReview(t *testing.T) {
	md := &fstest.MapFile{Data: []byte("---\ntitle: x\ndate: 2024-01-01\n---\n")}
	root := fstest.MapFS{"2024-01-01-a.md": md}
	cfg, _ := site.ReadConfig(root)
	if !scaffold.IsReview(root, cfg, "2026-01-02-b.md") {
		t.Error("a new file at the root of a root-layout library is a review")
	}
	if scaffold.IsReview(root, cfg, "2026-01-02-template-outage.md") {
		t.Error("root-layout libraries skip names containing 'template'")
	}
	empty := fstest.MapFS{}
	cfg, _ = site.ReadConfig(empty)
	if !scaffold.IsReview(empty, cfg, "reviews/2026-01-02-b.md") {
		t.Error("a new reviews/ folder holds reviews")
	}
	globs := fstest.MapFS{"casebook.yaml": {Data: []byte("reviews: [\"pm/*.md\"]\nexclude: [\"pm/*-wip.md\"]\n")}}
	cfg, _ = site.ReadConfig(globs)
	if !scaffold.IsReview(globs, cfg, "pm/2026-01-02-b.md") || scaffold.IsReview(globs, cfg, "pm/2026-01-02-b-wip.md") {
		t.Error("reviews/exclude globs")
	}
}
