package site

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/casebook/casebook/site/frontmatter"
)

// Strain is how a person has taken part in incidents: on call or not,
// in working hours or not, review by review, so that a page can filter it
// by period, service and technology and count again.
type Strain struct {
	Rows []Participation // newest first
	// Quarters are the quarters the rows fall in, oldest first, and
	// Services and Technologies the terms their reviews name, most first:
	// the choices of the person page's filters.
	Quarters               []string
	Services, Technologies []*Term
	Total                  StrainCounts
}

// Participation is one review a person took part in.
type Participation struct {
	Review *Review
	// Roles are responder, timeline (named in its timeline) and
	// investigator.
	Roles []string
	// Response is true for a responder or someone the timeline names:
	// the people who handled the incident. An investigator who did
	// neither wrote the review afterwards, when being on call or at work
	// says nothing, so such a row counts in no strain measure.
	Response bool
	// OnCall is "on", "off", or "" when nobody's on-call status is known
	// for the review (no on_call: and no shift of the rota covers it).
	OnCall string
	// At is when the person took part, in their time zone (their first
	// timed event in the timeline, else the incident's start); zero when
	// only the day is known. Hours is "in" or "out" of working hours at
	// At, "" when At is zero.
	At      time.Time
	Hours   string
	Quarter string // of the incident, e.g. "2024 Q3"
	// QuarterID is Quarter slugified ("2024-q3"), and ServiceIDs and
	// TechnologyIDs the ids of the review's services and technologies,
	// each followed and the first preceded by a space (" a b "): what
	// the person page's rows carry for its filters, made once here
	// rather than on every row of every person's page.
	QuarterID, ServiceIDs, TechnologyIDs string
}

// spacedIDs is the ids of terms as " a b ", "" for none.
func spacedIDs(terms []*Term) string {
	var b strings.Builder
	for _, t := range terms {
		b.WriteString(" ")
		b.WriteString(t.ID)
	}
	return b.String() + " "
}

// StrainCounts count a person's response participations.
type StrainCounts struct {
	Response             int
	OnCall, OffCall      int // the rest: on-call status unknown
	InHours, OutOfHours  int // the rest: time unknown
	Investigated         int // investigator only: in no other count
	OffCallAndOutOfHours int
}

// PulledIn is a person taken part in incidents while not on call.
type PulledIn struct {
	Person  *Person
	OffCall int // response participations while not on call
	Known   int // response participations whose on-call status is known
	// OutOfHours counts the off-call participations outside working
	// hours: the expert woken for someone else's pager.
	OutOfHours int
	Percent    int
	// Technologies are those of the off-call participations, most first.
	Technologies []TermCount
}

// PersonLoad is a person's response participations per quarter, aligned
// with Insights.Quarters, and how many of them were off call.
type PersonLoad struct {
	Person  *Person
	Counts  []int
	OffCall []int
	Total   int
}

// Bounds on the insights' strain sections: the people pulled in need a
// few known participations before a share means anything, and the load
// table shows the most loaded people.
const (
	pulledInMinKnown = 2
	maxPulledIn      = 10
	maxLoadPeople    = 15
	longShift        = 31 * 24 * time.Hour
)

// participation resolves who was on call for each review (its on_call:,
// else the rota) and fills every person's Strain. Unknown people in
// on_call: or the rota are errors where they are written.
func (s *Site) participation(rota []rawShift, e *errs) {
	cfg := s.Config
	for _, p := range s.People {
		if p.Location == nil {
			p.Location = cfg.Location
		}
	}
	known := func(path string, ref idRef, field string) *Person {
		if p := s.byPerson[ref.id]; p != nil {
			return p
		}
		e.Add(path, ref.line, ref.col, "%s: no person %q in the library (no people/%s.md, and no review names them)", field, ref.id, ref.id)
		return nil
	}
	for _, sh := range rota {
		if p := known(RotaFile, idRef{id: sh.person, line: sh.line, col: sh.col}, "person"); p != nil {
			shift := sh.Shift
			shift.Person = p
			s.Rota = append(s.Rota, &shift)
		}
	}
	slices.SortStableFunc(s.Rota, func(a, b *Shift) int { return a.From.Compare(b.From) })
	// Shifts of up to a month (nearly all) are found by a search on their
	// start; the few longer ones (a quarter's cover) are tried for every
	// review, so that one of them does not widen every search.
	var short, long []*Shift
	var longest time.Duration
	for _, sh := range s.Rota {
		if d := sh.To.Sub(sh.From); d <= longShift {
			short = append(short, sh)
			longest = max(longest, d)
		} else {
			long = append(long, sh)
		}
	}
	svcKey, techKey := cfg.ExpertiseTaxonomies.Services, cfg.ExpertiseTaxonomies.Technologies
	type acc struct {
		rows            []Participation
		services, techs map[*Term]int
	}
	accs := map[*Person]*acc{}
	for _, r := range s.Reviews {
		given := false
		var onCall []*Person
		for _, ref := range r.onCall {
			given = true
			if p := known(r.SourcePath, ref, "on_call"); p != nil && !slices.Contains(onCall, p) {
				onCall = append(onCall, p)
			}
		}
		start := incidentStart(r)
		var services []string
		for _, t := range r.TermsOf(svcKey) {
			services = append(services, t.ID)
		}
		if !given {
			cover := func(sh *Shift) {
				if sh.covers(start, services) {
					given = true
					if !slices.Contains(onCall, sh.Person) {
						onCall = append(onCall, sh.Person)
					}
				}
			}
			// Short shifts are sorted by start: those that may cover
			// start began at most the longest of them before it.
			i := sort.Search(len(short), func(i int) bool { return short[i].From.After(start) })
			for j := i - 1; j >= 0 && start.Sub(short[j].From) < longest; j-- {
				cover(short[j])
			}
			for _, sh := range long {
				cover(sh)
			}
			slices.SortFunc(onCall, func(a, b *Person) int { return cmp.Compare(a.n, b.n) })
		}
		r.OnCall = onCall
		q := quarter(r.Date.In(cfg.Location))
		qid, svcIDs, techIDs := Slugify(q), spacedIDs(r.TermsOf(svcKey)), spacedIDs(r.TermsOf(techKey))
		for _, pr := range reviewParticipants(r) {
			p := pr.person
			row := Participation{Review: r, Roles: pr.roles, Response: pr.response, Quarter: q,
				QuarterID: qid, ServiceIDs: svcIDs, TechnologyIDs: techIDs}
			if pr.response {
				if given {
					row.OnCall = "off"
					if slices.Contains(onCall, p) {
						row.OnCall = "on"
					}
				}
				at := pr.first
				if at.IsZero() {
					at = start
					if !hasTimeOfDay(r, cfg.Location) {
						at = time.Time{}
					}
				}
				if !at.IsZero() {
					row.At = at.In(p.Location)
					row.Hours = "out"
					if cfg.WorkHours.Contains(row.At) {
						row.Hours = "in"
					}
				}
			}
			a := accs[p]
			if a == nil {
				a = &acc{services: map[*Term]int{}, techs: map[*Term]int{}}
				accs[p] = a
			}
			a.rows = append(a.rows, row)
			for _, t := range r.TermsOf(svcKey) {
				a.services[t]++
			}
			for _, t := range r.TermsOf(techKey) {
				a.techs[t]++
			}
		}
	}
	for _, p := range s.People {
		a := accs[p]
		if a == nil {
			continue
		}
		st := &Strain{Rows: a.rows, Services: rankTerms(a.services), Technologies: rankTerms(a.techs)}
		for _, row := range a.rows {
			st.Total.add(row)
			if len(st.Quarters) == 0 || st.Quarters[0] != row.Quarter {
				st.Quarters = append([]string{row.Quarter}, st.Quarters...)
			}
		}
		// Rows are newest first, so equal quarters are adjacent; a review
		// with an implausible date may still repeat one.
		st.Quarters = slices.Compact(st.Quarters)
		p.Strain = st
	}
}

func (c *StrainCounts) add(row Participation) {
	if !row.Response {
		c.Investigated++
		return
	}
	c.Response++
	switch row.OnCall {
	case "on":
		c.OnCall++
	case "off":
		c.OffCall++
	}
	switch row.Hours {
	case "in":
		c.InHours++
	case "out":
		c.OutOfHours++
	}
	if row.OnCall == "off" && row.Hours == "out" {
		c.OffCallAndOutOfHours++
	}
}

func rankTerms(m map[*Term]int) []*Term {
	out := make([]*Term, 0, len(m))
	for t := range m {
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b *Term) int {
		return cmp.Or(cmp.Compare(m[b], m[a]), strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)), strings.Compare(a.ID, b.ID))
	})
	return out
}

// incidentStart is the best known moment the incident began: started,
// detected, the timeline's first timed event, else the review's date.
func incidentStart(r *Review) time.Time {
	switch {
	case !r.Started.IsZero():
		return r.Started
	case !r.Detected.IsZero():
		return r.Detected
	case r.Timeline != nil && !r.Timeline.Start.IsZero():
		return r.Timeline.Start
	}
	return r.Date
}

// hasTimeOfDay reports whether the review says when in the day it began.
// A date alone reads as midnight, which would put every such incident
// outside working hours; a real incident at 00:00:00 sharp is read as a
// date alone too.
func hasTimeOfDay(r *Review, loc *time.Location) bool {
	if !r.Started.IsZero() || !r.Detected.IsZero() || r.Timeline != nil && !r.Timeline.Start.IsZero() {
		return true
	}
	t := r.Date.In(loc)
	return t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0
}

type participant struct {
	person   *Person
	roles    []string
	response bool
	first    time.Time // their first timed timeline event; zero if none
}

// reviewParticipants are the people who responded to, are named in the
// timeline of, or investigated a review, each once.
func reviewParticipants(r *Review) []participant {
	var out []participant
	at := func(p *Person) *participant {
		for i := range out {
			if out[i].person == p {
				return &out[i]
			}
		}
		out = append(out, participant{person: p})
		return &out[len(out)-1]
	}
	for _, p := range r.Responders {
		pp := at(p)
		pp.roles, pp.response = append(pp.roles, "responder"), true
	}
	if r.Timeline != nil {
		for _, ev := range r.Timeline.Events {
			for _, p := range ev.People {
				pp := at(p)
				if !slices.Contains(pp.roles, "timeline") {
					pp.roles, pp.response = append(pp.roles, "timeline"), true
				}
				if pp.first.IsZero() && !ev.Time.IsZero() && !ev.DateOnly {
					pp.first = ev.Time
				}
			}
		}
	}
	for _, p := range r.Investigators {
		pp := at(p)
		pp.roles = append(pp.roles, "investigator")
	}
	return out
}

// strainInsights ranks the people pulled in while not on call and counts
// everyone's load per quarter.
func (s *Site) strainInsights(in *Insights) {
	qIndex := make(map[string]int, len(in.Quarters))
	for i, q := range in.Quarters {
		qIndex[q] = i
	}
	techKey := s.Config.ExpertiseTaxonomies.Technologies
	for _, p := range s.People {
		st := p.Strain
		if st == nil || st.Total.Response == 0 {
			continue
		}
		if known := st.Total.OnCall + st.Total.OffCall; known > 0 {
			in.OnCallKnown = true
			if known >= pulledInMinKnown && st.Total.OffCall > 0 {
				pi := PulledIn{Person: p, OffCall: st.Total.OffCall, Known: known, Percent: st.Total.OffCall * 100 / known, OutOfHours: st.Total.OffCallAndOutOfHours}
				techs := map[*Term]int{}
				for _, row := range st.Rows {
					if row.OnCall == "off" {
						for _, t := range row.Review.TermsOf(techKey) {
							techs[t]++
						}
					}
				}
				for _, t := range rankTerms(techs) {
					pi.Technologies = append(pi.Technologies, TermCount{Term: t, Count: techs[t]})
				}
				in.PulledIn = append(in.PulledIn, pi)
			}
		}
		l := PersonLoad{Person: p, Counts: make([]int, len(in.Quarters)), OffCall: make([]int, len(in.Quarters))}
		for _, row := range st.Rows {
			if !row.Response {
				continue
			}
			l.Total++
			if i, ok := qIndex[row.Quarter]; ok {
				l.Counts[i]++
				if row.OnCall == "off" {
					l.OffCall[i]++
				}
			}
		}
		in.Load = append(in.Load, l)
	}
	slices.SortFunc(in.PulledIn, func(a, b PulledIn) int {
		// The share first (who is pulled in whatever their load), then
		// the count (a share of many says more than one of two).
		return cmp.Or(cmp.Compare(b.OffCall*a.Known, a.OffCall*b.Known), cmp.Compare(b.OffCall, a.OffCall), strings.Compare(a.Person.ID, b.Person.ID))
	})
	if len(in.PulledIn) > maxPulledIn {
		in.PulledIn = in.PulledIn[:maxPulledIn]
	}
	slices.SortFunc(in.Load, func(a, b PersonLoad) int {
		return cmp.Or(cmp.Compare(b.Total, a.Total), strings.Compare(a.Person.ID, b.Person.ID))
	})
	if len(in.Load) > maxLoadPeople {
		in.MoreLoad = len(in.Load) - maxLoadPeople
		in.Load = in.Load[:maxLoadPeople]
	}
	in.WorkHours = s.Config.WorkHours.String()
}

// profileZone reads a profile's timezone:, an IANA name. It returns ""
// and nil when the profile gives none or an unknown one (an error at the
// value), and the person's times are read in the library's zone.
func profileZone(d *frontmatter.Decoder, fields *frontmatter.Node) (string, *time.Location) {
	name := d.Str(fields, "timezone")
	if name == "" {
		return "", nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "Local" {
		d.ErrAt(fields.Get("timezone"), "timezone: unknown time zone %q (want an IANA name such as Europe/Berlin)", name)
		return "", nil
	}
	return name, loc
}
