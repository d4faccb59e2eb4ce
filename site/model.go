package site

import (
	"html/template"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/casebook/casebook/site/internal/blob"
	"github.com/casebook/casebook/site/internal/markdown"
)

// Site is a loaded library: everything a theme or the search index needs.
// Slices are in their display order; nothing here is mutated after
// Assemble (Site.PatchReview makes a new Review rather than change one).
type Site struct {
	Config *Config
	// Now is the build's notion of the present (for "overdue"), taken from
	// the load's options so that a build is reproducible.
	Now        time.Time
	Reviews    []*Review // newest first
	Taxonomies []*Taxonomy
	Paths      []*Path
	People     []*Person // by name
	FollowUps  []*FollowUp
	Insights   *Insights
	// Nominations are incidents proposed for a learning review, oldest
	// first: never among Reviews, nor counted with them.
	Nominations []*Nomination
	// Left out counts the reviews of the library this site does not
	// publish, and why, so that a command can say what its count includes.
	LeftOut LeftOut
	// Static lists files copied unchanged to the output: library static/
	// files and bundle resources, output path → path in Source.
	Static map[string]string
	Source fs.FS
	// Rota is the on-call rota (oncall.yaml), by start.
	Rota []*Shift

	bySlug   map[string]*Review
	byPerson map[string]*Person
}

// Review is one incident review.
type Review struct {
	Slug     string
	Title    string
	Summary  string
	Severity string
	// IncidentID is the incident's number in the team's tracker
	// (incident_id: INC-2025-022), "" when not given.
	IncidentID string
	Status     string // draft, published or nominated
	Visibility string // internal or restricted
	Date       time.Time
	// Started, Detected and Resolved are zero when not given.
	Started, Detected, Resolved time.Time
	SourcePath                  string // path of the Markdown file in the library
	Bundle                      bool   // a folder with index.md and resources
	Terms                       []*TermList
	Responders                  []*Person
	Investigators               []*Person
	FollowUps                   []*FollowUp
	Related                     []*Review // authors' choice first, then computed, at most a handful
	Backlinks                   []*Review // reviews whose body links here
	Links                       []*Review // reviews this body links to
	html                        blob.Text
	TOC                         []*Heading // the body's level 2 and 3 headings
	Headings                    []string   // plain text of every heading, for search
	text                        blob.Text
	WordCount                   int
	Timeline                    *Timeline
	Paths                       []PathPosition
	EditURL                     string
	Params                      map[string]any
	// Published is when the review was published (published:,
	// publishDate:, else its first Git commit; zero when unknown), and
	// Updated when it last changed (lastmod:, updated:): feeds and the
	// sitemap date a review by these, not by its incident.
	Published, Updated time.Time
	// Aliases are other URLs the review was known by (Hugo's aliases:),
	// each of which the site redirects to its page.
	Aliases []string
	// Image is the first image the review shows, site-absolute, for link
	// previews; "" when it shows none.
	Image string
	// SummaryHTML is the summary as the front matter wrote it, rendered as
	// inline Markdown; "" when the summary is the body's first paragraph,
	// which the page shows already.
	SummaryHTML template.HTML
	// Inferred lists what casebook worked out rather than read from the
	// front matter, for a quiet note to the review's authors.
	Inferred []Inference
	// Factors are the bullets of the body's contributing-factors section,
	// as written, for a review whose front matter lists none as terms.
	Factors []string
	// Depth is how much the review shows of the work behind it (see Depth).
	Depth        Depth
	relatedSlugs []relRef
	n            int // index in Site.Reviews, for assemble's counting passes
	// OnCall are who was on call for the incident: its on_call:, else
	// the rota's shifts covering its start for its services.
	OnCall []*Person
	onCall []idRef

	// names shows the body's mentions by name, as HTML returns it (see
	// nameMentions).
	names bodyNames
}

type relRef struct {
	slug      string
	line, col int
}

// HTML is the review's rendered body. A build renders it when the page
// asks for it rather than keeping every body of a large library in memory
// from load to render; the preview server keeps it.
func (r *Review) HTML() template.HTML { return template.HTML(r.names.apply(r.html.String())) }

// Text is the review's body as plain text, for search. A one-off build
// keeps it compressed, like the HTML, until the search index asks.
func (r *Review) Text() string { return r.text.String() }

// AppendText appends Text to b, for a reader of every review's text that
// keeps one buffer for all of them.
func (r *Review) AppendText(b []byte) []byte { return r.text.Append(b) }

// URL is the review's page, relative to the site root.
func (r *Review) URL() string { return ReviewURL(r.Slug) }

// ReviewURL is the root-relative URL of the review with this slug.
func ReviewURL(slug string) string { return "/reviews/" + slug + "/" }

// Draft reports whether the review is unpublished.
func (r *Review) Draft() bool { return r.Status == "draft" }

// Nominated reports whether the file nominates an incident for a review
// rather than being one (see Site.Nominations).
func (r *Review) Nominated() bool { return r.Status == "nominated" }

// Restricted reports whether the review must not leave the organisation's
// restricted readership.
func (r *Review) Restricted() bool { return r.Visibility == "restricted" }

// Duration is how long the incident lasted, from the best known start to
// its resolution; zero when unknown.
func (r *Review) Duration() time.Duration {
	start := r.Started
	if start.IsZero() {
		start = r.Detected
	}
	if start.IsZero() || r.Resolved.IsZero() || r.Resolved.Before(start) {
		if r.Timeline != nil {
			return r.Timeline.Duration
		}
		return 0
	}
	return r.Resolved.Sub(start)
}

// TermsOf returns the review's terms in one taxonomy.
func (r *Review) TermsOf(key string) []*Term {
	for _, tl := range r.Terms {
		if tl.Taxonomy.Key == key {
			return tl.Terms
		}
	}
	return nil
}

// Moment is one of an incident's times, for a theme to list.
type Moment struct {
	Label string // "Started", "Detected" or "Resolved"
	Time  time.Time
}

// Moments are the review's start, detection and resolution times, those
// that are given, in that order.
func (r *Review) Moments() []Moment {
	var m []Moment
	for _, c := range []Moment{{"Started", r.Started}, {"Detected", r.Detected}, {"Resolved", r.Resolved}} {
		if !c.Time.IsZero() {
			m = append(m, c)
		}
	}
	return m
}

// TermsIn returns the review's terms in any of the taxonomies keys names,
// in the order of its taxonomies.
func (r *Review) TermsIn(keys ...string) []*Term {
	var out []*Term
	for _, tl := range r.Terms {
		if slices.Contains(keys, tl.Taxonomy.Key) {
			out = append(out, tl.Terms...)
		}
	}
	return out
}

// TermCount is how many terms the review has in all taxonomies.
func (r *Review) TermCount() int {
	n := 0
	for _, tl := range r.Terms {
		n += len(tl.Terms)
	}
	return n
}

// OpenFollowUps counts follow-ups not yet done or dropped.
func (r *Review) OpenFollowUps() int {
	n := 0
	for _, f := range r.FollowUps {
		if f.Open() {
			n++
		}
	}
	return n
}

// TermList is a review's terms in one taxonomy.
type TermList struct {
	Taxonomy *Taxonomy
	Terms    []*Term
}

// Heading is an entry in a review's table of contents: Level, ID and Text.
// Reviews share their section headings ("Impact", "Timeline"), and equal
// entries are one *Heading, so a theme's partialCached fragment for an
// entry is rendered once per distinct heading, not once per review.
type Heading = markdown.Heading

// Taxonomy is a way of classifying reviews (services, technologies, ...).
type Taxonomy struct {
	Key      string // URL section, e.g. contributing-factors
	Title    string
	Singular string
	Field    string  // front matter field
	Terms    []*Term // most used first, then by title
	byID     map[string]*Term
}

// URL is the taxonomy's index page.
func (t *Taxonomy) URL() string { return "/" + t.Key + "/" }

// Term looks a term up by its normalised id or alias.
func (t *Taxonomy) Term(id string) *Term { return t.byID[Normalize(id)] }

// Term is one value of a taxonomy, with every review that carries it.
type Term struct {
	ID          string
	Title       string
	Description string
	Aliases     []string
	Taxonomy    *Taxonomy
	Reviews     []*Review // newest first
	// Cooccurring are the terms (of any taxonomy) that most often appear on
	// the same reviews, most frequent first.
	Cooccurring []TermCount
	// People who took part in this term's reviews, most involved first.
	People []PersonCount
	// Concentration is set when one person took part in most of the
	// term's reviews: knowledge that lives in one head.
	Concentration *Concentration
	// Known reports whether the vocabulary declares the term.
	Known bool
	n     int // index among all terms, for assemble's counting passes
	// spellings counts, for a term outside the vocabulary, the reviews
	// that spell it each way; the most used spelling is its title.
	spellings map[string]int
}

// URL is the term's page.
func (t *Term) URL() string { return "/" + t.Taxonomy.Key + "/" + t.ID + "/" }

// Count is the number of reviews carrying the term.
func (t *Term) Count() int { return len(t.Reviews) }

// TermCount is a term with a number (reviews, co-occurrences, ...).
type TermCount struct {
	Term  *Term
	Count int
}

// PersonCount is a person with a number of reviews.
type PersonCount struct {
	Person *Person
	Count  int
}

// Concentration describes one person carrying most of a term's reviews.
type Concentration struct {
	Person  *Person
	Count   int // reviews of the term the person took part in
	Total   int // reviews of the term
	Percent int
}

// Person is someone who responded to, investigated or owns follow-ups of
// reviews; a profile in people/ adds details.
type Person struct {
	ID         string
	Name       string
	Team       string
	Role       string
	Joined     time.Time
	Bio        template.HTML
	HasProfile bool
	Reviews    []PersonReview // newest first
	// Technologies and Services this person has handled, most first.
	Technologies []TermCount
	Services     []TermCount
	FollowUps    []*FollowUp
	// OffHours counts timeline events naming the person that fell outside
	// working hours (before 09:00, from 18:00, or at weekends).
	OffHours int
	// Events counts timeline events naming the person.
	Events int
	Params map[string]any
	n      int // index in Site.People, for assemble's counting passes
	// Timezone is the profile's timezone: ("" when it gives none), and
	// Location where the person's times are read: it, else the library's.
	Timezone string
	Location *time.Location
	// Strain is how the person took part in incidents (see Strain); nil
	// when they took part in none.
	Strain *Strain

	// named: the profile gives a name (name: or a heading), which
	// mentions of the person then show.
	named bool
}

// URL is the person's page.
func (p *Person) URL() string { return "/people/" + p.ID + "/" }

// PersonReview is a review a person took part in, and how.
type PersonReview struct {
	Review *Review
	Roles  []string // responder, investigator
}

// FollowUp is an action agreed in a review.
type FollowUp struct {
	Title   string
	Owner   *Person // nil when nobody owns it
	Status  string  // open, in-progress, done, wont-do
	Due     time.Time
	Link    string
	Review  *Review
	Overdue bool
	Line    int // where it is declared in the review's source
}

// Open reports whether the follow-up still needs doing.
func (f *FollowUp) Open() bool { return f.Status == "open" || f.Status == "in-progress" }

// Path is a training path: an ordered reading list of reviews.
type Path struct {
	Slug       string
	Title      string
	Audience   string
	Summary    string
	Intro      template.HTML
	Steps      []*PathStep
	SourcePath string
}

// URL is the path's page.
func (p *Path) URL() string { return "/paths/" + p.Slug + "/" }

// PathStep is one review on a path, with the curator's guidance.
type PathStep struct {
	Number    int // 1-based
	Review    *Review
	Note      template.HTML
	Questions []string
}

// PathPosition places a review on a path.
type PathPosition struct {
	Path       *Path
	Step       int // 1-based
	Total      int
	Prev, Next *Review
}

// Timeline is the sequence of events of an incident.
type Timeline struct {
	Events   []*Event
	Start    time.Time
	End      time.Time
	Duration time.Duration
	Kinds    []string  // kinds present, in first-seen order
	People   []*Person // people mentioned, by name
}

// Event is one line of a timeline.
type Event struct {
	Time     time.Time
	Kind     string
	HTML     template.HTML
	Text     string
	People   []*Person
	Gap      time.Duration // since the previous event
	OffHours bool
	Line     int
	mentions []string

	// InferredKind: the body gave no kind (a table or a list of times) and
	// Kind was read from the event's words. When is the time as written
	// for an event whose time could not be read (kept in its place,
	// without a Time); DateOnly: the event gave a day and no time of day.
	InferredKind bool
	When         string
	DateOnly     bool
	// Qualifier refines Kind ("disproved" in hypothesis/disproved) and
	// Source names where the event was seen ("search-incident" in
	// [#search-incident]); both are empty when the line gives none.
	Qualifier, Source string
}

// Mentions are the ids of the people the event names.
func (e *Event) Mentions() []string { return e.mentions }

// newTimeline makes the model's timeline from a body's, copying it:
// bodies may be cached across loads, and the model links people into it.
func newTimeline(mt *markdown.Timeline) *Timeline {
	tl := &Timeline{Start: mt.Start, End: mt.End, Duration: mt.Duration, Kinds: mt.Kinds, Events: make([]*Event, len(mt.Events))}
	evs := make([]Event, len(mt.Events))
	for i, ev := range mt.Events {
		evs[i] = Event{Time: ev.Time, Kind: ev.Kind, HTML: ev.HTML, Text: ev.Text, Gap: ev.Gap, OffHours: ev.OffHours, Line: ev.Line, mentions: ev.Mentions,
			Qualifier: ev.Qualifier, Source: ev.Source, InferredKind: ev.InferredKind, When: ev.When, DateOnly: ev.DateOnly}
		tl.Events[i] = &evs[i]
	}
	return tl
}

// Insights are the patterns across a library: what keeps contributing to
// incidents, what recurs together, where knowledge is concentrated and
// which follow-ups are piling up. Deliberately absent: MTTR and other
// averages of incident duration, which the field has rejected as targets.
type Insights struct {
	Quarters []string // contiguous, oldest first, e.g. "2024 Q3"
	Factors  []Trend  // contributing factors, most frequent first
	Themes   []Trend
	// Pairs are contributing factors that appear together in more than one
	// review.
	Pairs []FactorPair
	// SeenBefore are services where the same contributing factor came back.
	SeenBefore []Recurrence
	// Concentrated are terms one person carries (see Term.Concentration).
	Concentrated []*Term
	Debt         []ServiceDebt
	// OffHours ranks people by timeline events outside working hours.
	OffHours []PersonCount
	// Tags count the timelines' KIND/QUALIFIER events by quarter, over
	// TagQuarters (the span of Quarters that has any; see qualifiers.go).
	TagQuarters []string
	Tags        []TagTrend
	// PulledIn ranks people by their share of participations while not
	// on call; Load counts everyone's participations per quarter, the
	// most loaded first (MoreLoad left out). OnCallKnown is whether any
	// review's on-call status is known at all; WorkHours says the hours.
	PulledIn    []PulledIn
	Load        []PersonLoad
	MoreLoad    int
	OnCallKnown bool
	WorkHours   string
	// Depth is the reviews' depth per quarter, oldest first.
	Depth []DepthQuarter
}

// Trend is a term's review count per quarter.
type Trend struct {
	Term   *Term
	Counts []int // aligned with Insights.Quarters
	Total  int
}

// FactorPair is two contributing factors seen on the same reviews.
type FactorPair struct {
	A, B    *Term
	Reviews []*Review
}

// Count is the number of reviews the pair shares.
func (p FactorPair) Count() int { return len(p.Reviews) }

// Recurrence is a contributing factor that came back for a service.
type Recurrence struct {
	Service *Term
	Factor  *Term
	Reviews []*Review // newest first
}

// ServiceDebt counts a service's follow-ups by state.
type ServiceDebt struct {
	Service                    *Term
	Overdue, Open, Done, Total int
}

const (
	maxTrends = 12
	maxPairs  = 15
)

// LeftOut counts reviews a site does not publish: drafts (without
// Options.Drafts) and restricted reviews (without IncludeRestricted).
type LeftOut struct {
	Drafts, Restricted int
}

// String says what was left out, "" when nothing was: "2 drafts and 1
// restricted review left out".
func (l LeftOut) String() string {
	var parts []string
	if l.Drafts > 0 {
		parts = append(parts, plural(l.Drafts, "draft", "drafts"))
	}
	if l.Restricted > 0 {
		parts = append(parts, plural(l.Restricted, "restricted review", "restricted reviews"))
	}
	if parts == nil {
		return ""
	}
	return strings.Join(parts, " and ") + " left out"
}

// Inference is a field of a review that casebook worked out rather than
// read from its front matter.
type Inference struct {
	Field string // "title", "date", "summary", "timeline", "follow-ups", ...
	From  string // "the file name", "the first heading", "the timeline", ...
	Line  int    // where, in the review's file; 0 for the file as a whole
}
