package site

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/casebook/casebook/site/frontmatter"
	"github.com/casebook/casebook/site/internal/markdown"
)

// Config is a library's casebook.yaml.
type Config struct {
	Title      string
	BaseURL    string
	Repo       string
	Branch     string // for edit links; default "main"
	Timezone   string
	Location   *time.Location
	Severities []string
	Taxonomies []TaxonomyConfig
	// Vocabulary maps taxonomy key → normalised term → entry.
	Vocabulary map[string]map[string]VocabEntry
	// aliases maps taxonomy key → normalised alias → normalised term.
	aliases map[string]map[string]string
	// UnsafeHTML lets raw HTML in Markdown through; off by default because
	// reviews are written by many hands and pasted from many tools.
	UnsafeHTML    bool
	Reviews       []string // globs selecting review files, relative to the library
	Exclude       []string
	TimelineKinds []string
	// DefaultTemplate is the template `casebook new` uses when given none.
	DefaultTemplate string
	// ExpertiseTaxonomies name the taxonomies whose terms say what a
	// person has handled (person pages, the people list, the expertise
	// map), and InsightTaxonomies those the insights page counts, by key
	// (casebook.yaml's expertise: and insights:).
	ExpertiseTaxonomies ExpertiseTaxonomies
	InsightTaxonomies   InsightTaxonomies
	// InferTerms are the taxonomies (by key) whose terms are recognised
	// in a review's text when its front matter gives none (infer_terms:;
	// by default the expertise taxonomies, technologies and services).
	InferTerms []string
	// Fields maps casebook's front-matter fields to the names a library's
	// reviews use instead (fields: {date: start_time, title: headline}).
	Fields map[string]string
	// Params holds every key that is not one of Settings, for templates.
	Params map[string]any
	// WorkHours are when people are at work, in their own time zones
	// (work_hours:; by default Monday to Friday, 09:00 to 18:00).
	WorkHours WorkHours
	// PageSize is how many items a list page shows before the rest go on
	// /page/2/ and after (page_size:; DefaultPageSize by default), so that
	// a library of 100,000 reviews has no list page of megabytes.
	PageSize int
	raw      *frontmatter.Node
}

// DefaultPageSize is page_size when casebook.yaml does not set it: a
// /reviews/ page of 100 rows is about 150 KB.
const DefaultPageSize = 100

// TaxonomyConfig declares one taxonomy: its URL key, title and the front
// matter field it reads.
type TaxonomyConfig struct {
	Key      string
	Title    string
	Field    string
	Singular string
	// Implicit taxonomies are casebook's answer to fields other tools
	// write (Hugo's and Jekyll's tags and categories): a library that
	// declares no taxonomies of its own has them only when a review uses
	// them.
	Implicit bool
}

// ExpertiseTaxonomies name, by key, the taxonomies of people's expertise;
// "" for none.
type ExpertiseTaxonomies struct {
	Technologies string
	Services     string
}

// InsightTaxonomies name, by key, the taxonomies the insights page
// counts; "" for none.
type InsightTaxonomies struct {
	Factors  string // recurring factors, factor pairs, factors that came back
	Themes   string
	Services string // where factors came back, follow-up debt
}

// VocabEntry describes a known term.
type VocabEntry struct {
	Title       string
	Description string
	Aliases     []string
}

// DefaultTaxonomies are used when casebook.yaml declares none. Each call
// returns a new slice, so no caller can change another's defaults.
func DefaultTaxonomies() []TaxonomyConfig {
	return []TaxonomyConfig{
		{Key: "services", Title: "Services", Field: "services", Singular: "Service"},
		{Key: "technologies", Title: "Technologies", Field: "technologies", Singular: "Technology"},
		{Key: "contributing-factors", Title: "Contributing factors", Field: "contributing_factors", Singular: "Contributing factor"},
		{Key: "themes", Title: "Themes", Field: "themes", Singular: "Theme"},
		{Key: "categories", Title: "Categories", Field: "categories", Singular: "Category", Implicit: true},
		{Key: "tags", Title: "Tags", Field: "tags", Singular: "Tag", Implicit: true},
	}
}

// DefaultTimelineKinds are the event kinds a timeline line may name.
func DefaultTimelineKinds() []string {
	return []string{"trigger", "detection", "diagnosis", "hypothesis", "repair", "impact", "communication", "key-moment", "note"}
}

// ConfigFile is the settings file's name at the library root.
const ConfigFile = "casebook.yaml"

// Settings are the top-level keys of casebook.yaml that casebook reads.
// Any other key is kept in Config.Params for themes, and `casebook check`
// warns about one that looks like a misspelt setting.
func Settings() []string {
	return []string{"baseURL", "branch", "default_template", "exclude", "expertise", "fields", "infer_terms", "insights", "lint", "page_size", "repo", "reviews", "severities", "taxonomies",
		"timeline_kinds", "timezone", "title", "unsafe_html", "vocabulary", "work_hours"}
}

// IsSetting reports whether key is one of Settings (or baseurl, Hugo's
// spelling of baseURL).
func IsSetting(key string) bool { return key == "baseurl" || slices.Contains(Settings(), key) }

func parseConfig(src []byte, e *errs) *Config {
	c := &Config{Branch: "main", Location: time.UTC, Taxonomies: DefaultTaxonomies(), Params: map[string]any{}}
	root := &frontmatter.Node{Kind: frontmatter.MapNode, Fields: map[string]*frontmatter.Node{}}
	if src != nil {
		n, err := frontmatter.ParseYAML(src)
		if err != nil {
			pe := err.(*frontmatter.PosError)
			e.Add(ConfigFile, pe.Line, pe.Col, "%s", pe.Msg)
		} else if n.Kind != frontmatter.MapNode {
			e.Add(ConfigFile, 1, 1, "settings must be a mapping of keys to values")
		} else {
			root = n
		}
	}
	c.raw = root
	d := &frontmatter.Decoder{Path: ConfigFile, Errs: e, Loc: time.UTC}
	c.Title = d.Str(root, "title")
	if c.Title == "" {
		c.Title = "Incident library"
	}
	c.BaseURL = d.Str(root, "baseURL")
	if c.BaseURL == "" {
		c.BaseURL = d.Str(root, "baseurl")
	}
	if c.BaseURL != "" {
		if !httpURL(c.BaseURL) {
			d.ErrAt(root.Get("baseURL"), "baseURL: %q is not an http(s) URL (one with no quotes, angle brackets, backslashes, spaces or control characters)", c.BaseURL)
			c.BaseURL = ""
		}
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://localhost/"
	}
	if !strings.HasSuffix(c.BaseURL, "/") {
		c.BaseURL += "/"
	}
	c.Repo = strings.TrimSuffix(d.Str(root, "repo"), "/")
	c.DefaultTemplate = strings.TrimSpace(d.Str(root, "default_template"))
	if b := d.Str(root, "branch"); b != "" {
		c.Branch = b
	}
	c.Timezone = d.Str(root, "timezone")
	if c.Timezone != "" {
		loc, err := time.LoadLocation(c.Timezone)
		if err != nil {
			d.ErrAt(root.Get("timezone"), "timezone: unknown time zone %q", c.Timezone)
		} else {
			c.Location = loc
		}
	}
	c.Severities = d.List(root, "severities")
	c.UnsafeHTML = d.Bool(root, "unsafe_html")
	c.Reviews = d.List(root, "reviews")
	c.Exclude = d.List(root, "exclude")
	c.TimelineKinds = append(DefaultTimelineKinds(), d.List(root, "timeline_kinds")...)

	if tn := root.Get("taxonomies"); tn != nil && tn.Kind != frontmatter.NullNode {
		if tn.Kind != frontmatter.ListNode {
			d.ErrAt(tn, "taxonomies must be a list")
		} else {
			c.Taxonomies = nil
			seen := map[string]bool{}
			for _, it := range tn.Items {
				if it.Kind != frontmatter.MapNode {
					d.ErrAt(it, "taxonomies: each item must be a mapping with key, title and field")
					continue
				}
				t := TaxonomyConfig{Key: d.Str(it, "key"), Title: d.Str(it, "title"), Field: d.Str(it, "field"), Singular: d.Str(it, "singular")}
				if t.Key == "" {
					d.ErrAt(it, "taxonomies: key is required")
					continue
				}
				raw := t.Key
				t.Key = strings.Trim(strings.ReplaceAll(Slugify(t.Key), "_", "-"), "-")
				if t.Key == "" {
					// The key is a URL segment and a field name: one
					// without a letter or digit makes neither.
					d.ErrAt(it.Get("key"), "taxonomies: key %q has no letters or digits", raw)
					continue
				}
				if reservedSections[t.Key] {
					d.ErrAt(it.Get("key"), "taxonomies: %q is reserved for casebook's own pages", t.Key)
					continue
				}
				if seen[t.Key] {
					d.ErrAt(it.Get("key"), "taxonomies: %q is declared twice", t.Key)
					continue
				}
				seen[t.Key] = true
				if t.Field == "" {
					t.Field = strings.ReplaceAll(t.Key, "-", "_")
				}
				if t.Title == "" {
					t.Title = strings.ToUpper(t.Key[:1]) + strings.ReplaceAll(t.Key[1:], "-", " ")
				}
				if t.Singular == "" {
					t.Singular = singular(t.Title)
				}
				c.Taxonomies = append(c.Taxonomies, t)
			}
		}
	}

	c.readRoles(d, root)
	c.WorkHours = readWorkHours(d, root)
	c.PageSize = readPageSize(d, root)
	c.readFields(d, root)
	c.InferTerms = nil
	if n := root.Get("infer_terms"); n != nil {
		for _, k := range d.List(root, "infer_terms") {
			if t := c.taxonomyByFieldOrKey(k); t != nil {
				c.InferTerms = append(c.InferTerms, t.Key)
			} else {
				d.ErrAt(n, "infer_terms: %q is not a taxonomy (have %s)", k, quoteList(c.taxonomyKeys()))
			}
		}
	} else {
		for _, k := range []string{c.ExpertiseTaxonomies.Technologies, c.ExpertiseTaxonomies.Services} {
			if k != "" {
				c.InferTerms = append(c.InferTerms, k)
			}
		}
	}

	c.Vocabulary = map[string]map[string]VocabEntry{}
	c.aliases = map[string]map[string]string{}
	if vn := root.Get("vocabulary"); vn != nil && vn.Kind != frontmatter.NullNode {
		if vn.Kind != frontmatter.MapNode {
			d.ErrAt(vn, "vocabulary must be a mapping of taxonomy to terms")
		}
		for _, field := range vn.Keys {
			tax := c.taxonomyByFieldOrKey(field)
			terms := vn.Fields[field]
			if tax == nil {
				p := vn.KeyPos[field]
				e.Add(ConfigFile, p[0], p[1], "vocabulary: %q is not a taxonomy (have %s)", field, quoteList(c.taxonomyKeys()))
				continue
			}
			if terms.Kind != frontmatter.MapNode {
				d.ErrAt(terms, "vocabulary.%s must be a mapping of term to its title, description and aliases", field)
				continue
			}
			vocab := map[string]VocabEntry{}
			aliases := map[string]string{}
			for _, term := range terms.Keys {
				tn := terms.Fields[term]
				id := Normalize(term)
				ve := VocabEntry{Title: term}
				switch tn.Kind {
				case frontmatter.ScalarNode:
					ve.Title = tn.Str
				case frontmatter.MapNode:
					if t := d.Str(tn, "title"); t != "" {
						ve.Title = t
					}
					ve.Description = d.Str(tn, "description")
					ve.Aliases = d.List(tn, "aliases")
				}
				vocab[id] = ve
				for _, a := range ve.Aliases {
					an := Normalize(a)
					if prev, ok := aliases[an]; ok && prev != id {
						d.ErrAt(tn.Get("aliases"), "vocabulary.%s: alias %q is given for both %q and %q", field, a, prev, id)
					}
					aliases[an] = id
				}
			}
			c.Vocabulary[tax.Key] = vocab
			c.aliases[tax.Key] = aliases
		}
	}
	for _, k := range root.Keys {
		if !IsSetting(k) {
			c.Params[k] = root.Fields[k].Plain()
		}
	}
	return c
}

// reservedSections are URL sections casebook itself publishes; a taxonomy
// may not take one.
var reservedSections = map[string]bool{
	"reviews": true, "paths": true, "people": true, "follow-ups": true, "insights": true,
	"search": true, "api": true, "css": true, "js": true, "expertise": true, "static": true,
}

func (c *Config) taxonomyByFieldOrKey(s string) *TaxonomyConfig {
	for i, t := range c.Taxonomies {
		if t.Field == s || t.Key == s || t.Key == strings.ReplaceAll(s, "_", "-") {
			return &c.Taxonomies[i]
		}
	}
	return nil
}

func (c *Config) taxonomyKeys() []string {
	k := make([]string, 0, len(c.Taxonomies))
	for _, t := range c.Taxonomies {
		if !t.Implicit {
			k = append(k, t.Key)
		}
	}
	return k
}

// Canonical folds a term through the vocabulary's aliases: it returns the
// term's normalised id for a taxonomy.
func (c *Config) Canonical(taxKey, term string) string {
	id := Normalize(term)
	if to, ok := c.aliases[taxKey][id]; ok {
		return to
	}
	return id
}

// Aliases returns the normalised aliases of a taxonomy, alias → term.
func (c *Config) Aliases(taxKey string) map[string]string { return c.aliases[taxKey] }

// SeverityRank orders severities as casebook.yaml lists them; unknown
// severities sort after known ones.
func (c *Config) SeverityRank(s string) int {
	for i, x := range c.Severities {
		if strings.EqualFold(x, s) {
			return i
		}
	}
	if s == "" {
		return len(c.Severities) + 1
	}
	return len(c.Severities)
}

// httpURL reports whether s is an absolute http(s) URL.
//
// Its path is written into every page (links, the @mention fast path,
// scripts' settings), so it may not hold what ends an attribute or a
// tag, or spaces and control characters, even percent-encoded: a base
// URL from a pull request's settings must not be a way to inject markup.
func httpURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return false
	}
	for _, p := range []string{u.Path, u.EscapedPath(), u.RawQuery, u.Fragment, u.Host} {
		if strings.ContainsFunc(p, func(r rune) bool {
			return r <= ' ' || r == 0x7f || strings.ContainsRune("\"'<>`\\", r) || unicode.IsControl(r)
		}) {
			return false
		}
	}
	return true
}

// BasePath is the path of baseURL, always ending in "/": where the site
// lives on its host.
func (c *Config) BasePath() string {
	u, err := url.Parse(c.BaseURL)
	if err != nil || u.Path == "" {
		return "/"
	}
	if !strings.HasSuffix(u.Path, "/") {
		return u.Path + "/"
	}
	return u.Path
}

func quoteList(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}

// markdownConfig is how this library's Markdown renders.
func (c *Config) markdownConfig() markdown.Config {
	mc := markdown.Config{BasePath: c.BasePath(), UnsafeHTML: c.UnsafeHTML, Location: c.Location, Kinds: c.TimelineKinds, WorkHours: c.WorkHours.Contains}
	if c.Repo != "" {
		mc.Forge = func(p string) string { return c.Repo + "/blob/" + c.Branch + "/" + p }
	}
	return mc
}

// readRoles reads expertise: and insights:, which name the taxonomies
// that play a part in those pages. A default names a default taxonomy and
// is dropped quietly when a library declares its own set without it; a
// name the library wrote must be one of its taxonomies.
func (c *Config) readRoles(d *frontmatter.Decoder, root *frontmatter.Node) {
	role := func(parent *frontmatter.Node, section, key, def string) string {
		if parent != nil && parent.Get(key) != nil {
			name := d.Str(parent, key)
			if name == "" {
				return ""
			}
			if t := c.taxonomyByFieldOrKey(name); t != nil {
				return t.Key
			}
			d.ErrAt(parent.Get(key), "%s.%s: %q is not a taxonomy (have %s)", section, key, name, quoteList(c.taxonomyKeys()))
			return ""
		}
		if c.taxonomyByFieldOrKey(def) != nil {
			return def
		}
		return ""
	}
	section := func(name string, keys ...string) *frontmatter.Node {
		n := root.Get(name)
		if n == nil || n.Kind == frontmatter.NullNode {
			return nil
		}
		if n.Kind != frontmatter.MapNode {
			d.ErrAt(n, "%s must be a mapping of %s to a taxonomy", name, strings.Join(keys, ", "))
			return nil
		}
		for _, k := range n.Keys {
			if !slices.Contains(keys, k) {
				p := n.KeyPos[k]
				d.Errs.Add(ConfigFile, p[0], p[1], "%s: unknown key %q (want %s)", name, k, strings.Join(keys, ", "))
			}
		}
		return n
	}
	ex := section("expertise", "technologies", "services")
	c.ExpertiseTaxonomies = ExpertiseTaxonomies{
		Technologies: role(ex, "expertise", "technologies", "technologies"),
		Services:     role(ex, "expertise", "services", "services"),
	}
	in := section("insights", "factors", "themes", "services")
	c.InsightTaxonomies = InsightTaxonomies{
		Factors:  role(in, "insights", "factors", "contributing-factors"),
		Themes:   role(in, "insights", "themes", "themes"),
		Services: role(in, "insights", "services", "services"),
	}
}

// mappableFields are the front-matter fields casebook.yaml's fields: may
// give another name; taxonomies' fields may be mapped too.
var mappableFields = []string{"title", "summary", "severity", "status", "date", "started", "detected", "resolved", "responders", "investigators", "follow_ups", "related"}

// readFields reads fields:, a mapping of casebook's field names to the
// names a library's reviews use.
func (c *Config) readFields(d *frontmatter.Decoder, root *frontmatter.Node) {
	n := root.Get("fields")
	if n == nil || n.Kind == frontmatter.NullNode {
		return
	}
	if n.Kind != frontmatter.MapNode {
		d.ErrAt(n, "fields must be a mapping of casebook's field names to your reviews' (date: start_time)")
		return
	}
	c.Fields = map[string]string{}
	for _, k := range n.Keys {
		field := k
		if t := c.taxonomyByFieldOrKey(k); t != nil {
			field = t.Field
		} else if !slices.Contains(mappableFields, k) {
			p := n.KeyPos[k]
			d.Errs.Add(ConfigFile, p[0], p[1], "fields: %q is not a field casebook reads (have %s, or a taxonomy)", k, strings.Join(mappableFields, ", "))
			continue
		}
		if v := d.Str(n, k); v != "" {
			c.Fields[field] = v
		}
	}
}

// singular is a taxonomy title's singular, for "Category: Kubernetes":
// Categories → Category, Companies → Company, Processes → Process,
// Services → Service.
func singular(title string) string {
	lower := strings.ToLower(title)
	switch {
	case strings.HasSuffix(lower, "ies") && len(title) > 4:
		return title[:len(title)-3] + "y"
	case strings.HasSuffix(lower, "sses"), strings.HasSuffix(lower, "xes"), strings.HasSuffix(lower, "ches"), strings.HasSuffix(lower, "shes"):
		return title[:len(title)-2]
	case strings.HasSuffix(lower, "ss"), strings.HasSuffix(lower, "us"), strings.HasSuffix(lower, "is"):
		return title
	case strings.HasSuffix(lower, "s"):
		return title[:len(title)-1]
	}
	return title
}

func readPageSize(d *frontmatter.Decoder, root *frontmatter.Node) int {
	n := root.Get("page_size")
	if n == nil || n.Kind == frontmatter.NullNode {
		return DefaultPageSize
	}
	if n.Kind != frontmatter.ScalarNode {
		d.ErrAt(n, "page_size must be a whole number, not %s", n.KindName())
		return DefaultPageSize
	}
	v, err := strconv.Atoi(strings.TrimSpace(n.Str))
	if err != nil || v < 1 {
		d.ErrAt(n, "page_size: %q is not a whole number of items above 0 (the default is %d)", n.Str, DefaultPageSize)
		return DefaultPageSize
	}
	return v
}
