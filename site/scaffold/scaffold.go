// Package scaffold holds review templates and writes new reviews from them
// (`casebook new`).
//
// # Templates
//
// Two templates are built in, embedded in the binary: "google" (a Google
// SRE-style postmortem) and "howie" (Jeli's "How We Got Here"). A library
// adds its own, or replaces a built-in one, with a Markdown file in
// templates/: templates/NAME.md is the template NAME (the file name made
// URL-safe, so "Post Mortem.md" is "post-mortem"). A template file is:
//
//	---
//	description: Our house style, for SEV1 and SEV2 incidents.
//	required_sections:              # headings `casebook check` expects
//	  - Summary
//	  - Customer impact
//	  - Contributing factors|Root causes
//	  - Timeline
//	front_matter: |                 # extra lines for the new review's front matter
//	  incident_id:                  # INC-NNNN from the tracker
//	---
//	## Summary
//
//	<!-- What belongs here, for a first-time author. -->
//	...
//
// Every front-matter key is optional; any other key is an error, so that a
// misspelt required_sections does not silently check nothing.
//
//   - description: one line shown by `casebook new -h`.
//   - required_sections: the headings a review written from the template
//     must have. "A|B" accepts either heading. A heading matches a section
//     when, made URL-safe, it equals the section's name or starts with it
//     followed by more words ("Timeline (UTC)" has "Timeline"), at any
//     heading level.
//   - front_matter: YAML text appended to the front matter casebook writes,
//     comments and all.
//
// The body is the new review's Markdown. It is a Go text/template run
// with:
//
//	{{.Title}}     the review's title
//	{{.Date}}      today, YYYY-MM-DD, in the library's time zone
//	{{.Slug}}      the review's slug
//	{{.Template}}  the template's name
//	{{.Library}}   the library's title
//	{{.Kinds}}     the timeline kinds the library accepts, comma-separated
//
// (write {{"{{"}} for a literal "{{"). Guidance for authors belongs in HTML
// comments: they never reach the site, and `casebook check` does not read
// them for blameless-language hints.
//
// # New reviews
//
// Render writes the front matter itself, the same for every template:
// title, date, status: draft, template, summary, severity (empty, with the
// library's severities in a comment), started/detected/resolved, an empty
// list for each taxonomy field (services, technologies,
// contributing_factors, themes by default), responders, investigators and
// follow_ups with a commented example. The result loads with site.Load
// (with drafts included) before the author changes a thing.
package scaffold

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"github.com/casebook/casebook/site/frontmatter"

	"github.com/casebook/casebook/site"
)

//go:embed templates/*.md
var builtinFS embed.FS

// Dir is the library folder holding its own templates.
const Dir = "templates"

// DefaultTemplate is used when neither the command line nor casebook.yaml
// (default_template: NAME) names one.
const DefaultTemplate = "google"

// Template is a review template.
type Template struct {
	Name        string
	Description string
	// Sections are the headings a review written from the template must
	// have, in template order.
	Sections []Section
	// FrontMatter is YAML text added to the new review's front matter.
	FrontMatter string
	// Path is the template's file in the library, or "builtin:NAME".
	Path    string
	Builtin bool

	body     *template.Template
	bodyLine int
}

// Section is a required heading, with the alternative names it may carry.
type Section struct {
	Names []string // the first is the name casebook suggests
}

func (s Section) String() string { return s.Names[0] }

// Matches reports whether a heading's text satisfies the section.
func (s Section) Matches(heading string) bool {
	h := site.Normalize(heading)
	for _, n := range s.Names {
		want := site.Normalize(n)
		if want != "" && (h == want || strings.HasPrefix(h, want+"-")) {
			return true
		}
	}
	return false
}

// Builtin returns the built-in templates, by name.
func Builtin() []*Template {
	entries, _ := fs.ReadDir(builtinFS, "templates")
	var out []*Template
	for _, e := range entries {
		src, _ := fs.ReadFile(builtinFS, "templates/"+e.Name())
		name := strings.TrimSuffix(e.Name(), ".md")
		t, errs := Parse(name, "builtin:"+name, src)
		if len(errs) > 0 {
			panic("scaffold: built-in template " + name + ": " + errs.Error())
		}
		t.Builtin = true
		out = append(out, t)
	}
	return out
}

// Templates returns every template a library can use: its own from
// templates/*.md, then the built-in ones it does not replace, each group
// by name. Problems in the library's templates are returned, and the
// templates that have them left out.
func Templates(fsys fs.FS) ([]*Template, site.ErrorList) {
	var out []*Template
	var errs site.ErrorList
	have := map[string]bool{}
	entries, _ := fs.ReadDir(fsys, Dir)
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(path.Ext(e.Name()), ".md") {
			continue
		}
		p := Dir + "/" + e.Name()
		name := site.Slugify(strings.TrimSuffix(e.Name(), path.Ext(e.Name())))
		if name == "" || have[name] {
			continue
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			errs = append(errs, &site.Error{Path: p, Msg: "cannot read: " + err.Error()})
			continue
		}
		t, terrs := Parse(name, p, src)
		errs = append(errs, terrs...)
		if len(terrs) == 0 {
			have[name] = true
			out = append(out, t)
		} else {
			have[name] = true // a broken library template still hides the built-in one
		}
	}
	slices.SortFunc(out, func(a, b *Template) int { return strings.Compare(a.Name, b.Name) })
	for _, t := range Builtin() {
		if !have[t.Name] {
			out = append(out, t)
		}
	}
	return out, errs
}

// Lookup finds a template by name (folded like a slug): the library's own
// first, then the built-in ones.
func Lookup(fsys fs.FS, name string) (*Template, error) {
	want := site.Slugify(name)
	ts, errs := Templates(fsys)
	var broken site.ErrorList
	for _, e := range errs {
		if site.Slugify(strings.TrimSuffix(path.Base(e.Path), path.Ext(e.Path))) == want {
			broken = append(broken, e)
		}
	}
	if len(broken) > 0 {
		return nil, broken
	}
	var names []string
	for _, t := range ts {
		if t.Name == want {
			return t, nil
		}
		names = append(names, t.Name)
	}
	slices.Sort(names)
	return nil, fmt.Errorf("no template named %q (have %s; a library adds its own as %s/NAME.md)", name, strings.Join(names, ", "), Dir)
}

var tmplErrLine = regexp.MustCompile(`^template: [^:]*:(\d+):(?:(\d+):)? (.*)$`)

// Parse reads a template file; name is the template's name and p the path
// problems are reported against.
func Parse(name, p string, src []byte) (*Template, site.ErrorList) {
	fm, errs := frontmatter.Parse(p, src)
	if len(errs) > 0 {
		return nil, errs
	}
	t := &Template{Name: name, Path: p, bodyLine: fm.BodyLine}
	add := func(n *frontmatter.Node, format string, args ...any) {
		e := &site.Error{Path: p, Msg: fmt.Sprintf(format, args...)}
		if n != nil {
			e.Line, e.Col = n.Line, n.Col
		}
		errs = append(errs, e)
	}
	text := func(key string) string {
		n := fm.Fields.Get(key)
		if n == nil || n.Kind == frontmatter.NullNode {
			return ""
		}
		if n.Kind != frontmatter.ScalarNode {
			add(n, "%s must be text", key)
			return ""
		}
		return n.Str
	}
	for _, k := range fm.Fields.Keys {
		switch k {
		case "description", "required_sections", "front_matter":
		default:
			kp := fm.Fields.KeyPos[k]
			errs = append(errs, &site.Error{Path: p, Line: kp[0], Col: kp[1],
				Msg: fmt.Sprintf("template: unknown key %q", k), Hint: "want description, required_sections or front_matter"})
		}
	}
	t.Description = strings.TrimSpace(text("description"))
	t.FrontMatter = strings.TrimRight(text("front_matter"), "\n \t")
	if n := fm.Fields.Get("required_sections"); n != nil && n.Kind != frontmatter.NullNode {
		items := []*frontmatter.Node{n}
		if n.Kind == frontmatter.ListNode {
			items = n.Items
		} else if n.Kind != frontmatter.ScalarNode {
			add(n, "required_sections must be a list of headings")
			items = nil
		}
		for _, it := range items {
			if it.Kind != frontmatter.ScalarNode {
				add(it, "required_sections: each item must be a heading's text")
				continue
			}
			var s Section
			for _, alt := range strings.Split(it.Str, "|") {
				if alt = strings.TrimSpace(alt); alt != "" {
					s.Names = append(s.Names, alt)
				}
			}
			if len(s.Names) == 0 || site.Normalize(strings.Join(s.Names, " ")) == "" {
				add(it, "required_sections: %q is not a heading", it.Str)
				continue
			}
			t.Sections = append(t.Sections, s)
		}
	}
	body, err := template.New(name).Option("missingkey=error").Parse(string(fm.Body))
	if err != nil {
		e := &site.Error{Path: p, Line: fm.BodyLine, Msg: "template: " + err.Error()}
		if m := tmplErrLine.FindStringSubmatch(err.Error()); m != nil {
			l, _ := strconv.Atoi(m[1])
			e.Line, e.Msg = fm.BodyLine+l-1, "template: "+m[3]
			if m[2] != "" {
				e.Col, _ = strconv.Atoi(m[2])
			}
		}
		errs = append(errs, e)
	}
	t.body = body
	if len(errs) > 0 {
		return nil, errs
	}
	// A template must produce a review that parses: try it now, so the
	// problem is reported against the template, not a new review.
	cfg, _ := site.ReadConfig(emptyFS{})
	out, err := t.Render(Data{Title: "Example", Date: time.Date(2006, 1, 2, 0, 0, 0, 0, time.UTC), Config: cfg})
	if err != nil {
		return nil, site.ErrorList{{Path: p, Line: fm.BodyLine, Msg: err.Error()}}
	}
	if _, ferrs := frontmatter.Parse(p, out); len(ferrs) > 0 {
		kp := fm.Fields.KeyPos["front_matter"]
		return nil, site.ErrorList{{Path: p, Line: kp[0], Col: kp[1],
			Msg: "front_matter: the new review's front matter would not parse: " + ferrs[0].Msg}}
	}
	return t, nil
}

type emptyFS struct{}

func (emptyFS) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// Data is what a new review is made from.
type Data struct {
	Title  string
	Date   time.Time // the day the review is started, in the library's time zone
	Config *site.Config
	// From is the nomination the review is started from, when it is
	// (casebook new --from); nil otherwise.
	From *FromNomination
}

// bodyData is what the template body sees.
type bodyData struct {
	Title, Date, Slug, Template, Library, Kinds string
}

// Render makes a new review: front matter and the template's body.
func (t *Template) Render(d Data) ([]byte, error) {
	cfg := d.Config
	date := d.Date.Format("2006-01-02")
	var b bytes.Buffer
	field := func(kv, comment string) {
		b.WriteString(kv)
		if comment != "" {
			b.WriteString(strings.Repeat(" ", max(1, commentCol-utf8.RuneCountInString(kv))))
			b.WriteString("# ")
			b.WriteString(comment)
		}
		b.WriteByte('\n')
	}
	b.WriteString("---\n")
	field("title: "+yamlString(d.Title), "")
	field("date: "+date, "when the incident began; add a time if you know it (YYYY-MM-DD HH:MM)")
	field("status: draft", "change to published when the review is ready to share")
	field("template: "+t.Name, "the template this review follows (casebook check uses it)")
	field(`summary: ""`, "one or two sentences for lists, feeds and search results")
	sev := "e.g. SEV2"
	if len(cfg.Severities) > 0 {
		sev = "one of " + strings.Join(cfg.Severities, ", ")
	}
	field("severity:", sev)
	field("started:", "YYYY-MM-DD HH:MM, when the problem began")
	field("detected:", "when we found out")
	field("resolved:", "when impact ended")
	for _, tax := range cfg.Taxonomies {
		if ts := d.From.terms(tax.Field); ts != "" {
			field(tax.Field+": "+ts, "")
			continue
		}
		field(tax.Field+": []", vocabExamples(cfg, tax))
	}
	field("responders: []", "person ids (people/<id>.md), e.g. [alex-doe, sam-lee]")
	field("investigators: []", "who analysed and wrote this review")
	field("follow_ups: []", "actions agreed in the review; replace [] with items like:")
	example := []string{
		"  - title: Alert on queue age, not queue length", "",
		"    owner: alex-doe", "a person id",
		"    status: open", "open, in-progress, done or wont-do",
		"    due: " + d.Date.AddDate(0, 1, 0).Format("2006-01-02"), "YYYY-MM-DD",
		"    link: https://tracker.example.com/OPS-123", "",
	}
	for i := 0; i < len(example); i += 2 {
		field("#"+example[i], example[i+1])
	}
	if t.FrontMatter != "" {
		b.WriteString(t.FrontMatter)
		b.WriteByte('\n')
	}
	d.From.frontMatter(field)
	b.WriteString("---\n")
	d.From.body(&b)
	if t.body != nil {
		bd := bodyData{Title: d.Title, Date: date, Slug: site.Slugify(d.Title), Template: t.Name,
			Library: cfg.Title, Kinds: strings.Join(cfg.TimelineKinds, ", ")}
		var body bytes.Buffer
		if err := t.body.Execute(&body, bd); err != nil {
			return nil, fmt.Errorf("%s: %v", t.Path, err)
		}
		b.Write(body.Bytes())
	}
	return b.Bytes(), nil
}

// commentCol is the column at which comments beside front-matter fields
// start.
const commentCol = 26

// vocabExamples names a few of a taxonomy's known terms for the comment
// beside its field.
func vocabExamples(cfg *site.Config, tax site.TaxonomyConfig) string {
	var ids []string
	for id := range cfg.Vocabulary[tax.Key] {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return ""
	}
	slices.Sort(ids)
	more := ""
	if len(ids) > 4 {
		ids, more = ids[:4], ", ... (casebook.yaml vocabulary)"
	}
	return "e.g. " + strings.Join(ids, ", ") + more
}

// yamlString writes s as a YAML double-quoted scalar (JSON's syntax, which
// YAML shares).
func yamlString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// maxSlug bounds the slug part of a new review's file name.
const maxSlug = 60

// FileName is a new review's file name: the date, then the title made
// URL-safe and cut at a word boundary if it is long.
func FileName(title string, date time.Time) (string, error) {
	// "The gateway's timeout" is gateways-timeout, not gateway-s-timeout.
	slug := site.Slugify(strings.NewReplacer("'", "", "’", "").Replace(title))
	if slug == "" {
		return "", fmt.Errorf("cannot make a file name from the title %q: use some letters or digits", title)
	}
	if utf8.RuneCountInString(slug) > maxSlug {
		r := []rune(slug)[:maxSlug]
		cut := string(r)
		if i := strings.LastIndexByte(cut, '-'); i > maxSlug/2 {
			cut = cut[:i]
		}
		slug = strings.TrimRight(cut, "-")
	}
	return date.Format("2006-01-02") + "-" + slug + ".md", nil
}

// ReviewDir decides the folder of the library a new review goes in:
//
//   - reviews/ when it exists;
//   - else, with reviews: globs in casebook.yaml, the folder named by the
//     first glob whose folder part has no wildcard;
//   - else, when the library already keeps reviews elsewhere (the root
//     layout), the folder that holds most of them ("." for the root);
//   - else (no reviews yet) reviews/, which the caller creates.
//
// Check that the chosen file would be read as a review with IsReview.
func ReviewDir(fsys fs.FS, cfg *site.Config) string {
	if st, err := fs.Stat(fsys, "reviews"); err == nil && st.IsDir() {
		return "reviews"
	}
	for _, g := range cfg.Reviews {
		dir := ""
		for _, seg := range strings.Split(g, "/") {
			if strings.ContainsAny(seg, `*?[\`) {
				break
			}
			dir = path.Join(dir, seg)
		}
		if dir != "" && dir != g {
			return dir
		}
		if dir == "" {
			return "."
		}
	}
	files, _ := site.Discover(fsys, cfg, nil)
	if len(files.Reviews) == 0 {
		return "reviews"
	}
	count := map[string]int{}
	for _, r := range files.Reviews {
		d := path.Dir(r.Path)
		if r.Bundle {
			d = path.Dir(r.Dir)
		}
		count[d]++
	}
	best := ""
	for d, n := range count {
		if best == "" || n > count[best] || n == count[best] && d < best {
			best = d
		}
	}
	return best
}

// IsReview reports whether a file at p (relative to the library, not yet
// written) would be read as a review by the build.
func IsReview(fsys fs.FS, cfg *site.Config, p string) bool {
	return site.NewLayout(fsys, cfg).IsReview(p)
}
