// Package render executes a theme against a loaded [site.Site] and hands
// every file of the built site to an [Output]. It is the last stage of a
// build (fs.FS → site.Load → *site.Site → render → Output), and its
// documentation is the theme author's reference: what pages there are,
// what a template is executed with, which functions it may call, and how
// a library overrides the default theme.
//
// A renderer is made once per loaded site with [New], which parses the
// theme; [Renderer.Render] writes the whole site, and the preview server
// renders single pages with [Renderer.Page] and [Renderer.RenderPage].
// [ParseTheme] reports a theme's template errors without a site.
//
// # Themes
//
// A theme is an fs.FS holding:
//
//	templates/base.html        the layout: defines "base" and shared fragments
//	templates/partials/*.html  more shared fragments (any names)
//	templates/<kind>.html      one per page kind (see Pages), all required
//	static/...                 copied to the site root as they are
//
// Each page kind's template is parsed together with base.html and the
// partials. A page is executed as the template "base" when base.html
// defines it, and as its own file otherwise. The default theme's base
// calls {{template "main" .}}, and the blocks "head" (extra tags in
// <head>) and "scripts", so a page template defines "main" and may define
// those two. Templates are html/template: output is escaped for its
// context, and only values of type template.HTML (a review's HTML, a
// partial's output, a chart) are written as markup.
//
// The default theme is embedded in the binary (themes/default). A library
// overrides any of its files by putting one at the same path under its
// theme/ folder, theme/templates/partials/header.html for instance: the
// CLI reads the theme as an [Overlay] of the library's theme/ over the
// default. An override may also add partials and static files. Errors in
// a theme name the file the author sees ([ThemeFile], [ThemeErrors]):
// theme/templates/review.html for an override, "templates/review.html
// (default theme)" otherwise.
//
// # Pages
//
// Every template is executed with a *[Page]. Site, Kind, URL and Title are
// set on every page; the other fields only on the kinds below, and are nil
// on the rest. URLs are root-relative; pass them through rel (or abs) in
// markup, so that a baseURL with a path works.
//
//	Kind        URL                         Title              also sets
//	home        /                           the library's      -
//	reviews     /reviews/                   All reviews        Pager, Reviews
//	review      /reviews/<slug>/            the review's       Review
//	taxonomy    /<taxonomy>/                the taxonomy's     Taxonomy
//	term        /<taxonomy>/<term>/         the term's         Taxonomy, Term, Pager, Reviews
//	paths       /paths/                     Training paths     -
//	path        /paths/<slug>/              the path's         Path
//	people      /people/                    People             -
//	person      /people/<id>/               the person's name  Person
//	expertise   /expertise/                 Expertise map      -
//	follow-ups  /follow-ups/                Follow-ups         Pager, FollowUps
//	insights    /insights/                  Insights           -
//	search      /search/                    Search             -
//	404         /404.html                   Page not found     -
//	nominations /nominations/               Nominations        -
//	compare     /compare/                   Compare reviews    -
//
// The three list kinds are paginated, as Hugo paginates a section: each
// page holds page_size items (casebook.yaml; 100 by default), the first
// at the list's URL and the others at <list>page/<n>/ (/reviews/page/2/,
// /services/api/page/3/), with "(page N of M)" after the title. Page.Reviews
// or Page.FollowUps are this page's items; Page.Pager (a [Pager]: Number,
// Count, Size, Total; From, To, Prev, Next, URL N, and Links, the page
// numbers to show with gaps) places it in the list, and the partial
// "pager" draws it. A list that fits on one page still has its Pager,
// with Count 1. Only a list's first page is in the sitemap.
//
// Kind is a [Kind], a string type: templates compare it with string
// constants ({{if eq .Kind "review"}}) and print it as its name
// (class="kind-{{.Kind}}"). Pages without their own field find what they
// list on Site: Site.Reviews, Site.Paths, Site.People, Site.FollowUps,
// Site.Insights, (.Site.Expertise .Site.Config.ExpertiseTaxonomies.Technologies 40 30).
//
// Each page is written to the file [OutputName] gives its URL
// (/reviews/x/ → reviews/x/index.html). Render also writes, from the model
// rather than a template, index.xml (an RSS 2.0 feed of the 50 newest
// reviews, dated by the reviews, not the clock), sitemap.xml (every page
// but the 404 and a list's later pages; past 50,000 URLs an index of
// sitemap-1.xml and on), reviews/data.json and follow-ups/data.json (each
// list whole and compact, for the filters of a list that spans pages:
// the layouts are in listdata.go), people/<id>/strain.json (a person's
// participation rows, for their page's filters), compare/depth.json (every review's depth for /compare/:
// {"fields": [names], "reviews": [[values in that order], ...]}, -1 for an
// unknown number) and css/chroma.css (the stylesheet for highlighted code, a
// light style and a dark one); then the theme's static/ files, the
// library's static/ files (which win on a shared name) and review bundles'
// resources.
//
// # The model
//
// What a template reaches from a Page is the site package's model; the
// types' documentation there is the full reference. In summary:
//
//   - [site.Site]: Config, Now (the build's present: a follow-up is
//     overdue against it, and it comes from SOURCE_DATE_EPOCH when set),
//     Reviews (newest first), Taxonomies, Paths, People (by name),
//     FollowUps (overdue and open first), Insights, Rota (oncall.yaml's
//     [site.Shift]s: Person, Services, From, To); and the methods
//     Taxonomy KEY, Review SLUG, Person ID, Expertise KEY MAXTERMS
//     MAXPEOPLE (a [site.Matrix]), AbsURL and ByTaxonomy TERMCOUNTS
//     (grouped as [site.TermCountGroup]s: Taxonomy, Terms).
//   - [site.Config]: casebook.yaml. Title, BaseURL, Repo, Branch,
//     Timezone, Location, Severities, Taxonomies, Vocabulary, Params (the
//     keys casebook does not read, for themes), WorkHours (a
//     [site.WorkHours]; prints as "Mon–Fri 09:00–18:00"), BasePath.
//   - [site.Review]: Slug, Title, Summary, Severity, Status, Visibility,
//     Date, Started, Detected, Resolved, SourcePath, Bundle, Terms (a
//     [site.TermList] per taxonomy), Responders, Investigators (people),
//     FollowUps, Related, Backlinks, Links, TOC ([site.Heading]s), Headings,
//     WordCount, Timeline, Paths ([site.PathPosition]s: the paths it is on,
//     with the previous and next review), EditURL, Params (front matter
//     keys casebook does not read); the methods HTML (the rendered body),
//     URL, Draft, Restricted, Duration, Moments (its start, detection and
//     resolution as [site.Moment]s), TermsOf KEY, TermsIn KEYS..., TermCount,
//     OpenFollowUps. OnCall: who was on call (its on_call:, else the rota).
//   - [site.Taxonomy]: Key (its URL section), Title, Singular, Field,
//     Terms (most used first); URL, Term ID.
//   - [site.Term]: ID, Title, Description, Aliases, Known (declared in the
//     vocabulary), Taxonomy, Reviews (newest first), Cooccurring
//     ([site.TermCount]s), People ([site.PersonCount]s, most involved
//     first), Concentration (set when one person carries most of its
//     reviews: [site.Concentration]); URL, Count.
//   - [site.Person]: ID, Name, Team, Role, Joined, Bio (HTML), HasProfile,
//     Reviews ([site.PersonReview]s: a review and the person's Roles in
//     it), Technologies, Services (TermCounts), FollowUps, OffHours, Events,
//     Params, Timezone, Location, Strain (a [site.Strain], nil when they
//     took part in no incident: Rows of [site.Participation]s with Review,
//     Roles, Response, OnCall "on"/"off"/"", At, Hours "in"/"out"/"",
//     Quarter; Quarters, Services, Technologies for filters; Total
//     [site.StrainCounts]); URL.
//   - [site.FollowUp]: Title, Owner (nil when nobody owns it), Status
//     (open, in-progress, done, wont-do), Due, Link, Review, Overdue; Open.
//   - [site.Path]: Slug, Title, Audience, Summary, Intro (HTML), Steps
//     ([site.PathStep]s: Number, Review, Note (HTML), Questions); URL.
//   - [site.Timeline]: Events, Start, End, Duration, Kinds, People; each
//     [site.Event] has Time, Kind, HTML, Text, People, Gap (since the
//     previous event), OffHours.
//   - [site.Insights]: numbers only. Quarters (oldest first, "2024 Q3"),
//     Factors and Themes ([site.Trend]s: Term, Counts aligned with
//     Quarters, Total), Pairs ([site.FactorPair]s: A, B, Reviews, Count),
//     SeenBefore ([site.Recurrence]s: Service, Factor, Reviews), Concentrated
//     (terms), Debt ([site.ServiceDebt]s: Service, Overdue, Open, Done,
//     Total), OffHours (PersonCounts), PulledIn ([site.PulledIn]s: Person,
//     OffCall, Known, Percent, OutOfHours, Technologies), Load
//     ([site.PersonLoad]s: Person, Counts and OffCall aligned with
//     Quarters, Total), MoreLoad, OnCallKnown, WorkHours, TagQuarters and
//     Tags ([site.TagTrend]s: Kind, Qualifier, Label, Tag, Events, Reviews,
//     and Cells aligned with TagQuarters, each with Events and Reviews:
//     [site.TagReview]s). Carriers groups Concentrated by person
//     ([site.Carrier]s: Person, Count, Groups of [site.CarriedTerms]:
//     Taxonomy, Terms). The charts are drawn by the functions heatmap and
//     debtChart.
//   - [site.Nomination] (Site.Nominations, oldest first): Slug, Title,
//     Date, Why, WhyHTML, NominatedBy (a Person, nil when nobody is named),
//     NominatorHasPage, Terms ([site.NominatedTerm]s: Taxonomy, Title, and
//     Term when reviews carry it), SourcePath, EditURL; Anchor, URL.
//
// Drafts and restricted reviews are not in the model at all unless the
// build asks for them, so a template cannot leak them. Nominations are
// never among Reviews: a template shows them only from Site.Nominations.
//
// # Functions
//
// Besides text/template's own (and, or, not, len, index, slice, eq, lt,
// printf, ...), a template may call:
//
//	{{rel URL}}
//
// URL with the baseURL's path before it when URL starts with "/" (a site
// at https://example.com/lib/ gets /lib/reviews/x/); other URLs unchanged.
//
//	{{abs URL}}
//
// URL made absolute with the baseURL: https://example.com/lib/reviews/x/.
//
//	{{date TIME}}  {{isodate TIME}}  {{datetime TIME}}  {{rfc3339 TIME}}
//
// TIME as "2 Jan 2006", "2006-01-02", "2 Jan 2006 15:04 MST" and RFC 3339.
// The first three give "" for the zero time.
//
//	{{timeTag TIME REF}}
//
// A <time> element for TIME: its RFC 3339 form in datetime, the full date
// and time as its title, and as its text the full date and time, or the
// time of day alone when TIME falls on REF's day. "" for the zero time. It
// is one call where the same markup is a dozen template evaluations:
// {{range .Review.Moments}}{{timeTag .Time $.Review.Date}}{{end}}.
//
//	{{dur DURATION}}
//
// A duration as people say it: "2 h 15 min", "3 d 4 h", "under a minute";
// "" when it is not positive (as the timelines in review bodies write it).
//
//	{{plural N ONE MANY}}
//
// "1 review", "3 reviews": N and ONE when N is 1, N and MANY otherwise.
//
//	{{lower S}}  {{join LIST SEP}}  {{contains S SUBSTR}}  {{slugify S}}
//
// strings.ToLower, strings.Join, strings.Contains, and [site.Slugify] (the
// rule that makes review slugs from file names).
//
//	{{add A B}}  {{sub A B}}  {{percent A B}}
//
// A+B, A−B, and A as a whole percentage of B (0 when B is 0).
//
//	{{first N LIST}}
//
// The first N elements of any list (all of it when shorter); any other
// value unchanged.
//
//	{{pageSize}}
//
// casebook.yaml's page_size: how many items a list page shows, and so how
// many a page that lists a person's reviews or follow-ups shows before it
// links to the whole list.
//
//	{{listData FILE}}
//
// The root-relative URL of a list data file ("reviews/data.json",
// "follow-ups/data.json") with ?v= and a hash of its contents, so that no
// cache serves a page an older file.
//
//	{{personIDs REVIEW}}
//
// The IDs of the people whose pages list the review, joined by spaces,
// for a /reviews/ row's data-people.
//
//	{{followUpCounts}}
//
// The summary of all follow-ups (a [FollowUpCounts]: Total,
// Open, NotStarted, InProgress, Done, WontDo, Overdue, Unowned), counted
// once for the home page and every page of /follow-ups/.
//
//	{{dict KEY VALUE ...}}
//
// A map[string]any, to pass several values to a template or partial.
//
//	{{json VALUE}}
//
// VALUE as JSON, for a <script> element.
//
//	{{sevrank SEVERITY}}
//
// The severity's position in casebook.yaml's severities (0 for the first,
// the most severe; an unknown one after the known, none last), for
// sorting in the browser.
//
//	{{termIDs REVIEW}}
//
// The review's terms as "taxonomy:id" words, sorted and joined by spaces,
// for filtering lists in the browser.
//
//	{{now}}
//
// The build's present (Site.Now), not the clock.
//
//	{{heatmap TITLE QUARTERS TRENDS}}
//
// An inline SVG grid of TRENDS ([]site.Trend) by QUARTERS, each cell
// labelled with its count and a <title>, each term linked to its page:
// {{heatmap "Themes per quarter" .Site.Insights.Quarters .Site.Insights.Themes}}.
// "" when there are no trends.
//
//	{{debtChart DEBT}}
//
// An inline SVG of each service's follow-ups ([]site.ServiceDebt) as a
// stacked bar, overdue then open, each service linked to its page. ""
// when there is none.
//
//	{{depthCells DEPTH}}
//
// A /reviews/ row's five depth cells for a site.Depth (days to
// investigate, days the story reaches back, factors, people, readers):
// <td class="num depth-col" data-v="N">, -1 and a dash for unknown, the
// second and fifth also of class depth-minor. One call a review rather
// than a dozen template actions.
//
//	{{strainRows ROWS}}
//
// The rows of a person's "Taking part" table for Person.Strain.Rows
// ([]site.Participation), one <tr> a review with data-q, data-service,
// data-technology (and for a responder data-call and data-hours) for the
// theme's filters: the review and the person's roles, the quarter, on
// call or not, and when they took part. One call a page; the default
// theme passes the newest (first pageSize .Person.Strain.Rows) and its
// script counts over all of them from people/<id>/strain.json.
//
//	{{strainFile PERSON}}
//
// The root-relative URL of that file for a *site.Person, to pass to rel:
// the one place its name is spelled, where Render writes it.
//
//	{{partial NAME DATA}}  {{partialCached NAME DATA [VARIANT...]}}  {{partialCachedEach NAME LIST}}
//
// Execute a template of base.html or templates/partials/ and return its
// HTML; see below.
//
// # Partials
//
// A template defined in base.html or templates/partials/ is a partial. It
// can be called with {{template NAME DATA}}, as in any Go template, or with
// the three functions, which return its output as template.HTML:
//
//   - partial NAME DATA executes it, uncached, so that a page can show one
//     fragment in two places and execute it once (the review page's
//     contents, in its side panel and in the phone's drop-down).
//   - partialCached NAME DATA executes it once per DATA and reuses the HTML
//     for the rest of the render, as Hugo's partialCached does: a review's
//     card is the same on every page that lists it. DATA is the key when it
//     is a pointer (*site.Review, *site.Term, *site.Heading, ...); any
//     other value is not cached.
//   - partialCached NAME DATA VARIANT... (up to three variants, each a
//     comparable value) is keyed by NAME and the variants alone, and DATA
//     feeds only the first execution. The default theme renders its
//     header once per page kind and taxonomy ({{partialCached "header" .
//     .Kind .Taxonomy}}) and its footer and head links once per site
//     ({{partialCached "footer" . "site"}}), a sixth of a large build's time.
//   - partialCachedEach NAME LIST is partialCached NAME X for each X of
//     LIST, joined: a term page lists its reviews in one call rather than
//     one per review.
//
// The caveat of variants: what a cached fragment shows must depend on its
// variants only. A library that overrides partials/header.html with a
// header showing more of the page (its title, its URL) would show the
// first page's on every page of its kind, so it must also override
// base.html and call its header with {{template "header" .}}.
//
// Each template call costs microseconds, mostly in html/template's
// escaper, and a large library renders tens of thousands of pages: a
// fragment that appears on many pages is worth a partialCached, and a list
// of them a partialCachedEach.
//
// # Errors
//
// [New] and [ParseTheme] report every template that does not parse, and
// every page kind without a template, as a [diag.ErrorList] at path:line:col.
// A template that fails while executing usually fails on every page of
// its kind, so [Renderer.Render] reports each distinct failure once, at its
// place in the template, with how many pages it broke and the first of
// them. casebook check renders every page, writing nothing, to report the
// same errors.
package render
