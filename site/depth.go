package site

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/casebook/casebook/site/frontmatter"
	"github.com/casebook/casebook/site/internal/markdown"
)

// Depth is how much a review shows of the work behind it: a thin,
// templated review and a deep one otherwise look the same. Every measure
// is a count or a fact the review states; none is a score, and none is
// about how well the incident was handled.
type Depth struct {
	// Start is the incident's start the measures count from: started:,
	// else detected:, else the review's date.
	Start time.Time
	// Investigate is the time from Start to the review's publication
	// (published:, else its first commit); zero when either is unknown or
	// publication comes first.
	Investigate time.Duration
	// Reach is how long before Start the timeline's first event is: a
	// story that begins with the change made three weeks earlier reaches
	// back three weeks. HasTimeline is false for a review without a dated
	// timeline event, whose reach is unknown rather than zero.
	Reach       time.Duration
	HasTimeline bool
	// Factors counts contributing factors: the factors taxonomy's terms,
	// else the bullets of the body's contributing-factors section.
	Factors int
	// FollowUpsDone of FollowUps are done.
	FollowUpsDone, FollowUps int
	// People counts the distinct responders, investigators and people the
	// timeline names.
	People int
	// Difficulties, CustomerImpact and EmployeeImpact say where the review
	// describes them (`the section “What went wrong”`, `2 disproved
	// hypotheses`); empty when it does not.
	Difficulties, CustomerImpact, EmployeeImpact []string
	// Readers is how many people read the review, when known.
	Readers *Readers

	// What the front matter said, kept from parse to assembly.
	fmReaders            *Readers
	fmCustomer, fmEmploy string
	fmPublished          bool // published: (or an alias) was given
	// bodyDifficulties are the body's lines that head its difficulties
	// without being headings (**What went wrong**).
	bodyDifficulties []string
}

// Readers is a count of a review's readers and where it comes from.
type Readers struct {
	Count  int
	Period string // as the source gives it ("2025 Q1", "since 2025-03-01"); may be ""
	From   string // "front matter", "readers.csv", or the counted file's name
}

// ReaderCounts are readers by review slug, as a readers.csv holds them.
type ReaderCounts map[string]Readers

// ReadersFile is where a library keeps the readers its team's analytics
// counted.
const ReadersFile = "readers.csv"

// HasInvestigate reports whether the time to investigate is known.
func (d Depth) HasInvestigate() bool { return d.Investigate > 0 }

// InvestigateDays is Investigate in whole days, rounded; -1 when unknown.
func (d Depth) InvestigateDays() int {
	if !d.HasInvestigate() {
		return -1
	}
	return days(d.Investigate)
}

// ReachDays is Reach in whole days, rounded; -1 when unknown.
func (d Depth) ReachDays() int {
	if !d.HasTimeline {
		return -1
	}
	return days(d.Reach)
}

// InvestigateText and ReachText say the durations as people do: "12
// days", "5 hours", "under an hour"; "" when unknown.
func (d Depth) InvestigateText() string {
	if !d.HasInvestigate() {
		return ""
	}
	return spanText(d.Investigate)
}

// ReachText: see InvestigateText. A story that starts with the incident
// says so.
func (d Depth) ReachText() string {
	if !d.HasTimeline {
		return ""
	}
	if d.Reach <= 0 {
		return "starts with the incident"
	}
	return spanText(d.Reach) + " before"
}

// ReaderCount is the number of readers, -1 when unknown (for sorting).
func (d Depth) ReaderCount() int {
	if d.Readers == nil {
		return -1
	}
	return d.Readers.Count
}

func days(t time.Duration) int { return int((t + 12*time.Hour) / (24 * time.Hour)) }

func spanText(t time.Duration) string {
	switch {
	case t < time.Hour:
		return "under an hour"
	case t < 24*time.Hour:
		return plural(int((t+30*time.Minute)/time.Hour), "hour", "hours")
	}
	return plural(days(t), "day", "days")
}

// frontMatterDepth reads readers:, customer_impact: and employee_impact:.
func frontMatterDepth(d *frontmatter.Decoder, f *frontmatter.Node) Depth {
	var dp Depth
	if v := f.Get("readers"); v != nil && v.Kind != frontmatter.NullNode {
		// Str, not Value: the fast path keeps every scalar as text.
		n, err := strconv.Atoi(strings.TrimSpace(v.Str))
		switch {
		case v.Kind != frontmatter.ScalarNode || err != nil:
			d.ErrAt(v, "readers must be a whole number of readers, not %q", v.Str)
		case n < 0:
			d.ErrAt(v, "readers must not be negative")
		default:
			dp.fmReaders = &Readers{Count: n, From: "front matter"}
		}
	}
	dp.fmPublished = f.Get("published") != nil || f.Get("publishDate") != nil || f.Get("date_published") != nil
	dp.fmCustomer = d.Str(f, "customer_impact")
	dp.fmEmploy = d.Str(f, "employee_impact")
	return dp
}

// difficultyWords are what the section names review templates give the
// trouble met while handling an incident say ("Difficulties during
// handling", "What went wrong", "Challenges", "Where we got lucky"),
// matched in lower case. Substrings rather than a regular expression: a
// large library has a few hundred thousand short lines to try.
var difficultyWords = []string{"difficult", "went wrong", "went badly", "went poorly", "challeng", "got lucky",
	"struggl", "obstacle", "friction", "harder than", "complication", "surprise"}

// A heading of its own "Impact" is the templates' place for the impact on
// the service's users; otherwise a heading names who with "impact".
var (
	customerWords = []string{"customer", "user", "client", "member", "shipper", "carrier"}
	employeeWords = []string{"employee", "staff", "responder", "on-call", "on call", "oncall", "team", "colleague", "engineer"}
)

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func difficultyHeading(h string) bool { return containsAny(strings.ToLower(h), difficultyWords) }

func customerHeading(h string) bool {
	l := strings.TrimSpace(strings.ToLower(h))
	switch l {
	case "impact", "impacts", "business impact", "service impact":
		return true
	}
	return strings.Contains(l, "impact") && containsAny(l, customerWords)
}

func employeeHeading(h string) bool {
	l := strings.ToLower(h)
	return strings.Contains(l, "impact") && containsAny(l, employeeWords)
}

// boldDifficulties finds the lines of a body's sections that head a
// description of difficulties without being a heading: Google's template
// writes "**What went wrong**" as a paragraph of its own under "Lessons
// learned". A line counts when it is short (a heading's length) and
// matches what difficulty headings say.
func boldDifficulties(secs []markdown.SectionText) []string {
	var out []string
	for _, sec := range secs {
		for l := range strings.Lines(sec.Text) {
			l = strings.TrimSpace(l)
			if l != "" && len(l) <= 60 && strings.Count(l, " ") < 8 && difficultyHeading(l) && !slices.Contains(out, l) {
				out = append(out, strings.TrimRight(l, ":"))
			}
		}
	}
	return out
}

// measureDepth computes every review's depth once the model is linked.
// counted are readers the caller counted (Options.Readers); the library's
// readers.csv fills in the rest.
func (s *Site) measureDepth(fsys fs.FS, counted ReaderCounts, e *errs) {
	lib := ReaderCounts{}
	if b, err := fs.ReadFile(fsys, ReadersFile); err == nil {
		var list ErrorList
		lib, list = ParseReaders(ReadersFile, b)
		e.List = append(e.List, list...)
	} else if !errors.Is(err, fs.ErrNotExist) {
		e.Add(ReadersFile, 0, 0, "cannot read: %v", err)
	}
	imported := gitImports(s.Reviews)
	for _, r := range s.Reviews {
		r.Depth = s.depth(r, counted, lib)
		if !r.Depth.fmPublished && imported[r.Published.Format(time.DateOnly)] {
			r.Depth.Investigate = 0
		}
	}
}

// gitImports returns the days on which Git gave three or more reviews
// their publication date: an import (a library moved into Git in one
// commit, or a batch copied in), not when each was published, which would
// otherwise say every such review took years to write. Reviews added one
// by one after an import keep their dates.
func gitImports(reviews []*Review) map[string]bool {
	perDay := map[string]int{}
	for _, r := range reviews {
		if !r.Depth.fmPublished && !r.Published.IsZero() {
			perDay[r.Published.Format(time.DateOnly)]++
		}
	}
	days := map[string]bool{}
	for d, n := range perDay {
		if n >= 3 {
			days[d] = true
		}
	}
	return days
}

// depth measures one review; it reads r and writes nothing.
func (s *Site) depth(r *Review, counted, lib ReaderCounts) Depth {
	d := r.Depth // what parse found; the rest is measured here
	d = Depth{fmReaders: d.fmReaders, fmCustomer: d.fmCustomer, fmEmploy: d.fmEmploy, fmPublished: d.fmPublished, bodyDifficulties: d.bodyDifficulties}
	d.Start = r.Started
	if d.Start.IsZero() {
		d.Start = r.Detected
	}
	if d.Start.IsZero() {
		d.Start = r.Date
	}
	if !r.Published.IsZero() && r.Published.After(d.Start) {
		d.Investigate = r.Published.Sub(d.Start)
	}
	var first time.Time
	customer, employee := 0, 0
	disproved, commIssues := 0, 0
	var people []*Person
	add := func(ps []*Person) {
		for _, p := range ps {
			if !slices.Contains(people, p) {
				people = append(people, p)
			}
		}
	}
	add(r.Responders)
	add(r.Investigators)
	if r.Timeline != nil {
		add(r.Timeline.People)
		for _, ev := range r.Timeline.Events {
			if !ev.Time.IsZero() && (first.IsZero() || ev.Time.Before(first)) {
				first = ev.Time
			}
			switch ev.Kind + "/" + ev.Qualifier {
			case "hypothesis/disproved":
				disproved++
			case "communication/issue":
				commIssues++
			case "impact/customer":
				customer++
			case "impact/employee":
				employee++
			}
		}
	}
	if !first.IsZero() {
		d.HasTimeline = true
		if first.Before(d.Start) {
			d.Reach = d.Start.Sub(first)
		}
	}
	if key := s.Config.InsightTaxonomies.Factors; key != "" && len(r.TermsOf(key)) > 0 {
		d.Factors = len(r.TermsOf(key))
	} else {
		d.Factors = len(r.Factors)
	}
	for _, f := range r.FollowUps {
		if f.Status == "wont-do" {
			continue // dropped: neither done nor to do
		}
		d.FollowUps++
		if f.Status == "done" {
			d.FollowUpsDone++
		}
	}
	d.People = len(people)

	for _, h := range r.Headings {
		if difficultyHeading(h) {
			d.Difficulties = append(d.Difficulties, "the section “"+h+"”")
		}
		if customerHeading(h) {
			d.CustomerImpact = append(d.CustomerImpact, "the section “"+h+"”")
		}
		if employeeHeading(h) {
			d.EmployeeImpact = append(d.EmployeeImpact, "the section “"+h+"”")
		}
	}
	for _, l := range d.bodyDifficulties {
		d.Difficulties = append(d.Difficulties, "“"+l+"”")
	}
	if disproved > 0 {
		d.Difficulties = append(d.Difficulties, plural(disproved, "disproved hypothesis", "disproved hypotheses"))
	}
	if commIssues > 0 {
		d.Difficulties = append(d.Difficulties, plural(commIssues, "communication issue", "communication issues"))
	}
	if d.fmCustomer != "" {
		d.CustomerImpact = append([]string{d.fmCustomer}, d.CustomerImpact...)
	}
	if customer > 0 {
		d.CustomerImpact = append(d.CustomerImpact, plural(customer, "customer impact event", "customer impact events"))
	}
	if d.fmEmploy != "" {
		d.EmployeeImpact = append([]string{d.fmEmploy}, d.EmployeeImpact...)
	}
	if employee > 0 {
		d.EmployeeImpact = append(d.EmployeeImpact, plural(employee, "employee impact event", "employee impact events"))
	}

	switch {
	case d.fmReaders != nil:
		d.Readers = d.fmReaders
	default:
		if c, ok := counted[r.Slug]; ok {
			d.Readers = &c
		} else if c, ok := lib[r.Slug]; ok {
			d.Readers = &c
		}
	}
	return d
}

// ParseReaders reads a readers file: CSV rows of slug, count and an
// optional period, as a team's analytics exports them, with an optional
// header row. A slug may be written as the review's URL path
// (/reviews/x/). Every bad row is reported at its line and column; the
// good ones are kept. A slug that names no review is not an error: the
// export may be older than a rename, and a restricted review's slug must
// not be confirmed by an error.
func ParseReaders(name string, data []byte) (ReaderCounts, ErrorList) {
	out := ReaderCounts{}
	var e errs
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	seen := map[string]int{}
	for row := 0; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			e.Add(name, pe.Line, pe.Column, "CSV: %v", pe.Err)
			if len(e.List) > 50 {
				break
			}
			continue
		} else if err != nil {
			e.Add(name, 0, 0, "cannot read: %v", err)
			break
		}
		line, _ := cr.FieldPos(0)
		if row == 0 && len(rec) >= 2 && strings.EqualFold(strings.TrimSpace(rec[1]), "count") {
			continue // the header
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) < 2 || len(rec) > 3 {
			e.Add(name, line, 1, "a row is slug,count,period: this one has %s", plural(len(rec), "field", "fields"))
			continue
		}
		slug := strings.TrimSpace(rec[0])
		slug = strings.TrimSuffix(strings.TrimPrefix(slug, "/reviews/"), "/")
		if slug == "" {
			e.Add(name, line, 1, "no slug")
			continue
		}
		if Slugify(slug) != slug {
			e.Add(name, line, 1, "%q is not a review slug (like 2024-03-01-search-outage)", rec[0])
			continue
		}
		_, ccol := cr.FieldPos(1)
		n, err := strconv.Atoi(strings.TrimSpace(rec[1]))
		if err != nil || n < 0 {
			e.Add(name, line, ccol, "count %q is not a whole number of readers", rec[1])
			continue
		}
		if prev, ok := seen[slug]; ok {
			e.Add(name, line, 1, "%s is counted twice (first on line %d): give one row a review", slug, prev)
			continue
		}
		seen[slug] = line
		period := ""
		if len(rec) == 3 {
			period = strings.TrimSpace(rec[2])
		}
		out[slug] = Readers{Count: n, Period: period, From: name}
	}
	e.List.Sort()
	return out, e.List
}

// CSV writes counts as ParseReaders reads them, with a header, by slug.
func (c ReaderCounts) CSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"slug", "count", "period"})
	for _, slug := range sortedKeys(c) {
		_ = w.Write([]string{slug, strconv.Itoa(c[slug].Count), c[slug].Period})
	}
	w.Flush()
	return b.Bytes()
}

// nominated is the status of an incident nominated for a review that is
// not written yet: it has no depth to count.
const nominated = "nominated"

// DepthQuarter is the library's depth in one quarter: medians of the
// reviews of incidents that began in it.
type DepthQuarter struct {
	Quarter string
	Reviews int
	// Medians over the reviews where the measure is known.
	Investigate, Reach, Factors, People, Readers Median
	// Reviews describing difficulties and customer impact.
	Difficulties, CustomerImpact int
}

// Median is the middle of some values; N is 0 when there were none.
type Median struct {
	Value float64
	N     int
}

// String shows the median as a number, "—" when unknown.
func (m Median) String() string {
	if m.N == 0 {
		return "—"
	}
	if m.Value == float64(int(m.Value)) {
		return strconv.Itoa(int(m.Value))
	}
	return strconv.FormatFloat(m.Value, 'f', 1, 64)
}

func median(v []int) Median {
	if len(v) == 0 {
		return Median{}
	}
	slices.Sort(v)
	n := len(v)
	if n%2 == 1 {
		return Median{Value: float64(v[n/2]), N: n}
	}
	return Median{Value: float64(v[n/2-1]+v[n/2]) / 2, N: n}
}

// depthByQuarter is "is our learning getting deeper?": per quarter of
// Insights.Quarters that has reviews, oldest first.
func depthByQuarter(s *Site, quarters []string) []DepthQuarter {
	type acc struct {
		inv, reach, factors, people, readers []int
		n, diff, cust                        int
	}
	byQ := make([]acc, len(quarters))
	qIndex := map[string]int{}
	for i, q := range quarters {
		qIndex[q] = i
	}
	for _, r := range s.Reviews {
		i, ok := qIndex[quarter(r.Date.In(s.Config.Location))]
		if !ok || r.Status == nominated {
			continue
		}
		a, d := &byQ[i], r.Depth
		a.n++
		if d.HasInvestigate() {
			a.inv = append(a.inv, d.InvestigateDays())
		}
		if d.HasTimeline {
			a.reach = append(a.reach, d.ReachDays())
		}
		a.factors = append(a.factors, d.Factors)
		a.people = append(a.people, d.People)
		if d.Readers != nil {
			a.readers = append(a.readers, d.Readers.Count)
		}
		if len(d.Difficulties) > 0 {
			a.diff++
		}
		if len(d.CustomerImpact) > 0 {
			a.cust++
		}
	}
	var out []DepthQuarter
	for i, a := range byQ {
		if a.n == 0 {
			continue
		}
		out = append(out, DepthQuarter{Quarter: quarters[i], Reviews: a.n, Investigate: median(a.inv), Reach: median(a.reach),
			Factors: median(a.factors), People: median(a.people), Readers: median(a.readers), Difficulties: a.diff, CustomerImpact: a.cust})
	}
	return out
}

// patchedDepth is the depth of r, an edit of old, for PatchReview: the
// readers a file counted stay as the last load found them.
func (s *Site) patchedDepth(r, old *Review) Depth {
	d := s.depth(r, nil, nil)
	if !d.fmPublished && old.Depth.Investigate == 0 {
		d.Investigate = 0 // an import's date, as the last load found
	}
	if d.Readers == nil && old.Depth.Readers != nil && old.Depth.fmReaders == nil {
		d.Readers = old.Depth.Readers
	}
	return d
}
